"""The ticket lists' statements composed from filter fragments (issue 13):
every filter of GET /api/tickets alone, and combinations, for a Manager,
a Technician and a user, and every subset route, return exactly the rows
and the X-Total-Count that a brute-force filter over the Manager's whole
list gives; and the count a Manager's unfiltered list reports (kept in
counters, not counted) stays exact across the API's creates and deletes,
resilops-sched's outage tickets and resilops-admin import."""

import os
import sqlite3
import tempfile
import time
import unittest

import client
from client import api, create_service, owner_token
from test_import import SLAGUARD_SCHEMA
from test_sched import DaemonCase, once
from test_tickets import Person, age, create, manager

LEVELS = ("SAFE", "WARNING", "HIGH_RISK", "BREACHED")


def everything(token, path="/api/tickets", query=""):
    """Every row of a list (pages of 1000) and its X-Total-Count."""
    rows, page, total = [], 1, None
    while True:
        r = api("GET", "%s?per_page=1000&page=%d%s" % (path, page, query),
                token=token)
        assert r.status == 200, (path, query, r)
        total = int(r.headers["X-Total-Count"])
        rows += r.json
        if len(r.json) < 1000:
            return rows, total
        page += 1


def brute(rows, **want):
    """The ids of rows whose fields equal want's, newest first."""
    return [t["id"] for t in rows
            if all(t[k] == v for k, v in want.items())]


