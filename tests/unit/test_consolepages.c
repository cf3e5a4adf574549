/*
 * The console's pages from fixed data, against golden files: the
 * documents of page/consoledoc made from the API's answers in
 * tests/golden/console_api.json (as of NOW, never the clock) and
 * rendered with the real templates/ into tests/golden/console_*.html
 * (see golden.h), for an admin and for a plain user.  Besides the
 * goldens: what users write (service names, downtime reasons, ticket
 * titles, usernames, filters) comes out escaped, and whoever may not
 * use a form does not see it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/perm.h"
#include "core/service.h"
#include "db/db_risk.h"
#include "golden.h"
#include "page/consoledoc.h"
#include "suites.h"
#include "util/conf.h"

#define NOW		((time_t)1764842400)	/* Thu 2025-12-04 10:00:00 UTC */
#define FIXTURE		"console_api.json"
#define CSRF		"5f3c0ffee0ddba11c0ffee0ddba11c0f"
#define SCRIPT		"<script>alert(1)"	/* never raw in a page */
#define PORTAL		"Portal &lt;script&gt;alert(1)&lt;/script&gt; " \
			"&quot;Q&amp;A&quot; &#39;x&#39;"
#define REFUNDS		"Refunds fail: &lt;script&gt;alert(1)&lt;/script&gt; " \
			"&amp; &quot;stuck&quot;"

static const struct conf	 cfg = { .pages = { .title = (char *)"Acme Ops" } };

/* The newest risks of services 1 and 2 (the database's, not the API's). */
static const struct risk_brief	 risks[] = {
	{ 1, 82, RISK_HIGH },
	{ 2, 45, RISK_MEDIUM },
};

static struct console_view
admin(void)
{
	struct console_view	 v = {
		.cfg = &cfg, .now = NOW, .username = "ann", .role = ROLE_ADMIN,
		.perms = role_perms(ROLE_ADMIN), .csrf = CSRF,
	};

	return v;
}

/* A user without any permission of their own, and a hostile name. */
static struct console_view
user(void)
{
	struct console_view	 v = {
		.cfg = &cfg, .now = NOW,
		.username = "uma \"<script>alert(1)</script>\" & co",
		.role = ROLE_USER, .perms = role_perms(ROLE_USER), .csrf = CSRF,
	};

	return v;
}

/* The API's answer called name in the fixture; its X-Total-Count too. */
static struct json_object *
answer(const char *name, long long *total)
{
	struct json_object	*fx, *e = NULL, *a = NULL, *t;

	if ((fx = golden_json(FIXTURE)) == NULL)
		return NULL;
	if (json_object_object_get_ex(fx, name, &e))
		a = json_object_get(json_object_object_get(e, "answer"));
	if (total != NULL)
		*total = json_object_object_get_ex(e, "x_total_count", &t) ?
		    json_object_get_int64(t) : -1;
	json_object_put(fx);
	CU_ASSERT_PTR_NOT_NULL(a);
	return a;
}

static struct console_list
list(const char *name, long page)
{
	struct console_list	 l = { NULL, page, -1 };

	l.answer = answer(name, &l.total);
	return l;
}

/* The audit page's filters as typed: action, and two that match. */
static struct json_object *
filters(const char *action)
{
	struct json_object	*f = json_object_new_object();

	json_object_object_add(f, "action", json_object_new_string(action));
	json_object_object_add(f, "resource_type", json_object_new_string(
	    "User"));
	json_object_object_add(f, "start_date", json_object_new_string(
	    "2025-12-01"));
	return f;
}

/* A page's HTML (caller frees); "" after a failure, for strstr. */
static char *
render(const char *tpl, struct json_object *doc)
{
	char	*out;

	if ((out = golden_render(tpl, doc, NULL)) == NULL)
		out = strdup("");
	return out;
}

/* How many times needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Service 2's page, fetched as its handler does: integrations if v may. */
static struct json_object *
service_page(const struct console_view *v)
{
	return consoledoc_service(v, answer("service", NULL),
	    answer("health", NULL), answer("downtime", NULL),
	    perms_may(v->perms, PERM_INTEGRATIONS) ?
	    answer("integrations", NULL) : NULL);
}

/* The alerts not acknowledged: the fixture's first. */
static struct console_list
open_alerts(void)
{
	struct console_list	 l = list("alerts", 1);

	json_object_array_del_idx(l.answer, 1, 1);
	l.total = 1;
	return l;
}

static void
test_consolepages_login_golden(void)
{
	golden_check("console_login", consoledoc_login(&cfg, NOW, CSRF,
	    "/console/tickets/7", "Invalid username or password"),
	    "console_login.html");
}

