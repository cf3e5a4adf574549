"""The services' summary columns (sql/022, sql/027, sql/033, speed issue
13): deps, integrations, windows, outages, latest_downtime and the BIA's
copy are kept by every writer in its transaction.
Each writer is driven over HTTP (and resilops-admin import), and after
every step every service's summary is compared with what the real
tables say (service_dependencies, integrations, maintenance_services
with maintenance, downtimes), and the API is asked what it shows:
dependencies, health's integration-driven risk, in_maintenance, which
flips at a window's first second and at its end second, and health's
uptime, downtime and risk, the same from the summary as from the
tables."""

import contextlib
import json
import os
import time
import unittest
from collections import Counter

import client
from client import api, create_service, engineer_token, owner_token, \
    unique_name, viewer_token
from test_import import FLASK_SCHEMA
from test_integrations import slack_url
from test_sched import iso

# Every service: its summary, then the truth from the tables, then the
# database's clock, then the outages' summary and truth.  Windows and
# downtimes as "start:end" pairs, all of them (ended or not; "-" for an
# open end): the summary may keep one ended before its horizon, never a
# made-up one.
TRUTH = """
SELECT s.id, IFNULL(s.deps, '-'), s.integrations, IFNULL(s.windows, '-'),
  IFNULL((SELECT GROUP_CONCAT(d.dependency_id ORDER BY d.dependency_id)
    FROM service_dependencies d WHERE d.service_id = s.id), '-'),
  (SELECT COUNT(*) FROM integrations i WHERE i.service_id = s.id),
  IFNULL((SELECT GROUP_CONCAT(CONCAT(
    TIMESTAMPDIFF(SECOND, '1970-01-01', m.starts_at), ':',
    TIMESTAMPDIFF(SECOND, '1970-01-01', m.ends_at)))
    FROM maintenance_services x JOIN maintenance m
    ON m.id = x.maintenance_id WHERE x.service_id = s.id), '-'),
  TIMESTAMPDIFF(SECOND, '1970-01-01', UTC_TIMESTAMP()),
  IF(o.service_id IS NULL, '[]', IFNULL(o.outages, '-')),
  IF(o.service_id IS NULL, 0,
    IFNULL(TIMESTAMPDIFF(SECOND, '1970-01-01', o.outages_from), '-')),
  IFNULL(o.latest_downtime, '-'),
  IFNULL((SELECT GROUP_CONCAT(CONCAT(
    TIMESTAMPDIFF(SECOND, '1970-01-01', d.start_time), ':',
    IFNULL(TIMESTAMPDIFF(SECOND, '1970-01-01', d.end_time), '-')))
    FROM downtimes d WHERE d.service_id = s.id), '-'),
  IFNULL(COALESCE((SELECT o.id FROM downtimes o WHERE o.service_id = s.id
    AND o.end_time IS NULL ORDER BY o.start_time DESC, o.id DESC LIMIT 1),
    (SELECT l.id FROM downtimes l WHERE l.service_id = s.id
    ORDER BY l.start_time DESC, l.id DESC LIMIT 1)), '-')
FROM services s LEFT JOIN service_outages o ON o.service_id = s.id
ORDER BY s.id
"""

# The services whose row's BIA (sql/033) is not the bia table's.
BIA_DRIFT = """
SELECT s.id FROM services s LEFT JOIN bia b ON b.service_id = s.id
WHERE NOT (s.bia_set <=> (b.service_id IS NOT NULL)
  AND s.bia_criticality <=> b.criticality AND s.bia_impact <=> b.impact
  AND s.bia_rto <=> b.rto AND s.bia_rpo <=> b.rpo
  AND s.bia_signed_off <=> b.signed_off
  AND s.bia_signed_off_by <=> b.signed_off_by
  AND s.bia_signed_off_at <=> b.signed_off_at)
"""

