/*
 * util/conf, as the programs load it: a file read over the defaults
 * (every type of key, refusals named by section and key), the file's
 * mode, the seeds' environment overrides, conf_check's refusals one by
 * one, and conf_write's output read back the same.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "suites.h"
#include "util/conf.h"
#include "util/log.h"

#define HEX64 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define SECRET32 "0123456789abcdef0123456789abcdef"

/* The seeds' names, cleared around each test that loads a file. */
static const char *const env_names[] = {
	"MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_HOST", "MYSQL_PORT",
	"JWT_SECRET_KEY", "RESILOPS_CONFIG",
};
static char	*env_saved[sizeof(env_names) / sizeof(env_names[0])];

static void
env_clear(void)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++) {
		v = getenv(env_names[i]);
		env_saved[i] = v != NULL ? strdup(v) : NULL;
		unsetenv(env_names[i]);
	}
}

static void
env_restore(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++) {
		if (env_saved[i] != NULL)
			setenv(env_names[i], env_saved[i], 1);
		else
			unsetenv(env_names[i]);
		free(env_saved[i]);
		env_saved[i] = NULL;
	}
}

/* A private file (mode 0600) holding text; its path in path. */
static void
file_with(char path[64], const char *text, mode_t mode)
{
	FILE	*f;
	int	 fd;

	snprintf(path, 64, "/tmp/resilops-conf-XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT_FATAL((f = fdopen(fd, "w")) != NULL);
	fputs(text, f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(chmod(path, mode), 0);
}

/* conf_load of text: its result, the config freed unless keep. */
static int
load_text(const char *text, struct conf *c, char *err, size_t errsz)
{
	char	 path[64];
	int	 rc;

	file_with(path, text, 0600);
	err[0] = '\0';
	rc = conf_load(c, path, err, errsz);
	unlink(path);
	return rc;
}

static void
test_confload_every_type(void)
{
	struct conf	 c;
	char		 err[512];

	env_clear();
	CU_ASSERT_EQUAL(load_text(
	    "; a comment\n"
	    "[database]\nhost = db.example\nport = 3307\nssl_verify = no\n"
	    "[auth]\ntoken_ttl = 7200\npassword_min = 12\n"
	    "pbkdf2_iterations = 1000\nopen_signup = yes\n"
	    "[http]\nbody_max = 2048\n"
	    "[LOG]\nLevel = debug\nsyslog = on\n", &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.db.host, "db.example");
	CU_ASSERT_EQUAL(c.db.port, 3307);
	CU_ASSERT_FALSE(c.db.ssl_verify);
	CU_ASSERT_EQUAL(c.auth.token_ttl, 7200);
	CU_ASSERT_EQUAL(c.auth.password_min, 12);
	CU_ASSERT_EQUAL(c.auth.pbkdf2_iterations, 1000);
	CU_ASSERT_TRUE(c.auth.open_signup);
	CU_ASSERT_EQUAL(c.http.body_max, 2048);
	CU_ASSERT_EQUAL(c.log_level, LOG_LVL_DEBUG);
	CU_ASSERT_TRUE(c.log_syslog);
	/* What the file does not name keeps its default. */
	CU_ASSERT_STRING_EQUAL(c.db.user, "resilops");
	CU_ASSERT_EQUAL(c.health.down_after, 600);
	CU_ASSERT_PTR_NOT_NULL(c.path);
	conf_free(&c);
	CU_ASSERT_PTR_NULL(c.path);
	CU_ASSERT_PTR_NULL(c.db.host);
	env_restore();
}

static void
test_confload_bool_spellings(void)
{
	static const struct {
		const char	*text;
		int		 rc;
		bool		 value;
	} rows[] = {
		{ "true", 0, true }, { "YES", 0, true }, { "1", 0, true },
		{ "On", 0, true }, { "false", 0, false }, { "No", 0, false },
		{ "0", 0, false }, { "OFF", 0, false }, { "2", -1, false },
		{ "", -1, false }, { "truthy", -1, false },
	};
	struct conf	 c;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		conf_defaults(&c);
		c.auth.open_signup = !rows[i].value;
		CU_ASSERT_EQUAL(conf_set(&c, "auth", "open_signup",
		    rows[i].text), rows[i].rc);
		if (rows[i].rc == 0) {
			CU_ASSERT_EQUAL(c.auth.open_signup, rows[i].value);
		}
		conf_free(&c);
	}
}

static void
test_confload_numbers_bounded(void)
{
	static const struct {
		const char	*section, *key, *text;
		int		 rc;
	} rows[] = {
		{ "database", "port", "1", 0 },
		{ "database", "port", "65535", 0 },
		{ "database", "port", "0", -1 },
		{ "database", "port", "65536", -1 },
		{ "database", "port", "-1", -1 },
		{ "database", "port", "", -1 },
		{ "database", "port", "80x", -1 },
		{ "database", "port", " 80", 0 },	/* strtoll's own blanks */
		{ "auth", "token_ttl", "59", -1 },
		{ "auth", "token_ttl", "2592000", 0 },
		{ "auth", "token_ttl", "2592001", -1 },
		{ "auth", "token_ttl", "99999999999999999999", -1 },
		{ "http", "body_max", "1023", -1 },
		{ "http", "body_max", "67108864", 0 },
		{ "http", "body_max", "67108865", -1 },
		{ "sched", "lease_ttl", "2", -1 },
		{ "log", "level", "warn", 0 },
		{ "log", "level", "loud", -1 },
		{ "nosuch", "port", "1", -1 },
		{ "database", "nosuch", "1", -1 },
	};
	struct conf	 c;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		conf_defaults(&c);
		CU_ASSERT_EQUAL(conf_set(&c, rows[i].section, rows[i].key,
		    rows[i].text), rows[i].rc);
		conf_free(&c);
	}
	/* A refused value leaves the old one. */
	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "database", "port", "70000"), -1);
	CU_ASSERT_EQUAL(c.db.port, 3306);
	CU_ASSERT_EQUAL(conf_set(&c, "log", "level", "warn"), 0);
	CU_ASSERT_EQUAL(c.log_level, LOG_LVL_WARN);
	conf_free(&c);
}

