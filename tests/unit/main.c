/*
 * The unit test runner: every suite of tests/unit, run with CUnit's
 * basic interface.  Exit 0 when all pass, 1 on a failure, 99 when
 * CUnit itself fails (automake's hard error).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "suites.h"

int
unit_suite(const char *name, const struct unit_test *t, size_t n)
{
	CU_pSuite	 s;
	size_t		 i;

	if ((s = CU_add_suite(name, NULL, NULL)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (CU_add_test(s, t[i].name, t[i].fn) == NULL)
			return -1;
	return 0;
}

static int (*const suites[])(void) = {
	suite_password,
	suite_token,
	suite_isotime,
	suite_legacy,
	suite_validate,
	suite_json,
	suite_jsonw,
	suite_perm,
	suite_route,
	suite_auditchain,
	suite_auditcheckpoint,
	suite_paginate,
	suite_service,
	suite_risk,
	suite_riskwindow,
	suite_stmtcache,
	suite_authcache,
	suite_uptime,
	suite_rollupdiff,
	suite_intervaltext,
	suite_maintenance,
	suite_depgraph,
	suite_aead,
	suite_integration,
	suite_netcheck,
	suite_dbnodes,
	suite_promtext,
	suite_metrics,
	suite_mailaddr,
	suite_mailmsg,
	suite_openapi,
	suite_utf8,
	suite_clientaddr,
	suite_throttle,
	suite_log,
	suite_migrate,
	suite_tz,
	suite_slaclock,
	suite_ticket,
	suite_ticketquery,
	suite_tickettally,
	suite_keyring,
	suite_scan,
	suite_redact,
	suite_credential,
	suite_mustache,
	suite_statuspage,
	suite_atomicfile,
	suite_pages,
	suite_consolepages,
	suite_conf,
	suite_confload,
	suite_subscriber,
	suite_shmblock,
	suite_incident,
	suite_crypto,
};

int
main(int argc, char *argv[])
{
	size_t		 i;
	unsigned	 failed;

	(void)argc;
	(void)argv;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 99;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i]() != 0) {
			CU_cleanup_registry();
			return 99;
		}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed() + CU_get_number_of_failures();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
