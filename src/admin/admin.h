/*
 * resilops-admin's commands kept in files of their own.
 */
#ifndef RO_ADMIN_H
#define RO_ADMIN_H

struct conf;
struct db;

/*
 * keys rotate: re-seal every secret at rest under the newest key.  The
 * exit status (0 done, 1 something is left or failed), or -2 for a
 * usage error.
 */
int	 cmd_keys(struct db *, const struct conf *, int argc, char *argv[]);

/*
 * smtp-test [--subject TEXT] [--body TEXT] ADDRESS: one message through
 * [smtp].  The exit status (0 sent, 1 not), or -2 for a usage error.
 */
int	 cmd_smtp_test(const struct conf *, int argc, char *argv[]);

#endif
