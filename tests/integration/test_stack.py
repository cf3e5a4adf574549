"""The harness's own tests: the stack is wired the way the README says.

/healthz answers; the FastCGI socket is a unix socket 0660 and nothing but
nginx (on loopback) listens on TCP; a malformed FastCGI record (Debian's
libfcgi 2.4.2 still overflows on it, see TRAPS) costs at most one worker
and the pool refills; MariaDB stopped and started under running workers
gives 503s and then recovers without a worker restart.
"""

WEB_SERVERS = ("nginx",)
WEB_SERVERS_WHY = "the spawn-fcgi pool behind nginx: its socket, its supervisor, its workers; test_apache.py is Apache's"

LAYOUTS = ("single",)
LAYOUTS_WHY = "the single host's pool and its own MariaDB (db-stop, the pool's workers, its socket): the cluster's faults are tests/cluster/test_cluster_faults.py"

import os
import signal
import socket
import stat
import struct
import threading
import unittest

import client
from client import (FCGI_BEGIN_REQUEST, FCGI_PARAMS, FCGI_RESPONDER,
                    FCGI_STDIN, PORT, alive, api, children, fcgi_pairs, fcgi_pids,
                    fcgi_record, fcgi_response, fcgi_socket, login,
                    new_password, signup, stack, stack_pids, stack_setting,
                    unique_name, wait_until)

POOL_SIZE = 4

def tcp_listeners():
    """{socket inode: (address hex, port)} of every listening TCP socket."""
    out = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] != "0A":       # TCP_LISTEN
                continue
            addr, port = fields[1].split(":")
            out[int(fields[9])] = (addr, int(port, 16))
    return out


def socket_inodes(pid):
    inodes = set()
    fd_dir = "/proc/%d/fd" % pid
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def healthz_ok():
    try:
        return api("GET", "/healthz", timeout=5).status == 200
    except OSError:
        return False


class HealthzTest(unittest.TestCase):

    def test_healthz_answers_ok(self):
        r = api("GET", "/healthz")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"status": "ok", "database": "ok"})


