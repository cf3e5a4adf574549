"""resilops-sched against the real stack (CONTRACT sections 4 and 8,
issue 4): heartbeat staleness on both sides of each boundary, downtimes
opened at the last heartbeat, Unknown, breaches, alerts, idempotence at
one --now, and the leader lease with its epoch fence."""

import calendar
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

import client
from client import api, create_service, owner_token, viewer_token

SCHED = os.path.join(client.BUILD, "resilops-sched")
# A fixed heartbeat far from the real clock, so --now decides everything.
T0 = "2031-03-01 12:00:00"
T0_EPOCH = calendar.timegm(time.strptime(T0, "%Y-%m-%d %H:%M:%S"))


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def once(now, conf=None, check=True):
    r = subprocess.run([SCHED, "-c", conf or client.config_path(), "--once",
                        "--now", iso(now)], capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    if check and r.returncode != 0:
        raise AssertionError("resilops-sched --once: %d %s" % (r.returncode,
                                                               r.stderr))
    return r


def status_of(sid):
    return api("GET", "/api/services/%d" % sid, token=viewer_token()).json


def beat_at(sid, when=T0):
    """A heartbeat (status Up through the API), then moved to `when`."""
    r = api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
    assert r.status == 200, r
    client.sql("UPDATE service_status SET last_updated = '%s' WHERE "
               "service_id = %d" % (when, sid))


def counts():
    return client.sql(
        "SELECT (SELECT COUNT(*) FROM downtimes), (SELECT COUNT(*) FROM alerts), "
        "(SELECT COUNT(*) FROM sla_breaches), (SELECT COUNT(*) FROM risks), "
        "(SELECT COUNT(*) FROM outbox)").split()


def fast_conf(tick=1, lease_ttl=3, **extra):
    """A copy of the stack's config with a 1 s tick and a 3 s lease."""
    with open(client.config_path()) as f:
        text = f.read()
    text += "\n[sched]\ntick = %d\nlease_ttl = %d\n" % (tick, lease_ttl)
    for k, v in extra.items():
        section, key = k.split("__")
        text += "\n[%s]\n%s = %s\n" % (section, key, v)
    fd, path = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def rollup_rows(sid):
    """The service's uptime_daily rows: (day epoch, down seconds, outages)."""
    out = client.sql("SELECT UNIX_TIMESTAMP(day), down_seconds, outages "
                     "FROM uptime_daily WHERE service_id = %d ORDER BY day"
                     % sid)
    return [tuple(int(x) for x in line.split("\t"))
            for line in out.splitlines()]


def written(run):
    """{days: (rows written, rows deleted)} of each rollup of a --once
    run, from its verbose log."""
    got = {}
    for m in re.finditer(r"rollup: (\d+) days, \d+ services with outages, "
                         r"\d+ rows, (\d+) written, (\d+) deleted",
                         run.stderr):
        got[int(m.group(1))] = (int(m.group(2)), int(m.group(3)))
    return got


def release_lease():
    client.sql("UPDATE sched_lease SET holder = '', "
               "expires_at = '1970-01-01 00:00:01' WHERE id = 1")


class Heartbeats(unittest.TestCase):
    def setUp(self):
        release_lease()

    def test_degraded_boundary(self):
        sid = create_service()
        beat_at(sid)
        once(T0_EPOCH + 300)
        self.assertEqual(status_of(sid)["status"], "Up")
        once(T0_EPOCH + 301)
        s = status_of(sid)
        self.assertEqual(s["status"], "Degraded")
        # The daemon never moves last_updated: it is the last heartbeat.
        self.assertEqual(s["last_updated"], iso(T0_EPOCH))

    def test_down_boundary_and_downtime(self):
        sid = create_service()
        beat_at(sid)
        once(T0_EPOCH + 600)
        self.assertEqual(status_of(sid)["status"], "Degraded")
        self.assertEqual(api("GET", "/api/services/%d/downtime" % sid,
                             token=viewer_token()).json["downtime_count"], 0)
        once(T0_EPOCH + 601)
        self.assertEqual(status_of(sid)["status"], "Down")
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json
        self.assertEqual(d["downtime_count"], 1)
        self.assertEqual(d["downtimes"][0]["start_time"], iso(T0_EPOCH))
        self.assertEqual(d["downtimes"][0]["reason"],
                         "No heartbeat for 10 minutes")
        self.assertIsNone(d["downtimes"][0]["end_time"])

    def test_open_logged_downtime_blocks_a_second(self):
        sid = create_service()
        beat_at(sid)
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": iso(T0_EPOCH + 60), "reason": "by hand"},
            token=viewer_token())
        once(T0_EPOCH + 900)
        self.assertEqual(status_of(sid)["status"], "Down")
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json
        self.assertEqual((d["downtime_count"], d["downtimes"][0]["reason"]),
                         (1, "by hand"))

    def test_up_straight_to_down(self):
        sid = create_service()
        beat_at(sid)
        once(T0_EPOCH + 3600)
        self.assertEqual(status_of(sid)["status"], "Down")
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json["downtimes"][0]
        self.assertEqual(d["reason"], "No heartbeat for 60 minutes")

    def test_fresh_heartbeat_closes_the_downtime(self):
        sid = create_service()
        beat_at(sid)
        once(T0_EPOCH + 900)
        self.assertEqual(status_of(sid)["status"], "Down")
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        s = status_of(sid)
        self.assertEqual(s["status"], "Up")
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json["downtimes"][0]
        self.assertIsNotNone(d["end_time"])

    def test_unknown_without_status(self):
        sid = create_service()
        self.assertEqual(int(client.sql(
            "SELECT COUNT(*) FROM service_status WHERE service_id = %d" % sid)),
            0)
        once(T0_EPOCH)
        row = client.sql("SELECT status, last_updated IS NULL FROM "
                         "service_status WHERE service_id = %d" % sid).split()
        self.assertEqual(row, ["Unknown", "1"])

    def test_operator_down_is_kept(self):
        sid = create_service()
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
        client.sql("UPDATE service_status SET last_updated = '%s' WHERE "
                   "service_id = %d" % (T0, sid))
        once(T0_EPOCH + 5)
        once(T0_EPOCH + 7200)
        self.assertEqual(status_of(sid)["status"], "Down")
        # Still one outage: the operator's.
        d = api("GET", "/api/services/%d/downtime" % sid,
                token=viewer_token()).json
        self.assertEqual(d["downtime_count"], 1)
        self.assertTrue(d["downtimes"][0]["reason"].startswith(
            "Status set to Down by "))


