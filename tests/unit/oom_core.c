/*
 * The allocation failure scenarios of src/core and src/http's pure
 * parts (tests/unit/oom.c): body validation against the route table,
 * the audit chain and its checkpoints, credentials, redaction,
 * integration configs, mail, metrics text, badges and the status
 * page's states, the interval and calendar parsers, the ticket
 * statements, a request from its parameters and a response's head;
 * and the page documents built from fixed data (src/page): the status
 * page, a service's page, the Atom feed, the console's services, a
 * service, an incident and a ticket, and /api/sla/config's object.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api/api.h"
#include "core/auditchain.h"
#include "core/auditcheckpoint.h"
#include "core/badge.h"
#include "core/credential.h"
#include "core/depgraph.h"
#include "core/integration.h"
#include "core/intervaltext.h"
#include "core/mailmsg.h"
#include "core/maintenance.h"
#include "core/paginate.h"
#include "core/perm.h"
#include "core/promtext.h"
#include "core/redact.h"
#include "core/riskwindow.h"
#include "core/rollupdiff.h"
#include "core/statuspage.h"
#include "core/ticket.h"
#include "core/validate.h"
#include "db/db_risk.h"
#include "db/db_sla.h"
#include "db/db_ticket.h"
#include "db/db_ticket_query.h"
#include "http/request.h"
#include "http/response.h"
#include "http/route.h"
#include "oom.h"
#include "page/consoledoc.h"
#include "page/page_routes.h"
#include "page/statusdoc.h"
#include "util/conf.h"
#include "util/json.h"
#include "util/keyring.h"

#define NOW	((time_t)1764842400)	/* 2025-12-04 10:00:00 UTC */
#define DAY	86400L

/* Digest a JSON value as text; -1 when printing it fails. */
static int
digest_json(struct json_object *o)
{
	const char	*text;
	size_t		 len;

	if ((text = json_text(o, &len)) == NULL)
		return -1;
	oom_digest(text, len);
	return 0;
}

/*
 * A body checked against every route's declared fields (core/validate
 * over page/site's table), as the dispatcher does before a handler.
 */
static int
validate_routes(void)
{
	static const char	 text[] =
	    "{\"name\": \"Payments API\", \"description\": \"Cards\", "
	    "\"status\": \"Up\", \"public\": true, \"dependencies\": [1, 2], "
	    "\"title\": \"Outage\", \"message\": \"Looking into it\", "
	    "\"impact\": \"major\", \"priority\": \"High\", \"service_id\": "
	    "\"3\", \"starts_at\": \"2025-12-04T10:00:00Z\", \"ends_at\": "
	    "\"2025-12-04T12:00:00Z\", \"email\": \"jo@example.org\", "
	    "\"tags\": [\"a\", \"b\"], \"config\": {\"webhook_url\": "
	    "\"https://hooks.example.com/x\"}}";
	const struct route	*routes;
	struct json_object	*body;
	struct vvalue		 out[64];
	char			 err[512];
	size_t			 n, i, j;
	int			 rc;

	if ((body = json_parse_strict(text, sizeof(text) - 1)) == NULL)
		return -1;
	routes = site_routes(&n);
	for (i = 0; i < n; i++) {
		if (routes[i].body == NULL || routes[i].body->n > 64)
			continue;
		err[0] = '\0';
		rc = validate_body(body, routes[i].body->fields,
		    routes[i].body->n, out, err, sizeof(err));
		oom_digest(&rc, sizeof(rc));
		oom_digest_str(err);
		for (j = 0; rc == 0 && j < routes[i].body->n; j++) {
			oom_digest(&out[j].present, sizeof(out[j].present));
			oom_digest(&out[j].i, sizeof(out[j].i));
			if (out[j].s != NULL)
				oom_digest(out[j].s, out[j].len);
		}
	}
	json_object_put(body);
	return 0;
}

static const unsigned char audit_key[] = "oom-audit-key-0123456789abcdef";

