"""The kept totals of the alert, SLA breach, integration, incident,
maintenance and subscriber lists (sql/029, 031, issue 13): every writer
of those tables moves the counters in its own transaction (src/db/db.c
db_count, written just before COMMIT), so the lists' totals never count
a table.  Each test writes through one writer and then compares the
counters, and every list's X-Total-Count, with COUNT(*) over the tables;
`resilops-admin recount` repairs them after a change behind resilops's
back."""

import time
import unittest

import client
from client import api, create_service, engineer_token, owner_token, \
    viewer_token
from test_sched import T0_EPOCH, beat_at, iso, once, release_lease

TABLES = {
    "alerts": "SELECT COUNT(*) FROM alerts",
    "alerts_open": "SELECT COUNT(*) FROM alerts WHERE acknowledged = 0",
    "sla_breaches": "SELECT COUNT(*) FROM sla_breaches",
    "integrations": "SELECT COUNT(*) FROM integrations",
    "incidents": "SELECT COUNT(*) FROM incidents",
    "maintenance": "SELECT COUNT(*) FROM maintenance",
    "subscribers": "SELECT COUNT(*) FROM subscribers",
}


def kept():
    out = client.sql("SELECT name, n FROM counters WHERE name IN (%s) "
                     "ORDER BY name" % ", ".join("'%s'" % k for k in TABLES))
    return {k: int(v) for k, v in (line.split("\t")
                                   for line in out.splitlines())}


def counted():
    out = client.sql("SELECT " + ", ".join("(%s)" % q
                                           for q in TABLES.values()))
    return dict(zip(TABLES, (int(x) for x in out.split())))


def total(path, token=None):
    sep = "&" if "?" in path else "?"
    r = api("GET", path + sep + "per_page=1", token=token or viewer_token())
    assert r.status == 200, r
    return int(r.headers["X-Total-Count"])


def alert_ids(sid):
    return [int(x) for x in client.sql(
        "SELECT id FROM alerts WHERE service_id = %d ORDER BY id"
        % sid).split()]


def ack(aid, acknowledged=True):
    return api("PUT", "/api/alerts", {"id": aid,
                                      "acknowledged": acknowledged},
               token=client.analyst_token())


def add_integration(sid):
    r = api("POST", "/api/services/integrations",
            {"service_id": sid, "type": "AWS", "config": {"region": "x"}},
            token=engineer_token())
    assert r.status == 201, r


