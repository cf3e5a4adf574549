"""Maintenance windows (CONTRACT 7, issue 11) through nginx: the API
(each route, its validation messages, permission per role, pagination,
audit), in_maintenance on service objects and health, uptime without the
window's downtime, and resilops-sched with --once --now across a window:
heartbeat loss changes nothing inside it (no Degraded/Down, downtime,
alert, breach or ticket) and counts again after it, the rollup leaves
the window out, and start and end are announced once each."""

import time
import unittest

import client
from client import api, create_service, owner_token, token_for, viewer_token
from test_jsonw_list import json_c_of, ordered
from test_sched import (T0_EPOCH, beat_at, iso, once, release_lease,
                        rollup_rows)

DAY = 86400
NOT_FOUND = {"error": "Maintenance window not found"}


def planner():
    """An account with the incidents permission (Ops Analyst)."""
    return client.analyst_token()


def plan(sids, start, end, token=None, **fields):
    """POST /api/maintenance; returns the window (fails unless 201)."""
    body = {"title": fields.pop("title", "Database upgrade"),
            "message": fields.pop("message", "Planned work"),
            "service_ids": sids, "starts_at": iso(start), "ends_at": iso(end)}
    body.update(fields)
    r = api("POST", "/api/maintenance", body, token=token or planner())
    if r.status != 201:
        raise AssertionError("plan: %r" % r)
    return r.json


def get(wid, token=None):
    return api("GET", "/api/maintenance/%d" % wid,
               token=token or viewer_token())


def service(sid):
    return api("GET", "/api/services/%d" % sid, token=viewer_token()).json


def health(sid, q=""):
    return api("GET", "/api/services/%d/health%s" % (sid, q),
               token=viewer_token()).json


def audit_actions(wid):
    return client.sql("SELECT action FROM audit_log WHERE entity = "
                      "'Maintenance' AND entity_id = %d ORDER BY id"
                      % wid).splitlines()


