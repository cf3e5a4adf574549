/*
 * core/dbnodes: [database] host as a list of servers: separators,
 * ports given and defaulted, IPv6 in brackets, and each way a list is
 * refused, with the entry named.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/dbnodes.h"
#include "suites.h"

static void
test_dbnodes_one_and_many(void)
{
	struct dbnode	 n[DBNODES_MAX];
	char		 err[256];

	CU_ASSERT_EQUAL(dbnodes_parse("127.0.0.1", 3306, n, DBNODES_MAX, err,
	    sizeof(err)), 1);
	CU_ASSERT_STRING_EQUAL(n[0].host, "127.0.0.1");
	CU_ASSERT_EQUAL(n[0].port, 3306);

	/* Commas, blanks or both; a port of its own or the default. */
	CU_ASSERT_EQUAL(dbnodes_parse(" db1.example:3307,db2.example, \t"
	    "[fd00::2]:4406  DB3.Example ", 3306, n, DBNODES_MAX, err,
	    sizeof(err)), 4);
	CU_ASSERT_STRING_EQUAL(n[0].host, "db1.example");
	CU_ASSERT_EQUAL(n[0].port, 3307);
	CU_ASSERT_STRING_EQUAL(n[1].host, "db2.example");
	CU_ASSERT_EQUAL(n[1].port, 3306);
	CU_ASSERT_STRING_EQUAL(n[2].host, "fd00::2");
	CU_ASSERT_EQUAL(n[2].port, 4406);
	CU_ASSERT_STRING_EQUAL(n[3].host, "db3.example");
	CU_ASSERT_EQUAL(n[3].port, 3306);

	/* One host on other ports is other nodes (three on one machine). */
	CU_ASSERT_EQUAL(dbnodes_parse("127.0.0.1:18510,127.0.0.1:18520", 3306,
	    n, DBNODES_MAX, err, sizeof(err)), 2);
}

static void
refused(const char *list, size_t max, const char *why)
{
	struct dbnode	 n[DBNODES_MAX];
	char		 err[256] = "";

	CU_ASSERT_EQUAL(dbnodes_parse(list, 3306, n, max, err, sizeof(err)),
	    -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, why));
	if (strstr(err, why) == NULL)
		fprintf(stderr, "\n%s: got \"%s\", wanted \"%s\"\n", list, err,
		    why);
}

static void
test_dbnodes_refused(void)
{
	refused("", DBNODES_MAX, "[database] host is empty");
	refused(" , ,", DBNODES_MAX, "[database] host is empty");
	refused("db1, db 2:x", DBNODES_MAX, "\"2:x\" is not a host");
	refused("db1:0", DBNODES_MAX, "\"db1:0\" is not a host");
	refused("db1:65536", DBNODES_MAX, "\"db1:65536\" is not a host");
	refused("db1:", DBNODES_MAX, "\"db1:\" is not a host");
	refused("fd00::2", DBNODES_MAX, "\"fd00::2\" is not a host");
	refused("[fd00::2", DBNODES_MAX, "\"[fd00::2\" is not a host");
	refused("db/1", DBNODES_MAX, "\"db/1\" is not a host");
	/* The same server twice, however spelt. */
	refused("db1:3306, DB1", DBNODES_MAX, "\"DB1\" is listed twice");
	refused("a,b,c,d", 3, "more than 3 servers");
}

int
suite_dbnodes(void)
{
	static const struct unit_test tests[] = {
		{ "one server and several", test_dbnodes_one_and_many },
		{ "lists refused", test_dbnodes_refused },
	};

	return UNIT_SUITE("dbnodes", tests);
}
