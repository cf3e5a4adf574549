/*
 * core/perm: every row of the CONTRACT section 2 table, and the role
 * spellings that role_parse accepts.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/perm.h"
#include "suites.h"

/* Whether exactly the roles in the list (ending in ROLE__MAX) may do p. */
static bool
only_roles(enum perm p, const enum role *list)
{
	bool	 want[ROLE__MAX] = { false };
	int	 r;

	for (; *list != ROLE__MAX; list++)
		want[*list] = true;
	for (r = 0; r < ROLE__MAX; r++)
		if (role_may((enum role)r, p) != want[r])
			return false;
	return true;
}

static void
test_perm_public_everyone(void)
{
	int	 r;
	bool	 all = true;

	for (r = 0; r < ROLE__MAX; r++)
		all = all && role_may((enum role)r, PERM_PUBLIC);
	CU_ASSERT_TRUE(all);
}

static void
test_perm_auth_everyone(void)
{
	int	 r;
	bool	 all = true;

	for (r = 0; r < ROLE__MAX; r++)
		all = all && role_may((enum role)r, PERM_AUTH);
	CU_ASSERT_TRUE(all);
}

static void
test_perm_admin_everything(void)
{
	int	 p;
	bool	 all = true;

	for (p = 0; p < PERM__MAX; p++)
		all = all && role_may(ROLE_ADMIN, (enum perm)p);
	CU_ASSERT_TRUE(all);
}

static void
test_perm_service_write_business_owner(void)
{
	static const enum role	 r[] = {
		ROLE_ADMIN, ROLE_BUSINESS_OWNER, ROLE__MAX
	};

	CU_ASSERT_TRUE(only_roles(PERM_SERVICE_WRITE, r));
}

static void
test_perm_risk_write_ops_analyst(void)
{
	static const enum role	 r[] = {
		ROLE_ADMIN, ROLE_OPS_ANALYST, ROLE__MAX
	};

	CU_ASSERT_TRUE(only_roles(PERM_RISK_WRITE, r));
}

static void
test_perm_alert_ack_ops_analyst(void)
{
	static const enum role	 r[] = {
		ROLE_ADMIN, ROLE_OPS_ANALYST, ROLE__MAX
	};

	CU_ASSERT_TRUE(only_roles(PERM_ALERT_ACK, r));
}

static void
test_perm_incidents(void)
{
	static const enum role	 r[] = {
		ROLE_ADMIN, ROLE_BUSINESS_OWNER, ROLE_OPS_ANALYST, ROLE__MAX
	};

	CU_ASSERT_TRUE(only_roles(PERM_INCIDENTS, r));
	CU_ASSERT_STRING_EQUAL(perm_name(PERM_INCIDENTS), "incidents");
}

static void
test_perm_integrations_engineer(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE_ENGINEER, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_INTEGRATIONS, r));
}

static void
test_perm_dependency_map_engineer(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE_ENGINEER, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_DEPENDENCY_MAP, r));
}

static void
test_perm_tokenize_engineer(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE_ENGINEER, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_TOKENIZE, r));
}

static void
test_perm_tickets_all_manager(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE_MANAGER, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_TICKETS_ALL, r));
}

static void
test_perm_tickets_own_technicians(void)
{
	static const enum role	 r[] = {
		ROLE_ADMIN, ROLE_MANAGER, ROLE_SENIOR_TECHNICIAN,
		ROLE_TECHNICIAN, ROLE__MAX
	};

	CU_ASSERT_TRUE(only_roles(PERM_TICKETS_OWN, r));
}

static void
test_perm_security_audit_auditor(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE_AUDITOR, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_SECURITY_AUDIT, r));
}

static void
test_perm_users_admin_only(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_USERS, r));
}

static void
test_perm_api_keys_admin_only(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_API_KEYS, r));
}

static void
test_perm_detokenize_admin_only(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_DETOKENIZE, r));
}

static void
test_perm_scan_admin_only(void)
{
	static const enum role	 r[] = { ROLE_ADMIN, ROLE__MAX };

	CU_ASSERT_TRUE(only_roles(PERM_SCAN, r));
}

static void
test_perm_user_nothing_beyond_auth(void)
{
	int	 p;
	bool	 none = true;

	for (p = PERM_AUTH + 1; p < PERM__MAX; p++)
		none = none && !role_may(ROLE_USER, (enum perm)p);
	CU_ASSERT_TRUE(none);
}

static void
test_perm_out_of_range_refused(void)
{

	CU_ASSERT_FALSE(role_may(ROLE__MAX, PERM_AUTH));
}

static void
test_perm_role_parse_stored_spellings(void)
{
	int	 r;
	bool	 all = true;

	for (r = 0; r < ROLE__MAX; r++)
		all = all && role_parse(role_name((enum role)r)) == r;
	CU_ASSERT_TRUE(all);
}

static void
test_perm_role_parse_case_insensitive(void)
{

	CU_ASSERT_EQUAL(role_parse("bUSINESS oWNER"), ROLE_BUSINESS_OWNER);
}

