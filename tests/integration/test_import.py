"""Moving over (issue 12): `resilops-admin import` from a ResilientOps /
Service Risk MySQL database and an SLA Guard SQLite file, both built here
from the seeds' schemas.  A dry run writes nothing and prints the counts;
the import keeps relations (dependencies, BIA, status, downtimes,
tickets' assignees, activity, notifications) and passwords (Werkzeug and
bcrypt hashes log in); a second import changes nothing."""

import hashlib
import os
import re
import sqlite3
import tempfile
import unittest

import client
from client import api, unique_name
from test_service_pages import STRIDE, assert_anchors_exact, ranked_ids

# Published crypt_blowfish vector: "U*U" under this salt, cost 5.
BCRYPT = "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"

# The Flask models of resilientops-api.md as Flask-SQLAlchemy creates them.
FLASK_SCHEMA = """
CREATE TABLE user (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(80) NOT NULL UNIQUE, password VARCHAR(200) NOT NULL,
  role VARCHAR(20) NOT NULL);
CREATE TABLE service (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL, description TEXT, created_by VARCHAR(100));
CREATE TABLE service_dependencies (service_id INT NOT NULL,
  dependency_id INT NOT NULL, PRIMARY KEY (service_id, dependency_id),
  FOREIGN KEY (service_id) REFERENCES service (id),
  FOREIGN KEY (dependency_id) REFERENCES service (id));
CREATE TABLE bia (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  service_id INT NOT NULL, criticality VARCHAR(20), impact VARCHAR(50),
  rto INT, rpo INT, signed_off BOOL DEFAULT 0,
  FOREIGN KEY (service_id) REFERENCES service (id));
CREATE TABLE status (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  service_id INT NOT NULL, status VARCHAR(20), last_updated DATETIME,
  FOREIGN KEY (service_id) REFERENCES service (id));
CREATE TABLE downtime (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  service_id INT NOT NULL, start_time DATETIME NOT NULL, end_time DATETIME,
  reason VARCHAR(255), FOREIGN KEY (service_id) REFERENCES service (id));
CREATE TABLE integration (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  service_id INT NOT NULL, type VARCHAR(50), config JSON,
  created_by VARCHAR(100), created_at DATETIME);
CREATE TABLE risk (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  service_id INT NOT NULL, risk_score INT NOT NULL,
  risk_level VARCHAR(20) NOT NULL, reason TEXT, is_critical BOOL DEFAULT 0,
  source VARCHAR(20) DEFAULT 'automated', created_by VARCHAR(100),
  created_at DATETIME);
CREATE TABLE audit_log (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  action VARCHAR(100) NOT NULL, entity VARCHAR(50) NOT NULL,
  entity_id INT NOT NULL, timestamp DATETIME NOT NULL, user_id INT NOT NULL);
"""

# SLA Guard's SQLAlchemy models (sla-guard-backend.md) on SQLite.
SLAGUARD_SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR UNIQUE NOT NULL,
  name VARCHAR NOT NULL, hashed_password VARCHAR NOT NULL,
  role VARCHAR(17) NOT NULL, created_at DATETIME);
CREATE TABLE tickets (id INTEGER PRIMARY KEY, title VARCHAR NOT NULL,
  customer VARCHAR NOT NULL, description TEXT, priority VARCHAR(8) NOT NULL,
  status VARCHAR(11) NOT NULL, assignee_id INTEGER REFERENCES users (id),
  sla_limit_hours INTEGER NOT NULL, risk_level VARCHAR(9),
  created_at DATETIME, updated_at DATETIME, resolved_at DATETIME);
CREATE TABLE sla_configurations (id INTEGER PRIMARY KEY,
  priority VARCHAR(8) UNIQUE NOT NULL, sla_hours INTEGER NOT NULL);
CREATE TABLE notifications (id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id), message TEXT NOT NULL,
  type VARCHAR(7), read BOOLEAN, created_at DATETIME);
CREATE TABLE activity_logs (id INTEGER PRIMARY KEY,
  ticket_id INTEGER REFERENCES tickets (id),
  user_id INTEGER REFERENCES users (id), action VARCHAR NOT NULL,
  details TEXT, timestamp DATETIME);
