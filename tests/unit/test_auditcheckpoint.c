/*
 * Audit checkpoints: the v1 line as written, read back exactly, what the
 * parser refuses, and the comparison with a chain.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/auditcheckpoint.h"
#include "suites.h"

#define MAC_HEX "000102030405060708090a0b0c0d0e0f" \
	"101112131415161718191a1b1c1d1e1f"
#define LINE "resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX \
	" at=2026-12-04T12:00:00Z host=db1.example.org"
#define T_2026_12_04_12 1796385600	/* 2026-12-04T12:00:00Z */

/* The checkpoint that LINE spells. */
static void
sample(struct audit_checkpoint *cp)
{
	int	 i;

	memset(cp, 0, sizeof(*cp));
	cp->seq = 42;
	for (i = 0; i < AUDIT_MAC_LEN; i++)
		cp->mac[i] = (unsigned char)i;
	cp->at = T_2026_12_04_12;
	snprintf(cp->host, sizeof(cp->host), "%s", "db1.example.org");
}

static int
parse(const char *line)
{
	struct audit_checkpoint	 cp;

	return auditcheckpoint_parse(line, &cp);
}

static void
test_auditcheckpoint_format(void)
{
	struct audit_checkpoint	 cp;
	char			 buf[AUDITCHECKPOINT_LINE_MAX];

	sample(&cp);
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, sizeof(buf)),
	    (int)strlen(LINE));
	CU_ASSERT_STRING_EQUAL(buf, LINE);
}

static void
test_auditcheckpoint_format_refuses_bad_fields(void)
{
	struct audit_checkpoint	 cp;
	char			 buf[AUDITCHECKPOINT_LINE_MAX];

	sample(&cp);
	cp.seq = -1;
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, sizeof(buf)), -1);
	sample(&cp);
	cp.at = -1;
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, sizeof(buf)), -1);
	sample(&cp);
	snprintf(cp.host, sizeof(cp.host), "%s", "two words");
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, sizeof(buf)), -1);
	sample(&cp);
	cp.host[0] = '\0';
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, sizeof(buf)), -1);
	sample(&cp);
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, strlen(LINE)), -1);
}

static void
test_auditcheckpoint_parse(void)
{
	struct audit_checkpoint	 want, got;

	sample(&want);
	memset(&got, 0, sizeof(got));
	CU_ASSERT_EQUAL_FATAL(auditcheckpoint_parse(LINE, &got), 1);
	CU_ASSERT_EQUAL(got.seq, 42);
	CU_ASSERT_EQUAL(memcmp(got.mac, want.mac, AUDIT_MAC_LEN), 0);
	CU_ASSERT_EQUAL(got.at, T_2026_12_04_12);
	CU_ASSERT_STRING_EQUAL(got.host, "db1.example.org");
}

static void
test_auditcheckpoint_round_trip(void)
{
	struct audit_checkpoint	 cp, back;
	char			 buf[AUDITCHECKPOINT_LINE_MAX];

	sample(&cp);
	cp.seq = 9223372036854775807LL;
	memset(cp.mac, 0xff, AUDIT_MAC_LEN);
	cp.at = 253402300799LL;		/* 9999-12-31T23:59:59Z */
	memset(cp.host, 'h', AUDITCHECKPOINT_HOST_MAX);
	cp.host[AUDITCHECKPOINT_HOST_MAX] = '\0';
	CU_ASSERT_FATAL(auditcheckpoint_format(&cp, buf, sizeof(buf)) > 0);
	CU_ASSERT_EQUAL_FATAL(auditcheckpoint_parse(buf, &back), 1);
	CU_ASSERT_EQUAL(back.seq, cp.seq);
	CU_ASSERT_EQUAL(memcmp(back.mac, cp.mac, AUDIT_MAC_LEN), 0);
	CU_ASSERT_EQUAL(back.at, cp.at);
	CU_ASSERT_STRING_EQUAL(back.host, cp.host);
}

static void
test_auditcheckpoint_parse_line_endings(void)
{
	CU_ASSERT_EQUAL(parse(LINE "\n"), 1);
	CU_ASSERT_EQUAL(parse(LINE "\r\n"), 1);
	CU_ASSERT_EQUAL(parse(LINE " "), -1);
	CU_ASSERT_EQUAL(parse(LINE "\n\n"), -1);
	CU_ASSERT_EQUAL(parse(LINE " extra=1"), -1);
}

