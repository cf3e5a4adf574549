"""CONTRACT sections 4 and 9 through nginx: integrations (add, list,
delete), per-type config validation, secrets sealed at rest and shown
redacted, the outbox row an addition queues, audit entries, roles."""

import json
import os
import secrets
import unittest

import client
from client import api, create_service, engineer_token, owner_token

ROUTE = "/api/services/integrations"
REQUIRED = "Service ID, type, and config are required"
BAD_TYPE = ("Invalid integration type: must be one of "
            "Slack, Webhook, Email, AWS")


def secret_path():
    """A webhook path no other test uses, to look for in stored text."""
    return "/services/T%s/B%s" % (secrets.token_hex(4), secrets.token_hex(8))


def slack_url(path=None):
    return "https://hooks.slack.com" + (path or secret_path())


def add(sid, type_="Slack", config=None, token=None):
    if config is None:
        config = {"webhook_url": slack_url(), "channel": "#ops"}
    return api("POST", ROUTE, {"service_id": sid, "type": type_,
                               "config": config},
               token=token or engineer_token())


def ids_of(sid):
    """Integration ids of a service, ascending (straight from the DB)."""
    out = client.sql("SELECT id FROM integrations WHERE service_id = %d "
                     "ORDER BY id" % int(sid))
    return [int(x) for x in out.split()]


def add_one(sid, **kw):
    """Add an integration and return its id."""
    r = add(sid, **kw)
    assert r.status == 201, r
    return ids_of(sid)[-1]


def listing(token=None, query=""):
    r = api("GET", ROUTE + query, token=token or engineer_token())
    assert r.status == 200, r
    return r


def find(iid):
    """The integration's object from GET (walks the pages)."""
    page = 1
    while True:
        r = listing(query="?per_page=1000&page=%d" % page)
        for item in r.json:
            if item["id"] == iid:
                return item
        if len(r.json) < 1000:
            return None
        page += 1


def count(table, where="1"):
    return int(client.sql("SELECT COUNT(*) FROM %s WHERE %s" % (table, where)))


def stored_config(iid):
    return client.sql("SELECT config FROM integrations WHERE id = %d"
                      % iid).strip()


