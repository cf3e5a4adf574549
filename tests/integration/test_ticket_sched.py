"""resilops-sched's tickets job with --once --now (CONTRACT 8 and 9,
issue 8): escalation at 75 % to the least-loaded Senior Technician,
the once-only notices (high risk, breach, the warning before a breach
within working hours, a missed first response), and outage tickets
opened, joined and noted from the service catalogue."""

import calendar
import time
import unittest

import client
from client import api, create_service, owner_token
from test_sched import DaemonCase, iso, once
from test_tickets import Person, age, create, manager, notifications


def now():
    return int(time.time())


def of_ticket(token, tid, kind=None):
    return [n for n in notifications(token) if n["ticket_id"] == tid and
            (kind is None or n["type"] == kind)]


def only_seniors(*people):
    """Deactivate every Senior Technician but these."""
    client.sql("UPDATE users SET active = 0 WHERE role = 'Senior Technician'"
               " AND id NOT IN (%s)" % ",".join(str(p.id) for p in people))


class Escalation(DaemonCase):
    def test_at_75_percent_once_to_the_least_loaded(self):
        busy, idle = Person("Senior Technician"), Person("Senior Technician")
        only_seniors(busy, idle)
        tech = Person("Technician")
        create(manager().token, assignee_id=busy.id)
        early = create(manager().token, priority="HIGH", assignee_id=tech.id)
        due = create(manager().token, priority="HIGH", assignee_id=tech.id)
        age(early["id"], 6 * 3600 - 60)		# 74.8 %
        age(due["id"], 6 * 3600)		# 75 %
        once(now())
        t = api("GET", "/api/tickets/%d" % due["id"],
                token=manager().token).json
        self.assertEqual((t["status"], t["assignee_id"]), ("ESCALATED", idle.id))
        e = api("GET", "/api/tickets/%d" % early["id"],
                token=manager().token).json
        self.assertEqual((e["status"], e["assignee_id"]), ("OPEN", tech.id))
        self.assertEqual(len(of_ticket(idle.token, due["id"], "ALERT")), 1)
        self.assertEqual([n["type"] for n in of_ticket(tech.token, due["id"])],
                         ["INFO", "INFO"])	# assigned, then taken away
        acts = api("GET", "/api/tickets/%d/activity" % due["id"],
                   token=manager().token).json
        self.assertEqual(acts[-1]["action"], "escalated")
        self.assertIsNone(acts[-1]["user_id"])
        audit = client.sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                           "'Ticket Escalated' AND entity_id = %d" % due["id"])
        self.assertEqual(audit.strip(), "1")
        # Exactly once, however often the daemon runs.
        before = len(notifications(manager().token))
        once(now())
        once(now())
        self.assertEqual(len(notifications(manager().token)), before)
        self.assertEqual(len(of_ticket(idle.token, due["id"], "ALERT")), 1)

    def test_escalations_of_one_tick_are_spread(self):
        a, b = Person("Senior Technician"), Person("Senior Technician")
        only_seniors(a, b)
        ts = [create(manager().token, priority="CRITICAL") for _ in range(2)]
        for t in ts:
            age(t["id"], 4 * 3600)
        once(now())
        got = sorted(api("GET", "/api/tickets/%d" % t["id"],
                         token=manager().token).json["assignee_id"]
                     for t in ts)
        self.assertEqual(got, sorted([a.id, b.id]))


