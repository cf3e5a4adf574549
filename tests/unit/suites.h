/* The CUnit suites, one per module; each file registers its own. */
#ifndef RO_SUITES_H
#define RO_SUITES_H

#include <CUnit/CUnit.h>

/* Register a suite from a table of { name, function } rows. */
struct unit_test {
	const char	*name;
	CU_TestFunc	 fn;
};
int	 unit_suite(const char *name, const struct unit_test *, size_t n);
#define UNIT_SUITE(name, tests) unit_suite((name), (tests), sizeof(tests) / sizeof((tests)[0]))

int	 suite_password(void);
int	 suite_token(void);
int	 suite_isotime(void);
int	 suite_legacy(void);
int	 suite_validate(void);
int	 suite_json(void);
int	 suite_jsonw(void);
int	 suite_perm(void);
int	 suite_route(void);
int	 suite_auditchain(void);
int	 suite_auditcheckpoint(void);
int	 suite_paginate(void);
int	 suite_service(void);
int	 suite_risk(void);
int	 suite_riskwindow(void);
int	 suite_stmtcache(void);
int	 suite_authcache(void);
int	 suite_uptime(void);
int	 suite_rollupdiff(void);
int	 suite_intervaltext(void);
int	 suite_maintenance(void);
int	 suite_depgraph(void);
int	 suite_aead(void);
int	 suite_integration(void);
int	 suite_netcheck(void);
int	 suite_dbnodes(void);
int	 suite_promtext(void);
int	 suite_metrics(void);
int	 suite_mailaddr(void);
int	 suite_mailmsg(void);
int	 suite_openapi(void);
int	 suite_utf8(void);
int	 suite_clientaddr(void);
int	 suite_throttle(void);
int	 suite_log(void);
int	 suite_migrate(void);
int	 suite_tz(void);
int	 suite_slaclock(void);
int	 suite_ticket(void);
int	 suite_ticketquery(void);
int	 suite_tickettally(void);
int	 suite_keyring(void);
int	 suite_scan(void);
int	 suite_redact(void);
int	 suite_credential(void);
int	 suite_mustache(void);
int	 suite_statuspage(void);
int	 suite_atomicfile(void);
int	 suite_pages(void);
int	 suite_consolepages(void);
int	 suite_conf(void);
int	 suite_confload(void);
int	 suite_subscriber(void);
int	 suite_shmblock(void);
int	 suite_incident(void);
int	 suite_crypto(void);

#endif
