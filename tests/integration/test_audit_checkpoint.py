"""Audit checkpoints: `resilops-admin audit checkpoint`, `audit verify
--checkpoint` and resilops-sched's audit-checkpoint job.  A checkpoint
keeps the chain head outside the database, so deleting the newest
entries and rewinding audit_head to the last one left (a chain that
verifies) is caught.  Every test that tampers with the chain puts it
back as it was."""

import calendar
import os
import re
import secrets
import shutil
import stat
import subprocess
import tempfile
import time
import unittest

import client
from client import signup

SCHED = os.path.join(client.BUILD, "resilops-sched")
LINE_RE = re.compile(
    r"^resilops-audit-checkpoint v1 seq=(0|[1-9][0-9]*) mac=([0-9a-f]{64}) "
    r"at=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) host=(\S+)$")


def head():
    """(last_id, mac in lower-case hex) of the audit_head row."""
    last_id, mac = client.sql("SELECT last_id, LOWER(HEX(last_mac)) FROM "
                              "audit_head WHERE id = 1").split()
    return int(last_id), mac


def mac_of(entry):
    return client.sql("SELECT LOWER(HEX(mac)) FROM audit_log WHERE seq = %d"
                      % entry).strip()


def lines_of(path):
    with open(path) as f:
        return f.read().splitlines()


def parse(line):
    """(seq, mac, at) of a checkpoint line; AssertionError if malformed."""
    m = LINE_RE.match(line)
    if m is None:
        raise AssertionError("not a checkpoint line: %r" % line)
    return int(m.group(1)), m.group(2), m.group(3)


def epoch(at):
    return calendar.timegm(time.strptime(at, "%Y-%m-%dT%H:%M:%SZ"))


def verify(*args):
    return client.admin_cli("audit", "verify", *args, check=False)


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


class TempDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="resilops-anchor-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.file = os.path.join(self.dir, "checkpoints")

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path


