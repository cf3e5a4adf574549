"""CONTRACT section 4 (risk) through nginx: the latest record, saving
an automated score by the seed's rules, manual records (add, update of
the latest manual one), the history, permissions and audit entries."""

import datetime
import unittest

import client
from client import api, create_service, unique_name

MISSING = 999999999
CRITICAL = "Service marked as CRITICAL based on business rules"
RECORD_KEYS = {"id", "service_id", "risk_score", "risk_level", "is_critical",
               "reason", "source", "created_by", "created_at"}


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def save(sid, token=None):
    return api("POST", "/api/risk/%d/save" % sid,
               token=token or client.analyst_token())


def manual(method, sid, body, token=None):
    return api(method, "/api/risk/%d/manual" % sid, body,
               token=token or client.analyst_token())


def history(sid, query=""):
    return api("GET", "/api/risk/%d/history%s" % (sid, query),
               token=client.viewer_token())


def set_status(sid, status):
    r = api("POST", "/api/services/%d/status" % sid, {"status": status},
            token=client.owner_token())
    assert r.status == 200, r


def add_integrations(sid, n):
    """n rows written behind the API's back, and the service's count of
    them (its summary, sql/022) as the API's writes keep it."""
    for _ in range(n):
        client.sql("INSERT INTO integrations (service_id, type, config, "
                   "created_by, created_at) VALUES (%d, 'AWS', '{}', "
                   "'test', UTC_TIMESTAMP()); %s"
                   % (sid, client.counted("integrations")))
    client.sql("UPDATE services SET integrations = integrations + %d "
               "WHERE id = %d" % (n, sid))


def with_two_dependencies_down():
    """A critical service with three dependencies, two of them Down, their
    names in the other order than their ids (id order is not name order):
    (its id, the reason its risk gives)."""
    a = create_service(name=unique_name("depZ"))
    b = create_service(name=unique_name("depA"))
    up = create_service()
    sid = create_service(dependencies=[a, b, up])
    set_status(up, "Up")
    set_status(b, "Down")
    set_status(a, "Down")
    names = [api("GET", "/api/services/%d" % x,
                 token=client.viewer_token()).json["name"] for x in (a, b)]
    return sid, "Dependencies down: %s, %s, %s" % (names[0], names[1],
                                                   CRITICAL)


def audit_has(action, entity, entity_id):
    r = api("GET", "/api/audit?per_page=1000", token=client.viewer_token())
    assert r.status == 200, r
    return any(e["action"] == action and e["entity"] == entity
               and e["entity_id"] == entity_id for e in r.json)


class Permissions(unittest.TestCase):
    def setUp(self):
        self.sid = create_service()

    def test_no_token_is_401(self):
        for method, path in (("GET", "/api/risk/%d"),
                             ("POST", "/api/risk/%d/save"),
                             ("POST", "/api/risk/%d/manual"),
                             ("PUT", "/api/risk/%d/manual"),
                             ("GET", "/api/risk/%d/history")):
            r = api(method, path % self.sid)
            self.assertEqual((r.status, r.json),
                             (401, {"error": "Missing or invalid token"}), path)

    def test_writes_forbidden_for_viewer_and_owner(self):
        body = {"risk_score": 10, "risk_level": "Low"}
        for token in (client.viewer_token(), client.owner_token(),
                      client.engineer_token()):
            for r in (save(self.sid, token),
                      manual("POST", self.sid, body, token),
                      manual("PUT", self.sid, body, token)):
                self.assertEqual((r.status, r.json),
                                 (403, {"error": "Forbidden"}))
        self.assertEqual(history(self.sid).json, [])

    def test_forbidden_before_not_found(self):
        token = client.viewer_token()
        body = {"risk_score": 10, "risk_level": "Low"}
        for r in (save(MISSING, token), manual("POST", MISSING, body, token),
                  manual("PUT", MISSING, body, token)):
            self.assertEqual(r.status, 403)

    def test_admin_may_write(self):
        r = save(self.sid, client.admin_token())
        self.assertEqual(r.status, 200)

    def test_non_numeric_id_is_404(self):
        r = api("GET", "/api/risk/abc", token=client.viewer_token())
        self.assertEqual((r.status, r.json), (404, {"error": "Not found"}))


