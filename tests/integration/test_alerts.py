"""CONTRACT section 4 (alerts, SLA breaches) through nginx: listing
with the acknowledged filter, acknowledging and reopening, the breach
list, and the unique keys that keep the daemon from storing repeats.
The daemon creates alerts and breaches in production; here they are
seeded with SQL, dated in the past so that they never come first in
another suite's "newest first" list, and their downtimes are closed so
that no daemon run takes them for live outages."""

import unittest

import client
from client import api, create_service

MISSING = 999999999
ALERT_KEYS = {"id", "service_id", "type", "message", "severity",
              "created_at", "acknowledged", "acknowledged_by",
              "acknowledged_at"}
BREACH_KEYS = {"id", "service_id", "downtime_id", "type", "downtime_minutes",
               "threshold_minutes", "start_time", "end_time", "reason",
               "created_at"}


def q(s):
    """A SQL string literal (the tests' own values only)."""
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def seed_alert(sid, type_="StatusChange", severity="Warning", cause="",
               message="Service is Degraded", created_at="2020-01-01 08:00:00",
               acknowledged=False):
    at = q(created_at)
    out = client.sql(
        "INSERT INTO alerts (service_id, type, message, severity, cause, "
        "created_at, acknowledged) VALUES (%d, %s, %s, %s, %s, %s, %d); "
        "%s; SELECT LAST_INSERT_ID();"
        % (sid, q(type_), q(message), q(severity), q(cause), at,
           1 if acknowledged else 0,
           client.counted(*(("alerts",) if acknowledged else
                            ("alerts", "alerts_open")))))
    return int(out.split()[-1])


def seed_breach(sid, type_="RTO", minutes=90, threshold=60,
                created_at="2020-01-01 10:30:00", end="2020-01-01 10:30:00"):
    out = client.sql(
        "INSERT INTO downtimes (service_id, start_time, end_time, reason, "
        "source, created_at) VALUES (%d, '2020-01-01 09:00:00', "
        "'2020-01-01 10:30:00', 'Disk full', 'manual', UTC_TIMESTAMP()); "
        "SELECT LAST_INSERT_ID();" % sid)
    did = int(out.split()[-1])
    out = client.sql(
        "INSERT INTO sla_breaches (service_id, downtime_id, type, "
        "downtime_minutes, threshold_minutes, start_time, end_time, reason, "
        "created_at) VALUES (%d, %d, %s, %d, %d, '2020-01-01 09:00:00', %s, "
        "'Disk full', %s); %s; SELECT LAST_INSERT_ID();"
        % (sid, did, q(type_), minutes, threshold, q(end) if end else "NULL",
           q(created_at), client.counted("sla_breaches")))
    return did, int(out.split()[-1])


def alerts(query="", token=None):
    sep = "&" if "?" in query else "?"
    return api("GET", "/api/alerts" + query + sep + "per_page=1000",
               token=token or client.viewer_token())


def mine(rows, sids):
    return [r for r in rows if r["service_id"] in sids]


def ack(body, token=None):
    return api("PUT", "/api/alerts", body,
               token=token or client.analyst_token())


def audit_entries(action, entity, entity_id):
    r = api("GET", "/api/audit?per_page=1000", token=client.viewer_token())
    return [e for e in r.json if e["action"] == action
            and e["entity"] == entity and e["entity_id"] == entity_id]


