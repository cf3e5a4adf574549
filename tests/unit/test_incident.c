/*
 * core/incident: the words' tables both ways, what an out-of-range
 * value reads as, and what an update does to its incident.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <CUnit/CUnit.h>

#include "core/incident.h"
#include "suites.h"

static void
test_incident_words_round_trip(void)
{
	int	 i;

	for (i = 0; i < INCIDENT_IMPACT__MAX; i++) {
		CU_ASSERT_EQUAL(incident_impact_parse(incident_impact_name(
		    (enum incident_impact)i)), i);
		/* The label is the name, capitalised. */
		CU_ASSERT_EQUAL(strcasecmp(incident_impact_label(
		    (enum incident_impact)i), incident_impact_choices[i]), 0);
	}
	for (i = 0; i < INCIDENT_STATUS__MAX; i++) {
		CU_ASSERT_EQUAL(incident_status_parse(incident_status_name(
		    (enum incident_status)i)), i);
		CU_ASSERT_EQUAL(strcasecmp(incident_status_label(
		    (enum incident_status)i), incident_status_choices[i]), 0);
	}
	CU_ASSERT_PTR_NULL(incident_impact_choices[INCIDENT_IMPACT__MAX]);
	CU_ASSERT_PTR_NULL(incident_status_choices[INCIDENT_STATUS__MAX]);
	CU_ASSERT_EQUAL(incident_status_parse("RESOLVED"), INCIDENT_RESOLVED);
	CU_ASSERT_EQUAL(incident_impact_parse("Major"), INCIDENT_MAJOR);
}

static void
test_incident_unknown_words(void)
{
	CU_ASSERT_EQUAL(incident_impact_parse("severe"), -1);
	CU_ASSERT_EQUAL(incident_impact_parse(""), -1);
	CU_ASSERT_EQUAL(incident_impact_parse(NULL), -1);
	CU_ASSERT_EQUAL(incident_status_parse("closed"), -1);
	CU_ASSERT_EQUAL(incident_status_parse(NULL), -1);
	/* A stored value out of range reads as the mildest. */
	CU_ASSERT_STRING_EQUAL(incident_impact_name(INCIDENT_IMPACT__MAX),
	    "minor");
	CU_ASSERT_STRING_EQUAL(incident_impact_label(INCIDENT_IMPACT__MAX),
	    "Minor");
	CU_ASSERT_STRING_EQUAL(incident_status_name(INCIDENT_STATUS__MAX),
	    "investigating");
	CU_ASSERT_STRING_EQUAL(incident_status_label(
	    (enum incident_status)-1), "Investigating");
}

static void
test_incident_apply_resolves_and_reopens(void)
{
	struct incident	 inc;

	memset(&inc, 0, sizeof(inc));
	inc.created_at = 100;
	incident_apply(&inc, INCIDENT_IDENTIFIED, 200);
	CU_ASSERT_EQUAL(inc.status, INCIDENT_IDENTIFIED);
	CU_ASSERT_EQUAL(inc.resolved_at, 0);
	CU_ASSERT_EQUAL(inc.updated_at, 200);
	incident_apply(&inc, INCIDENT_RESOLVED, 300);
	CU_ASSERT_EQUAL(inc.status, INCIDENT_RESOLVED);
	CU_ASSERT_EQUAL(inc.resolved_at, 300);
	/* Any other status reopens it. */
	incident_apply(&inc, INCIDENT_MONITORING, 400);
	CU_ASSERT_EQUAL(inc.resolved_at, 0);
	CU_ASSERT_EQUAL(inc.updated_at, 400);
	CU_ASSERT_EQUAL(inc.created_at, 100);
}

static void
test_incident_clear_frees_and_zeroes(void)
{
	struct incident	 inc;
	size_t		 i;

	memset(&inc, 0, sizeof(inc));
	inc.id = 5;
	inc.title = strdup("Database down");
	inc.created_by = strdup("ops");
	inc.nservices = 2;
	inc.service_ids = calloc(2, sizeof(*inc.service_ids));
	inc.nupdates = 3;
	inc.updates = calloc(3, sizeof(*inc.updates));
	CU_ASSERT_FATAL(inc.title != NULL && inc.service_ids != NULL &&
	    inc.updates != NULL);
	for (i = 0; i < inc.nupdates; i++) {
		inc.updates[i].message = strdup("looking");
		inc.updates[i].created_by = strdup("ops");
	}
	incident_clear(&inc);
	CU_ASSERT_EQUAL(inc.id, 0);
	CU_ASSERT_PTR_NULL(inc.title);
	CU_ASSERT_PTR_NULL(inc.updates);
	CU_ASSERT_EQUAL(inc.nupdates, 0);
	/* Cleared twice: the second finds nothing to free. */
	incident_clear(&inc);
	CU_ASSERT_EQUAL(inc.nservices, 0);
}

static const struct unit_test tests[] = {
	{ "test_incident_words_round_trip", test_incident_words_round_trip },
	{ "test_incident_unknown_words", test_incident_unknown_words },
	{ "test_incident_apply_resolves_and_reopens",
	    test_incident_apply_resolves_and_reopens },
	{ "test_incident_clear_frees_and_zeroes",
	    test_incident_clear_frees_and_zeroes },
};

int
suite_incident(void)
{
	return UNIT_SUITE("incident", tests);
}
