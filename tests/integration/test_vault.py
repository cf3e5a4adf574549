"""The tokenization vault (CONTRACT 6 and 9, issue 9) through nginx:
round trip, data types and the card preview, TTL, the contract's
messages for malformed and unknown tokens, every detokenize audited
(failures too); sealed values that were tampered with (ciphertext, tag,
additional data: another row's value, another data type, another key
version) refused; and key rotation: a new data key added to the ring,
`resilops-admin keys rotate` run under concurrent detokenize load keeps
every token and integration secret readable, and after the old key is
retired every one still opens (the daemon delivers an integration
added before the rotation).

This module changes the stack's data keys (and restarts the FastCGI
pool and the daemon); it leaves a consistent ring behind."""

import base64
import os
import re
import secrets
import subprocess
import threading
import time
import unittest

import client
from client import api, create_service

TOKENIZE = "/api/v1/security/encryption/tokenize"
DETOKENIZE = "/api/v1/security/encryption/detokenize"
TOKEN_RE = re.compile(r"^tok_[0-9A-Za-z]{32}$")


def tokenize(data, token=None, **more):
    body = dict(more, sensitive_data=data)
    r = api("POST", TOKENIZE, body, token=token or client.admin_token())
    assert r.status == 200, r
    return r.json


def detokenize(tok, token=None):
    return api("POST", DETOKENIZE, {"token": tok},
               token=token or client.admin_token())


def newest_vault_id():
    return int(client.sql("SELECT MAX(id) FROM vault_tokens"))


def detokenize_entries(after_id):
    """[(status, entity_id)] of the Data Detokenized entries after id."""
    out = client.sql("SELECT status, COALESCE(entity_id, 0) FROM audit_log "
                     "WHERE action = 'Data Detokenized' AND id > %d ORDER BY "
                     "id" % after_id)
    return [tuple(int(x) for x in line.split("\t"))
            for line in out.splitlines()]


def last_audit_id():
    return int(client.sql("SELECT COALESCE(MAX(id), 0) FROM audit_log"))


class RoundTrip(unittest.TestCase):
    def test_round_trip_and_shape(self):
        data = "patient 4711: " + secrets.token_hex(8) + " \u00e9\u2603"
        t = tokenize(data, data_type="medical_record")
        self.assertRegex(t["token"], TOKEN_RE)
        self.assertEqual((t["data_type"], t["preview"], t["expires_at"]),
                         ("medical_record", None, None))
        r = detokenize(t["token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["token"], r.json["sensitive_data"],
                          r.json["data_type"], r.json["access_logged"]),
                         (t["token"], data, "medical_record", True))
        # Stored: neither the value nor the token.
        dump = client.sql("SELECT data_type, sealed, COALESCE(preview, ''), "
                          "HEX(token_hash) FROM vault_tokens WHERE id = %d"
                          % newest_vault_id())
        self.assertNotIn(data[:20], dump)
        self.assertNotIn(t["token"], dump)
        self.assertNotIn(t["token"].encode().hex().upper(), dump)

    def test_same_value_twice_gives_two_tokens(self):
        a, b = tokenize("same"), tokenize("same")
        self.assertNotEqual(a["token"], b["token"])
        sealed = client.sql("SELECT sealed FROM vault_tokens ORDER BY id DESC "
                            "LIMIT 2").split()
        self.assertNotEqual(sealed[0], sealed[1])

    def test_card_preview_and_default_type(self):
        t = tokenize("4111-1111-1111-1234", data_type="card_number")
        self.assertEqual(t["preview"], "1234")
        self.assertEqual(tokenize("4111111111111234")["data_type"], "generic")
        self.assertIsNone(tokenize("4111111111111234")["preview"])
        self.assertIsNone(tokenize("not a card", data_type="card_number")
                          ["preview"])

    def test_ttl(self):
        t = tokenize("short lived", ttl_seconds=60)
        self.assertTrue(t["expires_at"])
        self.assertEqual(detokenize(t["token"]).status, 200)
        client.sql("UPDATE vault_tokens SET expires_at = NOW() - INTERVAL 1 "
                   "SECOND WHERE id = %d" % newest_vault_id())
        r = detokenize(t["token"])
        self.assertEqual((r.status, r.json["error"]), (404, "Token not found"))

    def test_validation(self):
        tok = client.admin_token()
        count = client.sql("SELECT COUNT(*) FROM vault_tokens")
        for body, msg in (({}, "sensitive_data is required"),
                          ({"sensitive_data": ""}, "sensitive_data"),
                          ({"sensitive_data": "x" * 4097}, "sensitive_data"),
                          ({"sensitive_data": 5}, "sensitive_data"),
                          ({"sensitive_data": "x", "data_type": "Card"},
                           "data_type"),
                          ({"sensitive_data": "x", "data_type": "a b"},
                           "data_type"),
                          ({"sensitive_data": "x", "ttl_seconds": 59},
                           "ttl_seconds"),
                          ({"sensitive_data": "x", "ttl_seconds": "1h"},
                           "ttl_seconds")):
            r = api("POST", TOKENIZE, body, token=tok)
            self.assertEqual(r.status, 400, (body, r))
            self.assertIn(msg, r.json["error"], body)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM vault_tokens"),
                         count)

    def test_malformed_and_unknown_tokens_audited(self):
        before = last_audit_id()
        cases = [({"token": "tok_short"}, 400, "Invalid token format"),
                 ({"token": "rk_" + "a" * 32}, 400, "Invalid token format"),
                 ({"token": "tok_" + "a" * 31 + "!"}, 400,
                  "Invalid token format"),
                 ({}, 400, "token is required"),
                 ({"token": "tok_" + "Z" * 32}, 404, "Token not found")]
        for body, status, msg in cases:
            r = api("POST", DETOKENIZE, body, token=client.admin_token())
            self.assertEqual((r.status, r.json["error"]), (status, msg), body)
        t = tokenize("audited")
        self.assertEqual(detokenize(t["token"]).status, 200)
        got = detokenize_entries(before)
        self.assertEqual(len(got), len(cases) + 1)
        self.assertEqual(got, [(st, 0) for _, st, _ in cases]
                         + [(200, newest_vault_id())])
        logs = api("GET", "/api/v1/security/audit-logs?action=detokenized"
                   "&per_page=%d" % (len(cases) + 1),
                   token=client.token_for("Auditor")).json["audit_logs"]
        self.assertEqual([e["response_status"] for e in reversed(logs)],
                         [400, 400, 400, 400, 404, 200])


