"""The first admin (issue 12): on a fresh install nobody becomes admin
by signing up ([auth] bootstrap_signup is false by default); the
operator makes the first one with `resilops-admin setup`, which is safe
to run again.  Runs first (file order) on the fresh stack that
./dev.sh test starts; the admin it creates is shared with the other
modules through client.admin()."""

import os
import stat
import tempfile
import unittest

import client


def setup(*args, stdin=None, conf=None):
    import subprocess
    cmd = [os.path.join(client.BUILD, "resilops-admin"),
           "-c", conf or client.config_path(), "setup"] + list(args)
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                          timeout=120)


class FirstAccount(unittest.TestCase):
    def test_1_no_stranger_becomes_admin(self):
        listing = client.admin_cli("user", "list").stdout
        self.assertEqual(listing.strip().count("\n"), 0,
                         "the test stack must start with no accounts")
        r = client.signup(client.unique_name("stranger"),
                          client.new_password(), role="Engineer")
        self.assertEqual((r.status, r.json["error"]),
                         (403, "No admin exists yet: the operator creates "
                               "the first one with resilops-admin setup"))
        self.assertEqual(client.admin_cli("user", "list").stdout.strip()
                         .count("\n"), 0)

    def test_2_setup_makes_the_first_admin(self):
        client.admin_cli("user", "list")
        name, pw = client.unique_name("first"), client.new_password()
        r = setup("--admin", name, "--email", name + "@example.org",
                  stdin=pw + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("exists, kept", r.stdout)
        self.assertIn("0 migrations applied", r.stdout)
        self.assertIn("created", r.stdout)
        r = client.api("POST", "/api/auth/login",
                       {"username": name, "password": pw})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"]["role"], "admin")
        client.remember_admin(name, pw, r.json["access_token"])
        # Again: nothing more (no second admin, no password asked).
        r = setup("--admin", "another")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("an admin exists already (%s)" % name, r.stdout)
        self.assertNotIn("another", client.admin_cli("user", "list").stdout)

    def test_3_later_signups_are_users(self):
        client.admin()  # the first account exists
        name, pw = client.unique_name(), client.new_password()
        self.assertEqual(client.signup(name, pw).status, 201)
        r = client.api("POST", "/api/auth/login",
                       {"username": name, "password": pw})
        self.assertEqual(r.json["user"]["role"], "user")

    def test_4_setup_of_a_new_install(self):
        """A new config (secrets, 0600), a new database's objects, its
        first admin: the stack's MariaDB, another database."""
        db = "resilops_setup_%s" % client.unique_name("t").split("_")[-1]
        client.sql("CREATE DATABASE %s" % db)
        # As a DBA would for the new install's account.
        for host in client.sql("SELECT host FROM mysql.user WHERE user = "
                               "'resilops'").split():
            client.sql("GRANT ALL ON %s.* TO 'resilops'@'%s'" % (db, host))
        try:
            path = os.path.join(tempfile.mkdtemp(), "resilops.conf")
            settings = ["database.%s=%s" % (k, client.conf_value(
                "database", k)) for k in ("host", "port", "user",
                                          "password", "socket")
                        if client.conf_value_or_none("database", k)]
            r = setup("--admin", "root-admin", *settings,
                      "database.name=" + db, stdin="a long password 1\n",
                      conf=path)
            self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
            self.assertIn("wrote " + path, r.stdout)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
            self.assertRegex(r.stdout, r"[1-9][0-9]* migrations applied")
            self.assertIn("user root-admin (admin) created", r.stdout)
            self.assertEqual(client.sql(
                "SELECT role FROM %s.users" % db).strip(), "admin")
            with open(path) as f:
                text = f.read()
            self.assertRegex(text, r"jwt_secret = [0-9a-f]{64}")
            # The secrets are new: not the stack's.
            self.assertNotIn(client.conf_value("auth", "jwt_secret"), text)
        finally:
            client.sql("DROP DATABASE %s" % db)


if __name__ == "__main__":
    unittest.main()
