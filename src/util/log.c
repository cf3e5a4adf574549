/*
 * Logging: stderr with a program prefix, or syslog for the daemon; and
 * the durable records kept outside the database (log_append,
 * log_syslog_as).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static const char	*log_ident = "resilops";
static enum log_level	 log_max = LOG_LVL_INFO;
static int		 log_syslog;
/* openlog() is global: log_syslog_as borrows it while nobody logs. */
static pthread_mutex_t	 log_syslog_lock = PTHREAD_MUTEX_INITIALIZER;

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

size_t
log_escape(const char *in, char *out, size_t outsz)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 n = 0;

	if (outsz == 0)
		return 0;
	for (; *p != '\0' && n + 1 < outsz; p++) {
		if (*p >= 0x20 && *p != 0x7f && *p != '\\') {
			out[n++] = (char)*p;
			continue;
		}
		if (n + 4 >= outsz)
			break;
		out[n++] = '\\';
		if (*p == '\\') {
			out[n++] = '\\';
			continue;
		}
		out[n++] = 'x';
		out[n++] = hex[*p >> 4];
		out[n++] = hex[*p & 0xf];
	}
	out[n] = '\0';
	return n;
}

/*
 * Every line is formatted first and then escaped, whatever its
 * arguments: a request path with %0A in it must not forge a line.
 */
static void
log_emit(enum log_level level, const char *fmt, va_list ap)
{
	char		 stamp[32], msg[LOG_LINE_MAX], line[LOG_LINE_MAX * 2];
	struct tm	 tm;
	time_t		 now;

	if (level > log_max)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_escape(msg, line, sizeof(line));
	if (log_syslog) {
		pthread_mutex_lock(&log_syslog_lock);
		syslog(levels[level].prio, "%s", line);
		pthread_mutex_unlock(&log_syslog_lock);
		return;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s[%ld] %s: %s\n", stamp, log_ident, (long)getpid(),
	    levels[level].name, line);
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

int
log_append(const char *path, const char *line)
{
	struct iovec	 iov[2];
	size_t		 len = strlen(line);
	ssize_t		 n;
	int		 fd, saved;

	iov[0].iov_base = (void *)line;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)"\n";
	iov[1].iov_len = 1;
	/* O_NONBLOCK: a FIFO without a reader fails instead of hanging. */
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC, 0640)) == -1)
		return log_errx("%s: %s", path, errno == ELOOP ?
		    "is a symbolic link: refusing it" : strerror(errno));
	/* One write: the line and its newline land together. */
	if ((n = writev(fd, iov, 2)) != (ssize_t)len + 1) {
		saved = n == -1 ? errno : ENOSPC;
		close(fd);
		return log_errx("%s: cannot append: %s", path, strerror(saved));
	}
	/* A pipe or a terminal cannot be synced (EINVAL): nothing to wait for. */
	if (fsync(fd) == -1 && errno != EINVAL) {
		saved = errno;
		close(fd);
		return log_errx("%s: fsync: %s", path, strerror(saved));
	}
	if (close(fd) == -1)
		return log_errx("%s: close: %s", path, strerror(errno));
	return 0;
}

void
log_syslog_as(const char *ident, int facility, int priority, const char *line)
{
	pthread_mutex_lock(&log_syslog_lock);
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
	syslog(priority, "%s", line);
	if (log_syslog)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else
		closelog();
	pthread_mutex_unlock(&log_syslog_lock);
}
