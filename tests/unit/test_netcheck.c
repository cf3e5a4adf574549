/*
 * core/netcheck: the addresses deliveries may not reach (every loopback
 * spelling of TRAPS.md, as the C library resolves it), the allow list's
 * exceptions, and webhook URL parsing with http_hosts.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/netcheck.h"
#include "suites.h"

/*
 * Whether every address host resolves to may be connected to, as the
 * deliverer decides (numeric hosts only: no DNS in unit tests).  -1
 * when it does not resolve.
 */
static int
host_allowed(const char *host, const struct netcheck_nets *allow)
{
	struct addrinfo		 hints, *res, *ai;
	int			 ok = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (!netcheck_sockaddr_allowed(ai->ai_addr, allow))
			ok = 0;
	freeaddrinfo(res);
	return ok;
}

static bool
v4_allowed(const char *s, const struct netcheck_nets *allow)
{
	struct in_addr	 a;

	CU_ASSERT_FATAL(inet_pton(AF_INET, s, &a) == 1);
	return netcheck_in4_allowed(&a, allow);
}

static bool
v6_allowed(const char *s, const struct netcheck_nets *allow)
{
	struct in6_addr	 a;

	CU_ASSERT_FATAL(inet_pton(AF_INET6, s, &a) == 1);
	return netcheck_in6_allowed(&a, allow);
}

static void
test_netcheck_loopback_spellings(void)
{
	static const char *const hosts[] = {
		"127.0.0.1", "127.1", "0x7f000001", "2130706433", "0177.0.0.1",
		"127.0.1", "0x7f.1", "127.255.255.254", "::1",
		"::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:7f00:0001",
		"0.0.0.0", "0", "::", "::ffff:0.0.0.0",
	};
	static const char *const urls[] = {
		"https://127.1/x", "https://0x7f000001/x", "https://2130706433/x",
		"https://[::1]/x", "https://[::ffff:127.0.0.1]:8443/x",
		"https://0.0.0.0/x", "https://127.0.0.1./x",
	};
	struct netcheck_url	 u;
	struct in_addr		 a;
	size_t			 i;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		if (host_allowed(hosts[i], NULL) != 0)
			fprintf(stderr, "allowed or unresolved: %s\n", hosts[i]);
		CU_ASSERT(host_allowed(hosts[i], NULL) == 0);
	}
	/* The same spellings through inet_aton (what getaddrinfo uses). */
	CU_ASSERT(inet_aton("127.1", &a) == 1 && !netcheck_in4_allowed(&a, NULL));
	CU_ASSERT(inet_aton("0x7f000001", &a) == 1 &&
	    !netcheck_in4_allowed(&a, NULL));
	CU_ASSERT(inet_aton("2130706433", &a) == 1 &&
	    !netcheck_in4_allowed(&a, NULL));
	/* And as the host of a webhook URL, the way delivery gets them. */
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		CU_ASSERT_FATAL(netcheck_url_parse(urls[i], NULL, &u) ==
		    NETCHECK_URL_OK);
		/* "127.0.0.1." is a name: it does not resolve numerically. */
		CU_ASSERT(host_allowed(u.host, NULL) != 1);
	}
}

static void
test_netcheck_v4_ranges(void)
{
	static const char *const refused[] = {
		"0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1",
		"100.127.255.255", "127.0.0.1", "169.254.169.254", "169.254.0.1",
		"172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1",
		"192.168.0.1", "192.168.255.255", "198.18.0.1", "198.19.255.255",
		"198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
		"240.0.0.1", "255.255.255.255",
	};
	static const char *const allowed[] = {
		"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255",
		"100.128.0.0", "126.255.255.255", "128.0.0.0", "169.253.255.255",
		"169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
		"192.169.0.0", "198.20.0.0", "223.255.255.255", "93.184.216.34",
	};
	size_t	 i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		CU_ASSERT(!v4_allowed(refused[i], NULL));
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		CU_ASSERT(v4_allowed(allowed[i], NULL));
}

