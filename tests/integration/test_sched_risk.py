"""The risk job scores only what changed (issue 13, sql/018): every input
a user can change reaches the next tick's score even at the same --now
(only risk_state's generation can tell), a deleted dependency too, and
the 7-day downtime factor follows --now both ways, an earlier --now
included, with nothing changed in between.  The writers bump the
generations themselves (no trigger: CREATE TRIGGER needs SUPER with
binary logging on), and the job locks nothing while it scores: an API
write made while its transaction is open completes at once, and is
scored on the next tick."""

import subprocess
import time
import unittest

import client
from client import api, create_service, engineer_token, owner_token
from test_sched import SCHED, T0_EPOCH, beat_at, iso, once, release_lease

DAY = 86400


def latest(sid):
    """(score, reason) of the service's latest automated record."""
    out = client.sql("SELECT risk_score, reason FROM risks WHERE "
                     "service_id = %d AND source = 'automated' "
                     "ORDER BY id DESC LIMIT 1" % sid)
    score, reason = out.rstrip("\n").split("\t", 1)
    return int(score), reason


def stale(sid):
    return int(client.sql("SELECT stale FROM risk_state WHERE "
                          "service_id = %d" % sid))


def add_integration(sid):
    r = api("POST", "/api/services/integrations",
            {"service_id": sid, "type": "Email",
             "config": {"to": ["ops@example.org"]}}, token=engineer_token())
    assert r.status == 201, r
    return int(client.sql("SELECT MAX(id) FROM integrations WHERE "
                          "service_id = %d" % sid))


def set_status(sid, status):
    r = api("POST", "/api/services/%d/status" % sid, {"status": status},
            token=owner_token())
    assert r.status == 200, r