# The services whose status row's outage_open (sql/036) is not whether
# a downtime of theirs is open.
FLAG_DRIFT = """
SELECT st.service_id FROM service_status st
WHERE st.outage_open <> EXISTS (SELECT 1 FROM downtimes d
  WHERE d.service_id = st.service_id AND d.end_time IS NULL)
"""

# db_outages.h: health's longest window and a day; at most 512 kept.
HORIZON = 91 * 86400
OUTAGES_MAX = 512


def pairs(text):
    """Counter of (start, end or None) from "s:e,s:-" ("-": none)."""
    if text == "-":
        return Counter()
    return Counter(tuple(None if x == "-" else int(x) for x in p.split(":"))
                   for p in text.split(","))


def check_outages(where, outages, since, latest, t_down, t_latest):
    """The outages' summary against the downtimes table: exactly those
    open or ended after its horizon (no row, read as none from the
    epoch, for a service no writer of downtimes touched yet), or NULL
    with both columns when more than OUTAGES_MAX; the latest downtime's
    id, an open one first."""
    every = pairs(t_down)
    if latest != t_latest:
        raise AssertionError("%s: latest_downtime %s, table %s" % (
            where, latest, t_latest))
    if outages == "-" or since == "-":
        if (outages, since) != ("-", "-") or \
                sum(every.values()) <= OUTAGES_MAX:
            raise AssertionError("%s: outages %r from %r with %d downtimes"
                                 % (where, outages, since,
                                    sum(every.values())))
        return
    since = int(since)
    kept = Counter(tuple(p) for p in json.loads(outages))
    want = Counter({d: k for d, k in every.items()
                    if d[1] is None or d[1] > since})
    if kept != want:
        raise AssertionError("%s: outages %r from %d; table %r" % (
            where, sorted(kept.elements(), key=str), since,
            sorted(every.elements(), key=str)))


def summaries():
    """{id: (deps, integrations, windows)} as stored, after checking
    every service's against the tables (its outages and BIA too)."""
    drift = client.sql(BIA_DRIFT).split()
    if drift:
        raise AssertionError("services %s: the BIA on the row is not the "
                             "bia table's" % ", ".join(drift))
    drift = client.sql(FLAG_DRIFT).split()
    if drift:
        raise AssertionError("services %s: the status row's outage_open "
                             "is not whether a downtime is open"
                             % ", ".join(drift))
    out = {}
    for line in client.sql(TRUTH).splitlines():
        (sid, deps, n, win, t_deps, t_n, t_win, now, outages, since, latest,
         t_down, t_latest) = line.split("\t")
        sid, now = int(sid), int(now)
        where = "service %d" % sid
        # deps: exactly the edges, ascending; NULL (never "") when none.
        if deps != t_deps:
            raise AssertionError("%s: deps %r, edges %r" % (where, deps,
                                                             t_deps))
        if n != t_n:
            raise AssertionError("%s: integrations %s, rows %s" % (where, n,
                                                                  t_n))
        # Multisets: two windows may have the same times.
        every = Counter() if t_win == "-" else Counter(
            tuple(int(x) for x in p.split(":")) for p in t_win.split(","))
        kept = Counter() if win == "-" else Counter(
            tuple(p) for p in json.loads(win))
        if win != "-" and not kept:
            raise AssertionError("%s: windows %r instead of NULL" % (where,
                                                                     win))
        # Every window that ended within the horizon is there (it was
        # written before now); nothing that is not a window.
        live = Counter({w: k for w, k in every.items()
                        if w[1] > now - HORIZON})
        if live - kept or kept - every:
            raise AssertionError("%s: windows %r; recent %r, all %r" % (
                where, sorted(kept.elements()), sorted(live.elements()),
                sorted(every.elements())))
        check_outages(where, outages, since, latest, t_down, t_latest)
        out[sid] = (None if deps == "-" else [int(x) for x in
                                              deps.split(",")],
                    int(n), sorted(list(w) for w in kept.elements()))
    return out


def svc(sid):
    r = api("GET", "/api/services/%d" % sid, token=viewer_token())
    assert r.status == 200, r
    return r.json


