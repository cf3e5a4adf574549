/*
 * Roles and permissions: the one table that says what each role may
 * do (CONTRACT section 2).  Routes name permissions; only this file
 * knows which roles hold them.
 */
#include "config.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/perm.h"

#define P(p)		(1u << (p))
#define PERM_ALL	((1u << PERM__MAX) - 1)

static_assert(PERM__MAX <= 31, "permissions must fit an unsigned bitmask");

static const struct {
	const char	*name;	/* stored spelling */
	const char	*upper;	/* the SLA Guard clients' spelling */
	unsigned	 perms;	/* bitmask of 1 << enum perm */
} roles[] = {
	[ROLE_ADMIN] = { "admin", "ADMIN", PERM_ALL },
	[ROLE_BUSINESS_OWNER] = { "Business Owner", "BUSINESS_OWNER",
	    P(PERM_SERVICE_WRITE) | P(PERM_HEARTBEAT) | P(PERM_INCIDENTS) },
	[ROLE_OPS_ANALYST] = { "Ops Analyst", "OPS_ANALYST",
	    P(PERM_RISK_WRITE) | P(PERM_ALERT_ACK) | P(PERM_INCIDENTS) },
	[ROLE_ENGINEER] = { "Engineer", "ENGINEER",
	    P(PERM_INTEGRATIONS) | P(PERM_DEPENDENCY_MAP) | P(PERM_TOKENIZE) },
	[ROLE_MANAGER] = { "Manager", "MANAGER",
	    P(PERM_TICKETS_ALL) | P(PERM_TICKETS_OWN) | P(PERM_TICKETS_ESCALATED) |
	    P(PERM_USERS_READ) },
	[ROLE_SENIOR_TECHNICIAN] = { "Senior Technician", "SENIOR_TECHNICIAN",
	    P(PERM_TICKETS_OWN) | P(PERM_TICKETS_ESCALATED) | P(PERM_TICKETS_WORK) },
	[ROLE_TECHNICIAN] = { "Technician", "TECHNICIAN",
	    P(PERM_TICKETS_OWN) | P(PERM_TICKETS_WORK) },
	[ROLE_AUDITOR] = { "Auditor", "AUDITOR", P(PERM_SECURITY_AUDIT) },
	[ROLE_USER] = { "user", "USER", 0 },
};
static_assert(sizeof(roles) / sizeof(roles[0]) == ROLE__MAX,
    "roles must have a row for every enum role");

static const char *const perm_names[] = {
	[PERM_PUBLIC] = "public",
	[PERM_AUTH] = "auth",
	[PERM_SERVICE_WRITE] = "service_write",
	[PERM_RISK_WRITE] = "risk_write",
	[PERM_ALERT_ACK] = "alert_ack",
	[PERM_INTEGRATIONS] = "integrations",
	[PERM_DEPENDENCY_MAP] = "dependency_map",
	[PERM_TICKETS_ALL] = "tickets_all",
	[PERM_TICKETS_OWN] = "tickets_own",
	[PERM_SECURITY_AUDIT] = "security_audit",
	[PERM_USERS] = "users",
	[PERM_API_KEYS] = "api_keys",
	[PERM_TOKENIZE] = "tokenize",
	[PERM_DETOKENIZE] = "detokenize",
	[PERM_SCAN] = "scan",
	[PERM_TICKETS_ESCALATED] = "tickets_escalated",
	[PERM_TICKETS_WORK] = "tickets_work",
	[PERM_USERS_READ] = "users_read",
	[PERM_HEARTBEAT] = "heartbeat",
	[PERM_INCIDENTS] = "incidents",
};
static_assert(sizeof(perm_names) / sizeof(perm_names[0]) == PERM__MAX,
    "perm_names must name every enum perm");

/* ASCII case folding with '_' taken as ' ' (SLA Guard's SENIOR_TECHNICIAN). */
static int
role_fold(unsigned char c)
{

	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c == '_' ? ' ' : c;
}

