/*
 * Roles and permissions: one table maps each role to what it may do.
 * Routes name permissions, never roles (CONTRACT section 2).
 */
#ifndef RO_PERM_H
#define RO_PERM_H

#include <stdbool.h>

enum role {
	ROLE_ADMIN,
	ROLE_BUSINESS_OWNER,
	ROLE_OPS_ANALYST,
	ROLE_ENGINEER,
	ROLE_MANAGER,
	ROLE_SENIOR_TECHNICIAN,
	ROLE_TECHNICIAN,
	ROLE_AUDITOR,
	ROLE_USER,
	ROLE__MAX
};

enum perm {
	PERM_PUBLIC,		/* no credential needed */
	PERM_AUTH,		/* any authenticated user: reads, downtime log, own notifications */
	PERM_SERVICE_WRITE,	/* create/update/delete services, BIA, status */
	PERM_RISK_WRITE,	/* automated and manual risk scores */
	PERM_ALERT_ACK,		/* acknowledge alerts */
	PERM_INTEGRATIONS,	/* add/list/delete integrations */
	PERM_DEPENDENCY_MAP,	/* read the dependency map */
	PERM_TICKETS_ALL,	/* every ticket, SLA config, workload, delete */
	PERM_TICKETS_OWN,	/* tickets assigned to or created by the caller */
	PERM_SECURITY_AUDIT,	/* /api/v1/security/audit-logs */
	PERM_USERS,		/* user administration */
	PERM_API_KEYS,		/* API key administration */
	PERM_TOKENIZE,
	PERM_DETOKENIZE,
	PERM_SCAN,
	PERM_TICKETS_ESCALATED,	/* the escalated tickets (all, or those assigned) */
	PERM_TICKETS_WORK,	/* be assigned tickets: accept, progress, reassign target */
	PERM_USERS_READ,	/* list users (to assign tickets) */
	PERM_HEARTBEAT,		/* write a service's status (heartbeats) */
	PERM_INCIDENTS,		/* incidents and maintenance windows */
	PERM__MAX
};

/*
 * Role from its name, case-insensitively, also in the SLA Guard
 * spellings (MANAGER, SENIOR_TECHNICIAN, ...).  -1 if unknown.
 */
int	 role_parse(const char *);
/* The stored spelling ("Business Owner"); NULL if out of range. */
const char *role_name(enum role);
/* The SLA Guard clients' spelling ("BUSINESS_OWNER"); NULL if out of range. */
const char *role_name_upper(enum role);
/*
 * What a role may do, as a mask of 1 << enum perm: a request's
 * principal starts from it (an API key narrows it further).
 */
unsigned role_perms(enum role);
/* Whether a mask holds perm (PERM_PUBLIC and PERM_AUTH: always). */
bool	 perms_may(unsigned mask, enum perm);
/* Whether role may do perm: perms_may(role_perms(role), perm). */
bool	 role_may(enum role, enum perm);
/* Permission name for logs and docs ("service_write"); NULL if out of range. */
const char *perm_name(enum perm);

/*
 * What an API key may do (CONTRACT 6), on top of what its creator may:
 * read (GET), write (any other method), admin (user, key and audit
 * administration, scans), heartbeat (write the status of services and
 * nothing else), tokenize, detokenize.
 */
enum key_perm {
	KEY_READ,
	KEY_WRITE,
	KEY_ADMIN,
	KEY_HEARTBEAT,
	KEY_TOKENIZE,
	KEY_DETOKENIZE,
	KEY_PERM__MAX
};

/* Its name ("heartbeat"), NULL out of range; parse: exact, -1 unknown. */
const char *key_perm_name(enum key_perm);
int	 key_perm_parse(const char *);
/*
 * The route permissions a key holding key_bits (1 << enum key_perm) may
 * use of its creator's role_mask.
 */
unsigned key_perms_mask(unsigned role_mask, unsigned key_bits);
/*
 * Whether such a key may make a request of this kind: a route needing
 * heartbeat, tokenize or detokenize, with that key permission; any
 * other, read for GET and HEAD and write for the rest.
 */
bool	 key_request_ok(unsigned key_bits, bool reading, enum perm);

#endif
