"""CONTRACT section 1 through nginx: JSON errors, body limits, routing
answers, CORS, request ids and the common headers."""

import unittest

import client
from client import api


class Errors(unittest.TestCase):
    def test_invalid_json(self):
        for raw in ("{bad", '{"username": "a"} trailing', "[1,", "nul",
                    '{"a": "\\u0000"}', "[" * 40 + "]" * 40):
            r = api("POST", "/api/auth/login", raw=raw,
                    headers={"Content-Type": "application/json"})
            self.assertEqual((r.status, r.json),
                             (400, {"error": "Invalid JSON body"}), raw)

    def test_invalid_utf8_is_invalid_json(self):
        for raw in (b'{"username": "a\xff", "password": "x"}',
                    b'{"username": "\xed\xa0\x80", "password": "x"}',
                    b'{"\xc3\x28": 1}'):
            r = api("POST", "/api/auth/login", raw=raw,
                    headers={"Content-Type": "application/json"})
            self.assertEqual((r.status, r.json),
                             (400, {"error": "Invalid JSON body"}), raw)

    def test_number_too_large_for_a_double_is_the_fields_error(self):
        # 1e309 is valid JSON: the field's validator names the field.
        for raw, msg in (('{"name": "a", "rto": 1e309}', "rto must be an integer"),
                         ('{"name": "a", "rpo": -1E400}', "rpo must be an integer")):
            r = api("POST", "/api/services", raw=raw,
                    headers={"Content-Type": "application/json"},
                    token=client.owner_token())
            self.assertEqual((r.status, r.json), (400, {"error": msg}), raw)
        for raw in ('{"rto": NaN}', '{"rto": Infinity}', '{"rto": -Infinity}'):
            r = api("POST", "/api/services", raw=raw,
                    headers={"Content-Type": "application/json"},
                    token=client.owner_token())
            self.assertEqual((r.status, r.json),
                             (400, {"error": "Invalid JSON body"}), raw)

    def test_empty_body_is_empty_object(self):
        r = api("POST", "/api/auth/signup", raw="")
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Username is required"}))

    def test_body_not_object(self):
        r = api("POST", "/api/auth/signup", raw="[1, 2]")
        self.assertEqual(r.status, 400)
        self.assertIn("error", r.json)

    def test_too_large(self):
        r = api("POST", "/api/auth/signup",
                raw='{"username": "' + "a" * (1024 * 1024 + 10) + '"}',
                headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 413)
        self.assertEqual(r.json, {"error": "Request body too large"})

    def test_not_found_without_token(self):
        r = api("GET", "/api/no/such/thing")
        self.assertEqual((r.status, r.json), (404, {"error": "Not found"}))

    def test_non_numeric_id_is_404(self):
        r = api("PUT", "/api/users/abc", {}, token=client.admin_token())
        self.assertEqual((r.status, r.json), (404, {"error": "Not found"}))

    def test_method_not_allowed(self):
        r = api("DELETE", "/api/auth/login")
        self.assertEqual((r.status, r.json),
                         (405, {"error": "Method not allowed"}))
        self.assertEqual(r.headers["Allow"], "POST, OPTIONS")

    def test_unauthenticated(self):
        r = api("GET", "/api/users")
        self.assertEqual((r.status, r.json),
                         (401, {"error": "Missing or invalid token"}))


# A request id made for the request: resilops's 32 hex digits behind
# nginx; behind Apache mod_unique_id's, which Apache hands on to resilops
# so that both logs name the request alike.
FRESH_ID = r"^[0-9a-f]{32}$|^[A-Za-z0-9_-]{27}$"


class Headers(unittest.TestCase):
    def test_common_headers(self):
        r = api("GET", "/healthz")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r.headers["Referrer-Policy"], "no-referrer")
        self.assertRegex(r.headers["X-Request-Id"], FRESH_ID)
        self.assertNotEqual(api("GET", "/healthz").headers["X-Request-Id"],
                            r.headers["X-Request-Id"])
        self.assertTrue(r.headers["Content-Type"].startswith(
            "application/json"))

    def test_request_id_echoed(self):
        r = api("GET", "/healthz", headers={"X-Request-Id": "abc-123.x"})
        self.assertEqual(r.headers["X-Request-Id"], "abc-123.x")
        r = api("GET", "/healthz", headers={"X-Request-Id": "bad id<>"})
        self.assertRegex(r.headers["X-Request-Id"], FRESH_ID)

    def test_errors_have_request_id(self):
        r = api("GET", "/api/nothing")
        self.assertIn("X-Request-Id", r.headers)


class Cors(unittest.TestCase):
    ORIGIN = "http://client.example:3000"

    def test_preflight(self):
        r = api("OPTIONS", "/api/auth/login", headers={
            "Origin": self.ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,authorization"})
        self.assertEqual(r.status, 204)
        self.assertEqual(r.headers["Access-Control-Allow-Origin"], self.ORIGIN)
        self.assertIn("POST", r.headers["Access-Control-Allow-Methods"])
        allowed = r.headers["Access-Control-Allow-Headers"]
        for h in ("Authorization", "Content-Type", "X-API-Key"):
            self.assertIn(h, allowed)

    def test_preflight_on_unknown_path(self):
        r = api("OPTIONS", "/api/nothing", headers={"Origin": self.ORIGIN})
        self.assertEqual(r.status, 404)

    def test_simple_request_has_origin(self):
        r = api("GET", "/healthz", headers={"Origin": self.ORIGIN})
        self.assertEqual(r.headers["Access-Control-Allow-Origin"], self.ORIGIN)
        self.assertIn("X-Total-Count",
                      r.headers["Access-Control-Expose-Headers"])


class Media(unittest.TestCase):
    """Answers come in the media of what was asked for: the API's errors
    are JSON, a page's are HTML pages (escaped, with the page CSP)."""

    def test_unknown_page_is_an_html_page(self):
        r = api("GET", "/no-such-page/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.headers["Content-Type"], "text/html; charset=utf-8")
        csp = r.headers["Content-Security-Policy"]
        self.assertIn("default-src 'none'", csp)
        self.assertIn("script-src 'self'", csp)
        self.assertEqual(r.headers["X-Frame-Options"], "DENY")
        self.assertTrue(r.text.startswith("<!DOCTYPE html>"), r.text)
        self.assertIn("404", r.text)
        self.assertNotIn("<script>", r.text)
        self.assertIsNone(r.json)

    def test_api_errors_stay_json(self):
        for path in ("/api/no-such-route", "/api/services/abc"):
            r = api("GET", path)
            self.assertEqual(r.status, 404)
            self.assertEqual(r.headers["Content-Type"], "application/json")
            self.assertNotIn("Content-Security-Policy", r.headers)
            self.assertEqual(r.json, {"error": "Not found"})
        r = api("DELETE", "/healthz")
        self.assertEqual((r.status, r.json),
                         (405, {"error": "Method not allowed"}))

    def test_unknown_page_any_method_is_a_page(self):
        r = api("DELETE", "/no-such-page")
        self.assertEqual(r.status, 404)
        self.assertIn("text/html", r.headers["Content-Type"])


class Healthz(unittest.TestCase):
    def test_ok(self):
        r = api("GET", "/healthz")
        self.assertEqual((r.status, r.json),
                         (200, {"status": "ok", "database": "ok"}))


if __name__ == "__main__":
    unittest.main()
