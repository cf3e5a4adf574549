/*
 * core/risk: every rule of the seed's score, each boundary the issue
 * names (levels 49/50 and 79/80, rto 29/30 and 59/60, rpo 59/60,
 * downtime 120/121 minutes, 3/4/5/6 integrations), a service without
 * BIA, the reason order with every factor, and the cap at 100.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/risk.h"
#include "core/service.h"
#include "suites.h"

#define CRITICAL	"Service marked as CRITICAL based on business rules"

/* Up, with an empty BIA: nothing counts. */
static void
base(struct risk_input *in)
{

	memset(in, 0, sizeof(*in));
	in->status = STATUS_UP;
	in->has_bia = true;
	in->criticality = CRIT_LOW;
	in->impact = IMPACT_LOW;
}

static struct risk_result
score_of(const struct risk_input *in)
{
	struct risk_result	 r;

	memset(&r, 0x55, sizeof(r));
	risk_score(in, &r);
	return r;
}

static void
test_risk_nothing(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_EQUAL(r.level, RISK_LOW);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "No risks identified");
}

static void
test_risk_down(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.status = STATUS_DOWN;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 40);
	CU_ASSERT_EQUAL(r.level, RISK_LOW);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "Service is currently down");
}

static void
test_risk_other_statuses(void)
{
	struct risk_input	 in;

	base(&in);
	in.status = STATUS_DEGRADED;
	CU_ASSERT_EQUAL(score_of(&in).score, 0);
	in.status = STATUS_UNKNOWN;
	CU_ASSERT_EQUAL(score_of(&in).score, 0);
}

static void
test_risk_downtime_120_121(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.downtime_minutes_7d = 120;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_STRING_EQUAL(r.reason, "No risks identified");
	in.downtime_minutes_7d = 121;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 20);
	CU_ASSERT_FALSE(r.is_critical);	/* not Down */
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "Frequent or prolonged downtimes in the last 7 days");
}

/* Down with more than 120 minutes is critical; with 120 it is not. */
static void
test_risk_down_with_downtime_critical(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.status = STATUS_DOWN;
	in.downtime_minutes_7d = 120;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 40);
	CU_ASSERT_FALSE(r.is_critical);
	in.downtime_minutes_7d = 121;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 60);
	CU_ASSERT_EQUAL(r.level, RISK_MEDIUM);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "Service is currently down, "
	    "Frequent or prolonged downtimes in the last 7 days, " CRITICAL);
}

static void
test_risk_criticality(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.criticality = CRIT_HIGH;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 15);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "High criticality in BIA, " CRITICAL);
	in.criticality = CRIT_MEDIUM;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "Medium criticality in BIA");
	in.criticality = CRIT_LOW;
	CU_ASSERT_EQUAL(score_of(&in).score, 0);
	in.criticality = CRIT_NONE;
	CU_ASSERT_EQUAL(score_of(&in).score, 0);
}

static void
test_risk_impact(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.impact = IMPACT_HIGH;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "High impact in BIA: High, " CRITICAL);
	in.impact = IMPACT_SEVERE;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "High impact in BIA: Severe, " CRITICAL);
	in.impact = IMPACT_MEDIUM;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_FALSE(r.is_critical);
	/* The web client's Moderate scores like Medium. */
	in.impact = IMPACT_MODERATE;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "No risks identified");
	in.impact = IMPACT_NONE;
	CU_ASSERT_EQUAL(score_of(&in).score, 0);
}

static void
test_risk_rto_59_60(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.has_rto = true;
	in.rto = 59;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "RTO < 1 hour");
	in.rto = 60;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_STRING_EQUAL(r.reason, "No risks identified");
}

static void
test_risk_rto_29_30(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.has_rto = true;
	in.rto = 29;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "RTO < 1 hour, " CRITICAL);
	in.rto = 30;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "RTO < 1 hour");
}

static void
test_risk_rto_zero_and_null(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.has_rto = true;
	in.rto = 0;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_TRUE(r.is_critical);
	in.has_rto = false;	/* null rto: rto 0 here means nothing */
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_FALSE(r.is_critical);
}

