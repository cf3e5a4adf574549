/*
 * The joined route table and the helpers every handler shares.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/throttle.h"
#include "db/db_throttle.h"
#include "core/isotime.h"
#include "core/redact.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_user.h"
#include "http/dispatch.h"
#include "util/conf.h"
#include "util/json.h"
#include "util/jsonw.h"
#include "util/log.h"

static const struct {
	const struct route	*rows;
	const size_t		*n;
} namespaces[] = {
	{ api_health_routes, &api_health_nroutes },
	{ api_auth_routes, &api_auth_nroutes },
	{ api_users_routes, &api_users_nroutes },
	{ api_audit_routes, &api_audit_nroutes },
	{ api_depmap_routes, &api_depmap_nroutes },
	{ api_services_routes, &api_services_nroutes },
	{ api_status_routes, &api_status_nroutes },
	{ api_risk_routes, &api_risk_nroutes },
	{ api_alerts_routes, &api_alerts_nroutes },
	{ api_integrations_routes, &api_integrations_nroutes },
	{ api_tickets_routes, &api_tickets_nroutes },
	{ api_ticket_lists_routes, &api_ticket_lists_nroutes },
	{ api_ticket_work_routes, &api_ticket_work_nroutes },
	{ api_notifications_routes, &api_notifications_nroutes },
	{ api_analytics_routes, &api_analytics_nroutes },
	{ api_sla_routes, &api_sla_nroutes },
	{ api_apikeys_routes, &api_apikeys_nroutes },
	{ api_security_routes, &api_security_nroutes },
	{ api_scan_routes, &api_scan_nroutes },
	{ api_incidents_routes, &api_incidents_nroutes },
	{ api_subscribers_routes, &api_subscribers_nroutes },
	{ api_maintenance_routes, &api_maintenance_nroutes },
};

#define API_ROUTES_MAX 256

const struct route *
api_routes(size_t *n)
{
	static struct route	 table[API_ROUTES_MAX];
	static size_t		 len;
	size_t			 i, j;

	if (len == 0)
		for (i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++)
			for (j = 0; j < *namespaces[i].n && len < API_ROUTES_MAX; j++)
				table[len++] = namespaces[i].rows[j];
	*n = len;
	return table;
}

int
api_begin(struct request *req)
{
	return db_begin(req->db);
}

int
api_begin_serial(struct request *req)
{
	if (db_begin(req->db) == -1)
		return -1;
	return db_serialize(req->db);
}

int
api_validate(struct request *req, struct response *resp, struct vvalue *out,
    size_t nout)
{
	const struct vtable	*b = NULL;
	char			 err[512];

	if (req->route != NULL)
		b = req->route->body;
	if (b == NULL || b->n > nout) {
		log_errx("%s %s: its route declares %s body fields",
		    req->method_name, req->route != NULL ?
		    req->route->pattern : "-", b == NULL ? "no" : "more");
		return resp_error(resp, 500, "Internal server error");
	}
	if (validate_body(req->json, b->fields, b->n, out, err,
	    sizeof(err)) == -1)
		return resp_error(resp, 400, "%s", err);
	return 0;
}


int
api_int_array(const struct vvalue *v, long long **out, size_t *n)
{
	size_t	 i, len;

	*out = NULL;
	*n = 0;
	if (!v->present || v->null ||
	    (len = json_object_array_length(v->obj)) == 0)
		return 0;
	if ((*out = calloc(len, sizeof(**out))) == NULL)
		return -1;
	/* validate_body checked each against the field's bounds. */
	for (i = 0; i < len; i++)
		if (valid_int(json_object_array_get_idx(v->obj, i), LLONG_MIN,
		    LLONG_MAX, &(*out)[i]) == -1) {
			free(*out);
			*out = NULL;
			return -1;
		}
	*n = len;
	return 0;
}

int
api_page(struct request *req, struct response *resp, struct page *pg)
{
	char	*page, *per;
	bool	 bad1, bad2;
	int	 rc;

	page = query_param(req->query, "page", &bad1);
	per = query_param(req->query, "per_page", &bad2);
	rc = (bad1 || bad2) ? -1 : page_parse(page, per, pg);
	free(page);
	free(per);
	if (rc == -1)
		return resp_error(resp, 400, PAGE_BADMSG);
	return 0;
}

void
api_page_headers(struct request *req, struct response *resp,
    const struct page *pg, long long total)
{
	char	*link;

	resp_header(resp, "X-Total-Count", "%lld", total);
	if ((link = page_link(req->path, req->query, pg, total)) != NULL) {
		resp_header(resp, "Link", "%s", link);
		free(link);
	}
}