class Add(unittest.TestCase):
    def test_success_and_list_shape(self):
        sid = create_service()
        r = add(sid, "slack", {"webhook_url": slack_url(), "channel": "#ops"})
        self.assertEqual((r.status, r.json),
                         (201, {"message": "Integration added successfully"}))
        iid = ids_of(sid)[-1]
        item = find(iid)
        self.assertEqual(set(item), {"id", "service_id", "type", "config",
                                     "created_by", "created_at"})
        self.assertEqual(item["service_id"], sid)
        self.assertEqual(item["type"], "Slack")
        self.assertEqual(item["config"], {
            "webhook_url": "https://hooks.slack.com/***", "channel": "#ops"})
        self.assertRegex(item["created_by"], r"^engine")
        self.assertRegex(item["created_at"],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

    def test_types_stored_capitalised(self):
        sid = create_service()
        cases = [
            ("WEBHOOK", {"webhook_url": "https://ci.example.com/hook"},
             "Webhook"),
            ("email", {"to": ["ops@example.com", "cto@example.org"]},
             "Email"),
            ("aws", {"region": "eu-west-1", "access_key_id": "AKIAEXAMPLE",
                     "secret_access_key": "wJalrXUtnFEMI"}, "AWS"),
            ("Slack", {"webhook_url": slack_url()}, "Slack"),
        ]
        for sent, config, stored in cases:
            iid = add_one(sid, type_=sent, config=config)
            self.assertEqual(find(iid)["type"], stored, sent)

    def test_service_id_as_digit_string(self):
        sid = create_service()
        self.assertEqual(add(str(sid)).status, 201)
        self.assertEqual(len(ids_of(sid)), 1)

    def test_admin_may_add(self):
        sid = create_service()
        self.assertEqual(add(sid, token=client.admin_token()).status, 201)

    def test_unknown_service(self):
        r = add(2 ** 40)
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))
        r = add(-3)
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Service not found"}))

    def test_validation_before_existence(self):
        r = add(2 ** 40, "Teams")
        self.assertEqual((r.status, r.json), (400, {"error": BAD_TYPE}))

    def test_invalid_json(self):
        r = api("POST", ROUTE, raw="{\"service_id\": 1,",
                headers={"Content-Type": "application/json"},
                token=engineer_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid JSON body"}))


class Validation(unittest.TestCase):
    def cases(self, sid):
        hook = {"webhook_url": slack_url()}
        return [
            ({}, REQUIRED),
            ({"type": "Slack", "config": hook}, REQUIRED),
            ({"service_id": sid, "config": hook}, REQUIRED),
            ({"service_id": sid, "type": "Slack"}, REQUIRED),
            ({"service_id": sid, "type": "Slack", "config": None}, REQUIRED),
            ({"service_id": sid, "type": "", "config": hook}, REQUIRED),
            ({"service_id": sid, "type": "Slack", "config": {}}, REQUIRED),
            ({"service_id": 0, "type": "Slack", "config": hook}, REQUIRED),
            # The seed checks presence of all three before anything else.
            ({"service_id": sid, "type": "Teams"}, REQUIRED),
            ({"service_id": sid, "type": "Teams", "config": hook}, BAD_TYPE),
            ({"service_id": sid, "type": 5, "config": hook},
             "type must be a string"),
            ({"service_id": "12abc", "type": "Slack", "config": hook},
             "service_id must be an integer"),
            ({"service_id": 1.5, "type": "Slack", "config": hook},
             "service_id must be an integer"),
            ({"service_id": True, "type": "Slack", "config": hook},
             "service_id must be an integer"),
            ({"service_id": sid, "type": "Slack", "config": [1]},
             "config must be an object"),
            ({"service_id": sid, "type": "Slack", "config": "https://x.io/"},
             "config must be an object"),
            ({"service_id": sid, "type": "Slack",
              "config": {"channel": "#ops"}}, "webhook_url is required"),
            ({"service_id": sid, "type": "Slack",
              "config": {"webhook_url": "http://hooks.slack.com/x"}},
             "webhook_url must be an https URL"),
            ({"service_id": sid, "type": "Webhook",
              "config": {"webhook_url": "ftp://ci.example.com/"}},
             "webhook_url must be an https URL"),
            ({"service_id": sid, "type": "Webhook",
              "config": {"webhook_url": "not a url"}},
             "webhook_url must be an https URL"),
            ({"service_id": sid, "type": "Slack",
              "config": {"webhook_url": ["https://hooks.slack.com/x"]}},
             "webhook_url must be an https URL"),
            ({"service_id": sid, "type": "Email",
              "config": {"cc": ["a@example.com"]}},
             "to must be a list of email addresses"),
            ({"service_id": sid, "type": "Email",
              "config": {"to": "ops@example.com"}},
             "to must be a list of email addresses"),
            ({"service_id": sid, "type": "Email", "config": {"to": []}},
             "to must be a list of email addresses"),
            ({"service_id": sid, "type": "Email",
              "config": {"to": ["ops@example.com", "not-an-address"]}},
             "to must be a list of email addresses"),
            ({"service_id": sid, "type": "Email",
              "config": {"to": ["ops@example.com\r\nBcc: x@evil.example"]}},
             "to must be a list of email addresses"),
        ]

    def test_messages_and_nothing_written(self):
        sid = create_service()
        before = (count("integrations"), count("outbox"),
                  count("audit_log", "action = 'Integration Added'"))
        for body, message in self.cases(sid):
            r = api("POST", ROUTE, body, token=engineer_token())
            self.assertEqual((r.status, r.json), (400, {"error": message}),
                             body)
        after = (count("integrations"), count("outbox"),
                 count("audit_log", "action = 'Integration Added'"))
        self.assertEqual(before, after)

    def test_body_not_object(self):
        r = api("POST", ROUTE, [1, 2], token=engineer_token())
        self.assertEqual(r.status, 400)


class Secrets(unittest.TestCase):
    def test_webhook_url_not_stored_in_plaintext(self):
        sid = create_service()
        path = secret_path()
        iid = add_one(sid, config={"webhook_url": slack_url(path)})
        stored = stored_config(iid)
        self.assertNotIn(path, stored)
        self.assertNotIn(path.split("/")[-1], stored)
        cfg = json.loads(stored)
        self.assertRegex(cfg["webhook_url"]["$enc"],
                         r"^v\d+:[A-Za-z0-9+/]+=*$")
        self.assertEqual(find(iid)["config"],
                         {"webhook_url": "https://hooks.slack.com/***"})

    def test_nested_and_case_insensitive_secrets(self):
        sid = create_service()
        tok, pw, key = (secrets.token_hex(8) for _ in range(3))
        config = {
            "region": "eu-west-1",
            "access_key_id": "AKIAEXAMPLE",
            "Secret_Access_Key": key,
            "profiles": [{"name": "ci", "Token": tok}],
            "auth": {"password": pw, "user": "ops"},
            "url": "https://user:%s@queue.example.com:8443/q" % pw,
            "api_key": None,
        }
        iid = add_one(sid, type_="AWS", config=config)
        stored = stored_config(iid)
        for s in (tok, pw, key):
            self.assertNotIn(s, stored)
        self.assertEqual(find(iid)["config"], {
            "region": "eu-west-1",
            "access_key_id": "AKIAEXAMPLE",
            "Secret_Access_Key": "***",
            "profiles": [{"name": "ci", "Token": "***"}],
            "auth": {"password": "***", "user": "ops"},
            "url": "https://queue.example.com:8443/***",
            "api_key": None,
        })

    def test_each_secret_sealed_separately(self):
        sid = create_service()
        iid = add_one(sid, type_="Webhook", config={
            "webhook_url": "https://ci.example.com/hook",
            "token": "same", "secret": "same"})
        cfg = json.loads(stored_config(iid))
        # A fresh IV per value: equal secrets do not look equal.
        self.assertNotEqual(cfg["token"]["$enc"], cfg["secret"]["$enc"])

    def test_outbox_row_queued(self):
        sid = create_service()
        path = secret_path()
        iid = add_one(sid, config={"webhook_url": slack_url(path),
                                   "channel": "#ops"})
        rows = client.sql("SELECT event, status, attempts, alert_id, "
                          "next_attempt_at IS NOT NULL, payload FROM outbox "
                          "WHERE integration_id = %d" % iid).splitlines()
        self.assertEqual(len(rows), 1)
        event, status, attempts, alert, due, payload = rows[0].split("\t", 5)
        self.assertEqual((event, status, attempts, alert, due),
                         ("integration_added", "pending", "0", "NULL", "1"))
        self.assertNotIn(path, payload)
        p = json.loads(payload)
        self.assertEqual(p["event"], "integration_added")
        self.assertEqual((p["integration_id"], p["service_id"], p["type"]),
                         (iid, sid, "Slack"))
        self.assertEqual(p["config"], {
            "webhook_url": "https://hooks.slack.com/***", "channel": "#ops"})
        self.assertTrue(p["message"])

    def test_audit_entry_without_secret(self):
        sid = create_service()
        path = secret_path()
        iid = add_one(sid, config={"webhook_url": slack_url(path)})
        rows = client.sql("SELECT action, entity, username, details FROM "
                          "audit_log WHERE entity = 'Integration' AND "
                          "entity_id = %d" % iid).splitlines()
        self.assertEqual(len(rows), 1)
        action, entity, username, details = rows[0].split("\t")
        self.assertEqual((action, entity),
                         ("Integration Added", "Integration"))
        self.assertRegex(username, r"^engine")
        # The entry keeps the request too, with the secret taken out.
        self.assertEqual(json.loads(details), {
            "details": {"service_id": sid, "type": "Slack"},
            "request": {"service_id": sid, "type": "Slack",
                        "config": {"webhook_url": "***"}}})
        self.assertEqual(count("audit_log", "details LIKE '%%%s%%'"
                               % path.split("/")[-1]), 0)

    def test_secret_never_logged(self):
        self.assertTrue(client.STATE, "RESILOPS_STATE is not set")
        sid = create_service()
        path = secret_path()
        add_one(sid, config={"webhook_url": slack_url(path)})
        # A rejected one too: its URL goes through validation only.
        add(sid, config={"webhook_url": "http://hooks.slack.com" + path})
        logdir = os.path.join(client.STATE, "log")
        for name in os.listdir(logdir):
            with open(os.path.join(logdir, name), "rb") as f:
                self.assertNotIn(path.encode(), f.read(), name)


class List(unittest.TestCase):
    def test_pagination_headers_and_order(self):
        sid = create_service()
        for _ in range(3):
            add_one(sid)
        r = listing(query="?per_page=2")
        total = int(r.headers["X-Total-Count"])
        self.assertGreaterEqual(total, 3)
        self.assertEqual(len(r.json), 2)
        self.assertLess(r.json[0]["id"], r.json[1]["id"])
        self.assertIn('rel="next"', r.headers["Link"])
        self.assertNotIn('rel="prev"', r.headers["Link"])
        last = (total + 1) // 2
        r = listing(query="?per_page=2&page=%d" % last)
        self.assertIn('rel="prev"', r.headers["Link"])
        self.assertNotIn('rel="next"', r.headers["Link"])
        self.assertEqual(r.json[-1]["id"], ids_of(sid)[-1])

    def test_bad_page(self):
        r = api("GET", ROUTE + "?page=0", token=engineer_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Invalid page or per_page"}))

    def test_bare_array(self):
        self.assertIsInstance(listing().json, list)


class Delete(unittest.TestCase):
    def test_delete(self):
        sid = create_service()
        iid = add_one(sid)
        r = api("DELETE", "%s/%d" % (ROUTE, iid), token=engineer_token())
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Integration deleted"}))
        self.assertIsNone(find(iid))
        self.assertEqual(count("outbox", "integration_id = %d" % iid), 0)
        rows = client.sql("SELECT action, details FROM audit_log WHERE "
                          "entity = 'Integration' AND entity_id = %d "
                          "ORDER BY id" % iid).splitlines()
        self.assertEqual([x.split("\t")[0] for x in rows],
                         ["Integration Added", "Integration Deleted"])
        self.assertEqual(json.loads(rows[1].split("\t")[1]),
                         {"details": {"service_id": sid, "type": "Slack"}})
        r = api("DELETE", "%s/%d" % (ROUTE, iid), token=engineer_token())
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Integration not found"}))

    def test_missing(self):
        r = api("DELETE", ROUTE + "/999999999", token=engineer_token())
        self.assertEqual((r.status, r.json),
                         (404, {"error": "Integration not found"}))

    def test_non_numeric_id(self):
        r = api("DELETE", ROUTE + "/abc", token=engineer_token())
        self.assertEqual((r.status, r.json), (404, {"error": "Not found"}))

    def test_other_integrations_untouched(self):
        sid = create_service()
        a, b = add_one(sid), add_one(sid)
        api("DELETE", "%s/%d" % (ROUTE, a), token=engineer_token())
        self.assertEqual(ids_of(sid), [b])

    def test_service_delete_cascades(self):
        sid = create_service()
        iid = add_one(sid)
        add_one(sid, type_="Email", config={"to": ["ops@example.com"]})
        r = api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(ids_of(sid), [])
        self.assertIsNone(find(iid))
        self.assertEqual(count("outbox", "integration_id = %d" % iid), 0)


class Roles(unittest.TestCase):
    def test_forbidden_roles(self):
        sid = create_service()
        iid = add_one(sid)
        for role in ("Business Owner", "Ops Analyst", "user", "Manager",
                     "Auditor"):
            t = client.token_for(role)
            r = add(sid, token=t)
            self.assertEqual((r.status, r.json), (403, {"error": "Forbidden"}),
                             role)
            self.assertEqual(api("GET", ROUTE, token=t).status, 403, role)
            r = api("DELETE", "%s/%d" % (ROUTE, iid), token=t)
            self.assertEqual(r.status, 403, role)
        self.assertEqual(ids_of(sid), [iid])

    def test_forbidden_before_not_found(self):
        r = api("DELETE", ROUTE + "/999999999", token=owner_token())
        self.assertEqual((r.status, r.json), (403, {"error": "Forbidden"}))

    def test_unauthenticated(self):
        for method, path in (("POST", ROUTE), ("GET", ROUTE),
                             ("DELETE", ROUTE + "/1")):
            r = api(method, path, {} if method == "POST" else None)
            self.assertEqual((r.status, r.json),
                             (401, {"error": "Missing or invalid token"}),
                             method)

    def test_admin_may_list_and_delete(self):
        sid = create_service()
        iid = add_one(sid)
        self.assertEqual(api("GET", ROUTE, token=client.admin_token()).status,
                         200)
        r = api("DELETE", "%s/%d" % (ROUTE, iid), token=client.admin_token())
        self.assertEqual(r.status, 200)

    def test_method_not_allowed(self):
        r = api("PUT", ROUTE, {}, token=engineer_token())
        self.assertEqual(r.status, 405)
        self.assertIn("GET", r.headers["Allow"])
        self.assertIn("POST", r.headers["Allow"])


if __name__ == "__main__":
    unittest.main()
