"""Helpers for the cluster's fault tests (standard library only): the
cluster's verbs, SQL on whichever Galera node answers, and the writers
that load the front while a fault happens.

The cluster is named by the environment that `tests/cluster/cluster.sh
STATE faults` sets: RESILOPS_CLUSTER_STATE (its state dir),
RESILOPS_URL (the front), RESILOPS_STATE (web host 1's state dir) and
RESILOPS_BUILD.
"""

import configparser
import os
import pwd
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))

import client  # noqa: E402  (the integration suite's helpers)

CSTATE = os.environ.get("RESILOPS_CLUSTER_STATE", "")
CLUSTER_SH = os.path.join(HERE, "cluster.sh")
HOSTS = (1, 2)
NODES = (1, 2, 3)


def cluster(*args, timeout=600):
    """tests/cluster/cluster.sh STATE ARGS...; returns its output, raises
    on failure (with what it said)."""
    if not CSTATE:
        raise RuntimeError("RESILOPS_CLUSTER_STATE is not set")
    r = subprocess.run([CLUSTER_SH, CSTATE] + [str(a) for a in args],
                       capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise RuntimeError("cluster.sh %s failed (%d): %s%s"
                           % (" ".join(map(str, args)), r.returncode,
                              r.stdout, r.stderr))
    return r.stdout


def host_dir(n):
    return os.path.join(CSTATE, "host%d" % n)


def node_socket(n):
    return os.path.join(CSTATE, "galera", "run", "node%d.sock" % n)


def conf_value(section, key, host=1):
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",))
    cp.read(os.path.join(host_dir(host), "resilops.conf"))
    return cp.get(section, key)


def sql(statement, nodes=NODES):
    """Rows (lists of strings) of statement on the first of nodes that
    answers, as the database superuser, waiting for every write committed
    anywhere before it: a node that just rejoined or lags shows what the
    others committed.  wsrep_sync_wait 7, not 1: 1 covers reads only,
    and an UPDATE of a row a request had just written through another
    node once ran before that node had it (and changed nothing)."""
    user = pwd.getpwuid(os.getuid()).pw_name
    errors = []
    for n in nodes:
        r = subprocess.run(
            ["mariadb", "--no-defaults", "--skip-ssl",
             "--socket=" + node_socket(n), "-u", user, "-N", "-B",
             "--connect-timeout=2", "resilops", "-e",
             "SET SESSION wsrep_sync_wait = 7; " + statement],
            capture_output=True, text=True, timeout=60)
        if r.returncode == 0:
            return [line.split("\t") for line in r.stdout.splitlines()]
        errors.append("node %d: %s" % (n, r.stderr.strip()))
    raise RuntimeError("sql failed on every node: %s" % "; ".join(errors))


def lease():
    """(holder, epoch, seconds until it expires) as the cluster sees it."""
    holder, epoch, left = sql(
        "SELECT holder, epoch, TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), "
        "expires_at) / 1e6 FROM sched_lease WHERE id = 1")[0]
    return holder, int(epoch), float(left)


def sched_pid(n):
    """Web host n's resilops-sched pid, or None."""
    for line in cluster_stack(n, "pids").splitlines():
        name, pid = line.split()
        if name == "sched":
            return int(pid)
    return None


def cluster_stack(n, verb):
    """tests/stack.sh on web host n (pids, fcgi-pids, ...)."""
    r = subprocess.run([os.path.join(TOP, "tests", "stack.sh"), host_dir(n),
                        verb], capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise RuntimeError("stack.sh host%d %s: %s" % (n, verb, r.stderr))
    return r.stdout


def holder_pid(holder):
    """The pid in a lease holder, host:pid:random (resilops-sched)."""
    return int(holder.split(":")[-2]) if holder.count(":") >= 2 else None


def log_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def log_since(path, offset):
    with open(path, errors="replace") as f:
        f.seek(offset)
        return f.read()


class Writers:
    """THREADS clients creating services through the front with names of
    their own (prefix), each answer kept as (name, status, service id or
    None, seconds sent, seconds answered) on time.monotonic()."""

    THREADS = 6

    def __init__(self, token, prefix):
        self.token = token
        self.prefix = prefix
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers = []
        self.threads = [threading.Thread(target=self.run, args=(k,))
                        for k in range(self.THREADS)]
        for t in self.threads:
            t.start()

    def run(self, k):
        while not self.stop.is_set():
            name = client.unique_name("%s%d_" % (self.prefix, k))
            sent = time.monotonic()
            try:
                r = client.api("POST", "/api/services", {"name": name},
                               token=self.token, timeout=30)
                answer = (name, r.status,
                          r.json.get("service_id") if r.status == 201
                          and r.json else None)
            except OSError:
                # No answer at all: the outcome is unknown, as for a 5xx.
                answer = (name, 0, None)
            with self.lock:
                self.answers.append(answer + (sent, time.monotonic()))

    def count(self, pred=lambda a: True):
        with self.lock:
            return sum(1 for a in self.answers if pred(a))

    def created_since(self, t):
        """Creates answered 201 that were sent after monotonic time t."""
        return self.count(lambda a: a[1] == 201 and a[3] >= t)

    def wait_created(self, n, since, timeout=120, what="creates"):
        client.wait_until(lambda: self.created_since(since) >= n,
                          timeout=timeout, interval=0.1,
                          what="%d %s answered 201" % (n, what))

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        return list(self.answers)


def failures(answers):
    return [a for a in answers if a[1] != 201]


def window(answers, t0):
    """(first, last) failed answers' arrival, seconds after t0; None
    when none failed."""
    bad = failures(answers)
    if not bad:
        return None
    return (min(a[4] for a in bad) - t0, max(a[4] for a in bad) - t0)


def statuses(answers):
    """{status: count} of the failed answers."""
    out = {}
    for a in failures(answers):
        out[a[1]] = out.get(a[1], 0) + 1
    return out


def check_writes(test, answers, prefix):
    """Every create answered 201 is in the database exactly once, under
    the id it was answered with, with one audit entry; none is there
    twice, refused or not; and the audit chain verifies once sealed."""
    acked = {a[0]: a[2] for a in answers if a[1] == 201}
    test.assertTrue(acked, "no create succeeded")
    found = {}
    for name, sid, n in sql("SELECT name, MIN(id), COUNT(*) FROM services "
                            "WHERE name LIKE '%s%%' GROUP BY name" % prefix):
        found[name] = (int(sid), int(n))
    test.assertEqual([n for n, (_, c) in found.items() if c > 1], [],
                     "services created twice")
    lost = [n for n, sid in acked.items()
            if found.get(n, (None,))[0] != sid]
    test.assertEqual(lost, [], "acknowledged creates lost or changed")
    ids = sorted(acked.values())
    audit = {}
    for i in range(0, len(ids), 500):
        chunk = ", ".join(str(x) for x in ids[i:i + 500])
        for e, n in sql("SELECT entity_id, COUNT(*) FROM audit_log WHERE "
                        "action = 'Service Created' AND entity_id IN (%s) "
                        "GROUP BY entity_id" % chunk):
            audit[int(e)] = int(n)
    test.assertEqual(sorted(k for k, n in audit.items() if n == 1), ids,
                     "each acknowledged create has one audit entry")
    # Unknown outcomes (refused, no answer) that did commit: once each too.
    return len(acked), len(found)


def audit_verified(test):
    """Seal what is unsealed and verify the chain through host 1's config
    (its node list: any node that answers)."""
    client.admin_cli("audit", "seal")
    out = client.admin_cli("audit", "verify").stdout
    test.assertIn("audit chain OK", out)


def summary(line):
    """One measured figure, on a line of its own in the output."""
    print("\nSUMMARY: " + line, flush=True)
    with open(os.path.join(CSTATE, "faults-summary.txt"), "a") as f:
        f.write(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + line
                + "\n")
