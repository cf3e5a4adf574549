"""The operator console (CONTRACT 7, issue 10) over HTTP through nginx:
login (throttled and audited like the API's), the session cookie
(HttpOnly, SameSite=Strict, Secure over https, pages only), CSRF on
every form, logout revoking the session, each page, and each action
going through the API's permission table (a viewer's status change is
refused, an owner's is done) with post/redirect/get and a flash."""

import re
import time
import unittest
from html import unescape

import client
from client import api, create_service, owner_token, unique_name

XSS = "<script>alert(1)</script>"


class Browser:
    """A cookie jar over client.api: what a browser keeps between pages."""

    def __init__(self, source=None):
        self.cookies = {}
        self.source = source

    def request(self, method, path, form=None, headers=None):
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join("%s=%s" % kv
                                       for kv in self.cookies.items())
        raw = None
        if form is not None:
            from urllib.parse import urlencode
            raw = urlencode(form)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        r = api(method, path, raw=raw, headers=hdrs, source=self.source)
        for h, v in r.headers.items():
            if h.lower() != "set-cookie":
                continue
            name, value = v.split(";", 1)[0].split("=", 1)
            if "Max-Age=0" in v:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return r

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form=form)

    def csrf(self, html):
        m = re.search(r'name="csrf" value="([0-9A-Za-z]+)"', html)
        assert m, html[:500]
        return m.group(1)

    def login(self, username, password, next_path=None):
        r = self.get("/console/login" + ("?next=" + next_path
                                         if next_path else ""))
        form = {"csrf": self.csrf(r.text), "username": username,
                "password": password}
        if next_path:
            form["next"] = next_path
        return self.post("/console/login", form)


def logged_in(role):
    name, pw, _ = client.user_with_role(role)
    b = Browser()
    r = b.login(name, pw)
    assert r.status == 303, r
    return b, name


def set_cookie_headers(r):
    return [v for h, v in r.headers.items() if h.lower() == "set-cookie"]


class Login(unittest.TestCase):
    def test_redirect_to_login_and_back(self):
        b = Browser()
        r = b.get("/console/tickets")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.headers["Location"],
                         "/console/login?next=/console/tickets")
        name, pw, _ = client.user_with_role("Manager")
        r = b.login(name, pw, "/console/tickets")
        self.assertEqual((r.status, r.headers["Location"]),
                         (303, "/console/tickets"))
        r = b.get("/console/tickets")
        self.assertEqual(r.status, 200, r)
        self.assertIn("<h1>Tickets</h1>", r.text)
        self.assertIn(name, r.text)

    def test_cookies_and_their_attributes(self):
        b = Browser()
        r = b.get("/console/login")
        self.assertEqual(r.status, 200)
        (csrf_cookie,) = set_cookie_headers(r)
        self.assertRegex(csrf_cookie, r"^resilops_csrf=[0-9A-Za-z]{32}; "
                         r"Path=/console; Max-Age=3600; HttpOnly; "
                         r"SameSite=Strict$")
        self.assertEqual(b.cookies["resilops_csrf"], b.csrf(r.text))
        name, pw, _ = client.user_with_role("user")
        r = b.post("/console/login", {"csrf": b.csrf(r.text),
                                      "username": name, "password": pw})
        self.assertEqual(r.status, 303, r)
        session = [c for c in set_cookie_headers(r)
                   if c.startswith("resilops_session=")][0]
        self.assertIn("; Path=/console; Max-Age=3600; HttpOnly; "
                      "SameSite=Strict", session)
        self.assertNotIn("Secure", session)
        # The session is a page credential only: the API refuses it.
        r = api("GET", "/api/auth/me",
                headers={"Cookie": "resilops_session=" +
                         b.cookies["resilops_session"]})
        self.assertEqual(r.status, 401)

    def test_secure_behind_a_trusted_https_proxy(self):
        # 127.0.0.250 is the test stack's trusted proxy.
        b = Browser(source="127.0.0.250")
        name, pw, _ = client.user_with_role("user")
        r = b.get("/console/login")
        token = b.csrf(r.text)
        r = b.request("POST", "/console/login",
                      form={"csrf": token, "username": name, "password": pw},
                      headers={"X-Forwarded-For": "192.0.2.7",
                               "X-Forwarded-Proto": "https"})
        self.assertEqual(r.status, 303, r)
        session = [c for c in set_cookie_headers(r)
                   if c.startswith("resilops_session=")][0]
        self.assertTrue(session.endswith("; Secure"), session)

    def test_wrong_password_and_missing_csrf(self):
        name, pw, _ = client.user_with_role("user")
        b = Browser()
        r = b.login(name, pw + "x")
        self.assertEqual(r.status, 401)
        self.assertIn("Invalid username or password", r.text)
        self.assertNotIn("resilops_session", b.cookies)
        entry = client.sql("SELECT action FROM audit_log WHERE username = "
                           "'%s' ORDER BY id DESC LIMIT 1" % name).strip()
        self.assertEqual(entry, "User Login Failed")
        # No token, or another browser's: refused before any check.
        r = b.post("/console/login", {"username": name, "password": pw})
        self.assertEqual(r.status, 403)
        self.assertIn("text/html", r.headers["Content-Type"])
        self.assertIn("CSRF", r.text)
        other = Browser()
        token = other.csrf(other.get("/console/login").text)
        r = b.post("/console/login", {"csrf": token, "username": name,
                                      "password": pw})
        self.assertEqual(r.status, 403)

    def test_next_never_leaves_the_console(self):
        name, pw, _ = client.user_with_role("user")
        for bad in ("https://evil.example/", "//evil.example/console",
                    "/api/services", "/consolex"):
            b = Browser()
            r = b.login(name, pw, bad)
            self.assertEqual((r.status, r.headers["Location"]),
                             (303, "/console"), bad)

    @client.only_in("single", why="a change is seen at once by the host it went through; through the front the next request may go to the other host, which sees it within a second (README, Token cache)")
    def test_logout_revokes_the_session(self):
        b, _ = logged_in("user")
        r = b.get("/console")
        self.assertEqual(r.status, 200)
        session = b.cookies["resilops_session"]
        r = b.post("/console/logout", {"csrf": b.csrf(r.text)})
        self.assertEqual((r.status, r.headers["Location"]),
                         (303, "/console/login"))
        self.assertNotIn("resilops_session", b.cookies)
        # The old cookie, replayed, no longer works.
        b.cookies["resilops_session"] = session
        self.assertEqual(b.get("/console").status, 303)


