"""The public status pages (CONTRACT 7, issue 10) through nginx: /status
(banner, services by criticality, stale heartbeats shown as no recent
data, impact through dependencies, bars from the daily rollup, ongoing
outages, past incidents), /status/<id>, the Atom feed and the SVG
badges (ETag, 304, max-age), only public services anywhere, every
user-controlled text escaped, and HTML error pages."""

import os
import re
import stat
import time
import unittest
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import client
from client import api, create_service, owner_token, unique_name
from test_sched import iso, once, release_lease

ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"


def status(sid, value):
    r = api("POST", "/api/services/%d/status" % sid, {"status": value},
            token=owner_token())
    assert r.status == 200, r


def log_outage(sid, start, end=None, reason="Database failover"):
    body = {"start_time": iso(start), "reason": reason}
    if end is not None:
        body["end_time"] = iso(end)
    r = api("POST", "/api/services/%d/downtime" % sid, body,
            token=owner_token())
    assert r.status in (200, 201), r


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of a page;
    fails on script elements and inline event handlers."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    p = Elements()
    p.feed(html)
    return p


def service_item(html, name):
    """The <li class="service"> block of the service called name."""
    esc = name.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
    for block in html.split('<li class="service">')[1:]:
        head = block.split("</li>")[0]
        if ">%s</a>" % esc in head:
            return head
    return None


