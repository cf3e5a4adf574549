"""The lists whose items carry JSON kept as text in their rows, written
with util/jsonw instead of json-c objects (issue 13): the integrations
(each config redacted), the security scans (each result's members first)
and a ticket's activity (each entry's details).  Their answers are
json-c's compact text byte for byte, members in their old order, the
kept JSON as json-c reads and writes it (awkward strings, nesting,
numbers as they came), null or nothing where the kept text is not JSON,
and the envelope and headers they always had."""

import json
import unittest

import client
from client import api, create_service
from test_jsonw_list import ALL_CONTROLS, AWKWARD, check_json_headers
from test_jsonw_list import json_c_of, ordered
from test_tickets import create, manager

INTEGRATION_KEYS = ["id", "service_id", "type", "config", "created_by",
                    "created_at"]
SCAN_KEYS = ["vulnerabilities", "recommendations", "checks_performed",
             "scan_id", "scan_type", "target_id", "security_score",
             "created_by", "created_at"]
ROW_KEYS = SCAN_KEYS[3:]
ACTIVITY_KEYS = ["id", "ticket_id", "action", "user_id", "username",
                 "details", "created_at"]
PAGINATION_KEYS = ["page", "per_page", "total", "pages", "has_next",
                   "has_prev"]


def hex_text(s):
    """s as a MariaDB literal of its UTF-8 bytes (no quoting to get
    wrong)."""
    return "CONVERT(X'%s' USING utf8mb4)" % s.encode("utf-8").hex()


def same_text(case, r):
    """r answered 200 in json-c's compact text, numbers as they came."""
    case.assertEqual(r.status, 200, r)
    case.assertEqual(r.headers["Content-Type"], "application/json")
    case.assertEqual(r.body, json_c_of(r.body, raw_numbers=True))


def page_with(path, token, ids, key=None, field="id"):
    """The items of path's list (?per_page=1000) whose field is in ids,
    in the order the list gives them, each as (members, value)."""
    r = api("GET", path + ("&" if "?" in path else "?") + "per_page=1000",
            token=token)
    items = ordered(r.text)
    if key is not None:
        items = dict(items)[key]
    return r, [(item, dict(item)) for item in items
               if str(dict(item)[field]) in {str(i) for i in ids}]