static void
test_consolepages_services_golden(void)
{
	struct console_view	 v = admin();

	v.flash = "Status of \"Portal <script>alert(1)</script>\" set & saved";
	v.flash_ok = true;
	golden_check("console_services", consoledoc_services(&v,
	    list("services", 1), risks, 2), "console_services.html");
}

static void
test_consolepages_service_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_service", service_page(&v),
	    "console_service.html");
}

static void
test_consolepages_service_user_golden(void)
{
	struct console_view	 v = user();

	golden_check("console_service", service_page(&v),
	    "console_service_user.html");
}

static void
test_consolepages_alerts_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_alerts", consoledoc_alerts(&v, true,
	    list("alerts", 2)), "console_alerts.html");
}

static void
test_consolepages_alerts_user_golden(void)
{
	struct console_view	 v = user();

	golden_check("console_alerts", consoledoc_alerts(&v, false,
	    open_alerts()), "console_alerts_user.html");
}

static void
test_consolepages_breaches_golden(void)
{
	struct console_view	 v = admin();

	v.flash = "Forbidden";
	golden_check("console_breaches", consoledoc_breaches(&v,
	    list("breaches", 1)), "console_breaches.html");
}

static void
test_consolepages_tickets_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_tickets", consoledoc_tickets(&v,
	    list("tickets", 1)), "console_tickets.html");
}

static void
test_consolepages_ticket_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_ticket", consoledoc_ticket(&v,
	    answer("ticket", NULL), answer("activity", NULL)),
	    "console_ticket.html");
}

static void
test_consolepages_audit_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_audit", consoledoc_audit_logs(&v,
	    list("audit_logs", 2), filters("Login"),
	    "action=Login&resource_type=User&start_date=2025-12-01"),
	    "console_audit.html");
}

static void
test_consolepages_audit_user_golden(void)
{
	struct console_view	 v = user();

	golden_check("console_audit", consoledoc_audit_trail(&v,
	    list("audit", 1)), "console_audit_user.html");
}