class Create(unittest.TestCase):
    def test_shape_and_get(self):
        a, b = create_service(), create_service()
        now = int(time.time())
        r = api("POST", "/api/maintenance", {
            "title": "Kernel upgrade", "message": "Reboots, one at a time",
            "service_ids": [b, str(a), b],
            "starts_at": time.strftime("%Y-%m-%dT%H:%M:%S+02:00",
                                       time.gmtime(now + 3600 + 7200)),
            "ends_at": iso(now + 7200)}, token=planner())
        self.assertEqual(r.status, 201, r)
        w = r.json
        self.assertEqual(set(w), {"id", "title", "message", "service_ids",
                                  "starts_at", "ends_at", "state",
                                  "created_by", "created_at"})
        self.assertEqual((w["title"], w["message"]),
                         ("Kernel upgrade", "Reboots, one at a time"))
        # Sorted, each once; times in UTC.
        self.assertEqual(w["service_ids"], sorted([a, b]))
        self.assertEqual((w["starts_at"], w["ends_at"]),
                         (iso(now + 3600), iso(now + 7200)))
        self.assertEqual(w["state"], "scheduled")
        self.assertTrue(w["created_by"])
        self.assertRegex(w["created_at"], r"Z$")
        g = get(w["id"])
        self.assertEqual((g.status, g.json), (200, w))
        self.assertEqual(audit_actions(w["id"]), ["Maintenance Created"])

    def test_message_optional(self):
        sid = create_service()
        now = int(time.time())
        r = api("POST", "/api/maintenance", {
            "title": "t", "service_ids": [sid], "starts_at": iso(now),
            "ends_at": iso(now + 60)}, token=planner())
        self.assertEqual(r.status, 201, r)
        self.assertIsNone(r.json["message"])

    def test_state_from_the_clock(self):
        sid = create_service()
        now = int(time.time())
        past = plan([sid], now - 7200, now - 3600)
        live = plan([sid], now - 60, now + 3600)
        later = plan([sid], now + 3600, now + 7200)
        self.assertEqual([w["state"] for w in (past, live, later)],
                         ["completed", "active", "scheduled"])
        for state, mine in (("active", live), ("ACTIVE", live),
                            ("completed", past), ("scheduled", later)):
            r = api("GET", "/api/maintenance?per_page=1000&state=" + state,
                    token=viewer_token())
            self.assertEqual(r.status, 200, r)
            ids = {w["id"] for w in r.json}
            self.assertIn(mine["id"], ids, state)
            self.assertEqual(ids & {past["id"], live["id"], later["id"]},
                             {mine["id"]}, state)
            self.assertEqual(min(int(r.headers["X-Total-Count"]), 1000),
                             len(r.json))
        for bad in ("done", "", "active,completed"):
            r = api("GET", "/api/maintenance?state=" + bad,
                    token=viewer_token())
            self.assertEqual((r.status, r.json), (400, {
                "error": "Invalid state: must be one of scheduled, active, "
                         "completed"}), bad)

    def test_validation_messages(self):
        sid = create_service()
        now = int(time.time())
        good = {"title": "t", "service_ids": [sid], "starts_at": iso(now),
                "ends_at": iso(now + 60)}
        bad_date = "Invalid date format. Use ISO 8601 (YYYY-MM-DDTHH:MM:SS)"
        cases = [
            ({"title": ""}, "Title is required"),
            ({"title": "   "}, "Title is required"),
            ({"title": None}, "Title is required"),
            ({"title": 5}, "title must be a string"),
            ({"title": "x" * 201}, "Title must be at most 200 characters"),
            ({"message": 5}, "message must be a string"),
            ({"service_ids": None}, "service_ids is required"),
            ({"service_ids": []}, "service_ids must name at least one service"),
            ({"service_ids": "1"}, "service_ids must be an array of integers"),
            ({"service_ids": ["x"]}, "service_ids must be an array of integers"),
            ({"service_ids": [0]}, "service_ids values must be between 1 and "
                                   "999999999999999999"),
            ({"service_ids": [999999990, sid, 999999991, 999999990]},
             "Invalid service IDs: [999999990, 999999991]"),
            ({"starts_at": ""}, "Start time is required"),
            ({"starts_at": "tomorrow"}, bad_date),
            ({"starts_at": "2031-03-01"}, bad_date),
            ({"ends_at": None}, "End time is required"),
            ({"ends_at": iso(now)}, "End time must be after start time"),
            ({"ends_at": iso(now - 60)}, "End time must be after start time"),
        ]
        before = client.sql("SELECT COUNT(*) FROM maintenance")
        for change, msg in cases:
            body = dict(good)
            body.update(change)
            r = api("POST", "/api/maintenance", body, token=planner())
            self.assertEqual((r.status, r.json), (400, {"error": msg}), change)
        for missing, msg in (("service_ids", "service_ids is required"),
                             ("starts_at", "Start time is required"),
                             ("ends_at", "End time is required")):
            body = {k: v for k, v in good.items() if k != missing}
            r = api("POST", "/api/maintenance", body, token=planner())
            self.assertEqual((r.status, r.json), (400, {"error": msg}))
        r = api("POST", "/api/maintenance", {}, token=planner())
        self.assertEqual((r.status, r.json), (400, {"error": "Title is required"}))
        r = api("POST", "/api/maintenance", raw="{", token=planner(),
                headers={"Content-Type": "application/json"})
        self.assertEqual((r.status, r.json), (400, {"error": "Invalid JSON body"}))
        # Nothing was written by any of them.
        self.assertEqual(client.sql("SELECT COUNT(*) FROM maintenance"), before)