class List(unittest.TestCase):
    def setUp(self):
        self.sid = create_service()
        self.old = seed_alert(self.sid, created_at="2020-01-01 10:00:00")
        self.new = seed_alert(self.sid, "HighRisk", "Critical",
                              message="Risk score 85",
                              created_at="2020-01-01 11:00:00")
        self.done = seed_alert(self.sid, "Critical", "Info",
                               created_at="2020-01-01 10:30:00",
                               acknowledged=True)

    def test_no_token(self):
        r = api("GET", "/api/alerts")
        self.assertEqual(r.status, 401)

    def test_newest_first_and_shape(self):
        r = alerts()
        self.assertEqual(r.status, 200)
        rows = mine(r.json, {self.sid})
        self.assertEqual([x["id"] for x in rows],
                         [self.new, self.done, self.old])
        self.assertTrue(all(set(x) == ALERT_KEYS for x in rows))
        self.assertEqual(rows[0], {
            "id": self.new, "service_id": self.sid, "type": "HighRisk",
            "message": "Risk score 85", "severity": "Critical",
            "created_at": "2020-01-01T11:00:00Z", "acknowledged": False,
            "acknowledged_by": None, "acknowledged_at": None})

    def test_filter(self):
        rows = mine(alerts("?acknowledged=false").json, {self.sid})
        self.assertEqual([x["id"] for x in rows], [self.new, self.old])
        rows = mine(alerts("?acknowledged=true").json, {self.sid})
        self.assertEqual([x["id"] for x in rows], [self.done])
        # Python clients send their booleans capitalised.
        rows = mine(alerts("?acknowledged=False").json, {self.sid})
        self.assertEqual(len(rows), 2)

    def test_filter_counts(self):
        r = alerts("?acknowledged=false")
        total = int(client.sql("SELECT COUNT(*) FROM alerts "
                               "WHERE acknowledged = 0").split()[0])
        self.assertEqual(int(r.headers["X-Total-Count"]), total)
        self.assertTrue(all(not x["acknowledged"] for x in r.json))

    def test_bad_filter(self):
        for bad in ("yes", "1", "", "%00"):
            r = api("GET", "/api/alerts?acknowledged=" + bad,
                    token=client.viewer_token())
            self.assertEqual((r.status, r.json), (400, {
                "error": "acknowledged must be true or false"}), bad)

    def test_pagination(self):
        r = api("GET", "/api/alerts?per_page=1", token=client.viewer_token())
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json), 1)
        self.assertGreaterEqual(int(r.headers["X-Total-Count"]), 3)
        self.assertIn('rel="next"', r.headers["Link"])
        self.assertNotIn('rel="prev"', r.headers["Link"])
        r = api("GET", "/api/alerts?per_page=x", token=client.viewer_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid page or per_page"}))


class Acknowledge(unittest.TestCase):
    def setUp(self):
        self.sid = create_service()
        self.aid = seed_alert(self.sid, cause="Degraded")

    def row(self):
        out = client.sql("SELECT acknowledged, IFNULL(acknowledged_by, '-'), "
                         "acknowledged_at IS NOT NULL FROM alerts "
                         "WHERE id = %d" % self.aid)
        return out.split()

    def test_acknowledge(self):
        r = ack({"id": self.aid, "acknowledged": True})
        self.assertEqual((r.status, r.json), (200, {"message": "Alert updated"}))
        acked, by, at = self.row()
        self.assertEqual((acked, at), ("1", "1"))
        self.assertTrue(by.startswith("ops"))
        rows = mine(alerts("?acknowledged=true").json, {self.sid})
        self.assertEqual([x["id"] for x in rows], [self.aid])
        self.assertEqual(rows[0]["acknowledged_by"], by)
        self.assertRegex(rows[0]["acknowledged_at"], r"Z$")
        # entity_id is the alert's service (the seed says so).
        self.assertEqual(len(audit_entries("Alert Acknowledged", "Alert",
                                           self.sid)), 1)

    def test_acknowledged_defaults_to_true(self):
        r = ack({"id": str(self.aid)})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.row()[0], "1")

    def test_repeat_writes_nothing(self):
        ack({"id": self.aid, "acknowledged": True})
        r = ack({"id": self.aid, "acknowledged": True})
        self.assertEqual((r.status, r.json), (200, {"message": "Alert updated"}))
        self.assertEqual(len(audit_entries("Alert Acknowledged", "Alert",
                                           self.sid)), 1)

    def test_reopen(self):
        ack({"id": self.aid})
        r = ack({"id": self.aid, "acknowledged": False})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.row(), ["0", "-", "0"])
        self.assertEqual(len(audit_entries("Alert Acknowledged", "Alert",
                                           self.sid)), 2)

    def test_reopen_conflicts_with_open_alert(self):
        ack({"id": self.aid})
        newer = seed_alert(self.sid, cause="Degraded")
        r = ack({"id": self.aid, "acknowledged": False})
        self.assertEqual((r.status, r.json), (409, {
            "error": "An open alert of this kind already exists"}))
        self.assertEqual(self.row()[0], "1")
        # Another cause is another kind.
        ack({"id": newer})
        other = seed_alert(self.sid, cause="Down")
        self.assertEqual(ack({"id": newer, "acknowledged": False}).status, 200)
        self.assertNotEqual(other, newer)

    def test_validation(self):
        for body, msg in (({}, "Alert ID is required"),
                          ({"id": None}, "Alert ID is required"),
                          ({"id": ""}, "Alert ID is required"),
                          ({"acknowledged": True}, "Alert ID is required"),
                          ({"id": "7x"}, "id must be an integer"),
                          ({"id": 1.5}, "id must be an integer"),
                          ({"id": self.aid, "acknowledged": "true"},
                           "acknowledged must be a boolean")):
            r = ack(body)
            self.assertEqual((r.status, r.json), (400, {"error": msg}), body)
        self.assertEqual(self.row()[0], "0")

    def test_not_found(self):
        for aid in (MISSING, 0, -4):
            r = ack({"id": aid})
            self.assertEqual((r.status, r.json),
                             (404, {"error": "Alert not found"}))

    def test_permissions(self):
        self.assertEqual(api("PUT", "/api/alerts", {"id": self.aid}).status,
                         401)
        for token in (client.viewer_token(), client.owner_token(),
                      client.engineer_token()):
            for aid in (self.aid, MISSING):
                r = ack({"id": aid}, token=token)
                self.assertEqual((r.status, r.json),
                                 (403, {"error": "Forbidden"}))
        self.assertEqual(self.row()[0], "0")
        self.assertEqual(ack({"id": self.aid},
                             token=client.admin_token()).status, 200)


