/*
 * The status pages from fixed data, against golden files: the
 * documents of page/statusdoc rendered with the real templates/
 * (tests/golden, see golden.h).  Also: the template set refuses a
 * template that does not compile, naming file and position.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "golden.h"
#include "page/pages.h"
#include "page/statusdoc.h"
#include "suites.h"
#include "util/conf.h"

#define NOW	((time_t)1764842400)	/* 2025-12-04 10:00:00 UTC */
#define DAY	86400L
#define MIN	60L

static const long long	 api_deps[] = { 1 };
static const long long	 portal_deps[] = { 2 };

/*
 * Four services: a private database that is down, the public API that
 * depends on it, a portal whose heartbeats stopped and which depends on
 * the API, and a service that never reported (no BIA).
 */
static struct service *
fixture_services(size_t *n)
{
	static struct service	 v[4];

	memset(v, 0, sizeof(v));
	v[0].id = 1;
	v[0].name = (char *)"Payments DB";
	v[0].created_at = NOW - 400 * DAY;
	v[0].has_bia = true;
	v[0].bia.criticality = CRIT_HIGH;
	v[0].status = STATUS_DOWN;
	v[0].last_updated = NOW - 37 * MIN;
	v[1].id = 2;
	v[1].name = (char *)"Payments API";
	v[1].description = (char *)"Card & wallet payments";
	v[1].created_at = NOW - 60 * DAY;
	v[1].has_bia = true;
	v[1].bia.criticality = CRIT_HIGH;
	v[1].status = STATUS_UP;
	v[1].last_updated = NOW - MIN;
	v[1].deps = (long long *)api_deps;
	v[1].ndeps = 1;
	v[1].public = true;
	v[2].id = 3;
	v[2].name = (char *)"Portal <beta> \"Q&A\"";
	v[2].created_at = NOW - 400 * DAY;
	v[2].has_bia = true;
	v[2].bia.criticality = CRIT_MEDIUM;
	v[2].status = STATUS_UP;
	v[2].last_updated = NOW - 3 * 3600;
	v[2].deps = (long long *)portal_deps;
	v[2].ndeps = 1;
	v[2].public = true;
	v[3].id = 4;
	v[3].name = (char *)"Reports";
	v[3].created_at = NOW - 10 * DAY;
	v[3].status = STATUS_UNKNOWN;
	v[3].public = true;
	*n = 4;
	return v;
}

/*
 * Two incidents, newest first as db_incident_public answers: one open
 * on the API (and the private database, which the page must not name)
 * with two updates and a title that tries markup; one resolved on the
 * portal two days ago.
 */
static void
fixture_incidents(struct statusdata *sd, time_t today)
{
	static long long		 open_ids[] = { 1, 2 }, past_ids[] = { 3 };
	static struct incident_update	 open_up[2], past_up[2];
	static struct incident		 inc[2];

	memset(inc, 0, sizeof(inc));
	memset(open_up, 0, sizeof(open_up));
	memset(past_up, 0, sizeof(past_up));
	inc[0].id = 8;
	inc[0].title = (char *)"Card payments <failing> & \"slow\"";
	inc[0].impact = INCIDENT_CRITICAL;
	inc[0].status = INCIDENT_IDENTIFIED;
	inc[0].created_at = NOW - 40 * MIN;
	inc[0].service_ids = open_ids;
	inc[0].nservices = 2;
	open_up[0] = (struct incident_update){ 81, 8, INCIDENT_INVESTIGATING,
	    (char *)"We are looking into failed payments.", NULL,
	    NOW - 40 * MIN };
	open_up[1] = (struct incident_update){ 82, 8, INCIDENT_IDENTIFIED,
	    (char *)"The database failed over.\nReplaying the queue.",
	    NULL, NOW - 10 * MIN };
	inc[0].updates = open_up;
	inc[0].nupdates = 2;
	inc[1].id = 5;
	inc[1].title = (char *)"Portal certificate expired";
	inc[1].impact = INCIDENT_MAJOR;
	inc[1].status = INCIDENT_RESOLVED;
	inc[1].created_at = today - 2 * DAY + 3600 + 5 * MIN;
	inc[1].resolved_at = today - 2 * DAY + 6 * 3600;
	inc[1].service_ids = past_ids;
	inc[1].nservices = 1;
	past_up[0] = (struct incident_update){ 51, 5, INCIDENT_INVESTIGATING,
	    (char *)"Visitors see a certificate warning.", NULL,
	    today - 2 * DAY + 3600 + 5 * MIN };
	past_up[1] = (struct incident_update){ 52, 5, INCIDENT_RESOLVED,
	    (char *)"A new certificate is installed.", NULL,
	    today - 2 * DAY + 6 * 3600 };
	inc[1].updates = past_up;
	inc[1].nupdates = 2;
	sd->inc = inc;
	sd->ninc = 2;
}

