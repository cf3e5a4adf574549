"""The ticket answers written with util/jsonw instead of json-c objects
(issue 13): every list of tickets and GET /api/tickets/<id> (and the
writes that answer the ticket) give the text json-c wrote before, byte
for byte: members in their old order, strings escaped as json-c escapes
them (quotes, backslashes, every control character, DEL, emoji,
non-ASCII pass through), nulls where a ticket has no value, the hours as
"%.2f" numbers, the calendar as the SLA routes show it, with the headers
a JSON answer always had."""

import json
import unittest

import client
import test_jsonw_list
from client import api, create_service
from test_jsonw_list import ALL_CONTROLS, check_json_headers
from test_tickets import Person, age, create, manager

KEYS = ["id", "title", "customer", "description", "priority", "status",
        "assignee_id", "assignee_name", "created_by_user_id", "service_id",
        "downtime_id", "created_at", "updated_at", "resolved_at",
        "sla_limit_hours", "time_elapsed_hours", "risk_percentage",
        "risk_level", "due_at", "warn_percent", "first_response_hours",
        "first_response_at", "first_response_due_at",
        "first_response_breached", "paused_hours", "paused_since",
        "escalated_at", "calendar"]
CALENDAR_KEYS = ["time_zone", "working_days", "start", "end", "holidays"]
# What moves with the clock between two reads of a running ticket.
MOVING = {"time_elapsed_hours", "risk_percentage", "risk_level",
          "first_response_breached"}
HOURS = ("time_elapsed_hours", "risk_percentage", "paused_hours")
ISO = r'^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$'
CALENDAR = {"time_zone": "Europe/Berlin", "working_days": [1, 2, 3, 4, 5],
            "start": "09:00", "end": "17:30",
            "holidays": ["2026-12-25", "2026-12-26"]}
AWKWARD = [
    ('say "hi" \\ back\\slash', "Cust \"q\" / slash",
     "line\nbreak\ttab \x01 soh"),
    ("ctrl " + ALL_CONTROLS[:20], ALL_CONTROLS, ALL_CONTROLS[::-1]),
    ("emoji \U0001F600 caf\u00e9 \u65e5\u672c \u2028\ufeff", None,
     "</script><b>&amp; \U0001F4A9"),
    ("plain", None, None),
]


def ordered(body):
    return test_jsonw_list.ordered(body.decode("utf-8"), raw_numbers=True)


def json_c_of(body):
    """body's value written again as json-c writes it (no spaces,
    members in the order they came, numbers as their text)."""
    return test_jsonw_list.json_c_of(body, raw_numbers=True)


def item_texts(body):
    """id -> the exact bytes of each ticket object in a list's body."""
    out, depth, start, in_str, esc = {}, 0, None, False, False
    for i, c in enumerate(body.decode("utf-8")):
        if in_str:
            esc, in_str = (False, True) if esc else (c == "\\", c != '"')
            continue
        if c == '"':
            in_str = True
        elif c == "{":
            depth += 1
            if depth == 1:
                start = i
        elif c == "}":
            depth -= 1
            if depth == 0:
                text = body.decode("utf-8")[start:i + 1]
                out[json.loads(text)["id"]] = text.encode("utf-8")
    return out


