/*
 * core/mailaddr: the strict address subset, on both sides of every
 * rule, and above all the bytes that would let an address carry a
 * second SMTP command or header (CR, LF, NUL-free control characters,
 * angle brackets, commas, spaces).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/mailaddr.h"
#include "suites.h"

static void
test_mailaddr_accepts_ordinary_addresses(void)
{
	static const char *const ok[] = {
		"ops@example.com", "first.last@mail.example.org",
		"a+tag@example.co.uk", "O'Brien@Example.COM",
		"x@xn--bcher-kva.example", "user_1-2@a-b.example",
		"!#$%&'*+-/=?^_`{|}~@example.com", "a@b.c9",
	};
	size_t	 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		CU_ASSERT_TRUE(mailaddr_valid(ok[i]));
}

static void
test_mailaddr_refuses_line_breaks_and_controls(void)
{
	static const char *const bad[] = {
		"a@example.com\r\nRCPT TO:<x@evil.example>",
		"a@example.com\n", "a\r@example.com", "a@exa\rmple.com",
		"a\t@example.com", "a@example.com\x7f", "a\x01@example.com",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_FALSE(mailaddr_valid(bad[i]));
}

static void
test_mailaddr_refuses_what_needs_quoting(void)
{
	static const char *const bad[] = {
		"\"a b\"@example.com", "a b@example.com", "<a@example.com>",
		"a@example.com>", "a,b@example.com", "a@example.com,b@x.org",
		"a(comment)@example.com", "a;b@example.com", "a\\b@example.com",
		"a:b@example.com", "@route:a@example.com", "a[b]@example.com",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_FALSE(mailaddr_valid(bad[i]));
}

static void
test_mailaddr_local_part_dots(void)
{
	CU_ASSERT_TRUE(mailaddr_valid("a.b.c@example.com"));
	CU_ASSERT_FALSE(mailaddr_valid(".a@example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a.@example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a..b@example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("@example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("example.com"));
}

static void
test_mailaddr_domain_rules(void)
{
	CU_ASSERT_FALSE(mailaddr_valid("a@localhost"));
	CU_ASSERT_FALSE(mailaddr_valid("a@example.com."));
	CU_ASSERT_FALSE(mailaddr_valid("a@.example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a@example..com"));
	CU_ASSERT_FALSE(mailaddr_valid("a@-example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a@example-.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a@exa_mple.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a@b@example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a@192.0.2.1"));
	CU_ASSERT_FALSE(mailaddr_valid("a@[192.0.2.1]"));
	CU_ASSERT_FALSE(mailaddr_valid("a@[IPv6:2001:db8::1]"));
}

static void
test_mailaddr_refuses_non_ascii(void)
{
	CU_ASSERT_FALSE(mailaddr_valid("j\xc3\xb6rg@example.com"));
	CU_ASSERT_FALSE(mailaddr_valid("a@b\xc3\xbc" "cher.example"));
}

static void
test_mailaddr_lengths(void)
{
	char	 local[80], label[80], mid[80], addr[400];

	memset(local, 'a', 64);
	local[64] = '\0';
	snprintf(addr, sizeof(addr), "%s@example.com", local);
	CU_ASSERT_TRUE(mailaddr_valid(addr));
	snprintf(addr, sizeof(addr), "%sa@example.com", local);
	CU_ASSERT_FALSE(mailaddr_valid(addr));

	memset(label, 'b', 63);
	label[63] = '\0';
	snprintf(addr, sizeof(addr), "a@%s.example", label);
	CU_ASSERT_TRUE(mailaddr_valid(addr));
	snprintf(addr, sizeof(addr), "a@%sb.example", label);
	CU_ASSERT_FALSE(mailaddr_valid(addr));

	/* 254 bytes in all, then 255. */
	memset(mid, 'c', 57);
	mid[57] = '\0';
	snprintf(addr, sizeof(addr), "%s@%s.%s.%s.com", local, label, label,
	    mid);
	CU_ASSERT_EQUAL(strlen(addr), 254);
	CU_ASSERT_TRUE(mailaddr_valid(addr));
	snprintf(addr, sizeof(addr), "%s@%s.%s.%s.coms", local, label, label,
	    mid);
	CU_ASSERT_FALSE(mailaddr_valid(addr));
	CU_ASSERT_FALSE(mailaddr_valid(NULL));
	CU_ASSERT_FALSE(mailaddr_valid(""));
}

static void
test_mailaddr_domain_of(void)
{
	CU_ASSERT_STRING_EQUAL(mailaddr_domain("ops@status.example.com"),
	    "status.example.com");
	CU_ASSERT_PTR_NULL(mailaddr_domain("ops@"));
}

static void
test_mailaddr_relay_hosts(void)
{
	CU_ASSERT_TRUE(mailaddr_host_valid("localhost"));
	CU_ASSERT_TRUE(mailaddr_host_valid("smtp.example.com"));
	CU_ASSERT_TRUE(mailaddr_host_valid("127.0.0.1"));
	CU_ASSERT_TRUE(mailaddr_host_valid("::1"));
	CU_ASSERT_TRUE(mailaddr_host_valid("2001:db8::25"));
	CU_ASSERT_FALSE(mailaddr_host_valid("[::1]"));
	CU_ASSERT_FALSE(mailaddr_host_valid("smtp.example.com/x"));
	CU_ASSERT_FALSE(mailaddr_host_valid("user@smtp.example.com"));
	CU_ASSERT_FALSE(mailaddr_host_valid("smtp.example.com:25"));
	CU_ASSERT_FALSE(mailaddr_host_valid("smtp example.com"));
	CU_ASSERT_FALSE(mailaddr_host_valid(""));
}

static const struct unit_test tests[] = {
	{ "test_mailaddr_accepts_ordinary_addresses",
	    test_mailaddr_accepts_ordinary_addresses },
	{ "test_mailaddr_refuses_line_breaks_and_controls",
	    test_mailaddr_refuses_line_breaks_and_controls },
	{ "test_mailaddr_refuses_what_needs_quoting",
	    test_mailaddr_refuses_what_needs_quoting },
	{ "test_mailaddr_local_part_dots", test_mailaddr_local_part_dots },
	{ "test_mailaddr_domain_rules", test_mailaddr_domain_rules },
	{ "test_mailaddr_refuses_non_ascii", test_mailaddr_refuses_non_ascii },
	{ "test_mailaddr_lengths", test_mailaddr_lengths },
	{ "test_mailaddr_domain_of", test_mailaddr_domain_of },
	{ "test_mailaddr_relay_hosts", test_mailaddr_relay_hosts },
};

int
suite_mailaddr(void)
{
	return UNIT_SUITE("mailaddr", tests);
}
