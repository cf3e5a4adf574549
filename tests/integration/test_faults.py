"""Faults, each with a precise claim (hardening issue 14).

- MariaDB killed (SIGKILL, no clean shutdown) and started again while
  clients write: every write answered 2xx is there afterwards, once;
  none is there twice; each has its one audit entry; the audit chain
  verifies.
- A worker killed (SIGKILL) in the middle of a write: the write's
  transaction is rolled back whole, its audit entry with it, and the
  pool answers again.
- resilops-sched killed (SIGKILL) in the middle of its jobs, again and
  again, then run to the end: what it records for a service (downtime,
  alert, breach, outage ticket, incident draft, notification, risk) is
  what one uninterrupted run records, none of it twice.
(The clock stepped back and forward: test_sched.py's ClockStepped.)"""

LAYOUTS = ("single",)
LAYOUTS_WHY = "the host's own MariaDB killed and restarted, its workers killed: the cluster's faults are tests/cluster/test_cluster_faults.py"

import os
import signal
import subprocess
import threading
import time
import unittest

import client
from client import api, unique_name, wait_until
from test_sched import SCHED, beat_at, iso, once, release_lease


def rows(statement):
    return [line.split("\t") for line in client.sql(statement).splitlines()]


class Writers:
    """THREADS clients creating services with names of their own, each
    answer kept: (name, status, service id or None).  They wait while
    `created` has reached `limit` (more() raises it): a slow kill or
    restart must not fill the database with services, which the tests
    after this one list (a page holds 1000)."""

    THREADS = 6

    def __init__(self, token, limit):
        self.token = token
        self.stop = threading.Event()
        self.lock = threading.Condition()
        self.answers = []
        self.created, self.limit = 0, limit
        self.threads = [threading.Thread(target=self.run, args=(k,))
                        for k in range(self.THREADS)]
        for t in self.threads:
            t.start()

    def more(self, n):
        """n more creates from now."""
        with self.lock:
            self.limit = self.created + n
            self.lock.notify_all()

    def run(self, k):
        while not self.stop.is_set():
            with self.lock:
                while self.created >= self.limit and not self.stop.is_set():
                    self.lock.wait()
            if self.stop.is_set():
                return
            name = unique_name("crash%d_" % k)
            try:
                r = api("POST", "/api/services", {"name": name},
                        token=self.token, timeout=30)
                answer = (name, r.status,
                          r.json.get("service_id") if r.status == 201
                          else None)
            except OSError:
                # No answer at all: the outcome is unknown, as for a 5xx.
                answer = (name, 0, None)
            with self.lock:
                self.answers.append(answer)
                self.created += answer[1] == 201

    def count(self, pred):
        with self.lock:
            return sum(1 for a in self.answers if pred(a))

    def finish(self):
        self.stop.set()
        with self.lock:
            self.lock.notify_all()
        for t in self.threads:
            t.join()
        return list(self.answers)


class DatabaseKilled(unittest.TestCase):

    def test_acknowledged_writes_survive_a_crash(self):
        token = client.owner_token()
        writers = Writers(token, 20)
        try:
            wait_until(lambda: writers.count(lambda a: a[1] == 201) >= 20,
                       timeout=60, what="20 services created")
            # Writing while it dies (at most 40 more), then refused.
            writers.more(40)
            client.stack("db-kill")
            writers.more(20)
            # The writers see it before it comes back.
            wait_until(lambda: writers.count(lambda a: a[1] >= 500 or
                                             a[1] == 0) >= 1,
                       timeout=30, what="a write refused while MariaDB is down")
            client.stack("db-start")
            writers.more(20)
            mark = writers.count(lambda a: True)
            wait_until(lambda: sum(1 for a in writers.answers[mark:]
                                   if a[1] == 201) >= 20,
                       timeout=60, what="20 services created after the restart")
        finally:
            answers = writers.finish()
            client.stack("db-start")

        acked = {a[0]: a[2] for a in answers if a[1] == 201}
        refused = [a for a in answers if a[1] != 201]
        self.assertTrue(refused, "no write was refused: MariaDB never died")
        for a in refused:
            # Unknown outcome (the crash may come after the commit): 503
            # or no answer, nothing else.
            self.assertIn(a[1], (0, 502, 503, 504), a)
        # Every name the writers sent starts so (unique_name), and no
        # other's does: one statement, however many were refused.
        found = {}
        for name, sid, n in rows(
                "SELECT name, MIN(id), COUNT(*) FROM services WHERE name "
                "LIKE 'crash%' GROUP BY name"):
            found[name] = (int(sid), int(n))
        twice = [n for n, (_, c) in found.items() if c > 1]
        self.assertEqual(twice, [], "services created twice")
        lost = [n for n, sid in acked.items()
                if found.get(n, (None,))[0] != sid]
        self.assertEqual(lost, [], "acknowledged creates lost or changed")

        ids = [str(sid) for sid in acked.values()]
        audit = dict((int(e), int(n)) for e, n in rows(
            "SELECT entity_id, COUNT(*) FROM audit_log WHERE action = "
            "'Service Created' AND entity_id IN (%s) GROUP BY entity_id"
            % ", ".join(ids)))
        self.assertEqual(sorted(k for k, n in audit.items() if n == 1),
                         sorted(acked.values()),
                         "each acknowledged create has one audit entry")
        client.audit_seal()
        out = client.admin_cli("audit", "verify").stdout
        self.assertIn("audit chain OK", out)