class Dedup(unittest.TestCase):
    """The unique keys the daemon's store functions rely on."""

    def test_one_open_alert_per_service_type_cause(self):
        sid = create_service()
        first = seed_alert(sid, "SLA_RTO", "Critical", cause="42")
        with self.assertRaisesRegex(RuntimeError, "Duplicate entry"):
            seed_alert(sid, "SLA_RTO", "Critical", cause="42")
        seed_alert(sid, "SLA_RTO", "Critical", cause="43")
        seed_alert(sid, "SLA_RPO", "Critical", cause="42")
        self.assertEqual(ack({"id": first}).status, 200)
        again = seed_alert(sid, "SLA_RTO", "Critical", cause="42")
        self.assertGreater(again, first)
        # Acknowledged alerts of one kind may pile up.
        seed_alert(sid, "SLA_RTO", "Critical", cause="42", acknowledged=True)
        seed_alert(sid, "SLA_RTO", "Critical", cause="42", acknowledged=True)

    def test_one_breach_per_downtime_and_type(self):
        sid = create_service()
        did, _ = seed_breach(sid, "RTO")
        stmt = ("INSERT INTO sla_breaches (service_id, downtime_id, type, "
                "downtime_minutes, threshold_minutes, start_time, created_at) "
                "VALUES (%d, %d, '%%s', 1, 1, UTC_TIMESTAMP(), "
                "UTC_TIMESTAMP()); " % (sid, did)
                + client.counted("sla_breaches"))
        with self.assertRaisesRegex(RuntimeError, "Duplicate entry"):
            client.sql(stmt % "RTO")
        client.sql(stmt % "RPO")


class Breaches(unittest.TestCase):
    def test_no_token(self):
        self.assertEqual(api("GET", "/api/alerts/sla_breaches").status, 401)

    def test_list(self):
        sid = create_service()
        d1, b1 = seed_breach(sid, "RTO", 90, 60,
                             created_at="2020-01-01 10:30:00")
        d2, b2 = seed_breach(sid, "RPO", 45, 30,
                             created_at="2020-01-02 10:30:00", end=None)
        r = api("GET", "/api/alerts/sla_breaches?per_page=1000",
                token=client.viewer_token())
        self.assertEqual(r.status, 200)
        rows = mine(r.json, {sid})
        self.assertEqual([x["id"] for x in rows], [b2, b1])
        self.assertTrue(all(set(x) == BREACH_KEYS for x in rows))
        self.assertEqual(rows[1], {
            "id": b1, "service_id": sid, "downtime_id": d1, "type": "RTO",
            "downtime_minutes": 90, "threshold_minutes": 60,
            "start_time": "2020-01-01T09:00:00Z",
            "end_time": "2020-01-01T10:30:00Z", "reason": "Disk full",
            "created_at": "2020-01-01T10:30:00Z"})
        self.assertIsNone(rows[0]["end_time"])
        self.assertEqual(rows[0]["downtime_id"], d2)

    def test_pagination(self):
        sid = create_service()
        seed_breach(sid)
        seed_breach(sid)
        r = api("GET", "/api/alerts/sla_breaches?per_page=1",
                token=client.viewer_token())
        self.assertEqual(len(r.json), 1)
        total = int(client.sql("SELECT COUNT(*) FROM sla_breaches").split()[0])
        self.assertEqual(int(r.headers["X-Total-Count"]), total)
        self.assertIn('rel="last"', r.headers["Link"])

    def test_deleted_with_service(self):
        sid = create_service()
        seed_breach(sid)
        aid = seed_alert(sid)
        r = api("DELETE", "/api/services/%d" % sid, token=client.owner_token())
        self.assertEqual(r.status, 200)
        self.assertEqual(mine(api(
            "GET", "/api/alerts/sla_breaches?per_page=1000",
            token=client.viewer_token()).json, {sid}), [])
        self.assertEqual(ack({"id": aid}).status, 404)