static void
test_auditcheckpoint_parse_syslog_prefix(void)
{
	struct audit_checkpoint	 cp;

	CU_ASSERT_EQUAL(auditcheckpoint_parse("Dec  4 12:00:00 db1 "
	    "resilops-audit[812]: " LINE, &cp), 1);
	CU_ASSERT_EQUAL(cp.seq, 42);
	/* The mark must start a word. */
	CU_ASSERT_EQUAL(parse("x" LINE), 0);
}

static void
test_auditcheckpoint_parse_no_mark(void)
{
	CU_ASSERT_EQUAL(parse(""), 0);
	CU_ASSERT_EQUAL(parse("hello"), 0);
	CU_ASSERT_EQUAL(parse("resilops-audit[1]: something else"), 0);
}

static void
test_auditcheckpoint_parse_refuses_malformed(void)
{
	static const char *const bad[] = {
		"resilops-audit-checkpoint ",
		"resilops-audit-checkpoint v2 seq=42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42",
		"resilops-audit-checkpoint v1 seq= mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=-1 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=042 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=+42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=9223372036854775808 mac="
		    MAC_HEX " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=0" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=01020304"
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=xx0102030405060708090a0b"
		    "0c0d0e0f101112131415161718191a1b1c1d1e1f"
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04 12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00+00:00 host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-13-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=a\tb",
		"resilops-audit-checkpoint v1 mac=" MAC_HEX
		    " seq=42 at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint  v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=x42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-1a-04T12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04X12:00:00Z host=h",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h\r",
		"resilops-audit-checkpoint v1 seq=42 mac=" MAC_HEX
		    " at=2026-12-04T12:00:00Z host=h\n\n",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(parse(bad[i]), -1);
}

static void
test_auditcheckpoint_parse_leaves_cp_on_failure(void)
{
	struct audit_checkpoint	 cp, before;

	sample(&cp);
	sample(&before);
	CU_ASSERT_EQUAL(auditcheckpoint_parse("resilops-audit-checkpoint v1 "
	    "seq=7 mac=zz", &cp), -1);
	CU_ASSERT_EQUAL(cp.seq, before.seq);
	CU_ASSERT_EQUAL(memcmp(cp.mac, before.mac, AUDIT_MAC_LEN), 0);
}

static void
test_auditcheckpoint_set_host(void)
{
	struct audit_checkpoint	 cp;
	char			 longname[AUDITCHECKPOINT_HOST_MAX + 10];

	auditcheckpoint_set_host(&cp, "db1.example.org");
	CU_ASSERT_STRING_EQUAL(cp.host, "db1.example.org");
	auditcheckpoint_set_host(&cp, "a b\nc\x7f");
	CU_ASSERT_STRING_EQUAL(cp.host, "a_b_c_");
	auditcheckpoint_set_host(&cp, "");
	CU_ASSERT_STRING_EQUAL(cp.host, "unknown");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	auditcheckpoint_set_host(&cp, longname);
	CU_ASSERT_EQUAL(strlen(cp.host), AUDITCHECKPOINT_HOST_MAX);
}

static void
test_auditcheckpoint_check(void)
{
	struct audit_checkpoint	 cp;
	unsigned char		 other[AUDIT_MAC_LEN];

	sample(&cp);
	memcpy(other, cp.mac, AUDIT_MAC_LEN);
	other[31] ^= 1;
	CU_ASSERT_EQUAL(auditcheckpoint_check(&cp, 42, cp.mac),
	    AUDITCHECKPOINT_MATCH);
	CU_ASSERT_EQUAL(auditcheckpoint_check(&cp, 100, cp.mac),
	    AUDITCHECKPOINT_MATCH);
	/* A head gone backwards, whatever mac was seen. */
	CU_ASSERT_EQUAL(auditcheckpoint_check(&cp, 41, cp.mac),
	    AUDITCHECKPOINT_SHORT);
	CU_ASSERT_EQUAL(auditcheckpoint_check(&cp, 42, other),
	    AUDITCHECKPOINT_OTHER_MAC);
}

static void
test_auditcheckpoint_check_empty_chain(void)
{
	struct audit_checkpoint	 cp;
	unsigned char		 zero[AUDIT_MAC_LEN];

	/* Entry 0 is the start: its mac is 32 zero bytes. */
	sample(&cp);
	cp.seq = 0;
	memset(cp.mac, 0, AUDIT_MAC_LEN);
	memset(zero, 0, AUDIT_MAC_LEN);
	CU_ASSERT_EQUAL(auditcheckpoint_check(&cp, 0, zero),
	    AUDITCHECKPOINT_MATCH);
	cp.mac[0] = 1;
	CU_ASSERT_EQUAL(auditcheckpoint_check(&cp, 5, zero),
	    AUDITCHECKPOINT_OTHER_MAC);
}

/* Where the mark stands, the line ends and a host's bounds. */
static void
test_auditcheckpoint_parse_edges(void)
{
	struct audit_checkpoint	 cp;
	char			 line[AUDITCHECKPOINT_LINE_MAX + 300];
	char			 host[AUDITCHECKPOINT_HOST_MAX + 2];

	/* Not at the start or after a space: no checkpoint on this line. */
	CU_ASSERT_EQUAL(parse("x" LINE), 0);
	CU_ASSERT_EQUAL(parse("Dec  4 12:00:00 db1 resilops: " LINE), 1);
	CU_ASSERT_EQUAL(parse(LINE "\r\n"), 1);
	CU_ASSERT_EQUAL(auditcheckpoint_parse("resilops-audit-checkpoint v1 "
	    "seq=0 mac=" MAC_HEX " at=2026-12-04T12:00:00Z host=h", &cp), 1);
	CU_ASSERT_EQUAL(cp.seq, 0);
	CU_ASSERT_STRING_EQUAL(cp.host, "h");
	/* AUDITCHECKPOINT_HOST_MAX bytes of host are the most. */
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	snprintf(line, sizeof(line), "resilops-audit-checkpoint v1 seq=1 mac="
	    MAC_HEX " at=2026-12-04T12:00:00Z host=%s", host);
	CU_ASSERT_EQUAL(parse(line), -1);
	host[AUDITCHECKPOINT_HOST_MAX] = '\0';
	snprintf(line, sizeof(line), "resilops-audit-checkpoint v1 seq=1 mac="
	    MAC_HEX " at=2026-12-04T12:00:00Z host=%s", host);
	CU_ASSERT_EQUAL(parse(line), 1);
}

static void
test_auditcheckpoint_format_bounds(void)
{
	struct audit_checkpoint	 cp;
	char			 buf[AUDITCHECKPOINT_LINE_MAX];

	/* A buffer one byte short of the line and its NUL. */
	sample(&cp);
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, strlen(LINE)), -1);
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, strlen(LINE) + 1),
	    (int)strlen(LINE));
	/* A host of the most bytes formats; one more does not. */
	memset(cp.host, 'h', AUDITCHECKPOINT_HOST_MAX);
	cp.host[AUDITCHECKPOINT_HOST_MAX] = '\0';
	CU_ASSERT_TRUE(auditcheckpoint_format(&cp, buf, sizeof(buf)) > 0);
	/* set_host puts "_" for what a line cannot hold. */
	auditcheckpoint_set_host(&cp, "db 1\x7f");
	CU_ASSERT_STRING_EQUAL(cp.host, "db_1_");
	auditcheckpoint_set_host(&cp, NULL);
	CU_ASSERT_STRING_EQUAL(cp.host, "unknown");
	sample(&cp);
	cp.at = -1;
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, sizeof(buf)), -1);
	cp.at = (time_t)253402300800LL;
	CU_ASSERT_EQUAL(auditcheckpoint_format(&cp, buf, sizeof(buf)), -1);
}

static const struct unit_test tests[] = {
	{ "format", test_auditcheckpoint_format },
	{ "format_refuses_bad_fields",
	    test_auditcheckpoint_format_refuses_bad_fields },
	{ "parse", test_auditcheckpoint_parse },
	{ "round_trip", test_auditcheckpoint_round_trip },
	{ "parse_line_endings", test_auditcheckpoint_parse_line_endings },
	{ "parse_syslog_prefix", test_auditcheckpoint_parse_syslog_prefix },
	{ "parse_no_mark", test_auditcheckpoint_parse_no_mark },
	{ "parse_refuses_malformed",
	    test_auditcheckpoint_parse_refuses_malformed },
	{ "parse_leaves_cp_on_failure",
	    test_auditcheckpoint_parse_leaves_cp_on_failure },
	{ "set_host", test_auditcheckpoint_set_host },
	{ "check", test_auditcheckpoint_check },
	{ "check_empty_chain", test_auditcheckpoint_check_empty_chain },
	{ "parse_edges", test_auditcheckpoint_parse_edges },
	{ "format_bounds", test_auditcheckpoint_format_bounds },
};

int
suite_auditcheckpoint(void)
{
	return UNIT_SUITE("auditcheckpoint", tests);
}
