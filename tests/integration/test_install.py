"""make install into a DESTDIR, then the installed programs started from
the installed examples: every path they name exists, the installed
config path is the programs' default, the config permission check
passes at 0640 (and refuses 0644), the FastCGI pool runs the installed
resilops.service's command under spawn-fcgi, resilops-sched the crontab's,
and nginx from the installed example answers /healthz 200 and serves the
installed htdocs.

The installed programs look for their files at the real prefix (their
templates, sql/, the default config), not under DESTDIR: they run in a
private mount namespace (unshare -m) with DESTDIR's prefix bound over the
real one, so nothing outside the test's directory is written and the
installed paths are used as they are.  Against the test stack's MariaDB
(no second one): the config is the stack's, with another static_dir.
As root it uses a mount namespace, otherwise a user namespace with
one (unshare -rm)."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import client

PATHS_MK = """print-paths:
\t@echo "$(prefix)"; echo "$(sbindir)"; echo "$(pkgdatadir)"; \
echo "$(pkgsysconfdir)"
"""

EXAMPLES = ("nginx.conf.example", "apache.conf.example", "resilops.socket",
            "resilops.service", "resilops-sched.service",
            "resilops-sched.cron")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.procs = []
        cls.nginx_pid = None
        # As root a mount namespace; otherwise a user namespace with one
        # (unshare -r), which Debian 12 allows unprivileged users.  Never
        # a skip: without either, the test fails and says why.
        cls.unshare = ["unshare", "-m"] if os.geteuid() == 0 else \
            ["unshare", "-rm"]
        r = subprocess.run(cls.unshare + ["true"], capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise AssertionError("no private mount namespace (%s): %s"
                                 % (" ".join(cls.unshare), r.stderr.strip()))
        # Short: the FastCGI socket's path must fit in sun_path.
        cls.tmp = tempfile.mkdtemp(prefix="ro-inst.", dir="/tmp")
        cls.destdir = os.path.join(cls.tmp, "root")
        r = subprocess.run(["make", "-s", "--no-print-directory", "-C", client.BUILD,
                            "-f", "Makefile",
                            "-f", "-", "print-paths"], input=PATHS_MK,
                           capture_output=True, text=True, timeout=60,
                           check=True)
        (cls.prefix, cls.sbindir, cls.pkgdatadir,
         cls.pkgsysconfdir) = r.stdout.split("\n")[:4]
        for d in (cls.sbindir, cls.pkgdatadir, cls.pkgsysconfdir):
            if not d.startswith(cls.prefix + "/"):
                raise AssertionError("%s is outside the prefix %s: the test "
                                     "binds the prefix only" % (d, cls.prefix))
        subprocess.run(["make", "-s", "-C", client.BUILD, "install",
                        "DESTDIR=" + cls.destdir], capture_output=True,
                       text=True, timeout=300, check=True,
                       stdin=subprocess.DEVNULL)
        cls.examples = os.path.join(cls.pkgdatadir, "examples")
        cls.conf = os.path.join(cls.pkgsysconfdir, "resilops.conf")
        cls.static = os.path.join(cls.tmp, "static")
        cls.rundir = os.path.join(cls.tmp, "run")
        os.mkdir(cls.rundir, 0o700)
        # The stack's config, with this test's static copy directory.
        with open(client.config_path()) as f:
            text = f.read()
        text = re.sub(r"(?m)^static_dir\s*=.*$", "static_dir = " + cls.static,
                      text)
        with open(cls.dest(cls.conf), "w") as f:
            f.write(text)
        os.chmod(cls.dest(cls.conf), 0o640)

    @classmethod
    def tearDownClass(cls):
        if cls.nginx_pid and alive(cls.nginx_pid):
            os.kill(cls.nginx_pid, 15)
        for p in cls.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if cls.nginx_pid:
            for _ in range(50):
                if not alive(cls.nginx_pid):
                    break
                time.sleep(0.1)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def dest(cls, path):
        return cls.destdir + path

    @classmethod
    def ns(cls, argv):
        """argv in a mount namespace where the prefix is DESTDIR's."""
        return cls.unshare + ["sh", "-c",
                'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh",
                cls.dest(cls.prefix), cls.prefix] + list(argv)

    @classmethod
    def example(cls, name):
        with open(cls.dest(os.path.join(cls.examples, name))) as f:
            return f.read()

    def run_ns(self, argv, **kw):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("RESILOPS_", "MYSQL_", "JWT_"))}
        return subprocess.run(self.ns(argv), capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL, env=env,
                              **kw)

    def exec_start(self, unit):
        m = re.search(r"(?m)^ExecStart=(.*)$", self.example(unit))
        self.assertIsNotNone(m, unit)
        return m.group(1).split()

    def test_all_shared_files_installed(self):
        for sub in ("htdocs", "templates", "sql"):
            top = os.path.join(client.TOP, sub)
            for d, _, files in os.walk(top):
                for name in files:
                    rel = os.path.relpath(os.path.join(d, name), client.TOP)
                    self.assertTrue(os.path.isfile(self.dest(os.path.join(
                        self.pkgdatadir, rel))), rel + " not installed")
        for name in EXAMPLES:
            self.assertTrue(os.path.isfile(self.dest(os.path.join(
                self.examples, name))), name)
        self.assertTrue(os.path.isfile(self.dest(os.path.join(
            self.pkgsysconfdir, "resilops.conf.example"))))

    def test_example_paths_resolve(self):
        """Every install path an example names exists as installed (the
        error documents of the Apache example are made by hand)."""
        for name in EXAMPLES:
            text = self.example(name)
            self.assertIsNone(re.search(r"@[a-z_]+@", text), name)
            for path in re.findall(re.escape(self.prefix) + r"/[^\s\"';$]*",
                                   text):
                path = path.rstrip("/:,.)")
                if "/errors" in path:
                    continue
                self.assertTrue(os.path.exists(self.dest(path)),
                                "%s names %s" % (name, path))

    def test_default_config_path_and_permissions(self):
        """The installed programs read the installed config without -c,
        and refuse it while others can read it."""
        admin = os.path.join(self.sbindir, "resilops-admin")
        try:
            os.chmod(self.dest(self.conf), 0o644)
            r = self.run_ns([admin, "migrate"])
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(self.conf, r.stderr)
            self.assertIn("chmod 0640", r.stderr)
        finally:
            os.chmod(self.dest(self.conf), 0o640)
        r = self.run_ns([admin, "migrate"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(os.path.join(self.pkgdatadir, "sql"),
                      r.stdout + r.stderr)

    def test_installed_sched_from_crontab(self):
        line = [ln for ln in self.example("resilops-sched.cron").splitlines()
                if ln and not ln.startswith("#")]
        self.assertEqual(len(line), 1)
        # Past the five times and the user, up to the redirection to logger.
        argv = line[0].split(" 2>&1 ")[0].split()[6:]
        self.assertEqual(argv[0], os.path.join(self.sbindir, "resilops-sched"))
        self.assertIn("--once", argv)
        r = self.run_ns(argv)
        self.assertEqual(r.returncode, 0, r.stderr)
        # It wrote the static status copy where the config says.
        self.assertTrue(os.listdir(self.static), r.stderr)

    def test_nginx_and_pool_from_examples(self):
        port = free_port()
        sock = os.path.join(self.rundir, "resilops.sock")
        # The pool: the installed service's command, under spawn-fcgi
        # (the socket unit passes the socket on fd 0 the same way).
        argv = self.exec_start("resilops.service")
        self.assertEqual(argv[0], os.path.join(self.sbindir, "resilops.fcgi"))
        argv[argv.index("-w") + 1] = "2"
        logname = os.path.join(self.tmp, "fcgi.log")
        with open(logname, "w") as log:
            p = subprocess.Popen(self.ns(["spawn-fcgi", "-n", "-s", sock,
                                          "-M", "0660", "--"] + argv),
                                 stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=log, start_new_session=True)
        self.procs.append(p)
        client.wait_until(lambda: os.path.exists(sock) or p.poll() is not None,
                          what="the installed pool's socket")
        with open(logname) as f:
            self.assertIsNone(p.poll(), f.read())
        # nginx: the installed server block, on loopback, its socket and
        # static copy in this test's directory.
        site = self.example("nginx.conf.example")
        site = re.sub(r"(?m)^\s*listen .*$", "", site)
        site = site.replace("server {", "server {\n\tlisten 127.0.0.1:%d;"
                            % port, 1)
        site = site.replace("/run/resilops/resilops.sock", sock)
        site = site.replace("/var/lib/resilops/static", self.static)
        ngx = os.path.join(self.tmp, "nginx")
        os.mkdir(ngx)
        shutil.copy("/etc/nginx/fastcgi_params", ngx)
        with open(os.path.join(ngx, "site.conf"), "w") as f:
            f.write(site)
        pidfile = os.path.join(self.rundir, "nginx.pid")
        with open(os.path.join(ngx, "nginx.conf"), "w") as f:
            f.write("""user root root;
worker_processes 1;
pid %(pid)s;
error_log %(d)s/error.log warn;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	access_log %(d)s/access.log;
	client_body_temp_path %(d)s/body;
	fastcgi_temp_path %(d)s/fastcgi;
	proxy_temp_path %(d)s/proxy;
	uwsgi_temp_path %(d)s/uwsgi;
	scgi_temp_path %(d)s/scgi;
	include %(d)s/site.conf;
}
""" % {"pid": pidfile, "d": ngx})
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        r = self.run_ns([nginx, "-p", ngx, "-c", os.path.join(ngx, "nginx.conf"),
                         "-e", os.path.join(ngx, "error.log")])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(pidfile) as f:
            type(self).nginx_pid = int(f.read())
        base = "http://127.0.0.1:%d" % port

        def get(path):
            try:
                with urllib.request.urlopen(base + path, timeout=10) as resp:
                    return resp.status, resp.read()
            except urllib.error.HTTPError as e:
                return e.code, e.read()

        client.wait_until(
            lambda: (lambda r: r if r[0] == 200 else None)(get("/healthz")),
            what="/healthz 200 through the installed nginx example")
        # The installed htdocs and templates.
        self.assertEqual(get("/css/resilops.css")[0], 200)
        self.assertEqual(get("/api/openapi.json")[0], 200)
        self.assertEqual(get("/icons/up.svg")[0], 200)
        status, body = get("/status")
        self.assertEqual(status, 200, body[:300])
        self.assertIn(b"/css/resilops.css", body)


if __name__ == "__main__":
    unittest.main()