class Latest(unittest.TestCase):
    def test_missing_service(self):
        r = api("GET", "/api/risk/%d" % MISSING, token=client.viewer_token())
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))

    def test_no_record_yet(self):
        sid = create_service()
        r = api("GET", "/api/risk/%d" % sid, token=client.viewer_token())
        self.assertEqual((r.status, r.json), (404, {
            "error": "No risk score available for this service"}))

    def test_latest_of_any_source(self):
        sid = create_service(criticality="Medium")
        self.assertEqual(save(sid).status, 200)
        r = api("GET", "/api/risk/%d" % sid, token=client.viewer_token())
        self.assertEqual(r.status, 200)
        self.assertEqual(set(r.json), RECORD_KEYS)
        self.assertEqual(r.json["source"], "automated")
        self.assertEqual(r.json["risk_score"], 10)
        self.assertEqual(r.json["service_id"], sid)
        self.assertRegex(r.json["created_at"],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(manual("POST", sid, {"risk_score": 77,
                                              "risk_level": "Medium"}).status,
                         200)
        r = api("GET", "/api/risk/%d" % sid, token=client.viewer_token())
        self.assertEqual((r.json["source"], r.json["risk_score"]),
                         ("manual", 77))


class Save(unittest.TestCase):
    def test_missing_service(self):
        r = save(MISSING)
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))

    def test_service_without_bia(self):
        sid = create_service()
        r = save(sid)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {
            "message": "Risk score saved", "service_id": sid,
            "risk_score": 0, "risk_level": "Low", "is_critical": False,
            "reason": "No risks identified"})

    def test_rules_bia_then_down(self):
        sid = create_service(criticality="High", impact="Severe", rto=10,
                             rpo=10)
        r = save(sid)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {
            "message": "Risk score saved", "service_id": sid,
            "risk_score": 40, "risk_level": "Low", "is_critical": True,
            "reason": "High criticality in BIA, High impact in BIA: Severe, "
                      "RTO < 1 hour, RPO < 1 hour, " + CRITICAL})
        set_status(sid, "Down")
        r = save(sid)
        self.assertEqual((r.json["risk_score"], r.json["risk_level"],
                          r.json["is_critical"]), (80, "High", True))
        self.assertEqual(r.json["reason"],
                         "Service is currently down, High criticality in BIA, "
                         "High impact in BIA: Severe, RTO < 1 hour, "
                         "RPO < 1 hour, " + CRITICAL)
        latest = api("GET", "/api/risk/%d" % sid,
                     token=client.viewer_token()).json
        self.assertEqual((latest["risk_score"], latest["reason"]),
                         (80, r.json["reason"]))

    def test_status_up_does_not_count(self):
        sid = create_service(criticality="Low")
        set_status(sid, "Up")
        r = save(sid)
        self.assertEqual((r.json["risk_score"], r.json["reason"]),
                         (0, "No risks identified"))

    def test_dependencies_down_in_id_order(self):
        sid, want = with_two_dependencies_down()
        r = save(sid)
        self.assertEqual(r.json["risk_score"], 20)
        self.assertTrue(r.json["is_critical"])
        self.assertEqual(r.json["reason"], want)

    def test_dependencies_down_read_from_the_tables_too(self):
        # The view reads the row's outage summary, or the tables when the
        # summary does not reach back (db_view.c): both bring the Down
        # dependencies as rows of their own, each once, in id order.
        sid, want = with_two_dependencies_down()
        path = "/api/services/%d/health" % sid
        r = api("GET", path, token=client.viewer_token())
        self.assertEqual((r.status, r.json["reason"]), (200, want))
        # No summary that reaches back: the tables' way.  sid never had
        # a downtime, so it has no summary row; test_service_summary
        # compares every row with the tables, so this one goes again.
        self.assertEqual(client.sql("SELECT COUNT(*) FROM service_outages "
                                    "WHERE service_id = %d" % sid).strip(),
                         "0")
        self.addCleanup(client.sql, "DELETE FROM service_outages WHERE "
                        "service_id = %d" % sid)
        client.sql("INSERT INTO service_outages (service_id, outages, "
                   "outages_from) VALUES (%d, NULL, NULL)" % sid)
        r = api("GET", path, token=client.viewer_token())
        self.assertEqual((r.status, r.json["reason"]), (200, want))
        self.assertEqual(save(sid).json["reason"], want)

    def test_downtime_in_last_7_days(self):
        sid = create_service()
        now = utcnow()
        r = api("POST", "/api/services/%d/downtime" % sid, {
            "start_time": iso(now - datetime.timedelta(hours=5)),
            "end_time": iso(now - datetime.timedelta(hours=2))},
            token=client.viewer_token())
        self.assertEqual(r.status, 200, r)
        r = save(sid)
        self.assertEqual((r.json["risk_score"], r.json["is_critical"],
                          r.json["reason"]),
                         (20, False,
                          "Frequent or prolonged downtimes in the last 7 days"))

    def test_downtime_clipped_to_7_days(self):
        now = utcnow()
        week = datetime.timedelta(days=7)
        old = create_service()
        api("POST", "/api/services/%d/downtime" % old, {
            "start_time": iso(now - week - datetime.timedelta(hours=10)),
            "end_time": iso(now - week - datetime.timedelta(minutes=5))},
            token=client.viewer_token())
        self.assertEqual(save(old).json["risk_score"], 0)
        straddle = create_service()
        api("POST", "/api/services/%d/downtime" % straddle, {
            "start_time": iso(now - week - datetime.timedelta(hours=10)),
            "end_time": iso(now - week + datetime.timedelta(hours=3))},
            token=client.viewer_token())
        self.assertEqual(save(straddle).json["risk_score"], 20)

    def test_integrations(self):
        four = create_service()
        add_integrations(four, 4)
        r = save(four)
        self.assertEqual((r.json["risk_score"], r.json["is_critical"],
                          r.json["reason"]),
                         (10, False, "High number of integrations"))
        six = create_service()
        add_integrations(six, 6)
        r = save(six)
        self.assertEqual((r.json["risk_score"], r.json["is_critical"],
                          r.json["reason"]),
                         (15, True, "High number of integrations, "
                          "Very high integration complexity, " + CRITICAL))

    def test_stored_and_audited(self):
        sid = create_service(criticality="High")
        r = save(sid)
        self.assertEqual(r.status, 200)
        h = history(sid).json
        self.assertEqual(len(h), 1)
        self.assertEqual((h[0]["source"], h[0]["risk_score"],
                          h[0]["is_critical"], h[0]["reason"]),
                         ("automated", 15, True, r.json["reason"]))
        self.assertTrue(h[0]["created_by"].startswith("ops"))
        self.assertTrue(audit_has("Automated Risk Score Saved", "Risk", sid))


