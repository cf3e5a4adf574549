"""Statements per request (issue 13): every GET route of the API sends a
fixed number of statements to MariaDB whatever the data size, and the
status write (every monitoring agent's heartbeat) at most a few.

Counted by MariaDB itself: the global status counters of prepared
statement executions and transaction statements (Com_stmt_execute,
Com_begin, Com_commit, Com_rollback) before and after one request.  The
workers send nothing but prepared statements and those; this test's own
queries go through the mariadb client as text and count in none of
them, and the test stack runs no resilops-sched, so nothing else moves
the counters while a request is measured.  Each route is measured with
little data, then again after more rows of every kind it lists (and at
per_page=100): the counts must be the same.

The token check is the host's token cache's (src/api/authcache.c) once a
token was checked, and the cache reads the database's change count at
most once a second: one statement more in at most one of three
back-to-back requests.  A request's count is the least of three."""

LAYOUTS = ("single",)
LAYOUTS_WHY = "one MariaDB server's statement counters (Com_*): through the front a request runs on whichever node its host uses"

import json
import os
import time
import unittest

import client
from client import api, create_service, owner_token, unique_name

COUNTERS = ("COM_STMT_EXECUTE", "COM_BEGIN", "COM_COMMIT", "COM_ROLLBACK")

# The lists of issue "Speed" and their statements a page (one with rows).
LIST_STATEMENTS = (
    ("/api/incidents", 2), ("/api/incidents?status=open", 2),
    ("/api/incidents?status=resolved", 2),
    ("/api/notifications", 1), ("/api/notifications?unread=true", 1),
    ("/api/maintenance", 1), ("/api/maintenance?state=scheduled", 1),
    ("/api/maintenance?state=completed", 1),
    ("/api/subscribers", 1),
    ("/api/v1/security/api-keys", 1), ("/api/v1/security/scans", 1),
)
# The active windows are read whole (src/db/db_maintenance.c): a page
# past the end knows its total without a second statement.
ONE_PAST_THE_END = ("/api/maintenance?state=active",)

# At most this many statements per request, whatever the data.
MAX_STATEMENTS = 6
# The heartbeat: one round trip, a CALL of its routine (sql/036), which
# updates the status row, writes the audit entry and commits; MariaDB
# counts the START TRANSACTION and COMMIT the routine runs as statements
# too.
HEARTBEAT_STATEMENTS = 3
# A move into or out of Down: the CALL (its START TRANSACTION, the ROLLBACK
# of the plain heartbeat's try and the START TRANSACTION of the long way)
# leaves the transaction open with the status written; then the downtime
# opened or closed, the service's outages summary (sql/027) and its
# status row's outage_open (sql/036), one bump of the risk job's
# generations (the service and its dependents: sql/018,
# src/db/db_riskstate.c), the audit entry, COMMIT.
TRANSITION_STATEMENTS = 4 + 6


_session = None


def counters():
    """The counters' sum, read over one kept session (client.SqlSession;
    its text queries count in none of them).  A session opened before
    another module restarted MariaDB is gone: a new one is opened and
    asked again, once."""
    global _session
    query = ("SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS "
             "WHERE VARIABLE_NAME IN (%s)" % ",".join("'%s'" % c
                                                     for c in COUNTERS))
    for retry in (True, False):
        if _session is None:
            _session = client.SqlSession()
        try:
            return int(_session.query(query).strip())
        except RuntimeError:
            _session = None
            if not retry:
                raise


def statements(method, path, token, body=None, tries=3):
    """(status, statements) of a request: the least over tries of them
    (the first of a token checks it in the database; the token cache's
    once-a-second look at the change count may fall in one).  One
    reading of the counters ends a try and begins the next."""
    best = None
    before = counters()
    for _ in range(tries):
        r = api(method, path, body, token=token)
        after = counters()
        n = after - before
        before = after
        best = (r.status, n) if best is None or n < best[1] else best
    return best