static void
test_netcheck_v6_ranges(void)
{
	static const char *const refused[] = {
		"::", "::1", "::127.0.0.1", "::8.8.8.8", "fc00::1", "fd12:3456::1",
		"fdff:ffff::1", "fe80::1", "febf:ffff::1", "fec0::1", "ff02::1",
		"ff0e::1", "100::1", "2001:db8::1", "2001::1",
		"64:ff9b:1::1",
		/* IPv4 carried in IPv6: judged by the IPv4 address. */
		"::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.1.1",
		"::ffff:0.0.0.0", "::ffff:255.255.255.255", "64:ff9b::7f00:1",
		"64:ff9b::a00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::1",
	};
	static const char *const allowed[] = {
		"2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
		"64:ff9b::808:808", "2002:808:808::1", "fbff:ffff::1", "fe00::1",
		"2001:1::1", "2001:db9::1",
	};
	size_t	 i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (v6_allowed(refused[i], NULL))
			fprintf(stderr, "allowed: %s\n", refused[i]);
		CU_ASSERT(!v6_allowed(refused[i], NULL));
	}
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (!v6_allowed(allowed[i], NULL))
			fprintf(stderr, "refused: %s\n", allowed[i]);
		CU_ASSERT(v6_allowed(allowed[i], NULL));
	}
}

static void
test_netcheck_allow_networks(void)
{
	struct netcheck_nets	 allow;
	char			 err[128];

	CU_ASSERT_FATAL(netcheck_nets_parse("127.0.0.0/8, 10.1.0.0/16\tfd00::/8",
	    &allow, err, sizeof(err)) == 0);
	CU_ASSERT(allow.n == 3);
	CU_ASSERT(v4_allowed("127.0.0.1", &allow));
	CU_ASSERT(v4_allowed("127.255.0.9", &allow));
	CU_ASSERT(v6_allowed("::ffff:127.0.0.1", &allow));
	CU_ASSERT(host_allowed("127.1", &allow) == 1);
	CU_ASSERT(host_allowed("0x7f000001", &allow) == 1);
	CU_ASSERT(v4_allowed("10.1.2.3", &allow));
	CU_ASSERT(!v4_allowed("10.2.0.1", &allow));
	CU_ASSERT(!v4_allowed("192.168.1.1", &allow));
	CU_ASSERT(!v4_allowed("169.254.169.254", &allow));
	CU_ASSERT(v6_allowed("fd00::1", &allow));
	CU_ASSERT(!v6_allowed("fc00::1", &allow));
	/* Listing 127/8 does not list ::1: that is another network. */
	CU_ASSERT(!v6_allowed("::1", &allow));
	CU_ASSERT(v4_allowed("8.8.8.8", &allow));
	/* A single address. */
	CU_ASSERT_FATAL(netcheck_nets_parse("169.254.169.253", &allow, err,
	    sizeof(err)) == 0);
	CU_ASSERT(v4_allowed("169.254.169.253", &allow));
	CU_ASSERT(!v4_allowed("169.254.169.254", &allow));
}

static void
test_netcheck_nets_parse(void)
{
	static const char *const bad[] = {
		"10.0.0.0/33", "::/129", "10.0.0/8", "127.1", "10.0.0.0/",
		"10.0.0.0/-1", "10.0.0.0/8x", "abc", "10.0.0.0/+8", "10.0.0.0/0008",
		"10.0.0.0/8 bogus", "[::1]", "10.0.0.0//8",
	};
	struct netcheck_nets	 nets;
	char			 err[128], many[(NETCHECK_NETS_MAX + 1) * 20];
	size_t			 i, len = 0;

	CU_ASSERT(netcheck_nets_parse(NULL, &nets, err, sizeof(err)) == 0);
	CU_ASSERT(nets.n == 0);
	CU_ASSERT(netcheck_nets_parse(" , \t", &nets, err, sizeof(err)) == 0);
	CU_ASSERT(nets.n == 0);
	CU_ASSERT(netcheck_nets_parse("10.1.2.3/8", &nets, err,
	    sizeof(err)) == 0);
	CU_ASSERT(nets.n == 1 && nets.v[0].prefix == 8 &&
	    nets.v[0].addr[0] == 10 && nets.v[0].addr[1] == 0 &&
	    nets.v[0].addr[3] == 0);
	CU_ASSERT(netcheck_nets_parse("0.0.0.0/0 ::/0", &nets, err,
	    sizeof(err)) == 0);
	CU_ASSERT(nets.n == 2 && v4_allowed("127.0.0.1", &nets) &&
	    v6_allowed("::1", &nets));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CU_ASSERT(netcheck_nets_parse(bad[i], &nets, err,
		    sizeof(err)) == -1);
		CU_ASSERT(nets.n == 0);
		CU_ASSERT(err[0] != '\0');
	}
	for (i = 0; i <= NETCHECK_NETS_MAX; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len,
		    "10.0.%zu.0/24 ", i);
	CU_ASSERT(netcheck_nets_parse(many, &nets, err, sizeof(err)) == -1);
}

