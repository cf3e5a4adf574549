/*
 * Configuration: one table of every key (section, name, type, where it
 * lives in struct conf), read by libinih, written back by
 * "resilops-admin init", overridden by the seeds' environment names.
 */
#include "config.h"

#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

/* Pure and dependency-free: [smtp] is checked as mail will be sent. */
#include "core/dbnodes.h"
#include "core/mailaddr.h"
#include "core/mailmsg.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/log.h"

/*
 * C_LIST: strings separated by blanks or commas, one entry a line in the
 * file ("data_keys = 2:..." again and again), which libinih hands over
 * one line at a time: a line holds at most LINE_MAX_INI characters.
 */
enum ctype { C_STR, C_LIST, C_INT, C_UINT, C_LONG, C_SIZE, C_BOOL, C_LOGLEVEL };

/*
 * libinih 55 reads a line into a buffer of INI_MAX_LINE (200) bytes and
 * parses what did not fit as a line of its own (a comment when it starts
 * with ";", else a syntax error or another key): conf_load refuses a
 * longer line, conf_set a value that would make one.
 */
#define LINE_MAX_INI	(INI_MAX_LINE - 1)

struct ckey {
	const char	*section;
	const char	*name;
	enum ctype	 type;
	size_t		 off;
	long long	 min, max;
	const char	*help;
};

#define O(f) offsetof(struct conf, f)

