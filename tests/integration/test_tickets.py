"""Tickets with SLA clocks through nginx (CONTRACT 5 and 9, issue 8):
create, visibility (403 for another's, 404 for none, lists never show
what GET refuses), updates with pause and priority change, resolve,
delete, the work routes (accept, progress, reassign, escalate), the
caller's own lists, notifications, analytics and the SLA configuration.
Clocks are aged by moving a ticket's instants back in SQL."""

import calendar
import time
import unittest

import client
from client import api, create_service, unique_name

FIELDS = {"id", "title", "customer", "description", "priority", "status",
          "assignee_id", "assignee_name", "created_by_user_id", "service_id",
          "created_at", "updated_at", "resolved_at", "sla_limit_hours",
          "time_elapsed_hours", "risk_percentage", "risk_level"}


class Person:
    """An account of a role: .name, .token, .id."""

    def __init__(self, role, name=None):
        self.name, _, self.token = client.user_with_role(role)
        self.id = api("GET", "/api/auth/me", token=self.token).json["id"]


def manager():
    return _cached("Manager")


_people = {}


def _cached(role):
    if role not in _people:
        _people[role] = Person(role)
    return _people[role]


def create(token, **body):
    body.setdefault("title", unique_name("t"))
    r = api("POST", "/api/tickets", body, token=token)
    assert r.status == 201, r
    return r.json


def get(tid, token):
    return api("GET", "/api/tickets/%d" % tid, token=token)


def age(tid, seconds):
    """Move a ticket's clock back by seconds (created, and every instant
    it keeps), as if it had been open that much longer."""
    cols = ("created_at", "updated_at", "resolved_at", "paused_since",
            "first_response_at", "half_at", "high_at", "breach_at",
            "warn_at", "fr_due_at", "escalated_at")
    client.sql("UPDATE tickets SET %s WHERE id = %d" % (", ".join(
        "%s = %s - INTERVAL %d SECOND" % (c, c, seconds) for c in cols), tid))
    # Behind every writer's back: the analytics' aggregates follow.
    client.admin_cli("tickets", "retally", str(tid))


def epoch(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def notifications(token, q=""):
    r = api("GET", "/api/notifications?per_page=1000" + q, token=token)
    assert r.status == 200, r
    return r.json


class Create(unittest.TestCase):
    def test_shape_and_sla_copy(self):
        tech = Person("Technician")
        user = Person("user")
        t = create(user.token, title="Printer down", customer="Acme",
                   description="Paper jam", priority="high",
                   assignee_id=tech.id)
        self.assertTrue(FIELDS <= set(t), set(t))
        self.assertEqual((t["priority"], t["status"], t["sla_limit_hours"],
                          t["risk_level"], t["risk_percentage"],
                          t["time_elapsed_hours"]),
                         ("HIGH", "OPEN", 8, "SAFE", 0.0, 0.0))
        self.assertEqual((t["assignee_id"], t["assignee_name"],
                          t["created_by_user_id"], t["customer"]),
                         (tech.id, tech.name, user.id, "Acme"))
        self.assertIsNone(t["resolved_at"])
        # The assignee hears of it (INFO), once.
        n = [x for x in notifications(tech.token) if x["ticket_id"] == t["id"]]
        self.assertEqual([(x["type"], x["read"]) for x in n], [("INFO", False)])
        self.assertEqual(set(n[0]), {"id", "user_id", "message", "type",
                                     "read", "created_at", "ticket_id"})
        acts = api("GET", "/api/tickets/%d/activity" % t["id"],
                   token=user.token).json
        self.assertEqual([a["action"] for a in acts], ["created", "assigned"])

    def test_defaults_and_unassigned(self):
        t = create(manager().token)
        self.assertEqual((t["priority"], t["sla_limit_hours"],
                          t["assignee_id"], t["assignee_name"]),
                         ("MEDIUM", 24, None, "Unassigned"))

    def test_validation(self):
        tok = manager().token
        user = Person("user")
        svc_missing = 999999999
        for body, msg in (
                ({}, "Title is required"),
                ({"title": ""}, "Title is required"),
                ({"title": "x" * 201}, "Title must be at most 200 characters"),
                ({"title": "a", "priority": "URGENT"},
                 "Invalid priority: must be one of LOW, MEDIUM, HIGH, CRITICAL"),
                ({"title": "a", "assignee_id": "abc"},
                 "assignee_id must be an integer"),
                ({"title": "a", "assignee_id": user.id},
                 "assignee_id must be an active Technician or Senior Technician"),
                ({"title": "a", "service_id": svc_missing},
                 "service_id names no service"),
                ({"title": "a", "status": "RESOLVED"},
                 "A new ticket is OPEN: leave status out")):
            r = api("POST", "/api/tickets", body, token=tok)
            self.assertEqual((r.status, r.json), (400, {"error": msg}), body)
        self.assertEqual(api("POST", "/api/tickets", {"title": "a"}).status, 401)

    def test_user_ticket_names_the_caller(self):
        u = Person("user")
        r = api("POST", "/api/users/tickets",
                {"title": "VPN", "description": "slow", "priority": "LOW",
                 "customer": "ignored", "assignee_id": 1}, token=u.token)
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["customer"], r.json["assignee_id"],
                          r.json["created_by_user_id"]), (u.name, None, u.id))


