"""CONTRACT section 2 through nginx: signup, register, login, me,
logout, the role policy, throttling and revocation."""

import base64
import hashlib
import hmac
import json
import time
import unittest

import client
from client import api, api_from, signup, unique_name, new_password


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(claims, alg="none", key=b""):
    """A JWT with the given header alg, signed (HS*) with key or unsigned."""
    head = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    if alg == "none":
        return head + "." + body + "."
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}[alg]
    sig = hmac.new(key, (head + "." + body).encode(), digest).digest()
    return head + "." + body + "." + b64(sig)


class Signup(unittest.TestCase):
    def setUp(self):
        client.admin()

    def test_success(self):
        r = signup()
        self.assertEqual(r.status, 201)
        self.assertEqual(r.json, {"message": "User registered successfully"})

    def test_duplicate(self):
        name = unique_name()
        self.assertEqual(signup(name).status, 201)
        r = signup(name)
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json, {"error": "User already exists"})

    def test_duplicate_differs_only_in_case(self):
        name = unique_name()
        self.assertEqual(signup(name).status, 201)
        r = signup(name.upper())
        self.assertEqual(r.json, {"error": "User already exists"})

    def test_missing_username(self):
        r = api("POST", "/api/auth/signup", {"password": new_password()})
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Username is required"}))

    def test_missing_password(self):
        r = api("POST", "/api/auth/signup", {"username": unique_name()})
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Password is required"}))

    def test_short_password(self):
        r = signup(password="short")
        self.assertEqual((r.status, r.json), (400, {
            "error": "Password must be at least 8 characters long"}))

    def test_username_wrong_type(self):
        r = api("POST", "/api/auth/signup",
                {"username": 12, "password": new_password()})
        self.assertEqual((r.status, r.json),
                         (400, {"error": "username must be a string"}))

    def test_unknown_role_is_400_even_without_token(self):
        r = signup(role="Wizard")
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid role: Wizard"}))

    def test_privileged_role_needs_admin(self):
        name = unique_name()
        r = signup(name, role="Engineer")
        self.assertEqual((r.status, r.json), (403, {
            "error": "Only an admin can assign the role Engineer"}))
        # Nothing was created.
        r = signup(name)
        self.assertEqual(r.status, 201)

    def test_non_admin_token_cannot_assign_role(self):
        _, _, tok = client.user_with_role("Business Owner")
        r = signup(role="admin", token=tok)
        self.assertEqual(r.status, 403)

    def test_admin_assigns_any_role_case_insensitively(self):
        name, pw = unique_name(), new_password()
        r = signup(name, pw, role="ops analyst", token=client.admin_token())
        self.assertEqual(r.status, 201, r)
        tok = client.login(name, pw)
        me = api("GET", "/api/auth/me", token=tok).json
        self.assertEqual(me["role"], "Ops Analyst")

    def test_email_unique(self):
        email = unique_name() + "@example.com"
        self.assertEqual(signup(email=email).status, 201)
        r = signup(email=email.upper())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Email already registered"}))


class Register(unittest.TestCase):
    def test_register_returns_user(self):
        email = unique_name() + "@example.com"
        r = api("POST", "/api/auth/register", {
            "email": email, "name": "Tech One", "password": new_password(),
            "role": "TECHNICIAN"}, token=client.admin_token())
        self.assertEqual(r.status, 201, r)
        u = r.json
        self.assertEqual(u["username"], email)
        self.assertEqual(u["email"], email)
        self.assertEqual(u["name"], "Tech One")
        # The SLA Guard clients' spelling (CONTRACT 5) ...
        self.assertEqual(u["role"], "TECHNICIAN")
        self.assertTrue(u["active"])
        self.assertIsInstance(u["id"], int)
        # ... but stored in the contract's (the admin sees it so).
        users = api("GET", "/api/users?per_page=1000",
                    token=client.admin_token()).json
        self.assertIn({"id": u["id"], "role": "Technician"},
                      [{"id": x["id"], "role": x["role"]} for x in users])

    def test_register_duplicate(self):
        email = unique_name() + "@example.com"
        body = {"email": email, "name": "x", "password": new_password()}
        self.assertEqual(api("POST", "/api/auth/register", body).status, 201)
        r = api("POST", "/api/auth/register", body)
        self.assertEqual((r.status, r.json),
                         (400, {"error": "User already exists"}))

    def test_register_policy(self):
        r = api("POST", "/api/auth/register", {
            "email": unique_name() + "@example.com", "name": "x",
            "password": new_password(), "role": "MANAGER"})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json,
                         {"error": "Only an admin can assign the role Manager"})