def flip(sealed, where):
    """The sealed text with one byte of its payload changed: where is
    "iv", "ciphertext" or "tag" (v<ver>:<base64 of iv||ct||tag>)."""
    ver, b64 = sealed.split(":", 1)
    raw = bytearray(base64.b64decode(b64))
    at = {"iv": 0, "ciphertext": 12, "tag": len(raw) - 1}[where]
    raw[at] ^= 0x01
    return ver + ":" + base64.b64encode(bytes(raw)).decode()


class Tamper(unittest.TestCase):
    """Each case changes one stored row and puts it back afterwards."""

    def row(self, vid):
        out = client.sql("SELECT sealed, data_type, key_version FROM "
                         "vault_tokens WHERE id = %d" % vid).rstrip("\n")
        sealed, dtype, ver = out.split("\t")
        self.addCleanup(client.sql, "UPDATE vault_tokens SET sealed = '%s', "
                        "data_type = '%s', key_version = %s WHERE id = %d"
                        % (sealed, dtype, ver, vid))
        return sealed, dtype

    def refused(self, tok, vid):
        before = last_audit_id()
        r = detokenize(tok)
        self.assertEqual((r.status, r.json["error"]),
                         (500, "Internal server error"))
        self.assertNotIn("sensitive_data", r.json)
        self.assertEqual(detokenize_entries(before), [(500, vid)])

    def test_flipped_bytes(self):
        for part in ("iv", "ciphertext", "tag"):
            t = tokenize("tamper " + part)
            vid = newest_vault_id()
            sealed, _ = self.row(vid)
            client.sql("UPDATE vault_tokens SET sealed = '%s' WHERE id = %d"
                       % (flip(sealed, part), vid))
            self.refused(t["token"], vid)

    def test_truncated_tag(self):
        t = tokenize("truncated")
        vid = newest_vault_id()
        sealed, _ = self.row(vid)
        ver, b64 = sealed.split(":", 1)
        short = base64.b64encode(base64.b64decode(b64)[:-4]).decode()
        client.sql("UPDATE vault_tokens SET sealed = '%s:%s' WHERE id = %d"
                   % (ver, short, vid))
        self.refused(t["token"], vid)

    def test_other_rows_value(self):
        a = tokenize("value of a")
        aid = newest_vault_id()
        b = tokenize("value of b")
        bid = newest_vault_id()
        sealed_a, _ = self.row(aid)
        self.row(bid)
        # a's sealed value is sound, but bound to a's row (the AAD).
        client.sql("UPDATE vault_tokens SET sealed = '%s' WHERE id = %d"
                   % (sealed_a, bid))
        self.refused(b["token"], bid)
        self.assertEqual(detokenize(a["token"]).json["sensitive_data"],
                         "value of a")

    def test_other_data_type(self):
        t = tokenize("4111111111111111", data_type="card_number")
        vid = newest_vault_id()
        self.row(vid)
        client.sql("UPDATE vault_tokens SET data_type = 'generic' WHERE "
                   "id = %d" % vid)
        self.refused(t["token"], vid)

    def test_unknown_key_version(self):
        t = tokenize("versioned")
        vid = newest_vault_id()
        sealed, _ = self.row(vid)
        client.sql("UPDATE vault_tokens SET sealed = '%s' WHERE id = %d"
                   % ("v999:" + sealed.split(":", 1)[1], vid))
        self.refused(t["token"], vid)

    def test_restored_row_opens_again(self):
        t = tokenize("restored")
        vid = newest_vault_id()
        sealed, _ = self.row(vid)
        client.sql("UPDATE vault_tokens SET sealed = '%s' WHERE id = %d"
                   % (flip(sealed, "tag"), vid))
        self.refused(t["token"], vid)
        client.sql("UPDATE vault_tokens SET sealed = '%s' WHERE id = %d"
                   % (sealed, vid))
        self.assertEqual(detokenize(t["token"]).json["sensitive_data"],
                         "restored")


