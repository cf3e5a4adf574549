"""CONTRACT section 7's API reference through nginx: /api/openapi.json is
htdocs/openapi.json, /api/ is Swagger UI under a strict CSP (no inline
script, only same-origin scripts and styles), its assets are served from
/api/docs/, and the rest of /api stays the application's.  These are
static files of nginx's (conf/nginx-dev.conf.in), not FastCGI answers."""

import html.parser
import json
import os
import unittest
import urllib.parse

import client
from client import api

HTDOCS = os.path.join(client.TOP, "htdocs")
SCRIPT_TYPES = ("application/javascript", "text/javascript")


def media(r):
    """The media type of an answer, without parameters, in lower case."""
    return r.headers.get("Content-Type", "").split(";")[0].strip().lower()


def csp_directives(r):
    """{directive: [sources]} of the answer's Content-Security-Policy."""
    out = {}
    for part in r.headers.get("Content-Security-Policy", "").split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


class PageParser(html.parser.HTMLParser):
    """What a page loads and anything inline: scripts (src or body),
    stylesheets, icons, <style> elements, style and on* attributes."""

    def __init__(self):
        super().__init__()
        self.scripts = []	# (src or None, body)
        self.styles = []	# stylesheet hrefs
        self.icons = []
        self.inline = []	# descriptions of inline code or style
        self._script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.inline.append("%s %s=" % (tag, name))
            if name == "style":
                self.inline.append("%s style=" % tag)
            if (value or "").strip().lower().startswith("javascript:"):
                self.inline.append("%s %s=javascript:" % (tag, name))
        if tag == "script":
            self._script = [a.get("src"), ""]
        elif tag == "style":
            self.inline.append("<style>")
        elif tag == "link":
            rel = (a.get("rel") or "").lower().split()
            if "stylesheet" in rel:
                self.styles.append(a.get("href"))
            if "icon" in rel:
                self.icons.append(a.get("href"))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None


def parse_page(text):
    p = PageParser()
    p.feed(text)
    p.close()
    return p


def same_origin_path(url):
    """The path of a same-origin reference ("/api/docs/x.js"), else None."""
    if not url:
        return None
    u = urllib.parse.urlsplit(url)
    if u.scheme or u.netloc or not u.path.startswith("/"):
        return None
    return u.path


class Document(unittest.TestCase):
    def test_is_htdocs_openapi_json(self):
        r = api("GET", "/api/openapi.json")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(media(r), "application/json")
        with open(os.path.join(HTDOCS, "openapi.json"), "rb") as f:
            raw = f.read()
        self.assertEqual(r.json, json.loads(raw))
        self.assertEqual(r.body, raw)

    def test_is_openapi_31(self):
        r = api("GET", "/api/openapi.json")
        self.assertEqual(r.json["openapi"], "3.1.0")
        self.assertIn("/api/services", r.json["paths"])

    def test_is_a_static_file(self):
        # nginx's file, not the application's answer (which says
        # Cache-Control: no-store and carries no validators): it is
        # there while the FastCGI pool is down.
        r = api("GET", "/api/openapi.json")
        self.assertEqual(r.headers["Cache-Control"], "no-cache")
        self.assertTrue(r.headers.get("ETag") or r.headers.get("Last-Modified"),
                        dict(r.headers))

    def test_security_headers(self):
        r = api("GET", "/api/openapi.json", headers={"X-Request-Id": "docs-1"})
        self.assertEqual(r.headers["X-Request-Id"], "docs-1")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r.headers["Referrer-Policy"], "no-referrer")
        self.assertEqual(csp_directives(r).get("default-src"), ["'none'"])

    def test_head(self):
        r = api("HEAD", "/api/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")

    def test_old_address_still_served(self):
        r = api("GET", "/openapi.json")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["openapi"], "3.1.0")


