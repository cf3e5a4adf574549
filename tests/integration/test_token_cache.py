"""The token check's host cache (src/api/authcache.c, README "Token
cache"): once a token was checked, its account check is the host's
kept answer, never a stale one:

- a change made through this host (logout, deactivation, role or
  password change, resilops-admin with the workers' cache file) is seen
  by the very next request, whichever worker or process takes it;
- a change another web host made (the account row and the change count
  written in the database, as its writers do) is seen within a second.

Every check sends more requests than the stack has workers, after the
token was used as many times, so every worker has the answer kept."""

import unittest

import client
from client import api

ROUNDS = 12     # more than the stack's workers (4) or mod_fcgid processes


def uid_of(token):
    return int(client.jwt_claims(token)["sub"])


def warm(token):
    for _ in range(ROUNDS):
        r = api("GET", "/api/services", token=token)
        assert r.status == 200, r


def answers(token):
    return {api("GET", "/api/services", token=token).status
            for _ in range(ROUNDS)}


@client.only_in("single", why="a change is seen at once by the host it went through; through the front the next request may go to the other host, which sees it within a second (README, Token cache)")
class ThisHost(unittest.TestCase):
    def setUp(self):
        self.username, self.password, self.token = client.user_with_role(
            "Ops Analyst")
        warm(self.token)

    def test_logout_refused_at_once(self):
        other = client.login(self.username, self.password)
        warm(other)
        r = api("POST", "/api/auth/logout", token=self.token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(answers(self.token), {401})
        # The account's other token was not logged out.
        self.assertEqual(answers(other), {200})

    def test_deactivated_refused_at_once(self):
        r = api("DELETE", "/api/users/%d" % uid_of(self.token),
                token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(answers(self.token), {401})

    def test_role_change_refused_at_once(self):
        r = api("PUT", "/api/users/%d" % uid_of(self.token),
                {"role": "Engineer"}, token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(answers(self.token), {401})
        token = client.login(self.username, self.password)
        self.assertEqual(api("GET", "/api/auth/me", token=token)
                         .json["role"].lower(), "engineer")

    def test_password_change_refused_at_once(self):
        r = api("PUT", "/api/users/%d" % uid_of(self.token),
                {"password": client.new_password()},
                token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(answers(self.token), {401})

    def test_admin_tool_change_seen(self):
        """resilops-admin on the host: at once where the workers keep
        the cache in a file (mod_fcgid), else within a second through
        the change count (a pool's block is its own)."""
        client.admin_cli("user", "set-role", self.username, "Engineer")
        if client.conf_value_or_none("auth", "cache_file"):
            self.assertEqual(answers(self.token), {401})
        else:
            client.wait_until(lambda: answers(self.token) == {401},
                              timeout=2.0, what="the admin tool's change")


class OtherHost(unittest.TestCase):
    def test_counted_change_seen_within_a_second(self):
        _, _, token = client.user_with_role("Ops Analyst")
        warm(token)
        # What another host's deactivation writes, in one transaction.
        client.sql("START TRANSACTION; UPDATE users SET active = 0, "
                   "token_gen = token_gen + 1 WHERE id = %d; UPDATE counters "
                   "SET n = n + 1 WHERE name = 'auth_changes'; COMMIT"
                   % uid_of(token))
        # A second, and this test's own requests' time.
        client.wait_until(lambda: answers(token) == {401}, timeout=2.0,
                          interval=0.05, what="another host's change")


if __name__ == "__main__":
    unittest.main()