def open_downtimes(sid):
    return int(client.sql("SELECT COUNT(*) FROM downtimes WHERE service_id = "
                          "%d AND end_time IS NULL" % sid))


def tearDownModule():
    global _session
    if _session is not None:
        _session.close()
        _session = None


def openapi_gets():
    with open(os.path.join(client.TOP, "htdocs", "openapi.json")) as f:
        paths = json.load(f)["paths"]
    return sorted(p for p, v in paths.items() if "get" in v)


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class World:
    """One object of each kind the routes name by id, then more rows of
    every kind (grow), so that each list has more to show."""

    def __init__(self):
        self.admin = client.admin_token()
        self.owner = owner_token()
        self.sid = create_service(unique_name("stmt"), public=True)
        r = api("POST", "/api/risk/%d/manual" % self.sid,
                {"risk_score": 10, "risk_level": "Low"},
                token=client.analyst_token())
        assert r.status in (200, 201), r
        self.ticket = self.make_ticket()
        self.maintenance = self.make_maintenance()
        self.incident = self.make_incident()

    def make_ticket(self):
        r = api("POST", "/api/tickets", {"title": unique_name("t"),
                                         "service_id": self.sid},
                token=self.admin)
        assert r.status == 201, r
        return r.json["id"]

    def make_maintenance(self):
        now = int(time.time())
        r = api("POST", "/api/maintenance", {
            "title": unique_name("m"), "message": "work",
            "service_ids": [self.sid], "starts_at": iso(now + 86400),
            "ends_at": iso(now + 90000)}, token=self.admin)
        assert r.status == 201, r
        return r.json["id"]

    def make_incident(self):
        r = api("POST", "/api/incidents", {
            "title": unique_name("i"), "impact": "minor",
            "service_ids": [self.sid], "message": "looking"},
            token=self.admin)
        assert r.status == 201, r
        return r.json["id"]

    def grow(self):
        for k in range(12):
            sid = create_service(unique_name("stmt"), public=True,
                                 dependencies=[self.sid])
            r = api("POST", "/api/services/%d/downtime" % self.sid, {
                "start_time": iso(time.time() - 86400 * (k + 2)),
                "end_time": iso(time.time() - 86400 * (k + 2) + 600),
                "reason": "r%d" % k}, token=self.owner)
            assert r.status in (200, 201), r
            api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
                token=self.owner)
            r = api("POST", "/api/risk/%d/manual" % self.sid,
                    {"risk_score": 10 + k, "risk_level": "Low"},
                    token=client.analyst_token())
            assert r.status in (200, 201), r
            r = api("PUT", "/api/tickets/%d" % self.ticket,
                    {"priority": ("low", "high")[k % 2]}, token=self.admin)
            assert r.status == 200, r
            self.make_ticket()
            self.make_maintenance()
            r = api("POST", "/api/incidents/%d/updates" % self.incident,
                    {"status": "identified", "message": "u%d" % k},
                    token=self.admin)
            assert r.status == 201, r

    def path(self, template):
        ids = {"/api/tickets/{id}": self.ticket,
               "/api/maintenance/{id}": self.maintenance,
               "/api/incidents/{id}": self.incident}
        for prefix, value in ids.items():
            if template.startswith(prefix):
                return template.replace("{id}", str(value))
        return template.replace("{id}", str(self.sid))