static const struct ckey keys[] = {
	{ "database", "host", C_STR, O(db.host), 0, 0, "MariaDB host, or the nodes of a Galera cluster in the order to try them, separated by commas: host, host:port or [IPv6]:port (ignored when socket is set)" },
	{ "database", "port", C_UINT, O(db.port), 1, 65535, "MariaDB TCP port" },
	{ "database", "user", C_STR, O(db.user), 0, 0, "MariaDB account" },
	{ "database", "password", C_STR, O(db.password), 0, 0, "its password" },
	{ "database", "name", C_STR, O(db.name), 0, 0, "database name" },
	{ "database", "socket", C_STR, O(db.socket), 0, 0, "unix socket path; preferred over TCP" },
	{ "database", "ssl_ca", C_STR, O(db.ssl_ca), 0, 0, "TLS to MariaDB over TCP: the CA file that signed the server's certificate (setting it turns TLS on)" },
	{ "database", "ssl_cert", C_STR, O(db.ssl_cert), 0, 0, "client certificate for TLS (optional; turns TLS on)" },
	{ "database", "ssl_key", C_STR, O(db.ssl_key), 0, 0, "its private key" },
	{ "database", "ssl_verify", C_BOOL, O(db.ssl_verify), 0, 1, "with TLS, verify the server's certificate and host name (keep it on)" },
	{ "database", "sync_wait", C_UINT, O(db.sync_wait), 0, 15, "Galera only: wsrep_sync_wait for every connection (1: a read waits for every write committed anywhere in the cluster before it); 0 leaves the server's" },
	{ "database", "statements", C_UINT, O(db.statements), 16, 4096, "prepared statements each connection keeps (the least recently used is closed past it): every process's count adds up against MariaDB's max_prepared_stmt_count, 16382 by default" },
	{ "auth", "jwt_secret", C_STR, O(auth.jwt_secret), 0, 0, "HS256 key, at least 32 bytes, the same on every web host" },
	{ "auth", "token_ttl", C_LONG, O(auth.token_ttl), 60, 86400 * 30, "access token lifetime in seconds" },
	{ "auth", "password_min", C_INT, O(auth.password_min), 1, 1024, "minimum password length" },
	{ "auth", "pbkdf2_iterations", C_UINT, O(auth.pbkdf2_iterations), 1000, 10000000, "PBKDF2-HMAC-SHA256 iterations for new hashes" },
	{ "auth", "open_signup", C_BOOL, O(auth.open_signup), 0, 1, "let signup choose any role without an admin token (demo stacks only)" },
	{ "auth", "bootstrap_signup", C_BOOL, O(auth.bootstrap_signup), 0, 1, "let the very first signup over HTTP make the first admin (otherwise: resilops-admin setup)" },
	{ "auth", "login_max_failures", C_INT, O(auth.login_max_failures), 1, 1000000, "failed logins per username within login_window before 429" },
	{ "auth", "login_max_failures_addr", C_INT, O(auth.login_max_failures_addr), 1, 1000000, "failed logins per client address within login_window" },
	{ "auth", "login_window", C_INT, O(auth.login_window), 1, 86400, "seconds" },
	{ "auth", "signup_max_addr", C_INT, O(auth.signup_max_addr), 1, 1000000, "anonymous signups per client address within signup_window before 429" },
	{ "auth", "signup_window", C_INT, O(auth.signup_window), 1, 86400 * 7, "seconds" },
	{ "auth", "token_cache", C_BOOL, O(auth.token_cache), 0, 1, "keep each token's account check on this host: exact for changes made here, at most a second late for another web host's" },
	{ "auth", "cache_file", C_STR, O(auth.cache_file), 0, 0, "the token cache's file, for processes started apart (mod_fcgid): an absolute path the program's user can write; empty: a pool's own workers share one, a process without a pool keeps none" },
	{ "secrets", "audit_key", C_STR, O(secrets.audit_key), 0, 0, "HMAC key of the audit chain, at least 32 bytes" },
	{ "secrets", "data_key", C_STR, O(secrets.data_key), 0, 0, "AES-256 key for secrets at rest, 64 hex digits" },
	{ "secrets", "data_key_version", C_INT, O(secrets.data_key_version), 1, 1000000, "version of data_key, stored with each ciphertext" },
	{ "secrets", "data_keys", C_LIST, O(secrets.data_keys), 0, 0, "more data keys, \"<version>:<64 hex digits>\" separated by spaces: the highest version seals new secrets, every one opens (rotation)" },
	{ "http", "cors_origins", C_STR, O(http.cors_origins), 0, 0, "allowed origins, space separated; * for any; empty for none" },
	{ "http", "body_max", C_SIZE, O(http.body_max), 1024, 64 << 20, "largest request body in bytes (413 above)" },
	{ "http", "trusted_proxies", C_STR, O(http.trusted_proxies), 0, 0, "load balancers and proxies (CIDRs) whose X-Forwarded-For names the client; empty: none" },
	{ "http", "threads", C_INT, O(http.threads), 1, 64, "requests each worker of a pool (-w) serves at once, each on a database connection of its own; a process started alone (mod_fcgid) serves one" },
	{ "health", "degraded_after", C_INT, O(health.degraded_after), 1, 86400 * 365, "seconds without heartbeat before Degraded" },
	{ "health", "down_after", C_INT, O(health.down_after), 1, 86400 * 365, "seconds without heartbeat before Down" },
	{ "delivery", "http_hosts", C_STR, O(delivery.http_hosts), 0, 0, "hosts that webhook URLs may name over plain http (space separated; default none: https only)" },
	{ "delivery", "allow_networks", C_STR, O(delivery.allow_networks), 0, 0, "loopback/private/link-local networks deliveries may connect to, as CIDRs (default none)" },
	{ "delivery", "max_attempts", C_INT, O(delivery.max_attempts), 1, 100, "attempts before a notification is given up" },
	{ "delivery", "connect_timeout", C_INT, O(delivery.connect_timeout), 1, 60, "seconds to connect to a receiver" },
	{ "delivery", "timeout", C_INT, O(delivery.timeout), 1, 300, "seconds for a whole delivery" },
	{ "delivery", "retry_base", C_INT, O(delivery.retry_base), 1, 86400, "seconds before the first retry, doubled each time" },
	{ "smtp", "host", C_STR, O(smtp.host), 0, 0, "the mail relay (SMTP submission server) email goes out through; empty: no email" },
	{ "smtp", "port", C_UINT, O(smtp.port), 1, 65535, "its port: 587 for submission with STARTTLS, 465 with smtps" },
	{ "smtp", "starttls", C_BOOL, O(smtp.starttls), 0, 1, "require STARTTLS before anything is sent (false is allowed only for a relay on loopback)" },
	{ "smtp", "smtps", C_BOOL, O(smtp.smtps), 0, 1, "TLS from the first byte (smtps://, port 465) instead of STARTTLS" },
	{ "smtp", "verify", C_BOOL, O(smtp.verify), 0, 1, "verify the relay's certificate and host name (keep it on)" },
	{ "smtp", "ca_file", C_STR, O(smtp.ca_file), 0, 0, "CA file for the relay's certificate; empty: the system's CAs" },
	{ "smtp", "user", C_STR, O(smtp.user), 0, 0, "SMTP AUTH account; empty: no AUTH" },
	{ "smtp", "password", C_STR, O(smtp.password), 0, 0, "its password" },
	{ "smtp", "from", C_STR, O(smtp.from), 0, 0, "the sender address of every message (envelope and From:)" },
	{ "smtp", "from_name", C_STR, O(smtp.from_name), 0, 0, "the sender's display name; empty: [pages] title" },
	{ "smtp", "timeout", C_INT, O(smtp.timeout), 1, 600, "seconds for one message, connecting included" },
	{ "smtp", "max_connections", C_INT, O(smtp.max_connections), 1, 50, "messages sent to the relay at the same time" },
	{ "sched", "tick", C_INT, O(sched.tick), 1, 3600, "seconds between scheduler ticks" },
	{ "sched", "lease_ttl", C_INT, O(sched.lease_ttl), 3, 3600, "seconds a scheduler's leadership lasts without renewal" },
	{ "log", "level", C_LOGLEVEL, O(log_level), 0, 0, "error, warning, info or debug" },
	{ "log", "syslog", C_BOOL, O(log_syslog), 0, 1, "resilops.fcgi logs to syslog (facility daemon) instead of stderr, its request lines included" },
	{ "metrics", "allow", C_STR, O(metrics.allow), 0, 0, "networks (CIDRs) that may read /metrics, after [http] trusted_proxies; anyone else gets 404; empty: nobody" },
	{ "metrics", "shared_file", C_STR, O(metrics.shared_file), 0, 0, "a file all resilops.fcgi processes count into, started apart or not (mod_fcgid); an absolute path the program's user can write; empty: only a pool's own workers share" },
	{ "audit", "checkpoint_file", C_STR, O(audit.checkpoint_file), 0, 0, "where resilops-sched writes audit checkpoints: an absolute path (appended; keep it off this host or append-only), syslog, or empty for none" },
	{ "audit", "checkpoint_interval", C_INT, O(audit.checkpoint_interval), 60, 86400 * 7, "seconds between two checkpoints (at least 60)" },
	{ "audit", "unsealed_max_age", C_INT, O(audit.unsealed_max_age), 10, 86400, "seconds an entry may wait for resilops-sched to seal it before audit verify says STALE" },
	{ "pages", "title", C_STR, O(pages.title), 0, 0, "the name at the top of the status page and the console" },
	{ "pages", "base_url", C_STR, O(pages.base_url), 0, 0, "where the pages are reached, e.g. https://status.example.com (absolute links of the Atom feed); empty: relative links" },
	{ "pages", "static_dir", C_STR, O(pages.static_dir), 0, 0, "resilops-sched writes the status page, its feed and badges here after each tick, for the web server to serve when the application cannot answer (absolute path; empty: none)" },
};

