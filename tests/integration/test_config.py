"""Start-up checks and the command line: a missing or short secret
stops every program with a message saying how to fix it; migrate is
idempotent; usage errors exit 2."""

import os
import subprocess
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


if __name__ == "__main__":
    unittest.main()