static void
test_risk_rpo_59_60(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.has_rpo = true;
	in.rpo = 59;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 5);
	CU_ASSERT_FALSE(r.is_critical);	/* rpo never makes critical */
	CU_ASSERT_STRING_EQUAL(r.reason, "RPO < 1 hour");
	in.rpo = 60;
	CU_ASSERT_EQUAL(score_of(&in).score, 0);
	in.rpo = 0;
	CU_ASSERT_EQUAL(score_of(&in).score, 5);
	CU_ASSERT_FALSE(score_of(&in).is_critical);
	in.has_rpo = false;
	CU_ASSERT_EQUAL(score_of(&in).score, 0);
}

static void
test_risk_dependencies_down(void)
{
	static const char *const names[] = { "db", "cache" };
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.down_deps = names;
	in.ndown_deps = 2;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 20);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "Dependencies down: db, cache, " CRITICAL);
	in.ndown_deps = 1;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 20);
	CU_ASSERT_STRING_EQUAL(r.reason, "Dependencies down: db, " CRITICAL);
}

static void
test_risk_integrations_3_4_5_6(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.integrations = 3;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_STRING_EQUAL(r.reason, "No risks identified");
	in.integrations = 4;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "High number of integrations");
	in.integrations = 5;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 10);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "High number of integrations");
	in.integrations = 6;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 15);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "High number of integrations, "
	    "Very high integration complexity, " CRITICAL);
}

static void
test_risk_level_of_boundaries(void)
{

	CU_ASSERT_EQUAL(risk_level_of(0), RISK_LOW);
	CU_ASSERT_EQUAL(risk_level_of(49), RISK_LOW);
	CU_ASSERT_EQUAL(risk_level_of(50), RISK_MEDIUM);
	CU_ASSERT_EQUAL(risk_level_of(79), RISK_MEDIUM);
	CU_ASSERT_EQUAL(risk_level_of(80), RISK_HIGH);
	CU_ASSERT_EQUAL(risk_level_of(100), RISK_HIGH);
}

/* Scores move in steps of 5: 45/50 and 75/80 are the reachable edges. */
static void
test_risk_level_50(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.status = STATUS_DOWN;
	in.has_rpo = true;
	in.rpo = 30;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 45);
	CU_ASSERT_EQUAL(r.level, RISK_LOW);
	base(&in);
	in.status = STATUS_DOWN;
	in.criticality = CRIT_MEDIUM;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 50);
	CU_ASSERT_EQUAL(r.level, RISK_MEDIUM);
	CU_ASSERT_FALSE(r.is_critical);
}

static void
test_risk_level_80(void)
{
	static const char *const names[] = { "db" };
	struct risk_input	 in;
	struct risk_result	 r;

	/* 40 + 10 + 10 + 5 + 10: every factor that is not critical by itself. */
	base(&in);
	in.status = STATUS_DOWN;
	in.criticality = CRIT_MEDIUM;
	in.has_rto = true;
	in.rto = 45;
	in.has_rpo = true;
	in.rpo = 45;
	in.integrations = 4;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 75);
	CU_ASSERT_EQUAL(r.level, RISK_MEDIUM);
	CU_ASSERT_FALSE(r.is_critical);
	/* 40 + 20 + 20 = 80: High, and critical by score. */
	base(&in);
	in.status = STATUS_DOWN;
	in.downtime_minutes_7d = 121;
	in.down_deps = names;
	in.ndown_deps = 1;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 80);
	CU_ASSERT_EQUAL(r.level, RISK_HIGH);
	CU_ASSERT_TRUE(r.is_critical);
}

/* Without a BIA the BIA fields count nothing, whatever they hold. */
static void
test_risk_no_bia(void)
{
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.has_bia = false;
	in.criticality = CRIT_HIGH;
	in.impact = IMPACT_SEVERE;
	in.has_rto = true;
	in.rto = 0;
	in.has_rpo = true;
	in.rpo = 0;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 0);
	CU_ASSERT_FALSE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason, "No risks identified");
	in.status = STATUS_DOWN;
	in.integrations = 4;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 50);
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "Service is currently down, High number of integrations");
}

