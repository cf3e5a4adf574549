"""The ticket subsets' totals from kept aggregates (the speed issue,
sql/030): /api/tickets/high-risk, /api/tickets/escalated and the
caller's own /api/users/tickets/* answer, for a Manager, Technicians, a
Senior Technician and users, the same total (X-Total-Count) and pages
(a first one, and a later one through the ids-first statement) as the
subset selected directly in MariaDB, newest first.  Checked after each
kind of write (the API's creates, updates, priority and status moves,
resolve, reassign, escalate, delete; resilops-sched's escalations) and
as time alone moves counts: read between the daemon's fold and an
instant, and with the fold ahead of the read's now."""

import unittest

import client
from client import api
from test_sched import once
from test_ticket_analytics import HOUR, TicketSet, now, sqltime

PER_PAGE = 3

# Each route's subset: (path, who may read it, the condition over
# tickets t; {visible} is the caller's view, {uid} the caller, {now}
# the instant).
ROUTES = (
    ("/api/tickets/high-risk", "any",
     "{visible} AND t.high_at <= '{now}' AND t.status <> 'RESOLVED'"),
    ("/api/tickets/escalated", "escalated",
     "{escalated} AND t.status = 'ESCALATED'"),
    ("/api/users/tickets/my-tickets", "any", "t.created_by_user_id = {uid}"),
    ("/api/users/tickets/active", "any",
     "t.created_by_user_id = {uid} AND t.status <> 'RESOLVED'"),
    ("/api/users/tickets/high-priority", "any",
     "t.created_by_user_id = {uid} AND t.priority IN ('HIGH', 'CRITICAL')"),
    ("/api/users/tickets/breached", "any",
     "t.created_by_user_id = {uid} AND t.breach_at <= '{now}'"),
    ("/api/users/tickets/closed", "any",
     "t.created_by_user_id = {uid} AND t.status = 'RESOLVED'"),
)

# The tickets (name, creator, hours aged, priority, assignee) of every
# creator and assignee, priority and clock, far from any level's edge
# but those meant to pass within the folds' ranges.  HIGH: 8 h; 50 % at
# 4 h, 75 % at 6 h, breach at 8 h.
TICKETS = (
    ("high", "u0", 7, "HIGH", "t0"),
    ("low", "u0", 1, "LOW", None),
    ("late", "u0", 9, "HIGH", "t1"),
    ("crit", "u1", 5, "CRITICAL", "t1"),
    ("mine", "t0", 13, "MEDIUM", "t0"),
    ("done", "m", 3, "HIGH", "t0"),
    ("busy", "u1", 3, "HIGH", "t1"),
    ("senior_own", "senior", 2, "CRITICAL", None),
    # 75 % and a breach 10 minutes from now (within the fold ahead).
    ("near_high", "u1", 6 - 1 / 6, "HIGH", "t0"),
    ("soon", "u0", 8 - 1 / 6, "HIGH", None),
)

# What each role sees of /api/tickets (CONTRACT 9) and of the escalated.
VISIBLE = {"Manager": "TRUE",
           "Senior Technician": "(t.created_by_user_id = {uid} OR "
                                "t.assignee_id = {uid})",
           "Technician": "(t.created_by_user_id = {uid} OR "
                         "t.assignee_id = {uid})",
           "user": "t.created_by_user_id = {uid}"}
ESCALATED = {"Manager": "TRUE", "Senior Technician": "t.assignee_id = {uid}"}


def brute(role, uid, at):
    """{path: the subset's ids, newest first} as MariaDB selects them,
    in one statement: each a GROUP_CONCAT."""
    routes = [(p, cond) for p, who, cond in ROUTES
              if who == "any" or role in ESCALATED]
    cols = []
    for _, cond in routes:
        where = cond.format(visible=VISIBLE[role].format(uid=uid),
                            escalated=ESCALATED.get(role, "FALSE").format(
                                uid=uid), uid=uid, now=sqltime(at))
        cols.append("(SELECT COALESCE(GROUP_CONCAT(t.id ORDER BY t.id DESC), "
                    "'') FROM tickets t WHERE %s)" % where)
    out = client.sql("SET SESSION group_concat_max_len = 1048576; "
                     "SELECT " + ", ".join(cols)).rstrip("\n").split("\t")
    return {p: [int(x) for x in v.split(",") if x]
            for (p, _), v in zip(routes, out)}


def expected(ids):
    """What two reads of a list give: its first two pages, each with
    the total."""
    return [(len(ids), ids[:PER_PAGE]),
            (len(ids), ids[PER_PAGE:2 * PER_PAGE])]