class Login(unittest.TestCase):
    def setUp(self):
        self.name, self.pw = unique_name(), new_password()
        self.email = self.name + "@example.com"
        self.assertEqual(signup(self.name, self.pw, email=self.email,
                                name="Some One").status, 201)

    def test_success_shape(self):
        r = api("POST", "/api/auth/login",
                {"username": self.name, "password": self.pw})
        self.assertEqual(r.status, 200)
        j = r.json
        self.assertEqual(j["token_type"], "Bearer")
        self.assertEqual(j["expires_in"], 3600)
        self.assertEqual(set(j["user"]),
                         {"id", "username", "role", "email", "name",
                          "active", "created_at"})
        self.assertEqual(j["user"]["username"], self.name)
        self.assertEqual(j["user"]["name"], "Some One")
        claims = client.jwt_claims(j["access_token"])
        self.assertEqual(claims["username"], self.name)
        self.assertEqual(claims["role"], "user")
        self.assertEqual(claims["sub"], str(j["user"]["id"]))
        self.assertEqual(claims["exp"] - claims["iat"], 3600)
        self.assertTrue(claims["jti"])

    def test_login_by_email(self):
        r = api("POST", "/api/auth/login",
                {"email": self.email, "password": self.pw})
        self.assertEqual(r.status, 200, r)
        # The SLA Guard clients log in by email and read roles their way,
        # in this answer and in answers to requests with this token; the
        # JWT's own claim keeps the contract's spelling.
        self.assertEqual(r.json["user"]["role"], "USER")
        tok = r.json["access_token"]
        self.assertEqual(client.jwt_claims(tok)["role"], "user")
        self.assertEqual(api("GET", "/api/auth/me", token=tok).json["role"],
                         "USER")
        r = api("POST", "/api/auth/login",
                {"username": self.name, "password": self.pw})
        self.assertEqual(r.json["user"]["role"], "user")
        self.assertEqual(api("GET", "/api/auth/me",
                             token=r.json["access_token"]).json["role"],
                         "user")

    def test_missing_fields(self):
        for body in ({}, {"username": self.name}, {"password": self.pw},
                     {"username": "", "password": self.pw},
                     {"username": 5, "password": self.pw}):
            r = api("POST", "/api/auth/login", body)
            self.assertEqual((r.status, r.json), (400, {
                "error": "Username and password are required"}), body)

    def test_wrong_password_and_unknown_user_answer_alike(self):
        a = api_from("127.0.0.5", "POST", "/api/auth/login",
                     {"username": self.name, "password": "wrong-password"})
        b = api_from("127.0.0.5", "POST", "/api/auth/login",
                     {"username": unique_name(), "password": "whatever1"})
        for r in (a, b):
            self.assertEqual((r.status, r.json), (401, {
                "error": "Invalid username or password"}))