static void
test_risk_all_factors_order_and_cap(void)
{
	static const char *const names[] = { "auth", "db" };
	struct risk_input	 in;
	struct risk_result	 r;

	base(&in);
	in.status = STATUS_DOWN;
	in.downtime_minutes_7d = 500;
	in.criticality = CRIT_HIGH;
	in.impact = IMPACT_SEVERE;
	in.has_rto = true;
	in.rto = 15;
	in.has_rpo = true;
	in.rpo = 15;
	in.down_deps = names;
	in.ndown_deps = 2;
	in.integrations = 9;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 100);	/* 135 before the cap */
	CU_ASSERT_EQUAL(r.level, RISK_HIGH);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "Service is currently down, "
	    "Frequent or prolonged downtimes in the last 7 days, "
	    "High criticality in BIA, "
	    "High impact in BIA: Severe, "
	    "RTO < 1 hour, "
	    "RPO < 1 hour, "
	    "Dependencies down: auth, db, "
	    "High number of integrations, "
	    "Very high integration complexity, "
	    CRITICAL);
}

/* Exactly 100 is not cut: 40 + 20 + 15 + 10 + 10 + 5 = 100. */
static void
test_risk_cap_exact(void)
{
	struct risk_input	 in;

	base(&in);
	in.status = STATUS_DOWN;
	in.downtime_minutes_7d = 121;
	in.criticality = CRIT_HIGH;
	in.impact = IMPACT_HIGH;
	in.has_rto = true;
	in.rto = 10;
	in.has_rpo = true;
	in.rpo = 10;
	CU_ASSERT_EQUAL(score_of(&in).score, 100);
	in.integrations = 4;
	CU_ASSERT_EQUAL(score_of(&in).score, 100);
}

/*
 * A list of down dependencies too long for the reason drops that
 * factor and the ones after it; the critical marker stays.
 */
static void
test_risk_reason_cut(void)
{
	static char		 name[101];
	const char		*names[40];
	struct risk_input	 in;
	struct risk_result	 r;
	size_t			 i;

	memset(name, 'x', sizeof(name) - 1);
	for (i = 0; i < 40; i++)
		names[i] = name;
	base(&in);
	in.status = STATUS_DOWN;
	in.down_deps = names;
	in.ndown_deps = 40;
	in.integrations = 6;
	r = score_of(&in);
	CU_ASSERT_EQUAL(r.score, 75);
	CU_ASSERT_TRUE(r.is_critical);
	CU_ASSERT(strlen(r.reason) < RISK_REASON_MAX);
	CU_ASSERT_STRING_EQUAL(r.reason, "Service is currently down, " CRITICAL);
	/* 19 names fit, the integration factors after them do not. */
	in.ndown_deps = 19;
	r = score_of(&in);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "Dependencies down: xxx"));
	CU_ASSERT_PTR_NULL(strstr(r.reason, "integration"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "xxx, " CRITICAL));
	CU_ASSERT(strlen(r.reason) < RISK_REASON_MAX);
	/* 18 names: everything fits. */
	in.ndown_deps = 18;
	r = score_of(&in);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.reason,
	    "xxx, High number of integrations, "
	    "Very high integration complexity, " CRITICAL));
}

static const struct unit_test tests[] = {
	{ "nothing", test_risk_nothing },
	{ "down", test_risk_down },
	{ "other_statuses", test_risk_other_statuses },
	{ "downtime_120_121", test_risk_downtime_120_121 },
	{ "down_with_downtime_critical", test_risk_down_with_downtime_critical },
	{ "criticality", test_risk_criticality },
	{ "impact", test_risk_impact },
	{ "rto_59_60", test_risk_rto_59_60 },
	{ "rto_29_30", test_risk_rto_29_30 },
	{ "rto_zero_and_null", test_risk_rto_zero_and_null },
	{ "rpo_59_60", test_risk_rpo_59_60 },
	{ "dependencies_down", test_risk_dependencies_down },
	{ "integrations_3_4_5_6", test_risk_integrations_3_4_5_6 },
	{ "level_of_boundaries", test_risk_level_of_boundaries },
	{ "level_50", test_risk_level_50 },
	{ "level_80", test_risk_level_80 },
	{ "no_bia", test_risk_no_bia },
	{ "all_factors_order_and_cap", test_risk_all_factors_order_and_cap },
	{ "cap_exact", test_risk_cap_exact },
	{ "reason_cut", test_risk_reason_cut },
};

int
suite_risk(void)
{
	return UNIT_SUITE("risk", tests);
}