class Filters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        """Tickets across every value each filter can take: two
        technicians, two services, every priority, statuses, and clocks
        aged to each risk level (far from the levels' edges, so a
        second's difference between two reads changes nothing)."""
        cls.tech = Person("Technician")
        cls.other = Person("Technician")
        cls.user = Person("user")
        cls.svc = [create_service(), create_service()]
        tok = manager().token
        ages = (0, 0.6, 0.85, 1.5)		# fractions of the SLA
        hours = {"LOW": 48, "MEDIUM": 24, "HIGH": 8, "CRITICAL": 4}
        cls.ids = []
        for i, prio in enumerate(("LOW", "MEDIUM", "HIGH", "CRITICAL") * 3):
            body = {"priority": prio, "service_id": cls.svc[i % 2]}
            if i % 3 != 2:
                body["assignee_id"] = (cls.tech, cls.other)[i % 3].id
            maker = {1: cls.user, 2: cls.user, 3: cls.user, 5: cls.user,
                     10: cls.tech}
            t = create(maker[i].token if i in maker else tok, **body)
            age(t["id"], int(ages[i % 4] * hours[prio] * 3600))
            cls.ids.append(t["id"])
        for tid, status in ((cls.ids[0], "IN_PROGRESS"),
                            (cls.ids[7], "WAITING_ON_CUSTOMER")):
            r = api("PUT", "/api/tickets/%d" % tid, {"status": status},
                    token=tok)
            assert r.status == 200, r
        # Escalating through the API reassigns it; only the status here.
        client.sql("UPDATE tickets SET status = 'ESCALATED' WHERE id = %d"
                   % cls.ids[5])
        # Behind every writer's back: the kept totals follow.
        client.admin_cli("tickets", "retally", str(cls.ids[5]))
        r = api("POST", "/api/tickets/%d/resolve" % cls.ids[3], token=tok)
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        """Gone again: aged past 75 %, they would be escalated by the
        next daemon run of another test, and change its choices."""
        for tid in cls.ids:
            api("DELETE", "/api/tickets/%d" % tid, token=manager().token)

    def expect(self, token, query, want, path="/api/tickets"):
        """The list for query: want(row) over the Manager's whole list,
        read before and after (a clock may cross a level between)."""
        before, _ = everything(manager().token)
        rows, total = everything(token, path, query)
        after, _ = everything(manager().token)
        got = [t["id"] for t in rows]
        wants = [[t["id"] for t in full if want(t)] for full in (before, after)]
        self.assertIn(got, wants, (path, query))
        self.assertEqual(total, len(got), (path, query))
        return got

    def test_each_filter_alone(self):
        tok = manager().token
        cases = [("", lambda t: True)]
        for s in ("OPEN", "IN_PROGRESS", "ESCALATED", "WAITING_ON_CUSTOMER",
                  "RESOLVED"):
            cases.append(("&status=" + s.lower(),
                          lambda t, s=s: t["status"] == s))
        for p in ("LOW", "MEDIUM", "HIGH", "CRITICAL"):
            cases.append(("&priority=" + p, lambda t, p=p: t["priority"] == p))
        for lv in LEVELS:
            cases.append(("&risk_level=" + lv,
                          lambda t, lv=lv: t["risk_level"] == lv))
        for who in (self.tech, self.other):
            for name in ("assignee_id", "assignee"):
                cases.append(("&%s=%d" % (name, who.id),
                              lambda t, w=who.id: t["assignee_id"] == w))
        for sid in self.svc:
            cases.append(("&service_id=%d" % sid,
                          lambda t, s=sid: t["service_id"] == s))
        for query, want in cases:
            got = self.expect(tok, query, want)
            # The fixture has rows for every value filtered on.
            self.assertTrue(set(got) & set(self.ids), query)

    def test_combinations(self):
        tok = manager().token
        s0, tech = self.svc[0], self.tech.id
        for query, want in (
                ("&priority=HIGH&risk_level=BREACHED",
                 lambda t: t["priority"] == "HIGH" and
                 t["risk_level"] == "BREACHED"),
                ("&assignee_id=%d&service_id=%d" % (tech, s0),
                 lambda t: t["assignee_id"] == tech and t["service_id"] == s0),
                ("&status=OPEN&priority=CRITICAL&risk_level=SAFE",
                 lambda t: t["status"] == "OPEN" and
                 t["priority"] == "CRITICAL" and t["risk_level"] == "SAFE"),
                ("&service_id=%d&risk_level=WARNING" % s0,
                 lambda t: t["service_id"] == s0 and
                 t["risk_level"] == "WARNING")):
            self.expect(tok, query, want)

    def test_every_priority_and_level(self):
        """A priority, a level, and both: totals from the kept
        aggregates (sql/028's priority scope), rows from the table."""
        tok = manager().token
        for p in ("LOW", "MEDIUM", "HIGH", "CRITICAL"):
            for lv in LEVELS:
                self.expect(tok, "&priority=%s&risk_level=%s" % (p, lv),
                            lambda t, p=p, lv=lv: t["priority"] == p and
                            t["risk_level"] == lv)

    def test_totals_after_an_upgrade(self):
        """sql/028 applied over tickets that exist (its column, index
        and scope rows gone, its version forgotten, then resilops-admin
        migrate) gives the same totals at once.  030 comes after it
        (its scope made from 028's column), so is forgotten too."""
        client.sql("ALTER TABLE ticket_tallied DROP COLUMN priority; "
                   "ALTER TABLE tickets DROP INDEX ix_tickets_newest; "
                   "DELETE FROM ticket_tallies WHERE scope IN (4, 5); "
                   "DELETE FROM schema_migrations WHERE version IN (28, 30)")
        r = client.admin_cli("migrate", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.test_every_priority_and_level()
        self.test_views_with_filters()
        tok = manager().token
        self.expect(tok, "&assignee_id=%d" % self.tech.id,
                    lambda t: t["assignee_id"] == self.tech.id)
        self.expect(tok, "&page=2", lambda t: True)
        self.test_subset_routes()

    def test_views_with_filters(self):
        """A Technician sees what is assigned to or created by them, a
        user what they created, each with the same filters."""
        tech, user = self.tech, self.user
        own = lambda t: tech.id in (t["assignee_id"], t["created_by_user_id"])
        created = lambda t: t["created_by_user_id"] == user.id
        for who, view in ((tech, own), (user, created)):
            self.expect(who.token, "", view)
            self.expect(who.token, "&priority=MEDIUM",
                        lambda t, v=view: v(t) and t["priority"] == "MEDIUM")
            self.expect(who.token, "&risk_level=HIGH_RISK&service_id=%d" %
                        self.svc[1], lambda t, v=view: v(t) and
                        t["risk_level"] == "HIGH_RISK" and
                        t["service_id"] == self.svc[1])

    def test_subset_routes(self):
        tok, user = manager().token, self.user
        active = lambda t: t["status"] != "RESOLVED"
        high = lambda t: active(t) and t["risk_level"] in ("HIGH_RISK",
                                                           "BREACHED")
        self.expect(tok, "", high, "/api/tickets/high-risk")
        self.expect(tok, "", lambda t: t["status"] == "ESCALATED",
                    "/api/tickets/escalated")
        mine = lambda t: t["created_by_user_id"] == user.id
        for path, want in (
                ("my-tickets", mine),
                ("active", lambda t: mine(t) and active(t)),
                ("high-priority", lambda t: mine(t) and
                 t["priority"] in ("HIGH", "CRITICAL")),
                ("breached", lambda t: mine(t) and
                 t["risk_level"] == "BREACHED"),
                ("closed", lambda t: mine(t) and t["status"] == "RESOLVED")):
            got = self.expect(user.token, "", want,
                              "/api/users/tickets/" + path)
            self.assertTrue(got, path)

    def test_pages_cover_the_list_once(self):
        tok = manager().token
        rows, total = everything(tok, query="&service_id=%d" % self.svc[0])
        paged = []
        for page in range(1, total + 2):
            r = api("GET", "/api/tickets?per_page=2&page=%d&service_id=%d" %
                    (page, self.svc[0]), token=tok)
            self.assertEqual(int(r.headers["X-Total-Count"]), total)
            paged += [t["id"] for t in r.json]
        self.assertEqual(paged, [t["id"] for t in rows])

    def test_deep_pages(self):
        """Later pages (the ids first, then the rows, and the total in
        one statement) are the same slices of the list as the first
        pages read whole, with the same total past the end, for a
        Manager's whole list, a filtered one and a Technician's."""
        tok = manager().token
        extra = [create(tok, service_id=self.svc[1],
                        assignee_id=self.tech.id)["id"] for _ in range(110)]
        try:
            for who, query in ((tok, ""),
                               (tok, "&service_id=%d" % self.svc[1]),
                               (self.tech.token, "")):
                rows, total = everything(who, query=query)
                ids = [t["id"] for t in rows]
                self.assertGreaterEqual(total, 110, query)
                for per, page in ((1, 100), (1, 101), (1, total),
                                  (1, total + 1), (7, 15), (7, 16),
                                  (50, 3), (50, total // 50 + 1)):
                    r = api("GET", "/api/tickets?per_page=%d&page=%d%s" %
                            (per, page, query), token=who)
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(int(r.headers["X-Total-Count"]), total)
                    self.assertEqual([t["id"] for t in r.json],
                                     ids[(page - 1) * per:page * per],
                                     (query, per, page))
        finally:
            for tid in extra:
                api("DELETE", "/api/tickets/%d" % tid, token=tok)


class Counter(DaemonCase):
    def total(self):
        """The Manager's X-Total-Count, checked against the table."""
        r = api("GET", "/api/tickets?per_page=1", token=manager().token)
        self.assertEqual(r.status, 200, r)
        n = int(r.headers["X-Total-Count"])
        self.assertEqual(n, int(client.sql("SELECT COUNT(*) FROM tickets")))
        return n

    def slaguard_file(self, tickets):
        """An SLA Guard file of resolved tickets (an open one, long past
        its SLA, would be escalated by the next daemon run of another
        test)."""
        d = tempfile.mkdtemp()
        path = os.path.join(d, "sla_guard.db")
        f = sqlite3.connect(path)
        f.executescript(SLAGUARD_SCHEMA)
        f.executemany("INSERT INTO tickets VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                      "?, ?, ?, ?)", [
            (i, "Imported %d %s" % (i, path), "Acme", None, "LOW",
             "RESOLVED", None, 48, "SAFE", "2025-02-02 08:00:00",
             "2025-02-02 09:00:00", "2025-02-02 09:00:00")
            for i in range(1, tickets + 1)])
        f.commit()
        f.close()
        self.addCleanup(lambda: (os.unlink(path), os.rmdir(d)))
        return path

    def test_exact_across_create_delete_outages_import(self):
        n = self.total()
        a = create(manager().token)
        b = create(Person("user").token)
        self.assertEqual(self.total(), n + 2)
        r = api("DELETE", "/api/tickets/%d" % a["id"], token=manager().token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.total(), n + 1)
        # Deleting it again deletes nothing and counts nothing.
        api("DELETE", "/api/tickets/%d" % a["id"], token=manager().token)
        self.assertEqual(self.total(), n + 1)
        # Two outages at once: the daemon opens both tickets in one
        # statement and counts them in its transaction.
        for _ in range(2):
            sid = create_service(criticality="High", impact="High", rto=30,
                                 rpo=30)
            r = api("POST", "/api/services/%d/status" % sid,
                    {"status": "Down"}, token=owner_token())
            self.assertEqual(r.status, 200, r)
        once(int(time.time()))
        self.assertGreaterEqual(self.total(), n + 3)
        n = self.total()
        path = self.slaguard_file(3)
        r = client.admin_cli("import", "--sqlite", path, check=False)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        self.assertEqual(self.total(), n + 3)
        # A second import brings nothing and counts nothing; a failed
        # one (dry run: rolled back) neither.
        client.admin_cli("import", "--sqlite", path)
        client.admin_cli("import", "--dry-run", "--sqlite",
                         self.slaguard_file(2))
        self.assertEqual(self.total(), n + 3)
        self.assertIsNotNone(b)
