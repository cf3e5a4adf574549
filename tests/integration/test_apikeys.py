"""API keys (CONTRACT 6 and 9, issue 9) through nginx: create (shown
once, stored as an HMAC), list in the seed's envelope, what a key may do
(its creator's permissions narrowed to its own: read, write, admin,
heartbeat, tokenize, detokenize), last use written at most once a
minute, permissions, revoke, reroll with a grace period, expiry, a
deactivated or demoted creator, and the hourly rate limit: exact at the
boundary under 16 parallel clients, with its headers on every answer."""

import calendar
import re
import threading
import time
import unittest

import client
from client import api, create_service

CREATE = "/api/v1/security/api-keys/create"
LIST = "/api/v1/security/api-keys"
KEY_RE = re.compile(r"^rk_[0-9A-Za-z]{32}$")
NOT_FOUND = "API key not found"


def epoch(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def new_key(token=None, **body):
    """Create a key (as the suite's admin unless token says otherwise);
    returns the 201 answer's JSON."""
    body.setdefault("key_name", client.unique_name("key"))
    r = api("POST", CREATE, body, token=token or client.admin_token())
    assert r.status == 201, r
    return r.json


def with_key(key, method, path, body=None, source=None):
    return api(method, path, body, headers={"X-API-Key": key}, source=source)


def key_row(key_id, cols):
    out = client.sql("SELECT %s FROM api_keys WHERE key_id = '%s'"
                     % (cols, key_id)).rstrip("\n")
    return out.split("\t")


def listed(key_id, token=None):
    """The key's object in the list (walks the pages)."""
    page = 1
    while True:
        r = api("GET", LIST + "?per_page=100&page=%d" % page,
                token=token or client.admin_token())
        assert r.status == 200, r
        for k in r.json["api_keys"]:
            if k["key_id"] == key_id:
                return k
        if not r.json["pagination"]["has_next"]:
            return None
        page += 1


def audit_actions(entity_id):
    out = client.sql("SELECT action FROM audit_log WHERE entity = 'api_key' "
                     "AND entity_id = %d ORDER BY id" % entity_id)
    return out.split("\n")[:-1]


class Create(unittest.TestCase):
    def test_shape_shown_once_and_stored_as_hmac(self):
        before = int(time.time())
        k = new_key(key_name="deploy bot", permissions=["read"],
                    rate_limit=100, expires_in_days=30)
        self.assertRegex(k["api_key"], KEY_RE)
        self.assertEqual(k["prefix"], k["api_key"][:7])
        self.assertEqual((k["key_name"], k["permissions"], k["rate_limit"]),
                         ("deploy bot", ["read"], 100))
        self.assertTrue(k["warning"])
        self.assertAlmostEqual(epoch(k["expires_at"]),
                               before + 30 * 86400, delta=5)
        # key_id is opaque: not the row's number, not the key.
        row_id, hash_hex, length, prefix = key_row(
            k["key_id"], "id, HEX(key_hash), LENGTH(key_hash), prefix")
        self.assertNotEqual(k["key_id"], row_id)
        self.assertNotIn(k["api_key"][3:], k["key_id"])
        self.assertEqual((length, prefix), ("32", k["prefix"]))
        # Nothing in the row is the key, in text or hex.
        dump = client.sql(
            "SELECT key_id, key_name, prefix, HEX(key_hash), "
            "HEX(prev_hash), permissions, last_used_ip FROM api_keys "
            "WHERE key_id = '%s'" % k["key_id"])
        self.assertNotIn(k["api_key"], dump)
        self.assertNotIn(k["api_key"][7:], dump)
        self.assertNotEqual(hash_hex.lower(), k["api_key"].encode().hex())
        # Shown once: the list never carries it.
        item = listed(k["key_id"])
        self.assertNotIn("api_key", item)
        self.assertNotIn(k["api_key"][7:], str(item))

    def test_defaults_and_no_expiry(self):
        before = int(time.time())
        k = new_key()
        self.assertEqual(k["permissions"], ["read", "write"])
        self.assertEqual(k["rate_limit"], 1000)
        self.assertAlmostEqual(epoch(k["expires_at"]), before + 365 * 86400,
                               delta=5)
        k = new_key(expires_in_days=None)
        self.assertIsNone(k["expires_at"])
        self.assertIsNone(listed(k["key_id"])["expires_at"])

    def test_every_key_differs(self):
        keys = {new_key()["api_key"] for _ in range(5)}
        self.assertEqual(len(keys), 5)

    def test_validation_names_the_field_and_writes_nothing(self):
        count = client.sql("SELECT COUNT(*) FROM api_keys")
        cases = [
            ({}, "key_name is required"),
            ({"key_name": ""}, "key_name"),
            ({"key_name": "x" * 101}, "key_name"),
            ({"key_name": "a", "permissions": ["read", "fly"]},
             "Invalid permission: fly"),
            ({"key_name": "a", "permissions": "read"}, "permissions"),
            ({"key_name": "a", "expires_in_days": 0}, "expires_in_days"),
            ({"key_name": "a", "expires_in_days": 3651}, "expires_in_days"),
            ({"key_name": "a", "rate_limit": 0}, "rate_limit"),
            ({"key_name": "a", "rate_limit": "many"}, "rate_limit"),
        ]
        for body, msg in cases:
            r = api("POST", CREATE, body, token=client.admin_token())
            self.assertEqual(r.status, 400, (body, r))
            self.assertIn(msg, r.json["error"], body)
        ok = new_key(expires_in_days=3650, permissions=[])
        self.assertEqual(ok["permissions"], [])
        self.assertEqual(int(client.sql("SELECT COUNT(*) FROM api_keys")),
                         int(count) + 1)

    def test_only_admins_manage_keys(self):
        k = new_key()
        for role in ("Business Owner", "Engineer", "Auditor", "Manager",
                     "user"):
            tok = client.token_for(role)
            for method, path, body in (
                    ("POST", CREATE, {"key_name": "x"}),
                    ("GET", LIST, None),
                    ("POST", LIST + "/%s/revoke" % k["key_id"], None),
                    ("PUT", LIST + "/%s/permissions" % k["key_id"],
                     {"permissions": ["read"]}),
                    ("POST", LIST + "/%s/reroll" % k["key_id"], {})):
                r = api(method, path, body, token=tok)
                self.assertEqual(r.status, 403, (role, method, path, r))
        for method, path in (("POST", CREATE), ("GET", LIST)):
            self.assertEqual(api(method, path, {} if method == "POST"
                                 else None).status, 401)
        self.assertTrue(listed(k["key_id"])["is_active"])


class Use(unittest.TestCase):
    def test_read_key_reads_and_is_refused_writes(self):
        sid = create_service()
        key = new_key(permissions=["read"])["api_key"]
        r0 = with_key(key, "GET", "/api/services/%d" % sid)
        self.assertEqual(r0.status, 200, r0)
        self.assertEqual(r0.json["id"], sid)
        for method, path, body in (
                ("POST", "/api/services", {"name": client.unique_name()}),
                ("PUT", "/api/services/%d" % sid, {"rto": 5}),
                ("DELETE", "/api/services/%d" % sid, None),
                ("POST", "/api/services/%d/status" % sid, {"status": "Up"}),
                ("POST", "/api/services/%d/downtime" % sid,
                 {"start_time": "2026-01-01T00:00:00Z"}),
                ("POST", "/api/v1/security/encryption/tokenize",
                 {"sensitive_data": "x"})):
            r = with_key(key, method, path, body)
            self.assertEqual(r.status, 403, (method, path, r))
        # Nothing was written: the service is as it was.
        self.assertEqual(with_key(key, "GET", "/api/services/%d" % sid).json,
                         r0.json)

    def test_write_key_acts_as_its_creator(self):
        name, _, tok = client.user_with_role("admin")
        key = new_key(token=tok, permissions=["read", "write"])["api_key"]
        r = with_key(key, "POST", "/api/services",
                     {"name": client.unique_name("svc")})
        self.assertEqual(r.status, 201, r)
        sid = r.json["service_id"]
        self.assertEqual(with_key(key, "GET", "/api/services/%d" % sid)
                         .json["created_by"], name)
        who = client.sql("SELECT username FROM audit_log WHERE action = "
                         "'Service Created' AND entity_id = %d" % sid)
        self.assertEqual(who.strip(), name)
        self.assertEqual(with_key(key, "GET", "/api/auth/me").json["username"],
                         name)
        # write alone does not read.
        wkey = new_key(token=tok, permissions=["write"])["api_key"]
        self.assertEqual(with_key(wkey, "GET", "/api/services/%d" % sid)
                         .status, 403)
        self.assertEqual(with_key(wkey, "PUT", "/api/services/%d" % sid,
                                  {"rto": 30}).status, 200)

    def test_heartbeat_key_writes_status_and_nothing_else(self):
        sid = create_service()
        key = new_key(permissions=["heartbeat"])["api_key"]
        r = with_key(key, "POST", "/api/services/%d/status" % sid,
                     {"status": "Up"})
        self.assertEqual(r.status, 200, r)
        r = with_key(key, "PUT", "/api/services/%d/status" % sid,
                     {"status": "Degraded"})
        self.assertEqual(r.status, 200, r)
        got = api("GET", "/api/services/%d" % sid,
                  token=client.viewer_token()).json
        self.assertEqual(got["status"], "Degraded")
        for method, path, body in (
                ("GET", "/api/services", None),
                ("GET", "/api/services/%d" % sid, None),
                ("GET", "/api/services/%d/health" % sid, None),
                ("GET", "/api/auth/me", None),
                ("POST", "/api/services", {"name": client.unique_name()}),
                ("PUT", "/api/services/%d" % sid, {"rto": 5}),
                ("DELETE", "/api/services/%d" % sid, None),
                ("POST", "/api/services/%d/downtime" % sid,
                 {"start_time": "2026-01-01T00:00:00Z"}),
                ("GET", "/api/alerts", None),
                ("GET", "/api/tickets", None),
                ("POST", "/api/tickets", {"title": "x"}),
                ("GET", LIST, None),
                ("POST", CREATE, {"key_name": "x"}),
                ("POST", "/api/v1/security/encryption/tokenize",
                 {"sensitive_data": "x"}),
                ("GET", "/api/v1/security/audit-logs", None),
                ("POST", "/api/auth/logout", None)):
            r = with_key(key, method, path, body)
            self.assertEqual(r.status, 403, (method, path, r))

    def test_admin_permission_opens_admin_routes_by_method(self):
        key = new_key(permissions=["read", "admin"])["api_key"]
        r = with_key(key, "GET", LIST)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(with_key(key, "POST", CREATE, {"key_name": "x"})
                         .status, 403)
        both = new_key(permissions=["read", "write", "admin"])["api_key"]
        self.assertEqual(with_key(both, "POST", CREATE, {"key_name": "x"})
                         .status, 201)
        plain = new_key(permissions=["read", "write"])["api_key"]
        self.assertEqual(with_key(plain, "GET", LIST).status, 403)
        self.assertEqual(with_key(plain, "POST", CREATE, {"key_name": "x"})
                         .status, 403)
        self.assertEqual(with_key(plain, "GET", "/api/v1/security/audit-logs")
                         .status, 403)

    def test_vault_permissions(self):
        tkey = new_key(permissions=["tokenize"])["api_key"]
        r = with_key(tkey, "POST", "/api/v1/security/encryption/tokenize",
                     {"sensitive_data": "4111 1111 1111 1111",
                      "data_type": "card_number"})
        self.assertEqual(r.status, 200, r)
        token = r.json["token"]
        self.assertEqual(with_key(tkey, "POST",
                                  "/api/v1/security/encryption/detokenize",
                                  {"token": token}).status, 403)
        dkey = new_key(permissions=["detokenize"])["api_key"]
        r = with_key(dkey, "POST", "/api/v1/security/encryption/detokenize",
                     {"token": token})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["sensitive_data"], "4111 1111 1111 1111")
        self.assertEqual(with_key(dkey, "GET", "/api/services").status, 403)

    def test_key_narrows_its_creator_when_the_role_changes(self):
        name, _, tok = client.user_with_role("admin")
        key = new_key(token=tok, permissions=["read", "admin",
                                              "detokenize"])["api_key"]
        self.assertEqual(with_key(key, "GET", LIST).status, 200)
        client.admin_cli("user", "set-role", name, "Engineer")
        # The key can never do more than its creator now may.
        self.assertEqual(with_key(key, "GET", LIST).status, 403)
        self.assertEqual(with_key(key, "POST",
                                  "/api/v1/security/encryption/detokenize",
                                  {"token": "tok_" + "a" * 32}).status, 403)
        self.assertEqual(with_key(key, "GET", "/api/services").status, 200)

    def test_bad_keys(self):
        good = new_key()["api_key"]
        for bad in ("", "rk_", "rk_short", good[:-1], good + "x",
                    "xk_" + good[3:], good[:-1] + "!",
                    "rk_" + "A" * 32, "Bearer " + good):
            r = with_key(bad, "GET", "/api/services")
            self.assertEqual(r.status, 401, (bad, r))
            self.assertEqual(r.json["error"], "Missing or invalid token")
        r = api("GET", "/api/services", headers={"x-api-key": good})
        self.assertEqual(r.status, 200, r)