class Visibility(unittest.TestCase):
    def test_403_for_another_404_for_none(self):
        a, b = Person("Technician"), Person("Technician")
        t = create(manager().token, assignee_id=a.id)
        self.assertEqual(get(t["id"], a.token).status, 200)
        r = get(t["id"], b.token)
        self.assertEqual((r.status, r.json), (403, {"error": "Forbidden"}))
        r = get(999999999, b.token)
        self.assertEqual((r.status, r.json), (404, {"error": "Ticket not found"}))
        self.assertEqual(get(t["id"], manager().token).status, 200)
        # Writes follow the same rule.
        self.assertEqual(api("PUT", "/api/tickets/%d" % t["id"],
                             {"title": "x"}, token=b.token).status, 403)
        self.assertEqual(api("POST", "/api/tickets/%d/resolve" % t["id"],
                             token=b.token).status, 403)

    def test_lists_show_only_what_get_shows(self):
        a, b, u = Person("Technician"), Person("Technician"), Person("user")
        mine = create(manager().token, assignee_id=a.id)
        created = create(a.token)
        theirs = create(manager().token, assignee_id=b.token and b.id)
        users = create(u.token)
        for who, want in ((a, {mine["id"], created["id"]}),
                          (u, {users["id"]})):
            r = api("GET", "/api/tickets?per_page=1000", token=who.token)
            self.assertEqual(r.status, 200)
            seen = {t["id"] for t in r.json}
            self.assertTrue(want <= seen, (want, seen))
            self.assertNotIn(theirs["id"], seen)
            for tid in seen:
                self.assertEqual(get(tid, who.token).status, 200, tid)
            self.assertEqual(int(r.headers["X-Total-Count"]), len(seen))
        seen = {t["id"] for t in api("GET", "/api/tickets?per_page=1000",
                                     token=manager().token).json}
        self.assertTrue({mine["id"], created["id"], theirs["id"],
                         users["id"]} <= seen)

    def test_list_filters_and_pagination(self):
        tech = Person("Technician")
        svc = create_service()
        ids = [create(manager().token, priority=p, assignee_id=tech.id,
                      service_id=svc)["id"] for p in ("LOW", "HIGH", "HIGH")]
        tok = manager().token
        for q, want in (("priority=high", ids[1:]),
                        ("service_id=%d" % svc, ids),
                        ("assignee_id=%d&priority=LOW" % tech.id, ids[:1]),
                        ("assignee=%d&status=open" % tech.id, ids)):
            r = api("GET", "/api/tickets?per_page=1000&" + q, token=tok)
            self.assertEqual(r.status, 200, q)
            got = [t["id"] for t in r.json if t["id"] in ids]
            self.assertEqual(sorted(got), sorted(want), q)
        r = api("GET", "/api/tickets?per_page=1&service_id=%d" % svc, token=tok)
        self.assertEqual((len(r.json), r.headers["X-Total-Count"]), (1, "3"))
        self.assertIn('rel="next"', r.headers["Link"])
        self.assertEqual(r.json[0]["id"], ids[2])	# newest first
        for q in ("status=LATE", "priority=x", "risk_level=RED",
                  "assignee_id=abc", "service_id=-1"):
            r = api("GET", "/api/tickets?" + q, token=tok)
            self.assertEqual(r.status, 400, q)
            self.assertTrue(r.json["error"].startswith("Invalid "), q)

    def test_service_lists_its_open_tickets_in_order(self):
        # The statuses differ so that the index's order (by status) is
        # not the ids' order; the resolved one is left out.
        svc = create_service()
        tok = manager().token
        ids = [create(tok, service_id=svc)["id"] for _ in range(4)]
        for tid, status in ((ids[0], "WAITING_ON_CUSTOMER"),
                            (ids[1], "RESOLVED"), (ids[3], "IN_PROGRESS")):
            r = api("PUT", "/api/tickets/%d" % tid, {"status": status},
                    token=tok)
            self.assertEqual(r.status, 200, r)
        r = api("GET", "/api/services/%d" % svc, token=tok)
        self.assertEqual(r.json["open_tickets"], [ids[0], ids[2], ids[3]])


