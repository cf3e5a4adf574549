/*
 * /api/risk: the latest risk record of a service, saving an automated
 * score (core/risk's rules over what db_risk_input loads), manual
 * records (add, and update of the latest manual one) and the history
 * (CONTRACT section 4).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/risk.h"
#include "core/service.h"
#include "db/db.h"
#include "db/db_risk.h"
#include "db/db_riskstate.h"
#include "http/dispatch.h"
#include "util/jsonw.h"

#define RISK_REQUIRED_MSG	"Risk score and risk level are required"
#define RISK_SCORE_BADMSG	"Risk score must be an integer between 0 and 100"
#define RISK_LEVEL_BADMSG	"Risk level must be Low, Medium, or High"
#define RISK_REASON_CHARS	10000	/* fits the TEXT column in any UTF-8 */

enum { MR_SCORE, MR_LEVEL, MR_REASON, MR_CRITICAL, MR__MAX };

static const struct vfield manual_fields[MR__MAX] = {
	[MR_SCORE] = { "risk_score", V_INT, VF_REQUIRED, 0, 100, NULL,
	    RISK_REQUIRED_MSG, RISK_SCORE_BADMSG },
	[MR_LEVEL] = { "risk_level", V_ENUM, VF_REQUIRED, 0, 0,
	    risk_level_choices, RISK_REQUIRED_MSG, RISK_LEVEL_BADMSG },
	[MR_REASON] = { "reason", V_STRING, VF_NULLABLE, 0, RISK_REASON_CHARS,
	    NULL, NULL, NULL },
	[MR_CRITICAL] = { "is_critical", V_BOOL, 0, 0, 0, NULL, NULL, NULL },
};
static const struct vtable manual_body = VTABLE(manual_fields);

static struct json_object *
risk_json(const struct risk_record *r)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "service_id",
	    json_object_new_int64(r->service_id));
	json_object_object_add(o, "risk_score", json_object_new_int(r->score));
	json_object_object_add(o, "risk_level",
	    json_str(risk_level_name(r->level)));
	json_object_object_add(o, "is_critical",
	    json_object_new_boolean(r->is_critical));
	json_object_object_add(o, "reason", json_str(r->reason));
	json_object_object_add(o, "source",
	    json_str(risk_source_name(r->manual)));
	json_object_object_add(o, "created_by", json_str(r->created_by));
	json_object_object_add(o, "created_at", json_time(r->created_at));
	return o;
}

/*
 * The seed checks presence first (either field missing or null), then
 * the score, then the level; its score message covers a wrong type too
 * ("abc", 1.5, true), which the table alone would word differently.
 */
static int
manual_validate(struct request *req, struct response *resp,
    struct vvalue v[MR__MAX])
{
	struct json_object	*score = NULL, *level = NULL;
	long long		 x;

	if (json_object_is_type(req->json, json_type_object)) {
		json_object_object_get_ex(req->json, "risk_score", &score);
		json_object_object_get_ex(req->json, "risk_level", &level);
	}
	if (score == NULL || level == NULL)
		return resp_error(resp, 400, RISK_REQUIRED_MSG);
	if (valid_int(score, 0, 100, &x) != 0)
		return resp_error(resp, 400, RISK_SCORE_BADMSG);
	return api_validate(req, resp, v, MR__MAX);
}

static int
risk_get(struct request *req, struct response *resp)
{
	struct risk_record	 rec;
	bool			 exists;
	int			 rc;

	memset(&rec, 0, sizeof(rec));
	rc = db_risk_latest(req->db, req->params[0], &exists, &rec);
	if (rc == -1)
		return -1;
	if (rc == 0)
		return resp_error(resp, 404, exists ?
		    "No risk score available for this service" :
		    "Service not found");
	rc = resp_json(resp, 200, risk_json(&rec));
	risk_record_clear(&rec);
	return rc;
}