class EveryInput(unittest.TestCase):
    """One change at a time, one tick at the same --now after each: the
    real clock's, so that the heartbeats the test sends stay fresh."""

    def setUp(self):
        release_lease()
        self.now = int(time.time())

    def tick(self):
        once(self.now)

    def test_each_input_reaches_the_score(self):
        dep = create_service(criticality="Low", impact="Low", rto=600,
                             rpo=600)
        sid = create_service(criticality="Low", impact="Low", rto=600,
                             rpo=600)
        self.tick()
        self.assertEqual(latest(sid)[0], 0)
        self.assertEqual(stale(sid), 0)

        r = api("PUT", "/api/services/%d/bia" % sid, {"criticality": "High"},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(stale(sid), 1)
        self.tick()
        self.assertEqual(latest(sid)[0], 15)

        ids = [add_integration(sid) for _ in range(4)]
        self.tick()
        self.assertEqual(latest(sid)[0], 25)
        r = api("DELETE", "/api/services/integrations/%d" % ids[0],
                token=engineer_token())
        self.assertEqual(r.status, 200, r)
        self.tick()
        self.assertEqual(latest(sid)[0], 15)

        r = api("PUT", "/api/services/%d" % sid, {"dependencies": [dep]},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.tick()
        self.assertEqual(latest(sid)[0], 15)
        # The dependency's own status: only its dependents' rows say so.
        set_status(dep, "Down")
        self.tick()
        self.assertEqual(latest(sid),
                         (35, "High criticality in BIA, Dependencies down: "
                          + client.sql("SELECT name FROM services WHERE "
                                       "id = %d" % dep).strip()
                          + ", Service marked as CRITICAL based on "
                          "business rules"))
        set_status(dep, "Up")
        self.tick()
        self.assertEqual(latest(sid)[0], 15)
        set_status(dep, "Down")
        self.tick()
        self.assertEqual(latest(sid)[0], 35)
        # Deleted: its delete bumps its dependents before the cascade.
        r = api("DELETE", "/api/services/%d" % dep, token=client.admin_token())
        self.assertEqual(r.status, 200, r)
        self.tick()
        self.assertEqual(latest(sid)[0], 15)

        r = api("DELETE", "/api/services/%d/bia" % sid, token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.tick()
        self.assertEqual(latest(sid)[0], 0)

    def test_nothing_changed_scores_nothing(self):
        sid = create_service(criticality="High")
        self.tick()
        n = client.sql("SELECT COUNT(*) FROM risks WHERE service_id = %d"
                       % sid)
        self.tick()
        self.assertEqual(stale(sid), 0)
        self.assertEqual(client.sql("SELECT COUNT(*) FROM risks WHERE "
                                    "service_id = %d" % sid), n)

    def test_heartbeat_loss_reaches_the_dependents(self):
        """The daemon's own move into Down bumps the service and those
        that depend on it, as an API status write does."""
        dep = create_service()
        sid = create_service(criticality="Low", impact="Low", rto=600,
                             rpo=600, dependencies=[dep])
        beat_at(dep)
        once(T0_EPOCH + 60)
        self.assertNotIn("Dependencies down", latest(sid)[1])
        once(T0_EPOCH + 601)
        self.assertEqual(client.sql("SELECT status FROM service_status "
                                    "WHERE service_id = %d" % dep).strip(),
                         "Down")
        self.assertIn("Dependencies down", latest(sid)[1])
        self.assertEqual(stale(sid), 0)

    def test_an_automated_record_from_the_api_is_compared(self):
        """The save route's record, made as of the real clock, is the
        latest the job compares with: a different one is followed by the
        job's own."""
        self.now = T0_EPOCH + 50 * DAY
        sid = create_service()
        r = api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": iso(self.now - 3 * 3600),
                 "end_time": iso(self.now - 3 * 3600 + 130 * 60)},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        self.tick()
        self.assertEqual(latest(sid)[0], 20)
        r = api("POST", "/api/risk/%d/save" % sid,
                token=client.analyst_token())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(latest(sid)[0], 0)
        self.tick()
        self.assertEqual(latest(sid)[0], 20)


def records_held():
    """The gap past the last risk record held until close(): the risk
    job's insert of its records, which comes after its read and before
    its last statement (the one that records the generations read),
    waits for it.  The session runs at the server's default isolation,
    REPEATABLE READ, which takes the gap lock (the workers' READ
    COMMITTED would not)."""
    return client.LockHeld(
        "SELECT COUNT(*) FROM risks WHERE id > "
        "(SELECT COALESCE(MAX(id), 0) FROM risks) FOR UPDATE")


def waiting_inserts():
    return int(client.sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                          "WHERE INFO LIKE 'INSERT INTO risks%'"))


class WritesDoNotWait(unittest.TestCase):
    def setUp(self):
        release_lease()
        self.now = int(time.time())

    def test_no_trigger_and_one_invoker_routine(self):
        # Triggers (and functions) need SUPER with binary logging; the
        # one routine is the heartbeat's procedure (sql/026), which runs
        # with its caller's privileges.
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM information_schema.TRIGGERS "
            "WHERE TRIGGER_SCHEMA = 'resilops'").strip(), "0")
        self.assertEqual(client.sql(
            "SELECT ROUTINE_TYPE, ROUTINE_NAME, SECURITY_TYPE FROM "
            "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = "
            "'resilops'").split(), ["PROCEDURE", "status_heartbeat",
                                    "INVOKER"])

    def test_write_during_the_job_is_scored_next_tick(self):
        sid = create_service(criticality="Low", impact="Low", rto=600,
                             rpo=600)
        once(self.now)
        self.assertEqual(latest(sid)[0], 0)
        # Due (an integration: no points below four), so the job reads
        # its generation; a new service, so the job has a record to store.
        add_integration(sid)
        create_service(criticality="High")
        held = records_held()
        job = None
        try:
            job = subprocess.Popen(
                [SCHED, "-c", client.config_path(), "--once", "--now",
                 iso(self.now)], stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(600):
                if waiting_inserts() > 0 or job.poll() is not None:
                    break
                time.sleep(0.05)
            self.assertIsNone(job.poll(), "the job did not wait")
            self.assertEqual(waiting_inserts(), 1)
            # The job's transaction is open, past its read: the write
            # bumps the generation it read without waiting (a lock wait
            # would take innodb_lock_wait_timeout, 50 s).
            t0 = time.monotonic()
            r = api("PUT", "/api/services/%d/bia" % sid,
                    {"criticality": "High"}, token=owner_token(), timeout=15)
            took = time.monotonic() - t0
            self.assertEqual(r.status, 200, r)
            self.assertLess(took, 5)
            self.assertIsNone(job.poll(), "the job ended before the write")
        finally:
            held.close()
            if job is not None:
                out = job.communicate(timeout=120)[0]
        self.assertEqual(job.returncode, 0, out)
        # It recorded the generation it read: the write's bump is left.
        self.assertEqual(stale(sid), 1)
        self.assertEqual(latest(sid)[0], 0)
        once(self.now)
        self.assertEqual(latest(sid)[0], 15)
        self.assertEqual(stale(sid), 0)


class SevenDays(unittest.TestCase):
    """The one time-dependent factor: no input changes between ticks."""

    def setUp(self):
        release_lease()

    def test_earlier_and_later_now(self):
        t = T0_EPOCH + 80 * DAY
        sid = create_service()
        r = api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": iso(t - 3 * 3600),
                 "end_time": iso(t - 3 * 3600 + 130 * 60)},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        once(t)
        self.assertEqual(latest(sid)[0], 20)
        # 7 days after its start, 125 of its 130 minutes are left ...
        once(t - 3 * 3600 + 7 * DAY + 5 * 60)
        self.assertEqual(latest(sid)[0], 20)
        # ... and 119 after 11 more.
        once(t - 3 * 3600 + 7 * DAY + 11 * 60)
        self.assertEqual(latest(sid)[0], 0)
        once(t + 30 * DAY)
        self.assertEqual(latest(sid)[0], 0)
        # Earlier again: as of that --now, not of the latest run.
        once(t)
        self.assertEqual(latest(sid)[0], 20)
        # Before the downtime began: nothing in the window.
        once(t - 4 * 3600)
        self.assertEqual(latest(sid)[0], 0)

    def test_open_downtime_grows_past_the_threshold(self):
        t = T0_EPOCH + 120 * DAY
        sid = create_service()
        r = api("POST", "/api/services/%d/downtime" % sid,
                {"start_time": iso(t)}, token=owner_token())
        self.assertEqual(r.status, 200, r)
        once(t + 60 * 60)
        self.assertEqual(latest(sid)[0], 0)
        once(t + 121 * 60)
        self.assertEqual(latest(sid)[0], 20)
        once(t + 120 * 60)
        self.assertEqual(latest(sid)[0], 0)


if __name__ == "__main__":
    unittest.main()