static struct statusdata *
fixture(void)
{
	static struct rollup_day	 days[2];
	static struct downtime		 out[3];
	static struct statusdata	 sd;
	time_t				 today = NOW - NOW % DAY;

	memset(&sd, 0, sizeof(sd));
	sd.now = NOW;
	sd.svc = fixture_services(&sd.n);
	memset(days, 0, sizeof(days));
	days[0].service_id = 2;
	days[0].d.day = today - 3 * DAY;
	days[0].d.down_seconds = 14 * MIN;
	days[0].d.outages = 2;
	days[1].service_id = 3;
	days[1].d.day = today - 2 * DAY;
	days[1].d.down_seconds = 5 * 3600;
	days[1].d.outages = 1;
	sd.days = days;
	sd.ndays = 2;
	/* Newest first, as db_pages_outages answers. */
	memset(out, 0, sizeof(out));
	out[0].id = 30;
	out[0].service_id = 2;
	out[0].start = NOW - 12 * MIN;
	out[0].reason = (char *)"No heartbeat for 12 minutes";
	out[1].id = 20;
	out[1].service_id = 3;
	out[1].start = today - 2 * DAY + 3600;
	out[1].end = today - 2 * DAY + 6 * 3600;
	out[1].reason = (char *)"Certificate expired <again>";
	out[2].id = 10;
	out[2].service_id = 2;
	out[2].start = today - 3 * DAY + 600;
	out[2].end = today - 3 * DAY + 600 + 14 * MIN;
	out[2].reason = (char *)"Database failover";
	sd.out = out;
	sd.nout = 3;
	fixture_incidents(&sd, today);
	if (statusdata_decide(&sd, 600) == -1)
		return NULL;
	return &sd;
}

static struct conf	 cfg;

static void
cfg_init(void)
{
	conf_defaults(&cfg);
	free(cfg.pages.title);
	cfg.pages.title = strdup("Acme Status");
	free(cfg.pages.base_url);
	cfg.pages.base_url = strdup("https://status.example.com");
}

static void
render_golden(const char *tpl, struct json_object *doc, const char *file)
{
	golden_check(tpl, doc, file);
	conf_free(&cfg);
}

static void
test_pages_status_golden(void)
{
	struct statusdata	*sd = fixture();

	CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
	cfg_init();
	render_golden("status", statusdoc_index(sd, &cfg), "status.html");
	free(sd->sp);
}

static void
test_pages_service_golden(void)
{
	struct statusdata	*sd = fixture();
	struct interval		 iv[] = {
		{ NOW - 12 * MIN, 0 },
		{ NOW - NOW % DAY - 3 * DAY + 600,
		    NOW - NOW % DAY - 3 * DAY + 600 + 14 * MIN },
	};

	CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
	cfg_init();
	/* The private database is not a page of its own. */
	CU_ASSERT_PTR_NULL(statusdoc_service(sd, &cfg, 1, iv, 2));
	render_golden("status_service", statusdoc_service(sd, &cfg, 2, iv, 2),
	    "status_service.html");
	free(sd->sp);
}

static void
test_pages_feed_golden(void)
{
	struct statusdata	*sd = fixture();

	CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
	cfg_init();
	render_golden("feed.atom", statusdoc_feed(sd, &cfg), "feed.atom");
	free(sd->sp);
}

static void
test_pages_bad_template_named(void)
{
	char		 dir[] = "/tmp/resilops-pages-XXXXXX", path[64], err[512];
	struct pages	*p;
	FILE		*f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/broken.mustache", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("<p>\n{{#open}}never closed\n", f);
	fclose(f);
	p = pages_load(dir, err, sizeof(err));
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "broken.mustache"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 2"));
	unlink(path);
	/* An empty directory holds no templates: also an error. */
	CU_ASSERT_PTR_NULL(pages_load(dir, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no *.mustache"));
	rmdir(dir);
	CU_ASSERT_PTR_NULL(pages_load("/nonexistent-dir", err, sizeof(err)));
}

static const struct unit_test tests[] = {
	{ "status_golden", test_pages_status_golden },
	{ "service_golden", test_pages_service_golden },
	{ "feed_golden", test_pages_feed_golden },
	{ "bad_template_named", test_pages_bad_template_named },
};

int
suite_pages(void)
{
	return UNIT_SUITE("pages", tests);
}