class ManualAdd(unittest.TestCase):
    def setUp(self):
        self.sid = create_service()

    def assert400(self, body, msg):
        r = manual("POST", self.sid, body)
        self.assertEqual((r.status, r.json), (400, {"error": msg}), body)

    def test_success_and_shape(self):
        r = manual("POST", self.sid, {"risk_score": 65, "risk_level": "Medium",
                                      "reason": "Vendor EOL",
                                      "is_critical": True})
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Manual risk score added"}))
        h = history(self.sid).json
        self.assertEqual(len(h), 1)
        rec = h[0]
        self.assertEqual((rec["risk_score"], rec["risk_level"],
                          rec["is_critical"], rec["reason"], rec["source"]),
                         (65, "Medium", True, "Vendor EOL", "manual"))
        self.assertTrue(rec["created_by"].startswith("ops"))
        self.assertTrue(audit_has("Manual Risk Score Added", "Risk", self.sid))

    def test_zero_is_valid(self):
        r = manual("POST", self.sid, {"risk_score": 0, "risk_level": "Low"})
        self.assertEqual(r.status, 200)
        rec = history(self.sid).json[0]
        self.assertEqual((rec["risk_score"], rec["is_critical"],
                          rec["reason"]), (0, False, None))

    def test_digit_string_and_level_case(self):
        r = manual("POST", self.sid, {"risk_score": "100",
                                      "risk_level": "high"})
        self.assertEqual(r.status, 200)
        rec = history(self.sid).json[0]
        self.assertEqual((rec["risk_score"], rec["risk_level"]), (100, "High"))

    def test_required(self):
        msg = "Risk score and risk level are required"
        self.assert400({}, msg)
        self.assert400({"risk_score": 10}, msg)
        self.assert400({"risk_level": "Low"}, msg)
        self.assert400({"risk_score": None, "risk_level": "Low"}, msg)
        self.assert400({"risk_score": 10, "risk_level": None}, msg)
        r = api("POST", "/api/risk/%d/manual" % self.sid,
                token=client.analyst_token())
        self.assertEqual((r.status, r.json), (400, {"error": msg}))

    def test_score_range_and_type(self):
        msg = "Risk score must be an integer between 0 and 100"
        for bad in (-1, 101, "abc", "12abc", 1.5, True, [], "", 10 ** 20):
            self.assert400({"risk_score": bad, "risk_level": "Low"}, msg)

    def test_level(self):
        msg = "Risk level must be Low, Medium, or High"
        for bad in ("Critical", "Lowish"):
            self.assert400({"risk_score": 10, "risk_level": bad}, msg)
        # A required field sent as "" is missing (CONTRACT 9).
        self.assert400({"risk_score": 10, "risk_level": ""},
                       "Risk score and risk level are required")

    def test_optional_field_types(self):
        self.assert400({"risk_score": 1, "risk_level": "Low", "reason": 5},
                       "reason must be a string")
        self.assert400({"risk_score": 1, "risk_level": "Low",
                        "is_critical": "yes"},
                       "is_critical must be a boolean")

    def test_rejected_request_changes_nothing(self):
        self.assert400({"risk_score": 500, "risk_level": "Low"},
                       "Risk score must be an integer between 0 and 100")
        self.assertEqual(history(self.sid).json, [])
        self.assertFalse(audit_has("Manual Risk Score Added", "Risk", self.sid))

    def test_missing_service(self):
        r = manual("POST", MISSING, {"risk_score": 1, "risk_level": "Low"})
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))

    def test_invalid_json(self):
        r = api("POST", "/api/risk/%d/manual" % self.sid, raw="{bad",
                headers={"Content-Type": "application/json"},
                token=client.analyst_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid JSON body"}))


class ManualUpdate(unittest.TestCase):
    def setUp(self):
        self.sid = create_service()

    def test_without_manual_record_adds_one(self):
        # The reference web client only sends PUT: an Ops Analyst must be
        # able to record a first manual score on a service with only
        # automated ones.
        self.assertEqual(save(self.sid).status, 200)
        r = manual("PUT", self.sid, {"risk_score": 5, "risk_level": "Low",
                                     "reason": "reviewed"})
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Manual risk score updated"}))
        h = history(self.sid).json
        self.assertEqual([(x["source"], x["risk_score"], x["reason"])
                          for x in h],
                         [("manual", 5, "reviewed"),
                          ("automated", h[1]["risk_score"], h[1]["reason"])])
        self.assertEqual(len(h), 2)
        self.assertTrue(audit_has("Manual Risk Score Added", "Risk",
                                  self.sid))
        self.assertFalse(audit_has("Manual Risk Score Updated", "Risk",
                                   self.sid))
        # The next PUT updates that record instead of adding another.
        r = manual("PUT", self.sid, {"risk_score": 7, "risk_level": "Low"})
        self.assertEqual(r.status, 200)
        h = history(self.sid).json
        self.assertEqual([(x["source"], x["risk_score"]) for x in h][0],
                         ("manual", 7))
        self.assertEqual(len(h), 2)

    def test_missing_service(self):
        r = manual("PUT", MISSING, {"risk_score": 5, "risk_level": "Low"})
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))

    def test_updates_latest_manual_only(self):
        manual("POST", self.sid, {"risk_score": 10, "risk_level": "Low",
                                  "reason": "first"})
        manual("POST", self.sid, {"risk_score": 20, "risk_level": "Low",
                                  "reason": "second", "is_critical": True})
        save(self.sid)
        r = manual("PUT", self.sid, {"risk_score": 90, "risk_level": "High"})
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Manual risk score updated"}))
        h = history(self.sid).json
        self.assertEqual([(x["source"], x["risk_score"]) for x in h],
                         [("automated", 0), ("manual", 90), ("manual", 10)])
        # Absent reason and is_critical are kept (partial update).
        self.assertEqual((h[1]["reason"], h[1]["is_critical"],
                          h[1]["risk_level"]), ("second", True, "High"))
        self.assertEqual(h[2]["reason"], "first")
        self.assertTrue(audit_has("Manual Risk Score Updated", "Risk",
                                  self.sid))

    def test_null_reason_clears(self):
        manual("POST", self.sid, {"risk_score": 10, "risk_level": "Low",
                                  "reason": "x"})
        r = manual("PUT", self.sid, {"risk_score": 0, "risk_level": "Low",
                                     "reason": None, "is_critical": False})
        self.assertEqual(r.status, 200)
        rec = history(self.sid).json[0]
        self.assertEqual((rec["risk_score"], rec["reason"]), (0, None))

    def test_validation(self):
        manual("POST", self.sid, {"risk_score": 10, "risk_level": "Low"})
        for body, msg in (
                ({"risk_level": "Low"},
                 "Risk score and risk level are required"),
                ({"risk_score": 101, "risk_level": "Low"},
                 "Risk score must be an integer between 0 and 100"),
                ({"risk_score": 1, "risk_level": "Severe"},
                 "Risk level must be Low, Medium, or High")):
            r = manual("PUT", self.sid, body)
            self.assertEqual((r.status, r.json), (400, {"error": msg}))
        self.assertEqual(history(self.sid).json[0]["risk_score"], 10)