static int
risk_save(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct risk_ctx		 ctx = RISK_CTX_INIT;
	struct risk_result	 res;
	struct risk_record	 rec;
	struct json_object	*o;
	long long		 id = req->params[0];
	int			 rc = -1;

	if (api_begin(req) == -1)
		return -1;
	if ((rc = db_risk_input(db, id, req->now, &ctx)) != 1) {
		if (rc == 0) {
			db_rollback(db);
			rc = resp_error(resp, 404, "Service not found");
		}
		goto out;
	}
	rc = -1;
	risk_score(&ctx.in, &res);
	memset(&rec, 0, sizeof(rec));
	rec.service_id = id;
	rec.score = res.score;
	rec.level = res.level;
	rec.is_critical = res.is_critical;
	rec.reason = res.reason;		/* borrowed: rec is not cleared */
	rec.manual = false;
	rec.created_by = req->who.username;
	rec.created_at = req->now;
	if (db_risk_insert(db, &rec) == -1) {
		if (db_error(db) == DB_ERR_FK) {
			/* Deleted since it was read. */
			db_rollback(db);
			rc = resp_error(resp, 404, "Service not found");
		}
		goto out;
	}
	/* The job compares with the latest automated record: this one. */
	if (db_riskstate_bump(db, RS_SERVICE, id, 0) == -1 ||
	    api_audit(req, 200, "Automated Risk Score Saved", "Risk", id,
	    NULL) == -1 || db_commit(db) == -1)
		goto out;
	o = json_object_new_object();
	json_object_object_add(o, "message",
	    json_object_new_string("Risk score saved"));
	json_object_object_add(o, "service_id", json_object_new_int64(id));
	json_object_object_add(o, "risk_score", json_object_new_int(res.score));
	json_object_object_add(o, "risk_level",
	    json_str(risk_level_name(res.level)));
	json_object_object_add(o, "is_critical",
	    json_object_new_boolean(res.is_critical));
	json_object_object_add(o, "reason", json_object_new_string(res.reason));
	rc = resp_json(resp, 200, o);
out:
	risk_ctx_clear(&ctx);
	return rc;
}

/* {"risk_id": N} for the audit entry (entity_id is the service). */
static void
risk_details(char *buf, size_t bufsz, long long risk_id)
{
	snprintf(buf, bufsz, "{\"risk_id\": %lld}", risk_id);
}

/* A new manual record from validated fields, inside the open transaction. */
static int
risk_manual_insert(struct request *req, struct response *resp,
    const struct vvalue *v)
{
	struct db		*db = req->db;
	struct risk_record	 rec;
	long long		 id = req->params[0];
	char			 details[64];

	memset(&rec, 0, sizeof(rec));
	rec.service_id = id;
	rec.score = (int)v[MR_SCORE].i;
	rec.level = (enum risk_level)risk_level_parse(v[MR_LEVEL].s);
	rec.is_critical = v[MR_CRITICAL].present && v[MR_CRITICAL].i;
	/* Borrowed from the body and the caller: rec is not cleared. */
	rec.reason = v[MR_REASON].present && !v[MR_REASON].null ?
	    (char *)v[MR_REASON].s : NULL;
	rec.manual = true;
	rec.created_by = req->who.username;
	rec.created_at = req->now;
	if (db_risk_insert(db, &rec) == -1) {
		if (db_error(db) != DB_ERR_FK)
			return -1;
		db_rollback(db);
		return resp_error(resp, 404, "Service not found");
	}
	risk_details(details, sizeof(details), rec.id);
	if (api_audit(req, 200, "Manual Risk Score Added", "Risk", id,
	    details) == -1 || db_commit(db) == -1)
		return -1;
	return 0;
}

static int
risk_manual_add(struct request *req, struct response *resp)
{
	struct vvalue	 v[MR__MAX];
	int		 rc;

	if (manual_validate(req, resp, v) != 0)
		return resp->status;
	if (api_begin(req) == -1)
		return -1;
	if ((rc = risk_manual_insert(req, resp, v)) != 0)
		return rc;
	return resp_message(resp, 200, "Manual risk score added");
}