class Counters(unittest.TestCase):
    def setUp(self):
        release_lease()

    def assertExact(self):
        """The counters are the tables' counts, and so is every total."""
        tables = counted()
        self.assertEqual(kept(), tables)
        self.assertEqual(total("/api/alerts"), tables["alerts"])
        self.assertEqual(total("/api/alerts?acknowledged=false"),
                         tables["alerts_open"])
        self.assertEqual(total("/api/alerts?acknowledged=true"),
                         tables["alerts"] - tables["alerts_open"])
        self.assertEqual(total("/api/alerts/sla_breaches"),
                         tables["sla_breaches"])
        self.assertEqual(total("/api/services/integrations",
                               engineer_token()), tables["integrations"])
        self.assertEqual(total("/api/incidents"), tables["incidents"])
        self.assertEqual(total("/api/maintenance"), tables["maintenance"])
        self.assertEqual(total("/api/subscribers", client.admin_token()),
                         tables["subscribers"])
        return tables

    def test_the_daemons_status_and_breach_alerts(self):
        sid = create_service(rto=10, rpo=5)
        beat_at(sid)
        before = self.assertExact()
        once(T0_EPOCH + 301)            # Degraded
        once(T0_EPOCH + 601)            # Down, an outage opened
        once(T0_EPOCH + 601 + 3600)     # its RTO and RPO breached
        after = self.assertExact()
        self.assertGreaterEqual(after["alerts"] - before["alerts"], 4)
        self.assertGreaterEqual(after["sla_breaches"]
                                - before["sla_breaches"], 2)
        # A tick with nothing new stores nothing, and counts nothing.
        once(T0_EPOCH + 601 + 3600)
        self.assertEqual(self.assertExact(), after)

    def test_risk_and_maintenance_alerts(self):
        sid = create_service(criticality="High", impact="Severe", rto=10,
                             rpo=10)
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
        now = int(time.time())
        r = api("POST", "/api/maintenance", {
            "title": "Counted", "message": "m", "service_ids": [sid],
            "starts_at": iso(now + 60), "ends_at": iso(now + 3600)},
            token=client.analyst_token())
        self.assertEqual(r.status, 201, r)
        once(now)
        once(now + 120)
        types = client.sql("SELECT DISTINCT type FROM alerts WHERE "
                           "service_id = %d" % sid).split()
        self.assertIn("HighRisk", types)
        self.assertIn("Maintenance", types)
        self.assertExact()

    def test_acknowledge_reopen_and_a_refused_reopen(self):
        sid = create_service(criticality="High", impact="Severe", rto=10,
                             rpo=10)
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
        once(int(time.time()))
        first = alert_ids(sid)[0]
        self.assertEqual(ack(first).status, 200)
        tables = self.assertExact()
        # Acknowledging again changes nothing and counts nothing.
        self.assertEqual(ack(first).status, 200)
        self.assertEqual(self.assertExact(), tables)
        self.assertEqual(ack(first, False).status, 200)
        self.assertEqual(self.assertExact()["alerts_open"],
                         tables["alerts_open"] + 1)
        # An open alert of the same kind came meanwhile: reopening the
        # old one is refused (409) and its transaction rolled back.
        self.assertEqual(ack(first).status, 200)
        client.sql("INSERT INTO alerts (service_id, type, message, severity, "
                   "cause, created_at) SELECT service_id, type, message, "
                   "severity, cause, created_at FROM alerts WHERE id = %d"
                   % first)
        client.admin_cli("recount")
        tables = self.assertExact()
        self.assertEqual(ack(first, False).status, 409)
        self.assertEqual(self.assertExact(), tables)

    def test_a_manual_escalations_alert(self):
        sid = create_service()
        r = api("POST", "/api/tickets", {
            "title": "Counted escalation", "priority": "HIGH",
            "service_id": sid}, token=client.admin_token())
        self.assertEqual(r.status, 201, r)
        r = api("POST", "/api/tickets/%d/escalate" % r.json["id"],
                token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(client.sql("SELECT type FROM alerts WHERE "
                                    "service_id = %d" % sid).split(),
                         ["TicketEscalated"])
        self.assertExact()

    def test_integrations_added_and_deleted(self):
        sid = create_service()
        before = self.assertExact()
        add_integration(sid)
        add_integration(sid)
        self.assertEqual(self.assertExact()["integrations"],
                         before["integrations"] + 2)
        iid = int(client.sql("SELECT MAX(id) FROM integrations WHERE "
                             "service_id = %d" % sid))
        r = api("DELETE", "/api/services/integrations/%d" % iid,
                token=engineer_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.assertExact()["integrations"],
                         before["integrations"] + 1)

    def test_a_services_delete_takes_its_rows_out_of_the_counts(self):
        sid = create_service(rto=10, rpo=5, criticality="High",
                             impact="Severe")
        beat_at(sid)
        once(T0_EPOCH + 601)
        once(T0_EPOCH + 601 + 3600)
        self.assertEqual(ack(alert_ids(sid)[0]).status, 200)
        add_integration(sid)
        mine = client.sql(
            "SELECT (SELECT COUNT(*) FROM alerts WHERE service_id = %d), "
            "(SELECT COUNT(*) FROM alerts WHERE service_id = %d AND "
            "acknowledged = 1), (SELECT COUNT(*) FROM sla_breaches WHERE "
            "service_id = %d)" % (sid, sid, sid)).split()
        self.assertTrue(all(int(x) > 0 for x in mine), mine)
        before = self.assertExact()
        r = api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertEqual(r.status, 200, r)
        after = self.assertExact()
        self.assertEqual(before["alerts"] - after["alerts"], int(mine[0]))
        self.assertEqual(before["integrations"] - after["integrations"], 1)
        # Deleting it again finds nothing and counts nothing.
        r = api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertEqual(r.status, 404)
        self.assertEqual(self.assertExact(), after)

    def test_the_daemons_incident_drafts(self):
        sid = create_service(public=True)
        beat_at(sid)
        before = self.assertExact()
        once(T0_EPOCH + 11 * 60)        # Down: a draft offered
        after = self.assertExact()
        self.assertGreaterEqual(after["incidents"] - before["incidents"], 1)

    def test_recount_repairs_a_change_behind_the_writers(self):
        sid = create_service()
        client.sql("INSERT INTO alerts (service_id, type, message, severity, "
                   "created_at) VALUES (%d, 'StatusChange', 'by hand', "
                   "'Info', UTC_TIMESTAMP())" % sid)
        self.assertNotEqual(kept(), counted())
        r = client.admin_cli("recount")
        self.assertIn("alerts", r.stdout)
        self.assertIn("(was off)", r.stdout)
        tables = self.assertExact()
        r = client.admin_cli("recount")
        self.assertNotIn("(was off)", r.stdout)
        self.assertEqual(self.assertExact(), tables)


if __name__ == "__main__":
    unittest.main()
