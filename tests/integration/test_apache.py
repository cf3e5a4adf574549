"""Apache's own part, through the test stack's Apache (the shipped
example, conf/apache.conf.example.in, as tests/stack.sh runs it with
RESILOPS_WEB=apache): the answers Apache makes itself are the API's JSON
errors, bodies over the cap are refused whether their length is declared
or chunked, mod_fcgid's processes are reachable only through Apache, and
they count /metrics into one shared file.  Then the example's other way,
Apache + mod_proxy_fcgi (Define RESILOPS_POOL) in front of a spawn-fcgi
pool, started here beside the stack: the same answers, and a pool that is
down is 503 with Retry-After."""

import http.client
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

import client
from client import api, wait_until

WEB_SERVERS = ("apache",)
WEB_SERVERS_WHY = "Apache's own configuration"

CAP = 1 << 20	# [http] body_max, LimitRequestBody


def chunked(port, method, path, chunks, headers=None):
    """A request whose body goes chunked (no Content-Length)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=iter(chunks),
                     headers=dict({"Content-Type": "application/json"},
                                  **(headers or {})),
                     encode_chunked=True)
        resp = conn.getresponse()
        return client.Response(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def big_body(size):
    """A JSON object of about size bytes, in 64 KiB chunks."""
    chunk = b" " * 65536
    yield b'{"name": "x"'
    for _ in range(size // len(chunk)):
        yield chunk
    yield b"}"


def login_body(user, password):
    return [json.dumps({"username": user, "password": password}).encode()]


class Limits:
    """The same checks through either way of running resilops; a class
    mixing it in sets self.port."""

    def get(self, path, **kw):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers=kw.get("headers", {}))
            resp = conn.getresponse()
            return client.Response(resp.status, resp.headers, resp.read())
        finally:
            conn.close()

    def test_declared_length_over_the_cap_is_json_413(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.putrequest("POST", "/api/services")
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(CAP + 1))
            conn.putheader("X-Request-Id", "big-1")
            conn.endheaders()
            # Apache answers before the body: send none.
            resp = conn.getresponse()
            r = client.Response(resp.status, resp.headers, resp.read())
        finally:
            conn.close()
        self.assertEqual(r.status, 413)
        self.assertEqual(r.json, {"error": "Request body too large"})
        self.assertTrue(r.headers["Content-Type"].startswith("application/json"))
        self.assertEqual(r.headers["X-Request-Id"], "big-1")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")

    def test_chunked_body_over_the_cap_is_json_413(self):
        _, _, token = client.user_with_role("Business Owner")
        for size in (CAP + 65536, 6 * CAP):
            r = chunked(self.port, "POST", "/api/services", big_body(size),
                        {"Authorization": "Bearer " + token})
            self.assertEqual((r.status, r.json),
                             (413, {"error": "Request body too large"}), size)

    def test_chunked_body_under_the_cap_arrives_whole(self):
        user, password, token = client.user_with_role("Business Owner")
        r = chunked(self.port, "POST", "/api/auth/login",
                    login_body(user, password))
        self.assertEqual(r.status, 200, r)
        name = client.unique_name("chunked")
        pad = b" " * (CAP - 4096)
        r = chunked(self.port, "POST", "/api/services",
                    [b'{"name": "%s",' % name.encode(), pad,
                     b'"description": "sent chunked"}'],
                    {"Authorization": "Bearer " + token})
        self.assertEqual(r.status, 201, r)
        r = api("GET", "/api/services/%d" % r.json["service_id"], token=token)
        self.assertEqual((r.json["name"], r.json["description"]), (name, "sent chunked"))

    def test_authorization_reaches_resilops(self):
        user, _, token = client.user_with_role("user")
        r = self.get("/api/auth/me", headers={"Authorization": "Bearer " + token})
        self.assertEqual((r.status, r.json["username"]), (200, user))

    def test_console_and_pages_files(self):
        r = self.get("/console/login")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.text.startswith("<!DOCTYPE html>"))
        r = self.get("/css/resilops.css")
        self.assertEqual((r.status, r.headers["Content-Type"]), (200, "text/css"))


class ThroughModFcgid(Limits, unittest.TestCase):
    port = client.PORT

    def test_program_that_cannot_run_is_json_500_and_status_copy(self):
        client.stack("fcgi-stop")
        try:
            for path in ("/api/services", "/healthz", "/console/login"):
                # mod_fcgid tries to start the program again, backing
                # off by its spawn score, before it gives up on the
                # request: 4-34 s for these three in CI runs, more as the
                # score grows with the processes earlier tests ended.
                r = api("GET", path, timeout=120)
                self.assertEqual((r.status, r.json),
                                 (500, {"error": "Internal server error"}), path)
                self.assertNotIn("Retry-After", r.headers)
                self.assertIn("X-Request-Id", r.headers)
            # A status page of which there is no copy: the same error.
            r = api("GET", "/status/no-such-copy")
            self.assertEqual(r.json, {"error": "Service temporarily unavailable"})
        finally:
            client.stack("fcgi-start")
            wait_until(lambda: api("GET", "/healthz").status == 200,
                       what="/healthz after fcgi-start")

    def test_processes_reachable_through_apache_only(self):
        api("GET", "/healthz")
        pids = client.fcgi_pids()
        self.assertTrue(pids)
        ipc = os.path.join(client.STATE, "apache", "fcgid")
        for pid in pids:
            # fd 0 is mod_fcgid's listening socket: a unix socket in
            # FcgidIPCDir, which only Apache's user may enter.
            target = os.readlink("/proc/%d/fd/0" % pid)
            self.assertTrue(target.startswith("socket:"), target)
            inode = target[len("socket:["):-1]
            with open("/proc/net/unix") as f:
                paths = [l.split()[-1] for l in f if l.split()[6] == inode
                         and len(l.split()) > 7]
            self.assertTrue(paths and paths[0].startswith(ipc + "/"), paths)
            with open("/proc/net/tcp") as f:
                tcp = f.read()
            for fd in os.listdir("/proc/%d/fd" % pid):
                t = os.readlink("/proc/%d/fd/%s" % (pid, fd))
                if t.startswith("socket:"):
                    self.assertNotIn(" %s " % t[8:-1], tcp)
        mode = stat.S_IMODE(os.stat(ipc).st_mode)
        self.assertEqual(mode & 0o077, 0, oct(mode))

    def test_metrics_shared_by_the_processes(self):
        """Enough requests at once that mod_fcgid runs several processes;
        each counts into the shared file, so one scrape sees them all."""
        import concurrent.futures

        def healthz(_):
            try:
                return api("GET", "/healthz").status
            except OSError as e:        # no answer: say what Apache said
                return "%s: %s" % (type(e).__name__, e)
        log = client.fcgi_log_path()
        start = os.path.getsize(log) if os.path.exists(log) else 0
        before = requests_of(api("GET", "/metrics").text)
        # Rounds of 80 until mod_fcgid has started a second process (its
        # spawn follows the load it sees, which one round of quick
        # answers did not always show it), at most 10 rounds.
        sent = 0
        for _ in range(10):
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                codes = list(pool.map(healthz, range(80)))
            sent += 80
            if codes != [200] * 80:
                with open(log, errors="replace") as f:
                    f.seek(start)
                    self.fail("%s\nApache's error log meanwhile:\n%s"
                              % (codes, f.read()[-4000:]))
            if len(client.fcgi_pids()) > 1:
                break
        self.assertGreater(len(client.fcgi_pids()), 1)
        self.assertEqual(requests_of(api("GET", "/metrics").text) - before,
                         sent)


def requests_of(text):
    """resilops_http_requests_total for GET /healthz 200."""
    m = re.search(r'(?m)^resilops_http_requests_total\{route="/healthz",'
                  r'method="GET",status="200"\} (\S+)$', text)
    return float(m.group(1)) if m else 0.0


class ThroughProxyFcgi(Limits, unittest.TestCase):
    """The example with Define RESILOPS_POOL: mod_proxy_fcgi to a pool of
    resilops's own on a unix socket (spawn-fcgi here, resilops.socket in
    production)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ro-px.", dir="/tmp")
        cls.sock = os.path.join(cls.tmp, "resilops.sock")
        cls.port = client.free_port()
        cls.pool = None
        cls.apache_pid = None
        cls.start_pool()
        state = client.STATE
        with open(os.path.join(state, "apache", "site.conf")) as f:
            site = f.read()
        assert "/run/resilops/resilops.sock" in site
        site = site.replace("/run/resilops/resilops.sock", cls.sock)
        site = re.sub(r"<VirtualHost 127\.0\.0\.1:\d+>",
                      "<VirtualHost 127.0.0.1:%d>" % cls.port, site)
        with open(os.path.join(state, "apache", "apache.conf")) as f:
            main = f.read()
        main = re.sub(r"(?m)^Listen .*$", "Listen 127.0.0.1:%d" % cls.port, main)
        for key, value in (("PidFile", cls.tmp + "/apache.pid"),
                           ("ErrorLog", cls.tmp + "/error.log"),
                           ("GlobalLog", cls.tmp + "/requests.log "
                            "resilops_diag"),
                           ("DefaultRuntimeDir", cls.tmp),
                           ("Mutex", "file:%s default" % cls.tmp),
                           ("Include", cls.tmp + "/site.conf")):
            main = re.sub(r"(?m)^%s .*$" % key, "%s %s" % (key, value), main)
        main = re.sub(r"(?m)^LoadModule fcgid_module .*$",
                      "LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so\n"
                      "LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so",
                      main)
        main = re.sub(r"(?m)^Fcgid.*$", "", main)
        main = "Define RESILOPS_POOL\n" + main
        with open(os.path.join(cls.tmp, "site.conf"), "w") as f:
            f.write(site)
        with open(os.path.join(cls.tmp, "apache.conf"), "w") as f:
            f.write(main)
        ns = ["unshare", "--user", "--map-user=1000", "--map-group=1000"] \
            if os.geteuid() == 0 else []
        r = subprocess.run(ns + ["apache2", "-f", cls.tmp + "/apache.conf",
                                 "-k", "start"], capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            cls.tearDownClass()
            raise AssertionError("apache2 (RESILOPS_POOL): " + r.stderr)
        pidfile = cls.tmp + "/apache.pid"
        wait_until(lambda: os.path.exists(pidfile), what="Apache's pid file")
        with open(pidfile) as f:
            cls.apache_pid = int(f.read())
        wait_until(lambda: cls.reach("/healthz") == 200,
                   what="/healthz through mod_proxy_fcgi")

    @classmethod
    def reach(cls, path):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", cls.port, timeout=5)
            conn.request("GET", path)
            return conn.getresponse().status
        except OSError:
            return None

    @classmethod
    def start_pool(cls):
        log = open(os.path.join(cls.tmp, "pool.log"), "a")
        cls.pool = subprocess.Popen(
            ["spawn-fcgi", "-n", "-s", cls.sock, "-M", "0660", "--",
             os.path.join(client.BUILD, "resilops.fcgi"),
             "-c", client.config_path(), "-w", "2"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)
        log.close()
        wait_until(lambda: os.path.exists(cls.sock) or cls.pool.poll()
                   is not None, what="the pool's socket")

    @classmethod
    def stop_pool(cls):
        if cls.pool and cls.pool.poll() is None:
            cls.pool.terminate()
            cls.pool.wait(timeout=30)
        if os.path.exists(cls.sock):
            os.unlink(cls.sock)

    @classmethod
    def tearDownClass(cls):
        if cls.apache_pid:
            os.kill(cls.apache_pid, 15)
            wait_until(lambda: not os.path.exists("/proc/%d" % cls.apache_pid),
                       what="Apache to exit")
        cls.stop_pool()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_pool_down_is_json_503_with_retry_after(self):
        self.stop_pool()
        try:
            r = self.get("/api/services")
            self.assertEqual((r.status, r.json),
                             (503, {"error": "Service temporarily unavailable"}))
            self.assertEqual(r.headers["Retry-After"], "5")
            self.assertIn("X-Request-Id", r.headers)
        finally:
            self.start_pool()
            wait_until(lambda: self.reach("/healthz") == 200,
                       what="/healthz after the pool is back")


if __name__ == "__main__":
    unittest.main()
