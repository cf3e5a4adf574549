"""Status (heartbeats), downtime log and history, and health through
nginx (CONTRACT sections 3, 4 and 9)."""

import threading
import time
import unittest

import client
from client import api, create_service, owner_token, viewer_token


def open_auto_downtimes(sid):
    return int(client.sql("SELECT COUNT(*) FROM downtimes WHERE service_id = "
                          "%d AND end_time IS NULL" % sid))


class Status(unittest.TestCase):
    def test_post_and_put_messages(self):
        sid = create_service()
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
                token=owner_token())
        self.assertEqual((r.status, r.json), (200, {"message": "Status updated"}))
        r = api("PUT", "/api/services/%d/status" % sid, {"status": "degraded"},
                token=owner_token())
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Status updated successfully"}))
        s = api("GET", "/api/services/%d" % sid, token=viewer_token()).json
        self.assertEqual(s["status"], "Degraded")

    def test_healthy_is_up(self):
        sid = create_service()
        api("POST", "/api/services/%d/status" % sid, {"status": "Healthy"},
            token=owner_token())
        s = api("GET", "/api/services/%d" % sid, token=viewer_token()).json
        self.assertEqual(s["status"], "Up")

    def test_validation(self):
        sid = create_service()
        for body, msg in (({}, "Status is required"),
                          ({"status": ""}, "Status is required"),
                          ({"status": None}, "Status is required"),
                          ({"status": "Sideways"},
                           "Status must be one of Up, Degraded, Down, Unknown"),
                          ({"status": 1}, "status must be a string")):
            for method in ("POST", "PUT"):
                r = api(method, "/api/services/%d/status" % sid, body,
                        token=owner_token())
                self.assertEqual((r.status, r.json), (400, {"error": msg}),
                                 (method, body))
        r = api("POST", "/api/services/999999999/status", {"status": "Up"},
                token=owner_token())
        self.assertEqual((r.status, r.json), (404, {"error": "Service not found"}))
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
                token=viewer_token())
        self.assertEqual(r.status, 403)

    def test_every_write_is_a_heartbeat(self):
        sid = create_service()
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        client.sql("UPDATE service_status SET last_updated = '2020-01-01 00:00:00'"
                   " WHERE service_id = %d" % sid)
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        s = api("GET", "/api/services/%d" % sid, token=viewer_token()).json
        self.assertFalse(s["last_updated"].startswith("2020"))

    def test_down_opens_and_up_closes_a_downtime(self):
        name, _, tok = client.user_with_role("Business Owner")
        sid = create_service(token=tok)
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"}, token=tok)
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"}, token=tok)
        self.assertEqual(open_auto_downtimes(sid), 1)
        h = api("GET", "/api/services/%d/downtime" % sid, token=tok).json
        self.assertEqual(h["downtime_count"], 1)
        d = h["downtimes"][0]
        self.assertEqual(d["reason"], "Status set to Down by %s" % name)
        self.assertIsNone(d["end_time"])
        api("PUT", "/api/services/%d/status" % sid, {"status": "Up"}, token=tok)
        self.assertEqual(open_auto_downtimes(sid), 0)
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=tok).json["downtimes"][0]
        self.assertIsNotNone(d["end_time"])
        # A second outage is a second downtime.
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"}, token=tok)
        self.assertEqual(api("GET", "/api/services/%d/downtime" % sid,
                             token=tok).json["downtime_count"], 2)

    def test_open_logged_downtime_counts_as_open(self):
        sid = create_service()
        r = api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": "2030-01-01T10:00:00Z", "reason": "by hand"},
                token=viewer_token())
        self.assertEqual(r.status, 200, r)
        # Going Down opens no second downtime ...
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
        h = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json
        self.assertEqual(h["downtime_count"], 1)
        self.assertEqual(h["downtimes"][0]["reason"], "by hand")
        # ... and leaving Down closes the one logged by hand.
        api("PUT", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        self.assertEqual(open_auto_downtimes(sid), 0)
        h = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json
        self.assertEqual(h["downtime_count"], 1)
        self.assertIsNotNone(h["downtimes"][0]["end_time"])

    def test_heartbeat_keeps_a_logged_open_downtime_while_not_down(self):
        # Only leaving Down ends a downtime logged by hand: a service that
        # was Up and keeps beating has not come back from anything.
        sid = create_service()
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": "2030-01-01T10:00:00Z"}, token=viewer_token())
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        self.assertEqual(open_auto_downtimes(sid), 1)

    def test_audit(self):
        sid = create_service()
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        r = api("GET", "/api/audit?per_page=5", token=owner_token())
        self.assertIn(("Status Updated", "Status", sid),
                      [(e["action"], e["entity"], e["entity_id"]) for e in r.json])


class DowntimeLog(unittest.TestCase):
    def log(self, sid, body, token=None):
        return api("POST", "/api/services/%d/downtime" % sid, body,
                   token=token or viewer_token())

    def test_any_user_logs(self):
        sid = create_service()
        r = self.log(sid, {"start_time": "2025-01-01T10:00:00.000Z",
                           "end_time": "2025-01-01T12:05:00Z",
                           "reason": "maintenance"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["message"], "Downtime logged")
        d = r.json["downtime"]
        self.assertEqual((d["service_id"], d["start_time"], d["end_time"],
                          d["reason"]),
                         (sid, "2025-01-01T10:00:00Z", "2025-01-01T12:05:00Z",
                          "maintenance"))

    def test_time_forms(self):
        sid = create_service()
        forms = {
            "2025-01-01T10:00:00Z": "2025-01-01T10:00:00Z",
            "2025-01-01T12:00:00+02:00": "2025-01-01T10:00:00Z",
            "2025-01-01T10:00:00.000Z": "2025-01-01T10:00:00Z",
            "2025-01-01T10:00:00": "2025-01-01T10:00:00Z",
            "2025-01-01T10:00": "2025-01-01T10:00:00Z",
            "2025-01-01 10:00:00": "2025-01-01T10:00:00Z",
        }
        for given, want in forms.items():
            r = self.log(sid, {"start_time": given})
            self.assertEqual(r.status, 200, given)
            self.assertEqual(r.json["downtime"]["start_time"], want, given)

    def test_validation(self):
        sid = create_service()
        bad = "Invalid date format. Use ISO 8601 (YYYY-MM-DDTHH:MM:SS)"
        for body, msg in (({}, "Start time is required"),
                          ({"start_time": ""}, "Start time is required"),
                          ({"start_time": "", "end_time": ""},
                           "Start time is required"),
                          ({"start_time": "2025-01-01"}, bad),
                          ({"start_time": "yesterday"}, bad),
                          ({"start_time": "2025-01-01T10:00:00Z",
                            "end_time": "2025-13-01T00:00:00Z"}, bad),
                          ({"start_time": "2025-01-01T10:00:00Z",
                            "end_time": "2025-01-01T09:00:00Z"},
                           "End time cannot be before start time")):
            r = self.log(sid, body)
            self.assertEqual((r.status, r.json), (400, {"error": msg}), body)
        self.assertEqual(api("GET", "/api/services/%d/downtime" % sid,
                             token=viewer_token()).json["downtime_count"], 0)
        r = self.log(999999999, {"start_time": "2025-01-01T10:00:00Z"})
        self.assertEqual((r.status, r.json), (404, {"error": "Service not found"}))

    def test_reason_default(self):
        sid = create_service()
        r = self.log(sid, {"start_time": "2025-01-01T10:00:00Z"})
        self.assertEqual(r.json["downtime"]["reason"], "Not specified")


class DowntimeHistory(unittest.TestCase):
    def test_newest_first_with_durations(self):
        sid = create_service()
        for start, end in (("2025-01-01T10:00:00Z", "2025-01-01T12:05:00Z"),
                           ("2025-01-03T00:00:00Z", "2025-01-05T01:05:00Z"),
                           ("2025-01-02T00:00:00Z", "2025-01-02T00:05:00Z")):
            api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": start, "end_time": end}, token=viewer_token())
        r = api("GET", "/api/services/%d/downtime" % sid, token=viewer_token())
        self.assertEqual(r.status, 200)
        j = r.json
        self.assertEqual(j["service_id"], sid)
        self.assertTrue(j["service_name"])
        self.assertEqual(j["downtime_count"], 3)
        self.assertEqual([(d["duration"], d["total_minutes"])
                          for d in j["downtimes"]],
                         [("49h 5m", 2945), ("0h 5m", 5), ("2h 5m", 125)])

    def test_open_counts_to_now(self):
        sid = create_service()
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                              time.gmtime(time.time() - 3 * 3600 - 120))
        api("POST", "/api/services/%d/downtime" % sid, {"start_time": start},
            token=viewer_token())
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json["downtimes"][0]
        self.assertIsNone(d["end_time"])
        self.assertIn(d["total_minutes"], (182, 183))
        self.assertTrue(d["duration"].startswith("3h "))

    def test_paginated(self):
        sid = create_service()
        for day in range(1, 6):
            api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": "2025-02-%02dT00:00:00Z" % day,
                 "end_time": "2025-02-%02dT01:00:00Z" % day},
                token=viewer_token())
        r = api("GET", "/api/services/%d/downtime?per_page=2&page=3" % sid,
                token=viewer_token())
        self.assertEqual(r.json["downtime_count"], 5)
        self.assertEqual(len(r.json["downtimes"]), 1)
        self.assertEqual(r.json["downtimes"][0]["start_time"],
                         "2025-02-01T00:00:00Z")
        self.assertEqual(r.headers["X-Total-Count"], "5")
        self.assertNotIn('rel="next"', r.headers["Link"])
        # The count rides on the page's rows; a page past the end (and
        # an empty list's first) counts alone.
        for q, count in (("?per_page=2&page=9", 5), ("?page=1", 5)):
            r = api("GET", "/api/services/%d/downtime%s" % (sid, q),
                    token=viewer_token())
            self.assertEqual(r.json["downtime_count"], count, q)
        r = api("GET", "/api/services/%d/downtime" % create_service(),
                token=viewer_token())
        self.assertEqual((r.json["downtime_count"], r.json["downtimes"]),
                         (0, []))