/* Chain three entries, verify the chain, checkpoint its head. */
static int
audit_chain(void)
{
	struct audit_record		 r[3];
	struct auditchain_verifier	 v;
	struct audit_checkpoint		 cp, back;
	unsigned char			 mac[3][AUDIT_MAC_LEN], prev[AUDIT_MAC_LEN];
	char				 line[AUDITCHECKPOINT_LINE_MAX];
	size_t				 i;

	memset(r, 0, sizeof(r));
	for (i = 0; i < 3; i++) {
		r[i].id = (long long)i + 1;
		r[i].ts = NOW + (time_t)i;
		r[i].user_id = 5;
		r[i].username = i == 1 ? NULL : "alice";
		r[i].action = "update";
		r[i].entity = "service";
		r[i].entity_id = 9;
		r[i].ip = "192.0.2.1";
		r[i].user_agent = i == 2 ? NULL : "curl/8";
		r[i].details = "{\"name\":\"x\",\"password\":\"***\"}";
		r[i].status = 200;
	}
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < 3; i++) {
		if (auditchain_mac(audit_key, sizeof(audit_key) - 1, prev, &r[i],
		    mac[i]) != 0)
			return -1;
		memcpy(prev, mac[i], AUDIT_MAC_LEN);
	}
	auditchain_verify_init(&v);
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < 3; i++) {
		/* A failure to compute is a broken chain: refused. */
		if (auditchain_verify_next(&v, audit_key, sizeof(audit_key) - 1,
		    &r[i], prev, mac[i]) != 0)
			return -1;
		memcpy(prev, mac[i], AUDIT_MAC_LEN);
	}
	memset(&cp, 0, sizeof(cp));
	cp.seq = 3;
	memcpy(cp.mac, mac[2], AUDIT_MAC_LEN);
	cp.at = NOW;
	auditcheckpoint_set_host(&cp, "host.example.com");
	if (auditcheckpoint_format(&cp, line, sizeof(line)) < 0 ||
	    auditcheckpoint_parse(line, &back) != 1)
		return 2;
	if (auditcheckpoint_check(&back, 3, mac[2]) != AUDITCHECKPOINT_MATCH)
		return 2;
	oom_digest(mac, sizeof(mac));
	oom_digest_str(line);
	return 0;
}

/* A new API key, the secret of the audit key, the key's hash. */
static int
credential(void)
{
	unsigned char	 secret[CREDENTIAL_HASH_LEN], hash[CREDENTIAL_HASH_LEN];
	char		 key[CREDENTIAL_MAX + 1];

	if (credential_make(APIKEY_PREFIX, key) != 0)
		return -1;
	if (!credential_shape_ok(key, APIKEY_PREFIX))
		return 2;
	if (credential_secret("oom-audit-key-0123456789abcdef", secret) != 0 ||
	    credential_hash(secret, "rk_0123456789abcdefghijABCDEFGHIJ0123",
	    hash) != 0)
		return -1;
	oom_digest(secret, sizeof(secret));
	oom_digest(hash, sizeof(hash));
	return 0;
}

/* A request body with secrets, redacted for the audit trail. */
static int
redact(void)
{
	static const char	 text[] =
	    "{\"username\": \"alice\", \"password\": \"hunter2\", \"profile\": "
	    "{\"api_key\": \"x\", \"list\": [\"eyJ.bearer.token\", "
	    "\"rk_0123456789abcdefghijABCDEFGHIJ0123\", 3, null, {\"token\": "
	    "1}]}, \"note\": \"plain\"}";
	static const char *const creds[] = { "eyJ.bearer.token", NULL };
	struct json_object	*in, *out;
	int			 rc;

	if ((in = json_parse_strict(text, sizeof(text) - 1)) == NULL)
		return -1;
	out = redact_copy(in, creds, 2);
	json_object_put(in);
	if (out == NULL)
		return -1;
	rc = digest_json(out);
	json_object_put(out);
	return rc;
}

static const char integration_text[] =
    "{\"webhook_url\": \"https://hooks.example.com/T000/B000/xyz\", "
    "\"channel\": \"#ops\", \"headers\": {\"Authorization\": \"Bearer s3\", "
    "\"X-Trace\": \"1\"}, \"to\": [\"a@example.org\", \"b@example.org\"], "
    "\"api_token\": \"tok-secret\", \"nested\": {\"secret\": \"deep\"}}";

/* What the audit trail keeps of a request: details and redacted body. */
static int
audit_data(void)
{
	static const char	 text[] =
	    "{\"username\": \"bob\", \"password\": \"hunter2\", \"note\": "
	    "\"my token is eyJ.secret.tok\", \"tags\": [\"a\", {\"api_key\": "
	    "\"x\"}]}";
	struct request		 req;
	char			*data;

	memset(&req, 0, sizeof(req));
	req.authorization = "Bearer eyJ.secret.tok";
	req.api_key = "rk_0123456789abcdefghijABCDEFGHIJ0123";
	if ((req.json = json_parse_strict(text, sizeof(text) - 1)) == NULL)
		return -1;
	data = api_audit_data(&req, "{\"id\": 7, \"changed\": [\"name\"]}");
	json_object_put(req.json);
	if (data == NULL)
		return -1;
	oom_digest_str(data);
	free(data);
	return 0;
}

