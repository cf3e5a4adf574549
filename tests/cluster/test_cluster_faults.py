#!/usr/bin/env python3
"""Faults of the multi-host layout (tests/cluster/cluster.sh), each
while writers create services through the front, each answer kept:

- a Galera node stopped (SIGTERM), started again, killed (SIGKILL) and
  started again;
- a web host stopped (nginx SIGQUIT, its pool SIGTERM), started, killed
  (SIGKILL) and started again;
- the resilops-sched that leads killed (SIGKILL).

Claims: refused writes only within a window after each fault (measured:
the first and last refused answer, in seconds after it), none once the
cluster is whole again; every create answered 201 is in the database
exactly once, under the id it was answered with, with one audit entry,
and the audit chain verifies; one daemon holds the lease at any moment
and the other takes over within lease_ttl + tick; no job's work was
done twice (each service that went silent has one downtime and one
alert).  Each measured figure is printed on a line starting SUMMARY:
(and kept in STATE/faults-summary.txt).

Run by `tests/cluster/cluster.sh STATE faults [unittest args]`.
"""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cluster_load as cl  # noqa: E402
from cluster_load import client  # noqa: E402

# After a fault's last step returned (the cluster settled, the host back),
# how long refusals may still come: a worker notices a lost connection
# at its next request, and answers in flight at that moment.
GRACE = 5.0
# Refused is only ever "unavailable" or no answer: never a 500.
REFUSED = (0, 502, 503, 504)


# The front's address toward the hosts (proxy_bind): its requests.
FRONT = "127.0.0.250 "

class Phase:
    """One step of a fault: when it started and ended (monotonic)."""

    def __init__(self, name, fn):
        self.name = name
        self.start = time.monotonic()
        fn()
        self.end = time.monotonic()


class FaultCase(unittest.TestCase):
    """Writers run across a list of phases; then the claims."""

    PREFIX = "fault"
    # Creates answered 201 before the first fault, and after each phase.
    STEADY = 20

    def run_phases(self, steps):
        """steps: [(name, function)]; returns (answers, phases)."""
        prefix = "%s%d_" % (self.PREFIX, int(time.time()))
        writers = cl.Writers(client.owner_token(), prefix)
        phases = []
        try:
            writers.wait_created(self.STEADY, 0, what="creates before the faults")
            for name, fn in steps:
                phases.append(Phase(name, fn))
                writers.wait_created(self.STEADY, phases[-1].end,
                                     what="creates after %s" % name)
            # The cluster whole again: a final stretch with no refusal.
            calm = time.monotonic()
            writers.wait_created(3 * self.STEADY, calm, what="creates at the end")
        finally:
            answers = writers.finish()
        self.prefix = prefix
        return answers, phases

    def claim_windows(self, answers, phases, what):
        """Print each phase's figures; returns the refused answers and
        what breaks the claims: an unavailable answer (502, 503, 504,
        none) to a request sent neither during a phase nor within GRACE
        after it; or any other refusal, wherever (a 500 says the server
        failed, not that it could not answer)."""
        bad = cl.failures(answers)
        outside = []
        for a in bad:
            if a[1] in REFUSED and not any(
                    p.start <= a[3] <= p.end + GRACE for p in phases):
                outside.append(a)
        first = phases[0].start if phases else float("inf")
        before = [a for a in answers if a[3] < first]
        cl.summary("%s: before the first fault: %d writes, %d refused %s"
                   % (what, len(before), len(cl.failures(before)),
                      cl.statuses(before) or ""))
        for i, p in enumerate(phases):
            until = phases[i + 1].start if i + 1 < len(phases) else float("inf")
            mine = [a for a in answers if p.start <= a[3] < until]
            w = cl.window(mine, p.start)
            cl.summary("%s: %s: %d writes, %d refused %s; %s; the step took %.1f s"
                       % (what, p.name, len(mine), len(cl.failures(mine)),
                          cl.statuses(mine) or "", "refused answers from %+.1f s "
                          "to %+.1f s after it began (window %.1f s)"
                          % (w[0], w[1], w[1] - w[0]) if w else "none refused",
                          p.end - p.start))
        problems = []
        if outside:
            problems.append("%d refused outside the failover windows %s: %r"
                            % (len(outside), cl.statuses(outside),
                               outside[:5]))
        other = [a for a in bad if a[1] not in REFUSED]
        if other:
            inside = [a for a in other if any(
                p.start <= a[3] <= p.end + GRACE for p in phases)]
            problems.append("%d answers other than 502/503/504/none %s, %d "
                            "of them in a failover window: %r"
                            % (len(other), cl.statuses(other), len(inside),
                               other[:3]))
        return bad, problems


