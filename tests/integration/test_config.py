"""Start-up checks and the command line: a missing or short secret
stops every program with a message saying how to fix it; migrate is
idempotent; usage errors exit 2."""

import os
import pwd
import subprocess
import tempfile
import unittest

import client

PROGRAMS = ("resilops.fcgi", "resilops-sched", "resilops-admin")


def run(prog, *args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([os.path.join(client.BUILD, prog)] + list(args),
                          capture_output=True, text=True, timeout=60,
                          env=e, stdin=subprocess.DEVNULL)


class Secrets(unittest.TestCase):
    def test_short_jwt_secret_refused(self):
        for prog in PROGRAMS:
            args = ["-c", client.config_path()]
            if prog == "resilops-admin":
                args.append("migrate")
            elif prog == "resilops-sched":
                args.append("--once")
            r = run(prog, *args, env={"JWT_SECRET_KEY": "too-short"})
            self.assertEqual(r.returncode, 1, prog)
            self.assertIn("jwt_secret", r.stderr, prog)
            self.assertIn("openssl rand", r.stderr, prog)

    def test_missing_config_says_how(self):
        r = run("resilops-admin", "-c", "/nonexistent/resilops.conf", "migrate")
        self.assertEqual(r.returncode, 1)
        self.assertIn("resilops-admin init", r.stderr)


class Admin(unittest.TestCase):
    def test_migrate_twice_does_nothing(self):
        r = client.admin_cli("migrate")
        self.assertIn("0 migrations applied", r.stdout)

    def test_usage(self):
        self.assertEqual(run("resilops-admin").returncode, 2)
        self.assertEqual(run("resilops-admin", "-c", client.config_path(),
                             "user", "frobnicate").returncode, 2)

    def test_user_add_list_set_role(self):
        name = client.unique_name("cli")
        r = client.admin_cli("user", "add", name, "auditor",
                             stdin="pw-" + name + "\n")
        self.assertIn("(Auditor)", r.stdout)
        self.assertIn(name, client.admin_cli("user", "list").stdout)
        client.admin_cli("user", "set-role", name, "Engineer")
        tok = client.login(name, "pw-" + name)
        self.assertEqual(client.api("GET", "/api/auth/me", token=tok)
                         .json["role"], "Engineer")
        bad = client.admin_cli("user", "set-role", name, "Pope", check=False)
        self.assertEqual(bad.returncode, 1)
        dup = client.admin_cli("user", "add", name, "user",
                               stdin="another-password\n", check=False)
        self.assertEqual(dup.returncode, 1)

    def test_init_refuses_to_overwrite(self):
        r = run("resilops-admin", "init", client.config_path())
        self.assertEqual(r.returncode, 1)
        self.assertIn("never overwritten", r.stderr)

    def test_init_into_a_missing_directory_says_how(self):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "no", "such", "resilops.conf")
        r = run("resilops-admin", "init", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("mkdir -p %s" % os.path.join(d, "no", "such"), r.stderr)
        os.rmdir(d)


def private_copy(mode):
    """A copy of the stack's config with the given file mode."""
    with open(client.config_path()) as f:
        text = f.read()
    fd, path = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


class ConfigFileMode(unittest.TestCase):
    def test_open_to_others_is_refused_by_every_program(self):
        path = private_copy(0o644)
        try:
            for prog, args in (("resilops-admin", ["migrate"]),
                               ("resilops-sched", ["--once"]),
                               ("resilops.fcgi", [])):
                r = run(prog, "-c", path, *args)
                self.assertEqual(r.returncode, 1, prog)
                self.assertIn("chmod 0640", r.stderr, prog)
                self.assertIn("0644", r.stderr, prog)
        finally:
            os.unlink(path)

    def test_group_readable_is_fine(self):
        path = private_copy(0o640)
        try:
            r = run("resilops-admin", "-c", path, "migrate")
            self.assertEqual(r.returncode, 0, r.stderr)
        finally:
            os.unlink(path)


class SchedPidfile(unittest.TestCase):
    SCHED = os.path.join(client.BUILD, "resilops-sched")

    def start(self, pidfile, *extra):
        return subprocess.Popen(
            [self.SCHED, "-c", client.config_path(), "-f", "-p", pidfile] +
            list(extra), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)

    def test_symlink_refused(self):
        d = tempfile.mkdtemp()
        target = os.path.join(d, "victim")
        with open(target, "w") as f:
            f.write("precious\n")
        link = os.path.join(d, "sched.pid")
        os.symlink(target, link)
        p = self.start(link)
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("symbolic link", err)
        with open(target) as f:
            self.assertEqual(f.read(), "precious\n")
        for f in (link, target):
            os.unlink(f)
        os.rmdir(d)

    def test_live_pidfile_refused_and_stale_replaced(self):
        d = tempfile.mkdtemp()
        pidfile = os.path.join(d, "sched.pid")
        with open(pidfile, "w") as f:
            f.write("%d\n" % os.getpid())     # alive: this test
        p = self.start(pidfile)
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("is running", err)
        # A pid that is gone: the file is replaced by the new daemon's.
        dead = subprocess.Popen(["true"])
        dead.wait()
        with open(pidfile, "w") as f:
            f.write("%d\n" % dead.pid)
        p = self.start(pidfile)
        try:
            client.wait_until(lambda: open(pidfile).read().strip() ==
                              str(p.pid), what="the new pidfile")
        finally:
            p.terminate()
            p.communicate(timeout=30)
        self.assertFalse(os.path.exists(pidfile))
        os.rmdir(d)

    def test_drops_privileges_with_u(self):
        d = tempfile.mkdtemp()
        os.chmod(d, 0o755)
        if os.geteuid() == 0:
            # Like /run/resilops (systemd RuntimeDirectory=): the service
            # account may remove its pidfile there when it stops.
            os.chown(d, pwd.getpwnam("nobody").pw_uid, -1)
        pidfile = os.path.join(d, "sched.pid")
        p = self.start(pidfile, "-u", "nobody")
        if os.geteuid() != 0:
            _, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 1)
            self.assertIn("only root can change", err)
            os.rmdir(d)
            return
        try:
            def uids():
                with open("/proc/%d/status" % p.pid) as f:
                    for line in f:
                        if line.startswith("Uid:"):
                            return line.split()[1:]
            nobody = pwd.getpwnam("nobody").pw_uid
            client.wait_until(lambda: uids() == [str(nobody)] * 4,
                              what="resilops-sched to become nobody")
            self.assertEqual(os.stat(pidfile).st_uid, nobody)
        finally:
            p.terminate()
            p.communicate(timeout=30)
        self.assertFalse(os.path.exists(pidfile))
        os.rmdir(d)


if __name__ == "__main__":
    unittest.main()