class Statements(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.world = World()

    def measure(self):
        got = {}
        for template in openapi_gets():
            path = self.world.path(template)
            status, n = statements("GET", path, self.world.admin)
            self.assertEqual(status, 200, path)
            got[template] = n
            if template not in ("/healthz", "/api/auth/me"):
                sep = "&" if "?" in path else "?"
                status, n2 = statements("GET", path + sep + "per_page=100",
                                        self.world.admin)
                self.assertEqual(status, 200, path)
                self.assertEqual(n2, n, "%s: %d statements with "
                                 "per_page=100, %d without" % (path, n2, n))
        return got

    def test_every_get_route_a_fixed_few_whatever_the_data(self):
        small = self.measure()
        self.world.grow()
        large = self.measure()
        report = "\n".join("  %-40s %d" % (p, n) for p, n in
                           sorted(large.items()))
        for template in small:
            self.assertEqual(large[template], small[template],
                             "%s: %d statements, %d with more data\n%s"
                             % (template, small[template], large[template],
                                report))
            self.assertLessEqual(large[template], MAX_STATEMENTS,
                                 "%s\n%s" % (template, report))
        print("\nstatements per GET request:\n" + report)

    def test_heartbeat(self):
        sid = create_service(unique_name("beat"))
        token = self.world.owner
        status, n = statements("POST", "/api/services/%d/status" % sid,
                               token, {"status": "Up"})
        self.assertEqual((status, n), (200, HEARTBEAT_STATEMENTS))
        # A transition does what it must, and no more: measured once
        # each (the next would be a heartbeat), with the token already
        # checked, so only the change count's look may add one.
        status, down = statements("POST", "/api/services/%d/status" % sid,
                                  token, {"status": "Down"}, tries=1)
        self.assertEqual(status, 200)
        self.assertIn(down, (TRANSITION_STATEMENTS, TRANSITION_STATEMENTS + 1))
        status, n = statements("POST", "/api/services/%d/status" % sid,
                               token, {"status": "Down"})
        self.assertEqual((status, n), (200, HEARTBEAT_STATEMENTS))
        status, up = statements("POST", "/api/services/%d/status" % sid,
                                token, {"status": "Up"}, tries=1)
        self.assertEqual(status, 200)
        self.assertIn(up, (TRANSITION_STATEMENTS, TRANSITION_STATEMENTS + 1))
        # A missing service: the CALL, and its START TRANSACTION and
        # ROLLBACK twice (the plain heartbeat's try, then the long way).
        status, n = statements("POST", "/api/services/999999999/status",
                               token, {"status": "Up"})
        self.assertEqual((status, n), (404, 5))

    def test_heartbeat_within_the_same_second(self):
        # The status row counts its writes (sql/036), so that the plain
        # heartbeat's UPDATE always changes it: ROW_COUNT() counts rows
        # changed, and a second heartbeat within the same second would
        # otherwise go the long way (the CALL, START TRANSACTION,
        # ROLLBACK, START TRANSACTION, COMMIT: 5).  The second of a pair
        # counted with the token already checked; its once-a-second look
        # at the change count may add one.
        sid = create_service(unique_name("twice"))
        token = self.world.owner
        path = "/api/services/%d/status" % sid
        when = ("SELECT last_updated, writes FROM service_status "
                "WHERE service_id = %d" % sid)
        self.assertEqual(api("POST", path, {"status": "Up"},
                             token=token).status, 200)
        for _ in range(20):
            self.assertEqual(api("POST", path, {"status": "Up"},
                                 token=token).status, 200)
            before = client.sql(when).split("\t")
            status, n = statements("POST", path, token, {"status": "Up"},
                                   tries=1)
            after = client.sql(when).split("\t")
            self.assertEqual(status, 200)
            self.assertEqual(int(after[1]), int(before[1]) + 1)
            if after[0] == before[0]:
                self.assertIn(n, (HEARTBEAT_STATEMENTS,
                                  HEARTBEAT_STATEMENTS + 1))
                return
        self.fail("no two heartbeats within one second in 20 pairs")

    def test_heartbeat_sees_an_outage_logged_by_hand(self):
        # The routine (sql/035, sql/036's long way) learns whether an
        # outage is open from the outages summary's latest_downtime, and
        # the status row's outage_open (sql/036) follows: an
        # open downtime logged by hand, with a later one logged closed
        # after it, must still count as open.
        sid = create_service(unique_name("byhand"))
        token = self.world.owner
        path = "/api/services/%d/status" % sid
        # The first write makes the status row; later ones update it.
        self.assertEqual(api("POST", path, {"status": "Up"},
                             token=token).status, 200)
        self.assertEqual(statements("POST", path, token, {"status": "Up"}),
                         (200, HEARTBEAT_STATEMENTS))
        for body in ({"start_time": "2030-01-01T10:00:00Z", "reason": "open"},
                     {"start_time": "2030-01-02T10:00:00Z",
                      "end_time": "2030-01-02T11:00:00Z", "reason": "later"}):
            r = api("POST", "/api/services/%d/downtime" % sid, body,
                    token=token)
            self.assertEqual(r.status, 200, r)
        # Up with an outage open is more than a heartbeat (the routine
        # leaves the transaction open for the worker) ...
        status, n = statements("POST", path, token, {"status": "Up"},
                               tries=1)
        self.assertEqual(status, 200)
        self.assertGreater(n, HEARTBEAT_STATEMENTS)
        # ... and Down again, once Down, is a plain heartbeat: the outage
        # is the one logged by hand, still open.
        statements("POST", path, token, {"status": "Down"}, tries=1)
        self.assertEqual(statements("POST", path, token, {"status": "Down"}),
                         (200, HEARTBEAT_STATEMENTS))
        self.assertEqual(open_downtimes(sid), 1)
        # Leaving Down closes it; then Up is a heartbeat again.
        statements("POST", path, token, {"status": "Up"}, tries=1)
        self.assertEqual(statements("POST", path, token, {"status": "Up"}),
                         (200, HEARTBEAT_STATEMENTS))
        self.assertEqual(open_downtimes(sid), 0)

    def test_heartbeat_is_one_round_trip(self):
        # Questions counts what clients send, not what a routine runs
        # (each of this test's own readings counts too: the same number
        # with no request between them).
        def questions():
            return int(client.sql("SELECT VARIABLE_VALUE FROM "
                                  "information_schema.GLOBAL_STATUS WHERE "
                                  "VARIABLE_NAME = 'QUESTIONS'").strip())
        sid = create_service(unique_name("trip"))
        path = "/api/services/%d/status" % sid
        api("POST", path, {"status": "Up"}, token=self.world.owner)
        best = None
        for _ in range(3):
            a = questions()
            b = questions()
            r = api("POST", path, {"status": "Up"}, token=self.world.owner)
            c = questions()
            self.assertEqual(r.status, 200, r)
            n = (c - b) - (b - a)
            best = n if best is None else min(best, n)
        self.assertEqual(best, 1)

    def test_me_reads_the_account_once(self):
        # A new token: its check reads the account row, and /me answers
        # from it; then the check is the cache's and /me reads the row.
        username, password, _ = client.admin()
        token = client.login(username, password)
        status, n = statements("GET", "/api/auth/me", token, tries=1)
        self.assertIn((status, n), ((200, 1), (200, 2)))
        status, n = statements("GET", "/api/auth/me", token)
        self.assertEqual((status, n), (200, 1))

    def test_analytics_one_statement_each(self):
        """The ticket analytics read their kept aggregates (sql/024):
        one statement each, for every view (a Manager's, a
        Technician's, a user's), however many tickets they see."""
        tech = client.user_with_role("Technician")[2]
        user = client.user_with_role("user")[2]
        for token in (self.world.admin, tech, user):
            for route in ("overview", "risk-distribution"):
                status, n = statements("GET", "/api/analytics/" + route,
                                       token)
                self.assertEqual((status, n), (200, 1), route)
        status, n = statements("GET", "/api/analytics/technician-workload",
                               self.world.admin)
        self.assertEqual((status, n), (200, 1))

    def test_ticket_lists_one_statement_each(self):
        """A ticket list's page and its total are one statement (the
        total a subquery of the page), for every view, filter and page:
        first, later, past the end."""
        tech = client.user_with_role("Technician")[2]
        user = client.user_with_role("user")[2]
        for token in (self.world.admin, tech, user):
            for path in ("/api/tickets", "/api/tickets?page=2&per_page=1",
                         "/api/tickets?page=9999",
                         "/api/tickets?priority=HIGH&risk_level=BREACHED",
                         "/api/tickets?status=open&page=2&per_page=1",
                         "/api/tickets/high-risk",
                         "/api/users/tickets/my-tickets?page=50"):
                status, n = statements("GET", path, token)
                self.assertEqual((status, n), (200, 1), path)

    def test_counted_lists_one_statement_each(self):
        """The alert, SLA breach and integration lists: the page and its
        kept total (sql/029) are one statement, for every filter and
        page; a page past the end has no row to carry the total, which
        one more statement reads from the counters."""
        sid = self.world.sid
        for ack in (0, 0, 1, 1):
            client.sql("INSERT INTO alerts (service_id, type, message, "
                       "severity, cause, created_at, acknowledged) VALUES "
                       "(%d, 'StatusChange', 'm', 'Info', UUID(), "
                       "UTC_TIMESTAMP(), %d)" % (sid, ack))
        r = api("POST", "/api/services/%d/downtime" % sid, {
            "start_time": iso(time.time() - 7200),
            "end_time": iso(time.time() - 3600)}, token=self.world.owner)
        assert r.status in (200, 201), r
        for kind in ("RTO", "RPO"):
            client.sql("INSERT INTO sla_breaches (service_id, downtime_id, "
                       "type, downtime_minutes, threshold_minutes, "
                       "start_time, created_at) SELECT service_id, MAX(id), "
                       "'%s', 9, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM "
                       "downtimes WHERE service_id = %d" % (kind, sid))
            client.sql("INSERT INTO integrations (service_id, type, config, "
                       "created_at) VALUES (%d, 'AWS', '{}', "
                       "UTC_TIMESTAMP())" % sid)
        client.admin_cli("recount")
        for path in ("/api/alerts", "/api/alerts?page=2&per_page=1",
                     "/api/alerts?acknowledged=false",
                     "/api/alerts?acknowledged=true&page=2&per_page=1",
                     "/api/alerts/sla_breaches",
                     "/api/alerts/sla_breaches?page=2&per_page=1",
                     "/api/services/integrations",
                     "/api/services/integrations?page=2&per_page=1"):
            status, n = statements("GET", path, self.world.admin)
            self.assertEqual((status, n), (200, 1), path)
        # A service's downtimes: the service's read, then the page with
        # its count; its risk history: the page with its count.
        status, n = statements("GET", "/api/services/%d/downtime" % sid,
                               self.world.admin)
        self.assertEqual((status, n), (200, 2))
        status, n = statements("GET", "/api/risk/%d/history" % sid,
                               self.world.admin)
        self.assertEqual((status, n), (200, 1))
        status, n = statements("GET", "/api/users", self.world.admin)
        self.assertEqual((status, n), (200, 1))
        # A ticket's activity: the ticket's read, then the page with its
        # count.
        status, n = statements("GET", "/api/tickets/%d/activity"
                               % self.world.ticket, self.world.admin)
        self.assertEqual((status, n), (200, 2))
        for path in ("/api/alerts?page=99999",
                     "/api/alerts/sla_breaches?page=99999",
                     "/api/services/integrations?page=99999"):
            status, n = statements("GET", path, self.world.admin)
            self.assertEqual((status, n), (200, 2), path)

    def test_ticket_subsets_one_statement_each(self):
        """The subsets (high risk, escalated, the caller's own) the same:
        their totals read kept aggregates in the page's statement
        (sql/030), in every view each is read in, on a first page, a
        later one and past the end."""
        senior = client.user_with_role("Senior Technician")[2]
        tech = client.user_with_role("Technician")[2]
        user = client.user_with_role("user")[2]
        paths = ["/api/tickets/high-risk"] + [
            "/api/users/tickets/" + w for w in (
                "my-tickets", "active", "high-priority", "breached",
                "closed")]
        readers = [(p, (self.world.admin, senior, tech, user)) for p in paths]
        readers.append(("/api/tickets/escalated", (self.world.admin, senior)))
        for path, tokens in readers:
            for token in tokens:
                for page in ("", "?page=2&per_page=1", "?page=9999"):
                    status, n = statements("GET", path + page, token)
                    self.assertEqual((status, n), (200, 1), path + page)

    def test_list_pages_at_their_fixed_counts(self):
        """The incident, notification, maintenance, subscriber, API key
        and scan lists (issue "Speed"): the page and its total in one
        statement (kept counters, sql/031, or a count read once), plus the keyed statement of a page's
        children where it has some; a page past the end asks its total
        alone."""
        for k in range(4):
            iid = self.world.make_incident()
            if k % 2:
                r = api("POST", "/api/incidents/%d/updates" % iid,
                        {"status": "resolved", "message": "done"},
                        token=self.world.admin)
                assert r.status in (200, 201), r
        me = api("GET", "/api/auth/me", token=self.world.admin).json["id"]
        client.sql("INSERT INTO notifications (user_id, message, type, "
                   "is_read, created_at) SELECT %d, 'n', 'INFO', seq MOD 2, "
                   "UTC_TIMESTAMP() FROM seq_1_to_4" % me)
        now = int(time.time())
        for k in range(2):
            for start, end in ((now - 7200, now - 3600),
                               (now - 60, now + 3600)):
                r = api("POST", "/api/maintenance", {
                    "title": unique_name("m"),
                    "service_ids": [self.world.sid],
                    "starts_at": iso(start + k), "ends_at": iso(end + k)},
                    token=self.world.admin)
                assert r.status == 201, r
            r = api("POST", "/api/subscribers", {
                "webhook_url": "https://example.org/" + unique_name("s")})
            assert r.status == 201, r
            r = api("POST", "/api/v1/security/api-keys/create", {
                "key_name": unique_name("k"), "permissions": ["heartbeat"]},
                token=self.world.admin)
            assert r.status in (200, 201), r
            r = api("POST", "/api/v1/security/scan", {
                "scan_type": "api_key", "target_id": r.json["key_id"]},
                token=self.world.admin)
            assert r.status == 200, r
        for path in ONE_PAST_THE_END:
            for q in ("?per_page=100", "?page=2&per_page=1", "?page=99999"):
                status, n = statements("GET", path + q.replace("?", "&"),
                                       self.world.admin)
                self.assertEqual((status, n), (200, 1), path + q)
        for path, want in LIST_STATEMENTS:
            sep = "&" if "?" in path else "?"
            for q in ("per_page=100", "page=2&per_page=1"):
                status, n = statements("GET", path + sep + q,
                                       self.world.admin)
                self.assertEqual((status, n), (200, want), path + sep + q)
            status, n = statements("GET", path + sep + "page=99999",
                                   self.world.admin)
            self.assertEqual((status, n), (200, 2), path)

    def test_an_incident_in_one_statement(self):
        """GET /api/incidents/<id>: the incident, its services and its
        updates in one statement (they were three): with no update (its
        opening one deleted by hand), with four, and a missing one."""
        for more in (-1, 3):
            iid = self.world.make_incident()
            if more < 0:
                client.sql("DELETE FROM incident_updates WHERE "
                           "incident_id = %d" % iid)
            for k in range(more):
                r = api("POST", "/api/incidents/%d/updates" % iid,
                        {"status": "identified", "message": "u%d" % k},
                        token=self.world.admin)
                assert r.status == 201, r
            status, n = statements("GET", "/api/incidents/%d" % iid,
                                   self.world.admin)
            self.assertEqual((status, n), (200, 1), more)
            r = api("GET", "/api/incidents/%d" % iid, token=self.world.admin)
            self.assertEqual(r.json["service_ids"], [self.world.sid])
            ids = [u["id"] for u in r.json["updates"]]
            self.assertEqual(len(ids), max(0, 1 + more))
            self.assertEqual(ids, sorted(ids))
        status, n = statements("GET", "/api/incidents/999999999",
                               self.world.admin)
        self.assertEqual((status, n), (404, 1))

    def test_a_checked_token_costs_no_statement(self):
        """The route's own statements only: GET /api/risk/<id> reads the
        kept score (one statement) once the token was checked."""
        status, n = statements("GET", "/api/risk/%d" % self.world.sid,
                               self.world.admin)
        self.assertEqual((status, n), (200, 1))

    def test_dependency_map_one_statement(self):
        """The whole dependency map, unpaginated, is one statement
        however many edges there are (the World's grow adds some; the
        test_depmap module, run before, many)."""
        for token in (self.world.admin, client.engineer_token()):
            status, n = statements("GET", "/api/services/dependencies",
                                   token)
            self.assertEqual((status, n), (200, 1))


def statements_kept():
    """[database] statements of the stack's config: what each connection
    keeps prepared (128 unless set; the test stacks set 32, so that the
    whole suite runs with statements closed and prepared again)."""
    section = None
    with open(client.config_path()) as f:
        for line in f:
            line = line.split(";")[0].strip()
            if line.startswith("["):
                section = line.strip("[]")
            elif section == "database" and "=" in line:
                key, value = (x.strip() for x in line.split("=", 1))
                if key == "statements":
                    return int(value)
    return 128


class PreparedKept(unittest.TestCase):
    """The workers' prepared statements stay bounded per connection,
    however many distinct statements the requests ask for: MariaDB
    counts every connection's against one server-wide limit."""

    def test_bounded_per_connection(self):
        tok = owner_token()
        uid = api("GET", "/api/auth/me", token=tok).json["id"]
        sid = create_service()
        # Every combination of the ticket list's filters, each with its
        # own statement texts (the list's and its count's: about 160 in
        # all), four rounds, so that every worker is asked for more than
        # it keeps (about 110 each, with 4 workers).
        n = 0
        for status in ("", "open", "in_progress", "escalated",
                       "waiting_on_customer", "resolved") * 4:
            for prio in ("", "LOW", "MEDIUM", "HIGH", "CRITICAL"):
                for level in ("", "SAFE", "WARNING", "HIGH_RISK", "BREACHED"):
                    for extra in ("", "&assignee_id=%d" % uid,
                                  "&service_id=%d" % sid,
                                  "&assignee_id=%d&service_id=%d" % (uid, sid)):
                        q = "/api/tickets?per_page=5" + extra
                        for name, v in (("status", status),
                                        ("priority", prio),
                                        ("risk_level", level)):
                            if v:
                                q += "&%s=%s" % (name, v)
                        r = api("GET", q, token=tok)
                        self.assertEqual(r.status, 200, q)
                        n += 1
        # One query, so that a connection that comes or goes between two
        # reads does not skew the comparison.
        out = client.sql(
            "SELECT (SELECT VARIABLE_VALUE FROM "
            "information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = "
            "'PREPARED_STMT_COUNT'), (SELECT COUNT(*) FROM "
            "information_schema.PROCESSLIST WHERE USER = 'resilops')")
        kept, conns = (int(x) for x in out.split())
        self.assertGreater(conns, 0)
        self.assertGreater(kept, 0)
        self.assertLessEqual(kept, conns * statements_kept(),
                             "%d statements prepared on %d connections "
                             "after %d requests" % (kept, conns, n))


if __name__ == "__main__":
    unittest.main()
