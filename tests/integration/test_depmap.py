"""GET /api/services/dependencies, the whole dependency map (CONTRACT
section 3; the seed's "Get Dependencies"), unpaginated: byte for byte the
text that the tables say it is.

The expected text is made here, independently of the route's statement:
each table read on its own with the mariadb client (names as hex, so
every byte comes back as it is), joined and ordered in Python, written
as json-c writes it (test_jsonw_list.json_c_text).  It was checked
against the json-c build of the route first (2026-12-05), then kept
passing when the route moved to util/jsonw and one index-ordered
statement.  The data set is varied on purpose: services with a full
BIA, a partial one (nulls) and none; rto/rpo 0 and null; every status,
and none (Unknown); names that need JSON escapes, control characters,
DEL, non-ASCII and emoji; dependencies given out of order; services
with no dependencies (not listed); one service depended on by many;
and rows tampered in SQL to what the API never writes (a status in
another case, one it does not know, a criticality as stored), which the
map shows as it always did.  The map holds every service of the stack,
the other modules' too: the comparison is of the whole answer."""

import unittest

import client
from client import api, create_service, owner_token
from test_jsonw_list import ALL_CONTROLS, json_c_text

STATUSES = ("Up", "Degraded", "Down", "Unknown")
# status_parse's spellings (ASCII case-insensitive; "Healthy" is Up);
# anything else is Unknown.
STATUS_OF = {"up": "Up", "degraded": "Degraded", "down": "Down",
             "unknown": "Unknown", "healthy": "Up"}
NAMES = [
    'say "hi" \\ back\\slash',
    "ctrl " + ALL_CONTROLS[:30],
    "tail " + ALL_CONTROLS[30:] + " del \x7f / slash",
    "emoji \U0001F600 caf\u00e9 \u65e5\u672c \u2028\ufeff",
    "</script><b>&amp; \U0001F4A9",
    "\u00fc" * 95,
]
BIAS = [
    None,
    {"criticality": "High", "impact": "Severe", "rto": 0, "rpo": 0},
    {"criticality": "Medium", "impact": "Moderate", "rto": 45, "rpo": 525600},
    {"criticality": "Low"},
    {"impact": "Low", "rpo": 30},
    {"rto": 60},
]
DEPENDENTS_OF_HUB = 40


def rows(statement):
    """The mariadb client's rows, split into columns; NULL as None."""
    out = []
    for line in client.sql(statement).splitlines():
        out.append([None if c == "NULL" else c for c in line.split("\t")])
    return out


def text_of_hex(h):
    return None if h is None else bytes.fromhex(h).decode("utf-8")


def int_or_none(v):
    return None if v is None else int(v)


def expected_map():
    """The map's text from the tables, each read alone."""
    names = {int(i): text_of_hex(h)
             for i, h in rows("SELECT id, HEX(name) FROM services")}
    bia = {int(r[0]): (text_of_hex(r[1]), text_of_hex(r[2]),
                       int_or_none(r[3]), int_or_none(r[4]))
           for r in rows("SELECT service_id, HEX(criticality), HEX(impact),"
                         " rto, rpo FROM bia")}
    status = {int(i): STATUS_OF.get(text_of_hex(h).lower(), "Unknown")
              for i, h in rows("SELECT service_id, HEX(status) "
                               "FROM service_status")}
    edges = sorted((int(a), int(b)) for a, b in rows(
        "SELECT service_id, dependency_id FROM service_dependencies"))
    groups = []
    for sid, dep in edges:
        if not groups or groups[-1][0] != sid:
            groups.append((sid, []))
        groups[-1][1].append(dep)
    t = json_c_text
    entries = []
    for sid, deps in groups:
        items = []
        for d in deps:
            crit, impact, rto, rpo = bia.get(d, (None,) * 4)
            items.append(
                '{"service_id":%d,"service_name":%s,"criticality":%s,'
                '"impact":%s,"rto":%s,"rpo":%s,"status":%s}'
                % (d, t(names[d]), t(crit), t(impact), t(rto), t(rpo),
                   t(status.get(d, "Unknown"))))
        entries.append('{"service_id":%d,"service_name":%s,'
                       '"dependencies":[%s]}'
                       % (sid, t(names[sid]), ",".join(items)))
    return ('{"dependencies":[%s]}' % ",".join(entries)).encode("utf-8")


def set_status(sid, status):
    r = api("POST", "/api/services/%d/status" % sid, {"status": status},
            token=owner_token())
    assert r.status == 200, r


