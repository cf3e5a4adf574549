"""Incidents (CONTRACT 7, issue 11): open one on services, post the
updates of its timeline, list and read them; who may; the daemon's
drafts for its outages on public services, published or deleted."""

import os
import time
import unittest

import client
from client import api, create_service, owner_token, unique_name
from test_jsonw_list import json_c_of, ordered
from test_sched import once, release_lease

ROLES = ("admin", "Business Owner", "Ops Analyst", "Engineer", "Manager",
         "Auditor", "user")
WRITERS = {"admin", "Business Owner", "Ops Analyst"}


def open_incident(sids, token=None, **fields):
    body = {"title": unique_name("Payments slow"), "impact": "major",
            "service_ids": sids, "message": "We are looking into it"}
    body.update(fields)
    r = api("POST", "/api/incidents", body, token=token or owner_token())
    assert r.status == 201, r
    return r.json


class Create(unittest.TestCase):
    def test_open_with_first_update(self):
        a = create_service(unique_name("inc"))
        b = create_service(unique_name("inc"))
        r = api("POST", "/api/incidents", {
            "title": "Card payments failing", "impact": "critical",
            "service_ids": [b, a, b], "message": "Investigating <errors>"},
            token=owner_token())
        self.assertEqual(r.status, 201, r)
        inc = r.json
        self.assertEqual(sorted(inc), sorted([
            "id", "title", "impact", "status", "draft", "service_ids",
            "downtime_id", "created_by", "created_at", "updated_at",
            "resolved_at", "updates"]))
        self.assertEqual((inc["title"], inc["impact"], inc["status"],
                          inc["draft"], inc["resolved_at"]),
                         ("Card payments failing", "critical",
                          "investigating", False, None))
        self.assertEqual(inc["service_ids"], sorted([a, b]))
        (u,) = inc["updates"]
        self.assertEqual((u["status"], u["message"]),
                         ("investigating", "Investigating <errors>"))
        self.assertRegex(u["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # Read back as stored.
        got = api("GET", "/api/incidents/%d" % inc["id"],
                  token=client.viewer_token())
        self.assertEqual(got.status, 200)
        self.assertEqual(got.json, inc)
        audit = client.sql("SELECT action FROM audit_log WHERE entity = "
                           "'Incident' AND entity_id = %d" % inc["id"])
        self.assertEqual(audit.strip(), "Incident Created")

    def test_status_given(self):
        sid = create_service(unique_name("inc"))
        inc = open_incident([sid], status="identified")
        self.assertEqual(inc["status"], "identified")
        self.assertEqual(inc["updates"][0]["status"], "identified")

    def test_validation_names_the_field_and_writes_nothing(self):
        sid = create_service(unique_name("inc"))
        before = client.sql("SELECT COUNT(*) FROM incidents")
        good = {"title": "t", "impact": "minor", "service_ids": [sid],
                "message": "m"}
        cases = [
            ({"title": None}, "title is required"),
            ({"title": "   "}, "title is required"),
            ({"title": "x" * 201}, "title must be at most 200 characters"),
            ({"impact": None}, "impact is required"),
            ({"impact": "huge"}, "Invalid impact: must be one of minor, "
             "major, critical"),
            ({"service_ids": None}, "service_ids is required"),
            ({"service_ids": []},
             "service_ids must name at least one service"),
            ({"service_ids": [sid, 987654321, 987654320, 987654321]},
             "Invalid service IDs: [987654321, 987654320]"),
            ({"message": ""}, "message is required"),
            ({"status": "fixed"}, "Invalid status: must be one of "
             "investigating, identified, monitoring, resolved"),
        ]
        for change, message in cases:
            body = dict(good)
            for k, v in change.items():
                if v is None:
                    body.pop(k)
                else:
                    body[k] = v
            r = api("POST", "/api/incidents", body, token=owner_token())
            self.assertEqual((r.status, r.json.get("error")), (400, message),
                             change)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM incidents"), before)

    def test_who_may(self):
        sid = create_service(unique_name("inc"))
        body = {"title": "t", "impact": "minor", "service_ids": [sid],
                "message": "m"}
        for role in ROLES:
            tok = client.token_for(role) if role != "admin" else \
                client.admin_token()
            r = api("POST", "/api/incidents", body, token=tok)
            self.assertEqual(r.status, 201 if role in WRITERS else 403,
                             role)
            # Everyone signed in reads.
            self.assertEqual(api("GET", "/api/incidents", token=tok).status,
                             200, role)
        self.assertEqual(api("POST", "/api/incidents", body).status, 401)
        self.assertEqual(api("GET", "/api/incidents").status, 401)


class Timeline(unittest.TestCase):
    def test_updates_resolve_and_reopen(self):
        sid = create_service(unique_name("inc"))
        inc = open_incident([sid])
        path = "/api/incidents/%d/updates" % inc["id"]
        for status in ("identified", "monitoring"):
            r = api("POST", path, {"status": status, "message": status +
                                   " now"}, token=client.analyst_token())
            self.assertEqual(r.status, 201, r)
            self.assertEqual(sorted(r.json), ["created_at", "created_by",
                                              "id", "message", "status"])
        r = api("POST", path, {"status": "resolved", "message": "Fixed"},
                token=owner_token())
        self.assertEqual(r.status, 201)
        got = api("GET", "/api/incidents/%d" % inc["id"],
                  token=owner_token()).json
        self.assertEqual(got["status"], "resolved")
        self.assertIsNotNone(got["resolved_at"])
        self.assertEqual([u["status"] for u in got["updates"]],
                         ["investigating", "identified", "monitoring",
                          "resolved"])
        # An update to a resolved incident reopens it.
        r = api("POST", path, {"status": "investigating",
                               "message": "It is back"}, token=owner_token())
        self.assertEqual(r.status, 201)
        got = api("GET", "/api/incidents/%d" % inc["id"],
                  token=owner_token()).json
        self.assertEqual((got["status"], got["resolved_at"]),
                         ("investigating", None))

    def test_update_validation_and_404(self):
        sid = create_service(unique_name("inc"))
        inc = open_incident([sid])
        path = "/api/incidents/%d/updates" % inc["id"]
        for body, message in (
                ({"message": "m"}, "status is required"),
                ({"status": "done", "message": "m"}, "Invalid status: must "
                 "be one of investigating, identified, monitoring, "
                 "resolved"),
                ({"status": "resolved"}, "message is required"),
                ({"status": "resolved", "message": " "},
                 "message is required")):
            r = api("POST", path, body, token=owner_token())
            self.assertEqual((r.status, r.json.get("error")), (400, message))
        self.assertEqual(len(api("GET", "/api/incidents/%d" % inc["id"],
                                 token=owner_token()).json["updates"]), 1)
        r = api("POST", "/api/incidents/987654321/updates",
                {"status": "resolved", "message": "m"}, token=owner_token())
        self.assertEqual((r.status, r.json["error"]),
                         (404, "Incident not found"))
        r = api("GET", "/api/incidents/987654321", token=owner_token())
        self.assertEqual((r.status, r.json["error"]),
                         (404, "Incident not found"))
        r = api("POST", path, {"status": "resolved", "message": "m"},
                token=client.engineer_token())
        self.assertEqual(r.status, 403)


class List(unittest.TestCase):
    def test_newest_first_filters_and_pages(self):
        sid = create_service(unique_name("inc"))
        a = open_incident([sid])
        b = open_incident([sid])
        api("POST", "/api/incidents/%d/updates" % a["id"],
            {"status": "resolved", "message": "done"}, token=owner_token())
        r = api("GET", "/api/incidents?per_page=2", token=owner_token())
        self.assertEqual(r.status, 200)
        self.assertEqual([i["id"] for i in r.json], [b["id"], a["id"]])
        self.assertIn("X-Total-Count", r.headers)
        self.assertEqual(r.json[1]["updates"][-1]["status"], "resolved")
        ids = lambda q: [i["id"] for i in api(
            "GET", "/api/incidents?per_page=100&status=" + q,
            token=owner_token()).json]
        self.assertIn(b["id"], ids("open"))
        self.assertNotIn(a["id"], ids("open"))
        self.assertIn(a["id"], ids("resolved"))
        self.assertNotIn(b["id"], ids("resolved"))
        self.assertNotIn(b["id"], ids("draft"))
        r = api("GET", "/api/incidents?status=closed", token=owner_token())
        self.assertEqual((r.status, r.json["error"]),
                         (400, "status must be one of open, resolved, draft"))


def make_draft(sid):
    # What the daemon makes for an outage it opens (test_sched and
    # test_incident_sched cover the daemon itself).
    client.sql("INSERT INTO incidents (title, impact, status, draft, "
               "created_by, created_at, updated_at) VALUES "
               "('Draft outage', 'major', 'investigating', 1, "
               "'resilops-sched', UTC_TIMESTAMP(), UTC_TIMESTAMP()); "
               + client.counted("incidents"))
    iid = int(client.sql("SELECT MAX(id) FROM incidents"))
    client.sql("INSERT INTO incident_services VALUES (%d, %d)"
               % (iid, sid))
    client.sql("INSERT INTO incident_updates (incident_id, status, "
               "message, created_by, created_at) VALUES (%d, "
               "'investigating', 'No heartbeat', 'resilops-sched', "
               "UTC_TIMESTAMP())" % iid)
    return iid


class Drafts(unittest.TestCase):
    def test_publish(self):
        sid = create_service(unique_name("inc"))
        iid = make_draft(sid)
        got = api("GET", "/api/incidents/%d" % iid, token=owner_token()).json
        self.assertTrue(got["draft"])
        drafts = [i["id"] for i in api("GET", "/api/incidents?status=draft",
                                       token=owner_token()).json]
        self.assertIn(iid, drafts)
        self.assertNotIn(iid, [i["id"] for i in api(
            "GET", "/api/incidents?status=open&per_page=100",
            token=owner_token()).json])
        r = api("POST", "/api/incidents/%d/publish" % iid,
                {"title": "Payments down", "impact": "critical"},
                token=client.engineer_token())
        self.assertEqual(r.status, 403)
        r = api("POST", "/api/incidents/%d/publish" % iid,
                {"title": "Payments down", "impact": "critical"},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["draft"], r.json["title"], r.json["impact"]),
                         (False, "Payments down", "critical"))
        r = api("POST", "/api/incidents/%d/publish" % iid, {},
                token=owner_token())
        self.assertEqual((r.status, r.json["error"]),
                         (409, "Incident is already published"))
        r = api("DELETE", "/api/incidents/%d" % iid, token=owner_token())
        self.assertEqual(r.status, 409)

    def test_delete_a_draft(self):
        sid = create_service(unique_name("inc"))
        iid = make_draft(sid)
        r = api("DELETE", "/api/incidents/%d" % iid, token=owner_token())
        self.assertEqual((r.status, r.json["message"]), (200, "Draft deleted"))
        self.assertEqual(api("GET", "/api/incidents/%d" % iid,
                             token=owner_token()).status, 404)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM incident_updates "
                                    "WHERE incident_id = %d" % iid).strip(),
                         "0")