#undef O

static const char *const level_names[] = { "error", "warning", "info", "debug" };

int
conf_defaults(struct conf *c)
{
	size_t	 i;

	memset(c, 0, sizeof(*c));
	c->db.host = strdup("127.0.0.1");
	c->db.port = 3306;
	c->db.user = strdup("resilops");
	c->db.password = strdup("");
	c->db.name = strdup("resilops");
	c->db.socket = strdup("");
	c->db.ssl_ca = strdup("");
	c->db.ssl_cert = strdup("");
	c->db.ssl_key = strdup("");
	c->db.ssl_verify = true;
	c->db.statements = 128;
	c->auth.jwt_secret = strdup("");
	c->auth.token_ttl = 3600;
	c->auth.password_min = 8;
	c->auth.pbkdf2_iterations = 600000;
	c->auth.open_signup = false;
	c->auth.bootstrap_signup = false;
	c->auth.login_max_failures = 5;
	c->auth.login_max_failures_addr = 20;
	c->auth.login_window = 900;
	c->auth.signup_max_addr = 10;
	c->auth.signup_window = 3600;
	c->auth.token_cache = true;
	c->auth.cache_file = strdup("");
	c->secrets.audit_key = strdup("");
	c->secrets.data_key = strdup("");
	c->secrets.data_key_version = 1;
	c->secrets.data_keys = strdup("");
	c->http.cors_origins = strdup("");
	c->http.body_max = 1 << 20;
	c->http.trusted_proxies = strdup("");
	c->http.threads = 1;
	c->metrics.allow = strdup("127.0.0.1/32 ::1/128");
	c->metrics.shared_file = strdup("");
	c->health.degraded_after = 300;
	c->health.down_after = 600;
	c->delivery.http_hosts = strdup("");
	c->delivery.allow_networks = strdup("");
	c->delivery.max_attempts = 5;
	c->delivery.connect_timeout = 3;
	c->delivery.timeout = 10;
	c->delivery.retry_base = 30;
	c->smtp.host = strdup("");
	c->smtp.port = 587;
	c->smtp.starttls = true;
	c->smtp.smtps = false;
	c->smtp.verify = true;
	c->smtp.ca_file = strdup("");
	c->smtp.user = strdup("");
	c->smtp.password = strdup("");
	c->smtp.from = strdup("");
	c->smtp.from_name = strdup("");
	c->smtp.timeout = 30;
	c->smtp.max_connections = 4;
	c->sched.tick = 10;
	c->sched.lease_ttl = 30;
	c->log_level = LOG_LVL_INFO;
	c->audit.checkpoint_file = strdup("");
	c->pages.title = strdup("resilops");
	c->pages.base_url = strdup("");
	c->pages.static_dir = strdup("");
	c->audit.checkpoint_interval = 3600;
	c->audit.unsealed_max_age = 120;
	/*
	 * A strdup above that failed left its string NULL, which every
	 * reader (conf_check, conf_write, the programs) takes for a string.
	 */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((keys[i].type == C_STR || keys[i].type == C_LIST) &&
		    *(char **)((char *)c + keys[i].off) == NULL)
			return -1;
	return 0;
}

