/*
 * Where outbound deliveries may go (TRAPS.md, "Outbound webhooks"):
 * which resolved addresses a webhook may connect to, and which webhook
 * URLs delivery accepts.  Pure: no resolution, no I/O; the caller
 * resolves once and asks about every address it got.
 *
 * Refused unless inside a configured allow network ([delivery]
 * allow_networks): "this network" 0/8, loopback 127/8, RFC 1918, shared
 * 100.64/10, link-local 169.254/16, the IETF, documentation and
 * benchmarking blocks, multicast, reserved 240/4 and broadcast; for IPv6
 * ::, ::1, IPv4-compatible ::/96, fc00::/7, fe80::/10, fec0::/10,
 * ff00::/8, discard 100::/64, documentation 2001:db8::/32, Teredo
 * 2001::/32 and local NAT64 64:ff9b:1::/48.  Addresses that carry an
 * IPv4 address (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by the IPv4 address they carry.
 */
#ifndef RO_NETCHECK_H
#define RO_NETCHECK_H

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>

#define NETCHECK_NETS_MAX	64	/* networks in one allow list */
#define NETCHECK_HOST_MAX	253	/* bytes of a host name (DNS) */
#define NETCHECK_URL_MAX	2048	/* bytes of a webhook URL */

/* One network: the address masked to its prefix. */
struct netcheck_net {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];	/* network byte order; 4 used for IPv4 */
	unsigned	 prefix;	/* bits */
};

/* A parsed allow list; no allocation, nothing to free. */
struct netcheck_nets {
	size_t			 n;
	struct netcheck_net	 v[NETCHECK_NETS_MAX];
};

/*
 * Parse a list of CIDRs ("10.0.0.0/8 fd00::/8, 192.0.2.7") separated by
 * spaces, tabs or commas; an address alone is a /32 or /128, host bits
 * are masked off.  Addresses are strict (inet_pton: no "127.1").  NULL
 * or "" is the empty list.  0, or -1 with why in err (out emptied).
 */
int	 netcheck_nets_parse(const char *text, struct netcheck_nets *out,
	    char *err, size_t errsz);

/* Whether an address is in one of the networks (IPv4 in IPv4 ones). */
bool	 netcheck_in4_listed(const struct in_addr *,
	    const struct netcheck_nets *);
bool	 netcheck_in6_listed(const struct in6_addr *,
	    const struct netcheck_nets *);

/* Whether a delivery may connect to the address (see above). */
bool	 netcheck_in4_allowed(const struct in_addr *,
	    const struct netcheck_nets *allow);
bool	 netcheck_in6_allowed(const struct in6_addr *,
	    const struct netcheck_nets *allow);
/* The same for a socket address; false for any family but IPv4/IPv6. */
bool	 netcheck_sockaddr_allowed(const struct sockaddr *,
	    const struct netcheck_nets *allow);

/* A webhook URL in parts.  Pointers are into the parsed URL. */
struct netcheck_url {
	bool		 https;		/* else http */
	char		 host[NETCHECK_HOST_MAX + 1];	/* lowercase; IPv6 unbracketed */
	bool		 ipv6;		/* host was an [IPv6] literal */
	unsigned	 port;		/* given, or 443 / 80 */
	const char	*userinfo;	/* before "@", NULL if none */
	size_t		 userinfolen;
	const char	*path;		/* "/...", "?..." or "" up to any "#" */
	size_t		 pathlen;
};

enum netcheck_url_rc {
	NETCHECK_URL_OK = 0,
	NETCHECK_URL_BAD = -1,		/* not an absolute http(s) URL we take */
	NETCHECK_URL_HTTP = -2		/* http to a host not in http_hosts */
};

/*
 * Parse an absolute webhook URL: "https://" or "http://" (any case),
 * optional userinfo (without a second "@"), a host name of ASCII
 * letters, digits, "-", "_" and ".", an IPv4 address or an [IPv6]
 * literal, an optional port 1..65535, then path, query and fragment; no
 * whitespace, control characters or backslashes; at most
 * NETCHECK_URL_MAX bytes.  http is taken only when the host is listed
 * in http_hosts (space or comma separated names, compared without case;
 * NULL: none).  Fills out (which borrows from url) on NETCHECK_URL_OK.
 */
enum netcheck_url_rc netcheck_url_parse(const char *url,
	    const char *http_hosts, struct netcheck_url *out);

/*
 * host[:port] of len bytes, an IPv6 host in brackets, into out's host
 * (lowercase, unbracketed), ipv6 and port (left as it was when none is
 * given).  A name has only letters, digits, "-", "." and "_".  0 or -1.
 */
int	 netcheck_hostport(const char *, size_t, struct netcheck_url *);

/* Whether host is one of the names of list (as in netcheck_url_parse). */
bool	 netcheck_host_listed(const char *host, const char *list);

#endif