class Alerts(unittest.TestCase):
    def setUp(self):
        release_lease()

    def alerts(self, sid):
        return client.sql("SELECT type, severity, cause FROM alerts WHERE "
                          "service_id = %d ORDER BY id" % sid).splitlines()

    def test_status_change_alerts(self):
        sid = create_service()
        beat_at(sid)
        once(T0_EPOCH + 301)
        once(T0_EPOCH + 601)
        # The heartbeat that brings it back, as of the next run's --now.
        beat_at(sid, "2031-03-01 12:10:02")
        once(T0_EPOCH + 602)
        got = [a for a in self.alerts(sid) if a.startswith("StatusChange")]
        self.assertEqual(got, ["StatusChange\tWarning\tDegraded",
                               "StatusChange\tCritical\tDown",
                               "StatusChange\tInfo\tUp"])

    def test_high_risk_and_critical(self):
        sid = create_service(criticality="High", impact="Severe", rto=10,
                             rpo=10)
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
        once(int(time.time()))
        got = self.alerts(sid)
        self.assertIn("HighRisk\tWarning\tHigh", got)
        self.assertIn("Critical\tCritical\tcritical", got)
        r = api("GET", "/api/risk/%d" % sid, token=viewer_token()).json
        self.assertEqual((r["risk_score"], r["source"]), (80, "automated"))