class History(unittest.TestCase):
    def test_missing_service(self):
        r = history(MISSING)
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))

    def test_empty(self):
        r = history(create_service())
        self.assertEqual((r.status, r.json), (200, []))
        self.assertEqual(r.headers["X-Total-Count"], "0")

    def test_newest_first_and_paginated(self):
        sid = create_service()
        for score in (1, 2, 3, 4, 5):
            manual("POST", sid, {"risk_score": score, "risk_level": "Low"})
        r = history(sid)
        self.assertEqual([x["risk_score"] for x in r.json], [5, 4, 3, 2, 1])
        self.assertTrue(all(set(x) == RECORD_KEYS for x in r.json))
        r = history(sid, "?page=2&per_page=2")
        self.assertEqual([x["risk_score"] for x in r.json], [3, 2])
        self.assertEqual(r.headers["X-Total-Count"], "5")
        link = r.headers["Link"]
        for rel in ("first", "prev", "next", "last"):
            self.assertIn('rel="%s"' % rel, link)
        self.assertIn("/api/risk/%d/history?page=3&per_page=2>; rel=\"last\""
                      % sid, link)
        # The count rides on the page's rows; past the end it is asked
        # alone, with whether the service exists.
        r = history(sid, "?page=9&per_page=2")
        self.assertEqual((r.status, r.json, r.headers["X-Total-Count"]),
                         (200, [], "5"))
        r = history(999999999)
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))

    def test_bad_page(self):
        r = history(create_service(), "?page=0")
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid page or per_page"}))


if __name__ == "__main__":
    unittest.main()
