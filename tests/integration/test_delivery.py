"""Notification delivery by resilops-sched (issue 4, item 5) to a small
HTTP receiver on 127.0.0.1 that this file starts: the Slack and webhook
bodies, the integration-added notification, a retry after a 500, giving
up after max_attempts, a receiver that hangs holding up no other job,
and private addresses refused when the config does not allow them.

The stack's config must name 127.0.0.1 in [delivery] http_hosts (the
test stack of `./dev.sh test` does), so that the API takes
http://127.0.0.1:PORT webhooks; it allows no private network, so only
the daemon config copies written here (allow_networks = 127.0.0.0/8)
may reach the receiver."""

import json
import os
import secrets
import signal
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import client
from client import api, create_service, engineer_token, owner_token
from test_sched import DaemonCase, beat_at, fast_conf, once

ROUTE = "/api/services/integrations"
RECV = None


class Receiver:
    """Records every POST (path, headers, parsed body) and every
    connection; answers by the path's mode: "ok" 200, "error" 500,
    "hang" (holds the request until release(path))."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.connections = 0
        self.modes = {}
        self.gates = {}
        self.held = {}
        recv = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                with recv.lock:
                    recv.connections += 1
                super().setup()

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                with recv.lock:
                    recv.requests.append((self.path, dict(self.headers),
                                          body))
                    mode = recv.modes.get(self.path, "ok")
                    gate = recv.gates.setdefault(self.path,
                                                 threading.Event())
                if mode == "hang":
                    with recv.lock:
                        recv.held[self.path] = recv.held.get(self.path, 0) + 1
                    gate.wait(120)
                    with recv.lock:
                        recv.held[self.path] -= 1
                code = 500 if mode == "error" else 200
                try:
                    self.send_response(code)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()

    def path(self, mode="ok"):
        p = "/hook-%s" % secrets.token_hex(6)
        with self.lock:
            self.modes[p] = mode
        return p

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def set_mode(self, path, mode):
        with self.lock:
            self.modes[path] = mode

    def got(self, path, event=None):
        """[(headers, parsed body)] of the requests to path (only the
        integration-added notifications with event="integration_added")."""
        with self.lock:
            out = [(h, json.loads(b)) for p, h, b in self.requests
                   if p == path]
        if event is not None:
            out = [(h, b) for h, b in out if b.get("event") == event]
        return out

    def holding(self, path):
        with self.lock:
            return self.held.get(path, 0)

    def release(self, path):
        with self.lock:
            self.gates.setdefault(path, threading.Event()).set()

    def close(self):
        with self.lock:
            for g in self.gates.values():
                g.set()
        self.server.shutdown()
        self.server.server_close()


def setUpModule():
    global RECV
    hosts = client.conf_value("delivery", "http_hosts")
    # A misconfigured stack is a failure, never a skip.
    if "127.0.0.1" not in hosts.replace(",", " ").split():
        raise AssertionError("the stack's [delivery] http_hosts does not "
                             "name 127.0.0.1 (see dev.sh test)")
    RECV = Receiver()


def tearDownModule():
    if RECV is not None:
        RECV.close()


def add_integration(sid, type_, url, token=None):
    """Add an integration through the API; returns its id."""
    config = {"to": ["ops@example.com"]} if type_ == "Email" else \
        {"webhook_url": url}
    r = api("POST", ROUTE, {"service_id": sid, "type": type_,
                            "config": config},
            token=token or engineer_token())
    assert r.status == 201, r
    return int(client.sql("SELECT MAX(id) FROM integrations WHERE "
                          "service_id = %d" % sid))


def outbox(iid, event=None):
    """[(status, attempts, last_error, next_attempt_at epoch, sent?)] of
    an integration's outbox rows, by id."""
    where = "integration_id = %d" % iid
    if event:
        where += " AND event = '%s'" % event
    rows = client.sql("SELECT status, attempts, COALESCE(last_error, ''), "
                      "UNIX_TIMESTAMP(next_attempt_at), sent_at IS NOT NULL "
                      "FROM outbox WHERE %s ORDER BY id" % where)
    out = []
    for line in rows.splitlines():
        st, att, err, nxt, sent = line.split("\t")
        out.append((st, int(att), err, int(float(nxt)), sent == "1"))
    return out


ADDED = "integration_added"


def set_down(sid):
    r = api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
    assert r.status == 200, r


def now():
    return int(time.time())


