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

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import client
from client import alive

PATHS_MK = """print-paths:
\t@echo "$(prefix)"; echo "$(sbindir)"; echo "$(pkgdatadir)"; \
echo "$(pkgsysconfdir)"
"""

EXAMPLES = ("nginx.conf.example", "apache.conf.example", "resilops.socket",
            "resilops.service", "resilops-sched.service",
            "resilops-sched.cron", "resilops.fcgi-wrapper")


class InstallTree:
    """make install into a DESTDIR of the class's own, and the means to
    run what it installed at the real prefix."""

    @classmethod
    def setUpClass(cls):
        cls.procs = []
        cls.nginx_pid = None
        cls.apache_pid = None
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
        for pid in (cls.nginx_pid, cls.apache_pid):
            if pid and alive(pid):
                os.kill(pid, 15)
        for p in cls.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for pid in (cls.nginx_pid, cls.apache_pid):
            if pid:
                client.wait_until(lambda: not alive(pid), timeout=30,
                                  what="pid %d to exit" % pid)
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



class Installed(InstallTree, unittest.TestCase):
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
        """Every install path an example names exists as installed."""
        for name in EXAMPLES:
            text = self.example(name)
            self.assertIsNone(re.search(r"@[a-z_]+@", text), name)
            for path in re.findall(re.escape(self.prefix) + r"/[^\s\"';$]*",
                                   text):
                path = path.rstrip("/:,.)")
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
        port = client.free_port()
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