# ------------------------------------------------------------- rotation

def read_secrets():
    """{key: value} of the stack config's [secrets] section."""
    out, section = {}, None
    with open(client.config_path()) as f:
        for line in f:
            s = line.strip()
            if s.startswith("["):
                section = s.strip("[]")
            elif section == "secrets" and "=" in s and not s.startswith(";"):
                k, v = s.split("=", 1)
                out[k.strip()] = v.strip()
    return out


def write_secrets(**values):
    """Set keys of [secrets] in the stack's config (replaced in place or
    added under the section's header), atomically, mode kept."""
    path = client.config_path()
    with open(path) as f:
        lines = f.read().split("\n")
    section, done, header = None, set(), None
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("["):
            section = s.strip("[]")
            if section == "secrets":
                header = i
        elif section == "secrets" and "=" in s and not s.startswith(";"):
            k = s.split("=", 1)[0].strip()
            if k in values:
                lines[i] = "%s = %s" % (k, values[k])
                done.add(k)
    for k in values:
        if k not in done:
            lines.insert(header + 1, "%s = %s" % (k, values[k]))
    tmp = path + ".new"
    with open(tmp, "w") as f:
        f.write("\n".join(lines))
    os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    os.rename(tmp, path)


def ring_versions(sec):
    vs = [int(sec.get("data_key_version", "1"))]
    for item in sec.get("data_keys", "").replace(",", " ").split():
        vs.append(int(item.split(":", 1)[0]))
    return vs


class Load:
    """Threads that detokenize the given tokens round-robin until
    stopped, recording every answer that is not the right value."""

    def __init__(self, tokens, threads=4):
        self.tokens = list(tokens.items())
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.ok = 0
        self.bad = []
        self.threads = [threading.Thread(target=self.run, args=(i,))
                        for i in range(threads)]

    def run(self, i):
        tok = client.admin_token()
        n = i
        while not self.stop.is_set():
            t, data = self.tokens[n % len(self.tokens)]
            n += len(self.threads)
            r = detokenize(t, token=tok)
            with self.lock:
                if r.status == 200 and r.json["sensitive_data"] == data:
                    self.ok += 1
                else:
                    self.bad.append((t, r.status, r.text[:100]))

    def count(self):
        with self.lock:
            return self.ok

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def make_tokens(n, threads=4):
    """n tokens of distinct values, made in parallel: {token: value}."""
    out, lock = {}, threading.Lock()

    def run(k):
        tok = client.admin_token()
        for i in range(k, n, threads):
            data = "rotate-%d-%s" % (i, secrets.token_hex(6))
            t = tokenize(data, token=tok,
                         data_type="card_number" if i % 3 == 0 else None)
            with lock:
                out[t["token"]] = data

    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


def rotate():
    r = client.admin_cli("keys", "rotate", check=False)
    return r.returncode, r.stdout + r.stderr


