"""The console's incidents (issue 11): open one from the form (several
services ticked), post updates, publish a draft or delete it after a
page that asks; a viewer sees them and is refused every action by the
API's permission table; CSRF on every form; user text inert."""

import unittest

import client
from client import api, create_service, owner_token, unique_name
from test_console import XSS, logged_in
from test_incidents import make_draft, open_incident


class ConsoleIncidents(unittest.TestCase):
    def test_open_from_the_form_then_update(self):
        a = create_service(unique_name("Shop"), public=True)
        b = create_service(unique_name("Cart"))
        owner, name = logged_in("Business Owner")
        page = owner.get("/console/incidents/new")
        self.assertEqual(page.status, 200, page)
        self.assertIn('name="service_ids" value="%d"' % a, page.text)
        token = owner.csrf(page.text)
        title = unique_name("Checkout " + XSS)
        form = [("csrf", token), ("title", title), ("impact", "major"),
                ("service_ids", str(a)), ("service_ids", str(b)),
                ("status", "identified"), ("message", "Deploy <b>bad</b>")]
        r = owner.post("/console/incidents", form)
        self.assertEqual((r.status, r.headers["Location"]),
                         (303, "/console/incidents"))
        listing = owner.get("/console/incidents")
        self.assertIn("flash-ok", listing.text)
        self.assertNotIn(XSS, listing.text)
        inc = [i for i in api("GET", "/api/incidents?per_page=100",
                              token=owner_token()).json
               if i["title"] == title][0]
        self.assertEqual((inc["impact"], inc["status"], inc["service_ids"],
                          inc["created_by"]),
                         ("major", "identified", sorted([a, b]), name))
        self.assertIn('href="/console/incidents/%d"' % inc["id"],
                      listing.text)
        page = owner.get("/console/incidents/%d" % inc["id"])
        self.assertEqual(page.status, 200)
        self.assertNotIn(XSS, page.text)
        self.assertIn("Deploy &lt;b&gt;bad&lt;/b&gt;", page.text)
        r = owner.post("/console/incidents/%d/updates" % inc["id"],
                       {"csrf": owner.csrf(page.text), "status": "resolved",
                        "message": "Rolled back"})
        self.assertEqual((r.status, r.headers["Location"]),
                         (303, "/console/incidents/%d" % inc["id"]))
        got = api("GET", "/api/incidents/%d" % inc["id"],
                  token=owner_token()).json
        self.assertEqual(got["status"], "resolved")
        page = owner.get("/console/incidents/%d" % inc["id"])
        # Newest first.
        self.assertLess(page.text.index("Rolled back"),
                        page.text.index("Deploy &lt;b&gt;"))
        # The API's message for a bad form, as the flash; nothing done.
        before = client.sql("SELECT COUNT(*) FROM incidents")
        r = owner.post("/console/incidents", [
            ("csrf", token), ("title", "x"), ("impact", "major"),
            ("message", "m")])
        self.assertEqual(r.status, 303)
        self.assertIn("service_ids must name at least one service",
                      owner.get("/console/incidents").text)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM incidents"), before)

    def test_a_viewer_reads_and_is_refused(self):
        sid = create_service(unique_name("Viewer"))
        inc = open_incident([sid])
        viewer, _ = logged_in("user")
        page = viewer.get("/console/incidents")
        self.assertEqual(page.status, 200)
        self.assertIn("Incidents", page.text)
        self.assertNotIn("/console/incidents/new", page.text)
        page = viewer.get("/console/incidents/%d" % inc["id"])
        self.assertEqual(page.status, 200)
        self.assertNotIn('action="/console/incidents/%d/updates"'
                         % inc["id"], page.text)
        self.assertEqual(viewer.get("/console/incidents/new").status, 403)
        r = viewer.post("/console/incidents/%d/updates" % inc["id"],
                        {"csrf": viewer.csrf(page.text),
                         "status": "resolved", "message": "forged"})
        self.assertEqual(r.status, 303)
        self.assertIn("Forbidden", viewer.get(
            "/console/incidents/%d" % inc["id"]).text)
        self.assertEqual(len(api("GET", "/api/incidents/%d" % inc["id"],
                                 token=owner_token()).json["updates"]), 1)
        # No token: refused before anything.
        r = viewer.post("/console/incidents/%d/updates" % inc["id"],
                        {"status": "resolved", "message": "forged"})
        self.assertEqual(r.status, 403)
        self.assertEqual(viewer.get("/console/incidents?status=x").status,
                         400)
        self.assertEqual(viewer.get("/console/incidents/987654321").status,
                         404)

    def test_publish_and_delete_drafts(self):
        sid = create_service(unique_name("Drafted"), public=True)
        d1 = make_draft(sid)
        d2 = make_draft(sid)
        owner, _ = logged_in("Ops Analyst")
        drafts = owner.get("/console/incidents?status=draft")
        self.assertIn('href="/console/incidents/%d"' % d1, drafts.text)
        page = owner.get("/console/incidents/%d" % d1)
        self.assertIn("Publish this draft", page.text)
        r = owner.post("/console/incidents/%d/publish" % d1,
                       {"csrf": owner.csrf(page.text),
                        "title": "Drafted service is down",
                        "impact": "critical"})
        self.assertEqual(r.status, 303)
        got = api("GET", "/api/incidents/%d" % d1, token=owner_token()).json
        self.assertEqual((got["draft"], got["title"], got["impact"]),
                         (False, "Drafted service is down", "critical"))
        self.assertIn("Drafted service is down", api("GET", "/status").text)
        # Deleting asks on a page of its own first.
        ask = owner.get("/console/incidents/%d/delete" % d2)
        self.assertEqual(ask.status, 200)
        self.assertIn("Delete the draft", ask.text)
        self.assertEqual(api("GET", "/api/incidents/%d" % d2,
                             token=owner_token()).status, 200)
        r = owner.post("/console/incidents/%d/delete" % d2,
                       {"csrf": owner.csrf(ask.text)})
        self.assertEqual((r.status, r.headers["Location"]),
                         (303, "/console/incidents?status=draft"))
        self.assertEqual(api("GET", "/api/incidents/%d" % d2,
                             token=owner_token()).status, 404)
        # A published one is not deleted.
        ask = owner.get("/console/incidents/%d/delete" % d1)
        self.assertIn("stays on record", ask.text)


if __name__ == "__main__":
    unittest.main()