class Clock(unittest.TestCase):
    def test_risk_at_read_time_and_level_filter(self):
        tok = manager().token
        t = create(tok, priority="HIGH")		# 8 hours
        age(t["id"], 6 * 3600)
        r = get(t["id"], tok).json
        self.assertEqual((r["risk_level"], r["risk_percentage"],
                          r["time_elapsed_hours"]), ("HIGH_RISK", 75.0, 6.0))
        got = [x["id"] for x in api(
            "GET", "/api/tickets?risk_level=high_risk&per_page=1000",
            token=tok).json]
        self.assertIn(t["id"], got)
        self.assertIn(t["id"], [x["id"] for x in api(
            "GET", "/api/tickets/high-risk?per_page=1000", token=tok).json])
        age(t["id"], 3 * 3600)
        r = get(t["id"], tok).json
        # Elapsed keeps growing past the SLA; the percentage stops at 100.
        self.assertEqual((r["risk_level"], r["risk_percentage"],
                          r["time_elapsed_hours"]), ("BREACHED", 100.0, 9.0))

    def test_pause_while_waiting_on_customer(self):
        tech = Person("Technician")
        t = create(manager().token, priority="CRITICAL", assignee_id=tech.id)
        due = t["due_at"]
        r = api("PUT", "/api/tickets/%d" % t["id"],
                {"status": "WAITING_ON_CUSTOMER"}, token=tech.token)
        self.assertEqual((r.json["status"], r.json["due_at"]),
                         ("WAITING_ON_CUSTOMER", None))
        self.assertIsNotNone(r.json["paused_since"])
        # Two hours waiting on the customer count for nothing.
        client.sql("UPDATE tickets SET paused_since = paused_since - "
                   "INTERVAL 2 HOUR, created_at = created_at - INTERVAL 2 HOUR"
                   " WHERE id = %d" % t["id"])
        r = api("PUT", "/api/tickets/%d" % t["id"], {"status": "IN_PROGRESS"},
                token=tech.token)
        j = r.json
        self.assertEqual((j["status"], j["paused_hours"], j["paused_since"],
                          j["risk_level"]), ("IN_PROGRESS", 2.0, None, "SAFE"))
        self.assertLess(j["time_elapsed_hours"], 0.1)
        # Created 2 h earlier and paused 2 h: due where it was, but for
        # the seconds between the two requests (they count as paused too).
        drift = epoch(j["due_at"]) - epoch(due)
        self.assertTrue(0 <= drift <= 5, (j["due_at"], due))

    def test_priority_change_recopies_the_sla(self):
        tok = manager().token
        t = create(tok, priority="LOW")
        r = api("PUT", "/api/tickets/%d" % t["id"], {"priority": "critical"},
                token=tok)
        self.assertEqual((r.json["priority"], r.json["sla_limit_hours"]),
                         ("CRITICAL", 4))
        acts = api("GET", "/api/tickets/%d/activity" % t["id"], token=tok).json
        self.assertEqual(acts[-1]["details"], {"fields": ["priority"]})

    def test_resolve_stops_the_clock(self):
        u = Person("user")
        t = create(u.token, priority="HIGH")
        age(t["id"], 3600)
        r = api("POST", "/api/tickets/%d/resolve" % t["id"], token=u.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["status"], r.json["time_elapsed_hours"]),
                         ("RESOLVED", 1.0))
        age(t["id"], 3600)	# resolved an hour ago now: still one hour
        r = get(t["id"], u.token).json
        self.assertEqual((r["time_elapsed_hours"], r["risk_level"]),
                         (1.0, "SAFE"))
        # Again: nothing more happens.
        r = api("POST", "/api/tickets/%d/resolve" % t["id"], token=u.token)
        self.assertEqual(r.status, 200)
        self.assertEqual([a["action"] for a in api(
            "GET", "/api/tickets/%d/activity" % t["id"],
            token=u.token).json].count("resolved"), 1)