static int
parse_num(const char *v, long long min, long long max, long long *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/*
 * Whether conf_write can put v in the file and libinih give it back
 * as it was: inih strips a value's outer blanks, ends it at a ";"
 * after a blank (conf_write's "key = " puts one before the value's
 * first character) and at a line's end (other control characters it
 * keeps: those the keys' own checks judge, [smtp]'s for one).  A value it could not hold is
 * refused where it comes in (the file, resilops-admin init, the
 * environment) rather than written out changed: make fuzz's conf
 * target found "base_url =;x" loading as ";x" and reading back empty.
 */
static bool
ini_safe(const char *v)
{
	const char	*p;

	if (*v == '\0')
		return true;
	if (*v == ';' || *v == '#' || isspace((unsigned char)*v) ||
	    isspace((unsigned char)v[strlen(v) - 1]))
		return false;
	for (p = v; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			return false;
		if (*p == ';' && isspace((unsigned char)p[-1]))
			return false;
	}
	return true;
}

/*
 * The entries of a C_LIST value, one at a time: *len is the next's.
 * Every blank libinih strips from a line's ends separates them.
 */
#define LIST_SEP	" \t\v\f,"

static const char *
list_next(const char *s, size_t *len)
{
	s += strspn(s, LIST_SEP);
	*len = strcspn(s, LIST_SEP);
	return *len > 0 ? s : NULL;
}

/*
 * v's entries after *list's, each one able to stand on a line of its own
 * (not too long, not taken for a comment there).
 */
static int
list_add(const struct ckey *k, char **list, const char *v)
{
	const char	*e;
	size_t		 len, have = strlen(*list), n = strlen(v);
	char		*grown;

	if (!ini_safe(v))
		return -1;
	for (e = v; (e = list_next(e, &len)) != NULL; e += len)
		if (strlen(k->name) + 3 + len > LINE_MAX_INI || *e == ';' ||
		    *e == '#')
			return -1;
	if (n == 0)
		return 0;
	if ((grown = malloc(have + 1 + n + 1)) == NULL)
		return -1;
	memcpy(grown, *list, have);
	if (have > 0)
		grown[have++] = ' ';
	memcpy(grown + have, v, n + 1);
	crypto_wipe(*list, strlen(*list));
	free(*list);
	*list = grown;
	return 0;
}

static int
key_set(struct conf *c, const struct ckey *k, const char *v)
{
	char		*p = (char *)c + k->off;
	long long	 n;
	char		*dup;
	enum log_level	 lvl;

	switch (k->type) {
	case C_STR:
		if (!ini_safe(v) || strlen(k->name) + 3 + strlen(v) > LINE_MAX_INI ||
		    (dup = strdup(v)) == NULL)
			return -1;
		free(*(char **)p);
		*(char **)p = dup;
		return 0;
	case C_LIST:
		return list_add(k, (char **)p, v);
	case C_BOOL:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
		    strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0)
			*(bool *)p = true;
		else if (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
		    strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0)
			*(bool *)p = false;
		else
			return -1;
		return 0;
	case C_LOGLEVEL:
		if (log_level_parse(v, &lvl) == -1)
			return -1;
		*(int *)p = (int)lvl;
		return 0;
	default:
		break;
	}
	if (parse_num(v, k->min, k->max, &n) == -1)
		return -1;
	switch (k->type) {
	case C_INT:
		*(int *)p = (int)n;
		break;
	case C_UINT:
		*(unsigned *)p = (unsigned)n;
		break;
	case C_LONG:
		*(long *)p = (long)n;
		break;
	case C_SIZE:
		*(size_t *)p = (size_t)n;
		break;
	default:
		return -1;
	}
	return 0;
}