class Me(unittest.TestCase):
    def test_me_flat_user(self):
        name, pw = unique_name(), new_password()
        signup(name, pw)
        r = api("GET", "/api/auth/me", token=client.login(name, pw))
        self.assertEqual(r.status, 200)
        self.assertEqual(set(r.json), {"id", "username", "role", "email",
                                       "name", "active", "created_at"})
        self.assertEqual(r.json["username"], name)
        self.assertRegex(r.json["created_at"],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

    def test_bad_credentials(self):
        good = client.admin_token()
        head, body, sig = good.split(".")
        claims = client.jwt_claims(good)
        secret = client.conf_value("auth", "jwt_secret").encode()
        now = int(time.time())
        bad = {
            "missing": None,
            "garbage": "not-a-token",
            "bad scheme": None,
            "tampered": head + "." + b64(json.dumps(
                dict(claims, role="admin", sub="1")).encode()) + "." + sig,
            "alg none": forge(dict(claims)),
            "hs256 wrong key": forge(dict(claims), "HS256", b"k" * 32),
            "hs512 our key": forge(dict(claims), "HS512", secret),
            "expired": forge(dict(claims, exp=now - 10), "HS256", secret),
            "no exp": forge({k: v for k, v in claims.items() if k != "exp"},
                            "HS256", secret),
            "string exp": forge(dict(claims, exp=str(now + 600)), "HS256",
                                secret),
            "future iat": forge(dict(claims, iat=now + 600), "HS256", secret),
        }
        # Control: the same forge with our key and good claims is accepted.
        ok = forge(dict(claims), "HS256", secret)
        self.assertEqual(api("GET", "/api/auth/me", token=ok).status, 200)
        for what, tok in bad.items():
            headers = {}
            if what == "bad scheme":
                headers["Authorization"] = "Basic " + good
            r = api("GET", "/api/auth/me", token=tok, headers=headers)
            self.assertEqual((r.status, r.json), (401, {
                "error": "Missing or invalid token"}), what)


@client.only_in("single", why="a change is seen at once by the host it went through; through the front the next request may go to the other host, which sees it within a second (README, Token cache)")
class Logout(unittest.TestCase):
    def test_logout_revokes_only_that_token(self):
        name, pw = unique_name(), new_password()
        signup(name, pw)
        t1, t2 = client.login(name, pw), client.login(name, pw)
        r = api("POST", "/api/auth/logout", token=t1)
        self.assertEqual((r.status, r.json), (200, {"message": "Logged out"}))
        self.assertEqual(api("GET", "/api/auth/me", token=t1).status, 401)
        self.assertEqual(api("GET", "/api/auth/me", token=t2).status, 200)


@client.only_in("single", why="a change is seen at once by the host it went through; through the front the next request may go to the other host, which sees it within a second (README, Token cache)")
class Revocation(unittest.TestCase):
    def test_role_change_revokes(self):
        name, pw, tok = client.user_with_role("Engineer")
        uid = api("GET", "/api/auth/me", token=tok).json["id"]
        r = api("PUT", "/api/users/%d" % uid, {"role": "Auditor"},
                token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["role"], "Auditor")
        self.assertEqual(api("GET", "/api/auth/me", token=tok).status, 401)
        fresh = client.login(name, pw)
        self.assertEqual(api("GET", "/api/auth/me", token=fresh).json["role"],
                         "Auditor")

    def test_password_change_revokes(self):
        name, pw, tok = client.user_with_role("user")
        newpw = new_password()
        client.admin_cli("user", "passwd", name, stdin=newpw + "\n")
        self.assertEqual(api("GET", "/api/auth/me", token=tok).status, 401)
        r = api_from("127.0.0.6", "POST", "/api/auth/login",
                     {"username": name, "password": pw})
        self.assertEqual(r.status, 401)
        client.login(name, newpw)

    def test_deactivation_revokes_and_blocks_login(self):
        name, pw, tok = client.user_with_role("user")
        uid = api("GET", "/api/auth/me", token=tok).json["id"]
        r = api("DELETE", "/api/users/%d" % uid, token=client.admin_token())
        self.assertEqual((r.status, r.json),
                         (200, {"message": "User deactivated"}))
        self.assertEqual(api("GET", "/api/auth/me", token=tok).status, 401)
        r = api_from("127.0.0.6", "POST", "/api/auth/login",
                     {"username": name, "password": pw})
        self.assertEqual(r.status, 401)


class Users(unittest.TestCase):
    def test_list_paginated(self):
        for _ in range(3):
            signup()
        r = api("GET", "/api/users?per_page=2", token=client.admin_token())
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json), 2)
        total = int(r.headers["X-Total-Count"])
        self.assertEqual(total, int(client.sql("SELECT COUNT(*) FROM users")))
        self.assertIn('rel="next"', r.headers["Link"])
        self.assertIn('rel="last"', r.headers["Link"])
        self.assertNotIn('rel="prev"', r.headers["Link"])
        ids = [u["id"] for u in r.json]
        r2 = api("GET", "/api/users?per_page=2&page=2",
                 token=client.admin_token())
        self.assertFalse(set(ids) & {u["id"] for u in r2.json})
        # The count rides on the page's rows; past the end it is alone.
        r3 = api("GET", "/api/users?per_page=2&page=99999",
                 token=client.admin_token())
        self.assertEqual((r3.json, r3.headers["X-Total-Count"]),
                         ([], str(total)))

    def test_bad_page(self):
        for q in ("page=0", "per_page=abc", "page=-1"):
            r = api("GET", "/api/users?" + q, token=client.admin_token())
            self.assertEqual((r.status, r.json),
                             (400, {"error": "Invalid page or per_page"}), q)

    def test_forbidden_before_not_found(self):
        _, _, tok = client.user_with_role("Technician")
        self.assertEqual(api("GET", "/api/users", token=tok).status, 403)
        _, _, tok = client.user_with_role("Manager")
        for method, path in (("PUT", "/api/users/999999"),
                             ("DELETE", "/api/users/999999"),
                             ("PUT", "/api/users/1")):
            r = api(method, path, {} if method == "PUT" else None, token=tok)
            self.assertEqual((r.status, r.json), (403, {"error": "Forbidden"}),
                             path)

    def test_update_errors(self):
        tok = client.admin_token()
        r = api("PUT", "/api/users/999999", {"name": "x"}, token=tok)
        self.assertEqual((r.status, r.json), (404, {"error": "User not found"}))
        uid = api("GET", "/api/auth/me", token=client.user_with_role(
            "user")[2]).json["id"]
        r = api("PUT", "/api/users/%d" % uid, {"role": "Pope"}, token=tok)
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid role: Pope"}))
        r = api("PUT", "/api/users/%d" % uid, {"active": "yes"}, token=tok)
        self.assertEqual((r.status, r.json),
                         (400, {"error": "active must be a boolean"}))

    def test_update_name_and_email(self):
        tok = client.admin_token()
        uid = api("GET", "/api/auth/me", token=client.user_with_role(
            "user")[2]).json["id"]
        email = unique_name() + "@example.org"
        r = api("PUT", "/api/users/%d" % uid,
                {"name": "New Name", "email": email}, token=tok)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["name"], r.json["email"]), ("New Name", email))