class Delivery(DaemonCase):
    """Each test starts with nothing else due: rows left by other tests
    are parked, alerts already raised are marked queued."""

    def setUp(self):
        super().setUp()
        client.sql("UPDATE outbox SET status = 'failed', last_error = "
                   "'parked by test_delivery' WHERE status = 'pending'")
        client.sql("UPDATE alerts SET notified = 1 WHERE notified = 0")

    def conf(self, allow="127.0.0.0/8", **extra):
        """The stack's config with a 1 s tick, fast delivery settings and
        (unless allow is None) the receiver's network allowed."""
        d = {"delivery__timeout": 2, "delivery__connect_timeout": 1,
             "delivery__retry_base": 1, "delivery__max_attempts": 3}
        if allow is not None:
            d["delivery__allow_networks"] = allow
        d.update(extra)
        path = fast_conf(**d)
        self.files.append(path)
        return path

    def test_slack_body(self):
        sid = create_service()
        name = client.sql("SELECT name FROM services WHERE id = %d"
                          % sid).strip()
        path = RECV.path()
        iid = add_integration(sid, "Slack", RECV.url(path))
        set_down(sid)
        once(now(), conf=self.conf())
        got = RECV.got(path)
        for headers, body in got:
            # Exactly {"text": ...}: Slack takes nothing else.
            self.assertEqual(list(body), ["text"])
            self.assertIsInstance(body["text"], str)
            self.assertEqual(headers.get("Content-Type"), "application/json")
            self.assertTrue(headers.get("User-Agent", "").startswith(
                "resilops"))
        texts = [b["text"] for _, b in got]
        self.assertIn("[Critical] Service %s status is Down" % name, texts)
        self.assertTrue(any(t.startswith("Integration Slack added to service "
                                         "%s by " % name) for t in texts),
                        texts)
        rows = outbox(iid)
        self.assertEqual(len(rows), len(got))
        for st, att, err, _, sent in rows:
            self.assertEqual((st, att, err, sent), ("sent", 1, "", True))

    def test_webhook_body_is_the_alert(self):
        sid = create_service()
        path = RECV.path()
        iid = add_integration(sid, "Webhook", RECV.url(path))
        set_down(sid)
        once(now(), conf=self.conf())
        alerts = [b for _, b in RECV.got(path) if "alert_id" in b]
        self.assertEqual(len(alerts), 1, RECV.got(path))
        row = client.sql(
            "SELECT a.id, a.service_id, s.name, a.type, a.severity, "
            "a.message, DATE_FORMAT(a.created_at, '%%Y-%%m-%%dT%%H:%%i:%%sZ') "
            "FROM alerts a JOIN services s ON s.id = a.service_id "
            "WHERE a.service_id = %d AND a.type = 'StatusChange'"
            % sid).strip().split("\t")
        self.assertEqual(alerts[0], {
            "alert_id": int(row[0]), "service_id": int(row[1]),
            "service_name": row[2], "type": row[3], "severity": row[4],
            "message": row[5], "created_at": row[6]})
        self.assertEqual(alerts[0]["severity"], "Critical")
        headers = [h for h, b in RECV.got(path) if "alert_id" in b][0]
        self.assertEqual(headers.get("Content-Type"), "application/json")
        self.assertEqual(outbox(iid, "alert")[0][:2], ("sent", 1))

    def test_integration_added_delivered(self):
        sid = create_service()
        path = RECV.path()
        iid = add_integration(sid, "Webhook", RECV.url(path))
        self.assertEqual(outbox(iid)[0][:2], ("pending", 0))
        once(now(), conf=self.conf())
        got = [b for _, b in RECV.got(path, ADDED)]
        self.assertEqual(len(got), 1)
        body = got[0]
        self.assertEqual(body["event"], "integration_added")
        self.assertEqual(body["integration_id"], iid)
        self.assertEqual(body["service_id"], sid)
        self.assertEqual(body["type"], "Webhook")
        self.assertTrue(body["message"].startswith(
            "Integration Webhook added to service "))
        # The receiver's own URL goes out redacted: no path in it.
        self.assertEqual(body["config"]["webhook_url"],
                         "http://127.0.0.1:%d/***" % RECV.port)
        self.assertNotIn(path, json.dumps(body))
        rows = outbox(iid, ADDED)
        self.assertEqual(len(rows), 1)
        st, att, err, _, sent = rows[0]
        self.assertEqual((st, att, err, sent), ("sent", 1, "", True))
        # Delivered once: a second run sends nothing more.
        once(now(), conf=self.conf())
        self.assertEqual(len(RECV.got(path, ADDED)), 1)

    def test_retry_after_500(self):
        sid = create_service()
        path = RECV.path("error")
        iid = add_integration(sid, "Webhook", RECV.url(path))
        t = now()
        conf = self.conf()
        once(t, conf=conf)
        st, att, err, nxt, sent = outbox(iid, ADDED)[0]
        self.assertEqual((st, att, err, sent), ("pending", 1, "HTTP 500",
                                                False))
        self.assertEqual(nxt, t + 1)        # retry_base * 2^0
        RECV.set_mode(path, "ok")
        # Not due yet at the same instant: nothing is sent.
        once(t, conf=conf)
        self.assertEqual(len(RECV.got(path, ADDED)), 1)
        once(t + 1, conf=conf)
        self.assertEqual(len(RECV.got(path, ADDED)), 2)
        st, att, err, _, sent = outbox(iid, ADDED)[0]
        self.assertEqual((st, att, err, sent), ("sent", 2, "", True))

    def test_given_up_after_max_attempts(self):
        sid = create_service()
        path = RECV.path("error")
        iid = add_integration(sid, "Webhook", RECV.url(path))
        t = now()
        conf = self.conf()
        once(t, conf=conf)
        self.assertEqual(outbox(iid, ADDED)[0][:2], ("pending", 1))
        self.assertEqual(outbox(iid, ADDED)[0][3], t + 1)
        once(t + 1, conf=conf)
        # The backoff doubles: 1 s, then 2 s.
        self.assertEqual(outbox(iid, ADDED)[0][:2], ("pending", 2))
        self.assertEqual(outbox(iid, ADDED)[0][3], t + 1 + 2)
        once(t + 3, conf=conf)
        st, att, err, _, sent = outbox(iid, ADDED)[0]
        self.assertEqual((st, att, err, sent), ("failed", 3, "HTTP 500", False))
        once(t + 3600, conf=conf)
        self.assertEqual(len(RECV.got(path, ADDED)), 3)
        self.assertEqual(outbox(iid, ADDED)[0][:2], ("failed", 3))

    def test_hanging_receiver_holds_up_no_job(self):
        # A delivery may take 60 s here; the jobs tick every second.
        conf = self.conf(delivery__timeout=60)
        sid = create_service()
        path = RECV.path("hang")
        iid = add_integration(sid, "Webhook", RECV.url(path))
        p, _ = self.start(conf)
        client.wait_until(lambda: RECV.holding(path), 20,
                          what="the delivery to reach the hanging receiver")
        # A service whose last heartbeat is 700 s old: Down next tick.
        other = create_service()
        beat_at(other, time.strftime("%Y-%m-%d %H:%M:%S",
                                     time.gmtime(time.time() - 700)))
        started = time.monotonic()
        client.wait_until(
            lambda: client.sql("SELECT status FROM service_status WHERE "
                               "service_id = %d" % other).strip() == "Down",
            15, what="the stale service to go Down")
        self.assertLess(time.monotonic() - started, 5)
        # ... while the delivery is still stuck.
        self.assertGreaterEqual(RECV.holding(path), 1)
        self.assertEqual(outbox(iid, ADDED)[0][:2], ("pending", 0))
        RECV.release(path)
        client.wait_until(lambda: outbox(iid, ADDED)[0][0] == "sent", 15,
                          what="the delivery to finish")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=15), 0)

    def test_stop_abandons_a_stuck_delivery(self):
        conf = self.conf(delivery__timeout=60)
        sid = create_service()
        path = RECV.path("hang")
        iid = add_integration(sid, "Webhook", RECV.url(path))
        due = outbox(iid, ADDED)[0][3]
        p, _ = self.start(conf)
        client.wait_until(lambda: RECV.holding(path), 20,
                          what="the delivery to reach the hanging receiver")
        started = time.monotonic()
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=15), 0)
        self.assertLess(time.monotonic() - started, 5)
        # Not an attempt: due again as it was, for the next leader.
        self.assertEqual(outbox(iid, ADDED)[0][:4], ("pending", 0, "", due))
        RECV.release(path)

    def test_private_address_refused(self):
        sid = create_service()
        # Private even where loopback is allowed.
        iid = add_integration(sid, "Webhook", "https://10.1.2.3/hook")
        once(now(), conf=self.conf())
        self.assertEqual(outbox(iid, ADDED)[0][:3], ("failed", 1,
                                                     "address not allowed"))

    def test_loopback_refused_without_allow_networks(self):
        sid = create_service()
        path = RECV.path()
        port = RECV.port
        urls = [RECV.url(path),
                "https://127.1:%d%s" % (port, path),
                "https://2130706433:%d%s" % (port, path),
                "https://0x7f000001:%d%s" % (port, path),
                "https://[::ffff:127.0.0.1]:%d%s" % (port, path),
                "https://[::1]:%d%s" % (port, path),
                "https://0.0.0.0:%d%s" % (port, path)]
        ids = [add_integration(sid, "Webhook", u) for u in urls]
        conns = RECV.connections
        # The stack's own config: http to 127.0.0.1, no private network.
        once(now(), conf=self.conf(allow=None))
        for iid, url in zip(ids, urls):
            for row in outbox(iid):
                self.assertEqual(row[:3], ("failed", 1,
                                           "address not allowed"), url)
        self.assertEqual(RECV.got(path), [])
        self.assertEqual(RECV.connections, conns)

    def test_email_is_skipped(self):
        sid = create_service()
        iid = add_integration(sid, "Email", None)
        once(now(), conf=self.conf())
        self.assertEqual(outbox(iid),
                         [("skipped", 0, "no delivery for type Email",
                           outbox(iid)[0][3], False)])

    def test_http_only_to_listed_hosts(self):
        sid = create_service()
        r = api("POST", ROUTE, {"service_id": sid, "type": "Webhook",
                                "config": {"webhook_url":
                                           "http://127.0.0.2:%d/x" % RECV.port}},
                token=engineer_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "webhook_url must be an https URL"}))
        add_integration(sid, "Slack", RECV.url("/listed"))


if __name__ == "__main__":
    unittest.main()
