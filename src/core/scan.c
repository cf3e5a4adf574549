/*
 * The scans' checks.  Each check is named in checks_performed whether
 * it finds something or not; the score starts at 100 and loses 30, 15
 * or 5 for each high, medium or low finding, down to 0.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/scan.h"

#define DAY	86400

static const char *const type_names[SCAN_TYPE__MAX] = {
	"account", "service", "api_key",
};
static const char *const severity_names[SEV__MAX] = { "low", "medium", "high" };
static const int severity_cost[SEV__MAX] = { 5, 15, 30 };

const char *
scan_type_name(enum scan_type t)
{
	return (unsigned)t < SCAN_TYPE__MAX ? type_names[t] : NULL;
}

int
scan_type_parse(const char *s)
{
	int	 i;

	for (i = 0; s != NULL && i < SCAN_TYPE__MAX; i++)
		if (strcmp(s, type_names[i]) == 0)
			return i;
	return -1;
}

const char *
scan_severity_name(enum scan_severity s)
{
	return (unsigned)s < SEV__MAX ? severity_names[s] : NULL;
}

static void
report_init(struct scan_report *r)
{
	memset(r, 0, sizeof(*r));
	r->score = 100;
}

static void
check(struct scan_report *r, const char *name)
{
	if (r->nchecks < SCAN_CHECKS_MAX)
		r->checks[r->nchecks++] = name;
}

static void
find(struct scan_report *r, enum scan_severity sev, const char *type,
    const char *recommendation, const char *fmt, ...)
{
	struct scan_finding	*f;
	va_list			 ap;

	if (r->nfindings == SCAN_FINDINGS_MAX)
		return;
	f = &r->findings[r->nfindings++];
	f->severity = sev;
	f->type = type;
	f->recommendation = recommendation;
	va_start(ap, fmt);
	vsnprintf(f->description, sizeof(f->description), fmt, ap);
	va_end(ap);
	r->score = r->score > severity_cost[sev] ? r->score - severity_cost[sev] : 0;
}

static bool
idle(time_t last, time_t created, time_t now)
{
	return (last != 0 ? last : created) <= now - SCAN_IDLE_DAYS * DAY;
}

void
scan_account(const struct scan_account *a, time_t now, struct scan_report *r)
{
	report_init(r);
	check(r, "idle_privileged_account");
	if (a->privileged && a->active && idle(a->last_login, a->created_at, now))
		find(r, SEV_HIGH, "idle_privileged_account",
		    "Deactivate the account or confirm it is still needed",
		    "A privileged account has not logged in for %d days",
		    SCAN_IDLE_DAYS);
	check(r, "failed_login_burst");
	if (a->failed_day >= SCAN_BURST)
		find(r, a->failed_day >= 4 * SCAN_BURST ? SEV_HIGH : SEV_MEDIUM,
		    "failed_login_burst", "Check the client addresses in the "
		    "audit log; reset the password if the account is at risk",
		    "%ld failed logins in the last 24 hours", a->failed_day);
	check(r, "password_hash_strength");
	if (a->iterations > 0 && a->iterations < a->iterations_wanted)
		find(r, SEV_LOW, "weak_password_hash", "Set a new password: it "
		    "is hashed with the current cost",
		    "The password hash uses %ld PBKDF2 iterations (configured: "
		    "%ld)", a->iterations, a->iterations_wanted);
	check(r, "api_keys_without_expiry");
	if (a->keys_no_expiry > 0)
		find(r, SEV_MEDIUM, "api_key_without_expiry", "Give every key an "
		    "expiry (expires_in_days)", "%ld active API keys never expire",
		    a->keys_no_expiry);
	check(r, "unused_api_keys");
	if (a->keys_idle > 0)
		find(r, SEV_LOW, "unused_api_key", "Revoke the keys nobody uses",
		    "%ld active API keys unused for %d days", a->keys_idle,
		    SCAN_IDLE_DAYS);
	check(r, "admin_api_keys");
	if (a->keys_admin > 0)
		find(r, SEV_MEDIUM, "admin_api_key", "Narrow the keys' "
		    "permissions; keep admin for people", "%ld active API keys "
		    "hold the admin permission", a->keys_admin);
}

void
scan_service(const struct scan_service *s, time_t now, struct scan_report *r)
{
	report_init(r);
	check(r, "bia_present");
	if (!s->has_bia)
		find(r, SEV_HIGH, "missing_bia", "Record the service's Business "
		    "Impact Analysis (criticality, impact, RTO, RPO)",
		    "The service has no Business Impact Analysis");
	check(r, "bia_signed_off");
	if (s->has_bia && !s->signed_off)
		find(r, SEV_MEDIUM, "unsigned_bia", "Have the service's owner "
		    "sign the BIA off", "The BIA is not signed off");
	check(r, "bia_reviewed");
	if (s->has_bia && s->reviewed_at <= now - SCAN_BIA_DAYS * DAY)
		find(r, SEV_MEDIUM, "stale_bia", "Review the BIA and sign it "
		    "off again", "The BIA was last reviewed more than %d days "
		    "ago", SCAN_BIA_DAYS);
	check(r, "integrations_over_https");
	if (s->plain_http_integrations > 0)
		find(r, SEV_HIGH, "plain_http_integration", "Use https webhook "
		    "URLs", "%ld integrations deliver over plain http",
		    s->plain_http_integrations);
	check(r, "heartbeats");
	if (s->last_heartbeat == 0)
		find(r, SEV_LOW, "no_heartbeat", "Point a monitoring agent at "
		    "the service (a heartbeat API key)",
		    "The service has never sent a heartbeat");
}

void
scan_key(const struct scan_key *k, time_t now, struct scan_report *r)
{
	report_init(r);
	check(r, "key_active");
	if (!k->active)
		find(r, SEV_LOW, "inactive_key", "Nothing to do: it no longer "
		    "authenticates", "The key is revoked");
	check(r, "owner_active");
	if (k->active && !k->owner_active)
		find(r, SEV_HIGH, "orphaned_key", "Revoke the key: its owner was "
		    "deactivated", "The key's owner is deactivated");
	check(r, "expiry");
	if (k->active && k->expires_at == 0)
		find(r, SEV_MEDIUM, "no_expiry", "Reroll it with an expiry",
		    "The key never expires");
	else if (k->active && k->expires_at <= now)
		find(r, SEV_LOW, "expired_key", "Revoke it: it no longer "
		    "authenticates, but still looks active",
		    "The key has expired");
	check(r, "recent_use");
	if (k->active && idle(k->last_used_at, k->created_at, now))
		find(r, SEV_LOW, "unused_key", "Revoke it if nobody needs it",
		    "The key has not been used for %d days", SCAN_IDLE_DAYS);
	check(r, "least_privilege");
	if (k->active && k->admin)
		find(r, SEV_MEDIUM, "admin_key", "Give it only the permissions "
		    "its agent needs", "The key holds the admin permission");
}