if __name__ == "__main__":
    unittest.main()


class Written(unittest.TestCase):
    """Both lists are written with util/jsonw (issue 13): byte for byte
    the compact text json-c wrote before, members in its order, awkward
    messages escaped as it escaped them, nulls where a value is absent."""

    ALERT_ORDER = ["id", "service_id", "type", "message", "severity",
                   "created_at", "acknowledged", "acknowledged_by",
                   "acknowledged_at"]
    BREACH_ORDER = ["id", "service_id", "downtime_id", "type",
                    "downtime_minutes", "threshold_minutes", "start_time",
                    "end_time", "reason", "created_at"]

    def test_text_is_json_c_text(self):
        from test_jsonw_list import AWKWARD, json_c_of, ordered
        sid = create_service()
        made = [seed_alert(sid, cause=str(k),
                           created_at="2020-01-02 0%d:00:00" % k)
                for k in range(len(AWKWARD))]
        # The message set apart, in a session that speaks utf8mb4 (the
        # client's default charset cannot carry the emoji).
        for i, (name, desc) in zip(made, AWKWARD):
            client.sql("SET NAMES utf8mb4; UPDATE alerts SET message = %s "
                       "WHERE id = %d" % (q(name + (desc or "")), i))
        acked = seed_alert(sid, cause="acked", acknowledged=True)
        client.sql("UPDATE alerts SET acknowledged_by = 'o''brien \"x\"', "
                   "acknowledged_at = '2020-01-03 04:05:06' WHERE id = %d"
                   % acked)
        _, open_breach = seed_breach(sid, end=None)
        _, closed = seed_breach(sid, type_="RPO")
        for path, order, ids in (
                ("/api/alerts?per_page=1000", self.ALERT_ORDER,
                 made + [acked]),
                ("/api/alerts/sla_breaches?per_page=1000", self.BREACH_ORDER,
                 [open_breach, closed])):
            r = api("GET", path, token=client.viewer_token())
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.body, json_c_of(r.body), path)
            items = {dict(i)["id"]: i for i in ordered(r.text)}
            for i in ids:
                self.assertEqual([k for k, _ in items[i]], order, path)
        r = api("GET", "/api/alerts?per_page=1000", token=client.viewer_token())
        got = {a["id"]: a for a in r.json}
        for i, (name, desc) in zip(made, AWKWARD):
            self.assertEqual(got[i]["message"], name + (desc or ""))
            self.assertIsNone(got[i]["acknowledged_by"])
            self.assertIsNone(got[i]["acknowledged_at"])
        self.assertEqual((got[acked]["acknowledged_by"],
                          got[acked]["acknowledged_at"]),
                         ('o\'brien "x"', "2020-01-03T04:05:06Z"))
        r = api("GET", "/api/alerts/sla_breaches?per_page=1000",
                token=client.viewer_token())
        got = {b["id"]: b for b in r.json}
        self.assertIsNone(got[open_breach]["end_time"])
        self.assertEqual(got[closed]["end_time"], "2020-01-01T10:30:00Z")
        self.assertIn(b"\\u0001\\u0002", api(
            "GET", "/api/alerts?per_page=1000",
            token=client.viewer_token()).body)