class SocketTest(unittest.TestCase):

    def test_fcgi_socket_is_a_unix_socket_0660(self):
        st = os.stat(fcgi_socket())
        self.assertTrue(stat.S_ISSOCK(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o660)

    def test_only_nginx_listens_on_tcp_and_only_on_loopback(self):
        listeners = tcp_listeners()
        pids = stack_pids()
        backend = [pids["fcgi"]] + fcgi_pids()
        if "sched" in pids:
            backend.append(pids["sched"])
        for pid in backend:
            found = [listeners[i] for i in socket_inodes(pid)
                     if i in listeners]
            self.assertEqual(found, [], "pid %d listens on TCP" % pid)
        # MariaDB: the unix socket, and on loopback the TLS port of the
        # database TLS tests (test_dbtls) when the stack has one.
        tls = stack_setting("STACK_DB_TLS_PORT")
        found = {listeners[i] for i in socket_inodes(pids["mariadb"])
                 if i in listeners}
        allowed = {("0100007F", int(tls)), ("0200007F", int(tls))} \
            if tls else set()
        self.assertEqual(found, allowed)
        seen = set()
        for pid in [pids["nginx"]] + children(pids["nginx"]):
            for inode in socket_inodes(pid):
                if inode in listeners:
                    seen.add(listeners[inode])
        # 127.0.0.1 as /proc/net/tcp writes it (little-endian hex).
        self.assertEqual(seen, {("0100007F", PORT)})


class MalformedRecordTest(unittest.TestCase):

    def test_malformed_params_record_costs_at_most_one_worker(self):
        before = set(fcgi_pids())
        self.assertEqual(len(before), POOL_SIZE)
        # Both name and value lengths 0x40000000 in the 4-byte form (high
        # bit set): libfcgi 2.4.2-2+deb12u1 overflows in its params reader.
        lengths = struct.pack(">II", 0x80000000 | 0x40000000,
                              0x80000000 | 0x40000000)
        begin = struct.pack(">HB5x", FCGI_RESPONDER, 0)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(fcgi_socket())
            s.sendall(fcgi_record(FCGI_BEGIN_REQUEST, 1, begin)
                      + fcgi_record(FCGI_PARAMS, 1, lengths))
            try:
                while s.recv(4096):
                    pass
            except OSError:     # reset by the dying worker, or timeout
                pass

        for i in range(20):
            r = api("GET", "/healthz")
            self.assertEqual(r.status, 200, "request %d: %r" % (i + 1, r))

        def full_pool():
            pids = set(fcgi_pids())
            return pids if len(pids) == POOL_SIZE else None

        after = wait_until(full_pool, timeout=30,
                           what="the pool back at %d workers" % POOL_SIZE)
        self.assertLessEqual(len(before - after), 1,
                             "workers lost: %s" % sorted(before - after))


class GracefulStopTest(unittest.TestCase):

    def test_sigterm_finishes_the_request_in_flight(self):
        before = set(fcgi_pids())
        body = b'{"username": "nobody-at-all", "password": "x"}'
        begin = struct.pack(">HB5x", FCGI_RESPONDER, 0)
        params = fcgi_pairs({"REQUEST_METHOD": "POST",
                             "REQUEST_URI": "/api/auth/signup",
                             "CONTENT_TYPE": "application/json",
                             "CONTENT_LENGTH": str(len(body)),
                             "REMOTE_ADDR": "127.0.0.1"})
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(20)
            s.connect(fcgi_socket())
            s.sendall(fcgi_record(FCGI_BEGIN_REQUEST, 1, begin)
                      + fcgi_record(FCGI_PARAMS, 1, params)
                      + fcgi_record(FCGI_PARAMS, 1, b"")
                      + fcgi_record(FCGI_STDIN, 1, body[:10]))
            # Some worker now waits for the rest of the body.  Stop them all.
            for pid in before:
                os.kill(pid, signal.SIGTERM)
            # The idle ones leave at once; the busy one is still here.
            wait_until(lambda: len(set(fcgi_pids()) & before) == 1, 20,
                       what="the idle workers to exit")
            s.sendall(fcgi_record(FCGI_STDIN, 1, body[10:])
                      + fcgi_record(FCGI_STDIN, 1, b""))
            out, ended = fcgi_response(s)
        self.assertTrue(ended, out)
        self.assertIn(b"Status: 400", out)
        self.assertIn(b"Password must be at least", out)
        # Every old worker is gone, and the pool is full again.
        wait_until(lambda: not (set(fcgi_pids()) & before)
                   and len(fcgi_pids()) == POOL_SIZE, 30,
                   what="a fresh pool")
        self.assertEqual(api("GET", "/healthz").status, 200)


class ThreadsTest(unittest.TestCase):
    """[http] threads: a worker serves that many requests at once, each
    on a database connection of its own (the test stack runs 2)."""

    def test_a_worker_serves_while_its_requests_wait(self):
        self.assertGreater(int(client.conf_value_or_none("http", "threads") or 1), 1,
                           "the test stack's pool runs more than a thread")
        tok = client.owner_token()
        sid = client.create_service(unique_name("threads"))
        path = "/api/services/%d/status" % sid
        self.assertEqual(api("POST", path, {"status": "Up"},
                             token=tok).status, 200)
        workers = len(fcgi_pids())
        self.assertEqual(workers, POOL_SIZE)
        answers = []
        held = client.LockHeld("SELECT service_id FROM service_status "
                               "WHERE service_id = %d FOR UPDATE" % sid)
        try:
            # As many writes as there are workers, each waiting for the
            # lock: one thread of every worker, were they one apiece.
            beats = [threading.Thread(target=lambda: answers.append(
                api("POST", path, {"status": "Up"}, token=tok).status))
                for _ in range(workers)]
            for t in beats:
                t.start()
            wait_until(lambda: client.lock_waits() == workers, 30,
                       what="every write waiting for the lock")
            # Another request is answered meanwhile, by a second thread.
            r = api("GET", "/api/auth/me", token=tok, timeout=10)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(client.lock_waits(), workers)
        finally:
            held.close()
        for t in beats:
            t.join(30)
        self.assertEqual(answers, [200] * workers)
        self.assertEqual(len(fcgi_pids()), POOL_SIZE)


class PoolKilledTest(unittest.TestCase):

    def test_workers_do_not_outlive_a_killed_pool(self):
        """The pool killed outright (SIGKILL: kill -9, the OOM killer)
        cannot pass SIGTERM on to its workers: the kernel does (its
        workers asked for it), and they leave rather than hold their
        database connections beside the next pool's."""
        pool = stack_pids()["fcgi"]
        workers = fcgi_pids()
        self.assertEqual(len(workers), POOL_SIZE)
        os.kill(pool, signal.SIGKILL)
        try:
            wait_until(lambda: not any(alive(p) for p in workers), 20,
                       what="the killed pool's workers to exit")
        finally:
            stack("fcgi-start")
            wait_until(lambda: len(fcgi_pids()) == POOL_SIZE, 30,
                       what="a new pool")
        self.assertEqual(api("GET", "/healthz").status, 200)


class VanishedClientTest(unittest.TestCase):

    def test_client_gone_before_the_answer_is_not_an_error(self):
        before = set(fcgi_pids())
        begin = struct.pack(">HB5x", FCGI_RESPONDER, 0)
        params = fcgi_pairs({"REQUEST_METHOD": "GET",
                             "REQUEST_URI": "/healthz",
                             "REMOTE_ADDR": "127.0.0.1"})
        for _ in range(20):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(fcgi_socket())
                s.sendall(fcgi_record(FCGI_BEGIN_REQUEST, 1, begin)
                          + fcgi_record(FCGI_PARAMS, 1, params)
                          + fcgi_record(FCGI_PARAMS, 1, b"")
                          + fcgi_record(FCGI_STDIN, 1, b""))
                # Gone before reading a byte of the answer.
        for _ in range(10):
            self.assertEqual(api("GET", "/healthz").status, 200)
        self.assertEqual(set(fcgi_pids()), before)


class DatabaseRestartTest(unittest.TestCase):

    def test_database_down_gives_503_and_recovers_without_restart(self):
        username, password = unique_name("dbr"), new_password()
        r = signup(username, password)
        self.assertEqual(r.status, 201, r)
        token = login(username, password)
        self.assertEqual(api("GET", "/api/auth/me", token=token).status, 200)
        # The whole pool first: one the tests before killed is replaced
        # a second after the one before it (worker_supervise).
        wait_until(lambda: len(fcgi_pids()) == POOL_SIZE, timeout=30,
                   what="the pool's %d workers" % POOL_SIZE)
        workers = fcgi_pids()

        stack("db-stop")
        try:
            r = api("GET", "/healthz")
            self.assertEqual(r.status, 503, r)
            r = api("GET", "/api/auth/me", token=token)
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json,
                             {"error": "Service temporarily unavailable"})
            self.assertEqual(r.headers.get("Retry-After"), "5")
        finally:
            stack("db-start")

        wait_until(healthz_ok, timeout=30, what="/healthz 200 after db-start")
        token = login(username, password)
        r = api("GET", "/api/auth/me", token=token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(fcgi_pids(), workers,
                         "the workers were restarted")


if __name__ == "__main__":
    unittest.main(verbosity=2)
