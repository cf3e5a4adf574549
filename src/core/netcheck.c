/*
 * core/netcheck: the address ranges deliveries may not reach, the allow
 * list that makes exceptions, and webhook URL parsing (see netcheck.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/netcheck.h"

/* IPv4 ranges refused unless allowed, host byte order. */
static const struct {
	uint32_t	 net;
	unsigned	 prefix;
} refused4[] = {
	{ 0x00000000, 8 },	/* "this network", 0.0.0.0 */
	{ 0x0a000000, 8 },	/* RFC 1918 */
	{ 0x64400000, 10 },	/* shared address space (carrier NAT) */
	{ 0x7f000000, 8 },	/* loopback */
	{ 0xa9fe0000, 16 },	/* link-local (cloud metadata lives here) */
	{ 0xac100000, 12 },	/* RFC 1918 */
	{ 0xc0000000, 24 },	/* IETF protocol assignments */
	{ 0xc0000200, 24 },	/* documentation (TEST-NET-1) */
	{ 0xc0586300, 24 },	/* 6to4 relay anycast */
	{ 0xc0a80000, 16 },	/* RFC 1918 */
	{ 0xc6120000, 15 },	/* benchmarking */
	{ 0xc6336400, 24 },	/* documentation (TEST-NET-2) */
	{ 0xcb007100, 24 },	/* documentation (TEST-NET-3) */
	{ 0xe0000000, 4 },	/* multicast */
	{ 0xf0000000, 4 },	/* reserved, and broadcast */
};

/* IPv6 ranges refused unless allowed (those carrying IPv4 aside). */
static const struct {
	unsigned char	 net[16];
	unsigned	 prefix;
} refused6[] = {
	{ { 0 }, 96 },					/* ::, ::1, IPv4-compatible */
	{ { 0x01, 0x00 }, 64 },				/* discard-only */
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48 },	/* local-use NAT64 */
	{ { 0x20, 0x01, 0x00, 0x00 }, 32 },		/* Teredo */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32 },		/* documentation */
	{ { 0xfc }, 7 },				/* unique local */
	{ { 0xfe, 0x80 }, 10 },				/* link-local */
	{ { 0xfe, 0xc0 }, 10 },				/* site-local (deprecated) */
	{ { 0xff }, 8 },				/* multicast */
};

static const unsigned char mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};
static const unsigned char nat64_prefix[12] = {
	0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0
};

/* Whether the first prefix bits of a and b agree. */
static bool
prefix_match(const unsigned char *a, const unsigned char *b, unsigned prefix)
{
	unsigned	 whole = prefix / 8, rest = prefix % 8;
	unsigned char	 mask;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static void
mask_bits(unsigned char *a, size_t len, unsigned prefix)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (prefix >= 8) {
			prefix -= 8;
			continue;
		}
		a[i] &= (unsigned char)(0xff << (8 - prefix));
		prefix = 0;
	}
}

/* One CIDR of len bytes at s; 0 or -1. */
static int
net_parse(const char *s, size_t len, struct netcheck_net *n)
{
	char		 buf[INET6_ADDRSTRLEN + 8], *slash;
	unsigned long	 prefix = 0;
	unsigned	 max;
	const char	*d;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(n, 0, sizeof(*n));
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
		n->family = AF_INET6;
		max = 128;
	} else
		return -1;
	if (slash == NULL)
		prefix = max;
	else {
		d = slash + 1;
		if (*d == '\0' || strlen(d) > 3)
			return -1;
		for (; *d != '\0'; d++) {
			if (*d < '0' || *d > '9')
				return -1;
			prefix = prefix * 10 + (unsigned long)(*d - '0');
		}
		if (prefix > max)
			return -1;
	}
	n->prefix = (unsigned)prefix;
	mask_bits(n->addr, max / 8, n->prefix);
	return 0;
}

static bool
is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