class StatusPage(unittest.TestCase):
    def page(self):
        r = api("GET", "/status")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers["Content-Type"], "text/html; charset=utf-8")
        self.assertIn("default-src 'none'",
                      r.headers["Content-Security-Policy"])
        return r.text

    def test_only_public_services_shown(self):
        hidden = unique_name("hidden")
        shown = unique_name("shown")
        create_service(hidden)
        create_service(shown, public=True)
        html = self.page()
        self.assertNotIn(hidden, html)
        self.assertIsNotNone(service_item(html, shown))

    def test_states_words_and_grouping(self):
        up, down, stale, never = (unique_name(n) for n in
                                  ("up", "down", "stale", "never"))
        a = create_service(up, public=True, criticality="High")
        b = create_service(down, public=True, criticality="High")
        c = create_service(stale, public=True, criticality="Low")
        create_service(never, public=True)
        status(a, "Up")
        status(b, "Down")
        status(c, "Up")
        # Heartbeats stopped longer ago than [health] down_after (600 s).
        client.sql("UPDATE service_status SET last_updated = NOW() - "
                   "INTERVAL 11 MINUTE WHERE service_id = %d" % c)
        html = self.page()
        self.assertIn("state-up", service_item(html, up))
        self.assertIn("Operational", service_item(html, up))
        self.assertIn("Down", service_item(html, down))
        item = service_item(html, stale)
        self.assertIn("No recent data", item)
        self.assertNotIn("state-up", item)
        self.assertIn("last heartbeat", item)
        self.assertIn("No recent data", service_item(html, never))
        # Icons carry no meaning alone: every state has its word.
        for tag, attrs in parse(html).tags:
            if tag == "img":
                self.assertEqual(attrs.get("alt"), "")
        # Groups: the most critical first.
        self.assertLess(html.index("High criticality"),
                        html.index("Low criticality"))
        self.assertLess(html.index("Low criticality"),
                        html.index("Other services"))
        # Somebody is down: the banner says so in words.
        self.assertRegex(html, r'class="banner banner-(partial|down)"')
        self.assertRegex(html, r"(Partial|Major) outage")

    def test_impact_through_dependencies(self):
        db, mid, top = (unique_name(n) for n in ("db", "mid", "top"))
        d = create_service(db, public=True)
        m = create_service(mid, dependencies=[d])
        t = create_service(top, public=True, dependencies=[m])
        for sid in (d, m, t):
            status(sid, "Up")
        status(d, "Down")
        html = self.page()
        item = service_item(html, top)
        self.assertIn("Degraded via", item)
        self.assertIn('href="/status/%d">%s</a>' % (d, db), item)
        # A private cause is shown, not named.
        p = create_service(unique_name("private"))
        q = unique_name("dependant")
        s = create_service(q, public=True, dependencies=[p])
        status(p, "Down")
        status(s, "Up")
        item = service_item(self.page(), q)
        self.assertIn("Degraded via an internal dependency", item)
        self.assertNotIn("/status/%d" % p, item)
        # A service's own page and badge read its dependencies alone, and
        # reach the cause through the private one in the middle.
        r = api("GET", "/status/%d" % t)
        self.assertEqual(r.status, 200, r)
        self.assertIn("Degraded via", r.text)
        r = api("GET", "/status/badge/%d.svg" % t)
        self.assertEqual(r.status, 200, r)
        self.assertIn("<title>status: degraded</title>", r.text)

    def test_bars_from_the_rollup(self):
        name = unique_name("bars")
        sid = create_service(name, public=True)
        # Made 50 days ago: the 40 bars before are "no data".
        client.sql("UPDATE services SET created_at = NOW() - INTERVAL 50 "
                   "DAY WHERE id = %d" % sid)
        now = int(time.time())
        today = now - now % 86400
        log_outage(sid, today - 2 * 86400 + 3600, today - 2 * 86400 + 3600
                   + 14 * 60, "Disk full")
        release_lease()
        once(now)
        item = service_item(self.page(), name)
        rects = re.findall(r'<rect x="(\d+)" width="3" height="28" '
                           r'class="bar-(\w+)"><title>([^<]*)</title>',
                           item)
        # One copy of the bars: phones see the last 30 of the same SVG.
        self.assertEqual(len(rects), 90)
        ninety = rects[:90]
        self.assertEqual([int(x) for x, _, _ in ninety],
                         list(range(0, 360, 4)))
        day = time.strftime("%Y-%m-%d", time.gmtime(today - 2 * 86400))
        self.assertEqual(ninety[87][1:], ("minor", "%s: 14 min down "
                                          "(1 outage)" % day))
        # Before the service existed: no data; today: no downtime.
        self.assertEqual([c for _, c, _ in ninety[:39]], ["nodata"] * 39)
        self.assertTrue(ninety[0][2].endswith(": no data"))
        self.assertEqual(ninety[40][1], "up")
        self.assertEqual(ninety[89][1:2], ("up",))
        self.assertRegex(item, r"(99\.\d\d|100\.00) % uptime")

    def test_ongoing_outage_and_incidents(self):
        name = unique_name("outage")
        sid = create_service(name, public=True)
        status(sid, "Up")
        status(sid, "Down")
        html = self.page()
        ongoing = html.split('<section class="ongoing"')[1].split(
            "</section>")[0]
        self.assertIn(">%s</a> down since" % name, ongoing)
        self.assertIn("outage began", ongoing)
        incidents = html.split('<section class="incidents"')[1]
        self.assertIn('href="/status/%d">%s</a>' % (sid, name), incidents)
        status(sid, "Up")
        html = self.page()
        if '<section class="ongoing"' in html:
            self.assertNotIn(name, html.split('<section class="ongoing"')[1]
                             .split("</section>")[0])

    def test_past_outages_newest_first_within_30_days(self):
        now = int(time.time())
        old, early, late = (unique_name(x) for x in ("old", "early", "late"))
        sids = {n: create_service(n, public=True) for n in (old, early, late)}
        # Logged in another order than they happened; ids do not say it.
        log_outage(sids[late], now - 3600, now - 1800)
        log_outage(sids[old], now - 40 * 86400, now - 40 * 86400 + 600)
        log_outage(sids[early], now - 5 * 86400, now - 5 * 86400 + 600)
        incidents = self.page().split('<section class="incidents"')[1]
        at = {n: incidents.find('href="/status/%d">%s</a>' % (sids[n], n))
              for n in (old, early, late)}
        self.assertEqual(at[old], -1)
        self.assertTrue(0 <= at[late] < at[early], at)

    def test_user_text_is_escaped(self):
        name = unique_name("x") + XSS
        sid = create_service(name, public=True, description=XSS)
        status(sid, "Up")
        status(sid, "Down")
        client.sql("UPDATE downtimes SET reason = '%s' WHERE service_id = %d"
                   % (XSS.replace("'", "''"), sid))
        for path in ("/status", "/status/%d" % sid):
            html = api("GET", path).text
            self.assertNotIn("<script>", html, path)
            self.assertNotIn("<img src=x", html, path)
            self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html, path)
            for tag, attrs in parse(html).tags:
                self.assertNotEqual(tag, "script", path)
                self.assertFalse([a for a in attrs if a.startswith("on")],
                                 (path, tag, attrs))
        feed = api("GET", "/status/feed.atom").text
        ET.fromstring(feed)     # still well-formed XML
        self.assertNotIn("<script>", feed)