/* An integration's config checked and shown redacted. */
static int
integration_config(void)
{
	struct json_object	*cfg, *shown;
	char			 err[256];
	int			 rc;

	if ((cfg = json_parse_strict(integration_text,
	    sizeof(integration_text) - 1)) == NULL)
		return -1;
	rc = integration_config_check(integration_type_parse("slack"), cfg,
	    NULL, err, sizeof(err));
	oom_digest(&rc, sizeof(rc));
	if ((shown = integration_redact(cfg)) == NULL) {
		json_object_put(cfg);
		return -1;
	}
	rc = digest_json(shown);
	json_object_put(shown);
	json_object_put(cfg);
	return rc;
}

/* The ring the sealing scenarios use: two keys, the second seals. */
static int
ring(struct keyring *kr)
{
	static const char	*hex[] = {
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
	};
	size_t			 i;

	memset(kr, 0, sizeof(*kr));
	for (i = 0; i < 2; i++)
		if (aead_key_from_hex(&kr->keys[i], hex[i], (int)i + 1) != 0)
			return -1;
	kr->n = 2;
	kr->newest = 1;
	return 0;
}

/* Its secrets sealed for the row, shown redacted, opened again. */
static int
integration_sealing(void)
{
	struct keyring		 kr;
	struct json_object	*cfg, *sealed = NULL, *shown = NULL,
				*opened = NULL;
	int			 rc = -1;

	if (ring(&kr) != 0)
		return 2;
	if ((cfg = json_parse_strict(integration_text,
	    sizeof(integration_text) - 1)) == NULL)
		goto out;
	if ((sealed = integration_seal(&kr, 7, cfg)) == NULL)
		goto out;
	/*
	 * A predicate: out of memory it answers false, the safe answer
	 * (resilops-admin keys rotate then seals the row again).
	 */
	if (!integration_sealed_with(sealed, 2))
		goto out;
	if ((shown = integration_redact_sealed(sealed)) == NULL ||
	    (opened = integration_open(&kr, 7, sealed)) == NULL)
		goto out;
	if (digest_json(shown) != 0 || digest_json(opened) != 0)
		goto out;
	rc = 0;
out:
	json_object_put(opened);
	json_object_put(shown);
	json_object_put(sealed);
	json_object_put(cfg);
	keyring_wipe(&kr);
	return rc;
}

/* A notification email with a display name and an unsubscribe link. */
static int
mail_message(void)
{
	static const char *const	 to[] = { "jo@example.org",
					    "ann@example.net" };
	struct mailmsg			 m;
	char				*text, err[256];
	size_t				 len;

	memset(&m, 0, sizeof(m));
	m.from = "status@example.com";
	m.from_name = "Acme Status \xc3\xa9";
	m.to = to;
	m.nto = 2;
	m.subject = "[Down] Payments API: no heartbeat \xe2\x80\x94 since 10:00";
	m.body = "Payments API is down.\nSince 10:00 UTC.\r\n\n.\nA dot line.\n";
	m.unsubscribe = "https://status.example.com/status/unsubscribe?t=abc";
	m.one_click = true;
	m.date = NOW;
	m.id = "abc123.9";
	if ((text = mailmsg_build(&m, &len, err, sizeof(err))) == NULL)
		return -1;
	oom_digest(text, len);
	free(text);
	return 0;
}

/* /metrics' text: families, labelled samples, a histogram. */
static int
prom_text(void)
{
	static const double	 bounds[] = { 0.01, 0.1, 1, 10 };
	static const uint64_t	 counts[] = { 5, 10, 2, 1, 0 };
	static const char *const labels[] = { "route", "/api/services/<id>",
				    "status", "200 \"ok\"\n", NULL };
	struct promtext		 pt;
	char			*text;
	size_t			 len;
	int			 i;

	memset(&pt, 0, sizeof(pt));
	for (i = 0; i < 8; i++) {
		promtext_family(&pt, "resilops_requests_total", PROM_COUNTER,
		    "Requests answered.");
		promtext_sample(&pt, "resilops_requests_total", labels, 42 + i);
		promtext_sample_u64(&pt, "resilops_bytes_total", NULL,
		    UINT64_C(18446744073709551615));
		promtext_histogram(&pt, "resilops_request_seconds", labels,
		    bounds, 4, counts, 3.25);
	}
	if ((text = promtext_take(&pt, &len)) == NULL)
		return -1;
	oom_digest(text, len);
	free(text);
	return 0;
}

