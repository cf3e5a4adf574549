/*
 * core/scan: the names of scan types and severities, every check of
 * the account, service and API key scans with its thresholds at the
 * boundary, the order of checks_performed, and the score (100 less 30,
 * 15 or 5 per high, medium or low finding).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "core/scan.h"
#include "suites.h"

#define DAY	86400
#define NOW	((time_t)1750000000)	/* 2025-06-15T15:06:40Z */

/* The finding of this type in r, or NULL. */
static const struct scan_finding *
finding(const struct scan_report *r, const char *type)
{
	size_t	 i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].type != NULL &&
		    strcmp(r->findings[i].type, type) == 0)
			return &r->findings[i];
	return NULL;
}

/* Whether r performed exactly these checks, in this order. */
static bool
checks_are(const struct scan_report *r, const char *const *want, size_t n)
{
	size_t	 i;

	if (r->nchecks != n)
		return false;
	for (i = 0; i < n; i++)
		if (r->checks[i] == NULL || strcmp(r->checks[i], want[i]) != 0)
			return false;
	return true;
}

/* An account with nothing to find. */
static struct scan_account
clean_account(void)
{
	struct scan_account	 a;

	memset(&a, 0, sizeof(a));
	a.privileged = true;
	a.active = true;
	a.created_at = NOW - 400 * DAY;
	a.last_login = NOW - DAY;
	a.iterations = 600000;
	a.iterations_wanted = 600000;
	return a;
}

static struct scan_service
clean_service(void)
{
	struct scan_service	 s;

	memset(&s, 0, sizeof(s));
	s.has_bia = true;
	s.signed_off = true;
	s.reviewed_at = NOW - 30 * DAY;
	s.last_heartbeat = NOW - 60;
	return s;
}

static struct scan_key
clean_key(void)
{
	struct scan_key	 k;

	memset(&k, 0, sizeof(k));
	k.active = true;
	k.owner_active = true;
	k.created_at = NOW - 200 * DAY;
	k.expires_at = NOW + 100 * DAY;
	k.last_used_at = NOW - 3600;
	k.rate_limit = 1000;
	return k;
}

static void
test_scan_type_names(void)
{

	CU_ASSERT_STRING_EQUAL(scan_type_name(SCAN_ACCOUNT), "account");
	CU_ASSERT_STRING_EQUAL(scan_type_name(SCAN_SERVICE), "service");
	CU_ASSERT_STRING_EQUAL(scan_type_name(SCAN_API_KEY), "api_key");
	CU_ASSERT_PTR_NULL(scan_type_name(SCAN_TYPE__MAX));
	CU_ASSERT_PTR_NULL(scan_type_name((enum scan_type)-1));
}

static void
test_scan_type_parse_round_trip(void)
{
	int	 t;

	for (t = 0; t < SCAN_TYPE__MAX; t++)
		CU_ASSERT_EQUAL(scan_type_parse(scan_type_name(
		    (enum scan_type)t)), t);
}

static void
test_scan_type_parse_refuses(void)
{

	/* CONTRACT 9: anything else is a 400, spelled exactly. */
	CU_ASSERT_EQUAL(scan_type_parse(NULL), -1);
	CU_ASSERT_EQUAL(scan_type_parse(""), -1);
	CU_ASSERT_EQUAL(scan_type_parse("Account"), -1);
	CU_ASSERT_EQUAL(scan_type_parse("API_KEY"), -1);
	CU_ASSERT_EQUAL(scan_type_parse("apikey"), -1);
	CU_ASSERT_EQUAL(scan_type_parse("account "), -1);
	CU_ASSERT_EQUAL(scan_type_parse("services"), -1);
	CU_ASSERT_EQUAL(scan_type_parse("api"), -1);
}

static void
test_scan_severity_names(void)
{

	CU_ASSERT_STRING_EQUAL(scan_severity_name(SEV_LOW), "low");
	CU_ASSERT_STRING_EQUAL(scan_severity_name(SEV_MEDIUM), "medium");
	CU_ASSERT_STRING_EQUAL(scan_severity_name(SEV_HIGH), "high");
	CU_ASSERT_PTR_NULL(scan_severity_name(SEV__MAX));
	CU_ASSERT_PTR_NULL(scan_severity_name((enum scan_severity)-1));
}