def healthz_ok():
    return api("GET", "/healthz").status == 200


@client.only_in("single", why="stops the host's own MariaDB or pool for its nginx to serve the static copy: through the front the other host answers")
class StaticCopy(unittest.TestCase):
    """resilops-sched's static copy ([pages] static_dir, set by the test
    stack) and the web server serving it while MariaDB is down."""

    def static(self, *parts):
        return os.path.join(client.STATE, "static", *parts)

    def temporaries(self):
        badges = self.static("status", "badge")
        if not os.path.isdir(badges):
            return []
        return [f for f in os.listdir(badges) if f.endswith(".tmp")]

    def test_written_each_tick_and_pruned(self):
        name = unique_name("static")
        sid = create_service(name, public=True)
        hidden = create_service(unique_name("hidden"))
        status(sid, "Up")
        release_lease()
        # What a daemon killed mid-write before left (test_faults kills
        # resilops-sched anywhere in its jobs): the tick sweeps those
        # only once a minute old (src/sched/job_static.c, TMP_AGE).
        earlier = set(self.temporaries())
        once(int(time.time()))
        with open(self.static("status.html")) as f:
            html = f.read()
        self.assertIn(">%s</a>" % name, html)
        st = os.stat(self.static("status.html"))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o644)
        ET.parse(self.static("status", "feed.atom"))
        badge = self.static("status", "badge", "%d.svg" % sid)
        self.assertIn("operational", open(badge).read())
        self.assertFalse(os.path.exists(self.static(
            "status", "badge", "%d.svg" % hidden)))
        # No temporary files are left behind.
        self.assertFalse(set(self.temporaries()) - earlier)
        # No longer public: its badge goes at the next tick.
        api("PUT", "/api/services/%d" % sid, {"public": False},
            token=owner_token())
        release_lease()
        once(int(time.time()))
        self.assertFalse(os.path.exists(badge))

    def test_a_follower_writes_its_hosts_copy_too(self):
        """Every web host serves the copy from its own static_dir, which
        only the daemon beside it writes: a daemon that does not lead
        (another holds the lease) still renders it, and runs no job."""
        name = unique_name("follower")
        sid = create_service(name, public=True)
        status(sid, "Up")
        client.sql("UPDATE sched_lease SET holder = 'another-host:1', "
                   "expires_at = NOW() + INTERVAL 1 HOUR WHERE id = 1")
        try:
            r = once(int(time.time()))
        finally:
            release_lease()
        self.assertIn("the lease is held by another-host:1", r.stdout)
        with open(self.static("status.html")) as f:
            self.assertIn(">%s</a>" % name, f.read())
        badge = self.static("status", "badge", "%d.svg" % sid)
        self.assertIn("operational", open(badge).read())

    def test_served_while_the_database_is_down(self):
        name = unique_name("fallback")
        sid = create_service(name, public=True)
        status(sid, "Up")
        release_lease()
        once(int(time.time()))
        live = api("GET", "/status")
        self.assertNotIn("X-Resilops-Copy", live.headers)
        viewer = client.viewer_token()
        client.stack("db-stop")
        try:
            r = api("GET", "/status")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.headers["X-Resilops-Copy"], "static")
            self.assertEqual(r.headers["Content-Type"],
                             "text/html; charset=utf-8")
            self.assertIn("default-src 'none'",
                          r.headers["Content-Security-Policy"])
            self.assertIn(">%s</a>" % name, r.text)
            self.assertIn("Updated <time", r.text)
            r = api("GET", "/status/feed.atom")
            self.assertEqual((r.status, r.headers["X-Resilops-Copy"]),
                             (200, "static"))
            ET.fromstring(r.text)
            r = api("GET", "/status/badge/%d.svg" % sid)
            self.assertEqual(r.status, 200, r)
            self.assertIn("operational", r.text)
            # The API says it is unavailable, as before.
            r = api("GET", "/api/services", token=viewer)
            self.assertEqual(r.status, 503)
        finally:
            client.stack("db-start")
            client.wait_until(healthz_ok, timeout=30, what="/healthz after "
                              "db-start")
        self.assertNotIn("X-Resilops-Copy", api("GET", "/status").headers)

    def test_served_while_the_pool_is_down(self):
        name = unique_name("nopool")
        sid = create_service(name, public=True)
        status(sid, "Up")
        release_lease()
        once(int(time.time()))
        client.stack("fcgi-stop")
        # The web server itself: the application does not answer at all.
        # nginx answers the copy as 200 and the API 502 (no pool); Apache
        # keeps mod_fcgid's 500 (the program cannot run) for both.
        page, api_status = {"nginx": (200, 502),
                            "apache": (500, 500)}[client.web_server()]
        try:
            r = api("GET", "/status")
            self.assertEqual(r.status, page, r)
            self.assertEqual(r.headers["X-Resilops-Copy"], "static")
            self.assertEqual(r.headers["Content-Type"],
                             "text/html; charset=utf-8")
            self.assertIn("default-src 'none'",
                          r.headers["Content-Security-Policy"])
            self.assertIn(">%s</a>" % name, r.text)
            r = api("GET", "/status/badge/%d.svg" % sid)
            self.assertEqual((r.status, r.headers["Content-Type"]),
                             (page, "image/svg+xml"))
            # Nothing else is: the API says it is unavailable, as JSON.
            r = api("GET", "/api/services")
            self.assertEqual(r.status, api_status)
            self.assertEqual(r.json, {"error": "Internal server error"}
                             if api_status == 500 else
                             {"error": "Service temporarily unavailable"})
        finally:
            client.stack("fcgi-start")
            client.wait_until(healthz_ok, timeout=30, what="/healthz after "
                              "fcgi-start")