struct json_object *
api_envelope(const char *name, struct json_object *arr, const struct page *pg,
    long long total)
{
	struct json_object	*o, *p;
	long long		 pages;

	pages = (total + pg->per_page - 1) / pg->per_page;
	p = json_object_new_object();
	json_object_object_add(p, "page", json_object_new_int64(pg->page));
	json_object_object_add(p, "per_page", json_object_new_int64(pg->per_page));
	json_object_object_add(p, "total", json_object_new_int64(total));
	json_object_object_add(p, "pages", json_object_new_int64(pages));
	json_object_object_add(p, "has_next",
	    json_object_new_boolean(pg->page < pages));
	json_object_object_add(p, "has_prev",
	    json_object_new_boolean(pg->page > 1));
	o = json_object_new_object();
	json_object_object_add(o, name, arr);
	json_object_object_add(o, "pagination", p);
	return o;
}

void
api_security_write_envelope(struct request *req, struct jsonw *w,
    const struct page *pg, long long total, bool open)
{
	const struct api_list	*l = req->route->arg;
	long long		 pages;

	if (open) {
		jsonw_object(w);
		jsonw_key(w, l->name);
		return;
	}
	/* As api_envelope, member for member. */
	pages = (total + pg->per_page - 1) / pg->per_page;
	jsonw_key(w, "pagination");
	jsonw_object(w);
	jsonw_key_int(w, "page", pg->page);
	jsonw_key_int(w, "per_page", pg->per_page);
	jsonw_key_int(w, "total", total);
	jsonw_key_int(w, "pages", pages);
	jsonw_key_bool(w, "has_next", pg->page < pages);
	jsonw_key_bool(w, "has_prev", pg->page > 1);
	jsonw_object_end(w);
	jsonw_object_end(w);
}

/* The page as JSON text, in the list's written envelope if any; 0 or -1. */
static int
list_text(struct request *req, struct response *resp,
    const struct api_list *l, const struct api_rows *rows,
    const struct page *pg)
{
	struct jsonw	 w;
	size_t		 i, len;
	const char	*item;
	char		*text;

	/* A service is some 400 bytes: most pages fit the first buffer. */
	jsonw_init(&w, 512 * rows->n + 256);
	if (l->write_envelope != NULL)
		l->write_envelope(req, &w, pg, rows->total, true);
	jsonw_array(&w);
	for (i = 0, item = rows->v; i < rows->n; i++, item += l->size)
		l->write(req, item, &w);
	jsonw_array_end(&w);
	if (l->write_envelope != NULL)
		l->write_envelope(req, &w, pg, rows->total, false);
	if ((text = jsonw_finish(&w, &len)) == NULL)
		return log_warnx("%s: the list's JSON text failed", req->path);
	resp_json_text(resp, 200, text, len);
	return 0;
}

int
api_answer_written(struct request *req, struct response *resp, int status,
    struct jsonw *w)
{
	size_t	 len;
	char	*text;

	if ((text = jsonw_finish(w, &len)) == NULL)
		return log_warnx("%s: the answer's JSON text failed", req->path);
	return resp_json_text(resp, status, text, len);
}

void
api_write_tree(struct jsonw *w, struct json_object *o)
{
	const char	*text;
	size_t		 len;

	if (o == NULL)
		jsonw_null(w);
	else if ((text = json_text(o, &len)) == NULL)
		jsonw_set_failed(w);
	else
		jsonw_raw(w, text, len);
}

int
api_list(struct request *req, struct response *resp,
    const struct api_list *l)
{
	struct api_rows		 rows;
	struct page		 pg;
	size_t			 i;
	char			*item;
	int			 rc = 0;

	if (api_page(req, resp, &pg) != 0)
		return resp->status;
	if (l->per_page > 0 && query_absent(req->query, "per_page"))
		pg.per_page = l->per_page;
	memset(&rows, 0, sizeof(rows));
	if ((rc = l->fetch(req, resp, &pg, &rows)) != 0)
		return rc;
	rc = list_text(req, resp, l, &rows, &pg);
	for (i = 0, item = rows.v; l->clear != NULL && i < rows.n;
	    i++, item += l->size)
		l->clear(item);
	free(rows.v);
	if (rc != 0)
		return rc;
	api_page_headers(req, resp, &pg, rows.total);
	return resp->status;
}

int
api_list_route(struct request *req, struct response *resp)
{
	return api_list(req, resp, req->route->arg);
}

/* Whether the request has a body for the audit trail to keep. */
static bool
audit_has_body(const struct request *req)
{
	return req->json != NULL && json_object_get_type(req->json) ==
	    json_type_object && json_object_object_length(req->json) > 0;
}

