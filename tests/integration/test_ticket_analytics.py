"""The ticket analytics from kept aggregates (issue 13, sql/024): every
answer of /api/analytics/overview, risk-distribution and
technician-workload, for a Manager (every ticket), Technicians (created
by or assigned to them) and users (created by them), equals what the
statements that counted every visible ticket on each request return,
run here directly in MariaDB.  Checked after each kind of write (the
API's creates, updates, status moves to and from RESOLVED,
reassignment, priority changes, deletes; resilops-sched's outage
tickets, clocks and escalations; resilops-admin import), and as time
alone moves counts: read between the daemon's fold and an instant, and
with the fold ahead of the read's now (a clock stepped back)."""

import time
import unittest

import client
import test_ticket_lists
from client import api, create_service, owner_token
from test_sched import DaemonCase, once
from test_tickets import Person, age, create, manager

HOUR = 3600

# The statements the analytics ran before sql/024 (their parameters
# inlined): the reference every answer must equal.
VISIBLE = "(%d = 0 OR t.created_by_user_id = %d OR t.assignee_id = %d)"
OVERVIEW = (
    "SELECT COUNT(*), COALESCE(SUM(t.status = 'OPEN'), 0), "
    "COALESCE(SUM(t.status = 'IN_PROGRESS'), 0), "
    "COALESCE(SUM(t.status = 'WAITING_ON_CUSTOMER'), 0), "
    "COALESCE(SUM(t.status = 'ESCALATED'), 0), "
    "COALESCE(SUM(t.status = 'RESOLVED'), 0), "
    "COALESCE(SUM(t.status <> 'RESOLVED' AND t.high_at <= '{now}'), 0), "
    "COALESCE(SUM(t.breach_at <= '{now}'), 0), "
    "COALESCE(SUM(t.status = 'RESOLVED' AND t.breach_at IS NULL), 0), "
    "COALESCE(AVG(IF(t.status = 'RESOLVED', TIMESTAMPDIFF(SECOND, "
    "t.created_at, t.resolved_at), NULL)), 0) / 3600, "
    "COALESCE(SUM(t.first_response_at IS NOT NULL), 0), "
    "COALESCE(SUM(t.first_response_at IS NOT NULL AND t.fr_due_at IS NULL), 0), "
    "COALESCE(SUM(t.fr_due_at <= '{now}'), 0), "
    "COALESCE(AVG(TIMESTAMPDIFF(SECOND, t.created_at, t.first_response_at)), "
    "0) / 3600 FROM tickets t WHERE {visible}")
DISTRIBUTION = (
    "SELECT COALESCE(SUM(l = 0), 0), COALESCE(SUM(l = 1), 0), "
    "COALESCE(SUM(l = 2), 0), COALESCE(SUM(l = 3), 0) FROM "
    "(SELECT CASE WHEN t.breach_at <= '{now}' THEN 3 "
    "WHEN t.high_at <= '{now}' THEN 2 WHEN t.half_at <= '{now}' THEN 1 "
    "ELSE 0 END AS l FROM tickets t WHERE {visible}) x")
WORKLOAD = (
    "SELECT u.id, COUNT(t.id), COALESCE(SUM(t.high_at <= '{now}'), 0) "
    "FROM users u LEFT JOIN tickets t ON t.assignee_id = u.id "
    "AND t.status <> 'RESOLVED' WHERE u.role IN ('Technician', "
    "'Senior Technician') AND u.active = 1 GROUP BY u.id ORDER BY u.id")


def now():
    return int(time.time())


def sqltime(t):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))


def dp2(v):
    """As the API writes a double: two decimals."""
    return float("%.2f" % float(v))


def share(part, whole):
    return 100.0 * part / whole if whole > 0 else 100.0


def brute_overview(visible, at):
    v = client.sql(OVERVIEW.format(now=sqltime(at), visible=visible)).split()
    n = [int(x) for x in v[:9]] + [v[9]] + [int(x) for x in v[10:13]] + [v[13]]
    return {"total_tickets": n[0], "open_tickets": n[1],
            "in_progress_tickets": n[2], "waiting_tickets": n[3],
            "escalated_tickets": n[4], "resolved_tickets": n[5],
            "high_risk_tickets": n[6], "breached_tickets": n[7],
            "avg_resolution_hours": dp2(n[9]),
            "sla_compliance_percent": dp2(share(n[8], n[5])),
            "first_response_breached_tickets": n[12],
            "avg_first_response_hours": dp2(n[13]),
            "first_response_compliance_percent": dp2(share(n[11], n[10]))}


