/*
 * resilops-admin: the operator's command line.
 *
 *   resilops-admin init PATH [section.key=value ...]
 *   resilops-admin [-c config] setup [--admin NAME] [--email EMAIL] [section.key=value ...]
 *   resilops-admin [-c config] migrate
 *   resilops-admin [-c config] user add USERNAME ROLE [EMAIL]   (password on stdin)
 *   resilops-admin [-c config] user list
 *   resilops-admin [-c config] user set-role USERNAME ROLE
 *   resilops-admin [-c config] user passwd USERNAME              (password on stdin)
 *   resilops-admin [-c config] audit verify [--checkpoint FILE]
 *   resilops-admin [-c config] audit checkpoint [--file PATH]
 *   resilops-admin [-c config] keys rotate                      (re-seal under the newest data key)
 *   resilops-admin [-c config] tickets retally [ID ...]         (the ticket analytics' aggregates again)
 *   resilops-admin [-c config] recount                          (the lists' kept totals again)
 *   resilops-admin [-c config] smtp-test [--subject TEXT] [--body TEXT] ADDRESS
 *   resilops-admin [-c config] import [--dry-run] [--mysql SPEC | --mysql-config FILE] [--sqlite PATH]
 *
 * Exit status: 0 done, 1 failed, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin.h"
#include "api/authcache.h"
#include "core/perm.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_user.h"
#include "db/migrate.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/password.h"

#define EXIT_USAGE 2

static struct conf	 cfg;
static struct db	*db;
static char		 actor[128];	/* "cli:<os user>" in audit entries */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: resilops-admin init PATH [section.key=value ...]\n"
	    "       resilops-admin [-c config] setup [--admin NAME] "
	    "[--email EMAIL] [section.key=value ...]\n"
	    "       resilops-admin [-c config] migrate\n"
	    "       resilops-admin [-c config] user add USERNAME ROLE [EMAIL]\n"
	    "       resilops-admin [-c config] user list\n"
	    "       resilops-admin [-c config] user set-role USERNAME ROLE\n"
	    "       resilops-admin [-c config] user passwd USERNAME\n"
	    "       resilops-admin [-c config] audit verify [--checkpoint FILE]\n"
	    "       resilops-admin [-c config] audit checkpoint [--file PATH]\n"
	    "       resilops-admin [-c config] audit seal\n"
	    "       resilops-admin [-c config] keys rotate\n"
	    "       resilops-admin [-c config] tickets retally [ID ...]\n"
	    "       resilops-admin [-c config] recount\n"
	    "       resilops-admin [-c config] smtp-test [--subject TEXT] "
	    "[--body TEXT] ADDRESS\n"
	    "       resilops-admin [-c config] import [--dry-run] [--mysql SPEC "
	    "| --mysql-config FILE] [--sqlite PATH]\n"
	    "Passwords are read from standard input, one line.\n");
	exit(EXIT_USAGE);
}

/* Why a new config could not be created, and what to do about it. */
static void
init_open_error(const char *path, int err)
{
	char	*dir, *slash;

	if (err == EEXIST) {
		fprintf(stderr, "resilops-admin: %s already exists; it is never "
		    "overwritten (its secrets may be in use): remove it first "
		    "or write another file\n", path);
		return;
	}
	if (err == ENOENT && (dir = strdup(path)) != NULL) {
		slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir)
			*slash = '\0';
		else
			snprintf(dir, strlen(dir) + 1, "%s", ".");
		fprintf(stderr, "resilops-admin: cannot create %s: the directory "
		    "%s does not exist (create it first: mkdir -p %s)\n", path,
		    dir, dir);
		free(dir);
		return;
	}
	fprintf(stderr, "resilops-admin: cannot create %s: %s\n", path,
	    strerror(err));
}

