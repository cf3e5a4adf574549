/*
 * The INI configuration (libinih) with the seeds' environment overrides.
 * Every program loads it the same way; conf_check() refuses what
 * would be unsafe to run with (a short JWT secret above all).
 */
#ifndef RO_CONF_H
#define RO_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CONF_SECRET_MIN 32	/* bytes, for every HMAC/JWT key */
#define CONF_SYSLOG	"syslog"	/* [audit] checkpoint_file: to syslog */

struct conf {
	char		*path;		/* file it came from, or NULL */
	struct {
		char		*host;
		unsigned	 port;
		char		*user;
		char		*password;
		char		*name;
		char		*socket;	/* unix socket: wins over host */
		char		*ssl_ca;	/* TLS over TCP: CA file of the server */
		char		*ssl_cert;	/* client certificate, optional */
		char		*ssl_key;	/* its key */
		bool		 ssl_verify;	/* check the server certificate and name */
		unsigned	 statements;	/* prepared statements kept per connection */
		unsigned	 sync_wait;	/* Galera wsrep_sync_wait; 0: the server's */
	} db;
	struct {
		char		*jwt_secret;
		long		 token_ttl;		/* seconds */
		int		 password_min;
		unsigned	 pbkdf2_iterations;
		bool		 open_signup;
		bool		 bootstrap_signup;	/* first signup becomes admin */
		int		 login_max_failures;	/* per username */
		int		 login_max_failures_addr; /* per client address */
		int		 login_window;		/* seconds */
		int		 signup_max_addr;	/* anonymous signups per address */
		int		 signup_window;		/* seconds */
		bool		 token_cache;	/* api/authcache */
		char		*cache_file;	/* its block's file; "": the pool's */
	} auth;
	struct {
		char		*audit_key;	/* HMAC key of the audit chain */
		char		*data_key;	/* AES-256 key, hex, for secrets at rest */
		int		 data_key_version;
		char		*data_keys;	/* more: "<version>:<hex> ..." (util/keyring) */
	} secrets;
	struct {
		char		*cors_origins;	/* space/comma separated, "*" = any */
		size_t		 body_max;	/* bytes */
		char		*trusted_proxies; /* CIDRs whose X-Forwarded-For is believed */
		int		 threads;	/* requests a pool worker serves at once */
	} http;
	struct {
		int		 degraded_after;	/* seconds */
		int		 down_after;
	} health;
	struct {
		char		*http_hosts;	/* hosts webhooks may reach over plain http */
		char		*allow_networks; /* private CIDRs delivery may connect to */
		int		 max_attempts;
		int		 connect_timeout;	/* seconds */
		int		 timeout;		/* seconds, whole request */
		int		 retry_base;		/* seconds, doubled per attempt */
	} delivery;
	struct {
		char		*host;		/* the relay; "": no email */
		unsigned	 port;
		bool		 starttls;	/* require STARTTLS on smtp:// */
		bool		 smtps;		/* TLS from the first byte */
		bool		 verify;	/* the relay's certificate and name */
		char		*ca_file;	/* CA bundle; "": the system's */
		char		*user;		/* AUTH; "": none */
		char		*password;
		char		*from;		/* envelope and From: address */
		char		*from_name;	/* display name; "": [pages] title */
		int		 timeout;	/* seconds for one message */
		int		 max_connections; /* messages at once */
	} smtp;
	struct {
		int		 tick;		/* seconds between scheduler ticks */
		int		 lease_ttl;	/* seconds a leader's lease lasts */
	} sched;
	int		 log_level;	/* enum log_level */
	bool		 log_syslog;	/* resilops.fcgi logs to syslog, not stderr */
	struct {
		char		*allow;		/* CIDRs that may read /metrics */
		char		*shared_file;	/* the block's file; "": anonymous */
	} metrics;
	struct {
		char		*checkpoint_file; /* path, CONF_SYSLOG, "": none */
		int		 checkpoint_interval; /* seconds */
		int		 unsealed_max_age; /* seconds */
	} audit;
	struct {
		char		*title;		/* the organisation's name */
		char		*base_url;	/* "https://status.example.com" or "" */
		char		*static_dir;	/* the daemon's static copy; "": none */
	} pages;
};

/*
 * Set defaults.  0, or -1 out of memory: a string is then missing (NULL)
 * and the config must not be used; conf_free frees what was set.
 */
int	 conf_defaults(struct conf *);
/*
 * Load path (NULL: $RESILOPS_CONFIG, else the default location) over the
 * defaults, then apply environment overrides.  Returns 0, or -1 with a
 * message in err.  The caller owns cfg and frees it with conf_free().
 */
int	 conf_load(struct conf *, const char *path, char *err, size_t errsz);
/* 0 if the config is safe to run with, else -1 and a how-to-fix in err. */
int	 conf_check(const struct conf *, char *err, size_t errsz);
void	 conf_free(struct conf *);
/* Default config path: RESILOPS_CONFIG, else the installed
 * $(sysconfdir)/resilops/resilops.conf. */
const char *conf_default_path(void);
/* Set one key from its text ("database", "port", "3306"); 0, or -1 if unknown or bad. */
int	 conf_set(struct conf *, const char *section, const char *key,
	    const char *value);
/* Write every key as INI, with the example file's comments; 0 or -1. */
int	 conf_write(const struct conf *, FILE *);

#endif