static const struct ckey *
key_find(const char *section, const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcasecmp(keys[i].section, section) == 0 &&
		    strcasecmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

int
conf_set(struct conf *c, const char *section, const char *name,
    const char *value)
{
	const struct ckey	*k;

	if ((k = key_find(section, name)) == NULL)
		return -1;
	return key_set(c, k, value);
}

struct load_ctx {
	struct conf	*cfg;
	char		*err;
	size_t		 errsz;
	int		 failed;
};

static int
ini_cb(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx		*lc = user;
	const struct ckey	*k;

	if ((k = key_find(section, name)) == NULL) {
		/* Unknown keys are an error: a typo must not silently fall back. */
		snprintf(lc->err, lc->errsz, "unknown key [%s] %s", section, name);
		lc->failed = 1;
		return 0;
	}
	if (key_set(lc->cfg, k, value) == -1) {
		snprintf(lc->err, lc->errsz, "bad value for [%s] %s", section, name);
		lc->failed = 1;
		return 0;
	}
	return 1;
}

const char *
conf_default_path(void)
{
	const char	*p;

	if ((p = getenv("RESILOPS_CONFIG")) != NULL && *p != '\0')
		return p;
	return PKGSYSCONFDIR "/resilops.conf";
}

/* The seeds' environment names win over the file. */
static const struct {
	const char	*env;
	const char	*section;
	const char	*name;
} env_overrides[] = {
	{ "MYSQL_USER", "database", "user" },
	{ "MYSQL_PASSWORD", "database", "password" },
	{ "MYSQL_HOST", "database", "host" },
	{ "MYSQL_PORT", "database", "port" },
	{ "JWT_SECRET_KEY", "auth", "jwt_secret" },
};

/*
 * The file holds every secret (database password, signing keys): one
 * that others may read is refused, with the fix.  Checked on the open
 * file, so what is judged is what is read.
 */
static int
conf_private(FILE *f, const char *path, char *err, size_t errsz)
{
	struct stat	 st;

	if (fstat(fileno(f), &st) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((st.st_mode & S_IRWXO) == 0)
		return 0;
	snprintf(err, errsz, "%s is open to other users (mode %04o) but holds "
	    "every secret: make it mode 0640, owned by root and the group the "
	    "programs run as (chown root:resilops %s; chmod 0640 %s), or 0600 "
	    "owned by that user", path, (unsigned)(st.st_mode & 07777), path,
	    path);
	return -1;
}

/* fgets for libinih, which stops at a line longer than it can take. */
struct line_reader {
	FILE	*f;
	int	 lineno;
	bool	 too_long;
};

static char *
line_read(char *str, int num, void *stream)
{
	struct line_reader	*lr = stream;
	size_t			 n;
	int			 ch;

	if (fgets(str, num, lr->f) == NULL)
		return NULL;
	lr->lineno++;
	n = strlen(str);
	if (n == (size_t)num - 1 && str[n - 1] != '\n' &&
	    (ch = getc(lr->f)) != EOF && ch != '\n') {
		lr->too_long = true;
		return NULL;
	}
	return str;
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errsz)
{
	struct load_ctx	 lc = { c, err, errsz, 0 };
	struct line_reader lr = { NULL, 0, false };
	const char	*v;
	size_t		 i;
	FILE		*f;
	int		 rc;

	if (path == NULL)
		path = conf_default_path();
	if (conf_defaults(c) == -1 || (c->path = strdup(path)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		return -1;
	}
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			snprintf(err, errsz, "%s: no such file (create it with "
			    "\"resilops-admin init %s\")", path, path);
		else
			snprintf(err, errsz, "%s: cannot open: %s", path,
			    strerror(errno));
		return -1;
	}
	if (conf_private(f, path, err, errsz) == -1) {
		fclose(f);
		return -1;
	}
	lr.f = f;
	rc = ini_parse_stream(line_read, &lr, ini_cb, &lc);
	fclose(f);
	if (lr.too_long) {
		snprintf(err, errsz, "%s: line %d is longer than %d characters "
		    "(a list such as [secrets] data_keys takes one entry a line)",
		    path, lr.lineno, LINE_MAX_INI);
		return -1;
	}
	if (lc.failed) {
		char	 tmp[256];

		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, errsz, "%s: %s", path, tmp);
		return -1;
	}
	if (rc != 0) {
		snprintf(err, errsz, "%s: syntax error on line %d", path, rc);
		return -1;
	}
	for (i = 0; i < sizeof(env_overrides) / sizeof(env_overrides[0]); i++) {
		if ((v = getenv(env_overrides[i].env)) == NULL)
			continue;
		if (conf_set(c, env_overrides[i].section,
		    env_overrides[i].name, v) == -1) {
			snprintf(err, errsz, "bad value in $%s", env_overrides[i].env);
			return -1;
		}
	}
	return 0;
}

/* Whether the relay is this machine: the only place plain SMTP may go. */
static bool
smtp_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&a6);
}

