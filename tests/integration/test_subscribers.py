"""Status page subscribers (issue 11): POST /api/subscribers by email
(double opt-in) or https webhook, the form on /status/subscribe (CSRF),
the confirm and unsubscribe links (single use; confirm expires), the
address sealed and never in the audit trail, deleted on unsubscribe;
incident updates queued once for each confirmed subscriber of their
public services and for nobody else."""

import hashlib
import hmac
import re
import unittest

import client
from client import api, create_service, owner_token, unique_name
from test_console import Browser
from test_incidents import make_draft, open_incident
from test_jsonw_list import json_c_of, ordered


def secret():
    key = client.conf_value("secrets", "audit_key").encode()
    return hmac.new(key, b"resilops credentials v1", hashlib.sha256).digest()


def token(purpose, sid):
    salt = client.sql("SELECT salt FROM subscribers WHERE id = %d"
                      % sid).strip()
    mac = hmac.new(secret(), ("%s:%d:%s" % (purpose, sid, salt)).encode(),
                   hashlib.sha256).hexdigest()
    return "%d-%s" % (sid, mac)


def newest_subscriber():
    return int(client.sql("SELECT MAX(id) FROM subscribers"))


def subscribe(body, source=None):
    return client.api_from(source or "127.0.0.%d" % (
        hash(str(body)) % 200 + 20), "POST", "/api/subscribers", body)


def queued(sid):
    return client.sql("SELECT event_key FROM subscriber_outbox WHERE "
                      "subscriber_id = %d ORDER BY id" % sid).split()


