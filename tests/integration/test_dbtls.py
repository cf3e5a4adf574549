"""TLS to MariaDB over TCP ([database] ssl_ca, ssl_cert, ssl_key,
ssl_verify; security review finding 4).  The test stack's MariaDB also
listens on 127.0.0.1 with a certificate from a private CA
(RESILOPS_DB_TLS_PORT, see tests/stack.sh); an account there requires
TLS, so a connection that is not encrypted is refused by the server."""

LAYOUTS = ("single",)
LAYOUTS_WHY = "the private MariaDB's TLS port and servers of its own"

import os
import secrets
import subprocess
import tempfile
import unittest

import client

ADMIN = os.path.join(client.BUILD, "resilops-admin")


def other_ca(d):
    """A CA that did not sign the server's certificate."""
    key, pem = os.path.join(d, "other-key.pem"), os.path.join(d, "other.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-days", "2", "-subj", "/CN=someone else",
                    "-keyout", key, "-out", pem], check=True,
                   capture_output=True, timeout=60)
    return pem


class TCPConfig(unittest.TestCase):
    """An account on the TLS port, and configs that reach it over TCP."""

    @classmethod
    def setUpClass(cls):
        cls.port = client.stack_setting("STACK_DB_TLS_PORT")
        cls.tls = os.path.join(client.STATE, "tls")
        cls.user = "tls_" + secrets.token_hex(4)
        cls.pw = secrets.token_hex(12)
        client.sql("CREATE USER '%s'@'127.0.0.%%' IDENTIFIED BY '%s' REQUIRE SSL;"
                   " GRANT ALL ON resilops.* TO '%s'@'127.0.0.%%'"
                   % (cls.user, cls.pw, cls.user))
        cls.tmp = tempfile.mkdtemp()

    @classmethod
    def tearDownClass(cls):
        client.sql("DROP USER '%s'@'127.0.0.%%'" % cls.user)

    def conf(self, **db):
        """The stack's config with [database] over TCP to the TLS port."""
        with open(client.config_path()) as f:
            text = f.read()
        keys = {"host": "127.0.0.1", "port": self.port, "user": self.user,
                "password": self.pw, "socket": ""}
        keys.update(db)
        text += "\n[database]\n" + "".join("%s = %s\n" % kv
                                           for kv in keys.items())
        fd, path = tempfile.mkstemp(suffix=".conf", dir=self.tmp)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        return path

    def migrate(self, path):
        return subprocess.run([ADMIN, "-c", path, "migrate"],
                              capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)


class DatabaseTLS(TCPConfig):

    def test_server_speaks_tls(self):
        self.assertTrue(self.port)
        self.assertIn("YES", client.sql("SHOW VARIABLES LIKE 'have_ssl'"))

    def test_verified_connection_with_the_ca(self):
        r = self.migrate(self.conf(ssl_ca=os.path.join(self.tls, "ca.pem")))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 migrations applied", r.stdout)

    def test_without_tls_the_server_refuses(self):
        r = self.migrate(self.conf())
        self.assertEqual(r.returncode, 1)
        self.assertIn("Access denied", r.stderr)

    def test_certificate_from_another_ca_is_refused(self):
        r = self.migrate(self.conf(ssl_ca=other_ca(self.tmp)))
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, "(?i)certificate|verif|SSL|TLS")

    def test_ssl_verify_off_does_not_check(self):
        # Only to show what the check buys: the same wrong CA passes.
        r = self.migrate(self.conf(ssl_ca=other_ca(self.tmp),
                                   ssl_verify="false"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ssl_verify is off", r.stderr)

    def test_host_name_is_checked(self):
        # The certificate names 127.0.0.1 and localhost; an address it
        # does not name fails verification even with the right CA.
        # (The test server listens on 127.0.0.2 as well.)
        r = self.migrate(self.conf(
            host="127.0.0.2", ssl_ca=os.path.join(self.tls, "ca.pem")))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertRegex(r.stderr, "(?i)certificate|verif|host ?name|SSL|TLS")
        self.assertNotIn("Can't connect", r.stderr)
        self.assertNotIn("Access denied", r.stderr)


class ServerList(TCPConfig):
    """[database] host as a list (the nodes of a Galera cluster): the
    first server that answers is used, over TLS checked as above; one
    that is down or fails the check is passed over.  (The cluster's own
    failover: tests/cluster.)"""

    def ca(self):
        return os.path.join(self.tls, "ca.pem")

    def test_a_server_down_is_passed_over(self):
        down = client.free_port()
        r = self.migrate(self.conf(
            host="127.0.0.1:%d, 127.0.0.1:%s" % (down, self.port),
            port="3306", ssl_ca=self.ca()))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 migrations applied", r.stdout)
        self.assertIn("connect to 127.0.0.1:%d" % down, r.stderr)

    def test_a_server_failing_the_check_is_passed_over(self):
        r = self.migrate(self.conf(
            host="127.0.0.2 127.0.0.1", ssl_ca=self.ca()))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("connect to 127.0.0.2:%s" % self.port, r.stderr)

    def test_none_answers(self):
        a, b = client.free_port(), client.free_port()
        r = self.migrate(self.conf(host="127.0.0.1:%d,127.0.0.1:%d" % (a, b),
                                   ssl_ca=self.ca()))
        self.assertEqual(r.returncode, 1, r.stdout)
        for p in (a, b):
            self.assertIn("connect to 127.0.0.1:%d" % p, r.stderr)

    def test_a_bad_list_is_refused_naming_the_entry(self):
        r = self.migrate(self.conf(host="127.0.0.1, db2:70000"))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn('"db2:70000" is not a host, host:port', r.stderr)

    def test_sync_wait_is_set_at_connect(self):
        """[database] sync_wait goes into every connection's first
        statement (the workers, the daemon and resilops-admin connect
        alike), as the server's general log shows; a server outside a
        cluster takes wsrep_sync_wait and ignores it."""
        log = os.path.join(self.tmp, "general.log")
        client.sql("SET GLOBAL general_log_file = '%s', general_log = ON"
                   % log)
        try:
            r = self.migrate(self.conf(ssl_ca=self.ca(), sync_wait="1"))
        finally:
            client.sql("SET GLOBAL general_log = OFF")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(log) as f:
            self.assertIn("wsrep_sync_wait = 1", f.read())
        r = self.migrate(self.conf(ssl_ca=self.ca(), sync_wait="16"))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("sync_wait", r.stderr)


if __name__ == "__main__":
    unittest.main()