def brute_distribution(visible, at):
    v = [int(x) for x in client.sql(DISTRIBUTION.format(
        now=sqltime(at), visible=visible)).split()]
    return dict(zip(("safe", "warning", "high_risk", "breached"), v))


def brute_workload(at):
    rows = client.sql(WORKLOAD.format(now=sqltime(at))).split("\n")
    return [tuple(int(x) for x in r.split("\t")) for r in rows if r.strip()]


class TicketSet(DaemonCase):
    """A Manager, two Technicians, a Senior Technician and two users,
    and the tickets a test makes (ticket()), deleted after it; the
    daemon's fold at the real now before and after."""

    def setUp(self):
        super().setUp()
        self.mgr = manager()
        self.tech = [Person("Technician"), Person("Technician")]
        self.senior = Person("Senior Technician")
        self.users = [Person("user"), Person("user")]
        self.ids = []
        # A fold as of now, so that what follows starts from it.
        once(now())

    def tearDown(self):
        for tid in self.ids:
            api("DELETE", "/api/tickets/%d" % tid, token=self.mgr.token)
        # The next test's daemon runs fold from the real now again.
        once(now())
        super().tearDown()

    def ticket(self, token, aged=0, **body):
        t = create(token, **body)
        if aged:
            age(t["id"], aged)
        self.ids.append(t["id"])
        return t["id"]