class SwaggerPage(unittest.TestCase):
    def setUp(self):
        self.r = api("GET", "/api/")
        self.assertEqual(self.r.status, 200, self.r)
        self.page = parse_page(self.r.text)

    def test_is_html(self):
        self.assertEqual(self.r.headers["Content-Type"].replace(" ", "").lower(),
                         "text/html;charset=utf-8")
        self.assertTrue(self.r.text.lstrip().lower().startswith("<!doctype html"),
                        self.r.text[:200])

    def test_strict_csp(self):
        d = csp_directives(self.r)
        self.assertEqual(d.get("default-src"), ["'none'"], d)
        self.assertEqual(d.get("script-src"), ["'self'"], d)
        self.assertEqual(d.get("style-src"), ["'self'"], d)
        self.assertEqual(sorted(d.get("img-src", [])), ["'self'", "data:"], d)
        self.assertEqual(d.get("connect-src"), ["'self'"], d)
        self.assertEqual(d.get("frame-ancestors"), ["'none'"], d)
        self.assertEqual(d.get("base-uri"), ["'none'"], d)
        for sources in d.values():
            for s in sources:
                self.assertNotIn(s, ("'unsafe-inline'", "'unsafe-eval'", "*",
                                     "http:", "https:"), d)
        self.assertEqual(self.r.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(self.r.headers["Referrer-Policy"], "no-referrer")
        self.assertEqual(self.r.headers["X-Frame-Options"], "DENY")

    def test_no_inline_script_or_style(self):
        self.assertTrue(self.page.scripts, self.r.text)
        for src, body in self.page.scripts:
            self.assertIsNotNone(src, "inline <script>: %r" % body[:200])
            self.assertEqual(body.strip(), "", "a <script src> with a body")
        self.assertEqual(self.page.inline, [])

    def test_only_same_origin_scripts_and_styles(self):
        for url in [s for s, _ in self.page.scripts] + self.page.styles + self.page.icons:
            self.assertIsNotNone(same_origin_path(url),
                                 "not a same-origin path: %r" % url)

    def test_loads_swagger_ui_and_the_initializer(self):
        srcs = [same_origin_path(s) for s, _ in self.page.scripts]
        self.assertIn("/api/docs/swagger-ui-bundle.js", srcs)
        self.assertIn("/api/docs/swagger-init.js", srcs)
        # The initializer runs after the bundle it calls.
        self.assertLess(srcs.index("/api/docs/swagger-ui-bundle.js"),
                        srcs.index("/api/docs/swagger-init.js"))
        self.assertIn("/api/docs/swagger-ui.css",
                      [same_origin_path(s) for s in self.page.styles])

    def test_everything_it_loads_is_served(self):
        want = [(same_origin_path(s), SCRIPT_TYPES) for s, _ in self.page.scripts]
        want += [(same_origin_path(s), ("text/css",)) for s in self.page.styles]
        want += [(same_origin_path(s), ("image/png",)) for s in self.page.icons]
        for path, types in want:
            r = api("GET", path)
            self.assertEqual(r.status, 200, "%s: %r" % (path, r))
            self.assertIn(media(r), types, path)
            self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff", path)
            self.assertEqual(csp_directives(r).get("default-src"), ["'none'"], path)
            self.assertTrue(r.body, path)


class Assets(unittest.TestCase):
    def test_bundle_is_swagger_ui(self):
        r = api("GET", "/api/docs/swagger-ui-bundle.js")
        self.assertEqual(r.status, 200, r)
        self.assertIn(media(r), SCRIPT_TYPES)
        self.assertIn(b"SwaggerUIBundle", r.body)
        self.assertGreater(len(r.body), 100000)

    def test_stylesheet(self):
        r = api("GET", "/api/docs/swagger-ui.css")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(media(r), "text/css")
        self.assertIn(b".swagger-ui", r.body)

    def test_initializer_reads_our_document(self):
        r = api("GET", "/api/docs/swagger-init.js")
        self.assertEqual(r.status, 200, r)
        self.assertIn(media(r), SCRIPT_TYPES)
        with open(os.path.join(HTDOCS, "api", "swagger-init.js"), "rb") as f:
            self.assertEqual(r.body, f.read())
        self.assertIn(b'"/api/openapi.json"', r.body)

    def test_other_dist_files_are_not_served(self):
        # swagger-ui-dist's own page (inline script) and initializer (the
        # petstore) are not ours: /api/docs/ serves only what /api/ loads,
        # and any other path there is the application's 404.
        for path in ("/api/docs/index.html", "/api/docs/swagger-initializer.js",
                     "/api/docs/package.json", "/api/docs/", "/api/index.html"):
            r = api("GET", path)
            self.assertEqual((r.status, r.json), (404, {"error": "Not found"}), path)


class ApplicationUnderApi(unittest.TestCase):
    """The static locations take exact paths only: the API's routes
    still reach resilops.fcgi."""

    def test_services_needs_a_token(self):
        r = api("GET", "/api/services")
        self.assertEqual((r.status, r.json),
                         (401, {"error": "Missing or invalid token"}))
        self.assertEqual(r.headers["Content-Type"], "application/json")

    def test_routes_with_the_docs_prefixes(self):
        # Neighbours of the static paths are routed as before.
        for path in ("/api/openapi.json/x", "/api/openapi.jsonx", "/api/docsx",
                     "/api/docs/swagger-ui-bundle.js.map"):
            r = api("GET", path)
            self.assertEqual((r.status, r.json), (404, {"error": "Not found"}), path)

    def test_healthz_unchanged(self):
        r = api("GET", "/healthz")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json.get("status"), "ok")


if __name__ == "__main__":
    unittest.main()