static void
test_netcheck_sockaddr(void)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr_un	 sun;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	CU_ASSERT(!netcheck_sockaddr_allowed((struct sockaddr *)&sin, NULL));
	inet_pton(AF_INET, "8.8.4.4", &sin.sin_addr);
	CU_ASSERT(netcheck_sockaddr_allowed((struct sockaddr *)&sin, NULL));
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:8.8.4.4", &sin6.sin6_addr);
	CU_ASSERT(netcheck_sockaddr_allowed((struct sockaddr *)&sin6, NULL));
	inet_pton(AF_INET6, "::ffff:192.168.0.1", &sin6.sin6_addr);
	CU_ASSERT(!netcheck_sockaddr_allowed((struct sockaddr *)&sin6, NULL));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	CU_ASSERT(!netcheck_sockaddr_allowed((struct sockaddr *)&sun, NULL));
	CU_ASSERT(!netcheck_sockaddr_allowed(NULL, NULL));
}

static void
test_netcheck_url_parts(void)
{
	struct netcheck_url	 u;

	CU_ASSERT_FATAL(netcheck_url_parse(
	    "HTTPS://Hooks.Slack.com/services/T0/B0/XX?y=1#frag", NULL, &u) ==
	    NETCHECK_URL_OK);
	CU_ASSERT(u.https && !u.ipv6 && u.port == 443 && u.userinfo == NULL);
	CU_ASSERT_STRING_EQUAL(u.host, "hooks.slack.com");
	CU_ASSERT(u.pathlen == strlen("/services/T0/B0/XX?y=1") &&
	    strncmp(u.path, "/services/T0/B0/XX?y=1", u.pathlen) == 0);

	CU_ASSERT_FATAL(netcheck_url_parse("https://user:pw@example.com:8443",
	    NULL, &u) == NETCHECK_URL_OK);
	CU_ASSERT(u.port == 8443 && u.pathlen == 0);
	CU_ASSERT(u.userinfolen == 7 && strncmp(u.userinfo, "user:pw", 7) == 0);
	CU_ASSERT_STRING_EQUAL(u.host, "example.com");

	CU_ASSERT_FATAL(netcheck_url_parse("https://[2001:DB8::1]:444?q", NULL,
	    &u) == NETCHECK_URL_OK);
	CU_ASSERT(u.ipv6 && u.port == 444);
	CU_ASSERT_STRING_EQUAL(u.host, "2001:DB8::1");
	CU_ASSERT(u.pathlen == 2 && strncmp(u.path, "?q", 2) == 0);

	CU_ASSERT_FATAL(netcheck_url_parse("http://127.0.0.1/h", "127.0.0.1",
	    &u) == NETCHECK_URL_OK);
	CU_ASSERT(!u.https && u.port == 80);
}