def listed(sids):
    """The list's objects of sids: the last pages, where the newest are."""
    r = api("GET", "/api/services?per_page=1", token=viewer_token())
    total = int(r.headers["X-Total-Count"])
    got = {}
    page = (total + 99) // 100
    while page >= 1 and not set(sids) <= set(got):
        r = api("GET", "/api/services?per_page=100&page=%d" % page,
                token=viewer_token())
        assert r.status == 200, r
        got.update((s["id"], s) for s in r.json)
        page -= 1
    return {s: got[s] for s in sids}


def health(sid):
    r = api("GET", "/api/services/%d/health" % sid, token=viewer_token())
    assert r.status == 200, r
    return r.json


def set_deps(sid, deps):
    r = api("PUT", "/api/services/%d" % sid, {"dependencies": deps},
            token=owner_token())
    assert r.status == 200, r


def planner():
    return client.analyst_token()


def window(sids, start, end):
    r = api("POST", "/api/maintenance", {
        "title": unique_name("sum"), "service_ids": sids,
        "starts_at": iso(start), "ends_at": iso(end)}, token=planner())
    assert r.status == 201, r
    return r.json["id"]


def edit_window(wid, **body):
    for k in ("starts_at", "ends_at"):
        if k in body:
            body[k] = iso(body[k])
    r = api("PUT", "/api/maintenance/%d" % wid, body, token=planner())
    assert r.status == 200, r


