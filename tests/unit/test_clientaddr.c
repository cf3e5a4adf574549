/*
 * core/clientaddr: the rightmost untrusted address of X-Forwarded-For,
 * believed only from trusted proxies.
 */
#include "config.h"

#include <string.h>

#include <CUnit/CUnit.h>

#include "core/clientaddr.h"
#include "suites.h"

static const char *
client(const char *remote, const char *xff, const char *trusted)
{
	static char		 out[CLIENTADDR_MAX];
	struct netcheck_nets	 nets;
	char			 err[128];

	if (netcheck_nets_parse(trusted, &nets, err, sizeof(err)) == -1)
		return "bad list";
	clientaddr(remote, xff, &nets, out);
	return out;
}

static void
test_clientaddr_no_proxies_configured(void)
{

	CU_ASSERT_STRING_EQUAL(client("192.0.2.9", "198.51.100.1", ""),
	    "192.0.2.9");
}

static void
test_clientaddr_untrusted_peer_ignores_header(void)
{

	/* A client cannot choose its address by sending the header itself. */
	CU_ASSERT_STRING_EQUAL(client("192.0.2.9", "198.51.100.1",
	    "10.0.0.0/8"), "192.0.2.9");
}

static void
test_clientaddr_one_trusted_proxy(void)
{

	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", "198.51.100.1",
	    "10.0.0.0/8"), "198.51.100.1");
}

static void
test_clientaddr_rightmost_untrusted(void)
{

	/* The client wrote the first two entries; our balancer the last. */
	CU_ASSERT_STRING_EQUAL(client("10.0.0.5",
	    "1.2.3.4, 5.6.7.8, 198.51.100.1", "10.0.0.0/8"), "198.51.100.1");
}

static void
test_clientaddr_chain_of_trusted_proxies(void)
{

	CU_ASSERT_STRING_EQUAL(client("10.0.0.5",
	    "203.0.113.7, 198.51.100.1,10.1.1.1 , 10.2.2.2", "10.0.0.0/8"),
	    "198.51.100.1");
}

static void
test_clientaddr_all_trusted_takes_leftmost(void)
{

	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", "10.9.9.9, 10.1.1.1",
	    "10.0.0.0/8"), "10.9.9.9");
}

static void
test_clientaddr_missing_header(void)
{

	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", NULL, "10.0.0.0/8"),
	    "10.0.0.5");
	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", "", "10.0.0.0/8"),
	    "10.0.0.5");
}

static void
test_clientaddr_garbage_stops_at_last_trusted_hop(void)
{

	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", "nonsense, 10.1.1.1",
	    "10.0.0.0/8"), "10.1.1.1");
	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", "198.51.100.1, ,",
	    "10.0.0.0/8"), "10.0.0.5");
}

static void
test_clientaddr_ports_and_ipv6(void)
{

	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", "198.51.100.1:5123",
	    "10.0.0.0/8"), "198.51.100.1");
	CU_ASSERT_STRING_EQUAL(client("10.0.0.5", "[2001:DB8::1]:443",
	    "10.0.0.0/8"), "2001:db8::1");
	CU_ASSERT_STRING_EQUAL(client("fd00::5", "2001:db8::7", "fd00::/8"),
	    "2001:db8::7");
	CU_ASSERT_STRING_EQUAL(client("::1", "2001:db8::7", "::1"),
	    "2001:db8::7");
}

static void
test_clientaddr_remote_not_an_address(void)
{

	CU_ASSERT_STRING_EQUAL(client("unix:", "198.51.100.1", "10.0.0.0/8"),
	    "unix:");
	CU_ASSERT_STRING_EQUAL(client(NULL, NULL, ""), "");
}

static void
test_clientaddr_listed(void)
{
	struct netcheck_nets	 nets;
	char			 err[128];

	CU_ASSERT_EQUAL_FATAL(netcheck_nets_parse("127.0.0.1/32 ::1/128", &nets,
	    err, sizeof(err)), 0);
	CU_ASSERT_TRUE(clientaddr_listed("127.0.0.1", &nets));
	CU_ASSERT_TRUE(clientaddr_listed("::1", &nets));
	CU_ASSERT_FALSE(clientaddr_listed("127.0.0.2", &nets));
	CU_ASSERT_FALSE(clientaddr_listed("10.0.0.1", &nets));
	CU_ASSERT_FALSE(clientaddr_listed("not an address", &nets));
	CU_ASSERT_FALSE(clientaddr_listed("", &nets));
	CU_ASSERT_FALSE(clientaddr_listed(NULL, &nets));
}

static const struct unit_test tests[] = {
	{ "test_clientaddr_no_proxies_configured",
	    test_clientaddr_no_proxies_configured },
	{ "test_clientaddr_untrusted_peer_ignores_header",
	    test_clientaddr_untrusted_peer_ignores_header },
	{ "test_clientaddr_one_trusted_proxy", test_clientaddr_one_trusted_proxy },
	{ "test_clientaddr_rightmost_untrusted",
	    test_clientaddr_rightmost_untrusted },
	{ "test_clientaddr_chain_of_trusted_proxies",
	    test_clientaddr_chain_of_trusted_proxies },
	{ "test_clientaddr_all_trusted_takes_leftmost",
	    test_clientaddr_all_trusted_takes_leftmost },
	{ "test_clientaddr_missing_header", test_clientaddr_missing_header },
	{ "test_clientaddr_garbage_stops_at_last_trusted_hop",
	    test_clientaddr_garbage_stops_at_last_trusted_hop },
	{ "test_clientaddr_ports_and_ipv6", test_clientaddr_ports_and_ipv6 },
	{ "test_clientaddr_remote_not_an_address",
	    test_clientaddr_remote_not_an_address },
	{ "test_clientaddr_listed", test_clientaddr_listed },
};

int
suite_clientaddr(void)
{
	return UNIT_SUITE("clientaddr", tests);
}
