"""A service's open tickets kept beside it (sql/032, issue 13): GET
/api/services/<id> reads them from service_open_tickets, which every
ticket writer makes again in its tally (src/db/db_open_tickets.c).
After each kind of write, racing writers included, every service's kept
row must be what the route's old subquery computes from the tickets."""

import threading
import time
import unittest

import client
from client import api, create_service, owner_token, viewer_token
from test_sched import once
from test_tickets import create, manager

# The route's old statement, for every service with an open ticket.
COMPUTED = ("SELECT s.id, (SELECT GROUP_CONCAT(t.id) FROM tickets t "
            "FORCE INDEX (ix_tickets_service) WHERE t.service_id = s.id "
            "AND t.status <> 'RESOLVED') g FROM services s "
            "HAVING g IS NOT NULL ORDER BY s.id")
KEPT = ("SELECT o.service_id, o.ids FROM service_open_tickets o "
        "JOIN services s ON s.id = o.service_id WHERE o.ids IS NOT NULL "
        "ORDER BY o.service_id")


def rows(sql):
    return [tuple(line.split("\t")) for line in client.sql(sql).splitlines()]


def open_ids(sid):
    r = api("GET", "/api/services/%d" % sid, token=viewer_token())
    assert r.status == 200, r
    return r.json["open_tickets"]


def update(tid, **body):
    r = api("PUT", "/api/tickets/%d" % tid, body, token=manager().token)
    assert r.status == 200, r
    return r.json


class OpenTickets(unittest.TestCase):
    def assertKept(self, *sids):
        """Every service's kept row is the tickets' computed one, and the
        route answers it for the services named."""
        computed = rows(COMPUTED)
        self.assertEqual(rows(KEPT), computed)
        mine = dict(computed)
        for sid in sids:
            want = [int(x) for x in mine.get(str(sid), "").split(",") if x]
            self.assertEqual(open_ids(sid), want, sid)

    def test_every_ticket_writer(self):
        m = manager().token
        a, b = create_service(), create_service()
        t1 = create(m, service_id=a)["id"]
        t2 = create(m, service_id=a, priority="HIGH")["id"]
        self.assertKept(a, b)
        self.assertEqual(sorted(open_ids(a)), sorted([t1, t2]))
        update(t1, service_id=b)                # moved: out of a, into b
        self.assertKept(a, b)
        update(t2, status="IN_PROGRESS")        # still open: in the order
        self.assertKept(a, b)
        r = api("POST", "/api/tickets/%d/resolve" % t1, {}, token=m)
        self.assertEqual(r.status, 200, r)
        self.assertKept(a, b)
        self.assertEqual(open_ids(b), [])
        r = api("POST", "/api/tickets/%d/escalate" % t2, token=m)
        self.assertEqual(r.status, 200, r)
        self.assertKept(a, b)
        update(t2, service_id=None)             # out of any service
        self.assertKept(a, b)
        update(t2, service_id=b)
        r = api("DELETE", "/api/tickets/%d" % t2, token=m)
        self.assertEqual(r.status, 200, r)
        self.assertKept(a, b)

    def test_the_daemons_outage_ticket_and_a_services_delete(self):
        sid = create_service(criticality="High", impact="High", rto=30,
                             rpo=30)
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        once(int(time.time()))
        self.assertEqual(len(open_ids(sid)), 1)
        self.assertKept(sid)
        r = api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(int(client.sql(
            "SELECT COUNT(*) FROM service_open_tickets WHERE service_id = %d"
            % sid)), 0)
        self.assertKept()

    def test_racing_writers_of_one_service(self):
        sid = create_service()
        m = manager().token
        errors = []

        def write(k):
            try:
                t = create(m, service_id=sid, title="race %d" % k)["id"]
                if k % 3 == 0:
                    r = api("POST", "/api/tickets/%d/resolve" % t, {},
                            token=m)
                    assert r.status == 200, r
            except Exception as e:              # reported below
                errors.append(e)

        threads = [threading.Thread(target=write, args=(k,))
                   for k in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(open_ids(sid)), 8)
        self.assertKept(sid)

    def test_retally_makes_them_again(self):
        sid = create_service()
        tid = create(manager().token, service_id=sid)["id"]
        client.sql("UPDATE service_open_tickets SET ids = NULL "
                   "WHERE service_id = %d" % sid)
        self.assertEqual(open_ids(sid), [])
        r = client.admin_cli("tickets", "retally")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(open_ids(sid), [tid])
        self.assertKept(sid)


if __name__ == "__main__":
    unittest.main()
