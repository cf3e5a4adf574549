/*
 * Pagination of the bare-array lists: page and per_page from the query
 * string, the row offset, and the RFC 8288 Link header (first, prev,
 * next, last) that points back at the same path with the client's
 * other query parameters kept in order.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/paginate.h"

/* Past this page the row offset would not fit a long long. */
#define PAGE_MAX_NUMBER	(LLONG_MAX / PAGE_MAX_SIZE)

/* Digits only, at least one, no overflow, at least 1. */
static int
page_number(const char *s, long long *out)
{
	const char	*p;
	long long	 v;

	if (*s == '\0')
		return -1;
	for (p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	/* Digits to the end: strtoll reads them all, only range can fail. */
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno == ERANGE || v < 1)
		return -1;
	*out = v;
	return 0;
}

int
page_parse(const char *page, const char *per_page, struct page *out)
{
	struct page	 pg = { 1, PAGE_DEFAULT_SIZE };

	if (page != NULL &&
	    (page_number(page, &pg.page) == -1 || pg.page > PAGE_MAX_NUMBER))
		return -1;
	if (per_page != NULL && page_number(per_page, &pg.per_page) == -1)
		return -1;
	if (pg.per_page > PAGE_MAX_SIZE)
		pg.per_page = PAGE_MAX_SIZE;
	*out = pg;
	return 0;
}

long long
page_offset(const struct page *pg)
{

	return (pg->page - 1) * pg->per_page;
}

/*
 * Bytes kept as they are inside the <URI> of a Link header: RFC 3986
 * unreserved, reserved and '%'.  Everything else, notably '<', '>',
 * '"', spaces and control characters from a raw query string, is
 * percent-encoded so the header cannot be broken out of.
 */
static bool
uri_safe(unsigned char c)
{

	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

/* Append s[0..len) percent-encoding as needed; buf was sized by caller. */
static char *
put_uri(char *p, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i;
	unsigned char		 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (uri_safe(c))
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 0xf];
		}
	}
	return p;
}

/*
 * Whether the parameter at s is named page or per_page: its name ends
 * at '=', or with the parameter at '&' or the end of the query.
 */
static bool
page_param(const char *s)
{
	size_t	 n;

	n = strcspn(s, "=&");
	return (n == 4 && memcmp(s, "page", 4) == 0) ||
	    (n == 8 && memcmp(s, "per_page", 8) == 0);
}

/* The query without page and per_page, each kept parameter then '&'. */
static char *
put_kept_query(char *p, const char *query)
{
	const char	*s = query;
	size_t		 len;

	while (s != NULL && *s != '\0') {
		len = strcspn(s, "&");
		if (len > 0 && !page_param(s)) {
			p = put_uri(p, s, len);
			*p++ = '&';
		}
		s += len;
		if (*s == '&')
			s++;
	}
	return p;
}

static char *
put_link(char *p, const char *path, size_t plen, const char *query,
    long long page, long long per_page, const char *rel, bool first)
{
	int	 n;

	if (!first) {
		memcpy(p, ", ", 2);
		p += 2;
	}
	*p++ = '<';
	p = put_uri(p, path, plen);
	*p++ = '?';
	p = put_kept_query(p, query);
	/* Room for both numbers was reserved by page_link. */
	n = sprintf(p, "page=%lld&per_page=%lld>; rel=\"%s\"", page,
	    per_page, rel);
	return p + n;
}

char *
page_link(const char *path, const char *query, const struct page *pg,
    long long total)
{
	char		*buf, *p;
	size_t		 plen, qlen, one;
	long long	 last, prev;

	if (path == NULL || pg == NULL || pg->page < 1 || pg->per_page < 1)
		return NULL;
	plen = strlen(path);
	qlen = query != NULL ? strlen(query) : 0;
	if (plen > SIZE_MAX / 16 || qlen > SIZE_MAX / 16)
		return NULL;
	/*
	 * One link at most: ", <" path (each byte up to 3) "?" query
	 * (up to 3 each, and '&' for empty ones) and the fixed tail.
	 */
	one = 4 + 3 * plen + 3 * qlen + 1 +
	    sizeof("page=&per_page=>; rel=\"first\"") + 2 * 20;
	if ((buf = malloc(4 * one + 1)) == NULL)
		return NULL;

	if (total < 0)
		total = 0;
	last = total / pg->per_page + (total % pg->per_page != 0);
	if (last < 1)
		last = 1;
	/* From past the end, prev leads back to the last real page. */
	prev = pg->page - 1 < last ? pg->page - 1 : last;

	p = put_link(buf, path, plen, query, 1, pg->per_page, "first", true);
	if (pg->page > 1)
		p = put_link(p, path, plen, query, prev, pg->per_page, "prev",
		    false);
	if (pg->page < last)
		p = put_link(p, path, plen, query, pg->page + 1, pg->per_page,
		    "next", false);
	p = put_link(p, path, plen, query, last, pg->per_page, "last", false);
	*p = '\0';
	return buf;
}