static void
test_scan_account_clean(void)
{
	static const char *const want[] = {
		"idle_privileged_account", "failed_login_burst",
		"password_hash_strength", "api_keys_without_expiry",
		"unused_api_keys", "admin_api_keys",
	};
	struct scan_account	 a = clean_account();
	struct scan_report	 r;

	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
	CU_ASSERT_EQUAL(r.score, 100);
	CU_ASSERT_TRUE(checks_are(&r, want, sizeof(want) / sizeof(want[0])));
}

static void
test_scan_account_idle_privileged_boundary(void)
{
	struct scan_account		 a = clean_account();
	struct scan_report		 r;
	const struct scan_finding	*f;

	/* Exactly SCAN_IDLE_DAYS without a login is idle ... */
	a.last_login = NOW - SCAN_IDLE_DAYS * DAY;
	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "idle_privileged_account");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_HIGH);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->description, "90 days"));
	CU_ASSERT_PTR_NOT_NULL(f->recommendation);
	CU_ASSERT_EQUAL(r.score, 70);
	/* ... a second less is not. */
	a.last_login = NOW - SCAN_IDLE_DAYS * DAY + 1;
	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
	CU_ASSERT_EQUAL(r.score, 100);
}

static void
test_scan_account_never_logged_in_uses_created(void)
{
	struct scan_account	 a = clean_account();
	struct scan_report	 r;

	a.last_login = 0;
	a.created_at = NOW - SCAN_IDLE_DAYS * DAY;
	scan_account(&a, NOW, &r);
	CU_ASSERT_PTR_NOT_NULL(finding(&r, "idle_privileged_account"));
	/* A new account that never logged in is not idle yet. */
	a.created_at = NOW - DAY;
	scan_account(&a, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "idle_privileged_account"));
}

static void
test_scan_account_idle_needs_privileged_active(void)
{
	struct scan_account	 a = clean_account();
	struct scan_report	 r;

	a.last_login = NOW - 1000 * DAY;
	a.privileged = false;
	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
	a.privileged = true;
	a.active = false;
	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
}

static void
test_scan_account_failed_login_burst(void)
{
	struct scan_account		 a = clean_account();
	struct scan_report		 r;
	const struct scan_finding	*f;

	a.failed_day = SCAN_BURST - 1;
	scan_account(&a, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "failed_login_burst"));

	a.failed_day = SCAN_BURST;
	scan_account(&a, NOW, &r);
	f = finding(&r, "failed_login_burst");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);
	CU_ASSERT_STRING_EQUAL(f->description,
	    "5 failed logins in the last 24 hours");
	CU_ASSERT_EQUAL(r.score, 85);

	/* Four times the burst is an attack. */
	a.failed_day = 4 * SCAN_BURST - 1;
	scan_account(&a, NOW, &r);
	f = finding(&r, "failed_login_burst");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);

	a.failed_day = 4 * SCAN_BURST;
	scan_account(&a, NOW, &r);
	f = finding(&r, "failed_login_burst");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_HIGH);
	CU_ASSERT_STRING_EQUAL(f->description,
	    "20 failed logins in the last 24 hours");
	CU_ASSERT_EQUAL(r.score, 70);
}

static void
test_scan_account_weak_password_hash(void)
{
	struct scan_account		 a = clean_account();
	struct scan_report		 r;
	const struct scan_finding	*f;

	a.iterations = 100000;
	a.iterations_wanted = 600000;
	scan_account(&a, NOW, &r);
	f = finding(&r, "weak_password_hash");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_LOW);
	CU_ASSERT_STRING_EQUAL(f->description, "The password hash uses 100000 "
	    "PBKDF2 iterations (configured: 600000)");
	CU_ASSERT_EQUAL(r.score, 95);
	/* The configured cost, or more, is strong enough. */
	a.iterations = 600000;
	scan_account(&a, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "weak_password_hash"));
	a.iterations = 600001;
	scan_account(&a, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "weak_password_hash"));
	/* 0: not a PBKDF2 hash, nothing to compare. */
	a.iterations = 0;
	scan_account(&a, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "weak_password_hash"));
}