class Activity(unittest.TestCase):
    def test_paginated_with_its_count(self):
        """The count rides on the page's rows (one statement); a page
        past the end asks it alone."""
        tok = manager().token
        t = create(tok, priority="LOW")
        for p in ("medium", "high", "low"):
            r = api("PUT", "/api/tickets/%d" % t["id"], {"priority": p},
                    token=tok)
            self.assertEqual(r.status, 200, r)
        ids = [int(x) for x in client.sql(
            "SELECT id FROM ticket_activity WHERE ticket_id = %d ORDER BY id"
            % t["id"]).split()]
        self.assertGreaterEqual(len(ids), 4)
        path = "/api/tickets/%d/activity" % t["id"]
        for q, want in (("?per_page=1&page=2", ids[1:2]),
                        ("?per_page=2&page=99", []), ("", ids)):
            r = api("GET", path + q, token=tok)
            self.assertEqual([a["id"] for a in r.json], want, q)
            self.assertEqual(r.headers["X-Total-Count"], str(len(ids)), q)


class Update(unittest.TestCase):
    def test_partial_and_messages(self):
        tok = manager().token
        t = create(tok, customer="Acme", description="d")
        r = api("PUT", "/api/tickets/%d" % t["id"], {"title": "New"}, token=tok)
        self.assertEqual((r.json["title"], r.json["customer"],
                          r.json["description"]), ("New", "Acme", "d"))
        r = api("PUT", "/api/tickets/%d" % t["id"], {"customer": None},
                token=tok)
        self.assertIsNone(r.json["customer"])
        for body, msg in (({"status": "LATE"},
                           "Invalid status: must be one of OPEN, IN_PROGRESS, "
                           "WAITING_ON_CUSTOMER, RESOLVED"),
                          ({"status": "ESCALATED"},
                           "Escalate with POST /api/tickets/<id>/escalate"),
                          ({"title": 5}, "title must be a string"),
                          ({"title": ""}, "Title is required")):
            r = api("PUT", "/api/tickets/%d" % t["id"], body, token=tok)
            self.assertEqual((r.status, r.json), (400, {"error": msg}), body)
        r = api("PUT", "/api/tickets/999999999", {"title": "x"}, token=tok)
        self.assertEqual(r.status, 404)

    def test_only_managers_assign(self):
        tech, other = Person("Technician"), Person("Technician")
        t = create(tech.token)
        r = api("PUT", "/api/tickets/%d" % t["id"], {"assignee_id": other.id},
                token=tech.token)
        self.assertEqual(r.status, 403)
        r = api("PUT", "/api/tickets/%d" % t["id"], {"assignee_id": other.id},
                token=manager().token)
        self.assertEqual((r.status, r.json["assignee_id"]), (200, other.id))
        self.assertEqual([n["type"] for n in notifications(other.token)
                          if n["ticket_id"] == t["id"]], ["INFO"])

    def test_delete(self):
        tech = Person("Technician")
        t = create(tech.token)
        self.assertEqual(api("DELETE", "/api/tickets/%d" % t["id"],
                             token=tech.token).status, 403)
        r = api("DELETE", "/api/tickets/%d" % t["id"], token=manager().token)
        self.assertEqual((r.status, r.json), (200, {"message": "Ticket deleted"}))
        self.assertEqual(get(t["id"], manager().token).status, 404)
        r = api("DELETE", "/api/tickets/%d" % t["id"], token=manager().token)
        self.assertEqual(r.status, 404)
        self.assertIn("Ticket Deleted", [e["action"] for e in api(
            "GET", "/api/audit?per_page=20", token=manager().token).json])


