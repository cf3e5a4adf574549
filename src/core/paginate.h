/*
 * Pagination of bare-array lists: ?page=N&per_page=M (default 1 and
 * 100, per_page clamped to 1000) and the RFC 8288 Link header.
 */
#ifndef RO_PAGINATE_H
#define RO_PAGINATE_H

#define PAGE_DEFAULT_SIZE 100
#define PAGE_MAX_SIZE 1000
#define PAGE_BADMSG "Invalid page or per_page"

struct page {
	long long	 page;		/* 1-based */
	long long	 per_page;
};

/*
 * From the raw values of page and per_page (NULL when absent): both
 * positive integers (digits only).  0, or -1 for a bad value.
 */
int	 page_parse(const char *page, const char *per_page, struct page *out);
/* Row offset of the page (for LIMIT ? OFFSET ?). */
long long page_offset(const struct page *);
/*
 * Link header value for path?query (query without '?', may be NULL or
 * ""; its page/per_page are replaced, other parameters kept in order):
 * first and last always, prev unless on page 1, next unless on the last
 * page.  Returns a malloc'd string the caller frees, NULL on error.
 */
char	*page_link(const char *path, const char *query, const struct page *,
	    long long total);

#endif