/*
 * [smtp], when a host is set: addresses as core/mailaddr takes them
 * (curl would write whatever it is given into MAIL FROM), a host that
 * fits in a URL, and no mail or password in clear off this machine.
 */
static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int
smtp_check(const struct conf *c, char *err, size_t errsz)
{
	const char	*h = c->smtp.host, *name;

	if (h[0] == '\0')
		return 0;
	if (!mailaddr_host_valid(h)) {
		snprintf(err, errsz, "[smtp] host must be a host name or an "
		    "IP address (no brackets, no port: see port)");
		return -1;
	}
	if (!mailaddr_valid(c->smtp.from)) {
		snprintf(err, errsz, "[smtp] from must be an email address "
		    "(local@domain.example) when host is set");
		return -1;
	}
	/* Every message carries it: refused here, not at each send. */
	name = c->smtp.from_name[0] != '\0' ? c->smtp.from_name :
	    c->pages.title;
	if (strlen(name) > MAILMSG_NAME_MAX || has_control(name)) {
		snprintf(err, errsz, "[smtp] from_name (else [pages] title) "
		    "must be at most %d bytes without control characters",
		    MAILMSG_NAME_MAX);
		return -1;
	}
	if ((c->smtp.user[0] == '\0') != (c->smtp.password[0] == '\0')) {
		snprintf(err, errsz, "[smtp] user and password go together");
		return -1;
	}
	if (!c->smtp.starttls && !c->smtp.smtps && !smtp_loopback(h)) {
		snprintf(err, errsz, "[smtp] starttls = false sends mail and "
		    "password in clear: allowed only for a relay on this "
		    "machine (localhost, 127.0.0.1, ::1); use starttls or "
		    "smtps");
		return -1;
	}
	if (c->smtp.ca_file[0] != '\0' && c->smtp.ca_file[0] != '/') {
		snprintf(err, errsz, "[smtp] ca_file must be an absolute path");
		return -1;
	}
	return 0;
}