class ServicePage(unittest.TestCase):
    def test_public_service(self):
        dep = unique_name("dep")
        name = unique_name("svc")
        d = create_service(dep, public=True)
        p = create_service(unique_name("priv"))
        sid = create_service(name, public=True, dependencies=[d, p],
                             description="Card payments")
        status(sid, "Up")
        r = api("GET", "/status/%d" % sid)
        self.assertEqual(r.status, 200, r)
        html = r.text
        self.assertIn("<h1>%s</h1>" % name, html)
        self.assertIn("Card payments", html)
        for label in ("Last 24 hours", "Last 7 days", "Last 30 days",
                      "Last 90 days"):
            self.assertIn("<dt>%s</dt><dd>100.00 %%</dd>" % label, html)
        self.assertIn('href="/status/%d">%s</a>' % (d, dep), html)
        self.assertIn("An internal dependency", html)
        self.assertIn('src="/status/badge/%d.svg"' % sid, html)

    def test_uptime_of_the_last_day(self):
        sid = create_service(unique_name("uptime"), public=True)
        client.sql("UPDATE services SET created_at = NOW() - INTERVAL 100 "
                   "DAY WHERE id = %d" % sid)
        now = int(time.time())
        log_outage(sid, now - 3 * 3600, now - 3 * 3600 + 864)  # 1 % of a day
        html = api("GET", "/status/%d" % sid).text
        self.assertIn("<dt>Last 24 hours</dt><dd>99.00 %</dd>", html)

    def test_not_public_is_404_html(self):
        sid = create_service(unique_name("priv"))
        for path in ("/status/%d" % sid, "/status/999999999",
                     "/status/badge/%d.svg" % sid):
            r = api("GET", path)
            self.assertEqual(r.status, 404, path)
            self.assertIn("text/html", r.headers["Content-Type"])
            self.assertIn("No public service has this number", r.text)