class Health(unittest.TestCase):
    FIELDS = {"service_id", "name", "status", "last_updated", "bia", "downtime",
              "overall_health", "risk_score", "risk_level", "is_critical",
              "reason", "uptime_percentage"}

    def health(self, sid, q=""):
        return api("GET", "/api/services/%d/health%s" % (sid, q),
                   token=viewer_token())

    def test_text_in_order_and_escaped(self):
        # Written straight into its text (util/jsonw): the members in the
        # order json-c gave them, every string escaped.
        import json
        name = 'h "q" \\ /x\t\u0001 \u00e9\u263a\U0001F600'
        sid = create_service(name, criticality="High", impact="Severe",
                             rto=30)
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
                token=client.owner_token())
        self.assertEqual(r.status, 200, r)
        r = self.health(sid)
        self.assertEqual(r.status, 200, r)
        pairs = json.loads(r.text, object_pairs_hook=lambda p: p)
        self.assertEqual([k for k, _ in pairs], [
            "service_id", "name", "status", "last_updated", "in_maintenance",
            "bia", "downtime", "overall_health", "risk_score", "risk_level",
            "is_critical", "reason", "uptime_percentage"])
        j = dict(pairs)
        self.assertEqual(j["name"], name)
        self.assertEqual(j["bia"], [("criticality", "High"),
                                    ("impact", "Severe"), ("rto", 30),
                                    ("rpo", None)])
        self.assertEqual([k for k, _ in j["downtime"]],
                         ["start_time", "end_time", "reason"])
        self.assertIsNone(dict(j["downtime"])["end_time"])
        self.assertRegex(r.text, r'"uptime_percentage":\d+\.\d\d}$')

    def test_shape_of_a_new_service(self):
        sid = create_service()
        r = self.health(sid)
        self.assertEqual(r.status, 200)
        self.assertTrue(self.FIELDS <= set(r.json), r.json)
        j = r.json
        self.assertEqual(j["status"], "Unknown")
        self.assertIsNone(j["bia"])
        # Never null: the reference web client reads downtime.start_time.
        self.assertEqual(j["downtime"], {"start_time": None, "end_time": None,
                                         "reason": None})
        self.assertEqual(j["risk_score"], 0)
        self.assertEqual(j["reason"], "No risks identified")
        self.assertEqual(j["overall_health"], "Degraded")
        self.assertEqual(j["uptime_percentage"], 100.0)
        self.assertIn('"uptime_percentage":100.00', r.text.replace(" ", ""))

    def test_down_high_risk_unhealthy(self):
        sid = create_service(criticality="High", impact="Severe", rto=10,
                             rpo=10)
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
        j = self.health(sid).json
        self.assertEqual(j["risk_score"], 80)
        self.assertTrue(j["is_critical"])
        self.assertEqual(j["overall_health"], "Unhealthy")
        self.assertEqual(j["downtime"]["reason"][:22], "Status set to Down by ")
        self.assertIsNone(j["downtime"]["end_time"])
        self.assertEqual(j["bia"]["criticality"], "High")

    def test_up_low_risk_healthy(self):
        sid = create_service(criticality="Low", rto=600, rpo=600)
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        j = self.health(sid).json
        self.assertEqual((j["overall_health"], j["risk_score"]), ("Healthy", 0))

    def test_uptime_over_window_and_life(self):
        sid = create_service()
        now = time.time()
        client.sql("UPDATE services SET created_at = UTC_TIMESTAMP() - "
                   "INTERVAL 10 DAY WHERE id = %d" % sid)
        fmt = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        # 24 h of downtime, half of it overlapping another logged outage.
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": fmt(now - 5 * 86400),
             "end_time": fmt(now - 4.5 * 86400)}, token=viewer_token())
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": fmt(now - 4.75 * 86400),
             "end_time": fmt(now - 4 * 86400)}, token=viewer_token())
        # 30d window, but the service lived 10 days: 1 day of 10 down.
        self.assertAlmostEqual(self.health(sid).json["uptime_percentage"],
                               90.0, delta=0.02)
        # 24h window: nothing in it.
        self.assertEqual(self.health(sid, "?window=24h").json[
            "uptime_percentage"], 100.0)
        # 7d window: 1 day of 7.
        self.assertAlmostEqual(self.health(sid, "?window=7d").json[
            "uptime_percentage"], 85.71, delta=0.02)

    def test_bad_window(self):
        sid = create_service()
        for w in ("1y", "", "30"):
            r = self.health(sid, "?window=" + w)
            self.assertEqual((r.status, r.json), (400, {
                "error": "Invalid window: use 24h, 7d, 30d or 90d"}), w)

    def test_reading_never_writes(self):
        sid = create_service(criticality="High")
        count = lambda: client.sql(
            "SELECT (SELECT COUNT(*) FROM risks), (SELECT COUNT(*) FROM "
            "audit_log), (SELECT COUNT(*) FROM alerts)")
        before = count()
        self.health(sid)
        self.health(sid, "?window=90d")
        self.assertEqual(before, count())

    def test_missing(self):
        r = self.health(999999999)
        self.assertEqual((r.status, r.json), (404, {"error": "Service not found"}))