class Breaches(unittest.TestCase):
    def setUp(self):
        release_lease()

    def test_breaches_from_an_api_outage(self):
        sid = create_service(rto=60, rpo=30)
        start = T0_EPOCH - 3 * 3600
        r = api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": iso(start), "reason": "disk failure"},
                token=viewer_token())
        self.assertEqual(r.status, 200)
        once(T0_EPOCH)
        b = api("GET", "/api/alerts/sla_breaches?per_page=1000",
                token=viewer_token()).json
        mine = sorted((x["type"], x["threshold_minutes"], x["downtime_minutes"])
                      for x in b if x["service_id"] == sid)
        self.assertEqual(mine, [("RPO", 30, 180), ("RTO", 60, 180)])
        msgs = client.sql("SELECT type, severity, message FROM alerts WHERE "
                          "service_id = %d AND type LIKE 'SLA%%' ORDER BY type"
                          % sid).splitlines()
        self.assertEqual(msgs, [
            "SLA_RPO\tCritical\tSLA Breach: RPO exceeded 30 minutes "
            "(Actual: 180 minutes)",
            "SLA_RTO\tCritical\tSLA Breach: RTO exceeded 60 minutes "
            "(Actual: 180 minutes)"])
        # Later runs add nothing, even after the alert is acknowledged.
        client.sql("UPDATE alerts SET acknowledged = 1 WHERE service_id = %d"
                   % sid)
        client.admin_cli("recount")     # the lists' open count, by hand
        once(T0_EPOCH + 60)
        n = client.sql("SELECT (SELECT COUNT(*) FROM sla_breaches WHERE "
                       "service_id = %d), (SELECT COUNT(*) FROM alerts WHERE "
                       "service_id = %d AND type LIKE 'SLA%%')" % (sid, sid))
        self.assertEqual(n.split(), ["2", "2"])

    def test_old_outage_not_checked(self):
        sid = create_service(rto=1)
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": iso(T0_EPOCH - 3 * 86400),
             "end_time": iso(T0_EPOCH - 2 * 86400)}, token=viewer_token())
        once(T0_EPOCH)
        self.assertEqual(int(client.sql(
            "SELECT COUNT(*) FROM sla_breaches WHERE service_id = %d" % sid)), 0)

    def test_within_threshold(self):
        sid = create_service(rto=60, rpo=60)
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": iso(T0_EPOCH - 3600),
             "end_time": iso(T0_EPOCH - 60)}, token=viewer_token())
        once(T0_EPOCH)
        self.assertEqual(int(client.sql(
            "SELECT COUNT(*) FROM sla_breaches WHERE service_id = %d" % sid)), 0)


class Idempotence(unittest.TestCase):
    def setUp(self):
        release_lease()

    def test_twice_at_the_same_now_adds_nothing(self):
        a = create_service(criticality="High", rto=5, rpo=5)
        beat_at(a)
        api("POST", "/api/services/%d/downtime" % a,
            {"start_time": iso(T0_EPOCH - 7200)}, token=viewer_token())
        create_service()
        now = T0_EPOCH + 4000
        once(now)
        first = counts()
        once(now)
        self.assertEqual(first, counts())

    def test_earlier_now_later_still_works(self):
        sid = create_service()
        beat_at(sid)
        once(T0_EPOCH + 100000)
        self.assertEqual(status_of(sid)["status"], "Down")
        other = create_service()
        beat_at(other, "2031-01-01 00:00:00")
        # 2031-01-01T00:06:40Z: before the first --now.
        once(calendar.timegm((2031, 1, 1, 0, 6, 40, 0, 0, 0)))
        self.assertEqual(status_of(other)["status"], "Degraded")


