/*
 * core/service: parsing is case-insensitive, "Healthy" means Up, names
 * are the one canonical spelling, and the V_ENUM choice lists are in
 * the seed's order (which is not the enum order).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/service.h"
#include "core/validate.h"
#include "suites.h"

static void
test_service_status_parse(void)
{

	CU_ASSERT_EQUAL(status_parse("Up"), STATUS_UP);
	CU_ASSERT_EQUAL(status_parse("Degraded"), STATUS_DEGRADED);
	CU_ASSERT_EQUAL(status_parse("Down"), STATUS_DOWN);
	CU_ASSERT_EQUAL(status_parse("Unknown"), STATUS_UNKNOWN);
}

static void
test_service_status_case_insensitive(void)
{

	CU_ASSERT_EQUAL(status_parse("up"), STATUS_UP);
	CU_ASSERT_EQUAL(status_parse("DOWN"), STATUS_DOWN);
	CU_ASSERT_EQUAL(status_parse("dEgRaDeD"), STATUS_DEGRADED);
	CU_ASSERT_EQUAL(status_parse("unknown"), STATUS_UNKNOWN);
}

static void
test_service_status_healthy_is_up(void)
{

	CU_ASSERT_EQUAL(status_parse("Healthy"), STATUS_UP);
	CU_ASSERT_EQUAL(status_parse("healthy"), STATUS_UP);
	CU_ASSERT_STRING_EQUAL(status_name(status_parse("HEALTHY")), "Up");
}

static void
test_service_status_invalid(void)
{

	CU_ASSERT_EQUAL(status_parse(NULL), -1);
	CU_ASSERT_EQUAL(status_parse(""), -1);
	CU_ASSERT_EQUAL(status_parse("Up "), -1);
	CU_ASSERT_EQUAL(status_parse("Unhealthy"), -1);
	CU_ASSERT_EQUAL(status_parse("Dow"), -1);
}

static void
test_service_status_name(void)
{

	CU_ASSERT_STRING_EQUAL(status_name(STATUS_UP), "Up");
	CU_ASSERT_STRING_EQUAL(status_name(STATUS_DEGRADED), "Degraded");
	CU_ASSERT_STRING_EQUAL(status_name(STATUS_DOWN), "Down");
	CU_ASSERT_STRING_EQUAL(status_name(STATUS_UNKNOWN), "Unknown");
	CU_ASSERT_STRING_EQUAL(status_name(STATUS__MAX), "Unknown");
}

static void
test_service_criticality(void)
{

	CU_ASSERT_EQUAL(criticality_parse("High"), CRIT_HIGH);
	CU_ASSERT_EQUAL(criticality_parse("medium"), CRIT_MEDIUM);
	CU_ASSERT_EQUAL(criticality_parse("LOW"), CRIT_LOW);
	CU_ASSERT_EQUAL(criticality_parse("Severe"), -1);
	CU_ASSERT_EQUAL(criticality_parse(""), -1);
	CU_ASSERT_EQUAL(criticality_parse(NULL), -1);
	CU_ASSERT_STRING_EQUAL(criticality_name(CRIT_HIGH), "High");
	CU_ASSERT_STRING_EQUAL(criticality_name(CRIT_MEDIUM), "Medium");
	CU_ASSERT_STRING_EQUAL(criticality_name(CRIT_LOW), "Low");
	CU_ASSERT_PTR_NULL(criticality_name(CRIT_NONE));
	CU_ASSERT_PTR_NULL(criticality_name(CRIT__MAX));
}

static void
test_service_impact(void)
{

	CU_ASSERT_EQUAL(impact_parse("Low"), IMPACT_LOW);
	CU_ASSERT_EQUAL(impact_parse("medium"), IMPACT_MEDIUM);
	CU_ASSERT_EQUAL(impact_parse("HIGH"), IMPACT_HIGH);
	CU_ASSERT_EQUAL(impact_parse("severe"), IMPACT_SEVERE);
	CU_ASSERT_EQUAL(impact_parse("moderate"), IMPACT_MODERATE);
	CU_ASSERT_EQUAL(impact_parse("Critical"), -1);
	CU_ASSERT_EQUAL(impact_parse(NULL), -1);
	CU_ASSERT_STRING_EQUAL(impact_name(IMPACT_LOW), "Low");
	CU_ASSERT_STRING_EQUAL(impact_name(IMPACT_MEDIUM), "Medium");
	CU_ASSERT_STRING_EQUAL(impact_name(IMPACT_MODERATE), "Moderate");
	CU_ASSERT_STRING_EQUAL(impact_name(IMPACT_HIGH), "High");
	CU_ASSERT_STRING_EQUAL(impact_name(IMPACT_SEVERE), "Severe");
	CU_ASSERT_PTR_NULL(impact_name(IMPACT_NONE));
	CU_ASSERT_PTR_NULL(impact_name(IMPACT__MAX));
}

static void
test_service_risk_level(void)
{

	CU_ASSERT_EQUAL(risk_level_parse("Low"), RISK_LOW);
	CU_ASSERT_EQUAL(risk_level_parse("MEDIUM"), RISK_MEDIUM);
	CU_ASSERT_EQUAL(risk_level_parse("high"), RISK_HIGH);
	CU_ASSERT_EQUAL(risk_level_parse("Critical"), -1);
	CU_ASSERT_STRING_EQUAL(risk_level_name(RISK_LOW), "Low");
	CU_ASSERT_STRING_EQUAL(risk_level_name(RISK_MEDIUM), "Medium");
	CU_ASSERT_STRING_EQUAL(risk_level_name(RISK_HIGH), "High");
	CU_ASSERT_PTR_NULL(risk_level_name(RISK__MAX));
}

/* Each list is NULL-terminated and in the seed's order. */
static void
test_service_choices_order(void)
{
	static const char *const crit[] = { "High", "Medium", "Low", NULL };
	static const char *const imp[] = { "Low", "Medium", "Moderate", "High",
	    "Severe", NULL };
	static const char *const st[] = { "Up", "Degraded", "Down", "Unknown", NULL };
	static const char *const rl[] = { "Low", "Medium", "High", NULL };
	size_t	 i;

	for (i = 0; crit[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(criticality_choices[i], crit[i]);
	CU_ASSERT_PTR_NULL(criticality_choices[i]);
	for (i = 0; imp[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(impact_choices[i], imp[i]);
	CU_ASSERT_PTR_NULL(impact_choices[i]);
	for (i = 0; st[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(status_choices[i], st[i]);
	CU_ASSERT_PTR_NULL(status_choices[i]);
	for (i = 0; rl[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(risk_level_choices[i], rl[i]);
	CU_ASSERT_PTR_NULL(risk_level_choices[i]);
}

/* A V_ENUM match maps back to the enum through its canonical spelling. */
static void
test_service_choice_maps_back(void)
{
	int	 i;

	i = valid_choice("high", criticality_choices);
	CU_ASSERT_EQUAL(i, 0);
	CU_ASSERT_EQUAL(criticality_parse(criticality_choices[i]), CRIT_HIGH);
	i = valid_choice("severe", impact_choices);
	CU_ASSERT_EQUAL(i, 4);
	CU_ASSERT_EQUAL(impact_parse(impact_choices[i]), IMPACT_SEVERE);
	/* Every choice names its own enum value. */
	for (i = 0; criticality_choices[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(criticality_name(
		    criticality_parse(criticality_choices[i])),
		    criticality_choices[i]);
	for (i = 0; impact_choices[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(impact_name(
		    impact_parse(impact_choices[i])), impact_choices[i]);
	for (i = 0; status_choices[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(status_name(
		    status_parse(status_choices[i])), status_choices[i]);
	for (i = 0; risk_level_choices[i] != NULL; i++)
		CU_ASSERT_STRING_EQUAL(risk_level_name(
		    risk_level_parse(risk_level_choices[i])),
		    risk_level_choices[i]);
}

static void
test_service_messages(void)
{

	CU_ASSERT_STRING_EQUAL(STATUS_BADMSG,
	    "Status must be one of Up, Degraded, Down, Unknown");
	CU_ASSERT_STRING_EQUAL(CRITICALITY_BADMSG,
	    "Invalid criticality: must be one of High, Medium, Low");
	CU_ASSERT_STRING_EQUAL(IMPACT_BADMSG,
	    "Invalid impact: must be one of Low, Medium, Moderate, High, Severe");
}

/* A value out of any table: Unknown for a status, else no name. */
static void
test_service_names_out_of_range(void)
{
	CU_ASSERT_STRING_EQUAL(status_name(STATUS__MAX), "Unknown");
	CU_ASSERT_STRING_EQUAL(status_name((enum svc_status)-1), "Unknown");
	CU_ASSERT_STRING_EQUAL(status_name(STATUS_DOWN), "Down");
	CU_ASSERT_PTR_NULL(criticality_name(CRIT__MAX));
	CU_ASSERT_PTR_NULL(criticality_name((enum criticality)-1));
	CU_ASSERT_PTR_NULL(impact_name(IMPACT__MAX));
	CU_ASSERT_PTR_NULL(impact_name((enum impact)-1));
	CU_ASSERT_PTR_NULL(risk_level_name(RISK__MAX));
	CU_ASSERT_PTR_NULL(risk_level_name((enum risk_level)-1));
	CU_ASSERT_EQUAL(risk_level_parse(risk_level_name(RISK_HIGH)),
	    RISK_HIGH);
	CU_ASSERT_EQUAL(impact_parse(impact_name(IMPACT_SEVERE)), IMPACT_SEVERE);
}

static const struct unit_test tests[] = {
	{ "status_parse", test_service_status_parse },
	{ "status_case_insensitive", test_service_status_case_insensitive },
	{ "status_healthy_is_up", test_service_status_healthy_is_up },
	{ "status_invalid", test_service_status_invalid },
	{ "status_name", test_service_status_name },
	{ "criticality", test_service_criticality },
	{ "impact", test_service_impact },
	{ "risk_level", test_service_risk_level },
	{ "choices_order", test_service_choices_order },
	{ "choice_maps_back", test_service_choice_maps_back },
	{ "messages", test_service_messages },
	{ "test_service_names_out_of_range", test_service_names_out_of_range },
};

int
suite_service(void)
{
	return UNIT_SUITE("service", tests);
}