class Permissions(unittest.TestCase):
    def test_writers(self):
        sid = create_service()
        now = int(time.time())
        for tok in (owner_token(), client.analyst_token(), client.admin_token()):
            w = plan([sid], now + DAY, now + DAY + 60, token=tok)
            r = api("PUT", "/api/maintenance/%d" % w["id"], {"title": "x"},
                    token=tok)
            self.assertEqual(r.status, 200, r)
            r = api("DELETE", "/api/maintenance/%d" % w["id"], token=tok)
            self.assertEqual(r.status, 200, r)

    def test_others_forbidden_and_anonymous_refused(self):
        sid = create_service()
        now = int(time.time())
        w = plan([sid], now + DAY, now + DAY + 60)
        body = {"title": "x", "service_ids": [sid], "starts_at": iso(now),
                "ends_at": iso(now + 60)}
        writes = (("POST", "/api/maintenance", body),
                  ("PUT", "/api/maintenance/%d" % w["id"], {"title": "x"}),
                  ("DELETE", "/api/maintenance/%d" % w["id"], None),
                  # Authorization before existence.
                  ("PUT", "/api/maintenance/999999999", {"title": "x"}))
        for role in ("user", "Engineer", "Manager", "Technician",
                     "Senior Technician", "Auditor"):
            for method, path, b in writes:
                r = api(method, path, b, token=token_for(role))
                self.assertEqual((r.status, r.json),
                                 (403, {"error": "Forbidden"}), (role, method))
            # Reads: any account.
            self.assertEqual(get(w["id"], token_for(role)).status, 200)
            self.assertEqual(api("GET", "/api/maintenance",
                                 token=token_for(role)).status, 200)
        reads = (("GET", "/api/maintenance", None),
                 ("GET", "/api/maintenance/%d" % w["id"], None))
        for method, path, b in writes[:3] + reads:
            r = api(method, path, b)
            self.assertEqual((r.status, r.json),
                             (401, {"error": "Missing or invalid token"}),
                             method)
        self.assertEqual(get(w["id"]).json["title"], "Database upgrade")


class ListGetUpdateDelete(unittest.TestCase):
    def test_pagination_latest_start_first(self):
        sid = create_service()
        base = int(time.time()) + 400 * DAY
        for k in range(3):
            plan([sid], base + k * 3600, base + k * 3600 + 60)
        r = api("GET", "/api/maintenance?per_page=2&page=1",
                token=viewer_token())
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json), 2)
        self.assertGreaterEqual(int(r.headers["X-Total-Count"]), 3)
        starts = [w["starts_at"] for w in r.json]
        self.assertEqual(starts, sorted(starts, reverse=True))
        r2 = api("GET", "/api/maintenance?per_page=2&page=2",
                 token=viewer_token())
        for rel in ("first", "prev", "last"):
            self.assertIn('rel="%s"' % rel, r2.headers["Link"])
        self.assertNotIn('rel="prev"', r.headers["Link"])
        self.assertLessEqual(r2.json[0]["starts_at"], starts[-1])
        r = api("GET", "/api/maintenance?page=0", token=viewer_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid page or per_page"}))

    def test_missing(self):
        self.assertEqual((get(999999999).status, get(999999999).json),
                         (404, NOT_FOUND))
        for method, b in (("PUT", {"title": "x"}), ("DELETE", None)):
            r = api(method, "/api/maintenance/999999999", b, token=planner())
            self.assertEqual((r.status, r.json), (404, NOT_FOUND), method)

    def test_partial_update(self):
        a, b = create_service(), create_service()
        now = int(time.time())
        w = plan([a], now + DAY, now + DAY + 3600)
        url = "/api/maintenance/%d" % w["id"]
        r = api("PUT", url, {"title": "Renamed"}, token=planner())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, dict(w, title="Renamed"))
        r = api("PUT", url, {"service_ids": [b, a], "message": None},
                token=planner())
        self.assertEqual((r.json["service_ids"], r.json["message"]),
                         (sorted([a, b]), None))
        # The merged window must still end after it starts.
        for change in ({"ends_at": iso(now + DAY)},
                       {"starts_at": iso(now + DAY + 3600)}):
            r = api("PUT", url, change, token=planner())
            self.assertEqual((r.status, r.json), (400, {
                "error": "End time must be after start time"}), change)
        for change, msg in (({"title": None}, "Title is required"),
                            ({"service_ids": []},
                             "service_ids must name at least one service"),
                            ({"service_ids": [999999990]},
                             "Invalid service IDs: [999999990]"),
                            ({"starts_at": "soon"}, "Invalid date format. "
                             "Use ISO 8601 (YYYY-MM-DDTHH:MM:SS)")):
            r = api("PUT", url, change, token=planner())
            self.assertEqual((r.status, r.json), (400, {"error": msg}), change)
        r = api("PUT", url, {"starts_at": iso(now - 60)}, token=planner())
        self.assertEqual((r.json["starts_at"], r.json["state"]),
                         (iso(now - 60), "active"))
        self.assertEqual(get(w["id"]).json, r.json)
        self.assertEqual(audit_actions(w["id"]), ["Maintenance Created"] +
                         ["Maintenance Updated"] * 3)

    def test_delete(self):
        sid = create_service()
        now = int(time.time())
        w = plan([sid], now - 60, now + 3600)
        self.assertTrue(service(sid)["in_maintenance"])
        r = api("DELETE", "/api/maintenance/%d" % w["id"], token=planner())
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Maintenance window deleted"}))
        self.assertEqual(get(w["id"]).json, NOT_FOUND)
        self.assertFalse(service(sid)["in_maintenance"])
        self.assertEqual(audit_actions(w["id"]),
                         ["Maintenance Created", "Maintenance Deleted"])

    def test_deleted_service_leaves_the_window(self):
        a, b = create_service(), create_service()
        now = int(time.time())
        w = plan([a, b], now + DAY, now + DAY + 60)
        api("DELETE", "/api/services/%d" % a, token=owner_token())
        self.assertEqual(get(w["id"]).json["service_ids"], [b])


