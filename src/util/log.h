/*
 * Logging to stderr or syslog.  The warn/err helpers return -1 so a
 * failing function can log and fail in one statement (git's error()).
 * Never pass a password, token, key or vault value to these.
 */
#ifndef RO_LOG_H
#define RO_LOG_H

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void	 log_init(const char *ident, enum log_level level, int use_syslog);
void	 log_set_level(enum log_level);
int	 log_level_parse(const char *, enum log_level *);
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
int	 log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