class Actions(unittest.TestCase):
    def test_status_change_through_the_permission_table(self):
        sid = create_service(unique_name("con"))
        viewer, _ = logged_in("user")
        page = viewer.get("/console/services/%d" % sid)
        self.assertEqual(page.status, 200)
        # A viewer gets no status form, and a forged post is refused.
        self.assertNotIn('action="/console/services/%d/status"' % sid,
                         page.text)
        r = viewer.post("/console/services/%d/status" % sid,
                        {"csrf": viewer.csrf(page.text), "status": "Down"})
        self.assertEqual((r.status, r.headers["Location"]),
                         (303, "/console/services/%d" % sid))
        page = viewer.get("/console/services/%d" % sid)
        self.assertIn("flash-error", page.text)
        self.assertIn("Forbidden", page.text)
        self.assertEqual(api("GET", "/api/services/%d" % sid,
                             token=owner_token()).json["status"], "Unknown")
        owner, name = logged_in("Business Owner")
        page = owner.get("/console/services/%d" % sid)
        token = owner.csrf(page.text)
        # Without the token: 403 and nothing done.
        r = owner.post("/console/services/%d/status" % sid,
                       {"status": "Down"})
        self.assertEqual(r.status, 403)
        r = owner.post("/console/services/%d/status" % sid,
                       {"csrf": token, "status": "Down"})
        self.assertEqual(r.status, 303)
        self.assertEqual(api("GET", "/api/services/%d" % sid,
                             token=owner_token()).json["status"], "Down")
        page = owner.get("/console/services/%d" % sid)
        self.assertIn('class="flash flash-ok"', page.text)
        self.assertIn("Status updated", page.text)
        # The flash is shown once.
        self.assertNotIn("flash-ok", owner.get("/console/services/%d"
                                               % sid).text)
        # The audit trail names the person and keeps the request.
        row = client.sql("SELECT username, details FROM audit_log WHERE "
                         "entity_id = %d AND action LIKE 'Status%%' ORDER "
                         "BY id DESC LIMIT 1" % sid).strip().split("\t")
        self.assertEqual(row[0], name)
        self.assertIn('"status":"Down"', row[1].replace(" ", ""))

    def test_bia_signoff_and_downtime_form(self):
        sid = create_service(unique_name("bia"), criticality="High",
                             impact="High", rto=30)
        owner, name = logged_in("Business Owner")
        page = owner.get("/console/services/%d" % sid)
        self.assertIn("Sign off the BIA", page.text)
        r = owner.post("/console/services/%d/signoff" % sid,
                       {"csrf": owner.csrf(page.text), "signed_off": "true"})
        self.assertEqual(r.status, 303)
        bia = api("GET", "/api/services/%d" % sid,
                  token=owner_token()).json["bia"]
        self.assertEqual((bia["signed_off"], bia["signed_off_by"]),
                         (True, name))
        page = owner.get("/console/services/%d" % sid)
        self.assertIn("Withdraw the sign-off", page.text)
        # datetime-local, as a browser sends it.
        r = owner.post("/console/services/%d/downtime" % sid, {
            "csrf": owner.csrf(page.text), "start_time": "2026-01-05T10:00",
            "end_time": "2026-01-05T10:45", "reason": "Router " + XSS})
        self.assertEqual(r.status, 303)
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=owner_token()).json["downtimes"][0]
        self.assertEqual((d["start_time"], d["end_time"]),
                         ("2026-01-05T10:00:00Z", "2026-01-05T10:45:00Z"))
        page = owner.get("/console/services/%d" % sid)
        self.assertNotIn(XSS, page.text)
        self.assertIn("Router &lt;script&gt;", page.text)
        # A bad form: the API's message comes back as the flash.
        r = owner.post("/console/services/%d/downtime" % sid, {
            "csrf": owner.csrf(page.text), "start_time": "yesterday"})
        self.assertEqual(r.status, 303)
        page = owner.get("/console/services/%d" % sid)
        self.assertIn("flash-error", page.text)

    def test_acknowledge_an_alert(self):
        sid = create_service(unique_name("alert"))
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        # Dated after anything the suite makes (test_sched ticks as of
        # 2031), so it is on the first page of the newest-first list.
        client.sql("INSERT INTO alerts (service_id, type, severity, "
                   "message, created_at) VALUES (%d, 'StatusChange', "
                   "'Critical', 'Console test %s', '2099-01-01'); %s"
                   % (sid, XSS.replace("'", "''"),
                      client.counted("alerts", "alerts_open")))
        aid = int(client.sql("SELECT MAX(id) FROM alerts WHERE "
                             "service_id = %d" % sid))
        analyst, _ = logged_in("Ops Analyst")
        page = analyst.get("/console/alerts")
        self.assertIn("/console/alerts/%d/ack" % aid, page.text)
        self.assertNotIn(XSS, page.text)
        r = analyst.post("/console/alerts/%d/ack" % aid,
                         {"csrf": analyst.csrf(page.text)})
        self.assertEqual((r.status, r.headers["Location"]),
                         (303, "/console/alerts"))
        ack = client.sql("SELECT acknowledged FROM alerts WHERE id = %d"
                         % aid).strip()
        self.assertEqual(ack, "1")
        page = analyst.get("/console/alerts")
        self.assertNotIn("/console/alerts/%d/ack" % aid, page.text)
        self.assertIn("flash-ok", page.text)


