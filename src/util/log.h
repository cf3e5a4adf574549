/*
 * Logging to stderr or syslog.  The warn/err helpers return -1 so a
 * failing function can log and fail in one statement (git's error()).
 * Never pass a password, token, key or vault value to these.
 */
#ifndef RO_LOG_H
#define RO_LOG_H

#include <stddef.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

#define LOG_LINE_MAX	2048	/* bytes of one message before escaping */

void	 log_init(const char *ident, enum log_level level, int use_syslog);
void	 log_set_level(enum log_level);
int	 log_level_parse(const char *, enum log_level *);
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Copy in to out (outsz bytes, NUL-terminated) with control characters,
 * DEL and backslash escaped (\x0a, \\), so one message is always one
 * line; cut short at a whole escape if out is too small.  Returns the
 * length written.  Every log line goes through it.
 */
size_t	 log_escape(const char *in, char *out, size_t outsz);
/*
 * Append line and a newline to the file path, durably: opened with
 * O_APPEND (a concurrent writer never overwrites it), never through a
 * symbolic link, created mode 0640, and fsync'd before it returns.
 * For records kept outside the database (audit checkpoints).  0, or
 * -1 logged.
 */
int	 log_append(const char *path, const char *line);
/*
 * Send line to syslog under ident, facility and priority (LOG_AUTH,
 * LOG_NOTICE), then give the program's own syslog settings back, so a
 * daemon's messages keep its name.  Our messages wait meanwhile.
 */
void	 log_syslog_as(const char *ident, int facility, int priority,
	    const char *line);

#endif
