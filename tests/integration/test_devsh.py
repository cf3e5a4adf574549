"""The README's Quick start as a newcomer meets it: `./dev.sh up` on a
state directory and port of its own (a second stack beside the test
stack), what its demo data does, that the first address it prints
answers, and that a start which fails (the port is taken) stops what it
started.  Also: the stack finds Debian's /usr/sbin programs without
/usr/sbin on PATH (an ordinary user's PATH)."""

WEB_SERVERS = ("nginx",)
WEB_SERVERS_WHY = "dev.sh up starts its own nginx stack beside the test stack"

import os
import re
import socket
import subprocess
import tempfile
import unittest

import client

DEV_SH = os.path.join(client.TOP, "dev.sh")
STACK_SH = os.path.join(client.TOP, "tests", "stack.sh")
PORT = 18180


def dev(verb, state, port, **env):
    e = {k: v for k, v in os.environ.items()
         if not k.startswith("RESILOPS_")}
    e.update({"RESILOPS_STATE": state, "RESILOPS_PORT": str(port)})
    e.update(env)
    return subprocess.run([DEV_SH, verb], capture_output=True, text=True,
                          timeout=600, env=e, stdin=subprocess.DEVNULL)


def processes_of(state):
    """Pids of processes whose command line names the state directory."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if state in cmd and int(d) != os.getpid():
            found.append((int(d), cmd))
    return found


def _http(port, method, path, body, token, headers=None):
    import http.client
    import json
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    hdrs = {"Content-Type": "application/json"}
    if token:
        hdrs["Authorization"] = "Bearer " + token
    hdrs.update(headers or {})
    try:
        conn.request(method, path, body=json.dumps(body) if body else None,
                     headers=hdrs)
        r = conn.getresponse()
        return client.Response(r.status, r.headers, r.read())
    finally:
        conn.close()


class Tools(unittest.TestCase):
    def test_sbin_programs_found_without_sbin_on_path(self):
        r = subprocess.run([STACK_SH, "/tmp/unused-state", "tools"],
                           capture_output=True, text=True, timeout=60,
                           env={"PATH": "/usr/local/bin:/usr/bin:/bin",
                                "HOME": "/tmp"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("mariadbd /usr/sbin/mariadbd", r.stdout)
        self.assertIn("nginx /usr/sbin/nginx", r.stdout)


class PortInUse(unittest.TestCase):
    def test_failed_up_leaves_nothing_running(self):
        state = tempfile.mkdtemp(prefix="ro-devup-")
        blocker = socket.socket()
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", PORT + 1))
        blocker.listen(1)
        try:
            r = dev("up", state, PORT + 1)
        finally:
            blocker.close()
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("127.0.0.1:%d in use" % (PORT + 1), r.stderr)
        self.assertEqual(processes_of(state), [])
        dev("reset", state, PORT + 1)


class Up(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.state = tempfile.mkdtemp(prefix="ro-devup-")
        cls.up = dev("up", cls.state, PORT, RESILOPS_DEMO_BEAT="1")

    @classmethod
    def tearDownClass(cls):
        dev("reset", cls.state, PORT)

    def test_up_succeeds_and_prints_an_address_that_answers(self):
        self.assertEqual(self.up.returncode, 0, self.up.stderr[-2000:])
        urls = re.findall(r"http://127\.0\.0\.1:%d\S*" % PORT, self.up.stdout)
        self.assertTrue(urls, self.up.stdout)
        first = urls[0][len("http://127.0.0.1:%d" % PORT):]
        r = _http(PORT, "GET", first, None, None)
        self.assertEqual(r.status, 200, (first, r))
        # The status page first, then the console, which asks for a login.
        paths = [u[len("http://127.0.0.1:%d" % PORT):] for u in urls]
        self.assertEqual(paths[:2], ["/status", "/console"], self.up.stdout)
        r = _http(PORT, "GET", "/console", None, None)
        self.assertEqual(r.status, 303, r)
        r = _http(PORT, "GET", "/console/login", None, None)
        self.assertEqual(r.status, 200, r)

    def test_demo_maintenance_announced(self):
        r = _http(PORT, "GET", "/status", None, None)
        self.assertEqual(r.status, 200)
        self.assertIn("Portal database upgrade", r.text)
        self.assertIn("Planned", r.text)

    def owner_token(self):
        with open(os.path.join(self.state, "demo-accounts.txt")) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if parts[0] == "owner":
                    r = _http(PORT, "POST", "/api/auth/login",
                              {"username": "owner", "password": parts[2]},
                              None)
                    return r.json["access_token"]
        raise AssertionError("no owner in demo-accounts.txt")

    def services(self, token):
        r = _http(PORT, "GET", "/api/services", None, token)
        return {s["name"]: s for s in r.json}

    def test_only_the_relay_falls_silent(self):
        self.assertEqual(self.up.returncode, 0)
        tok = self.owner_token()
        first = self.services(tok)
        self.assertEqual(first["Reporting Batch"]["last_updated"], None)
        self.assertEqual(first["Legacy CRM"]["status"], "Down")
        # The demo agent keeps Payments and the Portal beating ...
        for name in ("Payments API", "Customer Portal"):
            client.wait_until(
                lambda: self.services(tok)[name]["last_updated"] !=
                first[name]["last_updated"], timeout=30,
                what="a heartbeat of %s" % name)
        # ... and never the relay, which keeps its one heartbeat.
        now = self.services(tok)
        self.assertEqual(now["Email Relay"]["last_updated"],
                         first["Email Relay"]["last_updated"])
        self.assertIsNotNone(now["Email Relay"]["last_updated"])
        self.assertIn("agent", subprocess.run(
            [STACK_SH, self.state, "pids"], capture_output=True,
            text=True).stdout)
        # It beats with a heartbeat key, which may do nothing else.
        path = os.path.join(self.state, "demo-agent.key")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path) as f:
            key = f.read().strip()
        self.assertRegex(key, r"^rk_[0-9A-Za-z]{32}$")
        r = _http(PORT, "GET", "/api/services", None, None,
                  headers={"X-API-Key": key})
        self.assertEqual(r.status, 403, r)

    def test_second_up_reuses_everything(self):
        self.assertEqual(self.up.returncode, 0)
        before = subprocess.run([STACK_SH, self.state, "pids"],
                                capture_output=True, text=True).stdout
        again = dev("up", self.state, PORT, RESILOPS_DEMO_BEAT="1")
        self.assertEqual(again.returncode, 0, again.stderr[-2000:])
        after = subprocess.run([STACK_SH, self.state, "pids"],
                               capture_output=True, text=True).stdout
        self.assertEqual(before, after)


if __name__ == "__main__":
    unittest.main()