class Pages(unittest.TestCase):
    def test_every_section_renders(self):
        b, _ = logged_in("admin")
        for path, h1 in (("/console", "Services"), ("/console/alerts",
                         "Alerts"), ("/console/breaches", "SLA breaches"),
                         ("/console/tickets", "Tickets"),
                         ("/console/audit", "Audit log")):
            r = b.get(path)
            self.assertEqual(r.status, 200, (path, r))
            self.assertIn("<h1>%s</h1>" % h1, r.text, path)
            self.assertIn('aria-current="page"', r.text, path)
            self.assertIn("default-src 'none'",
                          r.headers["Content-Security-Policy"])
            self.assertEqual(r.headers["Cache-Control"], "no-store")
            self.assertNotIn("<script", r.text)

    def test_ticket_countdown_and_clock(self):
        mgr, _ = logged_in("Manager")
        t = api("POST", "/api/tickets", {"title": "Printer " + XSS,
                                         "priority": "HIGH"},
                token=client.token_for("Manager")).json
        page = mgr.get("/console/tickets")
        self.assertNotIn(XSS, page.text)
        self.assertIn("Printer &lt;script&gt;", page.text)
        row = page.text.split('href="/console/tickets/%d"' % t["id"])[1]
        self.assertRegex(row.split("</tr>")[0],
                         r'label-safe">SAFE</span> <span class="countdown">'
                         r"(7 h 5\d min|8 h) left \(\d %\)")
        page = mgr.get("/console/tickets/%d" % t["id"])
        self.assertEqual(page.status, 200)
        self.assertIn("around the clock; the clock is running now",
                      unescape(page.text))
        self.assertIn("created", page.text)
        # Aged past its SLA: breached.
        client.sql("UPDATE tickets SET created_at = created_at - INTERVAL 9 "
                   "HOUR, breach_at = breach_at - INTERVAL 9 HOUR, half_at = "
                   "half_at - INTERVAL 9 HOUR, high_at = high_at - INTERVAL 9 "
                   "HOUR, warn_at = warn_at - INTERVAL 9 HOUR WHERE id = %d"
                   % t["id"])
        page = mgr.get("/console/tickets/%d" % t["id"])
        self.assertRegex(page.text, r"breached (5\d min|1 h|1 h \d+ min) ago")
        # Another's ticket: the API's answer, as a page.
        tech, _ = logged_in("Technician")
        r = tech.get("/console/tickets/%d" % t["id"])
        self.assertEqual(r.status, 403)
        self.assertIn("text/html", r.headers["Content-Type"])

    def test_audit_filters_for_auditors(self):
        auditor, _ = logged_in("Auditor")
        r = auditor.get("/console/audit?action=login&start_date=2000-01-01")
        self.assertEqual(r.status, 200, r)
        self.assertIn('name="action" value="login"', r.text)
        actions = re.findall(r"<td>(User Login[^<]*)</td>", r.text)
        self.assertTrue(actions)
        self.assertTrue(all("Login" in a for a in actions))
        r = auditor.get("/console/audit?start_date=yesterday")
        self.assertEqual(r.status, 400)
        self.assertIn("start_date", r.text)
        viewer, _ = logged_in("user")
        r = viewer.get("/console/audit")
        self.assertEqual(r.status, 200)
        self.assertNotIn('name="action"', r.text)


if __name__ == "__main__":
    unittest.main()