def counts(out, what):
    """(checked, re-sealed, current, changed, failed) from the report."""
    m = re.search(r"^%s: (\d+) checked: (\d+) re-sealed, (\d+) already under "
                  r"the newest key, (\d+) changed meanwhile \(run again\), "
                  r"(\d+) failed$" % what, out, re.M)
    assert m, out
    return tuple(int(x) for x in m.groups())


@client.only_in("single", why="adds and retires a data key in host 1's config and reloads host 1 only: every host must have the same keys")
class Rotation(unittest.TestCase):
    def test_rotate_under_load_then_retire_the_old_key(self):
        # Imported here: the receiver is test_delivery's.
        from test_delivery import Receiver
        from test_sched import fast_conf, release_lease
        recv = Receiver()
        self.addCleanup(recv.close)
        sec = read_secrets()
        old = max(ring_versions(sec))
        new = old + 1
        new_hex = secrets.token_hex(32)

        # Secrets under the old ring: tokens, and a webhook whose
        # integration-added notification waits in the outbox.
        tokens = make_tokens(600)
        client.sql("UPDATE outbox SET status = 'failed', last_error = "
                   "'parked by test_vault' WHERE status = 'pending'")
        path = recv.path()
        sid = create_service()
        r = api("POST", "/api/services/integrations", {
            "service_id": sid, "type": "Webhook",
            "config": {"webhook_url": recv.url(path), "token": "tk-" + path}},
            token=client.engineer_token())
        self.assertEqual(r.status, 201, r)
        iid = int(client.sql("SELECT MAX(id) FROM integrations WHERE "
                             "service_id = %d" % sid))
        stale = int(client.sql("SELECT COUNT(*) FROM vault_tokens WHERE "
                               "key_version <> %d" % new))
        self.assertGreaterEqual(stale, 600)

        # 1. Every host gets the new key; it seals from now on.
        items = sec.get("data_keys", "").strip().strip('"')
        write_secrets(data_keys=(items + " %d:%s" % (new, new_hex)).strip())
        client.stack("reload")
        fresh = tokenize("sealed under the new key")
        self.assertEqual(int(client.sql(
            "SELECT key_version FROM vault_tokens WHERE id = %d"
            % newest_vault_id())), new)
        tokens[fresh["token"]] = "sealed under the new key"

        # 2. Rotate while four clients detokenize.
        with Load(tokens) as load:
            client.wait_until(lambda: load.count() >= 20, what="load")
            during = load.count()
            rc, out = rotate()
            after = load.count()
            client.wait_until(lambda: load.count() >= after + 20,
                              what="load after the rotation")
        self.assertEqual(rc, 0, out)
        self.assertEqual(load.bad, [])
        self.assertGreater(after, during, "no request finished during the "
                           "rotation")
        checked, resealed, current, changed, failed = counts(out, "vault")
        self.assertGreaterEqual(resealed, stale)
        self.assertEqual((changed, failed), (0, 0))
        self.assertEqual(checked, resealed + current)
        icounts = counts(out, "integrations")
        self.assertEqual(icounts[3:], (0, 0))
        self.assertIn("re-sealing under key version %d" % new, out)
        self.assertEqual(int(client.sql("SELECT COUNT(*) FROM vault_tokens "
                                        "WHERE key_version <> %d" % new)), 0)
        cfg = client.sql("SELECT config FROM integrations WHERE id = %d"
                         % iid)
        self.assertEqual(set(re.findall(r'"v(\d+):', cfg)), {str(new)})
        # Again: nothing left to do.
        rc, out = rotate()
        self.assertEqual(rc, 0, out)
        self.assertEqual(counts(out, "vault")[1], 0)
        self.assertEqual(counts(out, "integrations")[1], 0)

        # 3. Retire the old key: the new one alone opens everything.
        write_secrets(data_key=new_hex, data_key_version=str(new),
                      data_keys="")
        client.stack("reload")
        with Load(tokens, threads=2) as load:
            client.wait_until(lambda: load.count() >= len(tokens),
                              timeout=120, what="every token detokenized")
        self.assertEqual(load.bad, [])
        release_lease()
        conf = fast_conf(delivery__allow_networks="127.0.0.0/8")
        self.addCleanup(os.unlink, conf)
        r = subprocess.run([os.path.join(client.BUILD, "resilops-sched"),
                            "-c", conf, "--once"], capture_output=True,
                           text=True, timeout=120, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = client.wait_until(lambda: recv.got(path, "integration_added"),
                                what="the delivery")
        self.assertEqual(got[0][1]["integration_id"], iid)


if __name__ == "__main__":
    unittest.main()