static void
test_netcheck_url_bad(void)
{
	static const char *const bad[] = {
		"ftp://example.com/", "file:///etc/passwd", "gopher://x/",
		"javascript:alert(1)", "https://", "https:///path", "https://:443/x",
		"https://example.com:/x", "https://example.com:0/x",
		"https://example.com:65536/x", "https://example.com:123456/x",
		"https://exa mple.com/", "https://example.com/a b",
		"https://example.com/\t", "https://example.com\\@evil.com/",
		"https://[]/x", "https://[::1/x", "https://[zz::1]/x",
		"https://ex$ample.com/", "https://ex%61mple.com/", "example.com",
		"https:example.com", "//example.com/x", "", " https://example.com",
		"https://a@b@example.com/", "https://bücher.example/x",
		"https://example.com:+80/",
	};
	struct netcheck_url	 u;
	char			 longurl[NETCHECK_URL_MAX + 2];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (netcheck_url_parse(bad[i], "example.com", &u) !=
		    NETCHECK_URL_BAD)
			fprintf(stderr, "taken: %s\n", bad[i]);
		CU_ASSERT(netcheck_url_parse(bad[i], "example.com", &u) ==
		    NETCHECK_URL_BAD);
	}
	CU_ASSERT(netcheck_url_parse(NULL, NULL, &u) == NETCHECK_URL_BAD);
	memcpy(longurl, "https://a.example/", 18);
	memset(longurl + 18, 'x', sizeof(longurl) - 19);
	longurl[sizeof(longurl) - 1] = '\0';
	CU_ASSERT(netcheck_url_parse(longurl, NULL, &u) == NETCHECK_URL_BAD);
	longurl[sizeof(longurl) - 2] = '\0';
	CU_ASSERT(netcheck_url_parse(longurl, NULL, &u) == NETCHECK_URL_OK);
}

static void
test_netcheck_http_hosts(void)
{
	struct netcheck_url	 u;

	CU_ASSERT(netcheck_url_parse("http://127.0.0.1:8080/hook", NULL, &u) ==
	    NETCHECK_URL_HTTP);
	CU_ASSERT(netcheck_url_parse("http://127.0.0.1:8080/hook", "", &u) ==
	    NETCHECK_URL_HTTP);
	CU_ASSERT(netcheck_url_parse("http://127.0.0.1:8080/hook", "127.0.0.1",
	    &u) == NETCHECK_URL_OK);
	CU_ASSERT(netcheck_url_parse("http://127.0.0.1/", "localhost, 127.0.0.1",
	    &u) == NETCHECK_URL_OK);
	CU_ASSERT(netcheck_url_parse("http://127.0.0.1/", "127.0.0.10 27.0.0.1",
	    &u) == NETCHECK_URL_HTTP);
	CU_ASSERT(netcheck_url_parse("http://127.1/", "127.0.0.1", &u) ==
	    NETCHECK_URL_HTTP);
	CU_ASSERT(netcheck_url_parse("HTTP://LocalHost/x", "LOCALHOST", &u) ==
	    NETCHECK_URL_OK);
	CU_ASSERT(netcheck_url_parse("http://[::1]:81/", "[::1]", &u) ==
	    NETCHECK_URL_OK);
	CU_ASSERT(netcheck_url_parse("http://[::1]:81/", "::1", &u) ==
	    NETCHECK_URL_OK);
	CU_ASSERT(netcheck_url_parse("http://user@ci.lan/", "ci.lan", &u) ==
	    NETCHECK_URL_OK);
	CU_ASSERT(netcheck_url_parse("http://ci.lan.evil.com/", "ci.lan", &u) ==
	    NETCHECK_URL_HTTP);
	/* https never needs listing. */
	CU_ASSERT(netcheck_url_parse("https://ci.lan/", NULL, &u) ==
	    NETCHECK_URL_OK);
	CU_ASSERT(netcheck_host_listed("a.example", " b.example,A.EXAMPLE "));
	CU_ASSERT(!netcheck_host_listed("a.example", "a.example.com"));
	CU_ASSERT(!netcheck_host_listed("a.example", NULL));
}

int
suite_netcheck(void)
{
	static const struct unit_test tests[] = {
		{ "loopback spellings", test_netcheck_loopback_spellings },
		{ "IPv4 ranges", test_netcheck_v4_ranges },
		{ "IPv6 ranges", test_netcheck_v6_ranges },
		{ "allow networks", test_netcheck_allow_networks },
		{ "allow list parsing", test_netcheck_nets_parse },
		{ "socket addresses", test_netcheck_sockaddr },
		{ "URL parts", test_netcheck_url_parts },
		{ "bad URLs", test_netcheck_url_bad },
		{ "http_hosts", test_netcheck_http_hosts },
	};

	return UNIT_SUITE("netcheck", tests);
}
