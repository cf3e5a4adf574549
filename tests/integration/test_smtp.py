"""Email over SMTP (issue 11): resilops-admin smtp-test against the
small sink of tests/smtp_sink.py on loopback, started here: the
message byte for byte (headers, Q-encoded subject and display name,
quoted-printable body, CRLF, dot-stuffing undone by the sink), the
envelope, header and command injection refused before any connection,
the relay's refusals and a relay that is down reported plainly, and
TLS: STARTTLS required and verified against a CA file, AUTH inside it,
smtps.  Then the delivery runner's SMTP transport through resilops-sched
--once: Email integrations' rows (integration added, alerts) sent,
refused for good, retried.  The stack's own config has no [smtp] host;
each test writes a copy of it with one."""

import email
import email.policy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import client
from client import api, create_service, engineer_token
from test_delivery import outbox, set_down
from test_sched import DaemonCase, fast_conf, once

sys.path.insert(0, os.path.join(client.TOP, "tests"))
from smtp_sink import Sink  # noqa: E402

ADMIN = os.path.join(client.BUILD, "resilops-admin")
FROM = "status@example.com"
TMP = None
CERT = KEY = None


def setUpModule():
    global TMP, CERT, KEY
    TMP = tempfile.mkdtemp(prefix="smtp-test-")
    CERT = os.path.join(TMP, "relay.crt")
    KEY = os.path.join(TMP, "relay.key")
    # A self-signed certificate for the relay, as tests/stack.sh makes
    # MariaDB's: the CA file of the config is the certificate itself.
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", KEY, "-out", CERT, "-days", "2",
                    "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)


def tearDownModule():
    if TMP:
        shutil.rmtree(TMP, ignore_errors=True)


def conf_with(**smtp):
    """A copy of the stack's config with these [smtp] keys (mode 0600)."""
    with open(client.config_path()) as f:
        text = f.read()
    text += "\n[smtp]\n" + "".join("%s = %s\n" % kv for kv in smtp.items())
    fd, path = tempfile.mkstemp(suffix=".conf", dir=TMP)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def smtp_test(conf, *args):
    return subprocess.run([ADMIN, "-c", conf, "smtp-test"] + list(args),
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


class SinkCase(unittest.TestCase):
    """A fresh sink per test: what it holds is this test's alone."""

    sink_options = {}

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=TMP)
        self.sink = Sink(self.dir, **self.sink_options).start()

    def tearDown(self):
        self.sink.stop()

    def conf(self, **extra):
        keys = {"host": "127.0.0.1", "port": self.sink.port,
                "starttls": "false", "from": FROM}
        keys.update(extra)
        return conf_with(**keys)

    def only_message(self):
        msgs = self.sink.messages()
        self.assertEqual(len(msgs), 1, msgs)
        return msgs[0]


HEADER_RE = re.compile(
    rb"^Date: (?P<date>[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} "
    rb"\d\d:\d\d:\d\d \+0000)\r\nMessage-ID: <(?P<id>[A-Za-z0-9]{24})"
    rb"@example\.com>\r\n", re.M)