static void
test_scan_account_api_keys(void)
{
	struct scan_account		 a = clean_account();
	struct scan_report		 r;
	const struct scan_finding	*f;

	a.keys_no_expiry = 2;
	a.keys_idle = 3;
	a.keys_admin = 4;
	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 3);
	f = finding(&r, "api_key_without_expiry");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);
	CU_ASSERT_STRING_EQUAL(f->description,
	    "2 active API keys never expire");
	f = finding(&r, "unused_api_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_LOW);
	CU_ASSERT_STRING_EQUAL(f->description,
	    "3 active API keys unused for 90 days");
	f = finding(&r, "admin_api_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);
	CU_ASSERT_STRING_EQUAL(f->description,
	    "4 active API keys hold the admin permission");
	CU_ASSERT_EQUAL(r.score, 100 - 15 - 5 - 15);
}

static void
test_scan_account_worst_scores_zero(void)
{
	struct scan_account	 a = clean_account();
	struct scan_report	 r;
	size_t			 i;

	a.last_login = 0;
	a.created_at = NOW - 1000 * DAY;
	a.failed_day = 100;
	a.iterations = 1000;
	a.keys_no_expiry = a.keys_idle = a.keys_admin = 1;
	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 6);
	/* 30 + 30 + 5 + 15 + 5 + 15 = 100. */
	CU_ASSERT_EQUAL(r.score, 0);
	for (i = 0; i < r.nfindings; i++) {
		CU_ASSERT_PTR_NOT_NULL(r.findings[i].type);
		CU_ASSERT_PTR_NOT_NULL(r.findings[i].recommendation);
		CU_ASSERT(r.findings[i].description[0] != '\0');
	}
}

static void
test_scan_report_reset(void)
{
	struct scan_account	 a = clean_account();
	struct scan_service	 s = clean_service();
	struct scan_report	 r;

	/* A report full of an earlier scan starts afresh. */
	a.failed_day = 100;
	a.keys_admin = 1;
	scan_account(&a, NOW, &r);
	CU_ASSERT_EQUAL_FATAL(r.nfindings, 2);
	scan_service(&s, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
	CU_ASSERT_EQUAL(r.nchecks, 5);
	CU_ASSERT_EQUAL(r.score, 100);
}

static void
test_scan_service_clean(void)
{
	static const char *const want[] = {
		"bia_present", "bia_signed_off", "bia_reviewed",
		"integrations_over_https", "heartbeats",
	};
	struct scan_service	 s = clean_service();
	struct scan_report	 r;

	scan_service(&s, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
	CU_ASSERT_EQUAL(r.score, 100);
	CU_ASSERT_TRUE(checks_are(&r, want, sizeof(want) / sizeof(want[0])));
}

static void
test_scan_service_missing_bia(void)
{
	struct scan_service		 s = clean_service();
	struct scan_report		 r;
	const struct scan_finding	*f;

	/* Without a BIA, its sign-off and age are not findings too. */
	s.has_bia = false;
	s.signed_off = false;
	s.reviewed_at = 0;
	scan_service(&s, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "missing_bia");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_HIGH);
	CU_ASSERT_EQUAL(r.score, 70);
	CU_ASSERT_EQUAL(r.nchecks, 5);
}

static void
test_scan_service_unsigned_bia(void)
{
	struct scan_service		 s = clean_service();
	struct scan_report		 r;
	const struct scan_finding	*f;

	s.signed_off = false;
	scan_service(&s, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "unsigned_bia");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);
	CU_ASSERT_EQUAL(r.score, 85);
}