static void
test_consolepages_escapes_service_names(void)
{
	struct console_view	 v = admin();
	char			*list_html, *page_html;

	list_html = render("console_services", consoledoc_services(&v,
	    list("services", 1), risks, 2));
	page_html = render("console_service", service_page(&v));
	CU_ASSERT_PTR_NULL(strstr(list_html, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(list_html, ">" PORTAL "</a>"));
	CU_ASSERT_PTR_NULL(strstr(page_html, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(page_html, "<title>" PORTAL " · "));
	CU_ASSERT_PTR_NOT_NULL(strstr(page_html, "<h1>" PORTAL "</h1>"));
	free(list_html);
	free(page_html);
}

static void
test_consolepages_escapes_downtime_reasons(void)
{
	struct console_view	 v = admin();
	char			*page_html, *breaches_html;

	page_html = render("console_service", service_page(&v));
	breaches_html = render("console_breaches", consoledoc_breaches(&v,
	    list("breaches", 1)));
	CU_ASSERT_PTR_NULL(strstr(page_html, "<again>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(page_html,
	    "<td>Disk full &lt;again&gt; &amp; &quot;retrying&quot;</td>"));
	CU_ASSERT_PTR_NULL(strstr(breaches_html, "<failed>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(breaches_html,
	    ": Failover &lt;failed&gt; &amp; &quot;rolled back&quot;</td>"));
	free(page_html);
	free(breaches_html);
}

static void
test_consolepages_escapes_ticket_titles(void)
{
	struct console_view	 v = admin();
	char			*list_html, *page_html;

	list_html = render("console_tickets", consoledoc_tickets(&v,
	    list("tickets", 1)));
	page_html = render("console_ticket", consoledoc_ticket(&v,
	    answer("ticket", NULL), answer("activity", NULL)));
	CU_ASSERT_PTR_NULL(strstr(list_html, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(list_html, ">#7 " REFUNDS "</a>"));
	CU_ASSERT_PTR_NULL(strstr(page_html, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(page_html, "<h1>#7 " REFUNDS "</h1>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(page_html, "<title>" REFUNDS " · "));
	free(list_html);
	free(page_html);
}

static void
test_consolepages_escapes_usernames(void)
{
	struct console_view	 v = user(), a = admin();
	char			*trail, *ticket, *logs;

	trail = render("console_audit", consoledoc_audit_trail(&v,
	    list("audit", 1)));
	ticket = render("console_ticket", consoledoc_ticket(&a,
	    answer("ticket", NULL), answer("activity", NULL)));
	logs = render("console_audit", consoledoc_audit_logs(&a,
	    list("audit_logs", 2), filters("Login"), ""));
	/* The viewer's own, in the header. */
	CU_ASSERT_PTR_NULL(strstr(trail, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(trail, "<span>uma &quot;&lt;script&gt;"
	    "alert(1)&lt;/script&gt;&quot; &amp; co <span class=\"role\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(trail,
	    "<td>bo &amp; &quot;ops&quot; &lt;team&gt;</td>"));
	CU_ASSERT_PTR_NULL(strstr(ticket, "<img"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ticket,
	    " by &lt;img src=x onerror=alert(1)&gt;</li>"));
	CU_ASSERT_PTR_NULL(strstr(logs, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(logs, "<td>mallory&quot;&gt;&lt;script"
	    "&gt;alert(1)&lt;/script&gt;</td>"));
	free(trail);
	free(ticket);
	free(logs);
}

static void
test_consolepages_escapes_audit_filters(void)
{
	struct console_view	 v = admin();
	char			*out;

	out = render("console_audit", consoledoc_audit_logs(&v,
	    list("audit_logs", 2), filters("\"><script>alert(1)</script>"),
	    "action=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"));
	CU_ASSERT_PTR_NULL(strstr(out, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<input name=\"action\" value=\""
	    "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"));
	/* The pager's link keeps the filter, percent-encoded. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "href=\"/console/audit?action="
	    "%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;page=1\""));
	free(out);
}

static void
test_consolepages_escapes_flash(void)
{
	struct console_view	 v = admin();
	char			*out;

	v.flash = "Status of \"Portal <script>alert(1)</script>\" set & saved";
	v.flash_ok = true;
	out = render("console_breaches", consoledoc_breaches(&v,
	    list("breaches", 1)));
	CU_ASSERT_PTR_NULL(strstr(out, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<p class=\"flash flash-ok\" "
	    "role=\"status\">Status of &quot;Portal &lt;script&gt;alert(1)"
	    "&lt;/script&gt;&quot; set &amp; saved</p>"));
	free(out);
}

static void
test_consolepages_user_sees_no_forms(void)
{
	struct console_view	 v = user();
	char			*page_html, *alerts_html;

	page_html = render("console_service", service_page(&v));
	alerts_html = render("console_alerts", consoledoc_alerts(&v, false,
	    open_alerts()));
	CU_ASSERT_PTR_NULL(strstr(page_html, "/console/services/2/signoff\""));
	CU_ASSERT_PTR_NULL(strstr(page_html, "/console/services/2/status\""));
	CU_ASSERT_PTR_NULL(strstr(page_html,
	    "/console/services/2/integrations\""));
	CU_ASSERT_PTR_NULL(strstr(page_html, "Integrations"));
	/* Anyone may log a downtime (PERM_AUTH). */
	CU_ASSERT_PTR_NOT_NULL(strstr(page_html,
	    "action=\"/console/services/2/downtime\""));
	CU_ASSERT_PTR_NULL(strstr(alerts_html, "/ack\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(alerts_html, "<td>Open</td>"));
	free(page_html);
	free(alerts_html);
}

static void
test_consolepages_admin_sees_every_form(void)
{
	struct console_view	 v = admin();
	char			*out;

	out = render("console_service", service_page(&v));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/console/services/2/signoff\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/console/services/2/status\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/console/services/2/downtime\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "/console/services/2/integrations\""));
	/* Only this service's integrations, of all that the API lists. */
	CU_ASSERT_EQUAL(count(out, "<li>Slack (added by "), 1);
	CU_ASSERT_PTR_NULL(strstr(out, "<li>Webhook"));
	free(out);
}

static void
test_consolepages_csrf_in_every_form(void)
{
	struct console_view	 v = admin();
	char			*out;
	int			 forms;

	out = render("console_service", service_page(&v));
	forms = count(out, "<form method=\"post\"");
	/* Log out, sign-off, status, downtime, integration. */
	CU_ASSERT_EQUAL(forms, 5);
	CU_ASSERT_EQUAL(count(out, "<input type=\"hidden\" name=\"csrf\" "
	    "value=\"" CSRF "\">"), forms);
	free(out);
}

static void
test_consolepages_ticket_countdowns(void)
{
	struct console_view	 v = admin();
	char			*out;

	out = render("console_tickets", consoledoc_tickets(&v,
	    list("tickets", 1)));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "label-warning\">WARNING</span> "
	    "<span class=\"countdown\">2 h 45 min left (66 %)</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "label-safe\">SAFE</span> "
	    "<span class=\"countdown\">22 h 30 min left (6 %)</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    ">paused: waiting on the customer</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ">resolved</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "label-breached\">BREACHED</span> "
	    "<span class=\"countdown\">breached 3 h 6 min ago</span>"));
	free(out);
}

static void
test_consolepages_clock_stops_outside_hours(void)
{
	struct console_view	 v = admin();
	char			*out;

	v.now = NOW + 2 * 86400;	/* Saturday */
	out = render("console_ticket", consoledoc_ticket(&v,
	    answer("ticket", NULL), NULL));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Mon Tue Wed Thu Fri, 09:00 to "
	    "17:00, Europe/Berlin; the clock is stopped now (outside working "
	    "hours)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "data-running=\"\""));
	free(out);
}

static void
test_consolepages_incidents_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_incidents", consoledoc_incidents(&v,
	    list("incidents", 1), ""), "console_incidents.html");
}

static void
test_consolepages_incident_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_incident", consoledoc_incident(&v,
	    answer("incident", NULL), list("services", 1).answer),
	    "console_incident.html");
}