/* The badges and the 90 bars of the status page (SVG). */
static int
badges(void)
{
	long	 down[90], outages[90];
	char	*s;
	size_t	 len, i;

	if ((s = badge_svg("payments api", "99.95%", BADGE_GREEN,
	    &len)) == NULL)
		return -1;
	oom_digest(s, len);
	free(s);
	if ((s = statuspage_badge(SHOWN_DEGRADED, &len)) == NULL)
		return -1;
	oom_digest(s, len);
	free(s);
	for (i = 0; i < 90; i++) {
		down[i] = (long)(i % 7) * 600;
		outages[i] = (long)(i % 7);
	}
	if ((s = statuspage_bars_svg(NOW - NOW % DAY - 89 * DAY, 90,
	    NOW - 60 * DAY, down, outages, &len)) == NULL)
		return -1;
	oom_digest(s, len);
	free(s);
	return 0;
}

/* Shown states through dependencies, as the status page decides them. */
static int
status_states(void)
{
	static const long long	 d2[] = { 1 }, d3[] = { 2 }, d4[] = { 3, 1 };
	struct sp_service	 v[4];
	size_t			 i;

	memset(v, 0, sizeof(v));
	for (i = 0; i < 4; i++) {
		v[i].id = (long long)i + 1;
		v[i].status = STATUS_UP;
		v[i].last_updated = NOW - 60;
		v[i].public = true;
	}
	v[0].status = STATUS_DOWN;
	v[1].deps = d2;
	v[1].ndeps = 1;
	v[2].deps = d3;
	v[2].ndeps = 1;
	v[3].deps = d4;
	v[3].ndeps = 2;
	if (statuspage_states(v, 4, NOW, 600) != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		oom_digest(&v[i].shown, sizeof(v[i].shown));
		oom_digest(&v[i].via, sizeof(v[i].via));
	}
	return 0;
}

/* Maintenance windows: the summary text, and outages outside them. */
static int
maintenance(void)
{
	static const char	 windows[] =
	    "[[1764835200, 1764846000], [1764900000, null], [1, 2]]";
	struct interval		 iv[] = {
		{ NOW - 7200, NOW - 3600 }, { NOW - 600, 0 },
		{ NOW - 3 * DAY, NOW - 3 * DAY + 600 },
	};
	struct interval		 win[] = {
		{ NOW - 5400, NOW - 4000 }, { NOW - 300, NOW + 300 },
	};
	struct interval		*w, *out;
	size_t			 n, nout;
	int			 rc;

	if ((rc = intervals_parse(windows, sizeof(windows) - 1, &w, &n)) != 0)
		return rc == -2 ? -1 : 2;
	oom_digest(w, n * sizeof(*w));
	free(w);
	if (maint_subtract(iv, 3, win, 2, NOW, &out, &nout) != 0)
		return -1;
	oom_digest(out, nout * sizeof(*out));
	free(out);
	/* A summary's windows all end (sql/022). */
	rc = maint_windows_active("[[1764835200, 1764846000], [1, 2]]", 34,
	    NOW);
	if (rc == -1)
		return -1;
	oom_digest(&rc, sizeof(rc));
	return 0;
}

/* The Link header of a list's page. */
static int
page_links(void)
{
	struct page	 pg = { 3, 25 };
	char		*s;

	if ((s = page_link("/api/services", "status=Down&page=2&q=a%20b&"
	    "per_page=10&x=%C3%A9", &pg, 1000)) == NULL)
		return -1;
	oom_digest_str(s);
	free(s);
	return 0;
}

/* How long a service's risk score holds (sched/job_risk). */
static int
risk_window(void)
{
	struct interval	 dt[] = {
		{ NOW - 3 * DAY, NOW - 3 * DAY + 600 },
		{ NOW - DAY, NOW - DAY + 7200 }, { NOW - 300, 0 },
	};
	time_t		 from, until;

	risk_window_span(dt, 3, NOW, &from, &until);
	/* Documented: without memory, the span of now alone. */
	if (from == NOW && until == NOW + 1)
		return -1;
	oom_digest(&from, sizeof(from));
	oom_digest(&until, sizeof(until));
	return 0;
}