class Throttle(unittest.TestCase):
    def test_username_limit(self):
        name, pw = unique_name(), new_password()
        signup(name, pw)
        for _ in range(5):
            r = api_from("127.0.0.7", "POST", "/api/auth/login",
                         {"username": name, "password": "wrong-pass"})
            self.assertEqual(r.status, 401)
        # Even the right password is refused now, before any hashing.
        r = api_from("127.0.0.8", "POST", "/api/auth/login",
                     {"username": name, "password": pw})
        self.assertEqual(r.status, 429)
        self.assertIn("error", r.json)
        ra = int(r.headers["Retry-After"])
        self.assertTrue(1 <= ra <= 900, ra)
        # Another account is unaffected.
        other, opw = unique_name(), new_password()
        signup(other, opw)
        self.assertEqual(api_from("127.0.0.7", "POST", "/api/auth/login",
                                  {"username": other, "password": opw}).status,
                         200)

    def test_address_limit(self):
        for i in range(20):
            r = api_from("127.0.0.9", "POST", "/api/auth/login",
                         {"username": unique_name(), "password": "wrong-pass"})
            self.assertEqual(r.status, 401, i)
        name, pw = unique_name(), new_password()
        signup(name, pw)
        r = api_from("127.0.0.9", "POST", "/api/auth/login",
                     {"username": name, "password": pw})
        self.assertEqual(r.status, 429)
        self.assertIn("Retry-After", r.headers)
        # The same account from elsewhere still logs in.
        self.assertEqual(api_from("127.0.0.10", "POST", "/api/auth/login",
                                  {"username": name, "password": pw}).status,
                         200)

    def test_success_clears_username_count(self):
        name, pw = unique_name(), new_password()
        signup(name, pw)
        for _ in range(4):
            api_from("127.0.0.11", "POST", "/api/auth/login",
                     {"username": name, "password": "wrong-pass"})
        self.assertEqual(api_from("127.0.0.12", "POST", "/api/auth/login",
                                  {"username": name, "password": pw}).status,
                         200)
        for _ in range(4):
            r = api_from("127.0.0.11", "POST", "/api/auth/login",
                         {"username": name, "password": "wrong-pass"})
            self.assertEqual(r.status, 401)