static int
risk_manual_update(struct request *req, struct response *resp)
{
	struct db		*db = req->db;
	struct vvalue		 v[MR__MAX];
	struct risk_record	 rec;
	long long		 id = req->params[0];
	char			 details[64];
	bool			 exists;
	int			 rc;

	if (manual_validate(req, resp, v) != 0)
		return resp->status;
	memset(&rec, 0, sizeof(rec));
	if (api_begin(req) == -1)
		return -1;
	if ((rc = db_risk_latest_manual(db, id, &exists, &rec)) != 1) {
		if (rc == -1)
			return -1;
		if (!exists) {
			db_rollback(db);
			return resp_error(resp, 404, "Service not found");
		}
		/*
		 * The reference web client only ever sends PUT: with no
		 * manual record yet, the first one is added (CONTRACT 4).
		 */
		if ((rc = risk_manual_insert(req, resp, v)) != 0)
			return rc;
		return resp_message(resp, 200, "Manual risk score updated");
	}
	rc = -1;
	rec.score = (int)v[MR_SCORE].i;
	rec.level = (enum risk_level)risk_level_parse(v[MR_LEVEL].s);
	/* Partial update: an absent reason or is_critical is kept. */
	if (v[MR_CRITICAL].present)
		rec.is_critical = v[MR_CRITICAL].i != 0;
	if (v[MR_REASON].present) {
		free(rec.reason);
		rec.reason = NULL;
		if (!v[MR_REASON].null &&
		    (rec.reason = strdup(v[MR_REASON].s)) == NULL)
			goto out;
	}
	risk_details(details, sizeof(details), rec.id);
	if (db_risk_update(db, &rec) == -1 ||
	    api_audit(req, 200, "Manual Risk Score Updated", "Risk", id,
	    details) == -1 || db_commit(db) == -1)
		goto out;
	rc = resp_message(resp, 200, "Manual risk score updated");
out:
	risk_record_clear(&rec);
	return rc;
}

static int
risk_history_fetch(struct request *req, struct response *resp,
    const struct page *pg, struct api_rows *rows)
{
	struct risk_record	*v = NULL;
	int			 rc;

	rc = db_risk_history(req->db, req->params[0], page_offset(pg),
	    pg->per_page, &v, &rows->n, &rows->total);
	if (rc != 1) {
		free(v);	/* no rows when there is no service */
		return rc == 0 ? resp_error(resp, 404, "Service not found") : -1;
	}
	rows->v = v;
	return 0;
}

/* A history's item, risk_json's members with util/jsonw: no object a row. */
static void
risk_item_write(struct request *req, const void *item, struct jsonw *w)
{
	const struct risk_record	*r = item;

	(void)req;
	jsonw_object(w);
	jsonw_key_int(w, "id", r->id);
	jsonw_key_int(w, "service_id", r->service_id);
	jsonw_key_int(w, "risk_score", r->score);
	jsonw_key_string(w, "risk_level", risk_level_name(r->level));
	jsonw_key_bool(w, "is_critical", r->is_critical);
	jsonw_key_string(w, "reason", r->reason);
	jsonw_key_string(w, "source", risk_source_name(r->manual));
	jsonw_key_string(w, "created_by", r->created_by);
	jsonw_key_time(w, "created_at", r->created_at);
	jsonw_object_end(w);
}

static void
risk_record_clear_v(void *r)
{
	risk_record_clear(r);
}

static const struct api_list risk_history = {
	.size = sizeof(struct risk_record),
	.fetch = risk_history_fetch,
	.clear = risk_record_clear_v,
	.write = risk_item_write,
};

const struct route api_risk_routes[] = {
	{ HTTP_GET, "/api/risk/<id>", PERM_AUTH, risk_get, TAKES_NONE, NULL,
	    NULL, NULL },
	{ HTTP_POST, "/api/risk/<id>/save", PERM_RISK_WRITE, risk_save,
	    TAKES_NONE, NULL, NULL, NULL },
	{ HTTP_POST, "/api/risk/<id>/manual", PERM_RISK_WRITE,
	    risk_manual_add, 0, NULL, NULL, &manual_body },
	{ HTTP_PUT, "/api/risk/<id>/manual", PERM_RISK_WRITE,
	    risk_manual_update, 0, NULL, NULL, &manual_body },
	{ HTTP_GET, "/api/risk/<id>/history", PERM_AUTH, api_list_route,
	    TAKES_NONE, NULL, &risk_history, NULL },
};
const size_t api_risk_nroutes = sizeof(api_risk_routes) / sizeof(api_risk_routes[0]);
