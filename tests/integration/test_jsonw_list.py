"""The service list and the single service, written with util/jsonw
instead of json-c objects (issue 13): awkward names and descriptions
(quotes, backslashes, every control character, DEL, emoji, non-ASCII),
services with and without a BIA, come back exactly, members in their
old order, in json-c's own compact text, with the headers a JSON
answer always had; the console, which reads these answers as trees,
still shows them."""

import base64
import json
import unittest

import client
from client import api, create_service
from test_console import logged_in

ALL_CONTROLS = "".join(chr(c) for c in range(1, 32)) + "\x7f"
AWKWARD = [
    ('say "hi" \\ back\\slash', 'line\nbreak\ttab \x01 soh / slash'),
    ("ctrl " + ALL_CONTROLS[:40], ALL_CONTROLS),
    ("emoji \U0001F600 caf\u00e9 \u65e5\u672c \u2028\ufeff",
     "</script><b>&amp; \U0001F4A9"),
    ('"', "\\"),
    ("plain", None),
]
SERVICE_KEYS = ["id", "name", "description", "created_by", "created_at",
                "bia", "dependencies", "status", "last_updated", "public",
                "in_maintenance"]
BIA_KEYS = ["criticality", "impact", "rto", "rpo", "signed_off",
            "signed_off_by", "signed_off_at", "dependencies"]