static void
test_perm_role_parse_admin_upper(void)
{

	CU_ASSERT_EQUAL(role_parse("ADMIN"), ROLE_ADMIN);
}

static void
test_perm_role_parse_sla_manager(void)
{

	CU_ASSERT_EQUAL(role_parse("MANAGER"), ROLE_MANAGER);
}

static void
test_perm_role_parse_sla_technician(void)
{

	CU_ASSERT_EQUAL(role_parse("TECHNICIAN"), ROLE_TECHNICIAN);
}

static void
test_perm_role_parse_sla_senior_technician(void)
{

	CU_ASSERT_EQUAL(role_parse("SENIOR_TECHNICIAN"),
	    ROLE_SENIOR_TECHNICIAN);
}

static void
test_perm_role_parse_sla_user(void)
{

	CU_ASSERT_EQUAL(role_parse("USER"), ROLE_USER);
}

static void
test_perm_role_parse_underscore_any_role(void)
{

	CU_ASSERT_EQUAL(role_parse("BUSINESS_OWNER"), ROLE_BUSINESS_OWNER);
}

static void
test_perm_role_parse_unknown(void)
{

	CU_ASSERT_EQUAL(role_parse("superuser"), -1);
}

static void
test_perm_role_parse_prefix_unknown(void)
{

	CU_ASSERT_EQUAL(role_parse("Senior"), -1);
}

static void
test_perm_role_parse_trailing_space_unknown(void)
{

	CU_ASSERT_EQUAL(role_parse("admin "), -1);
}

static void
test_perm_role_parse_empty_unknown(void)
{

	CU_ASSERT_EQUAL(role_parse(""), -1);
}

static void
test_perm_role_parse_null_unknown(void)
{

	CU_ASSERT_EQUAL(role_parse(NULL), -1);
}

static void
test_perm_role_name_stored_spelling(void)
{

	CU_ASSERT_STRING_EQUAL(role_name(ROLE_SENIOR_TECHNICIAN),
	    "Senior Technician");
}

static void
test_perm_role_name_out_of_range(void)
{

	CU_ASSERT_PTR_NULL(role_name(ROLE__MAX));
}

static void
test_perm_name_every_perm(void)
{
	int	 p;
	bool	 all = true;

	for (p = 0; p < PERM__MAX; p++)
		all = all && perm_name((enum perm)p) != NULL &&
		    *perm_name((enum perm)p) != '\0';
	CU_ASSERT_TRUE(all);
}

static void
test_perm_name_spelling(void)
{

	CU_ASSERT_STRING_EQUAL(perm_name(PERM_SERVICE_WRITE), "service_write");
}

static void
test_perm_name_out_of_range(void)
{

	CU_ASSERT_PTR_NULL(perm_name(PERM__MAX));
}

/* A principal's mask is its role's; an empty mask still reads (PERM_AUTH). */
static void
test_perm_masks(void)
{
	int	 r, p;

	for (r = 0; r < ROLE__MAX; r++)
		for (p = 0; p < PERM__MAX; p++)
			CU_ASSERT_EQUAL(perms_may(role_perms((enum role)r),
			    (enum perm)p), role_may((enum role)r, (enum perm)p));
	CU_ASSERT_TRUE(perms_may(0, PERM_AUTH));
	CU_ASSERT_TRUE(perms_may(0, PERM_PUBLIC));
	CU_ASSERT_FALSE(perms_may(0, PERM_USERS));
	CU_ASSERT_FALSE(perms_may(~0u, PERM__MAX));
	CU_ASSERT_EQUAL(role_perms(ROLE__MAX), 0);
	/* A narrowed mask (an API key's) loses what it does not name. */
	CU_ASSERT_FALSE(perms_may(role_perms(ROLE_ADMIN) &
	    ~(1u << PERM_DETOKENIZE), PERM_DETOKENIZE));
}

/* A key narrows its creator: never more than the creator holds. */
static void
test_perm_key_narrows(void)
{
	unsigned	 admin = role_perms(ROLE_ADMIN);
	unsigned	 owner = role_perms(ROLE_BUSINESS_OWNER);
	unsigned	 read = 1u << KEY_READ, hb = 1u << KEY_HEARTBEAT;

	CU_ASSERT_FALSE(perms_may(key_perms_mask(admin, read), PERM_USERS));
	CU_ASSERT_TRUE(perms_may(key_perms_mask(admin, read | (1u << KEY_ADMIN)),
	    PERM_USERS));
	CU_ASSERT_FALSE(perms_may(key_perms_mask(admin, read), PERM_DETOKENIZE));
	CU_ASSERT_TRUE(perms_may(key_perms_mask(admin, 1u << KEY_DETOKENIZE),
	    PERM_DETOKENIZE));
	/* An owner's admin key still cannot detokenize: the owner cannot. */
	CU_ASSERT_FALSE(perms_may(key_perms_mask(owner, ~0u), PERM_DETOKENIZE));
	CU_ASSERT_TRUE(perms_may(key_perms_mask(owner, hb), PERM_HEARTBEAT));
	CU_ASSERT_FALSE(perms_may(key_perms_mask(owner, hb), PERM_SERVICE_WRITE));
}

