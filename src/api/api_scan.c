/*
 * /api/v1/security/scan and /scans (CONTRACT 6 and 9): deterministic
 * checks of an account, a service or an API key (core/scan), stored and
 * listed.  Admins (PERM_SCAN).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/perm.h"
#include "core/scan.h"
#include "db/db.h"
#include "db/db_scan.h"
#include "http/dispatch.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/jsonw.h"

#define ID_MAX	999999999999999999LL

static const struct vfield scan_fields[] = {
	{ "scan_type", V_STRING, VF_NULLABLE | VF_EMPTY_NULL, 1, 32, NULL, NULL,
	    NULL },
	{ "target_id", V_STRING, VF_REQUIRED, 1, 64, NULL,
	    "target_id is required", NULL },
};
static const struct vtable scan_body = VTABLE(scan_fields);

/* The PBKDF2 cost of a Werkzeug hash; 0 for anything else. */
static long
pbkdf2_iterations(const char *hash)
{
	const char	*p = "pbkdf2:sha256:";

	if (hash == NULL || strncmp(hash, p, strlen(p)) != 0)
		return 0;
	return strtol(hash + strlen(p), NULL, 10);
}

/* Run the scan of one target into r: 1 done, 0 no such target, -1. */
static int
scan_run(struct request *req, enum scan_type type, const char *target,
    struct scan_report *r)
{
	struct scan_account	 a;
	struct scan_service	 s;
	struct scan_key		 k;
	long long		 id;
	char			*hash = NULL;
	int			 rc, role = -1;

	switch (type) {
	case SCAN_ACCOUNT:
		if ((rc = db_scan_account(req->db, target, req->now, &a,
		    &hash, &role)) != 1)
			return rc;
		a.privileged = role >= 0 && (role_may(role, PERM_USERS) ||
		    role_may(role, PERM_SECURITY_AUDIT) ||
		    role_may(role, PERM_USERS_READ));
		a.iterations = pbkdf2_iterations(hash);
		a.iterations_wanted = req->app->cfg->auth.pbkdf2_iterations;
		free(hash);
		scan_account(&a, req->now, r);
		return 1;
	case SCAN_SERVICE:
		if (valid_int_str(target, 1, ID_MAX, &id) == -1)
			return 0;
		if ((rc = db_scan_service(req->db, id, &s)) != 1)
			return rc;
		scan_service(&s, req->now, r);
		return 1;
	default:
		if ((rc = db_scan_key(req->db, target, &k)) != 1)
			return rc;
		scan_key(&k, req->now, r);
		return 1;
	}
}

static struct json_object *
report_json(const struct scan_report *r)
{
	struct json_object	*o, *v, *rec, *chk, *f;
	size_t			 i;

	o = json_object_new_object();
	v = json_object_new_array();
	rec = json_object_new_array();
	chk = json_object_new_array();
	for (i = 0; i < r->nfindings; i++) {
		f = json_object_new_object();
		json_object_object_add(f, "severity", json_object_new_string(
		    scan_severity_name(r->findings[i].severity)));
		json_object_object_add(f, "type",
		    json_object_new_string(r->findings[i].type));
		json_object_object_add(f, "description",
		    json_object_new_string(r->findings[i].description));
		json_object_array_add(v, f);
		json_object_array_add(rec, json_object_new_string(
		    r->findings[i].recommendation));
	}
	for (i = 0; i < r->nchecks; i++)
		json_object_array_add(chk, json_object_new_string(r->checks[i]));
	json_object_object_add(o, "vulnerabilities", v);
	json_object_object_add(o, "recommendations", rec);
	json_object_object_add(o, "checks_performed", chk);
	return o;
}

/* The stored scan as the API shows it: the row's fields and its result. */
static struct json_object *
scan_json(const struct scan_row *s)
{
	struct json_object	*o;

	if ((o = json_parse_strict(s->result, strlen(s->result))) == NULL)
		o = json_object_new_object();
	json_object_object_add(o, "scan_id", json_object_new_string(s->scan_id));
	json_object_object_add(o, "scan_type", json_str(s->scan_type));
	json_object_object_add(o, "target_id", json_str(s->target_id));
	json_object_object_add(o, "security_score",
	    json_object_new_int(s->score));
	json_object_object_add(o, "created_by", json_id(s->created_by));
	json_object_object_add(o, "created_at", json_time(s->created_at));
	return o;
}