/*
 * A path the program opens after start: relative would depend on the
 * directory it was started in, which mod_fcgid and daemon() choose.
 */
static int
absolute_or_empty(const char *path, const char *key, char *err, size_t errsz)
{
	if (path[0] == '\0' || path[0] == '/')
		return 0;
	snprintf(err, errsz, "%s must be an absolute path or empty", key);
	return -1;
}

int
conf_check(const struct conf *c, char *err, size_t errsz)
{
	struct dbnode	 nodes[DBNODES_MAX];
	size_t		 i;

	if (strlen(c->auth.jwt_secret) < CONF_SECRET_MIN) {
		snprintf(err, errsz, "[auth] jwt_secret is missing or shorter "
		    "than %d bytes: set a long random value (\"openssl rand "
		    "-hex 32\") in %s or in $JWT_SECRET_KEY, or create a config "
		    "with \"resilops-admin init\"", CONF_SECRET_MIN,
		    c->path ? c->path : "the config");
		return -1;
	}
	if (strlen(c->secrets.audit_key) < CONF_SECRET_MIN) {
		snprintf(err, errsz, "[secrets] audit_key is missing or shorter "
		    "than %d bytes: set a long random value (\"openssl rand "
		    "-hex 32\") in %s", CONF_SECRET_MIN,
		    c->path ? c->path : "the config");
		return -1;
	}
	if (strlen(c->secrets.data_key) != 64) {
		snprintf(err, errsz, "[secrets] data_key must be 64 hex digits "
		    "(\"openssl rand -hex 32\") in %s",
		    c->path ? c->path : "the config");
		return -1;
	}
	for (i = 0; i < 64; i++)
		if (strchr("0123456789abcdefABCDEF", c->secrets.data_key[i]) == NULL) {
			snprintf(err, errsz, "[secrets] data_key must be 64 hex digits");
			return -1;
		}
	if ((c->db.socket == NULL || c->db.socket[0] == '\0') &&
	    dbnodes_parse(c->db.host, c->db.port, nodes, DBNODES_MAX, err,
	    errsz) == -1)
		return -1;
	if (c->sched.lease_ttl <= c->sched.tick) {
		snprintf(err, errsz, "[sched] lease_ttl must be greater than tick");
		return -1;
	}
	if (c->health.down_after <= c->health.degraded_after) {
		snprintf(err, errsz, "[health] down_after must be greater than "
		    "degraded_after");
		return -1;
	}
	/* The daemon runs from / after daemon(): a relative path would move. */
	if (c->audit.checkpoint_file[0] != '\0' &&
	    c->audit.checkpoint_file[0] != '/' &&
	    strcmp(c->audit.checkpoint_file, CONF_SYSLOG) != 0) {
		snprintf(err, errsz, "[audit] checkpoint_file must be an absolute "
		    "path, %s, or empty", CONF_SYSLOG);
		return -1;
	}
	if (absolute_or_empty(c->metrics.shared_file, "[metrics] shared_file",
	    err, errsz) == -1 ||
	    absolute_or_empty(c->auth.cache_file, "[auth] cache_file", err,
	    errsz) == -1 ||
	    absolute_or_empty(c->pages.static_dir, "[pages] static_dir", err,
	    errsz) == -1)
		return -1;
	if (smtp_check(c, err, errsz) == -1)
		return -1;
	if (c->pages.base_url[0] != '\0' &&
	    strncmp(c->pages.base_url, "https://", 8) != 0 &&
	    strncmp(c->pages.base_url, "http://", 7) != 0) {
		snprintf(err, errsz, "[pages] base_url must start with https:// "
		    "or http://");
		return -1;
	}
	return 0;
}

