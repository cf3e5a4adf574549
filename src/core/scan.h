/*
 * Security scans (CONTRACT 6 and 9): deterministic checks of an
 * account, a service or an API key against what the store says about
 * it, each failed check a finding with a severity and a recommendation,
 * and a score derived from the findings.  Pure: the caller gathers the
 * facts (db/db_scan.c).
 */
#ifndef RO_SCAN_H
#define RO_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define SCAN_FINDINGS_MAX	16
#define SCAN_CHECKS_MAX		16
#define SCAN_IDLE_DAYS		90	/* unused this long is stale */
#define SCAN_BIA_DAYS		365	/* a BIA older than this wants review */
#define SCAN_BURST		5	/* failed logins a day that mean an attack */

enum scan_type { SCAN_ACCOUNT, SCAN_SERVICE, SCAN_API_KEY, SCAN_TYPE__MAX };
enum scan_severity { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV__MAX };

struct scan_finding {
	enum scan_severity	 severity;
	const char		*type;		/* "idle_privileged_account" */
	char			 description[200];
	const char		*recommendation;
};

struct scan_report {
	struct scan_finding	 findings[SCAN_FINDINGS_MAX];
	size_t			 nfindings;
	const char		*checks[SCAN_CHECKS_MAX];
	size_t			 nchecks;
	int			 score;		/* 0..100, 100: nothing found */
};

/* What is known of an account. */
struct scan_account {
	bool		 privileged;	/* its role administers something */
	bool		 active;
	time_t		 created_at;
	time_t		 last_login;	/* 0: never */
	long		 failed_day;	/* failed logins in the last 24 h */
	long		 iterations;	/* of its password hash; 0: not PBKDF2 */
	long		 iterations_wanted;
	long		 keys_no_expiry, keys_idle, keys_admin;	/* active keys */
};

struct scan_service {
	bool		 has_bia;
	bool		 signed_off;
	time_t		 reviewed_at;	/* the BIA's sign-off or last change */
	time_t		 last_heartbeat;	/* 0: never */
	long		 plain_http_integrations;
};

struct scan_key {
	bool		 active;
	bool		 owner_active;
	bool		 admin;		/* holds the admin permission */
	time_t		 created_at;
	time_t		 expires_at;	/* 0: never */
	time_t		 last_used_at;	/* 0: never */
	long		 rate_limit;
};

const char *scan_type_name(enum scan_type);
int	 scan_type_parse(const char *);
const char *scan_severity_name(enum scan_severity);

void	 scan_account(const struct scan_account *, time_t now,
	    struct scan_report *);
void	 scan_service(const struct scan_service *, time_t now,
	    struct scan_report *);
void	 scan_key(const struct scan_key *, time_t now, struct scan_report *);

#endif
