/*
 * The JSON API: each api_*.c file holds one namespace's route rows and
 * handlers; api.c joins the tables and keeps the helpers every handler
 * shares (validation, pagination, the audit entry, user JSON).
 */
#ifndef RO_API_H
#define RO_API_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/paginate.h"
#include "core/validate.h"
#include "http/request.h"
#include "http/response.h"
#include "http/route.h"

/* The console's session cookie: the login's JWT (api/authn.c). */
#define SESSION_COOKIE	"resilops_session"

struct jsonw;
struct sla_config;
struct user;

/* Each namespace's table. */
extern const struct route	 api_auth_routes[];
extern const size_t		 api_auth_nroutes;
extern const struct route	 api_users_routes[];
extern const size_t		 api_users_nroutes;
extern const struct route	 api_audit_routes[];
extern const size_t		 api_audit_nroutes;
extern const struct route	 api_health_routes[];
extern const size_t		 api_health_nroutes;
extern const struct route	 api_depmap_routes[];
extern const size_t		 api_depmap_nroutes;
extern const struct route	 api_services_routes[];
extern const size_t		 api_services_nroutes;
extern const struct route	 api_status_routes[];
extern const size_t		 api_status_nroutes;
extern const struct route	 api_risk_routes[];
extern const size_t		 api_risk_nroutes;
extern const struct route	 api_alerts_routes[];
extern const size_t		 api_alerts_nroutes;
extern const struct route	 api_integrations_routes[];
extern const size_t		 api_integrations_nroutes;
extern const struct route	 api_tickets_routes[];
extern const size_t		 api_tickets_nroutes;
extern const struct route	 api_ticket_lists_routes[];
extern const size_t		 api_ticket_lists_nroutes;
extern const struct route	 api_ticket_work_routes[];
extern const size_t		 api_ticket_work_nroutes;
extern const struct route	 api_notifications_routes[];
extern const size_t		 api_notifications_nroutes;
extern const struct route	 api_analytics_routes[];
extern const size_t		 api_analytics_nroutes;
extern const struct route	 api_sla_routes[];
extern const size_t		 api_sla_nroutes;
extern const struct route	 api_apikeys_routes[];
extern const size_t		 api_apikeys_nroutes;
extern const struct route	 api_security_routes[];
extern const size_t		 api_security_nroutes;
extern const struct route	 api_scan_routes[];
extern const size_t		 api_scan_nroutes;
extern const struct route	 api_incidents_routes[];
extern const size_t		 api_incidents_nroutes;
extern const struct route	 api_subscribers_routes[];
extern const size_t		 api_subscribers_nroutes;
extern const struct route	 api_maintenance_routes[];
extern const size_t		 api_maintenance_nroutes;

/*
 * The service a route's <id> names (struct service, db_service_get):
 * 404 "Service not found" when there is none.  Every authenticated user
 * sees every service.
 */
extern const struct route_scope api_service_scope;

/*
 * Who is calling (api/authn.c): the authenticators' table, for struct
 * app (see authenticate_fn in http/dispatch.h).
 */
int	 api_authenticate(struct request *, struct response *, bool optional);

/* The joined route table (static storage); *n gets its length. */
const struct route *api_routes(size_t *n);

/*
 * Open a write transaction.  Writes no longer queue behind one row (the
 * audit chain head is the sealer's: db_audit_seal): each locks the rows
 * it changes, and one that deadlocks with another is run again by the
 * dispatcher (DB_ERR_RETRY).  0 or -1.
 */
int	 api_begin(struct request *);
/*
 * The same, having written the row every caller of this writes
 * (db_serialize) until it commits: for the rare write that must not
 * race with itself anywhere, and has no row of its own to lock (the
 * first account becoming admin; a dependency edit, whose cycle check
 * reads the whole graph).  0 or -1.
 */
int	 api_begin_serial(struct request *);
/*
 * Validate req->json against the fields its route declares (struct
 * route's body) into out, an array of nout; on failure answer 400 with
 * the message and return 400, else 0.  A route without a body table,
 * or with more fields than out holds, is a programming error: 500.
 */
int	 api_validate(struct request *, struct response *,
	    struct vvalue *out, size_t nout);
#define API_VALIDATE(req, resp, out) \
	api_validate((req), (resp), (out), sizeof(out) / sizeof((out)[0]))
/*
 * A paginated list, declared: how to fetch one page and how to show an
 * item.  api_list() does the rest every list shares: ?page/?per_page
 * (400), the fetch, the array, X-Total-Count and Link.  A list route
 * names api_list_route as its handler and its struct api_list as arg.
 */
struct api_rows {
	void		*v;	/* malloc'd array of n items of the list's size */
	size_t		 n;
	long long	 total;	/* items in the whole list */
};

