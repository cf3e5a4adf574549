"""The database volume full (hardening issue 14), with a precise claim.

A stack of the test's own, behind the same web server as the suite's
(tests/stack.sh with RESILOPS_DB_TMPFS): its MariaDB keeps its whole
data directory (tablespaces, redo log, system tablespace) on a tmpfs of
SIZE, mounted in a mount namespace that only its mariadbd sees (as
root `unshare -m`; otherwise also a user namespace, `unshare -U -m
--map-current-user --keep-caps`: never a skip).  The volume is filled
for real: a filler file on that tmpfs (written through
/proc/<mariadbd>/root) until write(2) says ENOSPC, 0 bytes left.

Claim.  With the volume full, once a round of the routes below has
been refused whole:
- every write route tried (a service created, edited, deleted,
  its status, BIA and downtime, a manual risk, a ticket, an incident,
  an account) answers 503 {"error": "Service temporarily unavailable"}
  with Retry-After: 5, each within seconds (no request hangs), and
  resilops logs that MariaDB's storage is full;
- not a row changes in any table of the database meanwhile
  (CHECKSUM TABLE of every table before and after the refused round):
  no write is half done, no service without its audit entry;
- reads answer 200, with the same data as just before that round (the
  service list, each service, a downtime list, the audit list), and
  /healthz answers 200 (the database answers);
- mariadbd is the same process throughout (it neither crashed nor
  restarted).
Once the filler is deleted: writes answer 2xx again at once, CHECK TABLE
says OK for every table, `audit seal` and `audit verify` pass, every
service create answered 201 (before, while filling, after) is there
exactly once with its one audit entry unless a delete answered 200
took it (those are gone), and no refused create left a row.

What MariaDB 10.11 does (observed): InnoDB cannot extend a tablespace
("preallocating 196608 bytes for file ./resilops/audit_log.ibd failed
with error 28") and the statement fails at once with 1114 "The table
'audit_log' is full", without waiting; the transaction rolls back
cleanly, and resilops answers 503 (it answered 500 before).  A write
whose rows still fit in pages the tablespaces already hold succeeds:
after the filler some 60 writes (6 or 7 rounds of the routes) still
succeeded, until the audit table's last page was full; as every write
adds an audit entry in its transaction, from then on every write is
refused.  Those writes are kept and must survive like any other.  Not
tried here: a row too big for a page (a description of several KB goes
to overflow pages), whose failed insert MariaDB 10.11.19 could not roll
back on a full volume (with a 100 KB value, outside resilops): it
aborted ("[FATAL] InnoDB: Error (Out of disk space) in rollback")."""

LAYOUTS = ("single",)
LAYOUTS_WHY = "the host's own MariaDB on a tmpfs it fills"

import os
import pwd
import shutil
import subprocess
import tempfile
import time
import unittest

import client
from client import unique_name

# Room for what mariadb-install-db and the migrations make (a 96 MiB redo
# log, 12 MiB system and temporary tablespaces, the tables) and a little
# more: the filler takes the rest.
SIZE = "256m"
# A refused request answers within this (a MariaDB waiting for space
# would show here, and no request of the test may hang).
PROMPT = 10.0
# Services to delete, one a round while the deletes are accepted.
DOOMED = 12