int
netcheck_nets_parse(const char *text, struct netcheck_nets *out, char *err,
    size_t errsz)
{
	const char	*p = text;
	size_t		 len;

	out->n = 0;
	if (text == NULL)
		return 0;
	for (;;) {
		while (is_sep(*p))
			p++;
		if (*p == '\0')
			return 0;
		for (len = 0; p[len] != '\0' && !is_sep(p[len]); len++)
			;
		if (out->n == NETCHECK_NETS_MAX) {
			snprintf(err, errsz, "more than %d networks",
			    NETCHECK_NETS_MAX);
			break;
		}
		if (net_parse(p, len, &out->v[out->n]) == -1) {
			snprintf(err, errsz, "not a network (CIDR): %.*s",
			    (int)(len > 64 ? 64 : len), p);
			break;
		}
		out->n++;
		p += len;
	}
	out->n = 0;
	return -1;
}

static bool
listed(int family, const unsigned char *a, const struct netcheck_nets *nets)
{
	size_t	 i;

	if (nets == NULL)
		return false;
	for (i = 0; i < nets->n; i++)
		if (nets->v[i].family == family &&
		    prefix_match(a, nets->v[i].addr, nets->v[i].prefix))
			return true;
	return false;
}

bool
netcheck_in4_listed(const struct in_addr *a, const struct netcheck_nets *nets)
{
	return listed(AF_INET, (const unsigned char *)&a->s_addr, nets);
}

bool
netcheck_in6_listed(const struct in6_addr *a, const struct netcheck_nets *nets)
{
	return listed(AF_INET6, a->s6_addr, nets);
}

bool
netcheck_in4_allowed(const struct in_addr *a, const struct netcheck_nets *allow)
{
	uint32_t	 h = ntohl(a->s_addr), mask;
	size_t		 i;

	if (netcheck_in4_listed(a, allow))
		return true;
	for (i = 0; i < sizeof(refused4) / sizeof(refused4[0]); i++) {
		mask = refused4[i].prefix == 0 ? 0 :
		    0xffffffffU << (32 - refused4[i].prefix);
		if ((h & mask) == refused4[i].net)
			return false;
	}
	return true;
}

/* The IPv4 address an IPv6 address carries, if any: true and *v4 set. */
static bool
embedded_v4(const struct in6_addr *a, struct in_addr *v4)
{
	const unsigned char	*b = a->s6_addr;

	if (memcmp(b, mapped_prefix, 12) == 0 ||
	    memcmp(b, nat64_prefix, 12) == 0) {
		memcpy(&v4->s_addr, b + 12, 4);
		return true;
	}
	if (b[0] == 0x20 && b[1] == 0x02) {		/* 6to4 */
		memcpy(&v4->s_addr, b + 2, 4);
		return true;
	}
	return false;
}

bool
netcheck_in6_allowed(const struct in6_addr *a,
    const struct netcheck_nets *allow)
{
	struct in_addr	 v4;
	size_t		 i;

	if (netcheck_in6_listed(a, allow))
		return true;
	if (embedded_v4(a, &v4))
		return netcheck_in4_allowed(&v4, allow);
	for (i = 0; i < sizeof(refused6) / sizeof(refused6[0]); i++)
		if (prefix_match(a->s6_addr, refused6[i].net,
		    refused6[i].prefix))
			return false;
	return true;
}

bool
netcheck_sockaddr_allowed(const struct sockaddr *sa,
    const struct netcheck_nets *allow)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	if (sa == NULL)
		return false;
	/* Copies: the caller's storage need not be aligned for either. */
	switch (sa->sa_family) {
	case AF_INET:
		memcpy(&sin, sa, sizeof(sin));
		return netcheck_in4_allowed(&sin.sin_addr, allow);
	case AF_INET6:
		memcpy(&sin6, sa, sizeof(sin6));
		return netcheck_in6_allowed(&sin6.sin6_addr, allow);
	default:
		return false;
	}
}

/* ---- webhook URLs ---- */