static void
test_scan_service_stale_bia_boundary(void)
{
	struct scan_service		 s = clean_service();
	struct scan_report		 r;
	const struct scan_finding	*f;

	s.reviewed_at = NOW - SCAN_BIA_DAYS * DAY;
	scan_service(&s, NOW, &r);
	f = finding(&r, "stale_bia");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->description, "365 days"));
	CU_ASSERT_EQUAL(r.score, 85);
	s.reviewed_at = NOW - SCAN_BIA_DAYS * DAY + 1;
	scan_service(&s, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
}

static void
test_scan_service_plain_http(void)
{
	struct scan_service		 s = clean_service();
	struct scan_report		 r;
	const struct scan_finding	*f;

	s.plain_http_integrations = 3;
	scan_service(&s, NOW, &r);
	f = finding(&r, "plain_http_integration");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_HIGH);
	CU_ASSERT_STRING_EQUAL(f->description,
	    "3 integrations deliver over plain http");
	CU_ASSERT_EQUAL(r.score, 70);
}

static void
test_scan_service_no_heartbeat(void)
{
	struct scan_service		 s = clean_service();
	struct scan_report		 r;
	const struct scan_finding	*f;

	s.last_heartbeat = 0;
	scan_service(&s, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "no_heartbeat");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_LOW);
	CU_ASSERT_EQUAL(r.score, 95);
	/* Staleness is the daemon's business: any heartbeat will do. */
	s.last_heartbeat = NOW - 1000 * DAY;
	scan_service(&s, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "no_heartbeat"));
}

static void
test_scan_service_worst(void)
{
	struct scan_service	 s = clean_service();
	struct scan_report	 r;

	s.signed_off = false;
	s.reviewed_at = 0;
	s.plain_http_integrations = 1;
	s.last_heartbeat = 0;
	scan_service(&s, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 4);
	CU_ASSERT_EQUAL(r.score, 100 - 15 - 15 - 30 - 5);
}

static void
test_scan_key_clean(void)
{
	static const char *const want[] = {
		"key_active", "owner_active", "expiry", "recent_use",
		"least_privilege",
	};
	struct scan_key		 k = clean_key();
	struct scan_report	 r;

	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
	CU_ASSERT_EQUAL(r.score, 100);
	CU_ASSERT_TRUE(checks_are(&r, want, sizeof(want) / sizeof(want[0])));
}

static void
test_scan_key_inactive_only_finding(void)
{
	struct scan_key			 k = clean_key();
	struct scan_report		 r;
	const struct scan_finding	*f;

	/* A revoked key no longer authenticates: nothing else matters. */
	k.active = false;
	k.owner_active = false;
	k.expires_at = 0;
	k.last_used_at = 0;
	k.created_at = NOW - 1000 * DAY;
	k.admin = true;
	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "inactive_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_LOW);
	CU_ASSERT_EQUAL(r.score, 95);
	CU_ASSERT_EQUAL(r.nchecks, 5);
}

static void
test_scan_key_orphaned(void)
{
	struct scan_key			 k = clean_key();
	struct scan_report		 r;
	const struct scan_finding	*f;

	k.owner_active = false;
	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "orphaned_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_HIGH);
	CU_ASSERT_EQUAL(r.score, 70);
}

static void
test_scan_key_no_expiry(void)
{
	struct scan_key			 k = clean_key();
	struct scan_report		 r;
	const struct scan_finding	*f;

	k.expires_at = 0;
	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "no_expiry");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);
	CU_ASSERT_EQUAL(r.score, 85);
}

static void
test_scan_key_expired(void)
{
	struct scan_key			 k = clean_key();
	struct scan_report		 r;
	const struct scan_finding	*f;

	k.expires_at = NOW + 1;
	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 0);
	k.expires_at = NOW;
	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "expired_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_LOW);
	CU_ASSERT_EQUAL(r.score, 95);
	/* A revoked key that also expired is only inactive. */
	k.active = false;
	scan_key(&k, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "expired_key"));
}