class Message(SinkCase):
    def test_message_byte_for_byte(self):
        r = smtp_test(self.conf(from_name="Statusseite Zürich"),
                      "--subject", "Störung: Zahlungen – ausgefallen",
                      "--body", "Grüße aus Zürich.\n.Punkt am Anfang\n.\n"
                      "Ende", "ops@example.org")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("sent to ops@example.org", r.stdout)
        self.assertIn("the relay answered: 250 2.0.0 Ok: queued as SINK0001",
                      r.stdout)
        env, msg = self.only_message()
        m = HEADER_RE.search(msg)
        self.assertIsNotNone(m, msg)
        when = time.mktime(time.strptime(m.group("date").decode(),
                                         "%a, %d %b %Y %H:%M:%S +0000"))
        self.assertLess(abs(when - time.mktime(time.gmtime())), 120)
        self.assertEqual(msg, (
            b"From: =?UTF-8?Q?Statusseite_Z=C3=BCrich?=\r\n"
            b" <status@example.com>\r\n"
            b"To: ops@example.org\r\n"
            b"Subject: =?UTF-8?Q?St=C3=B6rung=3A_Zahlungen_=E2=80=93_"
            b"ausgefallen?=\r\n" + m.group(0) +
            b"Auto-Submitted: auto-generated\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n"
            b"\r\n"
            # The lines that start with "." came through: curl stuffed
            # them and the sink took the stuffing off (RFC 5321 4.5.2).
            b"Gr=C3=BC=C3=9Fe aus Z=C3=BCrich.\r\n"
            b".Punkt am Anfang\r\n"
            b".\r\n"
            b"Ende\r\n"))
        # What a mail reader makes of it.
        parsed = email.message_from_bytes(msg, policy=email.policy.default)
        self.assertEqual(parsed["subject"], "Störung: Zahlungen – ausgefallen")
        self.assertEqual(parsed["from"].addresses[0].display_name,
                         "Statusseite Zürich")
        self.assertEqual(parsed.get_content().replace("\r\n", "\n"),
                         "Grüße aus Zürich.\n.Punkt am Anfang\n.\nEnde\n")
        self.assertEqual(env["mail_from"], FROM)
        self.assertEqual(env["rcpt_tos"], ["ops@example.org"])
        self.assertFalse(env["tls"])

    def test_default_message_is_7bit_ascii(self):
        r = smtp_test(self.conf(from_name="Acme \"Ops\""), "ops@example.org")
        self.assertEqual(r.returncode, 0, r.stderr)
        _, msg = self.only_message()
        head, body = msg.split(b"\r\n\r\n", 1)
        self.assertTrue(head.startswith(
            b'From: "Acme \\"Ops\\"" <status@example.com>\r\n'), head)
        self.assertIn(b"\r\nSubject: Test message from resilops\r\n", head)
        self.assertIn(b"\r\nContent-Transfer-Encoding: 7bit", head)
        self.assertIn(b"resilops-admin smtp-test", body)
        self.assertNotIn(b"\n", body.replace(b"\r\n", b""))
        self.assertTrue(body.endswith(b"\r\n"))

    def test_long_lines_within_76_and_decoded(self):
        body = "é" + "x" * 300 + " \nand a tab\t"
        r = smtp_test(self.conf(), "--body", body, "ops@example.org")
        self.assertEqual(r.returncode, 0, r.stderr)
        _, msg = self.only_message()
        for line in msg.split(b"\r\n\r\n", 1)[1].split(b"\r\n"):
            self.assertLessEqual(len(line), 76, line)
        parsed = email.message_from_bytes(msg, policy=email.policy.default)
        self.assertEqual(parsed.get_content().replace("\r\n", "\n"),
                         body + "\n")

    def test_envelope_and_commands(self):
        smtp_test(self.conf(), "ops@example.org")
        self.assertEqual([c.split(" SIZE=")[0] for c in self.sink.commands()
                          if not c.startswith(("EHLO", "HELO"))],
                         ["MAIL FROM:<status@example.com>",
                          "RCPT TO:<ops@example.org>", "DATA", "QUIT"])
        self.assertFalse([c for c in self.sink.commands() if "bare LF" in c])