class Work(unittest.TestCase):
    def test_accept_and_progress(self):
        tech, other = Person("Technician"), Person("Technician")
        t = create(manager().token, assignee_id=tech.id)
        path = "/api/tickets/%d" % t["id"]
        self.assertEqual(api("POST", path + "/accept", token=other.token).status,
                         403)
        r = api("POST", path + "/accept", token=tech.token)
        self.assertEqual((r.status, r.json["status"]), (200, "IN_PROGRESS"))
        r = api("POST", path + "/accept", token=tech.token)
        self.assertEqual(r.status, 400)
        r = api("POST", path + "/update-progress", token=tech.token)
        self.assertEqual(r.status, 400)
        self.assertIsNone(get(t["id"], tech.token).json["first_response_at"])
        r = api("POST", path + "/update-progress?notes=Replaced%20the%20toner",
                token=tech.token)
        self.assertEqual(r.status, 200, r)
        self.assertIsNotNone(r.json["first_response_at"])
        self.assertFalse(r.json["first_response_breached"])
        acts = api("GET", path + "/activity", token=tech.token).json
        self.assertEqual(acts[-1]["details"], {"notes": "Replaced the toner"})
        self.assertEqual(api("POST", path + "/update-progress?notes=x",
                             token=other.token).status, 403)
        # A plain user may not work tickets at all.
        self.assertEqual(api("POST", path + "/accept",
                             token=Person("user").token).status, 403)

    def test_reassign(self):
        a, b = Person("Technician"), Person("Senior Technician")
        t = create(manager().token, assignee_id=a.id)
        path = "/api/tickets/%d/reassign" % t["id"]
        self.assertEqual(api("POST", path + "?new_assignee_id=%d" % b.id,
                             token=a.token).status, 403)
        r = api("POST", path + "?new_assignee_id=%d" % Person("user").id,
                token=manager().token)
        self.assertEqual(r.status, 400)
        r = api("POST", path, token=manager().token)
        self.assertEqual((r.status, r.json), (400, {
            "error": "new_assignee_id is required: a user id"}))
        r = api("POST", path + "?new_assignee_id=%d" % b.id,
                token=manager().token)
        self.assertEqual((r.status, r.json["assignee_id"]), (200, b.id))
        self.assertEqual([n["type"] for n in notifications(b.token)
                          if n["ticket_id"] == t["id"]], ["INFO"])

    def test_escalate_picks_the_least_loaded_senior(self):
        # Make every active Senior Technician busier than two fresh ones.
        client.sql("UPDATE users SET active = 0 WHERE role = "
                   "'Senior Technician'")
        busy, idle = Person("Senior Technician"), Person("Senior Technician")
        tech = Person("Technician")
        create(manager().token, assignee_id=busy.id)
        svc = create_service()
        t = create(manager().token, assignee_id=tech.id, service_id=svc)
        r = api("POST", "/api/tickets/%d/escalate" % t["id"],
                token=manager().token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["status"], r.json["assignee_id"]),
                         ("ESCALATED", idle.id))
        self.assertIsNotNone(r.json["escalated_at"])
        self.assertEqual([n["type"] for n in notifications(idle.token)
                          if n["ticket_id"] == t["id"]], ["ALERT"])
        self.assertEqual([n["type"] for n in notifications(tech.token)
                          if n["ticket_id"] == t["id"]], ["INFO", "INFO"])
        self.assertIn("WARNING", [n["type"] for n in notifications(
            manager().token) if n["ticket_id"] == t["id"]])
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM alerts WHERE type = 'TicketEscalated' "
            "AND service_id = %d AND cause = 'ticket:%d'" % (svc, t["id"])
        ).strip(), "1")
        self.assertIn("Ticket Escalated", [e["action"] for e in api(
            "GET", "/api/audit?per_page=20", token=manager().token).json])
        # Once escalated, not again; the Senior sees it in the escalated list.
        self.assertEqual(api("POST", "/api/tickets/%d/escalate" % t["id"],
                             token=manager().token).status, 400)
        self.assertIn(t["id"], [x["id"] for x in api(
            "GET", "/api/tickets/escalated?per_page=1000",
            token=idle.token).json])
        self.assertNotIn(t["id"], [x["id"] for x in api(
            "GET", "/api/tickets/escalated?per_page=1000",
            token=busy.token).json])
        self.assertEqual(api("GET", "/api/tickets/escalated",
                             token=tech.token).status, 403)
        # The escalated ticket can be accepted by its new assignee.
        r = api("POST", "/api/tickets/%d/accept" % t["id"], token=idle.token)
        self.assertEqual(r.json["status"], "IN_PROGRESS")