/* A list key's line for each of its entries (one empty line for none). */
static void
list_write(FILE *f, const char *name, const char *list)
{
	const char	*e;
	size_t		 len;
	int		 n = 0;

	for (e = list; e != NULL && (e = list_next(e, &len)) != NULL;
	    e += len, n++)
		fprintf(f, "%s = %.*s\n", name, (int)len, e);
	if (n == 0)
		fprintf(f, "%s = \n", name);
}

int
conf_write(const struct conf *c, FILE *f)
{
	const char	*section = "";
	const char	*p;
	size_t		 i;

	fprintf(f, "; resilops configuration (INI). Keep it readable only by "
	    "the service account:\n; it holds the database password and the "
	    "signing keys.\n");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct ckey	*k = &keys[i];

		p = (const char *)c + k->off;
		if (strcmp(section, k->section) != 0) {
			section = k->section;
			fprintf(f, "\n[%s]\n", section);
		}
		fprintf(f, "; %s\n", k->help);
		if (k->type != C_LIST)
			fprintf(f, "%s = ", k->name);
		switch (k->type) {
		case C_STR:
			fprintf(f, "%s\n", *(char *const *)p ? *(char *const *)p : "");
			break;
		case C_LIST:
			list_write(f, k->name, *(char *const *)p);
			break;
		case C_INT:
			fprintf(f, "%d\n", *(const int *)p);
			break;
		case C_UINT:
			fprintf(f, "%u\n", *(const unsigned *)p);
			break;
		case C_LONG:
			fprintf(f, "%ld\n", *(const long *)p);
			break;
		case C_SIZE:
			fprintf(f, "%zu\n", *(const size_t *)p);
			break;
		case C_BOOL:
			fprintf(f, "%s\n", *(const bool *)p ? "true" : "false");
			break;
		case C_LOGLEVEL:
			fprintf(f, "%s\n", level_names[*(const int *)p]);
			break;
		}
	}
	return ferror(f) ? -1 : 0;
}

void
conf_free(struct conf *c)
{
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].type == C_STR || keys[i].type == C_LIST) {
			char	**p = (char **)((char *)c + keys[i].off);

			/* Passwords and keys do not outlive their use in memory. */
			if (*p != NULL)
				crypto_wipe(*p, strlen(*p));
			free(*p);
			*p = NULL;
		}
	free(c->path);
	c->path = NULL;
}
