/*
 * The operator console (/console, CONTRACT 7): pages for people over
 * the API.  A page reads through the API's own routes and every form
 * posts to one (dispatch_as, as the logged-in user), so the console can
 * do exactly what the API lets that user do, under the same permission
 * table, validation and audit trail.  The session is the login's JWT
 * in an HttpOnly, SameSite=Strict cookie; every form carries a CSRF
 * token derived from it.
 */
#ifndef RO_CONSOLE_H
#define RO_CONSOLE_H

#include <stdarg.h>

#include <json-c/json.h>

#include "http/request.h"
#include "page/consoledoc.h"

struct response;

#define CONSOLE_CSRF_HEX	32

/*
 * Who is looking at req's page, for page/consoledoc: the user, what this
 * request may do, the session's CSRF token and the flash left by the
 * last form (used up: resp clears its cookie).  The view's strings are
 * req's or cv's own, until console_viewer_clear(cv).
 */
struct console_viewer {
	struct console_view	 view;
	char			 csrf[CONSOLE_CSRF_HEX + 1];
	char			*flash;
};
void	 console_viewer(struct request *, struct response *,
	    struct console_viewer *cv);
void	 console_viewer_clear(struct console_viewer *);
/*
 * Call the API as the console's user: method on the path made from fmt
 * (a query string may follow '?'), with body (taken; NULL for none).
 * *out gets the answer's JSON (caller puts; NULL when none), *total its
 * X-Total-Count when given (else -1).  Returns the API's status.
 */
int	 console_api(struct request *, enum http_method, struct json_object *body,
	    struct json_object **out, long long *total, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/*
 * A form's action: the API call as above, then back to the page at
 * back with the API's message (or error) as the flash.  Post, redirect,
 * get: a reload never repeats the action.  body NULL is a builder out
 * of memory (-1, no call) but for DELETE, which has none.
 */
int	 console_act(struct request *, struct response *, enum http_method,
	    struct json_object *body, const char *back, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/*
 * Set a cookie of the console: Path=/console, HttpOnly, SameSite=Strict
 * (and Secure over https); max_age 0 removes it.
 */
void	 console_cookie(const struct request *, struct response *,
	    const char *name, const char *value, long max_age);
/* A form field's text, or NULL. */
const char *console_field(const struct request *, const char *name);
/*
 * A new object {name: the field's text} of each of names (NULL-ended)
 * present in the form and not empty: a form as the API's JSON body;
 * NULL out of memory (never a body that lacks a field).
 */
struct json_object *console_fields(const struct request *,
	    const char *const *names);
/*
 * The form's field name (one check box each: a string, or an array of
 * them when several are ticked) as a new JSON array of numbers; a value
 * that is not a number goes as it is, for the API to refuse.  NULL out
 * of memory.
 */
struct json_object *console_form_ids(const struct request *,
	    const char *name);
/* The dispatcher's form guard: the CSRF token of the session or login. */
int	 console_form_guard(struct request *, struct response *);
/* Render a console page (template name) with data (taken). */
int	 console_send(struct request *, struct response *, int status,
	    const char *name, struct json_object *data);
/*
 * The catalogue's first 500 services (the API's answer, as the user
 * sees it), for a form's choices and names; NULL when unavailable.
 */
struct json_object *console_services_of(struct request *);
/*
 * A page of one of the API's objects: GET path (missing: the error page's
 * message when it is not there), shaped by doc, rendered with tpl.
 */
int	 console_object_page(struct request *, struct response *,
	    const char *path, const char *missing, const char *tpl,
	    struct json_object *(*doc)(const struct console_view *,
	    struct json_object *));
/* A form's page: doc of the services to choose from, rendered with tpl. */
int	 console_choice_page(struct request *, struct response *,
	    const char *tpl, struct json_object *(*doc)(
	    const struct console_view *, struct json_object *));
/*
 * A list's filter: ?name= of req's query, one of ok (NULL-ended), into
 * *value (malloc'd; NULL when absent).  0, or 400 answered with msg.
 */
int	 console_filter(struct request *, struct response *, const char *name,
	    const char *const *ok, const char *msg, char **value);
/* page=N of the query as an offset-free page number (1 on anything bad). */
long	 console_page(const struct request *);
/*
 * GET path?query, the page of it that req's query asks for, into l: the
 * answer (the caller puts it, or hands it on), the page and the
 * X-Total-Count.  Returns the API's status.
 */
int	 console_list_get(struct request *, struct console_list *l,
	    const char *path, const char *query);

extern const struct route	 console_routes[];
extern const size_t		 console_nroutes;
extern const struct route	 console_services_routes[];
extern const size_t		 console_services_nroutes;
extern const struct route	 console_work_routes[];
extern const size_t		 console_work_nroutes;
extern const struct route	 console_incidents_routes[];
extern const size_t		 console_incidents_nroutes;
extern const struct route	 console_maintenance_routes[];
extern const size_t		 console_maintenance_nroutes;

#endif