def installed_get(base, path, headers=None, data=None):
    req = urllib.request.Request(base + path, headers=headers or {},
                                 data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def passwd_entry(name):
    """(uid, gid) of name in /etc/passwd, or None."""
    with open("/etc/passwd") as f:
        for line in f:
            fields = line.split(":")
            if fields[0] == name:
                return int(fields[2]), int(fields[3])
    return None


def free_system_id():
    """A uid and gid in suexec's range (AP_UID_MIN 100) that neither
    /etc/passwd nor /etc/group uses."""
    used = set()
    for name in ("/etc/passwd", "/etc/group"):
        with open(name) as f:
            used.update(int(line.split(":")[2]) for line in f if line.strip())
    return next(i for i in range(990, 100, -1) if i not in used)


@client.only_in("single", why="binds the stack's MariaDB socket into the installed site's namespace: a cluster host reaches MariaDB over TCP")
class InstalledApache(InstallTree, unittest.TestCase):
    """The installed Apache example as the README sets it up: mod_fcgid
    starts the installed wrapper (resilops.fcgi-wrapper), under suexec, as
    the resilops account; the config is 0640 root:resilops, which Apache's
    own www-data cannot read.  In a mount namespace: the install's prefix,
    /var/www (the wrapper's directory, suexec's document root) and, when
    the host has no resilops account, /etc/passwd and /etc/group with one
    added, are bound over the real ones; MariaDB's socket is bound where
    the account can reach it.  suexec is a setuid program, which works
    for root only: run by another user, the example runs without
    SuexecUserGroup (as tests/stack.sh runs it), as that user, and the
    account checks are left to the root run (CI's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = os.geteuid() == 0
        # Reachable by the account (mkdtemp makes 0700 directories).
        cls.web = tempfile.mkdtemp(prefix="ro-ap.", dir="/tmp")
        os.chmod(cls.web, 0o755)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.web, ignore_errors=True)

    def account(self):
        """(uid, gid, extra mounts) for the resilops account."""
        ids = passwd_entry("resilops")
        if ids:
            return ids[0], ids[1], ""
        uid = free_system_id()
        for name, line in (("passwd", "resilops:x:%d:%d::/nonexistent:"
                            "/usr/sbin/nologin\n" % (uid, uid)),
                           ("group", "resilops:x:%d:\n" % uid)):
            with open("/etc/" + name) as f:
                text = f.read()
            with open(os.path.join(self.web, name), "w") as f:
                f.write(text + line)
            os.chmod(os.path.join(self.web, name), 0o644)
        return uid, uid, ('mount --bind "$W/passwd" /etc/passwd && '
                          'mount --bind "$W/group" /etc/group && ')

    def test_runs_as_its_own_account_under_suexec(self):
        port = client.free_port()
        w = self.web
        wwwdata = passwd_entry("www-data")
        uid, gid, mounts = self.account() if self.root else \
            (os.getuid(), os.getgid(), "")
        # The README's steps: the wrapper in a directory of the
        # account's under /var/www, the config readable by the account.
        www = os.path.join(w, "www")
        os.makedirs(os.path.join(www, "resilops"))
        wrapper = os.path.join(www, "resilops", "resilops.fcgi")
        shutil.copy(self.dest(os.path.join(self.examples,
                                           "resilops.fcgi-wrapper")), wrapper)
        os.chmod(wrapper, 0o755)
        os.chown(os.path.join(www, "resilops"), uid, gid)
        os.chown(wrapper, uid, gid)
        # The stack's config with MariaDB's socket where the account can
        # reach it (the stack's own directory is the test user's, 0700).
        sock = os.path.join(w, "mysqld.sock")
        open(sock, "w").close()
        with open(client.config_path()) as f:
            text = f.read()
        stack_sock = re.search(r"(?m)^socket\s*=\s*(\S+)", text).group(1)
        text = re.sub(r"(?m)^socket\s*=.*$", "socket = " + sock, text)
        text = re.sub(r"(?m)^static_dir\s*=.*$", "static_dir = " + self.static,
                      text)
        # /metrics shared by the processes, in a directory of the
        # account's (the README's /var/lib/resilops/metrics).
        lib = os.path.join(w, "lib")
        os.mkdir(lib, 0o755)
        os.chown(lib, uid, gid)
        text = re.sub(r"(?m)^shared_file\s*=.*$", "", text)
        if "\n[metrics]\n" not in text:
            text += "\n[metrics]\n"
        text = text.replace("[metrics]\n", "[metrics]\nshared_file = %s\n"
                            % os.path.join(lib, "metrics"), 1)
        self.assertIn("shared_file = " + lib, text)
        # The token cache likewise (the README's
        # /var/lib/resilops/auth-cache): the stack's own is in a directory
        # the account cannot reach.
        text = re.sub(r"(?m)^cache_file\s*=.*$", "", text)
        if "\n[auth]\n" not in text:
            text += "\n[auth]\n"
        text = text.replace("[auth]\n", "[auth]\ncache_file = %s\n"
                            % os.path.join(lib, "auth-cache"), 1)
        conf = os.path.join(w, "resilops.conf")
        with open(conf, "w") as f:
            f.write(text)
        os.chmod(conf, 0o640)
        os.chown(conf, 0, gid) if self.root else None
        # Apache: the test stack's server-wide settings (what Debian's
        # apache2.conf would give), the installed example as the site.
        ap = os.path.join(w, "apache")
        os.makedirs(os.path.join(ap, "fcgid"))
        if self.root:
            os.chown(os.path.join(ap, "fcgid"), *wwwdata)
        with open(os.path.join(client.TOP, "conf", "apache-dev.conf.in")) as f:
            main = f.read()
        main = main.replace("@STATE@/log", w).replace("@STATE@/run", w)
        main = main.replace("@STATE@", w).replace("@PORT@", str(port))
        server = ("User www-data\nGroup www-data\nLoadModule suexec_module "
                  "/usr/lib/apache2/modules/mod_suexec.so\n"
                  if self.root else "")
        main = main.replace("Include ", server + "Include ", 1)
        with open(os.path.join(ap, "apache.conf"), "w") as f:
            f.write(main)
        site = self.example("apache.conf.example")
        site = site.replace("<VirtualHost *:80>",
                            "<VirtualHost 127.0.0.1:%d>" % port)
        site = site.replace("/var/lib/resilops/static", self.static)
        if not self.root:
            site = re.sub(r"(?m)^\s*SuexecUserGroup .*$", "", site)
        with open(os.path.join(ap, "site.conf"), "w") as f:
            f.write(site)
        # As another user Apache must not see itself as root: a user
        # namespace inside the mount one maps it to an ordinary uid.
        apache = ["apache2", "-f", os.path.join(ap, "apache.conf"),
                  "-k", "start"]
        if not self.root:
            apache = ["unshare", "--user", "--map-user=1000",
                      "--map-group=1000"] + apache
        script = ('mount --bind "$P" "$2" && ' + mounts +
                  'mount --bind "$W/www" /var/www && '
                  'mount --bind "$S" "$W/mysqld.sock" && '
                  'mount --bind "$W/resilops.conf" "$C" && shift 2 && '
                  'exec "$@"')
        env = dict(os.environ, W=w, P=self.dest(self.prefix), S=stack_sock,
                   C=self.conf)
        r = subprocess.run((["unshare", "-m"] if self.root else
                            ["unshare", "-rm"]) +
                           ["sh", "-c", script, "sh", "-", self.prefix] +
                           apache, capture_output=True, text=True,
                           timeout=60, env=env, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        base = "http://127.0.0.1:%d" % port

        def log():
            try:
                with open(os.path.join(w, "apache-error.log")) as f:
                    return f.read()[-3000:]
            except OSError:
                return ""

        # Apache writes its pid file once it has detached.
        pidfile = os.path.join(w, "apache.pid")
        client.wait_until(lambda: os.path.exists(pidfile) or ":emerg]" in log(),
                          what="Apache's pid file")
        self.assertTrue(os.path.exists(pidfile), log())
        with open(pidfile) as f:
            type(self).apache_pid = int(f.read())

        client.wait_until(
            lambda: installed_get(base, "/healthz")[0] == 200,
            what="/healthz 200 through the installed Apache example")
        # Run by mod_fcgid from the installed wrapper, as the account.
        program = os.path.join(self.sbindir, "resilops.fcgi")
        pids = [int(d) for d in os.listdir("/proc") if d.isdigit()
                and (lambda c: c.startswith(program.encode() + b"\0"))(
                    open_cmdline(d))]
        self.assertTrue(pids, log())
        for pid in pids:
            with open("/proc/%d/status" % pid) as f:
                uids = re.search(r"(?m)^Uid:\s+(\d+)", f.read()).group(1)
            self.assertEqual(int(uids), uid if self.root else os.getuid())
        if self.root:
            st = os.stat(conf)
            self.assertEqual((st.st_mode & 0o777, st.st_uid, st.st_gid),
                             (0o640, 0, gid))
            self.assertNotEqual(gid, wwwdata[1])
        # The Authorization header reaches the program (CGIPassAuth).
        user, password, _ = client.user_with_role("user")
        status, _, body = installed_get(
            base, "/api/auth/login",
            {"Content-Type": "application/json"},
            json.dumps({"username": user, "password": password}).encode())
        self.assertEqual(status, 200, body)
        token = json.loads(body)["access_token"]
        status, _, body = installed_get(base, "/api/auth/me",
                                        {"Authorization": "Bearer " + token})
        self.assertEqual((status, json.loads(body)["username"]), (200, user))
        # The installed htdocs, the console, a body over the cap.
        self.assertEqual(installed_get(base, "/css/resilops.css")[0], 200)
        self.assertEqual(installed_get(base, "/console/login")[0], 200)
        status, headers, body = installed_get(
            base, "/api/services", {"Content-Type": "application/json",
                                    "Authorization": "Bearer " + token},
            b"{" + b" " * (1 << 20) + b"}")
        self.assertEqual((status, json.loads(body)),
                         (413, {"error": "Request body too large"}))
        # The processes count into the account's shared file, and share
        # their token cache through the account's file.
        self.assertEqual(os.stat(os.path.join(lib, "metrics")).st_uid, uid)
        self.assertEqual(os.stat(os.path.join(lib, "auth-cache")).st_uid, uid)


def open_cmdline(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return b""


if __name__ == "__main__":
    unittest.main()