def signal_workers_mid_create(name, dep, sig):
    """Create service `name` depending on `dep` while a lock on dep's row
    is held; once the create's transaction has written and waits, send
    every worker `sig`, then release the lock.  Returns the workers'
    pids and the create's answer ({"r": Response} or {"e": OSError})."""
    held = client.LockHeld("SELECT id FROM services WHERE id = %d "
                           "FOR UPDATE" % dep)
    result = {}

    def create():
        try:
            result["r"] = api("POST", "/api/services",
                              {"name": name, "dependencies": [dep]},
                              token=client.owner_token(), timeout=60)
        except OSError as e:
            result["e"] = e

    t = threading.Thread(target=create)
    try:
        t.start()
        # Midway: its transaction has written and waits for the lock.
        wait_until(lambda: rows(
            "SELECT trx_rows_modified FROM information_schema.INNODB_TRX "
            "WHERE trx_state = 'LOCK WAIT' AND trx_rows_modified > 0"),
            timeout=30, what="the create waiting with rows written")
        pids = client.fcgi_pids()
        for pid in pids:
            os.kill(pid, sig)
    finally:
        held.close()
        t.join()
    return pids, result


class DatabaseRestarted(unittest.TestCase):

    def test_no_request_fails_once_it_is_back(self):
        """MariaDB restarted while the workers were idle (an upgrade):
        once it answers again, no request fails on a worker's dead
        connection, the first of each worker's included (an idle
        connection is checked before use)."""
        token = client.viewer_token()
        client.stack("db-stop")
        client.stack("db-start")
        # MariaDB answers (db-start waited for it); no request to
        # resilops went between, so every worker's connection is dead.
        self.assertEqual(rows("SELECT 1"), [["1"]])
        got, lock = [], threading.Lock()
        start = threading.Barrier(16)

        def run():
            start.wait()
            for _ in range(4):
                r = api("GET", "/api/services?per_page=1", token=token)
                with lock:
                    got.append(r.status)

        threads = [threading.Thread(target=run) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(got, [200] * 64)
        # Writes too, and the server stays up for the tests after.
        client.create_service()
        self.assertEqual(api("GET", "/healthz").status, 200)


class ConnectionKilled(unittest.TestCase):

    def test_a_credential_check_on_a_connection_killed_since_runs_again(self):
        """Every worker's connection ended (KILL) less than a second
        after its last use, which db_ready does not ping: the next
        request's first statement, its token's check, meets a dead
        connection.  The check runs again on a new one; nothing answers
        503."""
        name, password, _ = client.user_with_role("Ops Analyst")
        # db_ready counts idle time in whole seconds: a round whose
        # requests fall in the next second than the connections' last
        # use has them pinged, and needs no second check.  Every round
        # must answer 200; at least one must have needed the check again.
        for _ in range(5):
            with open(client.fcgi_log_path()) as f:
                f.seek(0, os.SEEK_END)
                self.kill_then_check(name, password)
                if "the credential checked again on a new one" in f.read():
                    return
        self.fail("no credential check met a killed connection in 5 rounds")

    def kill_then_check(self, name, password):
        # Fresh tokens: each one's first use is checked in the database.
        tokens = [client.login(name, password) for _ in range(8)]
        touched = []
        touch = [threading.Thread(target=lambda: touched.append(
            api("GET", "/healthz").status)) for _ in range(16)]
        for t in touch:
            t.start()
        for t in touch:
            t.join()
        self.assertEqual(touched, [200] * 16)
        ids = [int(r[0]) for r in rows(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE "
            "USER = 'resilops'")]
        self.assertTrue(ids)
        client.sql(";".join("KILL %d" % i for i in ids))
        got = [api("GET", "/api/auth/me", token=t).status for t in tokens]
        self.assertEqual(got, [200] * len(tokens))

    def test_a_write_whose_connection_dies_runs_again_once(self):
        """The server ends a worker's connection in the middle of a
        write (KILL, as a Galera node leaving or a failover does): the
        server rolled the transaction back, so the worker runs the
        request again on a new connection, and the client gets its 201;
        the service is there once, with one audit entry."""
        dep = client.create_service()
        name = unique_name("conn_killed")
        held = client.LockHeld("SELECT id FROM services WHERE id = %d "
                               "FOR UPDATE" % dep)
        result = {}

        def create():
            result["r"] = api("POST", "/api/services",
                              {"name": name, "dependencies": [dep]},
                              token=client.owner_token(), timeout=60)

        t = threading.Thread(target=create)
        try:
            t.start()
            waiting = []
            wait_until(lambda: waiting.extend(rows(
                "SELECT trx_mysql_thread_id FROM information_schema."
                "INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND "
                "trx_rows_modified > 0")) or waiting,
                timeout=30, what="the create waiting with rows written")
            client.sql("KILL %d" % int(waiting[0][0]))
        finally:
            held.close()
            t.join()
        self.assertEqual(result["r"].status, 201, result["r"])
        sid = result["r"].json["service_id"]
        self.assertEqual(rows("SELECT COUNT(*) FROM services WHERE name = "
                              "'%s'" % name), [["1"]])
        self.assertEqual(rows(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'Service "
            "Created' AND entity_id = %d" % sid), [["1"]])
        with open(client.fcgi_log_path()) as f:
            self.assertIn("the database connection was lost; again on a "
                          "new one", f.read())


class WorkerKilled(unittest.TestCase):

    def test_a_write_killed_midway_leaves_nothing(self):
        dep = client.create_service()
        name = unique_name("killed")
        last_audit = int(rows("SELECT COALESCE(MAX(id), 0) FROM audit_log")
                         [0][0])
        # The create inserts its service row and its risk state, then
        # waits for the row its dependency edge names.
        _, result = signal_workers_mid_create(name, dep, signal.SIGKILL)
        # The client got an error answer or none; never a 201.
        self.assertNotEqual(getattr(result.get("r"), "status", None), 201,
                            result)
        wait_until(lambda: api("GET", "/healthz").status == 200,
                   timeout=30, what="the pool answering again")
        self.assertEqual(rows("SELECT COUNT(*) FROM services WHERE name = "
                              "'%s'" % name), [["0"]])
        # No entry for it: none written since names a missing service.
        self.assertEqual(rows(
            "SELECT COUNT(*) FROM audit_log a LEFT JOIN services s ON "
            "s.id = a.entity_id WHERE a.id > %d AND a.action = "
            "'Service Created' AND s.id IS NULL" % last_audit), [["0"]])
        # No transaction of the dead worker is left open.
        wait_until(lambda: rows("SELECT COUNT(*) FROM "
                                "information_schema.INNODB_TRX") == [["0"]],
                   timeout=30, what="no transaction left open")
        # And it writes again.
        client.create_service(name=name)

    def test_sigterm_mid_request_finishes_it_then_exits(self):
        """A SIGTERM to a worker serving a request (mod_fcgid stops a
        process so, and a pool passes its own on): the request is
        answered in full, then the worker exits without waiting for one
        more connection."""
        dep = client.create_service()
        name = unique_name("termed")
        pids, result = signal_workers_mid_create(name, dep, signal.SIGTERM)
        self.assertEqual(result["r"].status, 201, result["r"])
        # No request is sent until every one of them is gone.
        wait_until(lambda: not any(running(p) for p in pids),
                   timeout=20, what="every worker that was sent SIGTERM gone")
        wait_until(lambda: api("GET", "/healthz").status == 200,
                   timeout=30, what="the pool answering again")
        self.assertEqual(rows("SELECT COUNT(*) FROM services WHERE name = "
                              "'%s'" % name), [["1"]])


def running(pid):
    """Whether pid is a process that has not exited (not a zombie)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def added(before, after):
    """Per service, what each count grew by."""
    return [tuple(y - x for x, y in zip(b, a)) for b, a in zip(before, after)]


class DaemonKilled(unittest.TestCase):
    """Two sets of services of one shape (High, RTO 30 min), each last
    heard of at its own T: set A at T_A, set B a day later.  One whole
    `--once` at T_A + 90 min records A's outage.  At T_B + 90 min the
    daemon is first killed while its heartbeat job waits, rows written,
    for a lock on one of B's status rows, then killed after 0, 1/N,
    ... (N-1)/N of the time a whole run takes, then run to the end and
    once more.  Each B service (made after A's run) must then have
    gained exactly what each A service gained from its one run: the
    kills and restarts added or lost nothing.  (A restarted daemon would wait out the dead one's lease;
    the test releases it instead.)"""

    SERVICES, KILLS = 6, 10
    T_A = 1893499200                  # 2030-01-01 12:00:00Z
    T_B = T_A + 86400
    LATER = 90 * 60                   # Down, past the RTO

    def make_set(self, when):
        ids = []
        for _ in range(self.SERVICES):
            sid = client.create_service(name=unique_name("sched_kill"),
                                        criticality="High", rto=30, rpo=15)
            beat_at(sid, iso(when).replace("T", " ").rstrip("Z"))
            ids.append(sid)
        return ids

    @staticmethod
    def recorded(ids):
        """Per service: downtimes, alerts, breaches, outage tickets,
        incidents, notifications and activity of its tickets, risks."""
        got = rows(
            "SELECT s.id, "
            "(SELECT COUNT(*) FROM downtimes d WHERE d.service_id = s.id), "
            "(SELECT COUNT(*) FROM alerts a WHERE a.service_id = s.id), "
            "(SELECT COUNT(*) FROM sla_breaches b WHERE b.service_id = s.id), "
            "(SELECT COUNT(*) FROM tickets t WHERE t.service_id = s.id), "
            "(SELECT COUNT(*) FROM incident_services i "
            "WHERE i.service_id = s.id), "
            "(SELECT COUNT(*) FROM notifications n JOIN tickets t "
            "ON t.id = n.ticket_id WHERE t.service_id = s.id), "
            "(SELECT COUNT(*) FROM ticket_activity v JOIN tickets t "
            "ON t.id = v.ticket_id WHERE t.service_id = s.id), "
            "(SELECT COUNT(*) FROM risks r WHERE r.service_id = s.id) "
            "FROM services s WHERE s.id IN (%s) ORDER BY s.id"
            % ", ".join(str(i) for i in ids))
        return [tuple(int(x) for x in r[1:]) for r in got]

    @staticmethod
    def statuses(ids):
        return rows("SELECT status FROM service_status WHERE service_id IN "
                    "(%s)" % ", ".join(str(i) for i in ids))

    @staticmethod
    def start(now):
        return subprocess.Popen(
            [SCHED, "-c", client.config_path(), "--once", "--now", iso(now)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)

    @staticmethod
    def kill(proc):
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    @staticmethod
    def settled():
        """The server has ended what the dead connection had open (its
        fenced transaction holds the lease row), and the lease is free."""
        wait_until(lambda: rows("SELECT COUNT(*) FROM "
                                "information_schema.INNODB_TRX") == [["0"]],
                   timeout=30, what="the killed run's transaction gone")
        release_lease()

    def test_killed_mid_job_records_nothing_twice(self):
        set_a = self.make_set(self.T_A)
        was = self.recorded(set_a)
        began = time.monotonic()
        once(self.T_A + self.LATER)
        whole = time.monotonic() - began
        expect = added(was, self.recorded(set_a))
        set_b = self.make_set(self.T_B)   # unseen by A's run
        shape = expect[0]
        self.assertEqual(expect, [shape] * self.SERVICES)
        self.assertEqual((shape[0], shape[3]), (1, 1),
                         "one downtime, one outage ticket")
        self.assertGreaterEqual(min(shape[1], shape[2]), 1,
                                "alerted and the RTO breach recorded")

        now = self.T_B + self.LATER
        before = self.recorded(set_b)
        # Killed while the heartbeat job waits, its rows written.
        held = client.LockHeld("SELECT service_id FROM service_status "
                               "WHERE service_id = %d FOR UPDATE" % set_b[-1])
        try:
            proc = self.start(now)
            wait_until(lambda: rows(
                "SELECT trx_rows_modified FROM information_schema.INNODB_TRX "
                "WHERE trx_state = 'LOCK WAIT' AND trx_rows_modified > 0"),
                timeout=30, what="the daemon waiting with rows written")
            self.kill(proc)
        finally:
            held.close()
        self.settled()
        self.assertEqual(self.statuses(set_b), [["Up"]] * self.SERVICES,
                         "the killed job's writes rolled back")
        self.assertEqual(self.recorded(set_b), before)
        self.assertEqual(before[0][0], 0, "no downtime yet")

        # Then anywhere in a run.
        for k in range(self.KILLS):
            proc = self.start(now)
            try:
                proc.wait(timeout=whole * k / self.KILLS)
            except subprocess.TimeoutExpired:
                pass
            if proc.returncode is None:
                self.kill(proc)
                self.settled()
        once(now)
        once(now)
        self.assertEqual(added(before, self.recorded(set_b)), expect)
        self.assertEqual(self.statuses(set_b), [["Down"]] * self.SERVICES)


if __name__ == "__main__":
    unittest.main()