class Analytics(TicketSet):
    """One set of tickets, written by every writer in turn; after each
    step every view's answers are compared with the reference."""

    def viewers(self):
        """(name, token, the reference's VISIBLE) for each view."""
        out = [("manager", self.mgr.token, VISIBLE % (0, -1, -1))]
        for i, p in enumerate(self.tech + [self.senior]):
            out.append(("technician %d" % i, p.token,
                        VISIBLE % (1, p.id, p.id)))
        for i, p in enumerate(self.users):
            out.append(("user %d" % i, p.token, VISIBLE % (1, p.id, -1)))
        return out

    def answer(self, route, token):
        r = api("GET", "/api/analytics/" + route, token=token)
        self.assertEqual(r.status, 200, r)
        return r.json

    def check(self, step):
        """Every view's answers equal the reference as of a now read
        just before or just after them (an instant of another test's
        ticket may pass in between)."""
        for name, token, visible in self.viewers():
            for route, brute in (("overview", brute_overview),
                                 ("risk-distribution", brute_distribution)):
                before = brute(visible, now())
                got = self.answer(route, token)
                after = brute(visible, now())
                self.assertIn(got, (before, after),
                              "%s: %s for %s" % (step, route, name))
        before = brute_workload(now())
        got = [(w["technician_id"], w["assigned_tickets"],
                w["high_risk_tickets"])
               for w in self.answer("technician-workload", self.mgr.token)]
        after = brute_workload(now())
        self.assertIn(got, (before, after), "%s: workload" % step)

    def build(self):
        """Tickets of several creators, assignees, priorities, statuses
        and clocks (aged back by hours, far from any level's edge)."""
        t0, t1 = self.tech
        u0, u1 = self.users
        m = self.mgr.token
        # HIGH: 8 h; 50 % at 4 h, 75 % at 6 h, first response due at 2 h.
        self.high = self.ticket(u0.token, 7 * HOUR, priority="HIGH",
                                assignee_id=t0.id)
        self.low = self.ticket(u0.token, HOUR, priority="LOW")
        self.mine = self.ticket(t0.token, 13 * HOUR, priority="MEDIUM",
                                assignee_id=t0.id)
        self.late = self.ticket(t0.token, 5 * HOUR, priority="CRITICAL",
                                assignee_id=t1.id)
        self.done = self.ticket(m, 3 * HOUR, priority="HIGH",
                                assignee_id=t0.id)
        self.busy = self.ticket(u1.token, 3 * HOUR, priority="HIGH",
                                assignee_id=t1.id)
        self.wait = self.ticket(m, 30 * 60, priority="MEDIUM",
                                assignee_id=t0.id)
        self.check("created")
        # Breaches 10 minutes from now; another reaches 50 % then.
        self.soon = self.ticket(m, 8 * HOUR - 600, priority="HIGH",
                                assignee_id=t1.id)
        self.warn = self.ticket(u1.token, 24 * HOUR - 600, priority="LOW",
                                assignee_id=t1.id)
        self.check("aged")
        for tid, status in ((self.busy, "IN_PROGRESS"),
                            (self.wait, "WAITING_ON_CUSTOMER")):
            r = api("PUT", "/api/tickets/%d" % tid, {"status": status},
                    token=m)
            self.assertEqual(r.status, 200, r)
        r = api("POST", "/api/tickets/%d/resolve" % self.done, token=m)
        self.assertEqual(r.status, 200, r)
        r = api("POST", "/api/tickets/%d/accept" % self.high, token=t0.token)
        self.assertEqual(r.status, 200, r)
        r = api("POST", "/api/tickets/%d/update-progress?notes=on%%20it"
                % self.high, token=t0.token)
        self.assertEqual(r.status, 200, r)
        self.check("status moves")

    def test_every_writer_and_time(self):
        self.build()
        t0, t1 = self.tech
        m = self.mgr.token
        # Folded three hours back: what passed since is read as a range.
        once(now() - 3 * HOUR)
        self.check("folded in the past")
        # Folded 30 minutes ahead (escalating what reached 75 % by
        # then): what the read's earlier now has not reached yet is
        # taken out.
        once(now() + 30 * 60)
        self.check("folded ahead")
        # Writes under a fold ahead: the priority moves every instant
        # of a ticket across the fold; the status to and from RESOLVED.
        r = api("PUT", "/api/tickets/%d" % self.warn, {"priority": "CRITICAL"},
                token=m)
        self.assertEqual(r.status, 200, r)
        self.check("priority raised")
        r = api("PUT", "/api/tickets/%d" % self.soon, {"priority": "LOW"},
                token=m)
        self.assertEqual(r.status, 200, r)
        self.check("priority lowered")
        r = api("PUT", "/api/tickets/%d" % self.done, {"status": "OPEN"},
                token=m)
        self.assertEqual(r.status, 200, r)
        self.check("reopened")
        r = api("POST", "/api/tickets/%d/resolve" % self.late, token=m)
        self.assertEqual(r.status, 200, r)
        self.check("resolved")
        r = api("POST", "/api/tickets/%d/reassign?new_assignee_id=%d"
                % (self.mine, t1.id), token=m)
        self.assertEqual(r.status, 200, r)
        r = api("PUT", "/api/tickets/%d" % self.low,
                {"assignee_id": t0.id}, token=m)
        self.assertEqual(r.status, 200, r)
        self.check("reassigned")
        r = api("POST", "/api/tickets/%d/escalate" % self.busy, token=m)
        self.assertEqual(r.status, 200, r)
        self.check("escalated by hand")
        r = api("DELETE", "/api/tickets/%d" % self.wait, token=m)
        self.assertEqual(r.status, 200, r)
        self.check("deleted")
        # Back to the real now.
        once(now())
        self.check("folded at now")

    def test_outage_tickets_and_import(self):
        sid = create_service(criticality="High", impact="High", rto=30,
                             rpo=30)
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        once(now())
        opened = client.sql("SELECT id FROM tickets WHERE service_id = %d"
                            % sid).split()
        self.assertEqual(len(opened), 1)
        self.ids += [int(x) for x in opened]
        self.check("outage ticket")
        # Resolved ones (an open one, long past its SLA, would be
        # escalated by another test's daemon run).
        path = test_ticket_lists.Counter.slaguard_file(self, 3)
        r = client.admin_cli("import", "--sqlite", path, check=False)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        self.check("imported")
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
                token=owner_token())
        self.assertEqual(r.status, 200, r)

    def test_retally_repairs_a_change_behind_the_writers(self):
        t = self.ticket(self.users[0].token, priority="HIGH",
                        assignee_id=self.tech[0].id)
        client.sql("UPDATE tickets SET status = 'RESOLVED', resolved_at = "
                   "created_at + INTERVAL 1 HOUR WHERE id = %d" % t)
        r = client.admin_cli("tickets", "retally")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check("retallied")

    def test_upgrade_backfills(self):
        """An upgraded database answers right at once: sql/024, 028
        and 030 applied over tickets that exist (its tables dropped and
        their versions forgotten, then resilops-admin migrate)."""
        self.build()
        client.sql("DROP TABLE ticket_tallied, ticket_tallies, "
                   "ticket_tally_fold; DELETE FROM schema_migrations "
                   "WHERE version IN (24, 28, 30)")
        r = client.admin_cli("migrate", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check("migrated")


if __name__ == "__main__":
    unittest.main()