/* The rollup rows to delete and to write. */
static int
rollup(void)
{
	struct rollup_day	 kept[4], want[4], *del, *put;
	size_t			 ndel, nput, i;

	memset(kept, 0, sizeof(kept));
	memset(want, 0, sizeof(want));
	for (i = 0; i < 4; i++) {
		kept[i].service_id = want[i].service_id = 1;
		kept[i].d.day = NOW - NOW % DAY - (time_t)(4 - i) * DAY;
		want[i].d.day = kept[i].d.day + DAY;
		kept[i].d.down_seconds = (long)i * 60;
		want[i].d.down_seconds = (long)i * 90;
	}
	if (rollup_diff(kept, 4, want, 4, &del, &ndel, &put, &nput) != 0)
		return -1;
	oom_digest(del, ndel * sizeof(*del));
	oom_digest(put, nput * sizeof(*put));
	free(del);
	free(put);
	return 0;
}

/* A dependency that would close a cycle. */
static int
dependencies(void)
{
	static const struct dep_edge	 e[] = {
		{ 2, 3 }, { 3, 4 }, { 4, 1 }, { 5, 1 }, { 1, 6 },
	};
	static const long long		 deps[] = { 2, 5 };
	char				 buf[256];
	int				 rc;

	if ((rc = depgraph_cycle(1, deps, 2, e, 5, buf, sizeof(buf))) == -1)
		return -1;
	oom_digest(&rc, sizeof(rc));
	oom_digest_str(buf);
	return 0;
}

/* A ticket's business-hours calendar read, written and read again. */
static int
ticket_calendar(void)
{
	static const char		 text[] =
	    "{\"time_zone\": \"Europe/Berlin\", \"working_days\": [5, 1, 2, 3, "
	    "4], \"start\": \"09:00\", \"end\": \"17:30\", \"holidays\": "
	    "[\"2026-12-26\", \"2026-12-25\"]}";
	static struct ticket_calendar	 tc, back;
	struct json_object		*o, *out;
	const char			*s;
	char				 err[200];
	int				 rc = -1;

	if ((o = json_parse_strict(text, sizeof(text) - 1)) == NULL)
		return -1;
	if (ticket_calendar_from_json(o, &tc, err, sizeof(err)) != 0) {
		json_object_put(o);
		return -1;
	}
	json_object_put(o);
	if ((out = ticket_calendar_json(&tc)) == NULL)
		return -1;
	if ((s = json_text(out, NULL)) != NULL &&
	    ticket_calendar_parse(s, &back) == 0) {
		oom_digest_str(s);
		oom_digest(back.cal.open, sizeof(back.cal.open));
		rc = 0;
	}
	json_object_put(out);
	return rc;
}

/* The statement of a ticket list with every filter. */
static int
ticket_query(void)
{
	char	*s;

	if ((s = db_ticket_query_compose("SELECT COUNT(*) FROM tickets t",
	    TQ_BIT(TQF_VIEW_OWN) | TQ_BIT(TQF_HIGH_RISK) | TQ_BIT(TQF_STATUS) |
	    TQ_BIT(TQF_LEVEL_WARNING) | TQ_BIT(TQF_ASSIGNEE) |
	    TQ_BIT(TQF_SERVICE), " LIMIT ?")) == NULL)
		return -1;
	oom_digest_str(s);
	free(s);
	return 0;
}

/*
 * A request from the web server's parameters, routed, with its query,
 * cookie and form body read (http/request, http/route).
 */
static int
request(void)
{
	static char		*env[] = {
		"REQUEST_METHOD=POST",
		"QUERY_STRING=page=2&per_page=10&q=a+b%20c&status=Down",
		"REQUEST_URI=/console/services/7/edit?page=2",
		"REMOTE_ADDR=192.0.2.9", "HTTP_USER_AGENT=agent/1",
		"HTTP_X_REQUEST_ID=abc-123",
		"HTTP_COOKIE=a=b; resilops_session=tok%20x; c=d",
		"HTTP_ORIGIN=https://a.example.com",
		"CONTENT_TYPE=application/x-www-form-urlencoded", NULL,
	};
	static const char	 form[] =
	    "name=Payments+API&tag=a&tag=b%21&note=%C3%A9t%C3%A9&empty=";
	static const char *const names[] = { "page", "per_page", "q", "status",
				    "missing" };
	struct netcheck_nets	 none;
	struct request		 req;
	struct route_match	 m;
	struct json_object	*f;
	const struct route	*routes;
	char			*v;
	size_t			 n, i;
	bool			 bad;
	int			 rc = -1, found;

	memset(&none, 0, sizeof(none));
	memset(&req, 0, sizeof(req));
	request_from_params(&req, &none, env);
	/* A path that cannot be decoded (here: no memory) is a 400. */
	if (req.path == NULL)
		goto out;
	oom_digest_str(req.path);
	oom_digest_str(req.query);
	oom_digest_str(req.request_id);
	routes = site_routes(&n);
	memset(&m, 0, sizeof(m));
	found = route_find(routes, n, req.method, req.path, &m);
	oom_digest(&found, sizeof(found));
	oom_digest(m.params, sizeof(m.params));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		bad = false;
		/* Out of memory the request is refused: query_param. */
		if ((v = query_param(req.query, names[i], &bad)) == NULL &&
		    bad)
			goto out;
		oom_digest_str(v);
		oom_digest(&bad, sizeof(bad));
		free(v);
	}
	if ((v = cookie_get(req.cookie, "resilops_session")) == NULL)
		goto out;
	oom_digest_str(v);
	free(v);
	if ((f = form_parse(form, sizeof(form) - 1)) == NULL)
		goto out;
	rc = digest_json(f);
	json_object_put(f);