class Dependencies(unittest.TestCase):
    def check(self, want):
        """want: {service: its dependencies}, in the table and the API."""
        got = summaries()
        shown = listed(list(want))
        for sid, deps in want.items():
            self.assertEqual(got[sid][0], deps or None, sid)
            self.assertEqual(svc(sid)["dependencies"], deps, sid)
            self.assertEqual(shown[sid]["dependencies"], deps, sid)

    def test_add_replace_remove_and_delete_a_dependency(self):
        a, d = create_service(), create_service()
        b = create_service(dependencies=[a])
        c = create_service(dependencies=[d, a, b, a])
        e = create_service(dependencies=[a, d])
        self.check({a: [], b: [a], c: sorted([a, b, d]), d: [],
                    e: sorted([a, d])})
        set_deps(c, [d, b])
        set_deps(b, [])
        self.check({a: [], b: [], c: sorted([b, d]), e: sorted([a, d])})
        # The cascade takes the edges to d from both of its dependents.
        r = api("DELETE", "/api/services/%d" % d, token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.check({a: [], b: [], c: [b], e: [a]})
        # A delete of a service nobody depends on, and of a dependent.
        r = api("DELETE", "/api/services/%d" % c, token=owner_token())
        self.assertEqual(r.status, 200, r)
        set_deps(b, [a, e])
        self.check({a: [], b: sorted([a, e]), e: [a]})
        # A change refused (a cycle) leaves the summary as it was.
        r = api("PUT", "/api/services/%d" % a, {"dependencies": [b]},
                token=owner_token())
        self.assertEqual(r.status, 400, r)
        self.check({a: [], b: sorted([a, e]), e: [a]})


class Integrations(unittest.TestCase):
    ROUTE = "/api/services/integrations"

    def add(self, sid):
        r = api("POST", self.ROUTE, {"service_id": sid, "type": "Slack",
                                     "config": {"webhook_url": slack_url()}},
                token=engineer_token())
        self.assertEqual(r.status, 201, r)
        return int(client.sql("SELECT MAX(id) FROM integrations WHERE "
                              "service_id = %d" % sid))

    def test_create_and_delete(self):
        sid, other = create_service(), create_service()
        base = health(sid)["risk_score"]
        ids = [self.add(sid) for _ in range(4)]
        self.add(other)
        self.assertEqual((summaries()[sid][1], summaries()[other][1]), (4, 1))
        # More than 3 integrations: +10 (core/risk.c), read from the row.
        self.assertEqual(health(sid)["risk_score"], base + 10)
        r = api("DELETE", "%s/%d" % (self.ROUTE, ids[0]),
                token=engineer_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(summaries()[sid][1], 3)
        self.assertEqual(health(sid)["risk_score"], base)
        # An unknown one changes no count.
        r = api("DELETE", "%s/999999999" % self.ROUTE, token=engineer_token())
        self.assertEqual(r.status, 404, r)
        self.assertEqual(summaries()[sid][1], 3)
        # The service's delete takes its integrations and its row.
        api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertNotIn(sid, summaries())
        self.assertEqual(summaries()[other][1], 1)


class Windows(unittest.TestCase):
    def flags(self, sids):
        shown = listed(sids)
        return {s: (svc(s)["in_maintenance"], shown[s]["in_maintenance"],
                    health(s)["in_maintenance"]) for s in sids}

    def test_create_edit_delete_and_services(self):
        a, b, c = (create_service() for _ in range(3))
        now = int(time.time())
        w1 = window([a, b], now - 60, now + 3600)
        w2 = window([c], now + 7200, now + 9000)
        # Ended more than the horizon before it was written: not kept;
        # an hour before: kept (health's uptime leaves it out).
        window([a], now - HORIZON - 7200, now - HORIZON - 3600)
        window([a], now - 7200, now - 3600)
        past = [now - 7200, now - 3600]
        got = summaries()
        self.assertEqual(got[a][2], [past, [now - 60, now + 3600]])
        self.assertEqual(got[c][2], [[now + 7200, now + 9000]])
        on, off = (True,) * 3, (False,) * 3
        self.assertEqual(self.flags([a, b, c]), {a: on, b: on, c: off})
        # Its services changed: a leaves it, c joins.
        edit_window(w1, service_ids=[b, c])
        got = summaries()
        self.assertEqual(got[a][2], [past])
        self.assertEqual(sorted(got[c][2]), sorted(
            [[now - 60, now + 3600], [now + 7200, now + 9000]]))
        self.assertEqual(self.flags([a, b, c]), {a: off, b: on, c: on})
        # Its times moved: later, then over already (kept, ended).
        edit_window(w1, starts_at=now + 600, ends_at=now + 1200)
        summaries()
        self.assertEqual(self.flags([b, c]), {b: off, c: off})
        edit_window(w1, starts_at=now - 600, ends_at=now - 300)
        over = [now - 600, now - 300]
        self.assertEqual(summaries()[b][2], [over])
        self.assertEqual(self.flags([b]), {b: off})
        # A new title with a start moved back: in maintenance from now.
        edit_window(w2, title="renamed", starts_at=now - 5)
        self.assertEqual(summaries()[c][2], [over, [now - 5, now + 9000]])
        self.assertEqual(self.flags([c]), {c: on})
        r = api("DELETE", "/api/maintenance/%d" % w2, token=planner())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(summaries()[c][2], [over])
        self.assertEqual(self.flags([c]), {c: off})
        # A service deleted out of a window leaves the others' as they are.
        w3 = window([a, b], now - 60, now + 3600)
        api("DELETE", "/api/services/%d" % a, token=owner_token())
        self.assertEqual(summaries()[b][2], [over, [now - 60, now + 3600]])
        api("DELETE", "/api/maintenance/%d" % w3, token=planner())
        summaries()

    def sample(self, sid):
        """(first second the request may have seen, last, in_maintenance).
        The worker's time() is the kernel's coarse clock, which may lag
        the one time.time() reads by a tick: a margin either side."""
        t0 = time.time()
        flag = svc(sid)["in_maintenance"]
        return int(t0 - 0.05), int(time.time() + 0.05), flag

    def test_flips_at_start_and_end(self):
        sid = create_service()
        start = int(time.time()) + 3
        end = start + 3
        window([sid], start, end)
        seen = set()
        while time.time() < end + 1.5:
            first, last, flag = self.sample(sid)
            # Only a request that began and ended in one second says
            # which second its clock read.
            if first == last:
                self.assertEqual(flag, start <= first < end, first - start)
                seen.add((first >= start) + (first >= end))
            time.sleep(0.05)
        # Seen before the start, inside, and from the end on.
        self.assertEqual(seen, {0, 1, 2})


def log_downtime(sid, start, end=None, reason="logged"):
    body = {"start_time": iso(start), "reason": reason}
    if end is not None:
        body["end_time"] = iso(end)
    r = api("POST", "/api/services/%d/downtime" % sid, body,
            token=owner_token())
    assert r.status == 200, r


def set_status(sid, status):
    r = api("POST", "/api/services/%d/status" % sid, {"status": status},
            token=owner_token())
    assert r.status == 200, r


WINDOWS = ("24h", "7d", "30d", "90d")


def answers(sid):
    """What health says of sid over every window, the fields that depend
    on its outages and windows (the risk routes read the same view)."""
    out = {}
    for w in WINDOWS:
        r = api("GET", "/api/services/%d/health?window=%s" % (sid, w),
                token=viewer_token())
        assert r.status == 200, r
        out[w] = (r.json["uptime_percentage"], r.json["downtime"],
                  r.json["risk_score"], r.json["reason"])
    return out


def backdate(sid, days):
    """Created days ago: health's uptime over a span that does not move
    with each second of a service just made."""
    client.sql("UPDATE services SET created_at = UTC_TIMESTAMP() - "
               "INTERVAL %d DAY WHERE id = %d" % (days, sid))


@contextlib.contextmanager
def kept_summary(sid):
    """Put sid's outages summary back as it is now, after the block."""
    outages, since = client.sql(
        "SELECT IFNULL(QUOTE(outages), 'NULL'), IFNULL(QUOTE(outages_from), "
        "'NULL') FROM service_outages WHERE service_id = %d"
        % sid).strip().split("\t")
    try:
        yield
    finally:
        client.sql("UPDATE service_outages SET outages = %s, outages_from = "
                   "%s WHERE service_id = %d" % (outages, since, sid))


class Outages(unittest.TestCase):
    """The outages' summary (sql/027): kept by every writer of
    downtimes, and health reads from it only what it covers."""

    def test_status_moves_and_logged(self):
        sid = create_service()
        summaries()
        set_status(sid, "Down")
        summaries()
        set_status(sid, "Degraded")
        got = summaries()
        self.assertIn(sid, got)
        now = int(time.time())
        # Older than the horizon: not kept, yet the latest if newest.
        log_downtime(sid, now - HORIZON - 86400 * 9,
                     now - HORIZON - 86400 * 8)
        summaries()
        log_downtime(sid, now - 86400 * 3, now - 86400 * 3 + 1800)
        log_downtime(sid, now - 86400 * 40, now - 86400 * 39)
        # An open one logged: the latest whatever its start.
        log_downtime(sid, now - 86400 * 60)
        summaries()
        set_status(sid, "Down")
        set_status(sid, "Up")
        summaries()
        backdate(sid, 120)
        self.assertEqual(answers(sid), self.from_tables(sid))

    def from_tables(self, sid):
        """answers(sid) with the summary not reaching back far enough (as
        when written on a clock ahead): from the downtimes and windows
        tables.  The summary is as it was after."""
        with kept_summary(sid):
            client.sql("UPDATE service_outages SET outages_from = "
                       "'2999-01-01 00:00:00' WHERE service_id = %d" % sid)
            return answers(sid)

    def test_health_reads_what_the_summary_covers(self):
        sid = create_service()
        now = int(time.time())
        for days, hours in ((1, 2), (5, 3), (20, 30), (60, 4), (89, 5),
                            (95, 6)):
            log_downtime(sid, now - days * 86400,
                         now - days * 86400 + hours * 3600)
        # Windows over some of them: ended 5, 20 and 60 days ago.
        for days in (5, 20, 60):
            window([sid], now - days * 86400 + 3600,
                   now - days * 86400 + 7200)
        # Older than the longest window: uptime over 90 days, not over
        # its life; and nothing open, so the answers hold still.
        backdate(sid, 120)
        summaries()
        via_summary = answers(sid)
        self.assertEqual(via_summary, self.from_tables(sid))
        # A summary that says "none in the last 10 days": read for the
        # windows it covers, never for the longer ones.
        log_downtime(sid, now - 3600, now - 1800)
        truth = self.from_tables(sid)
        with kept_summary(sid):
            client.sql("UPDATE service_outages SET outages = '[]', "
                       "outages_from = UTC_TIMESTAMP() - INTERVAL 10 DAY "
                       "WHERE service_id = %d" % sid)
            lied = answers(sid)
        for w in ("30d", "90d"):
            self.assertEqual(lied[w], truth[w], w)
        for w in ("24h", "7d"):
            self.assertNotEqual(lied[w][0], truth[w][0], w)
            self.assertEqual(lied[w][0], 100.0, w)

    def test_over_the_limit(self):
        sid = create_service()
        client.sql(
            "INSERT INTO downtimes (service_id, start_time, end_time, reason, "
            "source, created_at) SELECT %d, UTC_TIMESTAMP() - INTERVAL seq "
            "HOUR, UTC_TIMESTAMP() - INTERVAL seq HOUR + INTERVAL 1 MINUTE, "
            "'bulk', 'manual', UTC_TIMESTAMP() FROM seq_1_to_%d"
            % (sid, OUTAGES_MAX))
        backdate(sid, 40)
        now = int(time.time())
        log_downtime(sid, now - 600, now - 300)
        row = client.sql("SELECT IFNULL(outages, '-'), IFNULL(outages_from, "
                         "'-') FROM service_outages WHERE service_id = %d"
                         % sid).strip()
        self.assertEqual(row.split("\t"), ["-", "-"])
        summaries()
        got = answers(sid)
        # 512 + 5 minutes out of 30 days, from the table.
        self.assertEqual(got["30d"][0], round(100 - 517 * 100 / 43200, 2))

    def test_lost_heartbeats(self):
        from test_sched import once
        sid = create_service()
        set_status(sid, "Up")
        client.sql("UPDATE service_status SET last_updated = UTC_TIMESTAMP() "
                   "- INTERVAL 2 DAY WHERE service_id = %d" % sid)
        once(int(time.time()))
        n = client.sql("SELECT COUNT(*) FROM downtimes WHERE service_id = %d "
                       "AND end_time IS NULL" % sid).strip()
        self.assertEqual(n, "1")
        summaries()
        backdate(sid, 10)
        self.assertEqual(answers(sid), self.from_tables(sid))


class Bia(unittest.TestCase):
    """Every writer of a BIA over HTTP (create with one, the BIA route,
    a sign-off, the service's PUT, the BIA's DELETE, the service's
    DELETE) leaves the row's copy the table's, and the service's
    answers (one, the list, health) show it."""

    def shown(self, sid):
        one = svc(sid)["bia"]
        self.assertEqual(listed([sid])[sid]["bia"], one)
        r = api("GET", "/api/services/%d/health" % sid,
                token=viewer_token())
        self.assertEqual(r.status, 200, r)
        summaries()
        return one

    def test_every_writer(self):
        owner = owner_token()
        sid = create_service(criticality="High", impact="Severe", rto=60,
                             rpo=30)
        self.assertEqual(self.shown(sid)["criticality"], "High")
        bare = create_service()
        self.assertIsNone(self.shown(bare))
        r = api("PUT", "/api/services/%d/bia" % bare,
                {"criticality": "Low", "impact": "Low", "rto": 5},
                token=owner)
        self.assertEqual(r.status, 200, r)
        b = self.shown(bare)
        self.assertEqual((b["criticality"], b["rto"], b["rpo"]),
                         ("Low", 5, None))
        r = api("PUT", "/api/services/%d/bia" % sid, {"signed_off": True},
                token=owner)
        self.assertEqual(r.status, 200, r)
        b = self.shown(sid)
        self.assertTrue(b["signed_off"])
        self.assertIsNotNone(b["signed_off_at"])
        r = api("PUT", "/api/services/%d" % sid, {"impact": "Low"},
                token=owner)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.shown(sid)["impact"], "Low")
        r = api("DELETE", "/api/services/%d/bia" % sid, token=owner)
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(self.shown(sid))
        for gone in (sid, bare):
            r = api("DELETE", "/api/services/%d" % gone, token=owner)
            self.assertEqual(r.status, 200, r)
        summaries()


class Import(unittest.TestCase):
    """resilops-admin import writes edges and integrations row by row;
    the summaries are whole after it."""

    def test_import(self):
        tag = unique_name("sumi").split("_")[-1]
        db = "legacy_sum_%s" % tag
        client.sql("CREATE DATABASE %s" % db)
        try:
            for host in client.sql("SELECT host FROM mysql.user WHERE "
                                   "user = 'resilops'").split():
                client.sql("GRANT SELECT ON %s.* TO 'resilops'@'%s'"
                           % (db, host))
            client.sql("USE %s;" % db + FLASK_SCHEMA + """
INSERT INTO service VALUES (1, 'a-{t}', NULL, NULL), (2, 'b-{t}', NULL, NULL),
  (3, 'c-{t}', NULL, NULL);
INSERT INTO service_dependencies VALUES (2, 1), (3, 1), (3, 2);
INSERT INTO bia VALUES (1, 2, 'High', 'Severe', 30, 15, 1);
INSERT INTO integration VALUES
  (1, 3, 'Slack', '{{"webhook_url": "https://hooks.example.com/a"}}',
   NULL, NULL),
  (2, 3, 'Slack', '{{"webhook_url": "https://hooks.example.com/b"}}',
   NULL, NULL);
INSERT INTO downtime VALUES (1, 2, '2025-01-01 11:00:00',
  '2025-01-01 12:30:00', 'long ago'), (2, 2, '{r0}', '{r1}', 'recent'),
  (3, 3, '{r0}', NULL, 'open');
""".format(t=tag, r0=time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(
                time.time() - 5 * 86400)), r1=time.strftime(
                "%Y-%m-%d %H:%M:%S", time.gmtime(time.time() - 4 * 86400))))
            conf = os.path.join(client.STATE, "sum_%s.conf" % tag)
            with open(conf, "w") as f:
                for k in ("host", "port", "socket", "user", "password"):
                    v = client.conf_value_or_none("database", k)
                    if v:
                        f.write("%s = %s\n" % (k, v))
                f.write("database = %s\n" % db)
            os.chmod(conf, 0o600)
            r = client.admin_cli("import", "--mysql-config", conf,
                                 check=False)
            self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        finally:
            client.sql("DROP DATABASE %s" % db)
        a, b, c = (int(client.sql(
            "SELECT target_id FROM import_map WHERE source = "
            "'resilientops:%s' AND source_table = 'service' AND "
            "source_id = %d" % (db, i))) for i in (1, 2, 3))
        got = summaries()
        self.assertEqual([got[s][:2] for s in (a, b, c)],
                         [(None, 0), ([a], 0), (sorted([a, b]), 2)])
        self.assertEqual(svc(c)["dependencies"], sorted([a, b]))
        # The BIA imported is on its row (summaries checked them all).
        self.assertEqual(svc(b)["bia"]["criticality"], "High")
        self.assertIsNone(svc(a)["bia"])
        # The outages imported row by row are in the summaries.
        self.assertEqual(client.sql(
            "SELECT JSON_LENGTH(outages) FROM service_outages WHERE "
            "service_id IN (%d, %d, %d) ORDER BY service_id" % (a, b, c)
        ).split(), ["0", "1", "1"])
        for sid in (b, c):
            backdate(sid, 10)
            self.assertEqual(answers(sid), Outages().from_tables(sid))


if __name__ == "__main__":
    unittest.main()