class Subsets(TicketSet):
    """One set of tickets, written by every writer in turn; after each
    step every view's subsets are compared with MariaDB's own."""

    def setUp(self):
        super().setUp()
        self.seen = {}

    def viewers(self):
        out = [("Manager", self.mgr), ("Senior Technician", self.senior)]
        out += [("Technician", p) for p in self.tech]
        return out + [("user", p) for p in self.users]

    def read(self, path, token):
        got = []
        for page in (1, 2):
            r = api("GET", "%s?per_page=%d&page=%d" % (path, PER_PAGE, page),
                    token=token)
            self.assertEqual(r.status, 200, (path, r))
            got.append((int(r.headers["X-Total-Count"]),
                        [t["id"] for t in r.json]))
        return got

    def check(self, step):
        """Every viewer's subsets equal MariaDB's as of a now read just
        before or just after them (another test's ticket may pass an
        instant in between)."""
        for role, p in self.viewers():
            before = brute(role, p.id, now())
            got = {path: self.read(path, p.token) for path in before}
            after = brute(role, p.id, now())
            for path in before:
                self.assertIn(got[path], (expected(before[path]),
                                          expected(after[path])),
                              "%s: %s for %s %d" % (step, path, role, p.id))
                key = (path, role)
                self.seen[key] = max(self.seen.get(key, 0), got[path][0][0])
        # A Technician may not read the escalated list.
        r = api("GET", "/api/tickets/escalated", token=self.tech[0].token)
        self.assertEqual(r.status, 403, r)

    def build(self):
        """TICKETS, then the API's status moves."""
        t0, t1 = self.tech
        u0, u1 = self.users
        who = {"t0": t0, "t1": t1, "u0": u0, "u1": u1, "m": self.mgr,
               "senior": self.senior, None: None}
        for name, maker, aged, prio, assignee in TICKETS:
            body = {"priority": prio}
            if who[assignee] is not None:
                body["assignee_id"] = who[assignee].id
            setattr(self, name, self.ticket(who[maker].token, int(aged * HOUR),
                                            **body))
        m = self.mgr.token
        self.check("created")
        r = api("PUT", "/api/tickets/%d" % self.busy,
                {"status": "IN_PROGRESS"}, token=m)
        self.assertEqual(r.status, 200, r)
        for tid in (self.done, self.low):
            r = api("POST", "/api/tickets/%d/resolve" % tid, token=m)
            self.assertEqual(r.status, 200, r)
        r = api("POST", "/api/tickets/%d/accept" % self.high, token=t0.token)
        self.assertEqual(r.status, 200, r)
        self.check("status moves")

    def test_every_writer_and_time(self):
        self.build()
        t0, t1 = self.tech
        m = self.mgr.token
        r = api("POST", "/api/tickets/%d/escalate" % self.busy, token=m)
        self.assertEqual(r.status, 200, r)
        r = api("POST", "/api/tickets/%d/escalate" % self.crit, token=m)
        self.assertEqual(r.status, 200, r)
        # The escalated ticket's assignee is the least loaded Senior:
        # ours, once it is what the escalated list's Senior reads.
        r = api("POST", "/api/tickets/%d/reassign?new_assignee_id=%d"
                % (self.crit, self.senior.id), token=m)
        self.assertEqual(r.status, 200, r)
        self.check("escalated by hand")
        for tid, body in ((self.low, {"status": "OPEN"}),
                          (self.mine, {"priority": "CRITICAL"}),
                          (self.late, {"priority": "LOW"}),
                          (self.soon, {"assignee_id": t1.id})):
            r = api("PUT", "/api/tickets/%d" % tid, body, token=m)
            self.assertEqual(r.status, 200, r)
        self.check("updated")
        r = api("DELETE", "/api/tickets/%d" % self.high, token=m)
        self.assertEqual(r.status, 200, r)
        self.check("deleted")
        # Folded three hours back: what passed since is read as a range.
        once(now() - 3 * HOUR)
        self.check("folded in the past")
        # Folded 30 minutes ahead (the daemon escalating what reaches
        # 75 % by then): what the read's earlier now has not reached
        # yet is taken out.
        once(now() + 30 * 60)
        self.check("folded ahead")
        # Writes under a fold ahead: a priority moves every instant of
        # a ticket across the fold; a status to and from RESOLVED.
        r = api("PUT", "/api/tickets/%d" % self.soon, {"priority": "LOW"},
                token=m)
        self.assertEqual(r.status, 200, r)
        r = api("POST", "/api/tickets/%d/resolve" % self.near_high, token=m)
        self.assertEqual(r.status, 200, r)
        r = api("PUT", "/api/tickets/%d" % self.done, {"status": "OPEN"},
                token=m)
        self.assertEqual(r.status, 200, r)
        self.check("written under a fold ahead")
        once(now())
        self.check("folded at now")
        # Every route answered rows for some role on the way: the
        # comparisons above were not of empty lists.
        for path, who, _ in ROUTES:
            self.assertTrue(any(n > 0 for (p, _), n in self.seen.items()
                                if p == path), path)

    def test_upgrade_backfills(self):
        """sql/030 applied over tickets that exist (its index and scope
        rows gone, its version forgotten, then resilops-admin migrate)
        gives the same totals at once."""
        self.build()
        client.sql("ALTER TABLE tickets DROP INDEX ix_tickets_creator_status; "
                   "DELETE FROM ticket_tallies WHERE scope = 5; "
                   "DELETE FROM schema_migrations WHERE version = 30")
        r = client.admin_cli("migrate", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check("migrated")
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE "
            "TABLE_SCHEMA = DATABASE() AND INDEX_NAME = "
            "'ix_tickets_creator_status' AND SEQ_IN_INDEX = 1").strip(), "1")


if __name__ == "__main__":
    unittest.main()