class TicketsWritten(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        """Tickets of every kind: awkward titles, customers and
        descriptions (and none), assigned and unassigned, a user's own,
        resolved, waiting on the customer (paused), escalated, breached,
        one with a downtime, one without a first-response target, and
        one under a working-hours calendar."""
        cls.tech = Person("Technician")
        cls.user = Person("user")
        tok = manager().token
        svc = create_service()
        cls.made = {}
        for i, (title, cust, desc) in enumerate(AWKWARD):
            body = {"title": title, "priority": ("LOW", "MEDIUM", "HIGH",
                                                 "CRITICAL")[i]}
            if cust is not None:
                body["customer"] = cust
            if desc is not None:
                body["description"] = desc
            t = create(tok, **dict(body, assignee_id=cls.tech.id,
                                   service_id=svc))
            cls.made[t["id"]] = ("assigned", title, cust, desc)
            t = create(cls.user.token if i % 2 else tok, **body)
            cls.made[t["id"]] = ("unassigned", title, cust, desc)
        ids = list(cls.made)
        cls.resolved, cls.waiting, cls.escalated = ids[0], ids[1], ids[2]
        cls.breached, cls.downtime, cls.no_fr = ids[4], ids[5], ids[6]
        age(cls.breached, 30 * 86400)
        age(ids[3], 30 * 86400)		# the user's, breached
        age(cls.resolved, 3 * 3600 + 17)
        r = api("POST", "/api/tickets/%d/resolve" % cls.resolved, token=tok)
        assert r.status == 200, r
        r = api("PUT", "/api/tickets/%d" % cls.waiting,
                {"status": "WAITING_ON_CUSTOMER"}, token=tok)
        assert r.status == 200, r
        client.sql("UPDATE tickets SET status = 'ESCALATED', escalated_at = "
                   "UTC_TIMESTAMP() WHERE id = %d" % cls.escalated)
        r = api("POST", "/api/services/%d/status" % svc, {"status": "Down"},
                token=client.owner_token())
        assert r.status in (200, 201), r
        client.sql("UPDATE tickets SET downtime_id = (SELECT MAX(id) FROM "
                   "downtimes WHERE service_id = %d) WHERE id = %d"
                   % (svc, cls.downtime))
        client.sql("UPDATE tickets SET first_response_hours = NULL, "
                   "fr_due_at = NULL WHERE id = %d" % cls.no_fr)
        # Behind every writer's back: the analytics' aggregates follow.
        for tid in (cls.escalated, cls.downtime, cls.no_fr):
            client.admin_cli("tickets", "retally", str(tid))
        r = api("PUT", "/api/sla/config/MEDIUM", {"calendar": CALENDAR},
                token=tok)
        assert r.status == 200, r
        try:
            cls.calendared = create(tok, title="calendar",
                                    priority="MEDIUM")["id"]
        finally:
            r = api("PUT", "/api/sla/config/MEDIUM", {"calendar": None},
                    token=tok)
            assert r.status == 200, r
        cls.made[cls.calendared] = ("unassigned", "calendar", None, None)
        cls.listed = api("GET", "/api/tickets?per_page=1000", token=tok)
        assert cls.listed.status == 200, cls.listed

    def test_members_in_order_with_their_values(self):
        items = {int(dict(t)["id"]): t for t in ordered(self.listed.body)}
        for tid, (kind, title, cust, desc) in self.made.items():
            with self.subTest(tid=tid):
                t = items[tid]
                self.assertEqual([k for k, _ in t], KEYS)
                d = dict(t)
                self.assertEqual((d["title"], d["customer"],
                                  d["description"]), (title, cust, desc))
                if kind == "unassigned":
                    self.assertEqual((d["assignee_id"], d["assignee_name"]),
                                     (None, "Unassigned"))
                else:
                    self.assertEqual((int(d["assignee_id"]),
                                      d["assignee_name"]),
                                     (self.tech.id, self.tech.name))
                for k in HOURS:
                    self.assertRegex(d[k], r"^\d+\.\d\d$", k)

    def test_kinds_of_ticket(self):
        items = {int(dict(t)["id"]): dict(t)
                 for t in ordered(self.listed.body)}
        r = items[self.resolved]
        self.assertEqual((r["status"], r["risk_level"]), ("RESOLVED", "SAFE"))
        self.assertEqual(r["time_elapsed_hours"], "3.00")
        self.assertRegex(json.dumps(r["resolved_at"]), ISO)
        self.assertEqual(items[self.waiting]["status"], "WAITING_ON_CUSTOMER")
        self.assertRegex(json.dumps(items[self.waiting]["paused_since"]), ISO)
        self.assertRegex(json.dumps(items[self.escalated]["escalated_at"]),
                         ISO)
        b = items[self.breached]
        self.assertEqual((b["risk_level"], b["risk_percentage"],
                          b["first_response_breached"]),
                         ("BREACHED", "100.00", True))
        self.assertIsNotNone(items[self.downtime]["downtime_id"])
        self.assertEqual((items[self.no_fr]["first_response_hours"],
                          items[self.no_fr]["first_response_due_at"]),
                         (None, None))
        self.assertEqual([k for k, _ in items[self.calendared]["calendar"]],
                         CALENDAR_KEYS)
        plain = {t["id"]: t for t in self.listed.json}
        self.assertEqual(plain[self.calendared]["calendar"], CALENDAR)
        self.assertIsNone(items[self.resolved]["calendar"])
        self.assertIsNone(items[self.waiting]["service_id"])

    def test_text_is_json_c_text(self):
        """Byte for byte what json-c wrote for these answers before."""
        self.assertEqual(self.listed.body, json_c_of(self.listed.body))
        body = self.listed.body
        self.assertIn(b'\\u0001\\u0002', body)
        self.assertIn(b"\\b\\t\\n\\u000b\\f\\r", body)
        self.assertIn("\x7f".encode(), body)
        self.assertIn("\U0001F600 caf\u00e9".encode(), body)
        self.assertIn(b"</script>", body)
        self.assertIn(b'"customer":"Cust \\"q\\" / slash"', body)
        self.assertIn(b'"customer":null,', body)
        self.assertIn(b'"calendar":{"time_zone":"Europe/Berlin",'
                      b'"working_days":[1,2,3,4,5],"start":"09:00",'
                      b'"end":"17:30","holidays":["2026-12-25",'
                      b'"2026-12-26"]}}', body)
        self.assertIn(b'"calendar":null}', body)

    def test_every_list_and_the_ticket_alike(self):
        """Each list's item is the text GET /api/tickets/<id> answers
        (the clock's readings of a running ticket aside)."""
        tok = manager().token
        listed = item_texts(self.listed.body)
        paths = [("/api/tickets/high-risk", tok),
                 ("/api/tickets/escalated", tok),
                 ("/api/tickets?priority=HIGH&risk_level=BREACHED", tok),
                 ("/api/tickets?assignee_id=%d" % self.tech.id, tok),
                 ("/api/tickets", self.tech.token)]
        paths += [("/api/users/tickets/" + w, self.user.token)
                  for w in ("my-tickets", "active", "high-priority",
                            "breached", "closed")]
        seen = set()
        for path, token in paths:
            sep = "&" if "?" in path else "?"
            r = api("GET", path + sep + "per_page=1000", token=token)
            self.assertEqual(r.status, 200, (path, r))
            self.assertEqual(r.body, json_c_of(r.body), path)
            for tid, text in item_texts(r.body).items():
                if tid in self.made:
                    seen.add(path)
                    self.assertEqual(self.without_moving(text),
                                     self.without_moving(listed[tid]), path)
        self.assertEqual(len(seen), len(paths) - 1, seen)	# closed: none
        for tid in self.made:
            with self.subTest(tid=tid):
                g = api("GET", "/api/tickets/%d" % tid, token=tok)
                self.assertEqual(g.status, 200, g)
                self.assertEqual(g.body, json_c_of(g.body))
                self.assertEqual([k for k, _ in ordered(g.body)], KEYS)
                self.assertEqual(self.without_moving(g.body),
                                 self.without_moving(listed[tid]))
                if tid in (self.resolved, self.waiting):
                    self.assertEqual(g.body, listed[tid])

    @staticmethod
    def without_moving(text):
        t = ordered(text)
        return [(k, v) for k, v in t if k not in MOVING]

    def test_writes_answer_the_same_text(self):
        tok = manager().token
        r = api("POST", "/api/tickets", {"title": AWKWARD[1][0],
                                         "customer": ALL_CONTROLS}, token=tok)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body, json_c_of(r.body))
        self.assertEqual([k for k, _ in ordered(r.body)], KEYS)
        tid = r.json["id"]
        r = api("PUT", "/api/tickets/%d" % tid, {"description": "x\\y"},
                token=tok)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, json_c_of(r.body))
        self.assertIn(b'"description":"x\\\\y"', r.body)

    def test_headers_of_a_json_answer(self):
        tok = manager().token
        check_json_headers(self, "/api/tickets", "/api/tickets/%d"
                           % self.resolved, tok, len(self.listed.json))
        r = api("GET", "/api/tickets?per_page=1000&page=999", token=tok)
        self.assertEqual((r.status, r.body), (200, b"[]"))
        r = api("GET", "/api/tickets/999999999", token=tok)
        self.assertEqual((r.status, r.json), (404, {
            "error": "Ticket not found"}))


if __name__ == "__main__":
    unittest.main()