class FullStack:
    """The test's own stack (tests/stack.sh), MariaDB on a tmpfs."""

    def __init__(self):
        # Short: the sockets' paths must fit in sun_path.
        self.state = tempfile.mkdtemp(prefix="ro-full.", dir="/tmp")
        self.port = client.free_port()
        self.conf = os.path.join(self.state, "resilops.conf")
        self.sock = os.path.join(self.state, "run", "mysqld.sock")

    def env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("RESILOPS_")}
        env.update(RESILOPS_PORT=str(self.port),
                   RESILOPS_WEB=client.web_server(), RESILOPS_WORKERS="2",
                   RESILOPS_SCHED="0", RESILOPS_DB_TLS_PORT="",
                   RESILOPS_DB_TMPFS=SIZE, RESILOPS_BUILD=client.BUILD,
                   RESILOPS_CONF_EXTRA=self.conf_extra())
        return env

    @staticmethod
    def conf_extra():
        """The suite's stack's config settings (STATE/stack.env keeps
        them quoted for bash): the same policy, the same hashing."""
        return subprocess.run(
            ["bash", "-c", 'source "$1" && printf %s "$STACK_CONF_EXTRA"',
             "bash", os.path.join(client.STATE, "stack.env")],
            capture_output=True, text=True, check=True).stdout

    def run(self, verb, timeout=180):
        return subprocess.run([client.STACK_SH, self.state, verb],
                              capture_output=True, text=True,
                              timeout=timeout, env=self.env(),
                              stdin=subprocess.DEVNULL)

    def start(self):
        r = self.run("start")
        if r.returncode != 0:
            raise AssertionError("the tmpfs stack did not start: %s\n%s"
                                 % (r.stdout[-2000:], r.stderr[-2000:]))

    def stop(self):
        self.run("stop")
        # RESILOPS_KEEP_STATE=1 keeps it, logs included, as dev.sh does.
        if os.environ.get("RESILOPS_KEEP_STATE") == "1":
            print("\n  diskfull: state kept in %s" % self.state)
        else:
            shutil.rmtree(self.state, ignore_errors=True)

    def mariadbd(self):
        with open(os.path.join(self.state, "run", "mysqld.pid")) as f:
            return int(f.read())

    def datadir(self):
        """The tmpfs, as this process can reach it (it is not mounted in
        our namespace)."""
        return "/proc/%d/root%s/mysql" % (self.mariadbd(), self.state)

    def api(self, method, path, body=None, token=None):
        return client.api(method, path, body, token=token, port=self.port,
                          timeout=60)

    def admin(self, *args, stdin=None):
        return subprocess.run([os.path.join(client.BUILD, "resilops-admin"),
                               "-c", self.conf] + list(args), input=stdin,
                              capture_output=True, text=True, timeout=60)

    def user(self, role):
        name, pw = unique_name(role.split()[0].lower()[:6]), \
            client.new_password()
        r = self.admin("user", "add", name, role, stdin=pw + "\n")
        assert r.returncode == 0, r.stderr
        r = self.api("POST", "/api/auth/login",
                     {"username": name, "password": pw})
        assert r.status == 200, r
        return r.json["access_token"]

    def sql(self, statement):
        r = subprocess.run(["mariadb", "--no-defaults", "--skip-ssl",
                            "--socket=" + self.sock, "-u",
                            pwd.getpwuid(os.getuid()).pw_name,
                            "-N", "-B", "resilops", "-e", statement],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("sql failed: %s" % r.stderr.strip())
        return [line.split("\t") for line in r.stdout.splitlines()]

    def log(self):
        name = "apache-error.log" if client.web_server() == "apache" \
            else "fcgi.log"
        try:
            with open(os.path.join(self.state, "log", name),
                      errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def fill(path):
    """Write zeros to path until the filesystem has no block left;
    returns the bytes written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written, chunk = 0, 1 << 20
    try:
        while chunk >= 512:
            try:
                written += os.write(fd, bytes(chunk))
            except OSError as e:
                if e.errno != 28:
                    raise
                chunk //= 2
    finally:
        os.close(fd)
    return written


class DatabaseVolumeFull(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        t0 = time.monotonic()
        cls.stack = FullStack()
        try:
            cls.stack.start()
        except BaseException:
            cls.stack.stop()
            raise
        cls.started = time.monotonic() - t0

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def routes(self, tag):
        """(name, method, path, body, token) for each write route tried,
        on this round's objects; a create names itself with tag."""
        ids = self.ids
        self.assertTrue(self.doomed, "no service left to delete")
        return [
            ("service create", "POST", "/api/services",
             {"name": unique_name("full%s_" % tag), "criticality": "High",
              "impact": "High", "rto": 30, "rpo": 15}, self.owner),
            ("service edit", "PUT", "/api/services/%d" % ids[0],
             {"description": "edited " + tag}, self.owner),
            ("status", "POST", "/api/services/%d/status" % ids[1],
             {"status": "Down" if tag != "after" else "Up"}, self.owner),
            ("bia", "PUT", "/api/services/%d/bia" % ids[0],
             {"rto": 45 if tag != "after" else 50}, self.owner),
            ("downtime", "POST", "/api/services/%d/downtime" % ids[2],
             {"start_time": "2025-01-02T10:00:00Z",
              "end_time": "2025-01-02T11:00:00Z", "reason": tag},
             self.owner),
            ("manual risk", "POST", "/api/risk/%d/manual" % ids[0],
             {"risk_score": 42, "risk_level": "Low"}, self.analyst),
            ("ticket", "POST", "/api/tickets",
             {"title": "disk " + tag, "customer": "c",
              "description": "d", "priority": "LOW"}, self.owner),
            ("incident", "POST", "/api/incidents",
             {"title": "disk " + tag, "impact": "minor",
              "service_ids": [ids[0]], "message": "m"}, self.owner),
            ("account", "POST", "/api/auth/signup",
             {"username": unique_name("fulluser"),
              "password": client.new_password(), "role": "user"},
             self.admin_tok),
            ("service delete", "DELETE", "/api/services/%d" % self.doomed[0],
             None, self.owner),
        ]

    def try_round(self, tag):
        """Every route once: [(name, status, seconds, response, body)]."""
        out = []
        for name, method, path, body, token in self.routes(tag):
            t0 = time.monotonic()
            r = self.stack.api(method, path, body, token)
            out.append((name, r.status, time.monotonic() - t0, r, body))
            self.note(name, body, r)
        return out

    def note(self, name, body, r):
        """Keep every create's answer, for the end; a deleted service
        is not deleted again."""
        if name == "service create":
            self.creates.append((body["name"], r.status,
                                 r.json.get("service_id")
                                 if r.status == 201 else None))
        elif name == "service delete" and r.status == 200:
            self.deleted.add(self.doomed.pop(0))

    def create(self, prefix):
        body = {"name": unique_name(prefix), "criticality": "Medium",
                "impact": "Low", "rto": 60, "rpo": 60}
        r = self.stack.api("POST", "/api/services", body, self.owner)
        self.note("service create", body, r)
        self.assertEqual(r.status, 201, r)
        return r.json["service_id"]

    def reads(self):
        s, o = self.stack, self.owner
        out = {}
        for path in ["/api/services?per_page=1000",
                     "/api/audit?per_page=1000",
                     "/api/services/%d/downtime" % self.ids[2]] + \
                ["/api/services/%d" % i for i in self.ids]:
            r = s.api("GET", path, token=o)
            out[path] = (r.status, r.json)
        return out

    def checksums(self):
        tables = [t for (t,) in self.stack.sql(
            "SELECT table_name FROM information_schema.tables WHERE "
            "table_schema = 'resilops' AND table_type = 'BASE TABLE' "
            "ORDER BY table_name")]
        return self.stack.sql("CHECKSUM TABLE " + ", ".join(tables))

    def test_full_volume_refuses_writes_serves_reads_keeps_data(self):
        s = self.stack
        self.creates = []
        self.deleted = set()
        self.owner = s.user("Business Owner")
        self.analyst = s.user("Ops Analyst")
        self.admin_tok = s.user("admin")
        self.ids = [self.create("fullbase%d_" % k) for k in range(3)]
        # One for each round's delete that is answered 200.
        self.doomed = [self.create("doomed") for _ in range(DOOMED)]
        before = self.try_round("before")
        self.assertEqual([(a[0], a[1]) for a in before if a[1] >= 300], [],
                         "a write failed before the volume filled")
        pid = s.mariadbd()

        # Fill the volume.
        filler = os.path.join(s.datadir(), "filler")
        t0 = time.monotonic()
        filled = fill(filler)
        st = os.statvfs(s.datadir())
        self.assertEqual(st.f_bavail, 0, "the tmpfs still has room")
        fill_s = time.monotonic() - t0

        # Writes until the audit table (and whatever else) has no page
        # left: rounds until one is refused whole, each answer kept.
        rounds = []
        t0 = time.monotonic()

        def refused_whole_round():
            rounds.append(self.try_round("fill%d" % len(rounds)))
            return all(a[1] == 503 for a in rounds[-1])
        client.wait_until(refused_whole_round, timeout=60, interval=0,
                          what="a round of writes refused whole")
        saturate_s = time.monotonic() - t0
        accepted_filling = [(a[0], a[1]) for rd in rounds[:-1] for a in rd
                            if a[1] < 300]
        for rd in rounds:
            for a in rd:
                # Accepted, or refused as the contract says: nothing else.
                self.assertTrue(a[1] < 300 or a[1] == 503, a[:3])

        # The claim, on a round of its own.
        snapshot = self.reads()
        sums = self.checksums()
        last_audit = s.sql("SELECT MAX(id) FROM audit_log")
        refused = self.try_round("full")
        for name, status, secs, r, _ in refused:
            self.assertEqual((name, status, r.json,
                              r.headers.get("Retry-After")),
                             (name, 503,
                              {"error": "Service temporarily unavailable"},
                              "5"), r)
            self.assertLess(secs, PROMPT, name)
        self.assertEqual(self.checksums(), sums,
                         "a refused write changed a table")
        self.assertEqual(s.sql("SELECT MAX(id) FROM audit_log"), last_audit)
        reads = self.reads()
        self.assertEqual(reads, snapshot, "reads changed while full")
        self.assertEqual(s.api("GET", "/healthz").status, 200)
        self.assertIn("storage is full; writes are refused (503)", s.log())
        self.assertEqual(s.mariadbd(), pid, "mariadbd restarted")

        # Space returns.
        os.unlink(filler)
        t0 = time.monotonic()
        after = self.try_round("after")
        recover_s = time.monotonic() - t0
        self.assertEqual([(a[0], a[1], a[3].text[:80]) for a in after
                          if a[1] >= 300], [],
                         "a write failed after space returned")

        # Nothing corrupt.
        tables = [t for (t,) in s.sql(
            "SELECT table_name FROM information_schema.tables WHERE "
            "table_schema = 'resilops' AND table_type = 'BASE TABLE'")]
        bad = [row for row in s.sql("CHECK TABLE " + ", ".join(tables))
               if row[2] in ("error", "warning") or
               (row[2] == "status" and row[3] != "OK")]
        self.assertEqual(bad, [], "CHECK TABLE")
        r = s.admin("audit", "seal")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = s.admin("audit", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("audit chain OK", r.stdout)
        # Every create answered 201 there once (unless a delete answered
        # 200 took it), with one audit entry; no refused create or
        # delete left a trace.
        acked = {n: sid for n, st_, sid in self.creates if st_ == 201
                 and sid not in self.deleted}
        self.assertEqual(s.sql("SELECT COUNT(*) FROM services WHERE id IN "
                               "(%s)" % ", ".join(map(str, self.deleted))),
                         [["0"]], "a deleted service is back")
        names = {n for n, _, _ in self.creates}
        found = {}
        for name, sid, n in s.sql(
                "SELECT name, MIN(id), COUNT(*) FROM services "
                "GROUP BY name"):
            found[name] = (int(sid), int(n))
        self.assertEqual(sorted(n for n in names if n in found and
                                found[n][1] > 1), [], "created twice")
        self.assertEqual(sorted(n for n, sid in acked.items()
                                if found.get(n, (None,))[0] != sid), [],
                         "acknowledged creates lost")
        self.assertEqual(sorted(n for n in names - set(acked)
                                if n in found), [],
                         "a refused create left a row")
        audit = dict((int(e), int(n)) for e, n in s.sql(
            "SELECT entity_id, COUNT(*) FROM audit_log WHERE action = "
            "'Service Created' GROUP BY entity_id"))
        self.assertEqual(sorted(sid for sid in acked.values()
                                if audit.get(sid) != 1), [],
                         "a create without its one audit entry")
        print("\n  diskfull: stack %.1f s; filler %d MiB in %.2f s; %d "
              "writes accepted after the fill in %d rounds (%s), round %d "
              "refused whole, %.1f s; refused round: %d/%d 503, slowest "
              "%.3f s; %d reads 200, unchanged; after: %d/%d 2xx in %.2f "
              "s; %d creates acknowledged, all there once"
              % (self.started, filled >> 20, fill_s,
                 len(accepted_filling), len(rounds) - 1,
                 ", ".join(sorted(set(a[0] for a in accepted_filling))),
                 len(rounds), saturate_s, len(refused), len(refused),
                 max(a[2] for a in refused), len(reads), len(after),
                 len(after), recover_s, len(acked)), flush=True)


if __name__ == "__main__":
    unittest.main()