class Lifecycle(unittest.TestCase):
    def test_list_envelope_and_order(self):
        ks = [new_key()["key_id"] for _ in range(3)]
        r = api("GET", LIST + "?per_page=2", token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"api_keys", "pagination"})
        p = r.json["pagination"]
        total = int(client.sql("SELECT COUNT(*) FROM api_keys"))
        self.assertEqual(p, {"page": 1, "per_page": 2, "total": total,
                             "pages": (total + 1) // 2, "has_next": True,
                             "has_prev": False})
        # Newest first.
        self.assertEqual([k["key_id"] for k in r.json["api_keys"]],
                         [ks[2], ks[1]])
        item = r.json["api_keys"][0]
        self.assertEqual(set(item), {
            "key_id", "key_name", "prefix", "user_id", "permissions",
            "rate_limit", "is_active", "created_at", "last_used_at",
            "last_used_ip", "expires_at", "revoked_at"})
        r = api("GET", LIST, token=client.admin_token())
        self.assertEqual(r.json["pagination"]["per_page"], 20)
        r = api("GET", LIST + "?per_page=0", token=client.admin_token())
        self.assertEqual(r.status, 400, r)

    def test_last_use_written_at_most_once_a_minute(self):
        k = new_key()
        self.assertIsNone(listed(k["key_id"])["last_used_at"])
        before = int(time.time())
        self.assertEqual(with_key(k["api_key"], "GET", "/api/services",
                                  source="127.0.0.5").status, 200)
        item = listed(k["key_id"])
        self.assertEqual(item["last_used_ip"], "127.0.0.5")
        first = epoch(item["last_used_at"])
        self.assertAlmostEqual(first, before, delta=5)
        # Within the minute: neither field moves.
        self.assertEqual(with_key(k["api_key"], "GET", "/api/services",
                                  source="127.0.0.6").status, 200)
        item = listed(k["key_id"])
        self.assertEqual((item["last_used_ip"], epoch(item["last_used_at"])),
                         ("127.0.0.5", first))
        client.sql("UPDATE api_keys SET last_used_at = last_used_at - "
                   "INTERVAL 61 SECOND WHERE key_id = '%s'" % k["key_id"])
        self.assertEqual(with_key(k["api_key"], "GET", "/api/services",
                                  source="127.0.0.6").status, 200)
        item = listed(k["key_id"])
        self.assertEqual(item["last_used_ip"], "127.0.0.6")
        self.assertAlmostEqual(epoch(item["last_used_at"]), time.time(),
                               delta=5)

    def test_permissions_update(self):
        k = new_key(permissions=["read"])
        path = LIST + "/%s/permissions" % k["key_id"]
        self.assertEqual(with_key(k["api_key"], "POST", "/api/services",
                                  {"name": client.unique_name()}).status, 403)
        r = api("PUT", path, {"permissions": ["read", "write"],
                              "rate_limit": 77}, token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["permissions"], r.json["rate_limit"]),
                         (["read", "write"], 77))
        self.assertEqual(with_key(k["api_key"], "POST", "/api/services",
                                  {"name": client.unique_name()}).status, 201)
        for body, msg in (({"permissions": ["read", "root"]},
                           "Invalid permission: root"),
                          ({}, "permissions is required"),
                          ({"permissions": ["read"], "rate_limit": -1},
                           "rate_limit")):
            r = api("PUT", path, body, token=client.admin_token())
            self.assertEqual(r.status, 400, (body, r))
            self.assertIn(msg, r.json["error"])
        self.assertEqual(listed(k["key_id"])["permissions"], ["read", "write"])
        r = api("PUT", LIST + "/key_nosuchkey/permissions",
                {"permissions": ["read"]}, token=client.admin_token())
        self.assertEqual((r.status, r.json["error"]), (404, NOT_FOUND))

    def test_revoke(self):
        k = new_key()
        path = LIST + "/%s/revoke" % k["key_id"]
        r = api("POST", path, token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["message"], "API key revoked successfully")
        revoked_at = r.json["revoked_at"]
        self.assertAlmostEqual(epoch(revoked_at), time.time(), delta=5)
        r = with_key(k["api_key"], "GET", "/api/services")
        self.assertEqual(r.status, 401, r)
        # Again: the same answer, nothing written.
        r = api("POST", path, token=client.admin_token())
        self.assertEqual((r.status, r.json["revoked_at"]), (200, revoked_at))
        item = listed(k["key_id"])
        self.assertEqual((item["is_active"], item["revoked_at"]),
                         (False, revoked_at))
        r = api("PUT", LIST + "/%s/permissions" % k["key_id"],
                {"permissions": ["read"]}, token=client.admin_token())
        self.assertEqual((r.status, r.json["error"]),
                         (400, "Cannot update permissions for inactive "
                          "API key"))
        r = api("POST", LIST + "/%s/reroll" % k["key_id"], {},
                token=client.admin_token())
        self.assertEqual(r.status, 400, r)
        r = api("POST", LIST + "/key_nosuchkey/revoke",
                token=client.admin_token())
        self.assertEqual((r.status, r.json["error"]), (404, NOT_FOUND))
        rid = int(key_row(k["key_id"], "id")[0])
        self.assertEqual(audit_actions(rid), ["API Key Created",
                                              "API Key Revoked"])

    def test_reroll_with_grace(self):
        k = new_key()
        path = LIST + "/%s/reroll" % k["key_id"]
        r = api("POST", path, {"grace_seconds": 600},
                token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        new = r.json["api_key"]
        self.assertRegex(new, KEY_RE)
        self.assertNotEqual(new, k["api_key"])
        self.assertEqual((r.json["key_id"], r.json["prefix"]),
                         (k["key_id"], new[:7]))
        self.assertAlmostEqual(epoch(r.json["previous_key_valid_until"]),
                               time.time() + 600, delta=5)
        # Both work during the grace period, as the same key.
        for key in (k["api_key"], new):
            r = with_key(key, "GET", "/api/services")
            self.assertEqual(r.status, 200, r)
        self.assertEqual(listed(k["key_id"])["prefix"], new[:7])
        client.sql("UPDATE api_keys SET prev_until = NOW() - INTERVAL 1 "
                   "SECOND WHERE key_id = '%s'" % k["key_id"])
        self.assertEqual(with_key(k["api_key"], "GET", "/api/services")
                         .status, 401)
        self.assertEqual(with_key(new, "GET", "/api/services").status, 200)
        # Without grace the old key stops at once.
        r = api("POST", path, {}, token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(with_key(new, "GET", "/api/services").status, 401)
        self.assertEqual(with_key(r.json["api_key"], "GET", "/api/services")
                         .status, 200)
        for body in ({"grace_seconds": -1}, {"grace_seconds": 7 * 86400 + 1},
                     {"grace_seconds": "soon"}):
            r = api("POST", path, body, token=client.admin_token())
            self.assertEqual(r.status, 400, (body, r))
            self.assertIn("grace_seconds", r.json["error"])
        r = api("POST", LIST + "/key_nosuchkey/reroll", {},
                token=client.admin_token())
        self.assertEqual((r.status, r.json["error"]), (404, NOT_FOUND))

    def test_expiry(self):
        k = new_key(expires_in_days=1)
        self.assertEqual(with_key(k["api_key"], "GET", "/api/services")
                         .status, 200)
        client.sql("UPDATE api_keys SET expires_at = NOW() - INTERVAL 1 "
                   "SECOND WHERE key_id = '%s'" % k["key_id"])
        r = with_key(k["api_key"], "GET", "/api/services")
        self.assertEqual(r.status, 401, r)

    def test_deactivated_creator_suspends_keys(self):
        name, _, tok = client.user_with_role("admin")
        uid = api("GET", "/api/auth/me", token=tok).json["id"]
        k = new_key(token=tok)
        self.assertEqual(with_key(k["api_key"], "GET", "/api/services")
                         .status, 200)
        r = api("DELETE", "/api/users/%d" % uid, token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(with_key(k["api_key"], "GET", "/api/services")
                         .status, 401)
        r = api("POST", "/api/v1/security/scan", {"scan_type": "api_key",
                                                   "target_id": k["key_id"]},
                token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertIn("orphaned_key",
                      [v["type"] for v in r.json["vulnerabilities"]])


def hit(key, path="/api/services?per_page=1"):
    return with_key_hit(key, "GET", path)


def with_key_hit(key, method, path, body=None):
    """(status, the X-RateLimit-Limit, -Remaining and -Reset headers,
    Retry-After, the parsed body) of one request with key."""
    r = with_key(key, method, path, body)
    return (r.status, r.headers.get("X-RateLimit-Limit"),
            r.headers.get("X-RateLimit-Remaining"),
            r.headers.get("X-RateLimit-Reset"), r.headers.get("Retry-After"),
            r.json)


class RateLimit(unittest.TestCase):
    def test_headers_on_every_answer(self):
        k = new_key(permissions=["read"], rate_limit=3)
        now = int(time.time())
        reset = now - now % 3600 + 3600
        # Counted and marked once authenticated: an answer, a refusal, a
        # missing service (routing comes first: an unknown path is not).
        got = [hit(k["api_key"]),
               with_key_hit(k["api_key"], "POST", "/api/services",
                            {"name": client.unique_name()}),
               hit(k["api_key"], "/api/services/999999999"),
               hit(k["api_key"])]
        self.assertEqual([g[0] for g in got], [200, 403, 404, 429], got)
        for g, remaining in zip(got[:3], ("2", "1", "0")):
            self.assertEqual(g[1:3], ("3", remaining), g)
        if int(got[0][3]) != reset:
            self.assertEqual(int(got[0][3]), reset + 3600)	# hour turned
        self.assertEqual(hit(k["api_key"], "/api/nosuchroute")[:3],
                         (404, None, None))
        status, limit, remaining, reset_h, retry, body = got[3]
        self.assertEqual((limit, remaining), ("3", "0"))
        self.assertEqual(body["error"], "Rate limit exceeded for this API "
                         "key: 3 requests an hour")
        self.assertTrue(0 < int(retry) <= 3600, retry)
        self.assertAlmostEqual(int(retry), int(reset_h) - time.time(),
                               delta=5)

    def test_new_window_starts_over(self):
        k = new_key(rate_limit=2)
        self.assertEqual([hit(k["api_key"])[0] for _ in range(3)],
                         [200, 200, 429])
        client.sql("UPDATE api_keys SET window_start = window_start - "
                   "INTERVAL 1 HOUR WHERE key_id = '%s'" % k["key_id"])
        self.assertEqual([hit(k["api_key"])[0] for _ in range(3)],
                         [200, 200, 429])
        # A window from the future (a web host whose clock is ahead) is
        # counted into, not restarted.
        client.sql("UPDATE api_keys SET window_start = window_start + "
                   "INTERVAL 1 HOUR, window_count = 1 WHERE key_id = '%s'"
                   % k["key_id"])
        self.assertEqual([hit(k["api_key"])[0] for _ in range(2)],
                         [200, 429])

    def test_exact_at_the_boundary_with_16_parallel_clients(self):
        limit, clients, each = 40, 16, 6
        for attempt in range(2):
            k = new_key(permissions=["read"], rate_limit=limit)
            results, lock = [], threading.Lock()
            start = threading.Barrier(clients)

            def run():
                start.wait()
                for _ in range(each):
                    got = hit(k["api_key"])
                    with lock:
                        results.append(got)

            threads = [threading.Thread(target=run) for _ in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            # An hour boundary inside the run would open a second window.
            if len({r[3] for r in results}) == 1:
                break
        self.assertEqual(len(results), clients * each)
        ok = [r for r in results if r[0] == 200]
        limited = [r for r in results if r[0] == 429]
        self.assertEqual(len(ok), limit)
        self.assertEqual(len(limited), clients * each - limit)
        # Each success took its own place in the window.
        self.assertEqual(sorted(int(r[2]) for r in ok), list(range(limit)))
        self.assertTrue(all(r[2] == "0" and r[4] for r in limited))
        count = key_row(k["key_id"], "window_count")[0]
        self.assertEqual(int(count), limit)

    @client.only_in("single", why="a deadlock between the test's session "
                    "and a request: through the cluster's front the request "
                    "may write through another node, where the session's row "
                    "locks do not reach")
    def test_a_count_that_loses_a_deadlock_is_counted_once(self):
        """The hourly count is one statement outside any transaction: a
        deadlock (or, through several Galera nodes, a certification
        conflict) rolls it back whole, and resilops runs it again rather
        than answer 500.  The deadlock is MariaDB's documented one: a
        session holds a shared lock on the key's row, the count waits to
        write it, the session then wants to write it too."""
        k = new_key(permissions=["read"], rate_limit=10)
        self.assertEqual(hit(k["api_key"])[:3], (200, "10", "9"))
        # A column of the row itself: the key_id index alone would lock
        # only its own entry, which the count does not write.
        row = ("SELECT window_count FROM api_keys WHERE key_id = '%s'"
               % k["key_id"])
        held = client.LockHeld(row + " LOCK IN SHARE MODE")
        got = {}
        t = threading.Thread(target=lambda: got.update(r=hit(k["api_key"])))
        try:
            t.start()
            client.wait_until(lambda: client.lock_waits() == 1,
                              what="the count waiting for the row")
            # The deadlock: the count loses it (it has done less) and is
            # rolled back; this session's write goes through.
            held.session.query(row + " FOR UPDATE")
            # The count again, waiting behind this session once more.
            client.wait_until(lambda: client.lock_waits() == 1,
                              what="the count run again")
        finally:
            held.close()
            t.join()
        self.assertEqual(got["r"][:3], (200, "10", "8"), got)
        self.assertEqual(key_row(k["key_id"], "window_count"), ["2"])


if __name__ == "__main__":
    unittest.main()
