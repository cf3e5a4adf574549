/*
 * Dependency cycles.  The proposed dependencies of `self` are the
 * sources of one breadth-first search over every other edge; reaching
 * `self` again closes a cycle.  Sources are queued in ascending id and
 * each node's neighbours are visited in ascending id, so the first
 * path found is the shortest, and among the shortest the smallest id
 * by id from the start: the same graph always names the same cycle.
 * The graph is held as the edges sorted by (from, to) plus the sorted
 * node ids, both searched by bisection: O((V + E) log E), no hashing.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/depgraph.h"

#define NODE_UNSEEN	SIZE_MAX
#define NODE_SOURCE	(SIZE_MAX - 1)

/* The cycle text being written; output past the buffer is dropped. */
struct cycle_text {
	char	*buf;
	size_t	 size;
	size_t	 len;
};

static void
text_add(struct cycle_text *t, const char *sep, long long id)
{
	int	 n;

	if (t->buf == NULL || t->len + 1 >= t->size)
		return;
	n = snprintf(t->buf + t->len, t->size - t->len, "%s%lld", sep, id);
	if (n < 0)
		return;
	if ((size_t)n >= t->size - t->len)
		t->len = t->size - 1;	/* truncated, still terminated */
	else
		t->len += (size_t)n;
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct dep_edge	*x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	return 0;
}

static int
id_cmp(const void *a, const void *b)
{
	long long	 x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Index of the first edge from `from` in e[0..n) (sorted), or n. */
static size_t
edges_from(const struct dep_edge *e, size_t n, long long from)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e[mid].from < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of id in the sorted, unique ids[0..n); it is always there. */
static size_t
node_index(const long long *ids, size_t n, long long id)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
depgraph_cycle(long long self, const long long *deps, size_t ndeps,
    const struct dep_edge *edges, size_t nedges, char *buf, size_t bufsz)
{
	struct cycle_text	 text = { buf, bufsz, 0 };
	struct dep_edge		*e = NULL;
	long long		*ids = NULL;
	size_t			*parent = NULL, *queue = NULL;
	size_t			 m = 0, nids = 0, i, j, k, head, tail, u, v;
	size_t			 last = NODE_UNSEEN, npath;
	int			 rc = -1;

	if (buf != NULL && bufsz > 0)
		buf[0] = '\0';
	if (ndeps == 0)
		return 0;
	for (i = 0; i < ndeps; i++)
		if (deps[i] == self) {
			text_add(&text, "", self);
			text_add(&text, " -> ", self);
			return 1;
		}

	/* Cap the sizes before allocating: ids holds deps and both ends. */
	if (ndeps > SIZE_MAX / sizeof(long long) ||
	    nedges > (SIZE_MAX / sizeof(long long) - ndeps) / 2)
		return -1;
	if (nedges > 0 && (e = calloc(nedges, sizeof(e[0]))) == NULL)
		goto out;
	if ((ids = calloc(ndeps + 2 * nedges, sizeof(ids[0]))) == NULL)
		goto out;

	/* self's own edges are the ones being replaced. */
	for (i = 0; i < nedges; i++)
		if (edges[i].from != self)
			e[m++] = edges[i];
	if (m > 0)
		qsort(e, m, sizeof(e[0]), edge_cmp);

	for (i = 0; i < ndeps; i++)
		ids[nids++] = deps[i];
	for (i = 0; i < m; i++) {
		ids[nids++] = e[i].from;
		ids[nids++] = e[i].to;
	}
	qsort(ids, nids, sizeof(ids[0]), id_cmp);
	for (i = 0, j = 0; i < nids; i++)
		if (j == 0 || ids[i] != ids[j - 1])
			ids[j++] = ids[i];
	nids = j;

	if ((parent = calloc(nids, sizeof(parent[0]))) == NULL ||
	    (queue = calloc(nids, sizeof(queue[0]))) == NULL)
		goto out;
	for (i = 0; i < nids; i++)
		parent[i] = NODE_UNSEEN;
	for (i = 0; i < ndeps; i++)
		parent[node_index(ids, nids, deps[i])] = NODE_SOURCE;
	/* Sources in ascending id: ids is sorted. */
	tail = 0;
	for (i = 0; i < nids; i++)
		if (parent[i] == NODE_SOURCE)
			queue[tail++] = i;

	for (head = 0; head < tail && last == NODE_UNSEEN; head++) {
		u = queue[head];
		for (k = edges_from(e, m, ids[u]); k < m && e[k].from == ids[u];
		    k++) {
			if (e[k].to == self) {
				last = u;
				break;
			}
			v = node_index(ids, nids, e[k].to);
			if (parent[v] == NODE_UNSEEN) {
				parent[v] = u;
				queue[tail++] = v;
			}
		}
	}

	if (last == NODE_UNSEEN) {
		rc = 0;
		goto out;
	}
	/* Walk back to the source; the queue is free to hold the path. */
	npath = 0;
	for (u = last; u != NODE_SOURCE; u = parent[u])
		queue[npath++] = u;
	text_add(&text, "", self);
	while (npath > 0)
		text_add(&text, " -> ", ids[queue[--npath]]);
	text_add(&text, " -> ", self);
	rc = 1;
out:
	free(queue);
	free(parent);
	free(ids);
	free(e);
	return rc;
}
