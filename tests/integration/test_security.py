"""The security module's audit logs and scans (CONTRACT 6 and 9, issue
9) through nginx: who may call each /api/v1/security route, the audit
logs' envelope and filters (user, action substring, resource type,
inclusive dates) with reading them audited; what an entry keeps of a
request (client address, user agent, redacted body, response status)
and that no password, token, key or tokenized value reaches the audit
table or any log; scans of accounts, services and keys with real
findings, stored and listed."""

import datetime
import os
import re
import unittest

import client
from client import api, create_service

LOGS = "/api/v1/security/audit-logs"
SCAN = "/api/v1/security/scan"
SCANS = "/api/v1/security/scans"
TOKENIZE = "/api/v1/security/encryption/tokenize"
DETOKENIZE = "/api/v1/security/encryption/detokenize"
KEYS = "/api/v1/security/api-keys"
ROLES = ("admin", "Business Owner", "Ops Analyst", "Engineer", "Manager",
         "Senior Technician", "Technician", "Auditor", "user")


def day(offset=0):
    return (datetime.datetime.now(datetime.timezone.utc).date()
            + datetime.timedelta(days=offset)).isoformat()


def logs(token=None, query="", headers=None):
    r = api("GET", LOGS + query, token=token or client.token_for("Auditor"),
            headers=headers)
    assert r.status == 200, r
    return r.json


class Roles(unittest.TestCase):
    """Every security route, as every role and as nobody."""

    def test_every_route_and_role(self):
        token = api("POST", TOKENIZE, {"sensitive_data": "x"},
                    token=client.admin_token()).json["token"]
        routes = [
            ("GET", LOGS, None, {"admin", "Auditor"}),
            ("POST", TOKENIZE, {"sensitive_data": "x"}, {"admin", "Engineer"}),
            ("POST", DETOKENIZE, {"token": token}, {"admin"}),
            ("POST", SCAN, {"scan_type": "service",
                            "target_id": str(create_service())}, {"admin"}),
            ("GET", SCANS, None, {"admin"}),
            ("GET", KEYS, None, {"admin"}),
            ("POST", KEYS + "/create", {"key_name": "r"}, {"admin"}),
        ]
        for method, path, body, allowed in routes:
            r = api(method, path, body)
            self.assertEqual(r.status, 401, (method, path, r))
            for role in ROLES:
                r = api(method, path, body, token=client.token_for(role))
                want = (200, 201) if role in allowed else (403,)
                self.assertIn(r.status, want, (method, path, role, r))