char *
api_audit_data(const struct request *req, const char *details)
{
	struct json_object	*o, *d = NULL, *body;
	const char		*creds[2], *s;
	char			*text;
	int			 bad = 0;

	/* The credentials this request presented: its bearer token, its key. */
	creds[0] = req->authorization != NULL &&
	    strncasecmp(req->authorization, "Bearer ", 7) == 0 ?
	    req->authorization + 7 + strspn(req->authorization + 7, " ") : NULL;
	creds[1] = req->api_key;
	if (details != NULL &&
	    (d = json_parse_strict(details, strlen(details))) == NULL)
		return NULL;
	body = NULL;
	if (audit_has_body(req) &&
	    (body = redact_copy(req->json, creds, 2)) == NULL) {
		json_object_put(d);
		return NULL;
	}
	if (d == NULL && body == NULL)
		return NULL;
	o = json_object_new_object();
	if (d != NULL)
		bad |= json_add(o, "details", d);
	if (body != NULL)
		bad |= json_add(o, "request", body);
	text = NULL;
	if (!bad && (s = json_text(o, NULL)) != NULL)
		text = strdup(s);
	json_object_put(o);
	return text;
}

/*
 * Fill r's request and client parts and its details (with body, the
 * redacted request body too) into *data, malloc'd or NULL, which r
 * points to.  0 or -1.
 */
static int
audit_fill(struct request *req, struct audit_record *r, const char *details,
    bool body, char **data)
{
	r->ts = req->now;
	r->ip = req->remote_addr;
	r->user_agent = req->user_agent;
	*data = NULL;
	/* NULL when there was something to keep: out of memory. */
	if ((details != NULL || (body && req->json != NULL)) &&
	    (*data = body ? api_audit_data(req, details) :
	    strdup(details)) == NULL &&
	    (details != NULL || audit_has_body(req)))
		return -1;
	r->details = *data;
	return 0;
}

/* Append r for the request and its client, as audit_fill makes it. */
static int
audit_append(struct request *req, struct audit_record *r, const char *details,
    bool body)
{
	char	*data;
	int	 rc;

	if (audit_fill(req, r, details, body, &data) == -1)
		return -1;
	rc = db_audit_append(req->db, r);
	free(data);
	return rc;
}

int
api_audit_as(struct request *req, int status, long long uid,
    const char *username, const char *action, const char *entity,
    long long entity_id)
{
	struct audit_record	 r;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.user_id = uid;
	r.username = username;
	r.action = action;
	r.entity = entity;
	r.entity_id = entity_id;
	/*
	 * No body: what an unauthenticated caller sends (a login typed into
	 * the wrong field) is not the trail's to keep.
	 */
	return audit_append(req, &r, NULL, false);
}

int
api_audit_entry(struct request *req, int status, const char *action,
    const char *entity, long long entity_id, const char *details,
    struct audit_record *r, char **data)
{
	memset(r, 0, sizeof(*r));
	r->status = status;
	r->user_id = req->authed ? req->who.uid : 0;
	r->username = req->authed ? req->who.username : NULL;
	r->action = action;
	r->entity = entity;
	r->entity_id = entity_id;
	return audit_fill(req, r, details, true, data);
}

int
api_audit(struct request *req, int status, const char *action,
    const char *entity, long long entity_id, const char *details)
{
	struct audit_record	 r;
	char			*data;
	int			 rc;

	if (api_audit_entry(req, status, action, entity, entity_id, details,
	    &r, &data) == -1)
		return -1;
	rc = db_audit_append(req->db, &r);
	free(data);
	return rc;
}

struct json_object *
json_time(time_t t)
{
	char	 buf[ISOTIME_LEN + 1];

	if (t == 0)
		return NULL;
	isotime_format(t, buf);
	return json_object_new_string(buf);
}

struct json_object *
json_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

struct json_object *
json_id(long long id)
{
	return id ? json_object_new_int64(id) : NULL;
}

struct json_object *
json_user(const struct user *u, bool upper)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(u->id));
	json_object_object_add(o, "username", json_str(u->username));
	json_object_object_add(o, "role", json_str(upper ?
	    role_name_upper(u->role) : role_name(u->role)));
	json_object_object_add(o, "email", json_str(u->email));
	json_object_object_add(o, "name", json_str(u->name));
	json_object_object_add(o, "active", json_object_new_boolean(u->active));
	json_object_object_add(o, "created_at", json_time(u->created_at));
	return o;
}

int
api_throttle_addr(struct request *req, struct response *resp,
    const char *kind, const char *msg)
{
	const struct conf	*cfg = req->app->cfg;
	struct throttle_limits	 lim = { 0, cfg->auth.signup_max_addr,
	    cfg->auth.signup_window };
	struct throttle_count	 c;
	long long		 id;
	long			 ra;

	if (db_throttle_record(req->db, kind, "",
	    req->remote_addr ? req->remote_addr : "", req->now,
	    req->now - lim.window, &id, &c) == -1)
		return -1;
	if (!throttle_refused(&c, &lim, req->now, &ra))
		return 0;
	if (db_throttle_forget(req->db, id) == -1)
		return -1;
	resp_header(resp, "Retry-After", "%ld", ra);
	return resp_error(resp, 429, "%s", msg);
}