def json_c_text(value):
    """What json-c 0.16 writes for a scalar (JSON_C_TO_STRING_PLAIN |
    JSON_C_TO_STRING_NOSLASHESCAPE): in strings \\b \\t \\n \\f \\r
    \\" \\\\ short, the other control characters \\u00xx in lower-case
    hex, everything else ('/', DEL, non-ASCII) as it is."""
    if isinstance(value, str):
        short = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r", '"': '\\"', "\\": "\\\\"}
        return '"%s"' % "".join(
            short.get(c) or ("\\u%04x" % ord(c) if ord(c) < 32 else c)
            for c in value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Pairs(list):
    """An object as the ordered list of its members."""


class Raw(str):
    """A number as the text it came as."""


def ordered(text, raw_numbers=False):
    """text's value, objects as Pairs; with raw_numbers, numbers as Raw
    (a "%.2f" number keeps its text: 1.50 stays 1.50)."""
    if raw_numbers:
        return json.loads(text, object_pairs_hook=Pairs, parse_float=Raw,
                          parse_int=Raw)
    return json.loads(text, object_pairs_hook=Pairs)


def json_c_of(body, raw_numbers=False):
    """body's value written again as json-c would write it: no spaces,
    members in the order they came (numbers as their text with
    raw_numbers)."""
    def text(v):
        if isinstance(v, Pairs):
            return "{%s}" % ",".join(json_c_text(k) + ":" + text(x)
                                     for k, x in v)
        if isinstance(v, list):
            return "[%s]" % ",".join(text(x) for x in v)
        if isinstance(v, Raw):
            return str(v)
        return json_c_text(v)
    return text(ordered(body.decode("utf-8"), raw_numbers)).encode("utf-8")


def check_json_headers(case, list_path, item_path, token, total):
    """GET and HEAD of a list's page and of an item answer with the
    headers every JSON answer has, HEAD with no body; the page has its
    size, the list's total and a next link."""
    for path in (list_path + "?per_page=3&page=2", item_path):
        with case.subTest(path=path):
            g = api("GET", path, token=token)
            h = api("HEAD", path, token=token)
            case.assertEqual((g.status, h.status), (200, 200))
            case.assertEqual(g.headers["Content-Type"], "application/json")
            case.assertEqual(h.headers["Content-Type"], "application/json")
            case.assertEqual(g.headers["X-Content-Type-Options"], "nosniff")
            case.assertEqual(g.headers["Cache-Control"], "no-store")
            case.assertEqual(int(g.headers["Content-Length"]), len(g.body))
            case.assertEqual(h.headers["Content-Length"],
                             g.headers["Content-Length"])
            case.assertEqual(h.body, b"")
            case.assertEqual(h.headers.get("X-Total-Count"),
                             g.headers.get("X-Total-Count"))
    page = api("GET", list_path + "?per_page=3&page=2", token=token)
    case.assertEqual(len(page.json), 3)
    case.assertEqual(int(page.headers["X-Total-Count"]), total)
    case.assertIn('rel="next"', page.headers["Link"])


def newest_page(path, token, m):
    """A page of path's list (in id order) that holds its m newest items,
    one answer as a client gets it: the list may be longer than a page
    of 1000, so the page size is one at which the last page holds m
    items or more."""
    r = api("GET", path + "?per_page=1", token=token)
    assert r.status == 200, r
    total = int(r.headers["X-Total-Count"])
    size = next(n for n in range(min(1000, max(total, m)), m - 1, -1)
                if total % n == 0 or total % n >= m)
    r = api("GET", "%s?per_page=%d&page=%d"
            % (path, size, (total + size - 1) // size), token=token)
    assert r.status == 200 and len(r.json) >= m, r
    return r


class ServicesWritten(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        """Each awkward name without a BIA, with a full one (and a
        dependency) and with one of a single field (nulls)."""
        cls.dep = create_service(name="jsonw dependency")
        cls.made = {}
        for name, desc in AWKWARD:
            body = {"name": name}
            if desc is not None:
                body["description"] = desc
            cls.made[create_service(**body)] = (name, desc, None)
            full = {"criticality": "High", "impact": "Severe", "rto": 30,
                    "rpo": 0, "dependencies": [cls.dep], "signed_off": True}
            cls.made[create_service(**dict(body, **full))] = (name, desc,
                                                               full)
            part = {"criticality": "low"}
            cls.made[create_service(**dict(body, **part))] = (name, desc,
                                                               part)
        cls.listed = newest_page("/api/services", client.viewer_token(),
                                 len(cls.made) + 1)

    def check_service(self, sid, s):
        name, desc, bia = self.made[sid]
        self.assertEqual([k for k, _ in s][:len(SERVICE_KEYS)], SERVICE_KEYS)
        d = dict(s)
        self.assertEqual((d["id"], d["name"], d["description"]),
                         (sid, name, desc))
        self.assertRegex(d["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertTrue(d["created_by"])
        self.assertEqual((d["status"], d["last_updated"], d["public"],
                          d["in_maintenance"]), ("Unknown", None, False, False))
        if bia is None:
            self.assertIsNone(d["bia"])
            self.assertEqual(d["dependencies"], [])
            return
        self.assertEqual([k for k, _ in d["bia"]], BIA_KEYS)
        b = dict(d["bia"])
        if "rto" in bia:
            self.assertEqual((b["criticality"], b["impact"], b["rto"],
                              b["rpo"], b["signed_off"], b["dependencies"]),
                             ("High", "Severe", 30, 0, True, [self.dep]))
            self.assertEqual(b["signed_off_by"], d["created_by"])
            self.assertRegex(b["signed_off_at"], r"Z$")
            self.assertEqual(d["dependencies"], [self.dep])
        else:
            self.assertEqual((b["criticality"], b["impact"], b["rto"],
                              b["rpo"], b["signed_off"], b["signed_off_by"],
                              b["signed_off_at"], b["dependencies"]),
                             ("Low", None, None, None, False, None, None, []))

    def test_list_gives_them_exactly(self):
        items = {dict(s)["id"]: s for s in ordered(self.listed.text)}
        for sid in self.made:
            with self.subTest(sid=sid):
                self.check_service(sid, items[sid])
                self.assertEqual(len(items[sid]), len(SERVICE_KEYS))

    def test_get_gives_them_exactly(self):
        listed = {s["id"]: s for s in self.listed.json}
        for sid in self.made:
            with self.subTest(sid=sid):
                r = api("GET", "/api/services/%d" % sid,
                        token=client.viewer_token())
                self.assertEqual(r.status, 200, r)
                s = ordered(r.text)
                self.check_service(sid, s)
                self.assertEqual([k for k, _ in s][-1], "open_tickets")
                self.assertEqual(dict(s)["open_tickets"], [])
                # The list's item is the service without its tickets.
                del r.json["open_tickets"]
                self.assertEqual(r.json, listed[sid])

    def test_text_is_json_c_text(self):
        """Byte for byte what json-c wrote for these answers before."""
        self.assertEqual(self.listed.body, json_c_of(self.listed.body))
        for sid in self.made:
            r = api("GET", "/api/services/%d" % sid,
                    token=client.viewer_token())
            self.assertEqual(r.body, json_c_of(r.body), sid)
        self.assertIn(b'\\u0001\\u0002', self.listed.body)
        self.assertIn(b"\\b\\t\\n\\u000b\\f\\r", self.listed.body)
        self.assertIn("\x7f".encode(), self.listed.body)
        self.assertIn("\U0001F600 caf\u00e9".encode(), self.listed.body)
        self.assertIn(b"</script>", self.listed.body)

    def test_headers_of_a_json_answer(self):
        check_json_headers(self, "/api/services", "/api/services/%d"
                           % next(iter(self.made)), client.viewer_token(),
                           int(self.listed.headers["X-Total-Count"]))

    def test_empty_page_and_errors_unchanged(self):
        token = client.viewer_token()
        r = api("GET", "/api/services?per_page=1000&page=999", token=token)
        self.assertEqual((r.status, r.body), (200, b"[]"))
        r = api("GET", "/api/services?page=0", token=token)
        self.assertEqual((r.status, r.json), (400, {
            "error": "Invalid page or per_page"}))
        r = api("GET", "/api/services/999999999", token=token)
        self.assertEqual((r.status, r.json), (404, {
            "error": "Service not found"}))

    def test_console_reads_them(self):
        b, _ = logged_in("user")
        sid = next(s for s, m in self.made.items() if m[0] == AWKWARD[2][0])
        r = b.get("/console/services/%d" % sid)
        self.assertEqual(r.status, 200, r)
        self.assertIn(AWKWARD[2][0], r.text)
        r = b.get("/console")
        self.assertEqual(r.status, 200, r)


def list_items(body):
    """The raw text of each item of a list answer's array, in order."""
    text, dec, items = body.decode("utf-8"), json.JSONDecoder(), []
    assert text[0] == "[", text[:20]
    i = 1
    while text[i] != "]":
        value, end = dec.raw_decode(text, i)
        items.append((value["id"], text[i:end]))
        i = end + 1 if text[end] == "," else end
    return items


class KeptItems(unittest.TestCase):
    """The list reads the members from "name" to "dependencies" from the
    text each row keeps (sql/037, made by MariaDB), the single service
    makes them in the worker from the columns: the two agree byte for
    byte on what the API writes and on what only the database could
    hold (a criticality or impact in another case or none of the names,
    a missing rto, the epoch and earlier as times, a
    control character in signed_off_by, the text \\u001F and a real
    control character side by side), and the kept text follows every
    change of its row."""

    @classmethod
    def setUpClass(cls):
        full = {"criticality": "High", "impact": "Severe", "rto": 30,
                "rpo": 0, "signed_off": True}
        cls.dep = create_service(name="kept dependency")
        cls.odd = [create_service(name="kept %d \\u001F \x1f \x1b[0m" % i,
                                  description="d \\\\u000B \x0b\x1e /",
                                  dependencies=[cls.dep], **full)
                   for i in range(3)]
        cls.plain = create_service(name="kept plain")
        a, b, c = cls.odd
        # The BIA table and the row's copy alike (sql/033), so that the
        # copy's own check (test_service_summary) still holds.
        for sets, sid in (
                ("criticality = 'mEdium', impact = 'bogus', rto = NULL, "
                 "rpo = 5, signed_off = 0, signed_off_by = 'x\x1fy', "
                 "signed_off_at = '1970-01-01 00:00:00'", a),
                ("criticality = 'HIGH', impact = 'moderate', "
                 "signed_off_at = '1960-01-01 00:00:00'", b),
                ("criticality = 'none', impact = NULL", c)):
            client.sql("UPDATE bia SET %s WHERE service_id = %d; "
                       "UPDATE services s JOIN bia b ON b.service_id = s.id "
                       "SET s.bia_criticality = b.criticality, "
                       "s.bia_impact = b.impact, s.bia_rto = b.rto, "
                       "s.bia_rpo = b.rpo, s.bia_signed_off = b.signed_off, "
                       "s.bia_signed_off_by = b.signed_off_by, "
                       "s.bia_signed_off_at = b.signed_off_at "
                       "WHERE s.id = %d" % (sets, sid, sid))
        client.sql("UPDATE services SET created_at = '1969-07-20 20:17:40' "
                   "WHERE id = %d; UPDATE services SET created_at = "
                   "'1970-01-01 00:00:00' WHERE id = %d" % (a, b))

    @classmethod
    def tearDownClass(cls):
        for sid in cls.odd + [cls.plain, cls.dep]:
            api("DELETE", "/api/services/%d" % sid,
                token=client.admin_token())

    def check_same(self):
        listed = dict(list_items(newest_page(
            "/api/services", client.viewer_token(), 5).body))
        for sid in self.odd + [self.plain, self.dep]:
            with self.subTest(sid=sid):
                r = api("GET", "/api/services/%d" % sid,
                        token=client.viewer_token())
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.text.endswith(',"open_tickets":[]}'))
                self.assertEqual(listed[sid],
                                 r.text[:-len(',"open_tickets":[]}')] + "}")
        return listed

    def test_odd_rows_alike(self):
        listed = self.check_same()
        a, b, c = (json.loads(listed[sid]) for sid in self.odd)
        self.assertEqual((a["created_at"], a["bia"]["criticality"],
                          a["bia"]["impact"], a["bia"]["rto"],
                          a["bia"]["rpo"], a["bia"]["signed_off"],
                          a["bia"]["signed_off_by"],
                          a["bia"]["signed_off_at"]),
                         ("1970-01-01T00:00:00Z", "Medium", None, None, 5,
                          False, "x\x1fy", None))
        self.assertEqual((b["created_at"], b["bia"]["criticality"],
                          b["bia"]["impact"], b["bia"]["signed_off_at"]),
                         (None, "High", "Moderate", "1970-01-01T00:00:00Z"))
        self.assertEqual((c["bia"]["criticality"], c["bia"]["impact"]),
                         (None, None))
        self.assertEqual(a["name"], "kept 0 \\u001F \x1f \x1b[0m")
        self.assertIn(r'"kept 0 \\u001F \u001f \u001b[0m"', listed[self.odd[0]])
        self.assertEqual(a["description"], "d \\\\u000B \x0b\x1e /")
        self.assertEqual(a["dependencies"], [self.dep])

    def test_follows_every_change_of_its_row(self):
        sid, gone = self.plain, create_service(name="kept, then gone")
        steps = [
            ("PUT", "/api/services/%d" % sid, {"name": "kept \t renamed",
                                              "description": "now \u00e9"}),
            ("PUT", "/api/services/%d/bia" % sid, {"criticality": "Low",
                                                  "impact": "High",
                                                  "rto": 9, "rpo": 3}),
            ("PUT", "/api/services/%d/bia" % sid, {"signed_off": True}),
            ("PUT", "/api/services/%d" % sid,
             {"dependencies": [gone, self.dep, self.odd[1]]}),
            ("DELETE", "/api/services/%d" % gone, None),
            ("POST", "/api/services/%d/status" % sid, {"status": "Down"}),
            ("DELETE", "/api/services/%d/bia" % sid, None),
        ]
        for method, path, body in steps:
            with self.subTest(step=path):
                r = api(method, path, body, token=client.admin_token())
                self.assertIn(r.status, (200, 201, 204), r)
                self.check_same()
        got = api("GET", "/api/services/%d" % sid,
                  token=client.viewer_token()).json
        self.assertEqual((got["name"], got["bia"], got["dependencies"],
                          got["status"]),
                         ("kept \t renamed", None,
                          sorted([self.dep, self.odd[1]]), "Down"))


class AuditWritten(unittest.TestCase):
    """GET /api/audit, written with util/jsonw too: json-c's text, the
    seed's members in order, each entry as the log holds it (an entry
    without a user or an entity has null there)."""

    KEYS = ["id", "action", "entity", "entity_id", "timestamp", "user_id",
            "username"]

    def test_text_order_and_values(self):
        # An entry with no user (a failed login) and one with no entity.
        api("POST", "/api/auth/login", {"username": "no such user",
                                        "password": "wrong password"})
        create_service()
        token = client.admin_token()
        r = api("GET", "/api/audit?per_page=100", token=token)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, json_c_of(r.body))
        self.assertEqual(r.headers["Content-Type"], "application/json")
        items = ordered(r.body.decode("utf-8"))
        total = int(client.sql("SELECT COUNT(*) FROM audit_log"))
        self.assertEqual(len(items), min(100, total))
        self.assertTrue(all([k for k, _ in e] == self.KEYS for e in items))
        got = [[v for _, v in e] for e in items]
        rows = client.sql(
            "SELECT id, action, entity, IFNULL(entity_id, 'null'), "
            "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), "
            "IFNULL(user_id, 'null'), IFNULL(username, 'null') "
            "FROM audit_log ORDER BY id DESC LIMIT 100").splitlines()
        want = [[None if x == "null" else int(x) if i in (0, 3, 5) else x
                 for i, x in enumerate(line.split("\t"))] for line in rows]
        self.assertEqual(got, want)
        self.assertIn(None, [e[5] for e in got])
        self.assertIn(None, [e[3] for e in got])
        self.assertEqual(int(r.headers["X-Total-Count"]), total)

NOTIFICATION_KEYS = ["id", "user_id", "message", "type", "read",
                     "created_at", "ticket_id"]


class NotificationsWritten(unittest.TestCase):
    """The caller's notifications, written with util/jsonw (issue
    "Speed"): awkward messages come back exactly, members in their old
    order, a ticket id or null, in json-c's own compact text."""

    def test_awkward_messages(self):
        token = client.admin_token()
        me = api("GET", "/api/auth/me", token=token).json["id"]
        r = api("POST", "/api/tickets", {"title": "jsonw notification",
                                         "service_id": create_service()},
                token=token)
        self.assertEqual(r.status, 201, r)
        tid = r.json["id"]
        made = []
        for k, (msg, _) in enumerate(AWKWARD):
            made.append((msg[:500], tid if k % 2 else None, k % 2 == 1))
        client.sql("INSERT INTO notifications (user_id, message, type, "
                   "is_read, ticket_id, created_at) VALUES " + ", ".join(
                       "(%d, CONVERT(FROM_BASE64('%s') USING utf8mb4), 'ALERT', "
                       "%d, %s, "
                       "UTC_TIMESTAMP())" % (
                           me, base64.b64encode(m.encode()).decode(),
                           read, t or "NULL") for m, t, read in made))
        r = api("GET", "/api/notifications?per_page=%d" % len(made),
                token=token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, json_c_of(r.body))
        got = ordered(r.body.decode("utf-8"))
        self.assertEqual([[k for k, _ in n] for n in got],
                         [NOTIFICATION_KEYS] * len(made))
        self.assertEqual([(d["message"], d["ticket_id"], d["read"],
                           d["type"], d["user_id"]) for d in map(dict, got)],
                         [(m, t, read, "ALERT", me)
                          for m, t, read in reversed(made)])
        r = api("GET", "/api/notifications?unread=true&per_page=1",
                token=token)
        self.assertEqual(r.body, json_c_of(r.body))


if __name__ == "__main__":
    unittest.main()


class RiskAndUsersWritten(unittest.TestCase):
    """A service's risk history and the user list, written with
    util/jsonw (issue 13): json-c's compact text byte for byte, members
    in its order, awkward reasons and names as they were stored."""

    RISK_KEYS = ["id", "service_id", "risk_score", "risk_level",
                 "is_critical", "reason", "source", "created_by",
                 "created_at"]
    USER_KEYS = ["id", "username", "role", "email", "name", "active",
                 "created_at"]

    def test_risk_history(self):
        sid = create_service()
        reasons = [name + (desc or "") for name, desc in AWKWARD]
        for k, reason in enumerate(reasons):
            r = api("POST", "/api/risk/%d/manual" % sid,
                    {"risk_score": 10 * k, "risk_level": "High",
                     "reason": reason}, token=client.analyst_token())
            self.assertIn(r.status, (200, 201), r)
        r = api("GET", "/api/risk/%d/history?per_page=1000" % sid,
                token=client.viewer_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, json_c_of(r.body))
        items = ordered(r.text)
        self.assertEqual(len(items), len(reasons))
        for item in items:
            self.assertEqual([k for k, _ in item], self.RISK_KEYS)
        self.assertEqual(sorted(dict(i)["reason"] for i in items),
                         sorted(reasons))
        self.assertIn(b"\\u0001\\u0002", r.body)

    def test_user_list(self):
        admin = client.admin_token()
        made = {}
        for name, desc in AWKWARD:
            _, _, token = client.user_with_role("Engineer")
            uid = api("GET", "/api/auth/me", token=token).json["id"]
            r = api("PUT", "/api/users/%d" % uid, {"name": name},
                    token=admin)
            self.assertEqual(r.status, 200, r)
            made[uid] = name
        r = api("GET", "/api/users?per_page=1000", token=admin)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, json_c_of(r.body))
        items = {dict(i)["id"]: i for i in ordered(r.text)}
        for uid, name in made.items():
            self.assertEqual([k for k, _ in items[uid]], self.USER_KEYS)
            self.assertEqual(dict(items[uid])["name"], name)
            self.assertEqual(dict(items[uid])["email"], None)


class EnvelopesWritten(unittest.TestCase):
    """Lists in an envelope, written with util/jsonw (issue 13): a
    service's downtimes in the seed's object naming the service, the
    API keys in the security seed's {api_keys, pagination}: json-c's
    compact text byte for byte, members in its order."""

    DOWNTIME_KEYS = ["id", "service_id", "start_time", "end_time", "reason",
                     "duration", "total_minutes"]
    KEY_KEYS = ["key_id", "key_name", "prefix", "user_id", "permissions",
                "rate_limit", "is_active", "created_at", "last_used_at",
                "last_used_ip", "expires_at", "revoked_at"]
    PAGINATION_KEYS = ["page", "per_page", "total", "pages", "has_next",
                       "has_prev"]

    def test_downtimes(self):
        name, desc = AWKWARD[1]
        sid = create_service(name=name)
        for k, (reason, _) in enumerate(AWKWARD):
            r = api("POST", "/api/services/%d/downtime" % sid, {
                "start_time": "2020-01-0%dT10:00:00Z" % (k + 1),
                "end_time": "2020-01-0%dT11:3%d:00Z" % (k + 1, k),
                "reason": reason}, token=client.owner_token())
            self.assertIn(r.status, (200, 201), r)
        r = api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": "2020-02-01T00:00:00Z"},
                token=client.owner_token())
        self.assertIn(r.status, (200, 201), r)
        for query in ("", "?per_page=2&page=2", "?page=99"):
            r = api("GET", "/api/services/%d/downtime%s" % (sid, query),
                    token=client.viewer_token())
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.body, json_c_of(r.body), query)
            o = ordered(r.text)
            self.assertEqual([k for k, _ in o], ["service_id", "service_name",
                                                 "downtime_count",
                                                 "downtimes"])
            self.assertEqual(dict(o)["service_name"], name)
            self.assertEqual(dict(o)["downtime_count"], len(AWKWARD) + 1)
            for item in dict(o)["downtimes"]:
                self.assertEqual([k for k, _ in item], self.DOWNTIME_KEYS)
        r = api("GET", "/api/services/%d/downtime" % sid,
                token=client.viewer_token())
        got = sorted((d["reason"], d["total_minutes"])
                     for d in r.json["downtimes"] if d["end_time"])
        self.assertEqual(got, sorted((reason, 90 + k) for k, (reason, _)
                                     in enumerate(AWKWARD)))
        self.assertTrue(any(d["end_time"] is None
                            for d in r.json["downtimes"]))

    def test_api_keys(self):
        admin = client.admin_token()
        for name, _ in AWKWARD[:3]:
            r = api("POST", "/api/v1/security/api-keys/create", {
                "key_name": name, "permissions": ["heartbeat", "read"]},
                token=admin)
            self.assertIn(r.status, (200, 201), r)
        for query in ("", "?per_page=2&page=2", "?page=9999"):
            r = api("GET", "/api/v1/security/api-keys" + query, token=admin)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.body, json_c_of(r.body), query)
            o = ordered(r.text)
            self.assertEqual([k for k, _ in o], ["api_keys", "pagination"])
            self.assertEqual([k for k, _ in dict(o)["pagination"]],
                             self.PAGINATION_KEYS)
            for item in dict(o)["api_keys"]:
                self.assertEqual([k for k, _ in item], self.KEY_KEYS)
        names = [k["key_name"] for k in api(
            "GET", "/api/v1/security/api-keys?per_page=100",
            token=admin).json["api_keys"]]
        for name, _ in AWKWARD[:3]:
            self.assertIn(name, names)