class Feed(unittest.TestCase):
    def test_outages_opened_and_closed(self):
        name = unique_name("feed")
        sid = create_service(name, public=True)
        hidden = create_service(unique_name("hidden"))
        status(sid, "Up")
        status(sid, "Down")
        status(sid, "Up")
        status(hidden, "Down")
        r = api("GET", "/status/feed.atom")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers["Content-Type"],
                         "application/atom+xml; charset=utf-8")
        self.assertEqual(r.headers["Cache-Control"], "public, max-age=30")
        feed = ET.fromstring(r.text)
        self.assertEqual(feed.tag, ATOM + "feed")
        titles = [e.findtext(ATOM + "title") for e in feed.iter(ATOM + "entry")]
        self.assertIn("%s is back" % name, titles)
        self.assertIn("%s is out of service" % name, titles)
        self.assertLess(titles.index("%s is back" % name),
                        titles.index("%s is out of service" % name))
        self.assertFalse([t for t in titles if "hidden" in t])
        ids = [e.findtext(ATOM + "id") for e in feed.iter(ATOM + "entry")]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertLessEqual(len(ids), 50)

    def test_etag_and_304(self):
        r = api("GET", "/status/feed.atom")
        tag = r.headers["ETag"]
        self.assertRegex(tag, r'^"[0-9a-f]{32}"$')
        r2 = api("GET", "/status/feed.atom", headers={"If-None-Match": tag})
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.text, "")
        self.assertEqual(r2.headers["ETag"], tag)
        r3 = api("GET", "/status/feed.atom",
                 headers={"If-None-Match": '"other", ' + tag})
        self.assertEqual(r3.status, 304)
        r4 = api("GET", "/status/feed.atom",
                 headers={"If-None-Match": '"other"'})
        self.assertEqual(r4.status, 200)


class Badges(unittest.TestCase):
    def badge(self, path, status_code=200):
        r = api("GET", path)
        self.assertEqual(r.status, status_code, r)
        if status_code == 200:
            self.assertEqual(r.headers["Content-Type"],
                             "image/svg+xml; charset=utf-8")
            self.assertEqual(r.headers["Cache-Control"], "public, max-age=30")
            svg = ET.fromstring(r.text)
            self.assertEqual(svg.tag, SVG + "svg")
            return r, [t.text for t in svg.iter(SVG + "text")]
        return r, None

    def test_status_badges(self):
        sid = create_service(unique_name("badge"), public=True)
        status(sid, "Up")
        _, texts = self.badge("/status/badge/%d.svg" % sid)
        self.assertEqual(texts, ["status", "operational"])
        status(sid, "Down")
        r, texts = self.badge("/status/badge/%d.svg" % sid)
        self.assertEqual(texts, ["status", "down"])
        self.assertIn('fill="#cf222e"', r.text)
        self.assertIn("<title>status: down</title>", r.text)

    def test_uptime_badge(self):
        sid = create_service(unique_name("upb"), public=True)
        client.sql("UPDATE services SET created_at = NOW() - INTERVAL 100 "
                   "DAY WHERE id = %d" % sid)
        now = int(time.time())
        log_outage(sid, now - 3 * 86400, now - 3 * 86400 + 2592)  # 0.1 %
        _, texts = self.badge("/status/badge/%d.svg?window=30d" % sid)
        self.assertEqual(texts, ["uptime 30d", "99.90 %"])
        _, texts = self.badge("/status/badge/%d.svg?window=24h" % sid)
        self.assertEqual(texts, ["uptime 24h", "100.00 %"])
        r, _ = self.badge("/status/badge/%d.svg?window=1y" % sid, 400)
        self.assertIn("Invalid window", r.text)

    def test_etag(self):
        sid = create_service(unique_name("etag"), public=True)
        r, _ = self.badge("/status/badge/%d.svg" % sid)
        r2 = api("GET", "/status/badge/%d.svg" % sid,
                 headers={"If-None-Match": r.headers["ETag"]})
        self.assertEqual(r2.status, 304)
        status(sid, "Down")
        r3 = api("GET", "/status/badge/%d.svg" % sid,
                 headers={"If-None-Match": r.headers["ETag"]})
        self.assertEqual(r3.status, 200)


class Root(unittest.TestCase):
    def test_root_redirects_to_status(self):
        r = api("GET", "/")
        self.assertEqual((r.status, r.headers["Location"]), (303, "/status"))

    def test_static_assets(self):
        for path, ctype in (("/css/resilops.css", "text/css"),
                            ("/icons/up.svg", "image/svg+xml")):
            r = api("GET", path)
            self.assertEqual(r.status, 200, path)
            self.assertTrue(r.headers["Content-Type"].startswith(ctype))


if __name__ == "__main__":
    unittest.main()