struct api_list {
	size_t		 size;	/* of one item */
	/*
	 * One page into rows (the offset and limit of pg).  0, -1, or the
	 * status of an answer it made (a bad filter: 400).
	 */
	int		(*fetch)(struct request *, struct response *,
			    const struct page *pg, struct api_rows *rows);
	void		(*clear)(void *item);
	long long	 per_page;	/* the list's default page size; 0: 100 */
	const char	*name;		/* api_security_write_envelope's key */
	/*
	 * An item written straight into the page's text (util/jsonw, the
	 * text json-c's tree of it made): no json-c object per item.
	 */
	void		(*write)(struct request *, const void *item,
			    struct jsonw *);
	/*
	 * The envelope written around the items (NULL: the bare array, the
	 * seeds' lists), called with open before them (it writes up to the
	 * array's key) and again after (the members that follow, the
	 * object's end).
	 */
	void		(*write_envelope)(struct request *, struct jsonw *,
			    const struct page *, long long total, bool open);
};

/*
 * Answer status with the one value written into w (util/jsonw), the
 * text json-c would have made of it; w is empty after.  0 or -1.
 */
int	 api_answer_written(struct request *, struct response *, int status,
	    struct jsonw *w);
/*
 * o's text, as json-c writes it, for w's next value: null for NULL; out
 * of memory w fails (an answer never shows a null in a value's place).
 */
void	 api_write_tree(struct jsonw *w, struct json_object *o);
int	 api_list(struct request *, struct response *, const struct api_list *);
/* The handler of a list route: req->route->arg is its struct api_list. */
int	 api_list_route(struct request *, struct response *);
/*
 * The security seed's envelope, written (an api_list's write_envelope):
 * {<list name>: [...], "pagination": {page, per_page, total, pages,
 * has_next, has_prev}}.
 */
void	 api_security_write_envelope(struct request *, struct jsonw *,
	    const struct page *, long long total, bool open);
/* That envelope around arr (which it takes) under name. */
struct json_object *api_envelope(const char *name, struct json_object *arr,
	    const struct page *, long long total);

/*
 * The integers of a validated V_INT_ARRAY value (a request's id list)
 * into a malloc'd array the caller frees: NULL and 0 when the field is
 * absent, null or empty.  0 or -1.
 */
int	 api_int_array(const struct vvalue *, long long **out, size_t *n);

/*
 * An anonymous attempt of kind from the client's address: recorded,
 * then refused with 429, msg and Retry-After once the address made
 * [auth] signup_max_addr of them in signup_window (the refused one is
 * forgotten: it cost nothing).  0, the 429 answered, or -1.
 */
int	 api_throttle_addr(struct request *, struct response *,
	    const char *kind, const char *msg);
/* ?page/?per_page into pg; 400 answered and returned on bad values, else 0. */
int	 api_page(struct request *, struct response *, struct page *pg);
/* X-Total-Count and Link headers for a page of a list of total items. */
void	 api_page_headers(struct request *, struct response *,
	    const struct page *, long long total);
/*
 * Append an audit entry for the caller (user, address, agent, now)
 * inside the open transaction: the status the request is answered
 * with, entity_id (0 for none), details (JSON object text or NULL) and
 * the request's body, redacted (api_redact).  0 or -1.
 */
int	 api_audit(struct request *, int status, const char *action,
	    const char *entity, long long entity_id, const char *details);
/*
 * The entry api_audit appends, for a writer that sends it itself (the
 * heartbeat's routine): r filled, *data the malloc'd details text r
 * points to (caller frees; NULL when none).  0 or -1.
 */
struct audit_record;
int	 api_audit_entry(struct request *, int status, const char *action,
	    const char *entity, long long entity_id, const char *details,
	    struct audit_record *r, char **data);
/* The same, for a caller who is not (yet) authenticated: no body kept. */
int	 api_audit_as(struct request *, int status, long long uid,
	    const char *username, const char *action, const char *entity,
	    long long entity_id);
/*
 * What an audit entry keeps of a request: {"details": details (if any),
 * "request": the body with every secret removed} as JSON text
 * (malloc'd, caller frees), or NULL when there is neither.  Removed:
 * the values of fields named like secrets (password, token, api_key,
 * secret, sensitive_data, ...: core/redact) at any depth, and any string
 * equal to the credential the request authenticated with.
 */
char	*api_audit_data(const struct request *, const char *details);
/* An ISO 8601 string, or null for t == 0. */
struct json_object *json_time(time_t t);
/* A string, or null for NULL. */
struct json_object *json_str(const char *s);
/* An id, or null for 0. */
struct json_object *json_id(long long id);
/*
 * {id, username, role, email, name, active, created_at}; role in the
 * SLA Guard spelling (MANAGER, SENIOR_TECHNICIAN) when upper.
 */
struct json_object *json_user(const struct user *, bool upper);
/*
 * One priority's SLA as /api/sla/config shows it: {id, priority,
 * sla_hours, first_response_hours, warn_percent, calendar, updated_at}.
 * A new object, or NULL out of memory or when the stored calendar does
 * not read (api_sla.c).
 */
struct json_object *api_sla_json(const struct sla_config *);
/* The role spelling this request's answers use (CONTRACT 5). */
#define api_role_upper(req)	((req)->authed && (req)->who.role_upper)

#endif