class Subscribe(unittest.TestCase):
    def test_email_double_opt_in(self):
        email = unique_name("ada") + "@Example.org"
        r = subscribe({"email": email})
        self.assertEqual((r.status, r.json),
                         (202, {"message": "Check your email to confirm "
                                           "your subscription"}))
        sid = newest_subscriber()
        row = client.sql("SELECT kind, confirmed_at IS NULL, all_services, "
                         "confirm_expires > UTC_TIMESTAMP() FROM subscribers "
                         "WHERE id = %d" % sid).split()
        self.assertEqual(row, ["email", "1", "1", "1"])
        # The address is sealed, in no column and no audit entry.
        dump = client.sql("SELECT kind, address_sealed, salt, "
                          "HEX(address_hmac) FROM subscribers WHERE id = %d"
                          % sid)
        self.assertTrue(dump.split()[1].startswith("v"), dump)
        self.assertNotIn(email.lower(), dump.lower())
        self.assertIn("Subscriber Added", client.sql(
            "SELECT action FROM audit_log WHERE entity = 'Subscriber' AND "
            "entity_id = %d" % sid))
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM audit_log WHERE details LIKE '%%%s%%'"
            % email.split("@")[0]).strip(), "0")
        (key,) = queued(sid)
        self.assertTrue(key.startswith("confirm:"), key)
        # An admin reads it back; nobody else lists subscribers.
        rows = api("GET", "/api/subscribers?per_page=100",
                   token=client.admin_token()).json
        mine = [s for s in rows if s["id"] == sid][0]
        self.assertEqual((mine["address"], mine["kind"], mine["confirmed"],
                          mine["service_ids"]),
                         (email, "email", False, None))
        self.assertEqual(api("GET", "/api/subscribers",
                             token=owner_token()).status, 403)
        self.assertEqual(api("GET", "/api/subscribers").status, 401)
        # Not yet confirmed: an incident tells it nothing.
        pub = create_service(unique_name("Sub"), public=True)
        open_incident([pub])
        self.assertEqual(len(queued(sid)), 1)
        # The link confirms once.
        link = "/status/confirm?token=" + token("confirm", sid)
        r = api("GET", link)
        self.assertEqual(r.status, 200, r)
        self.assertIn("Subscription confirmed", r.text)
        self.assertEqual(api("GET", link).status, 410)
        self.assertEqual(api("GET", "/status/confirm?token=" + token(
            "unsubscribe", sid)).status, 404)
        self.assertEqual(api("GET", "/status/confirm?token=12-ab").status,
                         404)
        inc = open_incident([pub])
        (upd,) = [u["id"] for u in inc["updates"]]
        self.assertIn("incident:%d" % upd, queued(sid))
        # Unsubscribe: the row, its queue and its address go; once.
        link = "/status/unsubscribe?token=" + token("unsubscribe", sid)
        r = api("GET", link)
        self.assertEqual(r.status, 200)
        self.assertIn("Unsubscribed", r.text)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM subscribers WHERE "
                                    "id = %d" % sid).strip(), "0")
        self.assertEqual(queued(sid), [])
        self.assertEqual(api("GET", link).status, 404)

    def test_confirm_link_expires(self):
        r = subscribe({"email": unique_name("late") + "@example.org"})
        self.assertEqual(r.status, 202)
        sid = newest_subscriber()
        client.sql("UPDATE subscribers SET confirm_expires = "
                   "UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = %d" % sid)
        r = api("GET", "/status/confirm?token=" + token("confirm", sid))
        self.assertEqual(r.status, 410)
        self.assertIn("expired", r.text)

    def test_subscribing_again_kills_old_links(self):
        email = unique_name("again") + "@example.org"
        subscribe({"email": email})
        sid = newest_subscriber()
        old = token("confirm", sid)
        r = subscribe({"email": email.upper()})
        self.assertEqual(r.status, 202)
        self.assertEqual(newest_subscriber(), sid)     # the same row
        self.assertEqual(api("GET", "/status/confirm?token=" + old).status,
                         404)
        self.assertEqual(api("GET", "/status/confirm?token=" + token(
            "confirm", sid)).status, 200)
        self.assertEqual(len(queued(sid)), 2)

    def test_webhooks_and_validation(self):
        pub = create_service(unique_name("Hook"), public=True)
        private = create_service(unique_name("Hidden"))
        r = subscribe({"webhook_url": "https://hooks.slack.com/services/T/B/"
                       + unique_name("x"), "service_ids": [pub]})
        self.assertEqual(r.status, 201, r)
        sid = newest_subscriber()
        self.assertEqual(client.sql("SELECT kind, confirmed_at IS NOT NULL "
                                    "FROM subscribers WHERE id = %d"
                                    % sid).split(), ["slack", "1"])
        r = subscribe({"webhook_url": "https://example.net/" +
                       unique_name("hook")})
        self.assertEqual(r.status, 201)
        self.assertEqual(client.sql("SELECT kind FROM subscribers WHERE "
                                    "id = %d" % newest_subscriber()).strip(),
                         "webhook")
        before = client.sql("SELECT COUNT(*) FROM subscribers")
        for body, msg in (
                ({}, "Give either email or webhook_url"),
                ({"email": "a@example.org", "webhook_url": "https://x.org/"},
                 "Give either email or webhook_url"),
                ({"email": "not an address"}, "Invalid email address"),
                ({"email": "a@b"}, "Invalid email address"),
                ({"email": "a\r\nBcc: x@y.org@example.org"},
                 "Invalid email address"),
                ({"webhook_url": "http://example.net/hook"},
                 "webhook_url must be an https URL"),
                ({"webhook_url": "ftp://example.net/"},
                 "webhook_url must be an https URL"),
                ({"email": "b@example.org", "service_ids": [private, pub,
                                                             987654321]},
                 "Unknown or not public service IDs: [%d, 987654321]"
                 % private)):
            r = subscribe(body)
            self.assertEqual((r.status, r.json.get("error")), (400, msg),
                             body)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM subscribers"),
                         before)

    def test_news_only_to_followers_of_public_services(self):
        a = create_service(unique_name("A"), public=True)
        b = create_service(unique_name("B"), public=True)
        private = create_service(unique_name("P"))
        r = subscribe({"webhook_url": "https://example.net/" +
                       unique_name("a"), "service_ids": [a]})
        self.assertEqual(r.status, 201)
        follows_a = newest_subscriber()
        subscribe({"webhook_url": "https://example.net/" + unique_name("all")})
        follows_all = newest_subscriber()
        inc_b = open_incident([b])
        inc_p = open_incident([private])
        inc_a = open_incident([a, private])
        key = lambda inc: "incident:%d" % inc["updates"][-1]["id"]
        self.assertNotIn(key(inc_b), queued(follows_a))
        self.assertIn(key(inc_b), queued(follows_all))
        self.assertNotIn(key(inc_p), queued(follows_all))
        self.assertIn(key(inc_a), queued(follows_a))
        # Each update once; a draft tells nobody until published.
        r = api("POST", "/api/incidents/%d/updates" % inc_a["id"],
                {"status": "resolved", "message": "done"}, token=owner_token())
        self.assertIn("incident:%d" % r.json["id"], queued(follows_a))
        n = len(queued(follows_all))
        draft = make_draft(a)
        self.assertEqual(len(queued(follows_all)), n)
        api("POST", "/api/incidents/%d/publish" % draft, {},
            token=owner_token())
        self.assertEqual(len(queued(follows_all)), n + 1)

    def test_maintenance_start_and_end_once(self):
        import time
        from test_sched import iso, once, release_lease
        svc = create_service(unique_name("Maint"), public=True)
        other = create_service(unique_name("Other"), public=True)
        subscribe({"webhook_url": "https://example.net/" + unique_name("m"),
                   "service_ids": [svc]})
        follower = newest_subscriber()
        subscribe({"webhook_url": "https://example.net/" + unique_name("o"),
                   "service_ids": [other]})
        stranger = newest_subscriber()
        now = int(time.time())
        r = api("POST", "/api/maintenance", {
            "title": "Database upgrade", "message": "Read-only for an hour",
            "service_ids": [svc], "starts_at": iso(now - 60),
            "ends_at": iso(now + 3600)}, token=owner_token())
        self.assertEqual(r.status, 201, r)
        mid = r.json["id"]
        for _ in range(2):
            release_lease()
            once(now)
        self.assertEqual([k for k in queued(follower)
                          if k.startswith("maintenance")],
                         ["maintenance-start:%d" % mid])
        release_lease()
        once(now + 7200)
        self.assertEqual([k for k in queued(follower)
                          if k.startswith("maintenance")],
                         ["maintenance-start:%d" % mid,
                          "maintenance-end:%d" % mid])
        self.assertEqual([k for k in queued(stranger)
                          if k.startswith("maintenance")], [])
        payload = client.sql(
            "SELECT payload FROM subscriber_outbox WHERE subscriber_id = %d "
            "AND event_key = 'maintenance-start:%d'" % (follower, mid))
        self.assertIn('"title":"Database upgrade"', payload)

    def test_throttled_per_address(self):
        limit = int(client.conf_value("auth", "signup_max_addr") or 10)
        src = "127.0.0.%d" % (230 + len(unique_name("t")) % 20)
        for i in range(limit):
            r = subscribe({"email": unique_name("t%d" % i) + "@example.org"},
                          source=src)
            self.assertEqual(r.status, 202, r)
        r = subscribe({"email": unique_name("over") + "@example.org"},
                      source=src)
        self.assertEqual(r.status, 429)
        self.assertIn("Retry-After", r.headers)