class Mine(unittest.TestCase):
    def test_the_callers_lists(self):
        u = Person("user")
        low = create(u.token, priority="LOW")
        high = create(u.token, priority="HIGH")
        done = create(u.token, priority="CRITICAL")
        api("POST", "/api/tickets/%d/resolve" % done["id"], token=u.token)
        late = create(u.token, priority="CRITICAL")
        age(late["id"], 5 * 3600)
        other = create(manager().token)

        def ids(which):
            r = api("GET", "/api/users/tickets/%s?per_page=1000" % which,
                    token=u.token)
            self.assertEqual(r.status, 200, which)
            return {t["id"] for t in r.json}
        all_ = {low["id"], high["id"], done["id"], late["id"]}
        self.assertEqual(ids("my-tickets"), all_)
        self.assertEqual(ids("active"), all_ - {done["id"]})
        self.assertEqual(ids("high-priority"), {high["id"], done["id"],
                                                late["id"]})
        self.assertEqual(ids("breached"), {late["id"]})
        self.assertEqual(ids("closed"), {done["id"]})
        self.assertNotIn(other["id"], ids("my-tickets"))


class Notifications(unittest.TestCase):
    def test_own_unread_ack(self):
        tech, other = Person("Technician"), Person("Technician")
        for _ in range(3):
            create(manager().token, assignee_id=tech.id)
        ns = notifications(tech.token)
        self.assertEqual(len(ns), 3)
        self.assertEqual(notifications(other.token), [])
        nid = ns[0]["id"]
        r = api("POST", "/api/notifications/%d/acknowledge" % nid,
                token=other.token)
        self.assertEqual((r.status, r.json), (403, {"error": "Forbidden"}))
        r = api("POST", "/api/notifications/999999999/acknowledge",
                token=tech.token)
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Notification not found"}))
        r = api("POST", "/api/notifications/%d/acknowledge" % nid,
                token=tech.token)
        self.assertEqual(r.status, 200)
        for q in ("&unread=true", "&unread_only=true", "&unread_only=TRUE"):
            self.assertEqual(len(notifications(tech.token, q)), 2, q)
        self.assertEqual(len(notifications(tech.token, "&unread_only=false")), 3)
        self.assertEqual(api("GET", "/api/notifications?unread=maybe",
                             token=tech.token).status, 400)
        r = api("POST", "/api/notifications/acknowledge-all", token=tech.token)
        self.assertEqual(r.json, {"message": "All notifications marked as read",
                                  "acknowledged": 2})
        r = api("POST", "/api/notifications/acknowledge-all", token=tech.token)
        self.assertEqual(r.json["acknowledged"], 0)