class Rollup(unittest.TestCase):
    """The daily rollup behind the status page's bars (issue 10):
    outages split by UTC day, overlapping ones merged, an open one up to
    --now, and a window recomputed whole (a removed outage goes too)."""

    def setUp(self):
        release_lease()

    def rows(self, sid):
        return rollup_rows(sid)

    def log(self, sid, start, end=None):
        body = {"start_time": iso(start), "reason": "rollup test"}
        if end is not None:
            body["end_time"] = iso(end)
        r = api("POST", "/api/services/%d/downtime" % sid, body,
                token=owner_token())
        assert r.status in (200, 201), r

    def test_days_merged_and_open(self):
        now = int(time.time())
        today = now - now % 86400
        sid = create_service()
        # Three days ago 23:00 to two days ago 01:00, and an overlapping
        # outage two days ago 00:30-02:00: 1 h, then 2 h (two outages).
        self.log(sid, today - 2 * 86400 - 3600, today - 2 * 86400 + 3600)
        self.log(sid, today - 2 * 86400 + 1800, today - 2 * 86400 + 7200)
        # Ten days ago, ten minutes.
        self.log(sid, today - 10 * 86400 + 600, today - 10 * 86400 + 1200)
        once(now)
        self.assertEqual(self.rows(sid), [
            (today - 10 * 86400, 600, 1),
            (today - 3 * 86400, 3600, 1),
            (today - 2 * 86400, 7200, 2)])
        # As of an earlier --now the window is that time's: 91 days
        # before, nothing of ours; the rows of later days stay.
        once(now - 200 * 86400)
        self.assertEqual(len(self.rows(sid)), 3)
        # An outage removed (by hand) leaves the rollup at the next run.
        client.sql("DELETE FROM downtimes WHERE service_id = %d AND "
                   "start_time < NOW() - INTERVAL 5 DAY" % sid)
        once(now)
        self.assertEqual([r[0] for r in self.rows(sid)],
                         [today - 3 * 86400, today - 2 * 86400])
        # The hand edit left the service's outages summary (sql/027)
        # behind, which no writer of resilops would: the service goes,
        # and its summary with it, so other modules' checks of every
        # service's summary against the tables hold.
        r = api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertEqual(r.status, 200, r)

    def test_only_what_differs_is_written(self):
        """Both rollups compute their window whole from the outages and
        write only what differs from the rows kept (core/rollupdiff):
        again at the same --now, nothing at all; an outage logged since
        for an earlier day, that day's row; an outage gone, its row."""
        now = int(time.time())
        today = now - now % 86400
        sid = create_service()
        self.log(sid, today - 5 * 86400 + 600, today - 5 * 86400 + 1200)
        once(now)
        self.assertEqual(written(once(now)), {2: (0, 0), 90: (0, 0)})
        self.log(sid, today - 20 * 86400, today - 20 * 86400 + 60)
        self.assertEqual(written(once(now)), {2: (0, 0), 90: (1, 0)})
        self.assertEqual(self.rows(sid), [(today - 20 * 86400, 60, 1),
                                          (today - 5 * 86400, 600, 1)])
        client.sql("DELETE FROM downtimes WHERE service_id = %d AND "
                   "start_time < NOW() - INTERVAL 10 DAY" % sid)
        self.assertEqual(written(once(now)), {2: (0, 0), 90: (0, 1)})
        self.assertEqual(self.rows(sid), [(today - 5 * 86400, 600, 1)])
        # As test_days_merged_and_open: the hand edit's summary goes
        # with the service.
        r = api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertEqual(r.status, 200, r)

    def test_open_outage_counts_up_to_now(self):
        now = int(time.time())
        today = now - now % 86400
        sid = create_service()
        start = max(today, now - 3600)
        self.log(sid, start)
        once(now)
        self.assertEqual(self.rows(sid), [(today, now - start, 1)])


class DaemonCase(unittest.TestCase):
    """Tests that start resilops-sched -f processes: each is killed and
    its files removed afterwards, and the lease is left free."""

    def setUp(self):
        release_lease()
        self.procs = []
        self.files = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        for f in self.files:
            os.unlink(f)
        release_lease()

    def start(self, conf):
        """A foreground daemon on conf: (process, its log file)."""
        log = tempfile.NamedTemporaryFile(delete=False, suffix=".log")
        self.files.append(log.name)
        p = subprocess.Popen([SCHED, "-c", conf, "-f"], stdout=log, stderr=log,
                             stdin=subprocess.DEVNULL)
        self.procs.append(p)
        return p, log.name