int
cmd_init(int argc, char *argv[])
{
	struct conf	 c;
	unsigned char	 raw[32];
	char		 hex[65], *eq, *dot;
	const char	*path;
	FILE		*f;
	int		 fd, i, rc = 1;

	if (argc < 2)
		usage();
	path = argv[1];
	if (conf_defaults(&c) == -1) {
		fprintf(stderr, "resilops-admin: out of memory\n");
		goto out;
	}
	/* Random secrets: 32 bytes each, written as 64 hex digits. */
	{
		static const char *const secret_keys[][2] = {
			{ "auth", "jwt_secret" }, { "secrets", "audit_key" },
			{ "secrets", "data_key" },
		};

		for (i = 0; i < 3; i++) {
			if (crypto_random(raw, sizeof(raw)) == -1)
				goto out;
			crypto_hex(raw, sizeof(raw), hex);
			/* Never write a config with an empty secret. */
			if (conf_set(&c, secret_keys[i][0], secret_keys[i][1],
			    hex) == -1) {
				fprintf(stderr, "resilops-admin: out of "
				    "memory\n");
				goto out;
			}
		}
		crypto_wipe(raw, sizeof(raw));
		crypto_wipe(hex, sizeof(hex));
	}
	for (i = 2; i < argc; i++) {
		char	 buf[1024];

		snprintf(buf, sizeof(buf), "%s", argv[i]);
		if ((eq = strchr(buf, '=')) == NULL ||
		    (dot = strchr(buf, '.')) == NULL || dot > eq) {
			fprintf(stderr, "resilops-admin: %s: expected "
			    "section.key=value\n", argv[i]);
			rc = EXIT_USAGE;
			goto out;
		}
		*eq = *dot = '\0';
		if (conf_set(&c, buf, dot + 1, eq + 1) == -1) {
			fprintf(stderr, "resilops-admin: %s: unknown key or bad "
			    "value\n", argv[i]);
			goto out;
		}
	}
	/* Never overwrite: the secrets of a running system live there. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		init_open_error(path, errno);
		goto out;
	}
	if ((f = fdopen(fd, "w")) == NULL || conf_write(&c, f) == -1 ||
	    fclose(f) != 0) {
		fprintf(stderr, "resilops-admin: %s: write failed\n", path);
		goto out;
	}
	printf("wrote %s\n", path);
	rc = 0;
out:
	crypto_wipe(raw, sizeof(raw));
	conf_free(&c);
	return rc;
}

int
cmd_migrate(void)
{
	const char	*dir = migrate_dir();
	int		 n;

	if (migrate_run(&cfg, dir, &n) == -1) {
		fprintf(stderr, "resilops-admin: migrate failed (from %s)\n", dir);
		return 1;
	}
	printf("%d migration%s applied from %s\n", n, n == 1 ? "" : "s", dir);
	return 0;
}

/* One line from stdin, without echo on a terminal; caller wipes and frees. */
static char *
read_password(void)
{
	char	*line;

	if ((line = admin_read_line("password: ")) == NULL)
		return NULL;
	if (strlen(line) < (size_t)cfg.auth.password_min) {
		fprintf(stderr, "resilops-admin: password must be at least %d "
		    "characters long\n", cfg.auth.password_min);
		crypto_wipe(line, strlen(line));
		free(line);
		return NULL;
	}
	return line;
}

static int
audit(const char *action, long long uid)
{
	struct audit_record	 r;

	memset(&r, 0, sizeof(r));
	r.ts = time(NULL);
	r.username = actor;
	r.action = action;
	r.entity = "User";
	r.entity_id = uid;
	return db_audit_append(db, &r);
}

static int
parse_role(const char *s)
{
	int	 r;

	if ((r = role_parse(s)) < 0) {
		fprintf(stderr, "resilops-admin: unknown role \"%s\"; one of: ", s);
		for (r = 0; r < ROLE__MAX; r++)
			fprintf(stderr, "%s\"%s\"", r ? ", " : "", role_name(r));
		fputc('\n', stderr);
		return -1;
	}
	return r;
}

static int
user_add(int argc, char *argv[])
{
	struct user	 u;
	char		*pw;
	int		 role, taken;

	if (argc < 3 || argc > 4)
		usage();
	if (!valid_username(argv[1], strlen(argv[1])) ||
	    (argc == 4 && !valid_username(argv[3], strlen(argv[3])))) {
		fprintf(stderr, "resilops-admin: a username or email is 1 to %d "
		    "bytes of UTF-8 without control characters\n", USERNAME_MAX);
		return 1;
	}
	if ((role = parse_role(argv[2])) < 0)
		return 1;
	if ((pw = read_password()) == NULL)
		return 1;
	memset(&u, 0, sizeof(u));
	u.username = strdup(argv[1]);
	u.email = argc == 4 ? strdup(argv[3]) : NULL;
	u.role = (enum role)role;
	u.password_hash = password_hash(pw, cfg.auth.pbkdf2_iterations);
	crypto_wipe(pw, strlen(pw));
	free(pw);
	if (u.password_hash == NULL || db_begin(db) == -1)
		goto fail;
	if ((taken = db_user_exists(db, u.username, u.email)) != 0) {
		if (taken == 1)
			fprintf(stderr, "resilops-admin: user %s already exists\n",
			    u.username);
		goto fail;
	}
	if (db_user_insert(db, &u) == -1 || audit("User Signup", u.id) == -1 ||
	    db_commit(db) == -1)
		goto fail;
	printf("user %s (%s) created with id %lld\n", u.username,
	    role_name(u.role), u.id);
	user_clear(&u);
	return 0;
fail:
	db_rollback(db);
	user_clear(&u);
	return 1;
}

static int
user_list(void)
{
	struct user	*v;
	size_t		 n, i;
	long long	 off = 0, total;

	printf("%-6s %-24s %-18s %-6s %s\n", "ID", "USERNAME", "ROLE", "ACTIVE",
	    "EMAIL");
	do {
		if (db_user_list(db, off, 1000, &v, &n, &total) == -1)
			return 1;
		for (i = 0; i < n; i++) {
			printf("%-6lld %-24s %-18s %-6s %s\n", v[i].id,
			    v[i].username, role_name(v[i].role),
			    v[i].active ? "yes" : "no",
			    v[i].email ? v[i].email : "");
			user_clear(&v[i]);
		}
		free(v);
		off += (long long)n;
	} while (n == 1000);
	return 0;
}

/* Load USERNAME, apply change, save with revocation, audit.  0 or 1. */
static int
user_change(const char *username, int role, const char *pw)
{
	struct user	 u;
	int		 rc;

	memset(&u, 0, sizeof(u));
	if (db_begin(db) == -1)
		return 1;
	if ((rc = db_user_by_login(db, username, &u)) != 1) {
		if (rc == 0)
			fprintf(stderr, "resilops-admin: no user %s\n", username);
		goto fail;
	}
	if (role >= 0)
		u.role = (enum role)role;
	if (pw != NULL) {
		free(u.password_hash);
		if ((u.password_hash = password_hash(pw,
		    cfg.auth.pbkdf2_iterations)) == NULL)
			goto fail;
	}
	if (db_user_update(db, &u, true) != 1 || audit("User Updated", u.id) == -1 ||
	    db_commit(db) == -1)
		goto fail;
	printf("user %s updated; older tokens revoked\n", u.username);
	user_clear(&u);
	return 0;
fail:
	db_rollback(db);
	user_clear(&u);
	return 1;
}

static int
cmd_user(int argc, char *argv[])
{
	char	*pw;
	int	 role, rc;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		return user_list();
	if (strcmp(argv[1], "set-role") == 0 && argc == 4) {
		if ((role = parse_role(argv[3])) < 0)
			return 1;
		return user_change(argv[2], role, NULL);
	}
	if (strcmp(argv[1], "passwd") == 0 && argc == 3) {
		if ((pw = read_password()) == NULL)
			return 1;
		rc = user_change(argv[2], -1, pw);
		crypto_wipe(pw, strlen(pw));
		free(pw);
		return rc;
	}
	usage();
	return EXIT_USAGE;
}

int
admin_open(const char *cfgpath, bool need_db)
{
	struct passwd	*pw;
	char		 err[512];

	/* On failure nothing stays open (admin_close's work is done). */
	if (conf_load(&cfg, cfgpath, err, sizeof(err)) == -1 ||
	    conf_check(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "resilops-admin: %s\n", err);
		admin_close();
		return -1;
	}
	if (!need_db)
		return 0;
	pw = getpwuid(getuid());
	snprintf(actor, sizeof(actor), "cli:%s", pw ? pw->pw_name : "?");
	if ((db = db_new(&cfg)) == NULL || db_ready(db) == -1) {
		fprintf(stderr, "resilops-admin: cannot reach the database\n");
		admin_close();
		return -1;
	}
	/*
	 * An account changed here is dropped from this host's token cache
	 * at once, when the workers keep it in a file that exists (never
	 * created here: as root it would be root's); otherwise the web
	 * hosts see the change count within a second.
	 */
	if (cfg.auth.cache_file[0] != '\0' && access(cfg.auth.cache_file,
	    F_OK) == 0 && authcache_init(cfg.auth.cache_file,
	    cfg.auth.token_cache) == 0)
		db_set_commit_hook(authcache_commit_hook);
	return 0;
}

void
admin_close(void)
{
	db_free(db);
	db = NULL;
	conf_free(&cfg);
}

int
admin_first_admin(const char *name, const char *email)
{
	struct user	*v;
	size_t		 n, i;
	long long	 off = 0, total;
	char		*args[5];
	int		 found = 0;

	do {
		if (db_user_list(db, off, 1000, &v, &n, &total) == -1)
			return 1;
		for (i = 0; i < n; i++) {
			if (v[i].role == ROLE_ADMIN && v[i].active && !found) {
				printf("an admin exists already (%s): none "
				    "created\n", v[i].username);
				found = 1;
			}
			user_clear(&v[i]);
		}
		free(v);
		off += (long long)n;
	} while (n == 1000);
	if (found)
		return 0;
	args[0] = (char *)"add";
	args[1] = (char *)name;
	args[2] = (char *)"admin";
	args[3] = (char *)email;
	args[4] = NULL;
	return user_add(email != NULL ? 4 : 3, args);
}

int
main(int argc, char *argv[])
{
	const char	*cfgpath = NULL;
	int		 ch, rc;

	log_init("resilops-admin", LOG_LVL_WARN, 0);
	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c':
			cfgpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "init") == 0)
		return cmd_init(argc, argv);
	if (strcmp(argv[0], "setup") == 0) {
		if ((rc = cmd_setup(cfgpath, argc, argv)) == -2)
			usage();
		return rc;
	}

	if (admin_open(cfgpath, false) == -1)
		return 1;
	if (strcmp(argv[0], "migrate") == 0) {
		rc = cmd_migrate();
		conf_free(&cfg);
		return rc;
	}
	/* Mail needs no database: it works while MariaDB is down too. */
	if (strcmp(argv[0], "smtp-test") == 0) {
		if ((rc = cmd_smtp_test(&cfg, argc, argv)) == -2)
			usage();
		conf_free(&cfg);
		return rc;
	}
	conf_free(&cfg);
	if (admin_open(cfgpath, true) == -1)
		return 1;
	if (strcmp(argv[0], "user") == 0)
		rc = cmd_user(argc, argv);
	else if (strcmp(argv[0], "audit") == 0) {
		if ((rc = cmd_audit(db, &cfg, argc, argv)) == -2)
			usage();
	}
	else if (strcmp(argv[0], "keys") == 0) {
		if ((rc = cmd_keys(db, &cfg, argc, argv)) == -2)
			usage();
	} else if (strcmp(argv[0], "tickets") == 0) {
		if ((rc = cmd_tickets(db, argc, argv)) == -2)
			usage();
	} else if (strcmp(argv[0], "recount") == 0) {
		if ((rc = cmd_recount(db, argc, argv)) == -2)
			usage();
	} else if (strcmp(argv[0], "import") == 0) {
		if ((rc = cmd_import(db, &cfg, argc, argv)) == -2)
			usage();
	} else
		usage(), rc = EXIT_USAGE;
	admin_close();
	return rc;
}