class GaleraNode(FaultCase):
    PREFIX = "gnode"

    def test_node_stopped_and_killed(self):
        # Node 1 is web host 1's first; host 2 lists it last.
        answers, phases = self.run_phases([
            ("node 1 stopped (SIGTERM)", lambda: cl.cluster("node-stop", 1)),
            ("node 1 started", lambda: cl.cluster("node-start", 1)),
            ("node 1 killed (SIGKILL)", lambda: cl.cluster("node-kill", 1)),
            ("node 1 started again", lambda: cl.cluster("node-start", 1)),
            ("node 2 killed (SIGKILL)", lambda: cl.cluster("node-kill", 2)),
            ("node 2 started again", lambda: cl.cluster("node-start", 2)),
        ])
        bad, problems = self.claim_windows(answers, phases, "galera")
        acked, found = cl.check_writes(self, answers, self.prefix)
        cl.summary("galera: %d writes, %d answered 201, %d refused %s; all "
                   "%d acknowledged creates present once with one audit "
                   "entry (%d services with the run's names)"
                   % (len(answers), acked, len(bad), cl.statuses(answers),
                      acked, found))
        cl.audit_verified(self)
        self.assertEqual(problems, [])


class WebHost(FaultCase):
    PREFIX = "whost"

    def access_lines(self, n, client_ip=""):
        """Lines of web host n's access log (of client_ip's requests)."""
        path = os.path.join(cl.host_dir(n), "log", "nginx-access.log")
        with open(path, errors="replace") as f:
            return sum(1 for line in f if line.startswith(client_ip))

    def host_started(self, n):
        """Start web host n and wait until the front sends it requests
        again: it tries a host that failed again only after its
        fail_timeout (2 s), and a kill of the other host before then
        leaves the front no host to try (502 "no live upstreams" for the
        rest of those 2 s), which is not what the kill's step measures."""
        before = self.access_lines(n, FRONT)
        cl.cluster("host-start", n)
        client.wait_until(lambda: self.access_lines(n, FRONT) > before,
                          timeout=30, interval=0.1, what="web host %d "
                          "serving through the front again" % n)

    def test_host_stopped_and_killed(self):
        answers, phases = self.run_phases([
            ("web host 2 stopped", lambda: cl.cluster("host-stop", 2)),
            ("web host 2 started", lambda: self.host_started(2)),
            ("web host 1 killed (SIGKILL)", lambda: cl.cluster("host-kill", 1)),
            ("web host 1 started", lambda: cl.cluster("host-start", 1)),
        ])
        bad, problems = self.claim_windows(answers, phases, "web host")
        # A clean stop loses nothing: the front passes a refused
        # connection on to the other host, and the stopping host ends
        # the requests it has.
        stop = phases[0]
        during = [a for a in bad if stop.start <= a[3] <= phases[1].start]
        if during:
            problems.append("%d writes refused while a host stopped cleanly "
                            "%s" % (len(during), cl.statuses(during)))
        # Both hosts serve again (the front tries a host that failed
        # again after its fail_timeout, 2 s).
        before = {n: self.access_lines(n) for n in cl.HOSTS}

        def both_serve():
            self.assertEqual(client.api("GET", "/healthz").status, 200)
            return all(self.access_lines(n) > before[n] for n in cl.HOSTS)
        client.wait_until(both_serve, timeout=30, interval=0.2,
                          what="both web hosts serving through the front")
        acked, found = cl.check_writes(self, answers, self.prefix)
        cl.summary("web host: %d writes, %d answered 201, %d refused %s; "
                   "all acknowledged creates present once with one audit "
                   "entry" % (len(answers), acked, len(bad),
                              cl.statuses(answers)))
        self.assertEqual(problems, [])