class Analytics(unittest.TestCase):
    def test_overview_distribution_workload(self):
        u = Person("user")
        a = create(u.token, priority="HIGH")
        b = create(u.token, priority="HIGH")
        age(b["id"], 7 * 3600)			# 87.5 %: high risk
        c = create(u.token, priority="HIGH")
        age(c["id"], 9 * 3600)			# breached
        d = create(u.token, priority="HIGH")
        api("POST", "/api/tickets/%d/resolve" % d["id"], token=u.token)
        o = api("GET", "/api/analytics/overview", token=u.token).json
        self.assertEqual((o["total_tickets"], o["open_tickets"],
                          o["resolved_tickets"], o["high_risk_tickets"],
                          o["breached_tickets"], o["sla_compliance_percent"]),
                         (4, 3, 1, 2, 1, 100.0))
        for k in ("in_progress_tickets", "escalated_tickets",
                  "avg_resolution_hours"):
            self.assertIn(k, o)
        d = api("GET", "/api/analytics/risk-distribution", token=u.token).json
        self.assertEqual(d, {"safe": 2, "warning": 0, "high_risk": 1,
                             "breached": 1})
        self.assertEqual(api("GET", "/api/analytics/technician-workload",
                             token=u.token).status, 403)
        tech = Person("Technician")
        create(manager().token, assignee_id=tech.id)
        w = api("GET", "/api/analytics/technician-workload",
                token=manager().token).json
        mine = [x for x in w if x["technician_id"] == tech.id]
        self.assertEqual(mine, [{"technician_id": tech.id,
                                 "technician_name": tech.name,
                                 "assigned_tickets": 1, "high_risk_tickets": 0,
                                 "role": "Technician"}])
        del a


class SlaConfig(unittest.TestCase):
    def test_read_update_and_copy(self):
        r = api("GET", "/api/sla/config", token=Person("user").token)
        self.assertEqual([(c["priority"], set(c) >= {"id", "sla_hours"})
                          for c in r.json],
                         [("LOW", True), ("MEDIUM", True), ("HIGH", True),
                          ("CRITICAL", True)])
        tok = manager().token
        self.assertEqual(api("PUT", "/api/sla/config/low", {"sla_hours": 10},
                             token=Person("Technician").token).status, 403)
        before = create(tok, priority="LOW")
        cal = {"time_zone": "Europe/Berlin", "working_days": [5, 1, 2, 3, 4],
               "start": "09:00", "end": "17:00",
               "holidays": ["2026-12-26", "2026-12-25", "2026-12-25"]}
        r = api("PUT", "/api/sla/config/low",
                {"sla_hours": "36", "calendar": cal}, token=tok)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["priority"], r.json["sla_hours"]),
                         ("LOW", 36))
        self.assertEqual(r.json["calendar"], {
            "time_zone": "Europe/Berlin", "working_days": [1, 2, 3, 4, 5],
            "start": "09:00", "end": "17:00",
            "holidays": ["2026-12-25", "2026-12-26"]})
        after = create(tok, priority="LOW")
        self.assertEqual((after["sla_limit_hours"], after["calendar"]),
                         (36, r.json["calendar"]))
        self.assertEqual(get(before["id"], tok).json["sla_limit_hours"], 48)
        try:
            r = api("PUT", "/api/sla/config/URGENT", {"sla_hours": 5}, token=tok)
            self.assertEqual((r.status, r.json), (404, {
                "error": "SLA configuration not found for priority URGENT"}))
            for body in ({"sla_hours": 0}, {"sla_hours": 8761}):
                r = api("PUT", "/api/sla/config/LOW", body, token=tok)
                self.assertEqual((r.status, r.json), (400, {
                    "error": "sla_hours must be a whole number of hours from "
                    "1 to 8760"}), body)
            for body in ({"sla_hours": "x"}, {"sla_hours": 1.5}):
                r = api("PUT", "/api/sla/config/LOW", body, token=tok)
                self.assertEqual((r.status, r.json), (400, {
                    "error": "sla_hours must be an integer"}), body)
            for cal, word in (({"working_days": [], "start": "09:00",
                                "end": "17:00"}, "working_days"),
                              ({"working_days": [1], "start": "9am",
                                "end": "17:00"}, "start"),
                              ({"working_days": [1], "start": "17:00",
                                "end": "09:00"}, "end"),
                              ({"working_days": [1], "start": "09:00",
                                "end": "17:00", "time_zone": "Mars/Base"},
                               "time_zone"),
                              ({"working_days": [1], "start": "09:00",
                                "end": "17:00", "holidays": ["2026-02-30"]},
                               "holidays")):
                r = api("PUT", "/api/sla/config/LOW", {"calendar": cal},
                        token=tok)
                self.assertEqual(r.status, 400, cal)
                self.assertIn("calendar." + word, r.json["error"], cal)
        finally:
            api("PUT", "/api/sla/config/low", {"sla_hours": 48,
                                               "calendar": None}, token=tok)


if __name__ == "__main__":
    unittest.main()
