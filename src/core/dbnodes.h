/*
 * core/dbnodes: [database] host as a list of servers, the nodes of a
 * Galera cluster in the order a process tries them.
 */
#ifndef CORE_DBNODES_H
#define CORE_DBNODES_H

#include <stddef.h>

#include "core/netcheck.h"

/* More nodes than a cluster sensibly has (Galera: 3, 5, 7) are refused. */
#define DBNODES_MAX	9

struct dbnode {
	char		 host[NETCHECK_HOST_MAX + 1];	/* IPv6 unbracketed */
	unsigned	 port;
};

/*
 * list: entries separated by commas or blanks, each a host, host:port or
 * [IPv6]:port; a node without a port has port.  Fills out[0..n-1] and
 * returns n (1 to max), or -1 with err naming the entry at fault: an
 * empty list, a bad entry, the same node twice, more than max.
 */
int	 dbnodes_parse(const char *list, unsigned port, struct dbnode *out,
	    size_t max, char *err, size_t errsz);

#endif