static bool
name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool
netcheck_host_listed(const char *host, const char *list)
{
	const char	*p = list;
	size_t		 len, hlen;

	if (host == NULL || list == NULL)
		return false;
	hlen = strlen(host);
	for (;;) {
		while (is_sep(*p))
			p++;
		if (*p == '\0')
			return false;
		for (len = 0; p[len] != '\0' && !is_sep(p[len]); len++)
			;
		/* An IPv6 literal may be listed with or without brackets. */
		if (len >= 2 && p[0] == '[' && p[len - 1] == ']') {
			if (len - 2 == hlen &&
			    strncasecmp(p + 1, host, hlen) == 0)
				return true;
		} else if (len == hlen && strncasecmp(p, host, hlen) == 0)
			return true;
		p += len;
	}
}

int
netcheck_hostport(const char *h, size_t len, struct netcheck_url *out)
{
	struct in6_addr	 a6;
	unsigned long	 port;
	size_t		 i = 0, n, start;

	if (len > 0 && h[0] == '[') {
		for (i = 1; i < len && h[i] != ']'; i++)
			;
		n = i - 1;
		if (i >= len || n == 0 || n > INET6_ADDRSTRLEN - 1)
			return -1;
		memcpy(out->host, h + 1, n);
		out->host[n] = '\0';
		if (inet_pton(AF_INET6, out->host, &a6) != 1)
			return -1;
		out->ipv6 = true;
		i++;
	} else {
		for (; i < len && h[i] != ':'; i++)
			if (!name_char((unsigned char)h[i]))
				return -1;
		if (i == 0 || i > NETCHECK_HOST_MAX)
			return -1;
		for (n = 0; n < i; n++)
			out->host[n] = (char)((h[n] >= 'A' && h[n] <= 'Z') ?
			    h[n] - 'A' + 'a' : h[n]);
		out->host[i] = '\0';
	}
	if (i == len)
		return 0;
	if (h[i] != ':' || ++i == len || len - i > 5)
		return -1;
	for (start = i, port = 0; i < len; i++) {
		if (h[i] < '0' || h[i] > '9')
			return -1;
		port = port * 10 + (unsigned long)(h[i] - '0');
	}
	if (i == start || port < 1 || port > 65535)
		return -1;
	out->port = (unsigned)port;
	return 0;
}

enum netcheck_url_rc
netcheck_url_parse(const char *url, const char *http_hosts,
    struct netcheck_url *out)
{
	const char	*p, *at;
	size_t		 len, alen, i;

	memset(out, 0, sizeof(*out));
	if (url == NULL || (len = strlen(url)) == 0 || len > NETCHECK_URL_MAX)
		return NETCHECK_URL_BAD;
	for (i = 0; i < len; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f ||
		    url[i] == '\\')
			return NETCHECK_URL_BAD;
	if (strncasecmp(url, "https://", 8) == 0) {
		out->https = true;
		out->port = 443;
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		out->port = 80;
		p = url + 7;
	} else
		return NETCHECK_URL_BAD;
	alen = strcspn(p, "/?#");
	at = NULL;
	for (i = 0; i < alen; i++)
		if (p[i] == '@') {
			/* Parsers disagree on which "@" ends the userinfo. */
			if (at != NULL)
				return NETCHECK_URL_BAD;
			at = p + i;
		}
	if (at != NULL) {
		out->userinfo = at > p ? p : NULL;
		out->userinfolen = (size_t)(at - p);
		alen -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (netcheck_hostport(p, alen, out) == -1) {
		memset(out, 0, sizeof(*out));
		return NETCHECK_URL_BAD;
	}
	out->path = p + alen;
	out->pathlen = strcspn(out->path, "#");
	if (!out->https && !netcheck_host_listed(out->host, http_hosts)) {
		memset(out, 0, sizeof(*out));
		return NETCHECK_URL_HTTP;
	}
	return NETCHECK_URL_OK;
}
