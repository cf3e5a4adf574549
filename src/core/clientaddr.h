/*
 * Who the client is when the request came through proxies.  Behind a
 * load balancer every request arrives from the balancer's address, so
 * per-address throttling would lock everybody out at once; but
 * X-Forwarded-For is whatever the client wrote, unless a proxy we
 * trust appended to it.  Pure: no I/O.
 */
#ifndef RO_CLIENTADDR_H
#define RO_CLIENTADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/netcheck.h"

#define CLIENTADDR_MAX	46	/* INET6_ADDRSTRLEN */
#define CLIENTADDR_HOPS	32	/* X-Forwarded-For entries looked at */

/*
 * The client address of a request from remote (the peer's address)
 * carrying the X-Forwarded-For header xff (may be NULL).  Unless remote
 * is in trusted, it is the answer.  Otherwise xff is read from the
 * right: each address in trusted is one more proxy of ours, and the
 * first one that is not is the client (the rightmost untrusted
 * address).  An entry that is not an address ends the walk at the last
 * trusted hop, as does running out of entries.  Entries may carry a
 * port ("192.0.2.1:5000", "[2001:db8::1]:443").  The answer is written
 * in inet_ntop's form into out (CLIENTADDR_MAX bytes); a remote that
 * is not an address is copied as it is (truncated to fit).
 */
void	 clientaddr(const char *remote, const char *xff,
	    const struct netcheck_nets *trusted, char out[CLIENTADDR_MAX]);

/*
 * Whether the address addr (as clientaddr writes it; a port is allowed
 * as there) is in nets.  false when it is not an address.
 */
bool	 clientaddr_listed(const char *addr, const struct netcheck_nets *nets);

#endif