class DependencyMap(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        """Targets of every BIA shape, name and status (and none), a hub
        that many depend on, services that depend on them in an order
        the requests do not give, and leaves that depend on nothing."""
        cls.targets = []
        k = 0
        for name in NAMES:
            for bia in BIAS:
                sid = create_service(name="%s %d" % (name, k),
                                     **(bia or {}))
                status = (STATUSES + (None,))[k % 5]
                if status is not None:
                    set_status(sid, status)
                cls.targets.append(sid)
                k += 1
        cls.hub = create_service(name="depmap hub \"\u00e9\"",
                                 criticality="High", impact="High", rto=5)
        set_status(cls.hub, "Down")
        cls.dependents = []
        for i in range(DEPENDENTS_OF_HUB):
            mine = cls.targets[i % len(cls.targets)::7][:3]
            deps = [cls.hub] + list(reversed(mine))
            cls.dependents.append(create_service(
                name=NAMES[i % len(NAMES)][:80] + " dependent %d" % i,
                dependencies=deps))
        # Depends on services made after it: its ids are not its order.
        cls.early = create_service(name="depmap early")
        cls.late = [create_service(name="depmap late %d" % i)
                    for i in range(3)]
        r = api("PUT", "/api/services/%d" % cls.early,
                {"dependencies": [cls.late[2], cls.late[0], cls.late[1],
                                  cls.hub]}, token=owner_token())
        assert r.status == 200, r
        # What the API never writes, as the table may hold it.
        cls.odd = [create_service(name="depmap odd %d" % i,
                                  criticality="Low") for i in range(3)]
        client.sql("INSERT INTO service_status (service_id, status, "
                   "changed_at) VALUES (%d, 'hEaLtHy', UTC_TIMESTAMP()), "
                   "(%d, 'Sideways', UTC_TIMESTAMP())"
                   % (cls.odd[0], cls.odd[1]))
        # The BIA's copy on the service row (sql/033) holds what the
        # table holds, as every writer copies it.
        client.sql("UPDATE bia SET criticality = 'mEdIuM', impact = '' "
                   "WHERE service_id = %d; UPDATE services SET "
                   "bia_criticality = 'mEdIuM', bia_impact = '' WHERE id = %d"
                   % (cls.odd[2], cls.odd[2]))
        cls.odd_dependent = create_service(name="depmap odd dependent",
                                           dependencies=cls.odd)

    @classmethod
    def tearDownClass(cls):
        # The rows the API never writes go, so later modules see none.
        for sid in cls.odd:
            api("DELETE", "/api/services/%d" % sid, token=owner_token())

    def get_map(self):
        r = api("GET", "/api/services/dependencies",
                token=client.engineer_token())
        self.assertEqual(r.status, 200, r)
        return r

    def test_answer_is_what_the_tables_say(self):
        expected = expected_map()
        r = self.get_map()
        if r.body != expected:
            at = next((i for i, (a, b) in enumerate(zip(r.body, expected))
                       if a != b), min(len(r.body), len(expected)))
            self.fail("map differs at byte %d of %d/%d:\n got %r\nwant %r"
                      % (at, len(r.body), len(expected),
                         r.body[max(0, at - 200):at + 200],
                         expected[max(0, at - 200):at + 200]))

    def test_the_data_set_is_what_it_claims(self):
        """The comparison above covers each case: the hub with its many
        dependents, leaves unlisted, every status, nulls, the odd rows."""
        m = {e["service_id"]: e for e in self.get_map().json["dependencies"]}
        listed = [sid for sid, e in m.items()
                  if any(d["service_id"] == self.hub
                         for d in e["dependencies"])]
        self.assertGreaterEqual(len(listed), DEPENDENTS_OF_HUB)
        for sid in self.targets + self.late + [self.hub]:
            self.assertNotIn(sid, m)
        self.assertEqual([d["service_id"] for d in
                          m[self.early]["dependencies"]],
                         sorted(self.late + [self.hub]))
        seen = [d for e in m.values() for d in e["dependencies"]]
        self.assertEqual({d["status"] for d in seen
                          if d["service_id"] in self.targets},
                         set(STATUSES))
        for key in ("criticality", "impact", "rto", "rpo"):
            values = {d[key] for d in seen}
            self.assertIn(None, values, key)
            self.assertGreater(len(values), 2, key)
        self.assertIn(0, {d["rto"] for d in seen})
        odd = m[self.odd_dependent]["dependencies"]
        self.assertEqual([(d["status"], d["criticality"], d["impact"])
                          for d in odd],
                         [("Up", "Low", None), ("Unknown", "Low", None),
                          ("Unknown", "mEdIuM", "")])
        names = {d["service_name"] for d in seen}
        for name in NAMES:
            self.assertTrue(any(n.startswith(name) for n in names), name)

    def test_headers_of_a_json_answer(self):
        g = self.get_map()
        h = api("HEAD", "/api/services/dependencies",
                token=client.engineer_token())
        self.assertEqual(h.status, 200)
        for r in (g, h):
            self.assertEqual(r.headers["Content-Type"], "application/json")
            self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
            self.assertEqual(r.headers["Cache-Control"], "no-store")
        self.assertEqual(int(g.headers["Content-Length"]), len(g.body))
        self.assertEqual(h.headers["Content-Length"],
                         g.headers["Content-Length"])
        self.assertEqual(h.body, b"")

    def test_only_engineers_read_it(self):
        for role in ("Business Owner", "Ops Analyst", "user"):
            r = api("GET", "/api/services/dependencies",
                    token=client.token_for(role))
            self.assertEqual((r.status, r.json), (403, {"error": "Forbidden"}),
                             role)


if __name__ == "__main__":
    unittest.main()