class InMaintenance(unittest.TestCase):
    def test_flag_on_objects_and_health(self):
        inside, later, other = (create_service() for _ in range(3))
        now = int(time.time())
        plan([inside], now - 60, now + 3600)
        plan([later], now + 3600, now + 7200)
        plan([later], now - 7200, now - 3600)
        self.assertIs(service(inside)["in_maintenance"], True)
        self.assertIs(service(later)["in_maintenance"], False)
        self.assertIs(service(other)["in_maintenance"], False)
        self.assertIs(health(inside)["in_maintenance"], True)
        self.assertIs(health(later)["in_maintenance"], False)
        listed = {s["id"]: s for s in client.list_all(
            "/api/services", viewer_token())}
        self.assertIs(listed[inside]["in_maintenance"], True)
        self.assertIs(listed[later]["in_maintenance"], False)

    def test_uptime_leaves_the_window_out(self):
        sid = create_service()
        now = int(time.time())
        client.sql("UPDATE services SET created_at = UTC_TIMESTAMP() - "
                   "INTERVAL 10 DAY WHERE id = %d" % sid)
        # One day down, two days ago.
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": iso(now - 3 * DAY), "end_time": iso(now - 2 * DAY)},
            token=viewer_token())
        self.assertAlmostEqual(health(sid)["uptime_percentage"], 90.0,
                               delta=0.02)
        # Half of it was planned (entered after the fact): 0.5 of 10 days.
        w = plan([sid], now - 3 * DAY - 3600, now - 2.5 * DAY)
        self.assertAlmostEqual(health(sid)["uptime_percentage"], 95.0,
                               delta=0.02)
        # All of it: as if it never was.
        api("PUT", "/api/maintenance/%d" % w["id"],
            {"ends_at": iso(now - 2 * DAY)}, token=planner())
        self.assertEqual(health(sid)["uptime_percentage"], 100.0)


