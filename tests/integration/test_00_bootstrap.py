"""The very first account becomes admin, whatever role it asks for.

Runs first (file order) on the fresh stack that ./dev.sh test starts;
the admin it creates is shared with the other modules through
client.admin()."""

import unittest

import client


class FirstAccount(unittest.TestCase):
    def test_first_signup_becomes_admin(self):
        listing = client.admin_cli("user", "list").stdout
        self.assertEqual(listing.strip().count("\n"), 0,
                         "the test stack must start with no accounts")
        name, pw = client.unique_name("first"), client.new_password()
        r = client.signup(name, pw, role="Engineer")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json, {"message": "User registered successfully"})
        r = client.api("POST", "/api/auth/login",
                       {"username": name, "password": pw})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"]["role"], "admin")
        client.remember_admin(name, pw, r.json["access_token"])

    def test_second_signup_is_user(self):
        client.admin()  # the first account exists
        name, pw = client.unique_name(), client.new_password()
        self.assertEqual(client.signup(name, pw).status, 201)
        r = client.api("POST", "/api/auth/login",
                       {"username": name, "password": pw})
        self.assertEqual(r.json["user"]["role"], "user")


if __name__ == "__main__":
    unittest.main()