static void
test_confload_refusals_name_the_key(void)
{
	struct conf	 c;
	char		 err[512];

	env_clear();
	CU_ASSERT_EQUAL(load_text("[database]\nprot = 3306\n", &c, err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown key [database] prot"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/tmp/resilops-conf-"));
	conf_free(&c);
	CU_ASSERT_EQUAL(load_text("[database]\nport = many\n", &c, err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad value for [database] port"));
	conf_free(&c);
	/* A line that is no key = value: libinih's line number. */
	CU_ASSERT_EQUAL(load_text("[database]\nhost = a\nnot a pair\n", &c,
	    err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "syntax error on line 3"));
	conf_free(&c);
	env_restore();
}

static void
test_confload_file_missing_or_open(void)
{
	struct conf	 c;
	char		 err[512], path[64];

	env_clear();
	CU_ASSERT_EQUAL(conf_load(&c, "/nonexistent/resilops.conf", err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no such file"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "resilops-admin init"));
	conf_free(&c);
	/* Not ENOENT: the error itself. */
	CU_ASSERT_EQUAL(conf_load(&c, "/dev/null/resilops.conf", err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot open"));
	conf_free(&c);
	/* Readable by others: refused with the fix, whatever it holds. */
	file_with(path, "[database]\nhost = a\n", 0644);
	CU_ASSERT_EQUAL(conf_load(&c, path, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "open to other users (mode 0644)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "chmod 0640"));
	conf_free(&c);
	CU_ASSERT_EQUAL(chmod(path, 0640), 0);
	CU_ASSERT_EQUAL(conf_load(&c, path, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.db.host, "a");
	conf_free(&c);
	unlink(path);
	env_restore();
}

static void
test_confload_env_overrides(void)
{
	struct conf	 c;
	char		 err[512], path[64];

	env_clear();
	file_with(path, "[database]\nport = 3307\nuser = file\n", 0600);
	setenv("MYSQL_PORT", "3308", 1);
	setenv("MYSQL_USER", "env", 1);
	setenv("JWT_SECRET_KEY", SECRET32, 1);
	CU_ASSERT_EQUAL(conf_load(&c, path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.db.port, 3308);
	CU_ASSERT_STRING_EQUAL(c.db.user, "env");
	CU_ASSERT_STRING_EQUAL(c.auth.jwt_secret, SECRET32);
	conf_free(&c);
	setenv("MYSQL_PORT", "port", 1);
	CU_ASSERT_EQUAL(conf_load(&c, path, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "bad value in $MYSQL_PORT");
	conf_free(&c);
	unsetenv("MYSQL_PORT");
	/* No path: $RESILOPS_CONFIG names the file. */
	setenv("RESILOPS_CONFIG", path, 1);
	CU_ASSERT_STRING_EQUAL(conf_default_path(), path);
	CU_ASSERT_EQUAL(conf_load(&c, NULL, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.path, path);
	CU_ASSERT_STRING_EQUAL(c.db.user, "env");
	conf_free(&c);
	setenv("RESILOPS_CONFIG", "", 1);
	CU_ASSERT_STRING_EQUAL(conf_default_path(),
	    PKGSYSCONFDIR "/resilops.conf");
	unsetenv("RESILOPS_CONFIG");
	CU_ASSERT_STRING_EQUAL(conf_default_path(),
	    PKGSYSCONFDIR "/resilops.conf");
	unlink(path);
	env_restore();
}

/* Defaults with the three secrets set: what conf_check accepts. */
static void
conf_valid(struct conf *c)
{
	conf_defaults(c);
	CU_ASSERT_EQUAL(conf_set(c, "auth", "jwt_secret", SECRET32), 0);
	CU_ASSERT_EQUAL(conf_set(c, "secrets", "audit_key", SECRET32), 0);
	CU_ASSERT_EQUAL(conf_set(c, "secrets", "data_key", HEX64), 0);
}

/* conf_check of c: -1 with want in its message, or 0 (want NULL); c freed. */
static void
check_expect(struct conf *c, const char *want)
{
	char	 err[512] = "";
	int	 rc;

	rc = conf_check(c, err, sizeof(err));
	if (want == NULL) {
		CU_ASSERT_EQUAL(rc, 0);
		if (rc != 0)
			fprintf(stderr, "conf_check: %s\n", err);
	} else {
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	}
	conf_free(c);
}

/* check_expect of a valid config with one key set. */
static void
check_one(const char *section, const char *key, const char *value,
    const char *want)
{
	struct conf	 c;

	conf_valid(&c);
	CU_ASSERT_EQUAL_FATAL(conf_set(&c, section, key, value), 0);
	check_expect(&c, want);
}

static void
test_confload_check_secrets(void)
{
	struct conf	 c;
	char		 err[512];

	conf_valid(&c);
	CU_ASSERT_EQUAL(conf_check(&c, err, sizeof(err)), 0);
	conf_free(&c);
	/* With no file, the message says "the config". */
	conf_defaults(&c);
	CU_ASSERT_EQUAL(conf_check(&c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "[auth] jwt_secret"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "the config"));
	c.path = strdup("/etc/r.conf");
	CU_ASSERT_EQUAL(conf_check(&c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/etc/r.conf"));
	CU_ASSERT_EQUAL(conf_set(&c, "auth", "jwt_secret", SECRET32), 0);
	CU_ASSERT_EQUAL(conf_check(&c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "[secrets] audit_key"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/etc/r.conf"));
	CU_ASSERT_EQUAL(conf_set(&c, "secrets", "audit_key", SECRET32), 0);
	CU_ASSERT_EQUAL(conf_check(&c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "[secrets] data_key"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/etc/r.conf"));
	conf_free(&c);
	check_one("auth", "jwt_secret", SECRET32 + 1, "[auth] jwt_secret");
	check_one("secrets", "audit_key", "", "[secrets] audit_key");
	check_one("secrets", "audit_key", SECRET32 + 1, "[secrets] audit_key");
	check_one("secrets", "data_key", HEX64 "0", "[secrets] data_key");
	check_one("secrets", "data_key", HEX64 + 1, "[secrets] data_key");
	check_one("secrets", "data_key",
	    "g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	    "64 hex digits");
	check_one("secrets", "data_key",
	    "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeefF",
	    NULL);
}

static void
test_confload_check_orders_and_paths(void)
{
	static const struct {
		const char	*section, *key, *value, *want;
	} rows[] = {
		{ "sched", "lease_ttl", "10", "lease_ttl must be greater" },
		{ "sched", "lease_ttl", "11", NULL },
		{ "health", "down_after", "300", "down_after must be greater" },
		{ "health", "down_after", "301", NULL },
		{ "audit", "checkpoint_file", "audit.log",
		    "[audit] checkpoint_file" },
		{ "audit", "checkpoint_file", "syslog", NULL },
		{ "audit", "checkpoint_file", "/var/log/audit", NULL },
		{ "metrics", "shared_file", "m.blk", "[metrics] shared_file" },
		{ "metrics", "shared_file", "/run/m.blk", NULL },
		{ "auth", "cache_file", "a.blk", "[auth] cache_file" },
		{ "auth", "cache_file", "/run/a.blk", NULL },
		{ "pages", "static_dir", "static", "[pages] static_dir" },
		{ "pages", "static_dir", "/srv/static", NULL },
		{ "pages", "base_url", "status.example.com", "[pages] base_url" },
		{ "pages", "base_url", "ftp://status.example.com",
		    "[pages] base_url" },
		{ "pages", "base_url", "https://status.example.com", NULL },
		{ "pages", "base_url", "http://status.example.com", NULL },
		/* Several servers (Galera nodes); each must parse (dbnodes). */
		{ "database", "host", "db1:3307, db2, [fd00::3]:3306", NULL },
		{ "database", "host", "db1, db2:99999", "\"db2:99999\" is not" },
		{ "database", "host", "", "[database] host is empty" },
		{ "database", "sync_wait", "1", NULL },
	};
	size_t	 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_one(rows[i].section, rows[i].key, rows[i].value,
		    rows[i].want);
}

/* check_expect of a valid config with [smtp] host, from and key set. */
static void
smtp_case(const char *host, const char *from, const char *key,
    const char *value, const char *want)
{
	struct conf	 c;

	conf_valid(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "host", host), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "from", from), 0);
	if (key != NULL) {
		CU_ASSERT_EQUAL_FATAL(conf_set(&c, "smtp", key, value), 0);
	}
	check_expect(&c, want);
}

static void
test_confload_check_smtp(void)
{
	struct conf	 c;
	char		 name[202];

	/* No host: nothing else of [smtp] is looked at. */
	check_one("smtp", "from", "not an address", NULL);
	smtp_case("mail.example.com", "ops@example.com", NULL, NULL, NULL);
	smtp_case("[mail.example.com]", "ops@example.com", NULL, NULL,
	    "[smtp] host");
	smtp_case("mail.example.com:25", "ops@example.com", NULL, NULL,
	    "[smtp] host");
	smtp_case("mail.example.com", "", NULL, NULL, "[smtp] from");
	smtp_case("mail.example.com", "ops", NULL, NULL, "[smtp] from");
	smtp_case("mail.example.com", "ops@example.com", "from_name",
	    "Ops\tTeam", "[smtp] from_name");
	smtp_case("mail.example.com", "ops@example.com", "from_name",
	    "Ops\x7f", "[smtp] from_name");
	/* Longer than a config line holds: refused where it comes in. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	conf_valid(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "from_name", name), -1);
	conf_free(&c);
	smtp_case("mail.example.com", "ops@example.com", "from_name",
	    "Ops Team", NULL);
	/* Without from_name, [pages] title is the name, checked the same. */
	conf_valid(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "host", "mail.example.com"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "from", "ops@example.com"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "pages", "title", "Acme\x01" "Bcc: x"), 0);
	check_expect(&c, "[smtp] from_name");
	smtp_case("mail.example.com", "ops@example.com", "user", "ops",
	    "user and password go together");
	smtp_case("mail.example.com", "ops@example.com", "password", "pw",
	    "user and password go together");
	smtp_case("mail.example.com", "ops@example.com", "ca_file", "ca.pem",
	    "[smtp] ca_file");
	smtp_case("mail.example.com", "ops@example.com", "ca_file",
	    "/etc/ssl/ca.pem", NULL);
	/* Plain SMTP only to this machine. */
	smtp_case("mail.example.com", "ops@example.com", "starttls", "false",
	    "in clear");
	smtp_case("10.0.0.1", "ops@example.com", "starttls", "false",
	    "in clear");
	smtp_case("::2", "ops@example.com", "starttls", "false", "in clear");
	smtp_case("localhost", "ops@example.com", "starttls", "false", NULL);
	smtp_case("127.1.2.3", "ops@example.com", "starttls", "false", NULL);
	smtp_case("::1", "ops@example.com", "starttls", "false", NULL);
	/* smtps is TLS too. */
	conf_valid(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "host", "mail.example.com"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "from", "ops@example.com"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "starttls", "false"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "smtp", "smtps", "true"), 0);
	check_expect(&c, NULL);
}

/* What conf_write writes, conf_load reads back to the same values. */
static void
test_confload_write_reads_back(void)
{
	struct conf	 c, back;
	char		 err[512], path[64];
	FILE		*f;
	int		 fd;

	env_clear();
	conf_valid(&c);
	CU_ASSERT_EQUAL(conf_set(&c, "database", "port", "3310"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "database", "ssl_verify", "false"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "auth", "token_ttl", "120"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "http", "body_max", "4096"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "log", "level", "error"), 0);
	CU_ASSERT_EQUAL(conf_set(&c, "pages", "title", "Acme status"), 0);
	snprintf(path, sizeof(path), "/tmp/resilops-conf-XXXXXX");
	CU_ASSERT_FATAL((fd = mkstemp(path)) != -1);
	CU_ASSERT_FATAL((f = fdopen(fd, "w")) != NULL);
	CU_ASSERT_EQUAL(conf_write(&c, f), 0);
	fclose(f);
	CU_ASSERT_EQUAL(conf_load(&back, path, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(back.db.port, 3310);
	CU_ASSERT_FALSE(back.db.ssl_verify);
	CU_ASSERT_TRUE(back.smtp.verify);
	CU_ASSERT_EQUAL(back.auth.token_ttl, 120);
	CU_ASSERT_EQUAL(back.http.body_max, 4096);
	CU_ASSERT_EQUAL(back.log_level, LOG_LVL_ERR);
	CU_ASSERT_STRING_EQUAL(back.pages.title, "Acme status");
	CU_ASSERT_STRING_EQUAL(back.secrets.data_key, HEX64);
	CU_ASSERT_STRING_EQUAL(back.db.password, "");
	CU_ASSERT_EQUAL(conf_check(&back, err, sizeof(err)), 0);
	conf_free(&back);
	/* A string key left NULL is written empty. */
	free(c.db.socket);
	c.db.socket = NULL;
	CU_ASSERT_FATAL((f = fopen(path, "w")) != NULL);
	CU_ASSERT_EQUAL(conf_write(&c, f), 0);
	fclose(f);
	CU_ASSERT_EQUAL(conf_load(&back, path, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(back.db.socket, "");
	conf_free(&back);
	/* A stream that fails is reported. */
	CU_ASSERT_FATAL((f = fopen(path, "r")) != NULL);
	CU_ASSERT_EQUAL(conf_write(&c, f), -1);
	fclose(f);
	conf_free(&c);
	unlink(path);
	env_restore();
}

static const struct unit_test tests[] = {
	{ "test_confload_every_type", test_confload_every_type },
	{ "test_confload_bool_spellings", test_confload_bool_spellings },
	{ "test_confload_numbers_bounded", test_confload_numbers_bounded },
	{ "test_confload_refusals_name_the_key",
	    test_confload_refusals_name_the_key },
	{ "test_confload_file_missing_or_open",
	    test_confload_file_missing_or_open },
	{ "test_confload_env_overrides", test_confload_env_overrides },
	{ "test_confload_check_secrets", test_confload_check_secrets },
	{ "test_confload_check_orders_and_paths",
	    test_confload_check_orders_and_paths },
	{ "test_confload_check_smtp", test_confload_check_smtp },
	{ "test_confload_write_reads_back", test_confload_write_reads_back },
};

int
suite_confload(void)
{
	return UNIT_SUITE("confload", tests);
}
