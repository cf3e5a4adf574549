"""Passwords of accounts moved over from the originals (issue 12): a
Werkzeug pbkdf2 hash (ResilientOps, Service Risk) and a passlib bcrypt
hash (SLA Guard) stored as the import writes them log in with their
password, are replaced by resilops's own hash at that login, and log in
again after; a wrong password changes nothing."""

import hashlib
import unittest

import client
from client import api, unique_name

# Published crypt_blowfish vector: "U*U" under this salt, cost 5.
BCRYPT = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"


def werkzeug(password, salt="Zx9salt", iterations=1000):
    dk = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(),
                             iterations)
    return "pbkdf2:sha256:%d$%s$%s" % (iterations, salt, dk.hex())


def imported(stored):
    name = unique_name("legacy")
    client.sql("INSERT INTO users (username, password_hash, role, active, "
               "created_at, updated_at) VALUES ('%s', '%s', 'user', 1, "
               "UTC_TIMESTAMP(), UTC_TIMESTAMP())" % (name, stored))
    return name


def stored_hash(name):
    return client.sql("SELECT password_hash FROM users WHERE username = "
                      "'%s'" % name).strip()


class LegacyPasswords(unittest.TestCase):
    def check(self, stored, password):
        name = imported(stored)
        r = api("POST", "/api/auth/login", {"username": name,
                                           "password": password + "x"})
        self.assertEqual(r.status, 401)
        self.assertEqual(stored_hash(name), stored)
        r = api("POST", "/api/auth/login", {"username": name,
                                           "password": password})
        self.assertEqual(r.status, 200, r)
        iters = client.conf_value_or_none("auth", "pbkdf2_iterations") or \
            "600000"
        now = stored_hash(name)
        self.assertTrue(now.startswith("pbkdf2:sha256:%s$" % iters), now)
        r = api("POST", "/api/auth/login", {"username": name,
                                           "password": password})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(stored_hash(name), now)

    def test_werkzeug_pbkdf2(self):
        self.check(werkzeug("an old flask password"), "an old flask password")

    def test_passlib_bcrypt(self):
        self.check(BCRYPT, "U*U")
        self.check(BCRYPT.replace("$2a$", "$2b$"), "U*U")


if __name__ == "__main__":
    unittest.main()