static void
test_consolepages_draft_golden(void)
{
	struct console_view	 v = admin();

	golden_check("console_incident", consoledoc_incident(&v,
	    answer("draft", NULL), list("services", 1).answer),
	    "console_incident_draft.html");
}

/* A viewer: the timeline, no form; the title inert everywhere. */
static void
test_consolepages_incident_user(void)
{
	struct console_view	 v = user();
	char			*html, *list_html;

	html = render("console_incident", consoledoc_incident(&v,
	    answer("incident", NULL), list("services", 1).answer));
	list_html = render("console_incidents", consoledoc_incidents(&v,
	    list("incidents", 1), "open"));
	CU_ASSERT_EQUAL(count(html, "<form method=\"post\" action="
	    "\"/console/incidents/8"), 0);
	CU_ASSERT_EQUAL(count(list_html, "/console/incidents/new"), 0);
	CU_ASSERT_PTR_NULL(strstr(html, SCRIPT));
	CU_ASSERT_PTR_NULL(strstr(list_html, SCRIPT));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "Orders fail &lt;b&gt;500"));
	/* Newest first. */
	CU_ASSERT_TRUE(strstr(html, "A bad deploy") <
	    strstr(html, "Orders fail"));
	CU_ASSERT_PTR_NOT_NULL(strstr(list_html,
	    "<strong aria-current=\"page\">Open</strong>"));
	free(html);
	free(list_html);
}

static const struct unit_test tests[] = {
	{ "incidents_golden", test_consolepages_incidents_golden },
	{ "incident_golden", test_consolepages_incident_golden },
	{ "draft_golden", test_consolepages_draft_golden },
	{ "incident_user", test_consolepages_incident_user },
	{ "login_golden", test_consolepages_login_golden },
	{ "services_golden", test_consolepages_services_golden },
	{ "service_golden", test_consolepages_service_golden },
	{ "service_user_golden", test_consolepages_service_user_golden },
	{ "alerts_golden", test_consolepages_alerts_golden },
	{ "alerts_user_golden", test_consolepages_alerts_user_golden },
	{ "breaches_golden", test_consolepages_breaches_golden },
	{ "tickets_golden", test_consolepages_tickets_golden },
	{ "ticket_golden", test_consolepages_ticket_golden },
	{ "audit_golden", test_consolepages_audit_golden },
	{ "audit_user_golden", test_consolepages_audit_user_golden },
	{ "escapes_service_names", test_consolepages_escapes_service_names },
	{ "escapes_downtime_reasons",
	    test_consolepages_escapes_downtime_reasons },
	{ "escapes_ticket_titles", test_consolepages_escapes_ticket_titles },
	{ "escapes_usernames", test_consolepages_escapes_usernames },
	{ "escapes_audit_filters", test_consolepages_escapes_audit_filters },
	{ "escapes_flash", test_consolepages_escapes_flash },
	{ "user_sees_no_forms", test_consolepages_user_sees_no_forms },
	{ "admin_sees_every_form", test_consolepages_admin_sees_every_form },
	{ "csrf_in_every_form", test_consolepages_csrf_in_every_form },
	{ "ticket_countdowns", test_consolepages_ticket_countdowns },
	{ "clock_stops_outside_hours",
	    test_consolepages_clock_stops_outside_hours },
};

int
suite_consolepages(void)
{
	return UNIT_SUITE("consolepages", tests);
}