class Notices(DaemonCase):
    def test_high_risk_and_breach_once_each(self):
        mgr = manager()
        t = create(mgr.token, priority="HIGH")
        age(t["id"], 6 * 3600 + 60)
        once(now())
        highs = [n for n in of_ticket(mgr.token, t["id"], "WARNING")
                 if "high risk" in n["message"]]
        self.assertEqual(len(highs), 1, of_ticket(mgr.token, t["id"]))
        age(t["id"], 3 * 3600)
        once(now())
        once(now())
        msgs = [n["message"] for n in of_ticket(mgr.token, t["id"], "WARNING")]
        self.assertEqual(sum("high risk" in m for m in msgs), 1, msgs)
        self.assertEqual(sum("breached its 8 h SLA" in m for m in msgs), 1, msgs)

    def test_warning_before_breach_goes_to_the_assignee_once(self):
        # At a percentage of the SLA's own (60 %), before escalation (75 %).
        mgr = manager()
        api("PUT", "/api/sla/config/HIGH", {"warn_percent": 60},
            token=mgr.token)
        try:
            tech = Person("Technician")
            t = create(mgr.token, priority="HIGH", assignee_id=tech.id)
        finally:
            api("PUT", "/api/sla/config/HIGH", {"warn_percent": 90},
                token=mgr.token)
        self.assertEqual(t["warn_percent"], 60)
        age(t["id"], int(8 * 3600 * 0.6) - 60)
        once(now())
        self.assertEqual([n for n in of_ticket(tech.token, t["id"], "WARNING")
                          if "has used" in n["message"]], [])
        age(t["id"], 60)
        once(now())
        once(now())
        warns = [n for n in of_ticket(tech.token, t["id"], "WARNING")
                 if "has used 60%" in n["message"]]
        self.assertEqual(len(warns), 1, of_ticket(tech.token, t["id"]))
        # The due date as it is now that age() moved the ticket back (the
        # date at creation is another day for tickets made after 16:00).
        due = api("GET", "/api/tickets/%d" % t["id"], token=mgr.token).json
        self.assertIn(due["due_at"][:10], warns[0]["message"])

    def test_unassigned_warning_goes_to_managers(self):
        t = create(manager().token, priority="LOW")
        client.sql("UPDATE tickets SET warn_at = '2026-01-01 00:00:00' "
                   "WHERE id = %d" % t["id"])
        once(now())
        self.assertEqual(len([n for n in of_ticket(manager().token, t["id"])
                              if "has used" in n["message"]]), 1)

    def test_warning_waits_for_working_hours(self):
        mgr = manager()
        cal = {"time_zone": "UTC", "working_days": [1, 2, 3, 4, 5],
               "start": "09:00", "end": "17:00"}
        r = api("PUT", "/api/sla/config/MEDIUM", {"calendar": cal},
                token=mgr.token)
        self.assertEqual(r.status, 200, r)
        try:
            tech = Person("Technician")
            t = create(mgr.token, priority="MEDIUM", assignee_id=tech.id)
        finally:
            api("PUT", "/api/sla/config/MEDIUM", {"calendar": None},
                token=mgr.token)
        # Only the warning is due (no escalation to move the assignee).
        client.sql("UPDATE tickets SET warn_at = '2026-01-01 00:00:00', "
                   "half_at = NULL, high_at = NULL, breach_at = NULL, "
                   "fr_due_at = NULL WHERE id = %d" % t["id"])
        sunday = calendar.timegm((2031, 3, 2, 12, 0, 0))
        once(sunday)
        self.assertEqual(of_ticket(tech.token, t["id"], "WARNING"), [])
        once(sunday + 22 * 3600)		# Monday 10:00
        self.assertEqual(len(of_ticket(tech.token, t["id"], "WARNING")), 1)

    def test_missed_first_response(self):
        tech = Person("Technician")
        t = create(manager().token, priority="CRITICAL", assignee_id=tech.id)
        answered = create(manager().token, priority="CRITICAL",
                          assignee_id=tech.id)
        api("POST", "/api/tickets/%d/update-progress?notes=looking" %
            answered["id"], token=tech.token)
        for x in (t, answered):
            age(x["id"], 3600 + 60)		# first response: 1 h
        once(now())
        once(now())
        missed = [n for n in of_ticket(manager().token, t["id"])
                  if "first-response" in n["message"]]
        self.assertEqual(len(missed), 1)
        self.assertEqual(len([n for n in of_ticket(tech.token, t["id"])
                              if "first-response" in n["message"]]), 1)
        self.assertEqual([n for n in of_ticket(manager().token, answered["id"])
                          if "first-response" in n["message"]], [])
        self.assertTrue(api("GET", "/api/tickets/%d" % t["id"],
                            token=manager().token).json[
                                "first_response_breached"])


class Outages(DaemonCase):
    def status(self, sid, status):
        r = api("POST", "/api/services/%d/status" % sid, {"status": status},
                token=owner_token())
        self.assertEqual(r.status, 200, r)

    def tickets_of(self, sid):
        return api("GET", "/api/services/%d" % sid,
                   token=manager().token).json["open_tickets"]

    def test_outage_opens_one_ticket_and_notes_the_rest(self):
        sid = create_service(criticality="High", impact="High", rto=30, rpo=30)
        self.status(sid, "Down")
        once(now())
        ids = self.tickets_of(sid)
        self.assertEqual(len(ids), 1)
        t = api("GET", "/api/tickets/%d" % ids[0], token=manager().token).json
        self.assertEqual((t["priority"], t["service_id"], t["sla_limit_hours"],
                          t["created_by_user_id"], t["status"]),
                         ("CRITICAL", sid, 1, None, "OPEN"))	# RTO 30 min
        self.assertIsNotNone(t["downtime_id"])
        self.assertIsNotNone(t["due_at"])
        once(now())
        self.assertEqual(self.tickets_of(sid), ids)
        self.status(sid, "Up")
        once(now())
        self.status(sid, "Down")
        once(now())
        self.assertEqual(self.tickets_of(sid), ids)
        acts = [a["action"] for a in api(
            "GET", "/api/tickets/%d/activity" % ids[0],
            token=manager().token).json]
        self.assertEqual(acts, ["created", "outage_ended", "outage_began"])
        # Resolved, the next outage opens a new ticket.
        api("POST", "/api/tickets/%d/resolve" % ids[0], token=manager().token)
        self.status(sid, "Up")
        self.status(sid, "Down")
        once(now())
        self.assertEqual(len(self.tickets_of(sid)), 1)
        self.assertNotEqual(self.tickets_of(sid), ids)

    def test_priority_by_criticality(self):
        medium = create_service(criticality="Medium", rto=600)
        low = create_service(criticality="Low")
        nobia = create_service()
        for sid in (medium, low, nobia):
            self.status(sid, "Down")
        once(now())
        m = self.tickets_of(medium)
        self.assertEqual(len(m), 1)
        t = api("GET", "/api/tickets/%d" % m[0], token=manager().token).json
        self.assertEqual((t["priority"], t["sla_limit_hours"]), ("HIGH", 8))
        self.assertEqual(self.tickets_of(low), [])
        self.assertEqual(self.tickets_of(nobia), [])

    def test_lost_heartbeats_open_one_too(self):
        sid = create_service(criticality="High", rto=240)
        from test_sched import T0_EPOCH, beat_at
        beat_at(sid)
        once(T0_EPOCH + 900)
        ids = self.tickets_of(sid)
        self.assertEqual(len(ids), 1)
        t = api("GET", "/api/tickets/%d" % ids[0], token=manager().token).json
        self.assertEqual((t["priority"], t["sla_limit_hours"]), ("CRITICAL", 4))


if __name__ == "__main__":
    unittest.main()