class SchedLeader(FaultCase):
    PREFIX = "sched"

    def leader(self):
        out = cl.cluster("sched-leader").split()
        return int(out[0]), out[1]

    def ticks(self):
        """Ticks run so far, by any leader: the heartbeats job runs every
        tick and counts its runs (sched_job_runs, sql/013)."""
        r = cl.sql("SELECT runs FROM sched_job_runs WHERE job = 'heartbeats'")
        return int(r[0][0]) if r else 0

    def silent_service(self):
        """A service whose last heartbeat is long past: the leader's next
        tick sets it Down, opens one downtime and raises one alert."""
        sid = client.create_service(name=client.unique_name(self.prefix))
        r = client.api("POST", "/api/services/%d/status" % sid,
                       {"status": "Up"}, token=client.owner_token())
        self.assertEqual(r.status, 200, r)
        cl.sql("UPDATE service_status SET last_updated = UTC_TIMESTAMP() - "
               "INTERVAL 2 HOUR WHERE service_id = %d" % sid)
        return sid

    def test_leader_killed(self):
        ttl = int(cl.conf_value("sched", "lease_ttl"))
        tick = int(cl.conf_value("sched", "tick"))
        self.prefix = "sched%d_" % int(time.time())
        problems = []
        n, holder = client.wait_until(self.leader, timeout=ttl + 3 * tick,
                                      what="a leader")
        other = 3 - n
        follower = cl.sched_pid(other)
        self.assertIsNotNone(follower, "web host %d runs no daemon" % other)
        logs = {h: os.path.join(cl.host_dir(h), "log", "sched.log")
                for h in cl.HOSTS}
        marks = {h: cl.log_size(p) for h, p in logs.items()}
        _, epoch, _ = cl.lease()
        # Services that go silent before, across and after the takeover.
        sids = [self.silent_service() for _ in range(3)]
        # Three ticks as they are: one leader, the same.
        seen = set()
        runs = self.ticks()

        def three_ticks():
            h, e, _ = cl.lease()
            seen.add((h, e))
            return self.ticks() >= runs + 3
        client.wait_until(three_ticks, timeout=6 * tick, what="three ticks")
        self.assertEqual(seen, {(holder, epoch)}, "the lease changed hands")

        writers = cl.Writers(client.owner_token(), self.prefix + "w")
        samples = []
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    h, e, left = cl.lease()
                    samples.append((time.monotonic(), h, e, left))
                except RuntimeError:
                    pass
                time.sleep(0.1)
        sampler = threading.Thread(target=sample)
        try:
            writers.wait_created(10, 0, what="creates before the kill")
            sampler.start()
            killed = time.monotonic()
            cl.cluster("sched-kill", n)
            while time.monotonic() < killed + 2 * tick:
                sids.append(self.silent_service())
            new = client.wait_until(
                lambda: (lambda h: h[0] not in ("", holder) and h)(cl.lease()),
                timeout=ttl + 3 * tick, interval=0.1, what="a takeover")
            took = time.monotonic() - killed
            sids += [self.silent_service() for _ in range(3)]
            # Three ticks of the new leader.
            runs = self.ticks()
            client.wait_until(lambda: self.ticks() >= runs + 3,
                              timeout=6 * tick, what="three ticks of the new leader")
            writers.wait_created(10, time.monotonic(),
                                 what="creates after the takeover")
        finally:
            stop.set()
            if sampler.is_alive():
                sampler.join()
            answers = writers.finish()
            cl.cluster("sched-start", n)

        self.assertEqual(cl.holder_pid(new[0]), follower,
                         "the lease went to %s, not web host %d's daemon"
                         % (new[0], other))
        self.assertEqual(new[1], epoch + 1, "more than one takeover")
        # One holder at any moment: the old one until it expired, then
        # nobody, then the new one for good.
        order = []
        for _, h, e, left in samples:
            who = h if left > 0 else ""
            if not order or order[-1] != who:
                order.append(who)
        self.assertIn(order, ([holder, "", new[0]], [holder, new[0]],
                              ["", new[0]], [new[0]]), order)
        text = {h: cl.log_since(p, marks[h]) for h, p in logs.items()}
        self.assertEqual(text[other].count("leading as"), 1, text[other])
        self.assertNotIn("leading as", text[n])
        # Within the lease time: the follower wakes as the dead leader's
        # lease ends (its last renewal, at most a lease_ttl before the
        # kill), not at its next tick; 1 s for this test's own polling.
        self.assertLessEqual(took, ttl + 1.0)
        cl.summary("sched: leader (web host %d) killed; web host %d's "
                   "daemon leads after %.1f s (lease_ttl %d s, tick %d s), "
                   "epoch %d -> %d; writes refused meanwhile: %d of %d"
                   % (n, other, took, ttl, tick, epoch, new[1],
                      len(cl.failures(answers)), len(answers)))
        if cl.failures(answers):
            problems.append("writes refused while the daemon was killed: %s"
                            % cl.statuses(answers))

        # Every silent service: Down, one downtime, one alert, once.
        ids = ",".join(map(str, sids))

        def down():
            return int(cl.sql(
                "SELECT COUNT(*) FROM service_status WHERE status = 'Down' "
                "AND service_id IN (%s)" % ids)[0][0])
        waited = time.monotonic()
        try:
            client.wait_until(lambda: down() == len(sids),
                              timeout=ttl + 5 * tick,
                              what="every silent service Down")
        except AssertionError:
            log = cl.log_since(logs[other], marks[other])
            problems.append(
                "%d of %d silent services not Down %.0f s after the writers "
                "stopped; since the takeover the new leader logged %d "
                "'job heartbeats failed' and %d 1213 (certification "
                "conflicts)" % (len(sids) - down(), len(sids),
                                time.monotonic() - waited,
                                log.count("job heartbeats failed"),
                                log.count(": 1213 ")))
        downtimes = dict((int(s), int(c)) for s, c in cl.sql(
            "SELECT service_id, COUNT(*) FROM downtimes WHERE source = "
            "'heartbeat' AND service_id IN (%s) GROUP BY service_id" % ids))
        alerts = dict((int(s), int(c)) for s, c in cl.sql(
            "SELECT service_id, COUNT(*) FROM alerts WHERE type = "
            "'StatusChange' AND service_id IN (%s) GROUP BY service_id" % ids))
        twice = sorted(s for s in sids
                       if downtimes.get(s, 0) > 1 or alerts.get(s, 0) > 1)
        if twice:
            problems.append("services with two downtimes or alerts: %r" % twice)
        done = [s for s in sids if downtimes.get(s) == 1 and alerts.get(s) == 1]
        cl.summary("sched: %d services gone silent across the takeover: %d "
                   "with one downtime and one alert, %d with none yet, %d "
                   "twice" % (len(sids), len(done),
                              len(sids) - len(done) - len(twice), len(twice)))
        cl.check_writes(self, answers, self.prefix + "w")
        cl.audit_verified(self)
        self.assertEqual(problems, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