out:
	request_free(&req);
	return rc;
}

/* An error answer, finished and its head written (http/response). */
static int
response(void)
{
	static struct conf	 cfg;
	struct response		 r;
	struct request		 req;
	const char		*body;
	char			*head;
	size_t			 len;

	memset(&req, 0, sizeof(req));
	req.method = HTTP_GET;
	req.origin = "https://a.example.com";
	strcpy(req.request_id, "rid");
	cfg.http.cors_origins = "https://a.example.com";
	memset(&r, 0, sizeof(r));
	resp_header(&r, "Retry-After", "%d", 5);
	resp_error(&r, 503, "Service <b>%d</b> is \"busy\"", 3);
	resp_finish(&req, &r, NULL);
	if ((head = resp_head(&req, &r, &cfg, &body, &len)) == NULL) {
		resp_free(&r);
		return -1;
	}
	/*
	 * Out of memory an error goes out as a bare status (resp_error):
	 * the status line is what must be right.
	 */
	oom_digest(head, strcspn(head, "\r"));
	free(head);
	resp_free(&r);
	return 0;
}

static struct conf	 page_cfg;

/*
 * The status pages' data (page/statusdoc), fixed: two public services,
 * one depending on a private one that is down, an outage still open
 * and one over, an incident with an update and a maintenance window;
 * its states decided.  0 or -1.
 */
static int
status_fixture(struct statusdata *sd)
{
	static const long long		 deps[] = { 1 }, ids[] = { 2 };
	static struct service		 svc[3];
	static struct incident_update	 up;
	static struct incident		 inc;
	static struct maint_window	 w;
	static struct downtime		 out[2];

	page_cfg.pages.title = (char *)"Acme Status";
	page_cfg.pages.base_url = (char *)"https://status.example.com";
	memset(svc, 0, sizeof(svc));
	svc[0] = (struct service){ .id = 1, .name = (char *)"Payments DB",
	    .created_at = NOW - 400 * DAY, .status = STATUS_DOWN,
	    .last_updated = NOW - 600 };
	svc[1] = (struct service){ .id = 2, .name = (char *)"Payments API",
	    .description = (char *)"Cards & wallets", .public = true,
	    .created_at = NOW - 60 * DAY, .status = STATUS_UP,
	    .last_updated = NOW - 60, .deps = (long long *)deps, .ndeps = 1 };
	svc[2] = (struct service){ .id = 3, .name = (char *)"Portal <beta>",
	    .public = true, .created_at = NOW - 10 * DAY,
	    .status = STATUS_UNKNOWN };
	up = (struct incident_update){ 81, 8, INCIDENT_INVESTIGATING,
	    (char *)"Looking into failed payments.", NULL, NOW - 1200 };
	inc = (struct incident){ .id = 8, .title = (char *)"Card payments "
	    "<failing>", .impact = INCIDENT_MAJOR, .status =
	    INCIDENT_INVESTIGATING, .created_at = NOW - 1200, .service_ids =
	    (long long *)ids, .nservices = 1, .updates = &up, .nupdates = 1 };
	w = (struct maint_window){ .id = 3, .title = (char *)"Upgrade",
	    .message = (char *)"Paused <now>.", .starts_at = NOW + 3600,
	    .ends_at = NOW + 7200, .service_ids = (long long *)ids,
	    .nservice_ids = 1 };
	/* Newest first: one still open, one over. */
	out[0] = (struct downtime){ 12, 2, NOW - 900, 0,
	    (char *)"no heartbeat" };
	out[1] = (struct downtime){ 11, 3, NOW - 2 * DAY, NOW - 2 * DAY + 600,
	    (char *)"HTTP 503 <x>" };
	memset(sd, 0, sizeof(*sd));
	sd->now = NOW;
	sd->out = out;
	sd->nout = 2;
	sd->svc = svc;
	sd->n = 3;
	sd->inc = &inc;
	sd->ninc = 1;
	sd->maint = &w;
	sd->nmaint = 1;
	if (statusdata_decide(sd, 600) != 0) {
		free(sd->sp);
		return -1;
	}
	return 0;
}

