/*
 * core/legacy: the originals' spellings that resilops-admin import
 * reads, and the fallbacks for what it does not know.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "core/legacy.h"
#include "suites.h"

static void
test_legacy_role_flask_spelling(void)
{
	bool	 fb = true;

	CU_ASSERT_EQUAL(legacy_role("Business Owner", &fb), ROLE_BUSINESS_OWNER);
	CU_ASSERT_FALSE(fb);
}

static void
test_legacy_role_slaguard_spelling(void)
{

	CU_ASSERT_EQUAL(legacy_role("SENIOR_TECHNICIAN", NULL),
	    ROLE_SENIOR_TECHNICIAN);
	CU_ASSERT_EQUAL(legacy_role("UserRole.MANAGER", NULL), ROLE_MANAGER);
}

static void
test_legacy_role_unknown_is_user(void)
{
	bool	 fb = false;

	CU_ASSERT_EQUAL(legacy_role("superuser", &fb), ROLE_USER);
	CU_ASSERT_TRUE(fb);
	CU_ASSERT_EQUAL(legacy_role(NULL, &fb), ROLE_USER);
	CU_ASSERT_TRUE(fb);
}

static void
test_legacy_status_healthy_is_up(void)
{

	CU_ASSERT_STRING_EQUAL(legacy_status("Healthy"), "Up");
	CU_ASSERT_STRING_EQUAL(legacy_status("down"), "Down");
	CU_ASSERT_STRING_EQUAL(legacy_status("broken"), "Unknown");
	CU_ASSERT_STRING_EQUAL(legacy_status(NULL), "Unknown");
}

static void
test_legacy_priority_enum_prefix(void)
{
	bool	 fb = true;

	CU_ASSERT_EQUAL(legacy_priority("TicketPriority.CRITICAL", &fb),
	    PRIO_CRITICAL);
	CU_ASSERT_FALSE(fb);
	CU_ASSERT_EQUAL(legacy_priority("low", NULL), PRIO_LOW);
	CU_ASSERT_EQUAL(legacy_priority("urgent", &fb), PRIO_MEDIUM);
	CU_ASSERT_TRUE(fb);
}

static void
test_legacy_ticket_status_spellings(void)
{
	bool	 fb = true;

	CU_ASSERT_EQUAL(legacy_ticket_status("in progress", &fb),
	    TSTATUS_IN_PROGRESS);
	CU_ASSERT_FALSE(fb);
	CU_ASSERT_EQUAL(legacy_ticket_status("ESCALATED", NULL),
	    TSTATUS_ESCALATED);
	CU_ASSERT_EQUAL(legacy_ticket_status("closed", NULL), TSTATUS_RESOLVED);
	CU_ASSERT_EQUAL(legacy_ticket_status("", &fb), TSTATUS_OPEN);
	CU_ASSERT_TRUE(fb);
}

static void
test_legacy_notify_type_unknown_is_info(void)
{
	bool	 fb = false;

	CU_ASSERT_EQUAL(legacy_notify_type("ALERT", NULL), NOTIFY_ALERT);
	CU_ASSERT_EQUAL(legacy_notify_type("NotificationType.WARNING", NULL),
	    NOTIFY_WARNING);
	CU_ASSERT_EQUAL(legacy_notify_type("email", &fb), NOTIFY_INFO);
	CU_ASSERT_TRUE(fb);
}

static void
test_legacy_bia_levels(void)
{

	CU_ASSERT_STRING_EQUAL(legacy_criticality("high"), "High");
	CU_ASSERT_PTR_NULL(legacy_criticality("Extreme"));
	CU_ASSERT_STRING_EQUAL(legacy_impact("severe"), "Severe");
	CU_ASSERT_PTR_NULL(legacy_impact(""));
}

static void
test_legacy_bool_spellings(void)
{

	CU_ASSERT_TRUE(legacy_bool("1"));
	CU_ASSERT_TRUE(legacy_bool("True"));
	CU_ASSERT_FALSE(legacy_bool("0"));
	CU_ASSERT_FALSE(legacy_bool(NULL));
}

static void
test_legacy_time_sqlalchemy_sqlite(void)
{
	time_t	 t = 0;

	/* 2025-01-01T10:00:00Z */
	CU_ASSERT_EQUAL(legacy_time("2025-01-01 10:00:00.123456", &t), 0);
	CU_ASSERT_EQUAL(t, (time_t)1735725600);
	CU_ASSERT_EQUAL(legacy_time("", &t), -1);
	CU_ASSERT_EQUAL(legacy_time(NULL, &t), -1);
}

static const struct unit_test tests[] = {
	{ "test_legacy_role_flask_spelling", test_legacy_role_flask_spelling },
	{ "test_legacy_role_slaguard_spelling", test_legacy_role_slaguard_spelling },
	{ "test_legacy_role_unknown_is_user", test_legacy_role_unknown_is_user },
	{ "test_legacy_status_healthy_is_up", test_legacy_status_healthy_is_up },
	{ "test_legacy_priority_enum_prefix", test_legacy_priority_enum_prefix },
	{ "test_legacy_ticket_status_spellings", test_legacy_ticket_status_spellings },
	{ "test_legacy_notify_type_unknown_is_info", test_legacy_notify_type_unknown_is_info },
	{ "test_legacy_bia_levels", test_legacy_bia_levels },
	{ "test_legacy_bool_spellings", test_legacy_bool_spellings },
	{ "test_legacy_time_sqlalchemy_sqlite", test_legacy_time_sqlalchemy_sqlite },
};

int
suite_legacy(void)
{

	return UNIT_SUITE("legacy", tests);
}