"""


def werkzeug(password, salt="Zx9salt", iterations=1000):
    dk = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(),
                             iterations)
    return "pbkdf2:sha256:%d$%s$%s" % (iterations, salt, dk.hex())


def counts(text, source):
    """{table: (new, already)} of one source's block of the report."""
    lines = ("\n" + text).split("\n" + source + " (", 1)[1].split("\n")[1:]
    out = {}
    for line in lines:
        if not line.startswith("  "):
            break
        m = re.match(r"  ([a-z ]+): (\d+) new, (\d+) already imported", line)
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


class Import(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tag = unique_name("imp").split("_")[-1]
        cls.db = "legacy_%s" % tag
        cls.tag = tag
        client.sql("CREATE DATABASE %s" % cls.db)
        for host in client.sql("SELECT host FROM mysql.user WHERE user = "
                               "'resilops'").split():
            client.sql("GRANT SELECT ON %s.* TO 'resilops'@'%s'" %
                       (cls.db, host))
        cls.flask_pw = "an old flask password"
        cls.flask_user = "flask_" + tag
        # The same person in both: one account, ResilientOps's.
        cls.both = "both_%s@example.com" % tag
        cls.sla_user = "tech_%s@example.com" % tag
        q = "USE %s;" % cls.db + FLASK_SCHEMA + """
INSERT INTO user VALUES (1, '{u}', '{h}', 'Business Owner'),
  (2, '{b}', '{h}', 'Ops Analyst');
INSERT INTO service VALUES (1, 'db-{t}', 'the database', '{u}'),
  (2, 'api-{t}', 'the API', '{u}'), (3, 'web-{t}', NULL, '{u}');
INSERT INTO service_dependencies VALUES (2, 1), (3, 2);
INSERT INTO bia VALUES (1, 1, 'High', 'Severe', 30, 15, 1),
  (2, 2, 'medium', 'Moderate', 60, 30, 0);
INSERT INTO status VALUES (1, 1, 'Healthy', '2025-01-01 10:00:00'),
  (2, 2, 'Down', '2025-01-01 11:00:00');
INSERT INTO downtime VALUES
  (1, 2, '2025-01-01 11:00:00', '2025-01-01 12:30:00', 'disk full'),
  (2, 2, '2025-01-02 09:00:00', NULL, NULL);
INSERT INTO risk VALUES (1, 1, 80, 'High', 'single node', 1, 'manual',
  '{u}', '2025-01-01 10:00:00');
INSERT INTO integration VALUES (1, 1, 'Slack',
  '{{"webhook_url": "https://hooks.example.com/x"}}', '{u}',
  '2025-01-01 10:00:00'),
  (2, 1, 'Webhook', '{{"webhook_url": "http://10.9.9.9/hook"}}', '{u}',
  '2025-01-01 10:00:00');
INSERT INTO audit_log VALUES (1, 'Service Created', 'Service', 1,
  '2025-01-01 10:00:00', 1);
""".format(u=cls.flask_user, b=cls.both, t=tag, h=werkzeug(cls.flask_pw))
        client.sql(q)
        cls.dir = tempfile.mkdtemp()
        cls.sqlite = os.path.join(cls.dir, "sla_guard.db")
        f = sqlite3.connect(cls.sqlite)
        f.executescript(SLAGUARD_SCHEMA)
        f.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", [
            (1, cls.sla_user, "Tess Tech", BCRYPT, "TECHNICIAN",
             "2025-02-01 08:00:00.123456"),
            (2, cls.both, "Bo Both", BCRYPT, "MANAGER",
             "2025-02-01 08:00:00")])
        f.executemany("INSERT INTO sla_configurations VALUES (?, ?, ?)", [
            (1, "LOW", 48), (2, "MEDIUM", 24), (3, "HIGH", 8),
            (4, "CRITICAL", 4)])
        f.executemany("INSERT INTO tickets VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                      "?, ?, ?, ?)", [
            (1, "Printer on fire " + tag, "Acme", "smoke", "HIGH",
             "IN_PROGRESS", 1, 8, "BREACHED", "2025-02-02 08:00:00",
             "2025-02-02 09:00:00", None),
            (2, "Password reset " + tag, "Acme", None, "LOW", "RESOLVED",
             2, 48, "SAFE", "2025-02-03 08:00:00", "2025-02-03 10:00:00",
             "2025-02-03 10:00:00")])
        f.executemany("INSERT INTO activity_logs VALUES (?, ?, ?, ?, ?, ?)", [
            (1, 1, 2, "created", "Ticket created", "2025-02-02 08:00:00"),
            (2, 1, 1, "status_changed", "OPEN -> IN_PROGRESS",
             "2025-02-02 09:00:00"),
            (3, 2, 2, "resolved", None, "2025-02-03 10:00:00")])
        f.executemany("INSERT INTO notifications VALUES (?, ?, ?, ?, ?, ?)", [
            (1, 1, "Ticket assigned to you", "INFO", 0,
             "2025-02-02 08:00:00"),
            (2, 2, "Ticket breached", "ALERT", 1, "2025-02-02 16:00:00")])
        f.commit()
        f.close()
        cls.conf = os.path.join(cls.dir, "legacy.conf")
        with open(cls.conf, "w") as f:
            for k in ("host", "port", "socket", "user", "password"):
                v = client.conf_value_or_none("database", k)
                if v:
                    f.write("%s = %s\n" % (k, v))
            f.write("database = %s\n" % cls.db)
        os.chmod(cls.conf, 0o600)

    @classmethod
    def tearDownClass(cls):
        client.sql("DROP DATABASE %s" % cls.db)

    def imported(self, kind, table, sid):
        """Our id of a row of the source (sources are known by name)."""
        source = kind + ":" + (self.db if kind == "resilientops" else
                               os.path.realpath(self.sqlite))
        return int(client.sql(
            "SELECT target_id FROM import_map WHERE source = '%s' AND "
            "source_table = '%s' AND source_id = %d" % (source, table, sid)))

    def spec(self):
        """--mysql's settings (no password: that goes on stdin)."""
        items = ["database=" + self.db]
        conf = {k: client.conf_value_or_none("database", k)
                for k in ("host", "port", "socket", "user")}
        # A list of servers (a cluster's nodes): the legacy database is
        # on the first, host or host:port.
        host = (conf["host"] or "").replace(",", " ").split()
        if not conf["socket"] and host:
            h, sep, port = host[0].rpartition(":")
            if sep and port.isdigit() and (h.endswith("]") or ":" not in h):
                conf["host"], conf["port"] = h.strip("[]"), port
            else:
                conf["host"] = host[0]
        for k in ("host", "port", "socket", "user"):
            if conf[k]:
                items.append("%s=%s" % (k, conf[k]))
        pw = client.conf_value_or_none("database", "password") or ""
        return ",".join(items), pw + "\n"

    def test_1_dry_run_writes_nothing(self):
        before = client.sql("SELECT COUNT(*) FROM services").strip()
        mapped = client.sql("SELECT COUNT(*) FROM import_map").strip()
        spec, pw = self.spec()
        r = client.admin_cli("import", "--dry-run", "--mysql", spec,
                             "--sqlite", self.sqlite, stdin=pw, check=False)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        my = counts(r.stdout, "resilientops")
        self.assertEqual(my["users"], (2, 0))
        self.assertEqual(my["services"], (3, 0))
        self.assertEqual(my["service dependencies"], (2, 0))
        self.assertIn("dry run: nothing written", r.stdout)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM services").strip(),
                         before)
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM import_map").strip(), mapped)

    def test_2_import_keeps_relations(self):
        # Its 3 services cross a place the services list keeps an anchor
        # for (sql/025): the import writes them again at its end.
        while len(ranked_ids()) % STRIDE != STRIDE - 1:
            client.create_service()
        r = client.admin_cli("import", "--mysql-config", self.conf,
                             "--sqlite", self.sqlite, check=False)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        assert_anchors_exact(self)
        my = counts(r.stdout, "resilientops")
        self.assertEqual(my, {"users": (2, 0), "services": (3, 0),
                              "service dependencies": (2, 0),
                              "bia": (2, 0), "status": (2, 0),
                              "downtimes": (2, 0), "risks": (1, 0),
                              "integrations": (1, 0)})
        self.assertIn("integrations: 1 new, 0 already imported, 1 skipped",
                      r.stdout)
        self.assertIn("webhook_url must be an https URL", r.stderr)
        self.assertNotIn("others may read it", r.stderr)
        self.assertIn("audit log: 1 entries not copied", r.stdout)
        sg = counts(r.stdout, "slaguard")
        self.assertEqual(sg["users"], (1, 0))
        self.assertIn("1 matched ours (kept)", r.stdout)
        self.assertEqual(sg["tickets"], (2, 0))
        self.assertEqual(sg["ticket activity"], (3, 0))
        self.assertEqual(sg["notifications"], (2, 0))

        tok = client.admin_token()
        db, api_, web = (self.imported("resilientops", "service", i)
                         for i in (1, 2, 3))
        s = api("GET", "/api/services/%d" % api_, token=tok)
        self.assertEqual(s.status, 200, s)
        self.assertEqual(s.json["dependencies"], [db])
        self.assertEqual(s.json["status"], "Down")
        s = api("GET", "/api/services/%d" % db, token=tok).json
        self.assertEqual(s["status"], "Up")
        b = s["bia"]
        self.assertEqual((b["criticality"], b["impact"], b["rto"], b["rpo"],
                          b["signed_off"]), ("High", "Severe", 30, 15, True))
        s = api("GET", "/api/services/%d" % web, token=tok).json
        self.assertEqual(s["dependencies"], [api_])
        n = client.sql("SELECT COUNT(*) FROM downtimes WHERE service_id = %d"
                       % api_).strip()
        self.assertEqual(n, "2")
        # Sealed as the API seals it, and not announced again.
        integ = self.imported("resilientops", "integration", 1)
        config = client.sql("SELECT config FROM integrations WHERE id = %d"
                            % integ)
        self.assertIn("$enc", config)
        self.assertNotIn("hooks.example.com/x", config)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM outbox WHERE "
                                    "integration_id = %d" % integ).strip(),
                         "0")

        t1 = self.imported("slaguard", "tickets", 1)
        tech = self.imported("slaguard", "users", 1)
        t = api("GET", "/api/tickets/%d" % t1, token=tok)
        self.assertEqual(t.status, 200, t)
        self.assertEqual((t.json["assignee_id"], t.json["assignee_name"],
                          t.json["priority"], t.json["status"],
                          t.json["sla_limit_hours"], t.json["risk_level"]),
                         (tech, "Tess Tech", "HIGH", "IN_PROGRESS", 8,
                          "BREACHED"))
        acts = api("GET", "/api/tickets/%d/activity" % t1, token=tok).json
        self.assertEqual([(a["action"], a["username"]) for a in acts],
                         [("created", self.both),
                          ("status_changed", self.sla_user)])
        # The account in both sources is ResilientOps's: its role stays.
        both = self.imported("slaguard", "users", 2)
        self.assertEqual(both, self.imported("resilientops", "user", 2))
        self.assertEqual(client.sql("SELECT role FROM users WHERE id = %d"
                                    % both).strip(), "Ops Analyst")
        t2 = api("GET", "/api/tickets/%d" % self.imported("slaguard",
                 "tickets", 2), token=tok).json
        self.assertEqual((t2["assignee_id"], t2["status"]),
                         (both, "RESOLVED"))
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM notifications WHERE user_id = %d" % tech
        ).strip(), "1")
        self.assertEqual(client.sql(
            "SELECT role FROM users WHERE id = %d" % tech).strip(),
            "Technician")
        # The lists' totals (kept in counters, not counted) count the
        # imported services and tickets.
        for table in ("services", "tickets"):
            r = api("GET", "/api/%s?per_page=1" % table, token=tok)
            self.assertEqual(r.headers["X-Total-Count"], client.sql(
                "SELECT COUNT(*) FROM %s" % table).strip(), table)

    def test_3_passwords_log_in(self):
        r = api("POST", "/api/auth/login", {"username": self.flask_user,
                                           "password": self.flask_pw})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"]["role"], "Business Owner")
        r = api("POST", "/api/auth/login", {"email": self.sla_user,
                                           "password": "U*U"})
        self.assertEqual(r.status, 200, r)

    def test_4_second_import_changes_nothing(self):
        before = client.sql("SELECT COUNT(*) FROM audit_log").strip()
        r = client.admin_cli("import", "--mysql-config", self.conf,
                             "--sqlite", self.sqlite, check=False)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        for source in ("resilientops", "slaguard"):
            for table, (new, _) in counts(r.stdout, source).items():
                self.assertEqual(new, 0, "%s %s" % (source, table))
        self.assertEqual(counts(r.stdout, "resilientops")["services"],
                         (0, 3))
        self.assertEqual(counts(r.stdout, "slaguard")["users"], (0, 2))
        self.assertIn("nothing new", r.stdout)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM audit_log").strip(),
                         before)


if __name__ == "__main__":
    unittest.main()