class Checkpoint(TempDir):
    def checkpoint(self):
        """Seal what was written, then take a checkpoint into self.file;
        (CompletedProcess, seq, mac, at) of the line it appended."""
        client.audit_seal()
        r = client.admin_cli("audit", "checkpoint", "--file", self.file)
        seq, mac, at = parse(lines_of(self.file)[-1])
        return r, seq, mac, at

    def test_checkpoint_appends_a_line_that_verify_accepts(self):
        signup()
        before = head()[0]
        r, seq, mac, at = self.checkpoint()
        # The head, or a later one if another client wrote meanwhile.
        self.assertGreaterEqual(seq, before)
        self.assertEqual(mac, mac_of(seq))
        self.assertLess(abs(epoch(at) - time.time()), 300)
        self.assertIn("audit checkpoint of entry %d appended to %s"
                      % (seq, self.file), r.stdout)
        self.assertIn(lines_of(self.file)[-1], r.stdout)
        self.assertEqual(stat.S_IMODE(os.stat(self.file).st_mode),
                         0o640 & ~current_umask())
        ok = verify("--checkpoint", self.file)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("audit chain OK", ok.stdout)
        self.assertIn("(entry %d, same mac)" % seq, ok.stdout)
        # A second one is appended; verify reads the last.
        signup()
        _, seq2, _, _ = self.checkpoint()
        self.assertGreater(seq2, seq)
        self.assertEqual(len(lines_of(self.file)), 2)
        ok = verify("--checkpoint", self.file)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("(entry %d, same mac)" % seq2, ok.stdout)

    def test_cut_tail_with_rewound_head_caught_only_by_checkpoint(self):
        signup()
        signup()
        _, seq, mac, at = self.checkpoint()
        keep = seq - 2
        saved = "audit_anchor_saved_%s" % secrets.token_hex(4)
        client.sql("CREATE TABLE %s LIKE audit_log" % saved)
        # Delete the newest entries and point the head at the last one
        # left, copying its id and mac: what remains is a good chain.
        client.sql(
            "START TRANSACTION; "
            "SELECT last_id FROM audit_head WHERE id = 1 FOR UPDATE; "
            "INSERT INTO {s} SELECT * FROM audit_log WHERE seq > {k}; "
            "DELETE FROM audit_log WHERE seq > {k}; "
            "UPDATE audit_head SET last_id = {k}, last_mac = "
            "(SELECT mac FROM audit_log WHERE seq = {k}) WHERE id = 1; "
            "COMMIT".format(s=saved, k=keep))
        try:
            plain = verify()
            self.assertEqual(plain.returncode, 0, plain.stdout)
            # It passes, but with fewer entries than the checkpoint names.
            self.assertIn("audit chain OK: %d entries" % keep, plain.stdout)
            bad = verify("--checkpoint", self.file)
            self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
            self.assertIn(
                "BROKEN at entry %d: the checkpoint of %s names entry %d "
                "with mac %s, but the chain ends at entry %d"
                % (seq, at, seq, mac, keep), bad.stdout)
        finally:
            # The table is dropped only once its rows are back.
            client.sql(
                "START TRANSACTION; "
                "SELECT last_id FROM audit_head WHERE id = 1 FOR UPDATE; "
                "INSERT INTO audit_log SELECT * FROM {s}; "
                "UPDATE audit_head SET "
                "last_id = (SELECT MAX(seq) FROM {s}), "
                "last_mac = (SELECT mac FROM {s} ORDER BY seq DESC LIMIT 1) "
                "WHERE id = 1; "
                "COMMIT; DROP TABLE {s}".format(s=saved))
        self.assertEqual(head()[0], int(client.sql(
            "SELECT MAX(seq) FROM audit_log")))
        ok = verify("--checkpoint", self.file)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)

    def test_other_mac_at_the_checkpoint_entry(self):
        signup()
        _, seq, mac, at = self.checkpoint()
        other = mac[:-1] + ("0" if mac[-1] != "0" else "1")
        # The chain holds another entry there (rewritten from that point).
        line = lines_of(self.file)[-1].replace(mac, other)
        forged = self.write("forged", line + "\n")
        bad = verify("--checkpoint", forged)
        self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
        self.assertIn(
            "BROKEN at entry %d: the checkpoint of %s names entry %d with "
            "mac %s, but the chain holds another mac there"
            % (seq, at, seq, other), bad.stdout)
        # The entry's mac edited in the database: broken at that entry.
        client.sql("UPDATE audit_log SET mac = UNHEX('%s') WHERE seq = %d"
                   % (other, seq))
        try:
            bad = verify("--checkpoint", self.file)
            self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
            self.assertIn("BROKEN at entry %d" % seq, bad.stdout)
        finally:
            client.sql("UPDATE audit_log SET mac = UNHEX('%s') WHERE seq = %d"
                       % (mac, seq))
        ok = verify("--checkpoint", self.file)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)

    def test_malformed_or_empty_checkpoint_file_refused(self):
        signup()
        _, seq, mac, at = self.checkpoint()
        good = lines_of(self.file)[-1]
        cases = [
            ("", "is empty"),
            ("not a checkpoint\n", "holds no checkpoint line"),
            (good.replace("mac=" + mac, "mac=" + mac[:-2]) + "\n",
             "line 1: not a valid checkpoint line"),
            (good.replace(" host=", " ") + "\n", "no valid checkpoint line"),
            (good.replace("v1", "v9") + "\n", "no valid checkpoint line"),
        ]
        for i, (text, why) in enumerate(cases):
            path = self.write("bad%d" % i, text)
            r = verify("--checkpoint", path)
            self.assertEqual(r.returncode, 1, (text, r.stdout, r.stderr))
            self.assertIn(why, r.stderr)
            self.assertNotIn("audit chain OK", r.stdout)
        r = verify("--checkpoint", os.path.join(self.dir, "missing"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("No such file", r.stderr)
        self.assertEqual(verify("--checkpoint").returncode, 2)
        # The last valid line counts; a malformed one after it is named.
        path = self.write("mixed", good + "\nresilops-audit-checkpoint v1 "
                          "seq=x\n")
        r = verify("--checkpoint", path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("(entry %d, same mac)" % seq, r.stdout)
        self.assertIn("line 2: not a valid checkpoint line", r.stderr)

    def test_checkpoint_never_through_a_symbolic_link(self):
        target = self.write("target", "kept\n")
        link = os.path.join(self.dir, "link")
        os.symlink(target, link)
        r = client.admin_cli("audit", "checkpoint", "--file", link,
                             check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("symbolic link", r.stderr)
        self.assertEqual(lines_of(target), ["kept"])

    def test_checkpoint_to_syslog_prints_the_line(self):
        before = head()[0]
        r = client.admin_cli("audit", "checkpoint")
        self.assertIn("sent to syslog", r.stdout)
        seq, mac, _ = parse(r.stdout.splitlines()[-1])
        self.assertGreaterEqual(seq, before)
        self.assertEqual(mac, mac_of(seq))


class SchedJob(TempDir):
    def conf(self, **audit):
        """A copy of the stack's config (mode 0600, as the programs
        demand) with an [audit] section."""
        with open(client.config_path()) as f:
            text = f.read()
        text += "\n[audit]\n" + "".join("%s = %s\n" % kv
                                        for kv in audit.items())
        fd, path = tempfile.mkstemp(suffix=".conf", dir=self.dir)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        return path

    def once(self, conf, *extra):
        # Like test_sched: the lease is taken over, whoever held it.
        client.sql("UPDATE sched_lease SET holder = '', "
                   "expires_at = '1970-01-01 00:00:01' WHERE id = 1")
        return subprocess.run([SCHED, "-c", conf, "--once"] + list(extra),
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    def test_once_appends_one_checkpoint_per_run(self):
        conf = self.conf(checkpoint_file=self.file)
        signup()
        before = head()[0]
        r = self.once(conf)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("held by", r.stdout)
        lines = lines_of(self.file)
        self.assertEqual(len(lines), 1)
        seq, mac, at = parse(lines[0])
        self.assertGreaterEqual(seq, before)
        self.assertEqual(mac, mac_of(seq))
        self.assertIn("audit checkpoint: entry %d written to %s"
                      % (seq, self.file), r.stderr)
        # An earlier --now neither stops the next one nor dates it.
        r = self.once(conf, "--now", "2001-01-01T00:00:00Z")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = lines_of(self.file)
        self.assertEqual(len(lines), 2)
        seq2, mac2, at2 = parse(lines[1])
        self.assertGreaterEqual(seq2, seq)
        self.assertLess(abs(epoch(at2) - time.time()), 300)
        ok = verify("--checkpoint", self.file)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)

    def test_checkpoint_keys_checked_at_start(self):
        r = self.once(self.conf(checkpoint_file="relative/checkpoints"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("[audit] checkpoint_file must be an absolute path",
                      r.stderr)
        r = self.once(self.conf(checkpoint_file=self.file,
                                checkpoint_interval=59))
        self.assertEqual(r.returncode, 1)
        self.assertIn("bad value for [audit] checkpoint_interval", r.stderr)
        self.assertFalse(os.path.exists(self.file))


if __name__ == "__main__":
    unittest.main()
