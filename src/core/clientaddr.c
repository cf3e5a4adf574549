/*
 * The client address behind trusted proxies: X-Forwarded-For read from
 * the right, so only what our own proxies appended is believed (the
 * entries to the left of the first untrusted one are the client's own
 * words).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/clientaddr.h"

/* One parsed address, either family. */
struct addr {
	int		 family;
	struct in_addr	 v4;
	struct in6_addr	 v6;
};

/*
 * Parse s[0..len) as an address, allowing the forms with a port that
 * proxies write: "a.b.c.d:port" and "[v6]:port" (and "[v6]").
 */
static bool
addr_parse(const char *s, size_t len, struct addr *a)
{
	char		 buf[CLIENTADDR_MAX + 8];
	const char	*colon, *close;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return false;
	if (s[0] == '[') {
		if ((close = memchr(s, ']', len)) == NULL)
			return false;
		len = (size_t)(close - s - 1);
		s++;
	} else if ((colon = memchr(s, ':', len)) != NULL &&
	    memchr(colon + 1, ':', len - (size_t)(colon + 1 - s)) == NULL)
		len = (size_t)(colon - s);	/* one colon: IPv4 with a port */
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, &a->v4) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, &a->v6) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

static bool
addr_trusted(const struct addr *a, const struct netcheck_nets *trusted)
{

	if (a->family == AF_INET)
		return netcheck_in4_listed(&a->v4, trusted);
	return netcheck_in6_listed(&a->v6, trusted);
}

static void
addr_format(const struct addr *a, char out[CLIENTADDR_MAX])
{

	if (inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 :
	    (const void *)&a->v6, out, CLIENTADDR_MAX) == NULL)
		out[0] = '\0';
}

void
clientaddr(const char *remote, const char *xff,
    const struct netcheck_nets *trusted, char out[CLIENTADDR_MAX])
{
	struct addr	 hop, a;
	const char	*end, *comma;
	int		 hops;

	if (remote == NULL)
		remote = "";
	if (!addr_parse(remote, strlen(remote), &hop)) {
		snprintf(out, CLIENTADDR_MAX, "%s", remote);
		return;
	}
	if (xff != NULL && trusted != NULL && trusted->n > 0) {
		end = xff + strlen(xff);
		for (hops = 0; addr_trusted(&hop, trusted) &&
		    end > xff && hops < CLIENTADDR_HOPS; hops++) {
			/* The entry between the last comma before end and end. */
			for (comma = end; comma > xff && comma[-1] != ','; comma--)
				;
			if (!addr_parse(comma, (size_t)(end - comma), &a))
				break;
			hop = a;
			end = comma > xff ? comma - 1 : xff;
		}
	}
	addr_format(&hop, out);
}

bool
clientaddr_listed(const char *addr, const struct netcheck_nets *nets)
{
	struct addr	 a;

	if (addr == NULL || !addr_parse(addr, strlen(addr), &a))
		return false;
	return addr_trusted(&a, nets);
}