@client.only_in("single", why="a deadlock between the test's session and a "
                "request: through the cluster's front the request may write "
                "through another node, where the session's row locks do not "
                "reach")
class Conflict(unittest.TestCase):
    def test_a_move_into_down_that_loses_a_deadlock_runs_again(self):
        """A status write into Down goes on in the transaction its routine
        left open (the downtime, the risk job's generations, the entry).
        A deadlock there (through several Galera nodes: a certification
        conflict at its COMMIT) rolls back all of it, the routine's write
        too: the request runs again, as any other would, rather than
        answer 500 as if the routine had committed something.  The
        deadlock: a session that has written more holds a shared lock on
        the service's risk row, which the move waits to write, then
        wants the status row the move holds."""
        tok = owner_token()
        sid = create_service()
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
                token=tok)
        self.assertEqual(r.status, 200, r)
        # Written one by one: a scan would lock every row, the moved
        # service's too, in the session's REPEATABLE READ.
        weight = ["UPDATE services SET description = CONCAT(COALESCE("
                  "description, ''), '~') WHERE id = %d" % create_service()
                  for _ in range(8)]
        held = client.LockHeld(*weight, "SELECT gen FROM risk_state WHERE "
                               "service_id = %d LOCK IN SHARE MODE" % sid)
        got = {}
        t = threading.Thread(target=lambda: got.update(r=api(
            "POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=tok)))
        try:
            t.start()
            client.wait_until(lambda: client.lock_waits() == 1,
                              what="the move waiting for the risk row")
            # The move, lighter, loses and is rolled back whole.
            held.session.query("SELECT status FROM service_status WHERE "
                               "service_id = %d FOR UPDATE" % sid)
            client.wait_until(lambda: client.lock_waits() == 1,
                              what="the move run again")
        finally:
            held.close()
            t.join()
        self.assertEqual((got["r"].status, got["r"].json),
                         (200, {"message": "Status updated"}))
        s = api("GET", "/api/services/%d" % sid, token=viewer_token()).json
        self.assertEqual(s["status"], "Down")
        self.assertEqual(open_auto_downtimes(sid), 1)
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'Status' AND "
            "entity_id = %d" % sid).strip(), "2")


if __name__ == "__main__":
    unittest.main()