/* read lets a key GET, write do the rest; heartbeat only the status. */
static void
test_perm_key_requests(void)
{
	unsigned	 read = 1u << KEY_READ, write = 1u << KEY_WRITE;
	unsigned	 hb = 1u << KEY_HEARTBEAT;

	CU_ASSERT_TRUE(key_request_ok(read, true, PERM_AUTH));
	CU_ASSERT_FALSE(key_request_ok(read, false, PERM_AUTH));
	CU_ASSERT_TRUE(key_request_ok(write, false, PERM_SERVICE_WRITE));
	CU_ASSERT_FALSE(key_request_ok(write, true, PERM_AUTH));
	CU_ASSERT_TRUE(key_request_ok(hb, false, PERM_HEARTBEAT));
	CU_ASSERT_FALSE(key_request_ok(hb, true, PERM_AUTH));
	CU_ASSERT_FALSE(key_request_ok(hb, false, PERM_SERVICE_WRITE));
	CU_ASSERT_TRUE(key_request_ok(0, true, PERM_PUBLIC));
	CU_ASSERT_EQUAL(key_perm_parse("detokenize"), KEY_DETOKENIZE);
	CU_ASSERT_EQUAL(key_perm_parse("wallet"), -1);
	CU_ASSERT_STRING_EQUAL(key_perm_name(KEY_HEARTBEAT), "heartbeat");
}

static const struct unit_test tests[] = {
	{ "test_perm_key_narrows", test_perm_key_narrows },
	{ "test_perm_key_requests", test_perm_key_requests },
	{ "test_perm_masks", test_perm_masks },
	{ "test_perm_public_everyone", test_perm_public_everyone },
	{ "test_perm_auth_everyone", test_perm_auth_everyone },
	{ "test_perm_admin_everything", test_perm_admin_everything },
	{ "test_perm_service_write_business_owner",
	    test_perm_service_write_business_owner },
	{ "test_perm_risk_write_ops_analyst",
	    test_perm_risk_write_ops_analyst },
	{ "test_perm_alert_ack_ops_analyst", test_perm_alert_ack_ops_analyst },
	{ "test_perm_incidents", test_perm_incidents },
	{ "test_perm_integrations_engineer", test_perm_integrations_engineer },
	{ "test_perm_dependency_map_engineer",
	    test_perm_dependency_map_engineer },
	{ "test_perm_tokenize_engineer", test_perm_tokenize_engineer },
	{ "test_perm_tickets_all_manager", test_perm_tickets_all_manager },
	{ "test_perm_tickets_own_technicians",
	    test_perm_tickets_own_technicians },
	{ "test_perm_security_audit_auditor",
	    test_perm_security_audit_auditor },
	{ "test_perm_users_admin_only", test_perm_users_admin_only },
	{ "test_perm_api_keys_admin_only", test_perm_api_keys_admin_only },
	{ "test_perm_detokenize_admin_only", test_perm_detokenize_admin_only },
	{ "test_perm_scan_admin_only", test_perm_scan_admin_only },
	{ "test_perm_user_nothing_beyond_auth",
	    test_perm_user_nothing_beyond_auth },
	{ "test_perm_out_of_range_refused", test_perm_out_of_range_refused },
	{ "test_perm_role_parse_stored_spellings",
	    test_perm_role_parse_stored_spellings },
	{ "test_perm_role_parse_case_insensitive",
	    test_perm_role_parse_case_insensitive },
	{ "test_perm_role_parse_admin_upper",
	    test_perm_role_parse_admin_upper },
	{ "test_perm_role_parse_sla_manager",
	    test_perm_role_parse_sla_manager },
	{ "test_perm_role_parse_sla_technician",
	    test_perm_role_parse_sla_technician },
	{ "test_perm_role_parse_sla_senior_technician",
	    test_perm_role_parse_sla_senior_technician },
	{ "test_perm_role_parse_sla_user", test_perm_role_parse_sla_user },
	{ "test_perm_role_parse_underscore_any_role",
	    test_perm_role_parse_underscore_any_role },
	{ "test_perm_role_parse_unknown", test_perm_role_parse_unknown },
	{ "test_perm_role_parse_prefix_unknown",
	    test_perm_role_parse_prefix_unknown },
	{ "test_perm_role_parse_trailing_space_unknown",
	    test_perm_role_parse_trailing_space_unknown },
	{ "test_perm_role_parse_empty_unknown",
	    test_perm_role_parse_empty_unknown },
	{ "test_perm_role_parse_null_unknown",
	    test_perm_role_parse_null_unknown },
	{ "test_perm_role_name_stored_spelling",
	    test_perm_role_name_stored_spelling },
	{ "test_perm_role_name_out_of_range",
	    test_perm_role_name_out_of_range },
	{ "test_perm_name_every_perm", test_perm_name_every_perm },
	{ "test_perm_name_spelling", test_perm_name_spelling },
	{ "test_perm_name_out_of_range", test_perm_name_out_of_range },
};

int
suite_perm(void)
{

	return UNIT_SUITE("perm", tests);
}