static int
scan_post(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[2];
	struct scan_report	 r;
	struct scan_row		 row;
	struct json_object	*res;
	char			 rnd[17];
	int			 type = SCAN_ACCOUNT, rc;

	if (API_VALIDATE(req, resp, v) != 0)
		return resp->status;
	if (v[0].present && !v[0].null && (type = scan_type_parse(v[0].s)) < 0)
		return resp_error(resp, 400, "Unsupported scan_type: %s "
		    "(supported: account, service, api_key)", v[0].s);
	if ((rc = scan_run(req, (enum scan_type)type, v[1].s, &r)) != 1)
		return rc == 0 ? resp_error(resp, 404, "Target not found") : -1;
	if (crypto_random_base62(rnd, 16) == -1)
		return -1;
	memset(&row, 0, sizeof(row));
	snprintf(row.scan_id, sizeof(row.scan_id), "scan_%s", rnd);
	row.scan_type = (char *)scan_type_name((enum scan_type)type);
	row.target_id = (char *)v[1].s;
	row.score = r.score;
	res = report_json(&r);
	row.result = (char *)json_text(res, NULL);
	row.created_by = req->who.uid;
	row.created_at = req->now;
	rc = -1;
	if (api_begin(req) == 0 && db_scan_insert(db, &row) == 0 &&
	    api_audit(req, 200, "Security Scan", (const char *)row.scan_type, 0,
	    NULL) == 0 && db_commit(db) == 0)
		rc = resp_json(resp, 200, scan_json(&row));
	json_object_put(res);
	return rc;
}

static int
scans_fetch(struct request *req, struct response *resp, const struct page *pg,
    struct api_rows *rows)
{
	struct scan_row	*v;

	(void)resp;
	if (db_scan_list(req->db, page_offset(pg), pg->per_page, &v,
	    &rows->n, &rows->total) == -1)
		return -1;
	rows->v = v;
	return 0;
}

/*
 * A listed scan written straight into the page's text (util/jsonw:
 * json-c's text byte for byte, members in scan_json's order): the
 * stored result's members as json-c reads and writes them (none when it
 * is not an object), then the row's.
 */
static void
scan_item_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct scan_row	*s = item;
	struct json_object	*o;
	const char		*text;
	size_t			 len;

	(void)req;
	jsonw_object(w);
	o = json_parse_strict(s->result, strlen(s->result));
	if (json_object_is_type(o, json_type_object) &&
	    json_object_object_length(o) > 0) {
		/* The members alone: the text less its braces. */
		if ((text = json_text(o, &len)) == NULL || len < 2)
			jsonw_set_failed(w);
		else
			jsonw_members(w, text + 1, len - 2);
	}
	json_object_put(o);
	jsonw_key_string(w, "scan_id", s->scan_id);
	jsonw_key_string(w, "scan_type", s->scan_type);
	jsonw_key_string(w, "target_id", s->target_id);
	jsonw_key_int(w, "security_score", s->score);
	jsonw_key_id(w, "created_by", s->created_by);
	jsonw_key_time(w, "created_at", s->created_at);
	jsonw_object_end(w);
}

static void
scan_clear_v(void *s)
{
	scan_row_clear(s);
}

static const struct api_list scans_list = {
	.size = sizeof(struct scan_row),
	.fetch = scans_fetch,
	.clear = scan_clear_v,
	.per_page = 20,
	.name = "scans",
	.write = scan_item_write,
	.write_envelope = api_security_write_envelope,
};

const struct route api_scan_routes[] = {
	{ HTTP_POST, "/api/v1/security/scan", PERM_SCAN, scan_post, 0, NULL,
	    NULL, &scan_body },
	{ HTTP_GET, "/api/v1/security/scans", PERM_SCAN, api_list_route,
	    TAKES_NONE, NULL, &scans_list, NULL },
};
const size_t api_scan_nroutes = sizeof(api_scan_routes) / sizeof(api_scan_routes[0]);
