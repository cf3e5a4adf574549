/*
 * Logging: stderr with a program prefix, or syslog for the daemon.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static const char	*log_ident = "resilops";
static enum log_level	 log_max = LOG_LVL_INFO;
static int		 log_syslog;

static const struct {
	const char	*name;
	int		 prio;
} levels[] = {
	[LOG_LVL_ERR] = { "error", LOG_ERR },
	[LOG_LVL_WARN] = { "warning", LOG_WARNING },
	[LOG_LVL_INFO] = { "info", LOG_INFO },
	[LOG_LVL_DEBUG] = { "debug", LOG_DEBUG },
};

void
log_init(const char *ident, enum log_level level, int use_syslog)
{
	log_ident = ident;
	log_max = level;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(enum log_level level)
{
	log_max = level;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t	 i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcasecmp(s, levels[i].name) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	if (strcasecmp(s, "warn") == 0) {
		*out = LOG_LVL_WARN;
		return 0;
	}
	return -1;
}

static void
log_emit(enum log_level level, const char *fmt, va_list ap)
{
	char		 stamp[32];
	struct tm	 tm;
	time_t		 now;

	if (level > log_max)
		return;
	if (log_syslog) {
		vsyslog(levels[level].prio, fmt, ap);
		return;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s[%ld] %s: ", stamp, log_ident, (long)getpid(),
	    levels[level].name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_DEBUG, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_INFO, fmt, ap);
	va_end(ap);
}

int
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_WARN, fmt, ap);
	va_end(ap);
	return -1;
}

int
log_errx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	return -1;
}