class LoginAtomic(unittest.TestCase):
    def test_concurrent_guesses_hash_at_most_the_limit(self):
        # Check-then-act let every concurrent guess pass the count and
        # hash: now each attempt is recorded before the count.
        import concurrent.futures
        name, pw = unique_name(), new_password()
        signup(name, pw)

        def guess(i):
            return api_from("127.0.0.%d" % (100 + i), "POST",
                            "/api/auth/login",
                            {"username": name, "password": "wrong-%d" % i}
                            ).status
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            got = list(pool.map(guess, range(16)))
        self.assertEqual(sorted(set(got)), [401, 429], got)
        self.assertLessEqual(got.count(401), 5, got)
        self.assertEqual(got.count(401) + got.count(429), 16)

    def test_username_and_email_share_one_budget(self):
        name, pw = unique_name(), new_password()
        email = name + "@example.org"
        signup(name, pw, email=email)
        for i in range(5):
            r = api_from("127.0.0.13", "POST", "/api/auth/login",
                         {"username" if i % 2 else "email":
                          name if i % 2 else email.upper(),
                          "password": "wrong-pass"})
            self.assertEqual(r.status, 401, i)
        for body in ({"username": name, "password": pw},
                     {"email": email, "password": pw}):
            r = api_from("127.0.0.14", "POST", "/api/auth/login", body)
            self.assertEqual(r.status, 429, body)

    def test_throttled_attempts_do_not_extend_the_lockout(self):
        name, pw = unique_name(), new_password()
        signup(name, pw)
        for _ in range(5):
            api_from("127.0.0.15", "POST", "/api/auth/login",
                     {"username": name, "password": "wrong-pass"})
        for _ in range(5):
            r = api_from("127.0.0.15", "POST", "/api/auth/login",
                         {"username": name, "password": "wrong-pass"})
            self.assertEqual(r.status, 429)
        uid = api("GET", "/api/users?per_page=1000",
                  token=client.admin_token()).json
        uid = [u["id"] for u in uid if u["username"] == name][0]
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM throttle_events WHERE kind = 'login' "
            "AND subject = 'u:%d'" % uid).strip(), "5")


class SignupThrottle(unittest.TestCase):
    LIMIT = 10	# [auth] signup_max_addr of the test stack (the default)

    def test_limit_per_address(self):
        self.assertEqual(client.conf_value("auth", "signup_max_addr"),
                         str(self.LIMIT))
        for i in range(self.LIMIT):
            self.assertEqual(signup(source="127.0.0.241").status, 201, i)
        r = signup(source="127.0.0.241")
        self.assertEqual((r.status, r.json), (429, {
            "error": "Too many signups from this address. Try again later."}))
        self.assertTrue(1 <= int(r.headers["Retry-After"]) <= 3600)
        # Another address, and an admin from this one, still sign up.
        self.assertEqual(signup(source="127.0.0.242").status, 201)
        self.assertEqual(signup(source="127.0.0.241",
                                token=client.admin_token()).status, 201)

    def test_cheap_refusals_cost_no_budget(self):
        # Duplicates, role policy and validation answer before the
        # throttle and the hashing: they use none of the budget.
        taken = unique_name()
        self.assertEqual(signup(taken, source="127.0.0.243").status, 201)
        for _ in range(self.LIMIT + 2):
            r = signup(taken, source="127.0.0.243")
            self.assertEqual((r.status, r.json),
                             (400, {"error": "User already exists"}))
            r = signup(role="Manager", source="127.0.0.243")
            self.assertEqual(r.status, 403)
            r = signup(password="short", source="127.0.0.243")
            self.assertEqual(r.status, 400)
        self.assertEqual(signup(source="127.0.0.243").status, 201)


