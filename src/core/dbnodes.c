/*
 * core/dbnodes: [database] host as a list of servers (see dbnodes.h).
 * Pure: the connecting is db/connect.c's.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/dbnodes.h"

#define SEP	" \t,"

static bool
same(const struct dbnode *a, const struct dbnode *b)
{
	return a->port == b->port && strcmp(a->host, b->host) == 0;
}

int
dbnodes_parse(const char *list, unsigned port, struct dbnode *out,
    size_t max, char *err, size_t errsz)
{
	struct netcheck_url	 u;
	const char		*e;
	size_t			 len, n = 0, i;

	for (e = list + strspn(list, SEP); *e != '\0';
	    e += len, e += strspn(e, SEP)) {
		len = strcspn(e, SEP);
		memset(&u, 0, sizeof(u));
		u.port = port;
		if (netcheck_hostport(e, len, &u) == -1) {
			snprintf(err, errsz, "[database] host: \"%.*s\" is not "
			    "a host, host:port or [IPv6]:port", (int)len, e);
			return -1;
		}
		if (n == max) {
			snprintf(err, errsz, "[database] host: more than %zu "
			    "servers", max);
			return -1;
		}
		memcpy(out[n].host, u.host, sizeof(out[n].host));
		out[n].port = u.port;
		for (i = 0; i < n; i++)
			if (same(&out[i], &out[n])) {
				snprintf(err, errsz, "[database] host: \"%.*s\" "
				    "is listed twice", (int)len, e);
				return -1;
			}
		n++;
	}
	if (n == 0) {
		snprintf(err, errsz, "[database] host is empty");
		return -1;
	}
	return (int)n;
}