class Daemon(unittest.TestCase):
    """resilops-sched as of --now around a window in 2031 (the API's
    clock calls it scheduled; the daemon evaluates as of --now)."""

    def setUp(self):
        release_lease()

    def alerts(self, sid):
        """What heartbeats and maintenance raise (risk rules raise their
        own, whatever the window)."""
        return client.sql("SELECT type, severity, cause FROM alerts WHERE "
                          "service_id = %d AND type IN ('Maintenance', "
                          "'StatusChange') ORDER BY id" % sid).splitlines()

    def downtimes(self, sid):
        return api("GET", "/api/services/%d/downtime" % sid,
                   token=viewer_token()).json

    def tickets(self, sid):
        return service(sid).get("open_tickets")

    def test_heartbeat_loss_inside_and_after(self):
        kept = create_service(criticality="High", rto=10, rpo=10)
        free = create_service(criticality="High", rto=10, rpo=10)
        beat_at(kept)
        beat_at(free)
        start, end = T0_EPOCH + 120, T0_EPOCH + 3 * 3600
        w = plan([kept], start, end)
        once(T0_EPOCH + 60)
        once(T0_EPOCH + 900)
        once(T0_EPOCH + 2 * 3600)
        # Without a window: Down, an outage, alerts and a ticket.
        self.assertEqual(service(free)["status"], "Down")
        self.assertEqual(len(self.tickets(free)), 1)
        # Inside it: as it was, nothing opened or raised but the notice.
        # (in_maintenance is the API's, as of the real clock: not 2031.)
        self.assertEqual(service(kept)["status"], "Up")
        self.assertEqual(self.downtimes(kept)["downtime_count"], 0)
        self.assertEqual(self.alerts(kept),
                         ["Maintenance\tInfo\t%d:start" % w["id"]])
        self.assertEqual(self.tickets(kept), [])
        self.assertEqual(client.sql("SELECT COUNT(*) FROM sla_breaches "
                                    "WHERE service_id = %d" % kept).strip(),
                         "0")
        # After it, the usual grace from its end, then loss counts again.
        once(end + 60)
        self.assertEqual(service(kept)["status"], "Up")
        once(end + 301)
        self.assertEqual(service(kept)["status"], "Degraded")
        once(end + 601)
        self.assertEqual(service(kept)["status"], "Down")
        d = self.downtimes(kept)["downtimes"]
        self.assertEqual((len(d), d[0]["start_time"]), (1, iso(T0_EPOCH)))
        self.assertEqual(self.alerts(kept), ["Maintenance\tInfo\t%d:start" % w["id"],
                                "Maintenance\tInfo\t%d:end" % w["id"],
                                "StatusChange\tWarning\tDegraded",
                                "StatusChange\tCritical\tDown"])
        self.assertEqual(len(self.tickets(kept)), 1)

    def test_start_and_end_announced_once(self):
        a, b = create_service(), create_service()
        start, end = T0_EPOCH + 10 * DAY, T0_EPOCH + 10 * DAY + 3600
        w = plan([a, b], start, end, title="Switch swap")

        def told():
            return client.sql(
                "SELECT service_id, cause, message FROM alerts WHERE type = "
                "'Maintenance' AND cause LIKE '%d:%%' ORDER BY id"
                % w["id"]).splitlines()

        once(start - 60)
        self.assertEqual(told(), [])
        once(start)
        started = ["%d\t%d:start\tMaintenance started: Switch swap (until %s)"
                   % (sid, w["id"], iso(end)) for sid in (a, b)]
        self.assertEqual(sorted(told()), sorted(started))
        marks = client.sql("SELECT started_announced_at IS NOT NULL, "
                           "ended_announced_at IS NULL FROM maintenance "
                           "WHERE id = %d" % w["id"]).split()
        self.assertEqual(marks, ["1", "1"])
        # Acknowledged or not, repeated ticks tell nothing new.
        client.sql("UPDATE alerts SET acknowledged = 1 WHERE type = "
                   "'Maintenance' AND cause = '%d:start'" % w["id"])
        client.admin_cli("recount")     # the lists' open count, by hand
        once(start + 60)
        once(start + 120)
        self.assertEqual(len(told()), 2)
        once(end)
        ended = ["%d\t%d:end\tMaintenance ended: Switch swap" % (sid, w["id"])
                 for sid in (a, b)]
        self.assertEqual(sorted(told()[2:]), sorted(ended))
        once(end + 60)
        # An earlier --now, back inside the window, tells nothing again.
        once(start + 60)
        self.assertEqual(len(told()), 4)

    def test_extended_window_is_told_again(self):
        sid = create_service()
        now = int(time.time())
        w = plan([sid], now - 120, now - 60)
        url = "/api/maintenance/%d" % w["id"]
        marks = lambda: client.sql(
            "SELECT started_announced_at IS NOT NULL, ended_announced_at IS "
            "NOT NULL FROM maintenance WHERE id = %d" % w["id"]).split()
        once(now - 90)
        once(now)
        self.assertEqual(marks(), ["1", "1"])
        # A new title changes nothing told.
        api("PUT", url, {"title": "Still the same work"}, token=planner())
        self.assertEqual(marks(), ["1", "1"])
        # Reopened until later (as of the API's clock): told afresh.
        r = api("PUT", url, {"ends_at": iso(now + 3600)}, token=planner())
        self.assertEqual(r.json["state"], "active")
        self.assertEqual(marks(), ["0", "0"])
        once(now + 60)
        self.assertEqual(marks(), ["1", "0"])
        once(now + 3600)
        self.assertEqual(marks(), ["1", "1"])
        ends = client.sql("SELECT COUNT(*) FROM alerts WHERE type = "
                          "'Maintenance' AND cause = '%d:end'" % w["id"])
        self.assertEqual(ends.strip(), "1")	# the first still unacknowledged

    def test_window_never_seen_active_is_not_told(self):
        sid = create_service()
        w = plan([sid], T0_EPOCH + 20 * DAY, T0_EPOCH + 20 * DAY + 60)
        once(T0_EPOCH + 21 * DAY)
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM alerts WHERE type = 'Maintenance' AND "
            "cause LIKE '%d:%%'" % w["id"]).strip(), "0")

    def test_operator_down_inside_a_window(self):
        """Trouble an operator reports inside a window waits for its end:
        no StatusChange alert, breach or outage ticket until then, and
        the RTO counts only the outage's time outside the window."""
        sid = create_service(criticality="High", rto=5, rpo=600)
        now = int(time.time())
        start, end = now - 60, now + 2 * 3600
        plan([sid], start, end)
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        once(now + 1800)
        self.assertEqual(service(sid)["status"], "Down")
        self.assertNotIn("StatusChange",
                         [a.split("\t")[0] for a in self.alerts(sid)])
        self.assertEqual(self.tickets(sid), [])
        breaches = lambda: client.sql(
            "SELECT type, downtime_minutes FROM sla_breaches WHERE "
            "service_id = %d ORDER BY type" % sid).splitlines()
        self.assertEqual(breaches(), [])
        once(end + 600)
        self.assertIn("StatusChange\tCritical\tDown", self.alerts(sid))
        self.assertEqual(len(self.tickets(sid)), 1)
        # Ten minutes after the window: past the RTO of 5, not the RPO.
        self.assertEqual(breaches(), ["RTO\t10"])


