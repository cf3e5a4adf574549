/*
 * Reading the intervals a summary column keeps.  By hand rather than
 * through json-c: health reads one service's on every request, and a
 * tree of two objects per pair (then freed) cost more than the reading
 * (the services' summaries exist to make that read cheap).  The
 * grammar is small and the text our own server's, but it is parsed as
 * strictly as any input: one shape only, every number bounded, nothing
 * after the array.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/intervaltext.h"

/* Seconds that fit any time_t this builds for, and then some. */
#define SECONDS_MAX	((int64_t)1 << 40)

struct cursor {
	const char	*p;
	const char	*end;
};

static void
ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* The token ch, after whitespace.  0 or -1. */
static int
expect(struct cursor *c, char ch)
{
	ws(c);
	if (c->p == c->end || *c->p != ch)
		return -1;
	c->p++;
	return 0;
}

/* Whether the next token is ch (consumed when it is). */
static int
accept(struct cursor *c, char ch)
{
	return expect(c, ch) == 0;
}

/* An integer as JSON writes one (no leading zeros, no plus), bounded. */
static int
integer(struct cursor *c, int64_t *v)
{
	int	 neg = 0, digits = 0;

	ws(c);
	*v = 0;
	if (c->p < c->end && *c->p == '-') {
		neg = 1;
		c->p++;
	}
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (digits > 0 && *v == 0)
			return -1;	/* a leading zero */
		*v = *v * 10 + (*c->p++ - '0');
		if (++digits > 15 || *v > SECONDS_MAX)
			return -1;
	}
	if (digits == 0)
		return -1;
	if (neg)
		*v = -*v;
	return 0;
}

/* An integer, or null (as 0). */
static int
end_value(struct cursor *c, int64_t *v)
{
	ws(c);
	if (c->end - c->p >= 4 && c->p[0] == 'n' && c->p[1] == 'u' &&
	    c->p[2] == 'l' && c->p[3] == 'l') {
		c->p += 4;
		*v = 0;
		return 0;
	}
	return integer(c, v);
}

static int
pair(struct cursor *c, struct interval *iv)
{
	int64_t	 s, e;

	if (expect(c, '[') == -1 || integer(c, &s) == -1 ||
	    expect(c, ',') == -1 || end_value(c, &e) == -1 ||
	    expect(c, ']') == -1)
		return -1;
	iv->start = (time_t)s;
	iv->end = (time_t)e;
	return 0;
}

/* An upper bound of the pairs: every pair holds one '['. */
static size_t
pairs_at_most(const char *text, size_t len)
{
	size_t	 i, k = 0;

	for (i = 0; i < len; i++)
		k += text[i] == '[';
	return k > 0 ? k - 1 : 0;
}

int
intervals_parse(const char *text, size_t len, struct interval **out,
    size_t *n)
{
	struct cursor	 c = { text, text + len };
	struct interval	*iv = NULL;
	size_t		 cap, k = 0;

	*out = NULL;
	*n = 0;
	if (text == NULL || expect(&c, '[') == -1)
		return -1;
	cap = pairs_at_most(text, len);
	if (cap > 0 && (iv = calloc(cap, sizeof(*iv))) == NULL)
		return -2;
	if (!accept(&c, ']')) {
		do {
			if (k == cap || pair(&c, &iv[k]) == -1)
				goto bad;
			k++;
		} while (accept(&c, ','));
		if (expect(&c, ']') == -1)
			goto bad;
	}
	ws(&c);
	if (c.p != c.end)
		goto bad;
	if (k == 0) {
		free(iv);
		iv = NULL;
	}
	*out = iv;
	*n = k;
	return 0;
bad:
	free(iv);
	return -1;
}