class Lease(DaemonCase):

    def holder(self):
        return client.sql("SELECT holder, epoch FROM sched_lease").split("\t")

    def test_one_leader_and_takeover(self):
        # A tick nearly as long as the lease: a follower that kept to
        # its tick would take over up to 5 s after the lease ended.
        conf = fast_conf(tick=5, lease_ttl=6)
        self.files.append(conf)
        a, alog = self.start(conf)
        b, blog = self.start(conf)
        h = client.wait_until(lambda: self.holder()[0], 20, what="a leader")
        pid = int(h.split(":")[1])
        self.assertIn(pid, (a.pid, b.pid))
        leader, follower = (a, b) if pid == a.pid else (b, a)
        epoch = int(self.holder()[1])
        # Exactly one leads: the other's log never says so.
        flog = blog if follower is b else alog
        with open(flog) as f:
            self.assertNotIn("leading as", f.read())
        # --once while another leads: exits 0 and says who holds it.
        r = once(T0_EPOCH, conf=conf)
        self.assertIn("held by %s" % h, r.stdout)
        leader.send_signal(signal.SIGKILL)
        leader.wait()
        started = time.monotonic()
        new = client.wait_until(
            lambda: self.holder()[0] not in ("", h) and self.holder()[0],
            20, what="the other daemon to take over")
        self.assertEqual(int(new.split(":")[1]), follower.pid)
        self.assertGreater(int(self.holder()[1]), epoch)
        # Within the lease time: the follower wakes as the lease ends.
        self.assertLess(time.monotonic() - started, 6 + 1)

    def test_fenced_leader_writes_nothing(self):
        conf = fast_conf()
        self.files.append(conf)
        a, alog = self.start(conf)
        client.wait_until(lambda: self.holder()[0], 20, what="a leader")
        # Someone else takes the lease (as after a stall of the leader).
        client.sql("UPDATE sched_lease SET holder = 'intruder', epoch = "
                   "epoch + 1, expires_at = UTC_TIMESTAMP() + INTERVAL 1 HOUR")
        sid = create_service()
        beat_at(sid, "2001-01-01 00:00:00")

        def lost():
            with open(alog) as f:
                text = f.read()
            return "no longer leading" in text or "lease lost" in text
        client.wait_until(lost, 20, what="the old leader to notice")
        self.assertEqual(status_of(sid)["status"], "Up")
        self.assertEqual(self.holder()[0], "intruder")

    def test_sigterm_releases_and_sighup_reloads(self):
        conf = fast_conf()
        self.files.append(conf)
        a, alog = self.start(conf)
        h = client.wait_until(lambda: self.holder()[0], 20, what="a leader")
        self.assertEqual(int(h.split(":")[1]), a.pid)
        epoch = self.holder()[1]
        a.send_signal(signal.SIGHUP)

        def reloaded():
            with open(alog) as f:
                return "configuration reloaded" in f.read()
        client.wait_until(reloaded, 20, what="the reload")
        # Still the same leader with the same epoch after the reload.
        self.assertEqual(self.holder(), [h, epoch])
        a.send_signal(signal.SIGTERM)
        self.assertEqual(a.wait(timeout=30), 0)
        self.assertEqual(self.holder()[0], "")


def _rows(statement):
    return [line.split("\t") for line in client.sql(statement).splitlines()]


class ClockStepped(unittest.TestCase):
    """The clock stepped back an hour, then forward past where it was
    (hardening issue 14): no job fails, nothing is recorded twice (a
    downtime, an alert, a breach), no duration or uptime is negative."""

    def state(self, sid):
        """What the daemon recorded for the service, and anything of
        anyone's that a clock step could have made negative."""
        d, a, b = _rows(
            "SELECT (SELECT COUNT(*) FROM downtimes WHERE service_id = %d), "
            "(SELECT COUNT(*) FROM alerts WHERE service_id = %d), "
            "(SELECT COUNT(*) FROM sla_breaches WHERE service_id = %d)"
            % (sid, sid, sid))[0]
        negative = _rows(
            "SELECT (SELECT COUNT(*) FROM downtimes WHERE end_time < "
            "start_time), (SELECT COUNT(*) FROM sla_breaches WHERE end_time "
            "< start_time), (SELECT COUNT(*) FROM uptime_daily WHERE "
            "down_seconds < 0 OR down_seconds > 86400)")[0]
        self.assertEqual(negative, ["0", "0", "0"], "negative durations")
        return int(d), int(a), int(b)

    def test_back_an_hour_then_forward(self):
        sid = create_service(criticality="High", rto=30, rpo=15)
        beat_at(sid)                      # its last heartbeat: T0
        once(T0_EPOCH + 30 * 60)          # lost: Down, a downtime from T0
        first = self.state(sid)
        self.assertEqual(first[0], 1, "one downtime, opened at T0")
        self.assertGreaterEqual(first[1], 1, "alerted")
        once(T0_EPOCH - 30 * 60)          # stepped back an hour
        self.assertEqual(self.state(sid), first,
                         "a step back records nothing new")
        once(T0_EPOCH + 90 * 60)          # forward again, past the RTO
        later = self.state(sid)
        self.assertEqual(later[0], 1, "still the one downtime")
        self.assertGreaterEqual(later[2], 1, "the RTO breach recorded")
        once(T0_EPOCH + 90 * 60)          # the same time again
        self.assertEqual(self.state(sid), later, "nothing twice")
        once(T0_EPOCH + 30 * 60)          # back to the first step's time
        self.assertEqual(self.state(sid), later, "nothing twice")
        start, end = _rows("SELECT start_time, COALESCE(end_time, '-') FROM "
                          "downtimes WHERE service_id = %d" % sid)[0]
        self.assertEqual(end, "-", "the outage is still open")
        self.assertEqual(start, "2031-03-01 12:00:00")


if __name__ == "__main__":
    unittest.main()