class Rollup(unittest.TestCase):
    """The status page's daily rollup leaves the window out."""

    def setUp(self):
        release_lease()

    def test_window_not_counted(self):
        now = int(time.time())
        today = now - now % DAY
        day = today - 2 * DAY
        inside, partly = create_service(), create_service()
        for sid in (inside, partly):
            client.sql("UPDATE services SET created_at = UTC_TIMESTAMP() - "
                       "INTERVAL 10 DAY WHERE id = %d" % sid)
            api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": iso(day + 10 * 3600),
                 "end_time": iso(day + 14 * 3600)}, token=viewer_token())
        plan([inside], day + 9 * 3600, day + 15 * 3600)
        plan([partly], day + 9 * 3600, day + 12 * 3600)
        once(now)
        self.assertEqual(rollup_rows(inside), [])
        self.assertEqual(rollup_rows(partly), [(day, 2 * 3600, 1)])
        # Health agrees: 2 h of 7 days for one, nothing for the other.
        self.assertEqual(health(inside, "?window=7d")["uptime_percentage"],
                         100.0)
        self.assertEqual(health(partly, "?window=7d")["uptime_percentage"],
                         98.81)


# Each ?state= and its windows in SQL, newest start first.
STATES = {
    "": "TRUE",
    "scheduled": "starts_at > UTC_TIMESTAMP()",
    "active": "starts_at <= UTC_TIMESTAMP() AND ends_at > UTC_TIMESTAMP()",
    "completed": "ends_at <= UTC_TIMESTAMP()",
}