class IntegrationsWritten(unittest.TestCase):
    """GET /api/services/integrations."""

    def test_configs_exactly_and_redacted(self):
        sid = create_service()
        admin = client.admin_token()
        plain = {"region": AWKWARD[0][0], "note": ALL_CONTROLS,
                 "emoji": AWKWARD[2][0], "nested": {"list": [1, -2, 2.50,
                 1e3, True, False, None, [], {}], "empty": ""},
                 "channel": "#ops / \"main\""}
        sealed = {"webhook_url": "https://hooks.example.com/T0/B1/x",
                  "Token": "t0ps3cret", "label": AWKWARD[1][1]}
        made = []
        for kind, config in (("AWS", plain), ("Webhook", sealed),
                             ("Email", {"to": ["ops@example.com"]})):
            # Sent as text: 2.50 and 1e3 as a client may write them.
            text = json.dumps({"service_id": sid, "type": kind,
                               "config": config}).replace(
                "2.5, 1000.0", "2.50, 1e3")
            r = api("POST", "/api/services/integrations", raw=text,
                    headers={"Content-Type": "application/json"},
                    token=admin)
            self.assertEqual(r.status, 201, r)
            made.append(int(client.sql(
                "SELECT MAX(id) FROM integrations WHERE service_id = %d"
                % sid)))
        # A kept config that is not JSON (written behind the API's back).
        broken = create_service()
        r = api("POST", "/api/services/integrations", {
            "service_id": broken, "type": "AWS", "config": {"a": 1}},
            token=admin)
        self.assertEqual(r.status, 201, r)
        bad = int(client.sql("SELECT MAX(id) FROM integrations "
                             "WHERE service_id = %d" % broken))
        # Put back at the end: a key rotation (test_vault) re-seals
        # every config and stops at one that is not JSON.
        kept = client.sql("SELECT HEX(config) FROM integrations "
                          "WHERE id = %d" % bad).strip()
        self.addCleanup(client.sql, "UPDATE integrations SET config = "
                        "CONVERT(X'%s' USING utf8mb4) WHERE id = %d"
                        % (kept, bad))
        client.sql("UPDATE integrations SET config = 'not {json' "
                   "WHERE id = %d" % bad)
        r, items = page_with("/api/services/integrations", admin,
                             made + [bad])
        same_text(self, r)
        self.assertEqual([v["id"] for _, v in items], made + [bad])
        for members, v in items:
            self.assertEqual([k for k, _ in members], INTEGRATION_KEYS)
            self.assertEqual(v["created_by"], client.admin()[0])
            self.assertRegex(v["created_at"],
                             r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        aws, hook, mail, gone = (v for _, v in items)
        # Members in the order they came; 2.50 and 1e3 as they were sent.
        self.assertEqual({x["id"]: x for x in r.json}[made[0]]["config"],
                         plain)
        self.assertEqual([k for k, _ in aws["config"]], list(plain))
        self.assertIn(b'"list":[1,-2,2.50,1e3,true,false,null,[],{}]',
                      r.body)
        self.assertEqual(dict(hook["config"]), {
            "webhook_url": "https://hooks.example.com/***",
            "Token": "***", "label": AWKWARD[1][1]})
        self.assertNotIn(b"t0ps3cret", r.body)
        self.assertNotIn(b"T0/B1", r.body)
        self.assertEqual(dict(mail["config"]), {"to": ["ops@example.com"]})
        self.assertIsNone(gone["config"])
        self.assertEqual((aws["type"], hook["type"], mail["type"]),
                         ("AWS", "Webhook", "Email"))

    def test_pages_and_headers(self):
        admin = client.admin_token()
        sid = create_service()
        for _ in range(4):
            self.assertEqual(api("POST", "/api/services/integrations", {
                "service_id": sid, "type": "Email",
                "config": {"to": ["a@example.com"]}}, token=admin).status,
                201)
        total = int(client.sql("SELECT COUNT(*) FROM integrations"))
        iid = int(client.sql("SELECT MAX(id) FROM integrations"))
        check_json_headers(self, "/api/services/integrations",
                           "/api/services/integrations?per_page=1",
                           admin, total)
        self.assertIn(iid, [x["id"] for x in api(
            "GET", "/api/services/integrations?per_page=1000",
            token=admin).json])
        r = api("GET", "/api/services/integrations?page=99999", token=admin)
        self.assertEqual((r.status, r.body), (200, b"[]"))


class ScansWritten(unittest.TestCase):
    """GET /api/v1/security/scans: {scans, pagination}, each scan its
    result's members and then the row's."""

    def scan(self, admin, kind, target):
        r = api("POST", "/api/v1/security/scan",
                {"scan_type": kind, "target_id": target}, token=admin)
        self.assertEqual(r.status, 200, r)
        return r.json["scan_id"]

    def test_scans_exactly(self):
        admin = client.admin_token()
        name, _, _ = client.user_with_role("Engineer")
        sid = create_service(name=AWKWARD[1][0])
        ids = [self.scan(admin, "account", name),
               self.scan(admin, "service", str(sid))]
        answered = api("POST", "/api/v1/security/scan",
                       {"scan_type": "account", "target_id": name},
                       token=admin)
        ids.append(answered.json["scan_id"])
        # Results that are not an object, or not JSON: the row's alone.
        odd = [self.scan(admin, "account", name) for _ in range(3)]
        for scan_id, text in zip(odd, ("[1, 2]", "not json", "{}")):
            kept = client.sql("SELECT HEX(result) FROM security_scans "
                              "WHERE scan_id = '%s'" % scan_id).strip()
            self.addCleanup(client.sql, "UPDATE security_scans SET result "
                            "= CONVERT(X'%s' USING utf8mb4) WHERE scan_id "
                            "= '%s'" % (kept, scan_id))
            client.sql("UPDATE security_scans SET result = %s "
                       "WHERE scan_id = '%s'" % (hex_text(text), scan_id))
        for query in ("", "?page=2&per_page=2", "?page=99999"):
            r = api("GET", "/api/v1/security/scans" + query, token=admin)
            same_text(self, r)
            o = ordered(r.text)
            self.assertEqual([k for k, _ in o], ["scans", "pagination"])
            self.assertEqual([k for k, _ in dict(o)["pagination"]],
                             PAGINATION_KEYS)
        r, items = page_with("/api/v1/security/scans", admin, ids + odd,
                             key="scans", field="scan_id")
        same_text(self, r)
        by_id = {v["scan_id"]: (m, v) for m, v in items}
        for scan_id in ids:
            members, v = by_id[scan_id]
            self.assertEqual([k for k, _ in members], SCAN_KEYS)
            self.assertIsInstance(v["checks_performed"], list)
            self.assertEqual(v["created_by"],
                             api("GET", "/api/auth/me",
                                 token=admin).json["id"])
        listed = {x["scan_id"]: x for x in r.json["scans"]}
        self.assertEqual(answered.json, listed[ids[2]])
        for scan_id in odd:
            members, v = by_id[scan_id]
            self.assertEqual([k for k, _ in members], ROW_KEYS)
            self.assertEqual(v["scan_type"], "account")
            self.assertEqual(v["target_id"], name)


class ActivityWritten(unittest.TestCase):
    """GET /api/tickets/<id>/activity: each entry's details as json-c
    reads them, null when there are none or they are not JSON."""

    def test_entries_exactly(self):
        m = manager()
        t = create(m.token, title=AWKWARD[0][0],
                   description=AWKWARD[1][1])
        tid = t["id"]
        for title in (AWKWARD[2][0], "ctrl " + ALL_CONTROLS[:20], "plain"):
            r = api("PUT", "/api/tickets/%d" % tid,
                    {"title": title, "priority": "HIGH"}, token=m.token)
            self.assertEqual(r.status, 200, r)
        # Taken out again at the end: no writer of resilops makes them.
        self.addCleanup(client.sql, "DELETE FROM ticket_activity WHERE "
                        "ticket_id = %d AND action = 'note'" % tid)
        for details in ("NULL", hex_text("not json {"),
                        hex_text('{"n": [1.50, 2e2], "s": "a\\u0001b"}')):
            client.sql("INSERT INTO ticket_activity (ticket_id, user_id, "
                       "username, action, details, created_at) VALUES "
                       "(%d, NULL, NULL, 'note', %s, UTC_TIMESTAMP())"
                       % (tid, details))
        path = "/api/tickets/%d/activity" % tid
        r = api("GET", path + "?per_page=100", token=m.token)
        same_text(self, r)
        items = ordered(r.text)
        self.assertGreaterEqual(len(items), 7)
        for item in items:
            self.assertEqual([k for k, _ in item], ACTIVITY_KEYS)
        notes = [dict(i) for i in items if dict(i)["action"] == "note"]
        self.assertEqual([n["details"] for n in notes[:2]], [None, None])
        self.assertEqual([(n["user_id"], n["username"]) for n in notes],
                         [(None, None)] * 3)
        self.assertEqual(dict(notes[2]["details"]),
                         {"n": [1.5, 200.0], "s": "a\x01b"})
        self.assertIn(b'"details":{"n":[1.50,2e2],"s":"a\\u0001b"}',
                      r.body)
        mine = [dict(i) for i in items if dict(i)["action"] != "note"]
        self.assertTrue(all(a["user_id"] == m.id and a["username"] == m.name
                            for a in mine))
        self.assertIn(b'"details":{"fields":["priority","title"]}', r.body)
        total = len(items)
        check_json_headers(self, path, path + "?per_page=1", m.token, total)
        r = api("GET", path + "?page=9999", token=m.token)
        self.assertEqual((r.status, r.body), (200, b"[]"))


if __name__ == "__main__":
    unittest.main()
