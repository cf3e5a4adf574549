/*
 * What every page handler shares: the base data of the layout (site
 * title, when the page was made), sending a rendered page, the error
 * page, and times written for people ("10:42 UTC") beside their ISO
 * form for <time datetime>.
 */
#ifndef RO_PAGE_H
#define RO_PAGE_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

struct conf;
struct request;
struct response;

#define PAGE_TIME_MAX	40

/*
 * The layout's data: site.title, title, updated and updated_iso (now),
 * home, feed (whether the page links the Atom feed).  A new object, or
 * NULL out of memory.
 */
struct json_object *page_base(const struct conf *, const char *title,
	    time_t now, int feed);
/*
 * Render template name with data (taken) into resp as an HTML page of
 * status; -1 when it cannot render or data is NULL (a builder out of
 * memory): the dispatcher answers 500.
 */
int	 page_send(struct request *, struct response *, int status,
	    const char *name, struct json_object *data);
/*
 * Answer buf (taken) as a cacheable body of status 200: an ETag of its
 * content and Cache-Control max-age; 304 with no body when the request
 * already holds it (If-None-Match).
 */
int	 page_cacheable(struct request *, struct response *, char *buf,
	    size_t len, int max_age);
/*
 * The daemon's static copy of req's page ([pages] static_dir, PATH.html
 * or PATH), answered 200 with X-Resilops-Copy: static; -1 when there is
 * none (struct app's static_copy).
 */
int	 page_static_copy(struct request *, struct response *);
/* The error page of the pages' templates (struct app's error_page). */
int	 page_error(const struct request *, struct response *);
/*
 * t for people: "10:42 UTC" when on the same UTC day as now, else
 * "3 Dec 2026, 10:42 UTC"; and "2026-12-03T10:42:00Z".
 */
void	 page_time(time_t t, time_t now, char out[PAGE_TIME_MAX]);
void	 page_iso(time_t t, char out[PAGE_TIME_MAX]);
/* A duration for people: "37 min", "2 h 5 min", "3 d 4 h". */
void	 page_duration(long seconds, char *buf, size_t bufsz);
/* s percent-encoded for a query string (malloc'd; NULL if no memory). */
char	*page_urlencode(const char *s);
/*
 * o[key] = arr (taken), and o["has_" key] whether it holds anything; 0,
 * or -1 for a NULL arr (a builder out of memory) or a failed add.
 */
int	 page_add_list(struct json_object *o, const char *key,
	    struct json_object *arr);
/* Add "<key>" and "<key>_iso" for t to o; 0, or -1 (util/json's json_add). */
int	 page_add_time(struct json_object *o, const char *key, time_t t,
	    time_t now);

#endif