class Form(unittest.TestCase):
    def test_the_form_on_the_status_page(self):
        pub = create_service(unique_name("Formed"), public=True)
        self.assertIn('href="/status/subscribe"', api("GET", "/status").text)
        b = Browser(source="127.0.0.%d" % (100 + pub % 100))
        page = b.get("/status/subscribe")
        self.assertEqual(page.status, 200)
        self.assertIn('name="service_ids" value="%d"' % pub, page.text)
        email = unique_name("form") + "@example.org"
        # Without the token (or with another's): refused, nothing stored.
        r = b.post("/status/subscribe", {"email": email})
        self.assertEqual(r.status, 403)
        other = Browser()
        r = other.post("/status/subscribe", {"csrf": b.csrf(page.text),
                                             "email": email})
        self.assertEqual(r.status, 403)
        r = b.post("/status/subscribe", [("csrf", b.csrf(page.text)),
                                         ("email", email),
                                         ("service_ids", str(pub))])
        self.assertEqual(r.status, 202, r)
        self.assertIn("Check your email", r.text)
        sid = newest_subscriber()
        self.assertEqual(client.sql("SELECT service_id FROM "
                                    "subscriber_services WHERE "
                                    "subscriber_id = %d" % sid).strip(),
                         str(pub))
        r = b.post("/status/subscribe", {"csrf": b.csrf(page.text),
                                         "email": "nope"})
        self.assertEqual(r.status, 400)
        self.assertIn("Invalid email address", r.text)


SUBSCRIBER_KEYS = ["id", "kind", "address", "confirmed", "confirmed_at",
                   "service_ids", "created_at"]


class Totals(unittest.TestCase):
    """The list's total (the kept counter of sql/031) is COUNT(*) over
    the table after every kind of write, on a first page, a later one
    and one past the end; each row brings its services."""

    def assertTotals(self):
        want = [int(x) for x in client.sql(
            "SELECT id FROM subscribers ORDER BY id DESC").split()]
        for page, per, ids in (("1", "100", want[:100]), ("2", "1", want[1:2]),
                               ("99999", "1", [])):
            r = api("GET", "/api/subscribers?page=%s&per_page=%s"
                    % (page, per), token=client.admin_token())
            self.assertEqual(r.status, 200, r)
            self.assertEqual(int(r.headers["X-Total-Count"]), len(want), page)
            self.assertEqual([s["id"] for s in r.json], ids, page)
            # Written with util/jsonw: json-c's text, members in order.
            self.assertEqual(r.body, json_c_of(r.body))
            self.assertTrue(all([k for k, _ in s] == SUBSCRIBER_KEYS
                                for s in ordered(r.body.decode())))

    def test_every_write(self):
        self.assertTotals()
        email = unique_name("counted") + "@example.org"
        self.assertEqual(subscribe({"email": email}).status, 202)
        sid = newest_subscriber()
        self.assertTotals()
        # Again: the same row, counted once.
        self.assertEqual(subscribe({"email": email.upper()}).status, 202)
        self.assertTotals()
        a, b = (create_service(unique_name("Counted"), public=True)
                for _ in range(2))
        r = subscribe({"webhook_url": "https://example.org/hook/" +
                       unique_name("c"), "service_ids": [b, a]})
        self.assertEqual(r.status, 201, r)
        hook = newest_subscriber()
        self.assertTotals()
        rows = api("GET", "/api/subscribers?per_page=1",
                   token=client.admin_token()).json
        self.assertEqual((rows[0]["id"], rows[0]["service_ids"]),
                         (hook, sorted([a, b])))
        self.assertEqual(api("GET", "/status/confirm?token=" + token(
            "confirm", sid)).status, 200)
        self.assertTotals()
        link = "/status/unsubscribe?token=" + token("unsubscribe", sid)
        self.assertEqual(api("GET", link).status, 200)
        self.assertTotals()
        # Once gone, unsubscribing again counts nothing.
        self.assertEqual(api("GET", link).status, 404)
        self.assertTotals()


if __name__ == "__main__":
    unittest.main()
