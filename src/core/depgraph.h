/*
 * Dependency cycles.  Before a service's dependency list is replaced,
 * the new edges are checked against the rest of the graph: a cycle is
 * reported as the path from the edited service back to itself.  Pure.
 */
#ifndef RO_DEPGRAPH_H
#define RO_DEPGRAPH_H

#include <stddef.h>

struct dep_edge {
	long long	 from;	/* service */
	long long	 to;	/* depends on */
};

/*
 * Would giving service `self` exactly the dependencies deps[0..ndeps)
 * create a cycle, given all other edges (edges from `self` in `edges`
 * are ignored: they are being replaced)?  Returns 0 if not; 1 if so,
 * with the cycle written into buf as "self -> a -> ... -> self"
 * (shortest by breadth-first search, ties by smaller id); -1 on
 * allocation failure.  self in deps counts as the cycle "self -> self".
 */
int	 depgraph_cycle(long long self, const long long *deps, size_t ndeps,
	    const struct dep_edge *edges, size_t nedges, char *buf, size_t bufsz);

#endif