class AuditLogs(unittest.TestCase):
    def test_envelope_defaults_and_entry_shape(self):
        ua = "resilops-test/" + client.unique_name("ua")
        tok = client.admin_token()
        r = api("POST", KEYS + "/create", {"key_name": "shape"}, token=tok,
                headers={"User-Agent": ua}, source="127.0.0.7")
        self.assertEqual(r.status, 201, r)
        got = logs(query="?action=API%20Key%20Created&per_page=1")
        self.assertEqual(set(got), {"audit_logs", "pagination",
                                    "filters_applied"})
        e = got["audit_logs"][0]
        self.assertEqual(set(e), {
            "log_id", "user_id", "username", "action", "resource_type",
            "resource_id", "ip_address", "user_agent", "request_data",
            "response_status", "created_at"})
        self.assertEqual((e["action"], e["resource_type"], e["ip_address"],
                          e["user_agent"], e["response_status"]),
                         ("API Key Created", "api_key", "127.0.0.7", ua, 201))
        self.assertEqual(e["username"], client.admin()[0])
        self.assertEqual(e["request_data"]["request"], {"key_name": "shape"})
        self.assertIsInstance(e["log_id"], str)
        got = logs()
        self.assertEqual(got["pagination"]["per_page"], 50)
        self.assertEqual(got["filters_applied"], {
            "user_id": None, "action": None, "resource_type": None,
            "start_date": None, "end_date": None})
        total = int(client.sql("SELECT COUNT(*) FROM audit_log"))
        self.assertEqual(got["pagination"]["total"], total)
        ids = [int(x["log_id"]) for x in got["audit_logs"]]
        self.assertEqual(ids, sorted(ids, reverse=True))

    def test_reading_is_audited(self):
        name, _, tok = client.user_with_role("Auditor")
        got = logs(token=tok, query="?per_page=1")
        newest = got["audit_logs"][0]
        self.assertEqual((newest["action"], newest["username"],
                          newest["resource_type"]),
                         ("Audit Logs Read", name, "audit_log"))
        second = logs(token=tok, query="?per_page=1")["audit_logs"][0]
        self.assertGreater(int(second["log_id"]), int(newest["log_id"]))

    def test_filters(self):
        name, _, tok = client.user_with_role("admin")
        uid = api("GET", "/api/auth/me", token=tok).json["id"]
        api("POST", KEYS + "/create", {"key_name": "f"}, token=tok)
        api("POST", TOKENIZE, {"sensitive_data": "y"}, token=tok)
        got = logs(query="?user_id=%d&per_page=100" % uid)
        self.assertEqual(got["filters_applied"]["user_id"], str(uid))
        actions = {e["action"] for e in got["audit_logs"]}
        self.assertTrue({"API Key Created", "Data Tokenized"} <= actions,
                        actions)
        self.assertTrue(all(e["user_id"] == uid for e in got["audit_logs"]))
        # action: a case-insensitive substring.
        got = logs(query="?user_id=%d&action=kEy%%20cReAt" % uid)
        self.assertEqual([e["action"] for e in got["audit_logs"]],
                         ["API Key Created"])
        got = logs(query="?user_id=%d&resource_type=vault" % uid)
        self.assertEqual([e["action"] for e in got["audit_logs"]],
                         ["Data Tokenized"])
        self.assertEqual(got["filters_applied"]["resource_type"], "vault")
        # Dates are whole days, both ends included.
        n = len(logs(query="?user_id=%d" % uid)["audit_logs"])
        for q, want in (("start_date=%s&end_date=%s" % (day(), day()), n),
                        ("end_date=%s" % day(-1), 0),
                        ("start_date=%s" % day(1), 0),
                        ("start_date=%s" % day(-1), n)):
            got = logs(query="?user_id=%d&%s" % (uid, q))
            self.assertEqual(len(got["audit_logs"]), want, q)
            self.assertEqual(got["pagination"]["total"], want, q)
        got = logs(query="?start_date=%s&end_date=%s" % (day(), day()))
        self.assertEqual((got["filters_applied"]["start_date"],
                          got["filters_applied"]["end_date"]), (day(), day()))
        self.assertEqual(logs(query="?action=no%20such%20action%20at%20all")
                         ["audit_logs"], [])

    def test_pagination(self):
        got = logs(query="?per_page=2&page=2")
        p = got["pagination"]
        self.assertEqual((p["page"], p["per_page"], p["has_prev"]),
                         (2, 2, True))
        self.assertEqual(p["pages"], (p["total"] + 1) // 2)
        self.assertEqual(len(got["audit_logs"]), 2)

    def test_bad_filters(self):
        tok = client.token_for("Auditor")
        for q, msg in (("user_id=abc", "Invalid user_id"),
                       ("user_id=0", "Invalid user_id"),
                       ("start_date=2026-13-01", "start_date"),
                       ("end_date=yesterday", "end_date"),
                       ("start_date=2026-01-01T00:00:00Z", "start_date"),
                       ("page=0", "page"), ("per_page=x", "per_page")):
            r = api("GET", LOGS + "?" + q, token=tok)
            self.assertEqual(r.status, 400, (q, r))
            self.assertIn(msg, r.json["error"], q)


class Redaction(unittest.TestCase):
    """After a signup, logins good and bad, a password change, a key
    created and used, a tokenize and a detokenize, none of the secrets
    is in the audit table (every column) or in any log of the stack."""

    def test_no_secret_in_audit_or_logs(self):
        self.assertTrue(client.STATE, "RESILOPS_STATE is not set")
        secrets_seen = []
        name = client.unique_name("red")
        pw, wrong, pw2 = (client.new_password() for _ in range(3))
        secrets_seen += [pw, wrong, pw2]
        self.assertEqual(client.signup(name, pw).status, 201)
        user_tok = client.login(name, pw)
        r = api("POST", "/api/auth/login", {"username": name,
                                             "password": wrong})
        self.assertEqual(r.status, 401, r)
        r = api("POST", "/api/auth/login", {"email": name, "password": wrong,
                                             "username": name})
        self.assertIn(r.status, (400, 401), r)
        uid = api("GET", "/api/auth/me", token=user_tok).json["id"]
        admin_tok = client.admin_token()
        r = api("PUT", "/api/users/%d" % uid, {"password": pw2},
                token=admin_tok)
        self.assertEqual(r.status, 200, r)
        r = api("POST", KEYS + "/create", {"key_name": "red",
                                           "permissions": ["read", "write",
                                                           "tokenize"]},
                token=admin_tok)
        self.assertEqual(r.status, 201, r)
        key = r.json["api_key"]
        secrets_seen.append(key)
        data = "4929 1234 5678 %04d" % (uid % 10000)
        r = api("POST", TOKENIZE, {"sensitive_data": data,
                                   "data_type": "card_number"},
                headers={"X-API-Key": key})
        self.assertEqual(r.status, 200, r)
        token = r.json["token"]
        secrets_seen += [data, token]
        r = api("POST", DETOKENIZE, {"token": token}, token=admin_tok)
        self.assertEqual(r.json["sensitive_data"], data)
        # One character other than its own (the token may end in "x").
        other = "y" if token.endswith("x") else "x"
        r = api("POST", DETOKENIZE, {"token": token[:-1] + other},
                token=admin_tok)
        self.assertEqual(r.status, 404, r)
        # A key pasted where no field name warns of it.
        r = api("POST", "/api/services", {"name": client.unique_name(),
                                          "description": "ci uses " + key},
                headers={"X-API-Key": key})
        self.assertEqual(r.status, 201, r)
        reroll = api("POST", KEYS + "/create", {"key_name": "r2"},
                     token=admin_tok).json
        r = api("POST", KEYS + "/%s/reroll" % reroll["key_id"],
                {"grace_seconds": 5}, token=admin_tok)
        secrets_seen += [reroll["api_key"], r.json["api_key"]]
        secrets_seen += [user_tok, admin_tok]

        dump = client.sql(
            "SELECT id, COALESCE(user_id, ''), COALESCE(username, ''), "
            "action, COALESCE(entity, ''), COALESCE(entity_id, ''), "
            "COALESCE(details, ''), COALESCE(ip, ''), "
            "COALESCE(user_agent, ''), HEX(mac) FROM audit_log")
        self.assertGreater(len(dump), 1000)
        for s in secrets_seen:
            self.assertNotIn(s, dump)
        self.assertNotIn(data.replace(" ", ""), dump)
        self.assertIsNone(re.search(r"rk_[0-9A-Za-z]{32}|tok_[0-9A-Za-z]{32}",
                                    dump))
        logdir = os.path.join(client.STATE, "log")
        for fname in os.listdir(logdir):
            with open(os.path.join(logdir, fname), "rb") as f:
                text = f.read()
            for s in secrets_seen:
                self.assertNotIn(s.encode(), text, fname)
        # What the entries do keep: the fields, with the secrets marked.
        rows = logs(query="?action=User%20Updated&per_page=20")
        upd = [e for e in rows["audit_logs"] if e["resource_id"] == uid]
        self.assertEqual(upd[0]["request_data"]["request"],
                         {"password": "***"})


class Scans(unittest.TestCase):
    def scan(self, scan_type, target, status=200):
        body = {"target_id": target}
        if scan_type is not None:
            body["scan_type"] = scan_type
        r = api("POST", SCAN, body, token=client.admin_token())
        self.assertEqual(r.status, status, r)
        return r.json

    @staticmethod
    def kinds(result):
        return sorted(v["type"] for v in result["vulnerabilities"])

    def test_clean_key_scores_100(self):
        k = api("POST", KEYS + "/create", {"key_name": "clean",
                                           "permissions": ["heartbeat"],
                                           "expires_in_days": 30},
                token=client.admin_token()).json
        res = self.scan("api_key", k["key_id"])
        self.assertEqual((res["scan_type"], res["target_id"],
                          res["security_score"]), ("api_key", k["key_id"], 100))
        self.assertEqual(res["vulnerabilities"], [])
        self.assertEqual(res["recommendations"], [])
        self.assertEqual(res["checks_performed"], [
            "key_active", "owner_active", "expiry", "recent_use",
            "least_privilege"])
        self.assertRegex(res["scan_id"], r"^scan_[0-9A-Za-z]{16}$")

    def test_key_findings(self):
        k = api("POST", KEYS + "/create", {"key_name": "risky",
                                           "permissions": ["read", "admin"],
                                           "expires_in_days": None},
                token=client.admin_token()).json
        client.sql("UPDATE api_keys SET created_at = NOW() - INTERVAL 91 DAY "
                   "WHERE key_id = '%s'" % k["key_id"])
        res = self.scan("api_key", k["key_id"])
        self.assertEqual(self.kinds(res), ["admin_key", "no_expiry",
                                           "unused_key"])
        # medium 15 + medium 15 + low 5
        self.assertEqual(res["security_score"], 65)
        self.assertEqual(len(res["recommendations"]), 3)
        api("POST", KEYS + "/%s/revoke" % k["key_id"],
            token=client.admin_token())
        res = self.scan("api_key", k["key_id"])
        self.assertEqual((self.kinds(res), res["security_score"]),
                         (["inactive_key"], 95))

    def test_account_findings(self):
        name, pw, tok = client.user_with_role("admin")
        self.assertEqual(self.scan(None, name)["scan_type"], "account")
        uid = int(client.sql("SELECT id FROM users WHERE username = '%s'"
                             % name))
        res = self.scan("account", str(uid))
        self.assertEqual((self.kinds(res), res["security_score"]), ([], 100))
        # Made 91 days ago, but it logged in today: not idle.
        client.sql("UPDATE users SET created_at = NOW() - INTERVAL 91 DAY "
                   "WHERE id = %d" % uid)
        # Failed logins against it, from addresses of their own.
        for i in range(5):
            r = client.api_from("127.0.0.%d" % (60 + i), "POST",
                                "/api/auth/login",
                                {"username": name, "password": "wrong-" + pw})
            self.assertEqual(r.status, 401, r)
        res = self.scan("account", name)
        self.assertIn("failed_login_burst", self.kinds(res))
        self.assertNotIn("idle_privileged_account", self.kinds(res))
        # Its keys count against it: one that never expires, with admin.
        api("POST", KEYS + "/create", {"key_name": "n", "expires_in_days":
                                       None, "permissions": ["read", "admin"]},
            token=tok)
        res = self.scan("account", name)
        self.assertEqual(self.kinds(res), ["admin_api_key",
                                           "api_key_without_expiry",
                                           "failed_login_burst"])
        # medium 15 each
        self.assertEqual(res["security_score"], 100 - 15 - 15 - 15)

    def test_idle_privileged_account(self):
        name = client.unique_name("idle")
        client.admin_cli("user", "add", name, "Auditor",
                         stdin=client.new_password() + "\n")
        res = self.scan("account", name)
        self.assertNotIn("idle_privileged_account", self.kinds(res))
        client.sql("UPDATE users SET created_at = NOW() - INTERVAL 91 DAY "
                   "WHERE username = '%s'" % name)
        res = self.scan("account", name)
        self.assertIn("idle_privileged_account", self.kinds(res))
        # A plain user is not privileged: idle is no finding.
        plain = client.unique_name("plain")
        client.admin_cli("user", "add", plain, "user",
                         stdin=client.new_password() + "\n")
        client.sql("UPDATE users SET created_at = NOW() - INTERVAL 91 DAY "
                   "WHERE username = '%s'" % plain)
        self.assertEqual(self.kinds(self.scan("account", plain)), [])

    def test_service_findings(self):
        sid = create_service()
        res = self.scan("service", str(sid))
        self.assertEqual(self.kinds(res), ["missing_bia", "no_heartbeat"])
        self.assertEqual(res["security_score"], 100 - 30 - 5)
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
                token=client.owner_token())
        self.assertEqual(r.status, 200, r)
        r = api("POST", "/api/services/integrations", {
            "service_id": sid, "type": "Webhook",
            "config": {"webhook_url": "http://127.0.0.1:9/hook"}},
            token=client.engineer_token())
        self.assertEqual(r.status, 201, r)
        res = self.scan("service", str(sid))
        self.assertEqual(self.kinds(res), ["missing_bia",
                                           "plain_http_integration"])

    def test_errors(self):
        r = api("POST", SCAN, {"scan_type": "transaction", "target_id": "1"},
                token=client.admin_token())
        self.assertEqual((r.status, r.json["error"]), (400, (
            "Unsupported scan_type: transaction (supported: account, "
            "service, api_key)")))
        r = api("POST", SCAN, {"scan_type": "account"},
                token=client.admin_token())
        self.assertEqual((r.status, r.json["error"]),
                         (400, "target_id is required"))
        for t, target in (("account", "nobody-" + client.unique_name()),
                          ("service", "999999999"), ("service", "abc"),
                          ("api_key", "key_none")):
            self.scan(t, target, status=404)

    def test_stored_and_listed(self):
        sid = create_service()
        res = self.scan("service", str(sid))
        r = api("GET", SCANS + "?per_page=5", token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"scans", "pagination"})
        self.assertEqual(r.json["scans"][0], res)
        total = int(client.sql("SELECT COUNT(*) FROM security_scans"))
        self.assertEqual(r.json["pagination"]["total"], total)
        r = api("GET", SCANS, token=client.admin_token())
        self.assertEqual(r.json["pagination"]["per_page"], 20)
        n = client.sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                       "'Security Scan'")
        self.assertGreaterEqual(int(n), 1)


if __name__ == "__main__":
    unittest.main()