class UsernameLimits(unittest.TestCase):
    def test_one_limit_in_bytes(self):
        # 255 bytes exactly, most of them two-byte characters: 255
        # characters used to pass signup and then be cut mid-character
        # in 256-byte buffers.
        suffix = unique_name()
        name = "\u00e9" * ((255 - len(suffix)) // 2) + suffix
        name += "a" * (255 - len(name.encode()))
        self.assertEqual(len(name.encode()), 255)
        too_long = "\u00e9" * 128          # 256 bytes, 128 characters
        pw = new_password()
        self.assertEqual(signup(name, pw).status, 201)
        tok = client.login(name, pw)
        me = api("GET", "/api/auth/me", token=tok).json
        self.assertEqual(me["username"], name)
        self.assertEqual(client.jwt_claims(tok)["username"], name)
        r = signup(too_long)
        self.assertEqual((r.status, r.json), (400, {
            "error": "Username must be at most 255 bytes"}))
        r = api_from("127.0.0.16", "POST", "/api/auth/login",
                     {"username": "x" * 256, "password": pw})
        self.assertEqual((r.status, r.json), (400, {
            "error": "Username must be at most 255 bytes"}))
        r = api("POST", "/api/auth/register", {
            "email": "e" * 250 + "@x.org", "password": pw, "name": "n"})
        self.assertEqual((r.status, r.json), (400, {
            "error": "Email must be at most 255 bytes"}))


class FailedLoginAudit(unittest.TestCase):
    def test_unknown_name_never_stored_as_typed(self):
        typed = "S3cret-typed-in-the-wrong-box-" + unique_name()
        r = api_from("127.0.0.17", "POST", "/api/auth/login",
                     {"username": typed, "password": "whatever1"})
        self.assertEqual(r.status, 401)
        rows = client.sql("SELECT username FROM audit_log WHERE "
                          "action = 'User Login Failed' ORDER BY id DESC "
                          "LIMIT 1").strip()
        self.assertRegex(rows, r"^unknown:[0-9a-f]{12}$")
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM audit_log WHERE username LIKE '%%%s%%' "
            "OR details LIKE '%%%s%%'" % (typed, typed)).strip(), "0")
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM throttle_events WHERE subject LIKE "
            "'%%%s%%'" % typed).strip(), "0")
        # The same name again gets the same tag (attempts can be told apart).
        api_from("127.0.0.17", "POST", "/api/auth/login",
                 {"username": typed.upper(), "password": "whatever2"})
        again = client.sql("SELECT username FROM audit_log WHERE "
                           "action = 'User Login Failed' ORDER BY id DESC "
                           "LIMIT 1").strip()
        self.assertEqual(again, rows)

    def test_known_account_by_email_names_the_account(self):
        name, pw = unique_name(), new_password()
        signup(name, pw, email=name + "@example.net")
        api_from("127.0.0.18", "POST", "/api/auth/login",
                 {"email": name + "@example.net", "password": "nope-nope"})
        self.assertEqual(client.sql(
            "SELECT username FROM audit_log WHERE action = 'User Login Failed'"
            " ORDER BY id DESC LIMIT 1").strip(), name)