class Injection(SinkCase):
    """Refused before any byte goes to the relay."""

    def assert_untouched(self):
        self.assertEqual(self.sink.messages(), [])
        self.assertEqual(self.sink.commands(), [])

    def test_subject_with_line_break_refused(self):
        for subject in ("Hi\r\nBcc: evil@example.net", "Hi\nBcc: x@y.example",
                        "Hi\rX: y"):
            r = smtp_test(self.conf(), "--subject", subject,
                          "ops@example.org")
            self.assertEqual(r.returncode, 1)
            self.assertIn("cannot build the message: subject has a control "
                          "character", r.stderr)
        self.assert_untouched()

    def test_recipient_with_line_break_refused(self):
        for to in ("ops@example.org\r\nRCPT TO:<evil@example.net>",
                   "ops@example.org>\r\nDATA", "ops@example.org\n",
                   "Ops <ops@example.org>", "ops@example.org, b@example.net"):
            r = smtp_test(self.conf(), to)
            self.assertEqual(r.returncode, 1, to)
            self.assertIn("not an address mail is sent to", r.stderr)
            # Never echoed back: it may hold the very line breaks.
            self.assertNotIn("evil", r.stderr)
        self.assert_untouched()

    def test_from_must_be_an_address(self):
        r = smtp_test(self.conf(**{"from": "Status <status@example.com>"}),
                      "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("[smtp] from must be an email address", r.stderr)
        self.assert_untouched()


class Refusals(SinkCase):
    def test_recipient_refused(self):
        r = smtp_test(self.conf(), "reject-me@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.strip(),
                         "resilops-admin: smtp-test: not sent: the relay "
                         "refused the recipient (RCPT TO): 550 5.1.1 "
                         "<reject-me@example.org>: Recipient address "
                         "rejected: User unknown")
        self.assertEqual(self.sink.messages(), [])

    def test_recipient_deferred(self):
        r = smtp_test(self.conf(), "defer@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("the relay refused the recipient (RCPT TO): 451 4.2.0",
                      r.stderr)

    def test_message_refused(self):
        r = smtp_test(self.conf(), "--subject", "REJECT-ME", "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("the relay refused the message: 554 5.7.1 Message "
                      "content rejected", r.stderr)
        self.assertEqual(self.sink.messages(), [])

    def test_relay_down(self):
        port = client.free_port()
        r = smtp_test(self.conf(port=port), "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not sent: Failed to connect to 127.0.0.1 port %d"
                      % port, r.stderr)
        self.assertIn("(plain SMTP at 127.0.0.1, port %d, during the "
                      "connection)" % port, r.stderr)

    def test_starttls_required_by_default(self):
        # The default starttls = true: a relay without it gets nothing.
        r = smtp_test(self.conf(starttls="true"), "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not sent: relay does not offer STARTTLS", r.stderr)
        self.assertNotIn("MAIL FROM:<status@example.com>",
                         "\n".join(self.sink.commands()))

    def test_no_host_configured(self):
        r = smtp_test(client.config_path(), "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("[smtp] host is not set", r.stderr)

    def test_plain_only_to_loopback(self):
        r = smtp_test(conf_with(host="smtp.example.com", starttls="false",
                                **{"from": FROM}), "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("[smtp] starttls = false sends mail and password in "
                      "clear", r.stderr)

    def test_usage(self):
        r = smtp_test(self.conf())
        self.assertEqual(r.returncode, 2)
        r = smtp_test(self.conf(), "--subject")
        self.assertEqual(r.returncode, 2)


class Tls(SinkCase):
    sink_options = {}

    def setUp(self):
        self.sink_options = {"tls_cert": CERT, "tls_key": KEY,
                             "require_tls": True, "auth": "bob:s3cret"}
        super().setUp()

    def tls_conf(self, **extra):
        keys = {"starttls": "true", "ca_file": CERT, "user": "bob",
                "password": "s3cret"}
        keys.update(extra)
        return self.conf(**keys)

    def test_starttls_verified_and_auth(self):
        r = smtp_test(self.tls_conf(), "ops@example.org")
        self.assertEqual(r.returncode, 0, r.stderr)
        env, _ = self.only_message()
        self.assertEqual((env["tls"], env["auth_user"]), (True, "bob"))
        verbs = [c.split()[0].split(":")[0] for c in self.sink.commands()]
        # Nothing but EHLO before STARTTLS; the login only inside TLS.
        self.assertEqual(verbs[:2], ["EHLO", "STARTTLS"])
        self.assertLess(verbs.index("STARTTLS"), verbs.index("AUTH"))
        self.assertLess(verbs.index("AUTH"), verbs.index("MAIL"))

    def test_certificate_not_trusted(self):
        r = smtp_test(self.tls_conf(ca_file=""), "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not sent: SSL certificate problem: self-signed "
                      "certificate", r.stderr)
        self.assertNotIn("AUTH ***", self.sink.commands())
        self.assertEqual(self.sink.messages(), [])

    def test_wrong_password(self):
        r = smtp_test(self.tls_conf(password="wrong"), "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("the relay refused the login (AUTH): 535 5.7.8",
                      r.stderr)

    def test_no_login_refused_by_relay(self):
        r = smtp_test(self.tls_conf(user="", password=""), "ops@example.org")
        self.assertEqual(r.returncode, 1)
        self.assertIn("the relay refused the sender (MAIL FROM): 530 5.7.0 "
                      "Authentication required", r.stderr)


class Smtps(SinkCase):
    def setUp(self):
        self.sink_options = {"tls_cert": CERT, "tls_key": KEY, "smtps": True}
        super().setUp()

    def test_tls_from_the_first_byte(self):
        r = smtp_test(self.conf(starttls="true", smtps="true", ca_file=CERT),
                      "ops@example.org")
        self.assertEqual(r.returncode, 0, r.stderr)
        env, _ = self.only_message()
        self.assertTrue(env["tls"])
        self.assertNotIn("STARTTLS", self.sink.commands())


def add_email_integration(sid, to):
    r = api("POST", "/api/services/integrations",
            {"service_id": sid, "type": "Email", "config": {"to": to}},
            token=engineer_token())
    assert r.status == 201, r
    return int(client.sql("SELECT MAX(id) FROM integrations WHERE "
                          "service_id = %d" % sid))


def service_name(sid):
    return client.sql("SELECT name FROM services WHERE id = %d"
                      % sid).strip()


ADDED = "Subject: Integration Email added"


class EmailRows(DaemonCase):
    """Email integrations' outbox rows through the runner's SMTP
    transport.  Each test starts with nothing else due."""

    def setUp(self):
        super().setUp()
        client.sql("UPDATE outbox SET status = 'failed', last_error = "
                   "'parked by test_smtp' WHERE status = 'pending'")
        client.sql("UPDATE alerts SET notified = 1 WHERE notified = 0")
        self.dir = tempfile.mkdtemp(dir=TMP)
        self.sink = Sink(self.dir).start()

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def conf(self, **extra):
        keys = {"smtp__host": "127.0.0.1", "smtp__port": self.sink.port,
                "smtp__starttls": "false", "smtp__from": FROM,
                "delivery__retry_base": 1, "delivery__max_attempts": 3}
        keys.update(extra)
        path = fast_conf(**keys)
        self.files.append(path)
        return path

    def run_once(self, **extra):
        """resilops-sched --once now (every row made so far is due)."""
        self.now = int(time.time())
        once(self.now, conf=self.conf(**extra))

    def messages(self, subject_part=""):
        return [(e, m) for e, m in self.sink.messages()
                if subject_part.encode() in m.split(b"\r\n\r\n")[0]]

    def only_message(self, subject_part=""):
        msgs = self.messages(subject_part)
        self.assertEqual(len(msgs), 1, [re.findall(rb"Subject: [^\r]*", m)
                                        for _, m in self.sink.messages()])
        return msgs[0]

    def test_integration_added_by_email(self):
        sid = create_service()
        name = service_name(sid)
        iid = add_email_integration(sid, ["ops@example.org",
                                          "team@example.net"])
        self.run_once()
        self.assertEqual(outbox(iid, "integration_added")[0][:3],
                         ("sent", 1, ""))
        env, msg = self.only_message(ADDED)
        self.assertEqual(env["rcpt_tos"], ["ops@example.org",
                                           "team@example.net"])
        head, body = msg.split(b"\r\n\r\n", 1)
        self.assertIn(b"\r\nTo: ops@example.org,\r\n team@example.net\r\n",
                      head)
        self.assertIn(("\r\nSubject: Integration Email added to service %s "
                       "by " % name).encode(), head)
        self.assertIn(("\r\nDate: %s\r\n" % time.strftime(
            "%a, %d %b %Y %H:%M:%S +0000", time.gmtime(self.now))).encode(),
            head)
        # The display name is [pages] title when from_name is empty.
        self.assertTrue(head.startswith(('From: "%s" <status@example.com>'
                                         "\r\n" % client.conf_value(
                                             "pages", "title")).encode()),
                        head)
        self.assertNotIn(b"List-Unsubscribe", head)
        self.assertIn(("Service: %s\r\n" % name).encode(), body)
        self.assertIn(b"Type: Email\r\n", body)
        self.assertIn(("Sent by resilops for integration %d.\r\n"
                       % iid).encode(), body)
        # Delivered once: a second run sends nothing more.
        self.run_once()
        self.assertEqual(len(self.messages(ADDED)), 1)

    def test_alert_by_email(self):
        sid = create_service()
        name = service_name(sid)
        iid = add_email_integration(sid, ["ops@example.org"])
        set_down(sid)
        self.run_once()
        subject = "[Critical] Service %s status is Down" % name
        env, msg = self.only_message("Subject: " + subject)
        self.assertIn(b"Severity: Critical\r\n", msg)
        self.assertEqual([r[:2] for r in outbox(iid, "alert")], [("sent", 1)])

    def test_no_relay_no_alert_rows(self):
        sid = create_service()
        iid = add_email_integration(sid, ["ops@example.org"])
        set_down(sid)
        once(int(time.time()))      # the stack's config: no [smtp] host
        self.assertEqual([r[:3] for r in outbox(iid)],
                         [("skipped", 0, "no delivery for type Email")])
        self.assertEqual(self.sink.messages(), [])

    def test_refused_recipient_fails_the_row(self):
        iid = add_email_integration(create_service(), ["reject@example.org"])
        self.run_once()
        self.assertEqual(outbox(iid)[0][:3],
                         ("failed", 1, "SMTP 550 after RCPT"))
        self.assertEqual(self.sink.messages(), [])

    def test_deferred_recipient_retried(self):
        iid = add_email_integration(create_service(), ["defer@example.org"])
        conf = self.conf()
        self.now = int(time.time())
        once(self.now, conf=conf)
        st, att, err, nxt, sent = outbox(iid)[0]
        self.assertEqual((st, att, err, nxt, sent),
                         ("pending", 1, "SMTP 451 after RCPT", self.now + 1,
                          False))
        once(self.now + 1, conf=conf)
        self.assertEqual(outbox(iid)[0][:2], ("pending", 2))

    def test_one_bad_address_of_several(self):
        iid = add_email_integration(create_service(),
                                    ["reject@example.org", "ops@example.org"])
        self.run_once()
        self.assertEqual(outbox(iid, "integration_added")[0][:2], ("sent", 1))
        env, _ = self.only_message(ADDED)
        self.assertEqual(env["rcpt_tos"], ["ops@example.org"])

    def test_relay_down_retried(self):
        iid = add_email_integration(create_service(), ["ops@example.org"])
        self.run_once(smtp__port=client.free_port())
        self.assertEqual(outbox(iid)[0][:3],
                         ("pending", 1, "Couldn't connect to server"))

    def test_starttls_not_offered_retried(self):
        iid = add_email_integration(create_service(), ["ops@example.org"])
        self.run_once(smtp__starttls="true")
        self.assertEqual(outbox(iid)[0][:3],
                         ("pending", 1, "relay does not offer STARTTLS"))
        self.assertEqual(self.sink.messages(), [])

    def test_a_few_at_a_time(self):
        ids = [add_email_integration(create_service(),
                                     ["ops%d@example.org" % i])
               for i in range(5)]
        self.run_once(smtp__max_connections=2)
        for iid in ids:
            self.assertEqual(outbox(iid, "integration_added")[0][:2],
                             ("sent", 1))
        # Each also got its new service's "status is Unknown" alert.
        self.assertEqual(len(self.messages(ADDED)), 5)


if __name__ == "__main__":
    unittest.main()
