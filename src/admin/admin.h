/*
 * resilops-admin's commands kept in files of their own.
 */
#ifndef RO_ADMIN_H
#define RO_ADMIN_H

#include <stdbool.h>

struct conf;
struct db;

/* main.c's commands and state, for the commands in other files. */
int	 cmd_init(int argc, char *argv[]);
int	 cmd_migrate(void);
/* Load and check the config (and reach the database).  0 or -1 (said). */
int	 admin_open(const char *cfgpath, bool need_db);
void	 admin_close(void);
/*
 * One line from standard input without its newline, not echoed on a
 * terminal (prompt shown there); NULL at end of input.  The caller
 * wipes and frees it.
 */
char	*admin_read_line(const char *prompt);
/*
 * The first admin, NAME (password on stdin), unless an active admin
 * exists already (said; nothing done).  The exit status.
 */
int	 admin_first_admin(const char *name, const char *email);

/*
 * setup [--admin NAME] [--email EMAIL] [section.key=value ...]: a new
 * install in one command.  The exit status, or -2 for a usage error.
 */
int	 cmd_setup(const char *cfgpath, int argc, char *argv[]);

/*
 * audit verify [--checkpoint FILE] | checkpoint [--file PATH] | seal
 * (admin/audit.c).  The exit status, or -2 for a usage error.
 */
int	 cmd_audit(struct db *, const struct conf *, int argc, char *argv[]);

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

/*
 * import [--dry-run] [--mysql SPEC | --mysql-config FILE] [--sqlite PATH]:
 * the originals' data (admin/import.c).  The exit status (0 done, 1
 * failed, nothing written), or -2 for a usage error.
 */
int	 cmd_import(struct db *, const struct conf *, int argc, char *argv[]);

/*
 * tickets retally [ID ...]: the ticket analytics' aggregates made again
 * from the tickets, all or those named (admin/tickets.c).  The exit
 * status, or -2 for a usage error.
 */
int	 cmd_tickets(struct db *, int argc, char *argv[]);

/*
 * recount: the lists' kept counters (sql/029) counted again from their
 * tables (admin/recount.c).  The exit status, or -2 for a usage error.
 */
int	 cmd_recount(struct db *, int argc, char *argv[]);

#endif