WINDOW_KEYS = ["id", "title", "message", "service_ids", "starts_at",
               "ends_at", "state", "created_by", "created_at"]


class Totals(unittest.TestCase):
    """Each state's total (the kept counter of sql/031, less or counted
    over the windows of the moment) is COUNT(*) over the table after
    every kind of write, on a first page, a later one and one past the
    end; every page is the table's rows newest start first (the active
    ones put in order by resilops, not by MariaDB)."""

    def assertTotals(self):
        for state, where in STATES.items():
            rows = client.sql("SELECT id FROM maintenance WHERE %s ORDER BY "
                              "starts_at DESC, id DESC" % where).split()
            want = [int(x) for x in rows]
            q = "/api/maintenance?state=%s&" % state if state else \
                "/api/maintenance?"
            for page, per, ids in (("1", "100", want[:100]),
                                   ("2", "1", want[1:2]),
                                   ("99999", "1", [])):
                r = api("GET", q + "page=%s&per_page=%s" % (page, per),
                        token=viewer_token())
                self.assertEqual(r.status, 200, r)
                self.assertEqual(int(r.headers["X-Total-Count"]), len(want),
                                 (state, page))
                self.assertEqual([w["id"] for w in r.json], ids,
                                 (state, page))
                # Written with util/jsonw: json-c's text, in order.
                self.assertEqual(r.body, json_c_of(r.body))
                self.assertTrue(all([k for k, _ in w] == WINDOW_KEYS
                                    for w in ordered(r.body.decode())))

    def test_every_write(self):
        sid = create_service()
        now = int(time.time())
        self.assertTotals()
        past = plan([sid], now - 7200, now - 3600)
        plan([sid], now - 3 * DAY, now + DAY)
        live = plan([sid], now - 60, now + 3600)
        later = plan([sid], now + 3600, now + 7200, message=None,
                     title='"quoted" \\ caf\u00e9 \U0001F600')
        self.assertTotals()
        r = get(later["id"])
        self.assertEqual(r.body, json_c_of(r.body))
        self.assertEqual(r.json, later)
        # Moved from one state to another, and deleted.
        r = api("PUT", "/api/maintenance/%d" % later["id"],
                {"starts_at": iso(now - 2 * DAY)}, token=planner())
        self.assertEqual(r.status, 200, r)
        self.assertTotals()
        r = api("PUT", "/api/maintenance/%d" % past["id"],
                {"ends_at": iso(now + 600)}, token=planner())
        self.assertEqual(r.status, 200, r)
        self.assertTotals()
        r = api("DELETE", "/api/maintenance/%d" % live["id"],
                token=planner())
        self.assertEqual(r.status, 200, r)
        self.assertTotals()
        # A refused delete (gone already) counts nothing.
        r = api("DELETE", "/api/maintenance/%d" % live["id"],
                token=planner())
        self.assertEqual(r.status, 404)
        self.assertTotals()


if __name__ == "__main__":
    unittest.main()