/* Digest a page's document and put it; -1 for none. */
static int
digest_doc(struct json_object *doc)
{
	int	 rc;

	if (doc == NULL)
		return -1;
	rc = digest_json(doc);
	json_object_put(doc);
	return rc;
}

/* /status's document (statusdoc_index). */
static int
status_page(void)
{
	struct statusdata	 sd;
	struct json_object	*doc;

	if (status_fixture(&sd) != 0)
		return -1;
	doc = statusdoc_index(&sd, &page_cfg);
	free(sd.sp);
	return digest_doc(doc);
}

/* /status/2's document (statusdoc_service). */
static int
service_page(void)
{
	struct interval		 iv[] = { { NOW - 3 * DAY, NOW - 3 * DAY + 600 } };
	struct statusdata	 sd;
	struct json_object	*doc;

	if (status_fixture(&sd) != 0)
		return -1;
	doc = statusdoc_service(&sd, &page_cfg, 2, iv, 1);
	free(sd.sp);
	return digest_doc(doc);
}

/* /status/feed.atom's document (statusdoc_feed). */
static int
status_feed(void)
{
	struct statusdata	 sd;
	struct json_object	*doc;

	if (status_fixture(&sd) != 0)
		return -1;
	doc = statusdoc_feed(&sd, &page_cfg);
	free(sd.sp);
	return digest_doc(doc);
}

/* Who looks at the console's pages: an admin, with a flash. */
static struct console_view
console_admin(void)
{
	struct console_view	 v = {
		.cfg = &page_cfg, .now = NOW, .username = "ann",
		.role = ROLE_ADMIN, .perms = role_perms(ROLE_ADMIN),
		.csrf = "5f3c0ffee0ddba11c0ffee0ddba11c0f",
		.flash = "Saved <ok>", .flash_ok = true,
	};

	page_cfg.pages.title = (char *)"Acme Ops";
	return v;
}

/* The API's answer text as the console gets it. */
static struct json_object *
api_answer(const char *text)
{
	return json_parse_strict(text, strlen(text));
}

/*
 * The console's services, page 2 of 3: their risks, labels and times
 * for people, the layout and the pager (page/consoledoc).
 */
static int
console_services(void)
{
	static const struct risk_brief	 risks[] = {
		{ 1, 82, RISK_HIGH }, { 2, 45, RISK_MEDIUM },
	};
	struct console_view		 v = console_admin();
	struct console_list		 l = { NULL, 2, 60 };

	if ((l.answer = api_answer("[{\"id\": 1, \"name\": \"Payments API\", "
	    "\"status\": \"Down\", \"created_at\": \"2025-01-02T03:04:05Z\", "
	    "\"last_updated\": \"2025-12-04T09:58:00Z\", \"bia\": "
	    "{\"signed_off_at\": \"2025-11-01T00:00:00Z\"}}, {\"id\": 2, "
	    "\"name\": \"Portal\", \"status\": \"Up\"}, {\"id\": 3, \"name\": "
	    "\"Mail\", \"status\": \"Unknown\"}]")) == NULL)
		return -1;
	return digest_doc(consoledoc_services(&v, l, risks, 2));
}

/*
 * A console service with its health, downtime and, out of the whole
 * list, its integrations (page/consoledoc).
 */
static int
console_service(void)
{
	static const char *const	 texts[] = {
		"{\"id\": 2, \"name\": \"Portal\", \"status\": \"Degraded\", "
		"\"last_updated\": \"2025-12-04T09:58:00Z\"}",
		"{\"score\": 40, \"uptime\": 99.5}",
		"[{\"id\": 4, \"start_time\": \"2025-12-03T10:00:00Z\", "
		"\"end_time\": null, \"reason\": \"no heartbeat\"}]",
		"[{\"id\": 1, \"service_id\": 2, \"type\": \"slack\"}, "
		"{\"id\": 2, \"service_id\": 3, \"type\": \"email\"}]",
	};
	struct console_view		 v = console_admin();
	struct json_object		*a[4];
	size_t				 i, k;

	for (i = 0; i < 4; i++)
		if ((a[i] = api_answer(texts[i])) == NULL) {
			for (k = 0; k < i; k++)
				json_object_put(a[k]);
			return -1;
		}
	return digest_doc(consoledoc_service(&v, a[0], a[1], a[2], a[3]));
}