int
role_parse(const char *s)
{
	const char	*a, *b;
	int		 r;

	if (s == NULL)
		return -1;
	for (r = 0; r < ROLE__MAX; r++) {
		for (a = s, b = roles[r].name; *a != '\0' && *b != '\0';
		    a++, b++)
			if (role_fold(*a) != role_fold(*b))
				break;
		if (*a == '\0' && *b == '\0')
			return r;
	}
	return -1;
}

const char *
role_name(enum role r)
{

	if ((unsigned)r >= ROLE__MAX)
		return NULL;
	return roles[r].name;
}

const char *
role_name_upper(enum role r)
{

	if ((unsigned)r >= ROLE__MAX)
		return NULL;
	return roles[r].upper;
}

unsigned
role_perms(enum role r)
{

	if ((unsigned)r >= ROLE__MAX)
		return 0;
	return roles[r].perms;
}

bool
perms_may(unsigned mask, enum perm p)
{

	if ((unsigned)p >= PERM__MAX)
		return false;
	if (p == PERM_PUBLIC || p == PERM_AUTH)
		return true;
	return (mask & P(p)) != 0;
}

bool
role_may(enum role r, enum perm p)
{

	if ((unsigned)r >= ROLE__MAX)
		return false;
	return perms_may(roles[r].perms, p);
}

const char *
perm_name(enum perm p)
{

	if ((unsigned)p >= PERM__MAX)
		return NULL;
	return perm_names[p];
}

static const char *const key_perm_names[KEY_PERM__MAX] = {
	[KEY_READ] = "read",
	[KEY_WRITE] = "write",
	[KEY_ADMIN] = "admin",
	[KEY_HEARTBEAT] = "heartbeat",
	[KEY_TOKENIZE] = "tokenize",
	[KEY_DETOKENIZE] = "detokenize",
};

/* What each key permission opens of the creator's permissions. */
#define ADMIN_PERMS	(P(PERM_USERS) | P(PERM_API_KEYS) | P(PERM_SCAN) | \
	P(PERM_SECURITY_AUDIT))
#define OWN_PERMS	(P(PERM_HEARTBEAT) | P(PERM_TOKENIZE) | \
	P(PERM_DETOKENIZE))

static const unsigned key_opens[KEY_PERM__MAX] = {
	[KEY_READ] = PERM_ALL & ~(ADMIN_PERMS | OWN_PERMS),
	[KEY_WRITE] = (PERM_ALL & ~(ADMIN_PERMS | OWN_PERMS)) | P(PERM_HEARTBEAT),
	[KEY_ADMIN] = ADMIN_PERMS,
	[KEY_HEARTBEAT] = P(PERM_HEARTBEAT),
	[KEY_TOKENIZE] = P(PERM_TOKENIZE),
	[KEY_DETOKENIZE] = P(PERM_DETOKENIZE),
};

const char *
key_perm_name(enum key_perm k)
{

	if ((unsigned)k >= KEY_PERM__MAX)
		return NULL;
	return key_perm_names[k];
}

int
key_perm_parse(const char *s)
{
	int	 k;

	for (k = 0; s != NULL && k < KEY_PERM__MAX; k++)
		if (strcmp(s, key_perm_names[k]) == 0)
			return k;
	return -1;
}

unsigned
key_perms_mask(unsigned role_mask, unsigned key_bits)
{
	unsigned	 open = 0;
	int		 k;

	for (k = 0; k < KEY_PERM__MAX; k++)
		if (key_bits & (1u << k))
			open |= key_opens[k];
	return role_mask & open;
}

bool
key_request_ok(unsigned key_bits, bool reading, enum perm p)
{
	static const struct { enum perm perm; enum key_perm key; } own[] = {
		{ PERM_HEARTBEAT, KEY_HEARTBEAT },
		{ PERM_TOKENIZE, KEY_TOKENIZE },
		{ PERM_DETOKENIZE, KEY_DETOKENIZE },
	};
	size_t	 i;

	if (p == PERM_PUBLIC)
		return true;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (p == own[i].perm && (key_bits & (1u << own[i].key)))
			return true;
	return (key_bits & (1u << (reading ? KEY_READ : KEY_WRITE))) != 0;
}