static void
test_scan_key_unused_boundary(void)
{
	struct scan_key			 k = clean_key();
	struct scan_report		 r;
	const struct scan_finding	*f;

	k.last_used_at = NOW - SCAN_IDLE_DAYS * DAY;
	scan_key(&k, NOW, &r);
	f = finding(&r, "unused_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_LOW);
	CU_ASSERT_EQUAL(r.score, 95);
	k.last_used_at = NOW - SCAN_IDLE_DAYS * DAY + 1;
	scan_key(&k, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "unused_key"));
	/* Never used: its age counts. */
	k.last_used_at = 0;
	k.created_at = NOW - SCAN_IDLE_DAYS * DAY;
	scan_key(&k, NOW, &r);
	CU_ASSERT_PTR_NOT_NULL(finding(&r, "unused_key"));
	k.created_at = NOW - DAY;
	scan_key(&k, NOW, &r);
	CU_ASSERT_PTR_NULL(finding(&r, "unused_key"));
}

static void
test_scan_key_admin(void)
{
	struct scan_key			 k = clean_key();
	struct scan_report		 r;
	const struct scan_finding	*f;

	k.admin = true;
	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 1);
	f = finding(&r, "admin_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, SEV_MEDIUM);
	CU_ASSERT_EQUAL(r.score, 85);
}

static void
test_scan_key_worst(void)
{
	struct scan_key		 k = clean_key();
	struct scan_report	 r;

	k.owner_active = false;
	k.expires_at = 0;
	k.last_used_at = 0;
	k.created_at = NOW - 1000 * DAY;
	k.admin = true;
	scan_key(&k, NOW, &r);
	CU_ASSERT_EQUAL(r.nfindings, 4);
	CU_ASSERT_PTR_NULL(finding(&r, "inactive_key"));
	CU_ASSERT_EQUAL(r.score, 100 - 30 - 15 - 5 - 15);
}

static const struct unit_test tests[] = {
	{ "test_scan_type_names", test_scan_type_names },
	{ "test_scan_type_parse_round_trip", test_scan_type_parse_round_trip },
	{ "test_scan_type_parse_refuses", test_scan_type_parse_refuses },
	{ "test_scan_severity_names", test_scan_severity_names },
	{ "test_scan_account_clean", test_scan_account_clean },
	{ "test_scan_account_idle_privileged_boundary",
	    test_scan_account_idle_privileged_boundary },
	{ "test_scan_account_never_logged_in_uses_created",
	    test_scan_account_never_logged_in_uses_created },
	{ "test_scan_account_idle_needs_privileged_active",
	    test_scan_account_idle_needs_privileged_active },
	{ "test_scan_account_failed_login_burst",
	    test_scan_account_failed_login_burst },
	{ "test_scan_account_weak_password_hash",
	    test_scan_account_weak_password_hash },
	{ "test_scan_account_api_keys", test_scan_account_api_keys },
	{ "test_scan_account_worst_scores_zero",
	    test_scan_account_worst_scores_zero },
	{ "test_scan_report_reset", test_scan_report_reset },
	{ "test_scan_service_clean", test_scan_service_clean },
	{ "test_scan_service_missing_bia", test_scan_service_missing_bia },
	{ "test_scan_service_unsigned_bia", test_scan_service_unsigned_bia },
	{ "test_scan_service_stale_bia_boundary",
	    test_scan_service_stale_bia_boundary },
	{ "test_scan_service_plain_http", test_scan_service_plain_http },
	{ "test_scan_service_no_heartbeat", test_scan_service_no_heartbeat },
	{ "test_scan_service_worst", test_scan_service_worst },
	{ "test_scan_key_clean", test_scan_key_clean },
	{ "test_scan_key_inactive_only_finding",
	    test_scan_key_inactive_only_finding },
	{ "test_scan_key_orphaned", test_scan_key_orphaned },
	{ "test_scan_key_no_expiry", test_scan_key_no_expiry },
	{ "test_scan_key_expired", test_scan_key_expired },
	{ "test_scan_key_unused_boundary", test_scan_key_unused_boundary },
	{ "test_scan_key_admin", test_scan_key_admin },
	{ "test_scan_key_worst", test_scan_key_worst },
};

int
suite_scan(void)
{
	return UNIT_SUITE("scan", tests);
}