/*
 * A console incident with its timeline, the services named and the
 * forms' choices (page/consoledoc_incidents).
 */
static int
console_incident(void)
{
	struct console_view	 v = console_admin();
	struct json_object	*inc, *services;

	if ((services = api_answer("[{\"id\": 1, \"name\": \"Payments "
	    "API\"}, {\"id\": 2, \"name\": \"Portal\"}]")) == NULL)
		return -1;
	if ((inc = api_answer("{\"id\": 8, \"title\": \"Card payments "
	    "failing\", \"impact\": \"major\", \"status\": \"identified\", "
	    "\"draft\": false, \"service_ids\": [1, 2, 9], \"created_at\": "
	    "\"2025-12-04T09:40:00Z\", \"updates\": [{\"id\": 81, \"status\": "
	    "\"investigating\", \"message\": \"Looking\", \"created_at\": "
	    "\"2025-12-04T09:40:00Z\"}, {\"id\": 82, \"status\": "
	    "\"identified\", \"message\": \"Found\", \"created_at\": "
	    "\"2025-12-04T09:50:00Z\"}]}")) == NULL) {
		json_object_put(services);
		return -1;
	}
	return digest_doc(consoledoc_incident(&v, inc, services));
}

/* A console ticket's countdown and clock (around the clock here). */
static int
console_ticket(void)
{
	struct console_view	 v = console_admin();
	struct json_object	*t, *act;

	if ((act = api_answer("[{\"action\": \"created\", \"timestamp\": "
	    "\"2025-12-04T08:00:00Z\"}]")) == NULL)
		return -1;
	if ((t = api_answer("{\"id\": 5, \"title\": \"Refunds fail\", "
	    "\"status\": \"IN_PROGRESS\", \"risk_level\": \"WARNING\", "
	    "\"sla_limit_hours\": 8, \"time_elapsed_hours\": 5.5, "
	    "\"risk_percentage\": 68.75, \"calendar\": null, \"created_at\": "
	    "\"2025-12-04T04:30:00Z\", \"due_at\": \"2025-12-04T12:30:00Z\"}"))
	    == NULL) {
		json_object_put(act);
		return -1;
	}
	return digest_doc(consoledoc_ticket(&v, t, act));
}

/* /api/sla/config's answer for a priority with a calendar (api_sla). */
static int
sla_config(void)
{
	struct sla_config	 c = {
		.id = 3, .priority = PRIO_HIGH, .sla_hours = 8,
		.first_response_hours = 1, .warn_percent = 75,
		.calendar = (char *)"{\"time_zone\":\"UTC\",\"working_days\":"
		    "[1,2,3,4,5],\"start\":\"09:00\",\"end\":\"17:00\","
		    "\"holidays\":[\"2025-12-25\"]}",
		.updated_at = NOW - DAY,
	};
	struct json_object	*o;
	int			 rc;

	if ((o = api_sla_json(&c)) == NULL)
		return -1;
	rc = digest_json(o);
	json_object_put(o);
	/* No calendar, no first-response target: their nulls. */
	c.calendar = NULL;
	c.first_response_hours = 0;
	if ((o = api_sla_json(&c)) == NULL)
		return -1;
	if (rc == 0)
		rc = digest_json(o);
	json_object_put(o);
	return rc;
}

const struct oom_scenario	 oom_core[] = {
	{ "validate_routes", validate_routes },
	{ "audit_chain", audit_chain },
	{ "credential", credential },
	{ "redact", redact },
	{ "audit_data", audit_data },
	{ "integration_config", integration_config },
	{ "integration_sealing", integration_sealing },
	{ "mail_message", mail_message },
	{ "prom_text", prom_text },
	{ "badges", badges },
	{ "status_states", status_states },
	{ "maintenance", maintenance },
	{ "page_links", page_links },
	{ "risk_window", risk_window },
	{ "rollup", rollup },
	{ "dependencies", dependencies },
	{ "ticket_calendar", ticket_calendar },
	{ "ticket_query", ticket_query },
	{ "request", request },
	{ "response", response },
	{ "status_page", status_page },
	{ "service_page", service_page },
	{ "status_feed", status_feed },
	{ "console_services", console_services },
	{ "console_service", console_service },
	{ "console_incident", console_incident },
	{ "console_ticket", console_ticket },
	{ "sla_config", sla_config },
};
const size_t			 oom_ncore = OOM_TABLE(oom_core);
