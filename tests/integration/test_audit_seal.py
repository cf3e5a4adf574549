"""The audit chain sealed after the fact (sql/015_audit_seal.sql): a
write inserts its entry unsealed and never waits on the chain head;
`resilops-admin audit seal` and resilops-sched (every tick) chain the
unsealed entries in id order, seq dense from 1; `audit verify` accepts
unsealed entries younger than [audit] unsealed_max_age and says STALE
past it; concurrent sealers never number one entry twice."""

import os
import subprocess
import threading
import unittest

import client
from client import api, owner_token

SCHED = os.path.join(client.BUILD, "resilops-sched")


def unsealed():
    return int(client.sql("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL"))


def chain_shape():
    """(entries, sealed, max seq, head last_id)."""
    return tuple(int(x) for x in client.sql(
        "SELECT COUNT(*), COUNT(seq), COALESCE(MAX(seq), 0), "
        "(SELECT last_id FROM audit_head WHERE id = 1) FROM audit_log").split())


def beat(sid):
    r = api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token(), timeout=15)
    return r.status


def head_held():
    """The chain head's lock held, as a sealer does, until close()."""
    return client.LockHeld("SELECT last_id FROM audit_head WHERE id = 1 "
                           "FOR UPDATE")


class Seal(unittest.TestCase):
    def test_writes_do_not_wait_for_the_chain_head(self):
        sid = client.create_service()
        before = unsealed()
        held = head_held()
        try:
            # Before 015 this write waited for the lock (and failed
            # after innodb_lock_wait_timeout, 50 s, past this timeout).
            for _ in range(3):
                self.assertEqual(beat(sid), 200)
            self.assertGreaterEqual(unsealed(), before + 3)
        finally:
            held.close()

    def test_seal_numbers_every_entry_once_in_id_order(self):
        sid = client.create_service()
        for _ in range(5):
            self.assertEqual(beat(sid), 200)
        ids = [int(x) for x in client.sql(
            "SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id").split()]
        self.assertGreaterEqual(len(ids), 5)
        out = client.audit_seal()
        self.assertIn("entries sealed; the chain ends at entry", out)
        self.assertEqual(unsealed(), 0)
        entries, sealed, top, head = chain_shape()
        self.assertEqual((sealed, top, head), (entries, entries, entries))
        seqs = [int(x) for x in client.sql(
            "SELECT seq FROM audit_log WHERE id IN (%s) ORDER BY id"
            % ",".join(map(str, ids))).split()]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(ids))))
        self.assertEqual(client.admin_cli("audit", "verify").returncode, 0)
        # Nothing left: a second seal seals nothing.
        self.assertIn("0 entries sealed", client.audit_seal())

    def test_daemon_seals_every_tick(self):
        sid = client.create_service()
        self.assertEqual(beat(sid), 200)
        self.assertGreater(unsealed(), 0)
        client.sql("UPDATE sched_lease SET holder = '', "
                   "expires_at = '1970-01-01 00:00:01' WHERE id = 1")
        r = subprocess.run([SCHED, "-c", client.config_path(), "--once"],
                           capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("job audit-seal", r.stderr)
        self.assertEqual(unsealed(), 0)
        entries, sealed, top, head = chain_shape()
        self.assertEqual((sealed, top, head), (entries, entries, entries))

    def test_verify_says_stale_past_the_bound(self):
        sid = client.create_service()
        self.assertEqual(beat(sid), 200)
        client.sql("UPDATE audit_log SET created_at = UTC_TIMESTAMP() - "
                   "INTERVAL 1 HOUR WHERE seq IS NULL")
        bad = client.admin_cli("audit", "verify", check=False)
        self.assertEqual(bad.returncode, 1, bad.stdout)
        self.assertIn("audit chain STALE", bad.stdout)
        self.assertIn("is resilops-sched running?", bad.stdout)
        client.audit_seal()
        ok = client.admin_cli("audit", "verify")
        self.assertIn("audit chain OK", ok.stdout)
        # Young unsealed entries are said, not held against the chain.
        self.assertEqual(beat(sid), 200)
        ok = client.admin_cli("audit", "verify")
        self.assertIn("audit chain OK", ok.stdout)
        self.assertIn("not sealed yet", ok.stdout)

    def test_concurrent_sealers_and_writers(self):
        sid = client.create_service()
        errors = []

        def writer():
            for _ in range(15):
                if beat(sid) != 200:
                    errors.append("write")

        def sealer():
            for _ in range(4):
                r = client.admin_cli("audit", "seal", check=False)
                if r.returncode != 0:
                    errors.append(r.stderr)

        threads = [threading.Thread(target=writer) for _ in range(4)] + \
            [threading.Thread(target=sealer) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        client.audit_seal()
        entries, sealed, top, head = chain_shape()
        self.assertEqual((sealed, top, head), (entries, entries, entries))
        dup = client.sql("SELECT seq FROM audit_log GROUP BY seq "
                         "HAVING COUNT(*) > 1")
        self.assertEqual(dup.strip(), "")
        self.assertEqual(client.admin_cli("audit", "verify").returncode, 0)


if __name__ == "__main__":
    unittest.main()