INCIDENT_KEYS = ["id", "title", "impact", "status", "draft", "service_ids",
                 "downtime_id", "created_by", "created_at", "updated_at",
                 "resolved_at", "updates"]

# Each filter of the list and its rows in SQL.
FILTERS = {
    "": "",
    "open": "WHERE draft = 0 AND resolved_at IS NULL",
    "resolved": "WHERE draft = 0 AND resolved_at IS NOT NULL",
    "draft": "WHERE draft = 1",
}


class Totals(unittest.TestCase):
    """The list's total (X-Total-Count: the kept counter of sql/031 and
    the few drafts and open incidents counted) is COUNT(*) over the
    table after every kind of write, on the first page, a later one and
    one past the end; the page brings each incident's services."""

    def assertTotals(self):
        for q, where in FILTERS.items():
            want = int(client.sql("SELECT COUNT(*) FROM incidents " + where))
            for page in ("page=1&per_page=1", "page=2&per_page=1",
                         "page=99999&per_page=1"):
                r = api("GET", "/api/incidents?status=%s&%s" % (q, page)
                        if q else "/api/incidents?" + page,
                        token=owner_token())
                self.assertEqual(r.status, 200, r)
                self.assertEqual(int(r.headers["X-Total-Count"]), want,
                                 (q, page))
                # Written with util/jsonw: json-c's text, in order.
                self.assertEqual(r.body, json_c_of(r.body))
                self.assertTrue(all([k for k, _ in i] == INCIDENT_KEYS
                                    for i in ordered(r.body.decode())))

    def test_every_write(self):
        self.assertTotals()
        sid = create_service(unique_name("inc"))
        other = create_service(unique_name("inc"))
        a = open_incident([other, sid],
                          title='"quoted" \\ caf\u00e9 \U0001F600')
        self.assertTotals()
        r = api("GET", "/api/incidents/%d" % a["id"], token=owner_token())
        self.assertEqual(r.body, json_c_of(r.body))
        self.assertEqual(r.json, a)
        first = api("GET", "/api/incidents?per_page=1",
                    token=owner_token()).json[0]
        self.assertEqual((first["id"], first["service_ids"]),
                         (a["id"], sorted([sid, other])))
        r = api("POST", "/api/incidents/%d/updates" % a["id"],
                {"status": "resolved", "message": "done \"now\""},
                token=owner_token())
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body, json_c_of(r.body))
        self.assertTotals()
        api("POST", "/api/incidents/%d/updates" % a["id"],
            {"status": "monitoring", "message": "again"}, token=owner_token())
        self.assertTotals()
        d = make_draft(sid)
        self.assertTotals()
        r = api("POST", "/api/incidents/%d/publish" % d, {},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.assertTotals()
        d = make_draft(sid)
        r = api("DELETE", "/api/incidents/%d" % d, token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.assertTotals()
        # A refused delete (published) counts nothing.
        r = api("DELETE", "/api/incidents/%d" % a["id"], token=owner_token())
        self.assertEqual(r.status, 409)
        self.assertTotals()


if __name__ == "__main__":
    unittest.main()


class Pages(unittest.TestCase):
    """The timeline on /status, /status/<id>, the feed and the static
    copy; only published incidents, only public services named."""

    def setUp(self):
        self.pub_name = unique_name("Checkout")
        self.pub = create_service(self.pub_name, public=True)
        self.priv_name = unique_name("Ledger")
        self.priv = create_service(self.priv_name)

    def page(self, path="/status"):
        r = api("GET", path)
        self.assertEqual(r.status, 200, r)
        return r.text

    def test_open_then_resolved(self):
        title = unique_name("Checkout errors <script>alert(1)</script>")
        inc = open_incident([self.pub, self.priv], title=title,
                            impact="critical",
                            message="Orders fail with <b>500</b>")
        esc = title.replace("<", "&lt;").replace(">", "&gt;")
        html = self.page()
        self.assertNotIn("<script>alert(1)", html)
        active = html[html.index('class="active-incidents"'):
                      html.index("</section>")]
        self.assertIn(esc, active)
        self.assertIn("Critical impact", active)
        self.assertIn('<a href="/status/%d">%s</a>' % (self.pub,
                                                       self.pub_name), active)
        self.assertNotIn(self.priv_name, html)
        self.assertIn("Orders fail with &lt;b&gt;500&lt;/b&gt;", active)
        self.assertIn(esc, self.page("/status/%d" % self.pub))
        feed = self.page("/status/feed.atom")
        self.assertIn("%s: Investigating" % esc, feed)
        # Updates newest first; resolved, it moves to the history.
        path = "/api/incidents/%d/updates" % inc["id"]
        api("POST", path, {"status": "identified", "message": "Bad deploy"},
            token=owner_token())
        html = self.page()
        active = html[html.index('class="active-incidents"'):]
        self.assertLess(active.index("Bad deploy"),
                        active.index("Orders fail"))
        api("POST", path, {"status": "resolved", "message": "Rolled back"},
            token=owner_token())
        html = self.page()
        if 'class="active-incidents"' in html:
            self.assertNotIn(esc, html[html.index('class="active-incidents"'):
                                       html.index('id="incidents-h"')])
        past = html[html.index('id="incidents-h"'):]
        self.assertIn(esc, past)
        self.assertIn("Rolled back", past)
        svc = self.page("/status/%d" % self.pub)
        self.assertIn("Resolved incidents in the last 30 days", svc)
        self.assertIn("%s: Resolved" % esc, self.page("/status/feed.atom"))

    def test_drafts_and_private_incidents_stay_off(self):
        title = unique_name("Ledger batch late")
        open_incident([self.priv], title=title)
        draft = make_draft(self.pub)
        client.sql("UPDATE incidents SET title = 'Unpublished draft %d' "
                   "WHERE id = %d" % (draft, draft))
        html = self.page()
        self.assertNotIn(title, html)
        self.assertNotIn("Unpublished draft %d" % draft, html)
        self.assertNotIn("Unpublished draft %d" % draft,
                         self.page("/status/feed.atom"))
        api("POST", "/api/incidents/%d/publish" % draft, {},
            token=owner_token())
        self.assertIn("Unpublished draft %d" % draft, self.page())

    def test_in_the_static_copy(self):
        title = unique_name("Static incident")
        open_incident([self.pub], title=title)
        release_lease()
        once(int(time.time()))
        with open(os.path.join(client.STATE, "static", "status.html")) as f:
            self.assertIn(title, f.read())
        with open(os.path.join(client.STATE, "static", "status",
                               "feed.atom")) as f:
            self.assertIn(title, f.read())