class TrustedProxies(unittest.TestCase):
    # The test stack trusts 127.0.0.250 as a load balancer.
    BALANCER = "127.0.0.250"

    def fail_login(self, source, xff):
        return api("POST", "/api/auth/login",
                   {"username": unique_name(), "password": "wrong-pass"},
                   source=source, headers={"X-Forwarded-For": xff})

    def test_clients_behind_the_balancer_have_their_own_budget(self):
        self.assertEqual(client.conf_value("http", "trusted_proxies"),
                         self.BALANCER)
        for i in range(20):
            r = self.fail_login(self.BALANCER, "198.51.100.7, 203.0.113.5")
            self.assertEqual(r.status, 401, i)
        self.assertEqual(self.fail_login(self.BALANCER, "203.0.113.5").status,
                         429)
        # Everybody else behind the balancer is not locked out.
        self.assertEqual(self.fail_login(self.BALANCER, "203.0.113.6").status,
                         401)
        ip = client.sql("SELECT ip FROM audit_log WHERE action = "
                        "'User Login Failed' ORDER BY id DESC LIMIT 1").strip()
        self.assertEqual(ip, "203.0.113.6")

    def test_header_from_an_untrusted_peer_is_ignored(self):
        self.assertEqual(self.fail_login("127.0.0.249", "203.0.113.9").status,
                         401)
        ip = client.sql("SELECT ip FROM audit_log WHERE action = "
                        "'User Login Failed' ORDER BY id DESC LIMIT 1").strip()
        self.assertEqual(ip, "127.0.0.249")


class Audit(unittest.TestCase):
    def test_audit_entries_newest_first(self):
        name, pw = unique_name(), new_password()
        signup(name, pw)
        client.login(name, pw)
        r = api("GET", "/api/audit?per_page=50", token=client.admin_token())
        self.assertEqual(r.status, 200)
        self.assertIn("X-Total-Count", r.headers)
        ids = [e["id"] for e in r.json]
        self.assertEqual(ids, sorted(ids, reverse=True))
        mine = [e for e in r.json if e.get("username") == name]
        self.assertEqual([e["action"] for e in mine][:2],
                         ["User Login", "User Signup"])
        e = mine[0]
        self.assertEqual(e["entity"], "User")
        self.assertEqual(e["entity_id"], e["user_id"])
        self.assertRegex(e["timestamp"], r"Z$")

    def test_audit_needs_token(self):
        self.assertEqual(api("GET", "/api/audit").status, 401)

    def test_verify_detects_tampering(self):
        signup()
        client.audit_seal()
        out = client.admin_cli("audit", "verify")
        self.assertIn("audit chain OK", out.stdout)
        victim = int(client.sql(
            "SELECT MIN(seq) FROM audit_log WHERE action = 'User Signup'"))
        original = client.sql(
            "SELECT action FROM audit_log WHERE seq = %d" % victim).strip()
        client.sql("UPDATE audit_log SET action = 'User Logout' WHERE seq = %d"
                   % victim)
        try:
            bad = client.admin_cli("audit", "verify", check=False)
            self.assertEqual(bad.returncode, 1)
            self.assertIn("BROKEN at entry %d" % victim, bad.stdout)
        finally:
            client.sql("UPDATE audit_log SET action = '%s' WHERE seq = %d"
                       % (original, victim))
        self.assertEqual(client.admin_cli("audit", "verify").returncode, 0)

    def test_verify_detects_deleted_tail(self):
        signup()
        client.audit_seal()
        last = client.sql("SELECT seq FROM audit_log "
                          "ORDER BY seq DESC LIMIT 1").strip()
        # Copy the row out, delete it, verify, put it back.
        saved = "audit_saved_%s" % last
        client.sql("CREATE TABLE %s AS SELECT * FROM audit_log WHERE seq = %s"
                   % (saved, last))
        client.sql("DELETE FROM audit_log WHERE seq = %s" % last)
        try:
            bad = client.admin_cli("audit", "verify", check=False)
            self.assertEqual(bad.returncode, 1)
            self.assertIn("BROKEN at entry %s" % last, bad.stdout)
        finally:
            client.sql("INSERT INTO audit_log SELECT * FROM %s; DROP TABLE %s"
                       % (saved, saved))
        self.assertEqual(client.admin_cli("audit", "verify").returncode, 0)


if __name__ == "__main__":
    unittest.main()
