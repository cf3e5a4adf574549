"""/metrics and the request log (issue 12): the exposition parses with a
strict Prometheus text-format parser (no skipped promtool run: the
suite does not skip; Debian's prometheus package is 96 MB for one
check the parser makes), requests through nginx are counted under their route
pattern whichever of the pool's workers answered, the daemon's figures
come from the database, only [metrics] allow may read it (127.0.0.1/32
::1/128 by default: another loopback address gets 404), every
request leaves one log line without its query string, and with
[metrics] shared_file processes started apart (as mod_fcgid starts
them) count into one file that a foreign layout never feeds."""

LAYOUTS = ("single",)
LAYOUTS_WHY = "one host's /metrics, request log and workers, and its own MariaDB stopped: through the front the other host may answer"

import math
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

import client
from client import (api, api_from, create_service, fcgi_request,
                    owner_token, viewer_token)

SCHED = os.path.join(client.BUILD, "resilops-sched")
FCGI = os.path.join(client.BUILD, "resilops.fcgi")
# What tests/stack.sh keeps from the program: the config file decides.
FCGI_ENV = {k: v for k, v in os.environ.items()
            if not k.startswith("MYSQL_")
            and k not in ("JWT_SECRET_KEY", "RESILOPS_CONFIG")}
NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")


def parse_value(text):
    if text in ("+Inf", "Inf"):
        return math.inf
    if text == "-Inf":
        return -math.inf
    if text == "NaN":
        return math.nan
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        raise AssertionError("bad sample value %r" % text)
    return float(text)


def parse_labels(text, lineno):
    """The inside of {...}: name="value" pairs, escapes \\\\ \\" \\n only.
    Returns (labels as a tuple of pairs, the rest of the line)."""
    labels = []
    i = 0
    while True:
        if text[i] == "}":
            return tuple(labels), text[i + 1:]
        m = re.match(r"([a-zA-Z_][a-zA-Z0-9_]*)=\"", text[i:])
        if not m:
            raise AssertionError("line %d: bad label at %r" % (lineno, text[i:]))
        name = m.group(1)
        i += m.end()
        value = []
        while True:
            c = text[i]
            if c == "\\":
                nxt = text[i + 1]
                if nxt not in "\\\"n":
                    raise AssertionError("line %d: bad escape \\%s" % (lineno, nxt))
                value.append("\n" if nxt == "n" else nxt)
                i += 2
            elif c == "\"":
                i += 1
                break
            elif c == "\n":
                raise AssertionError("line %d: raw newline in a label" % lineno)
            else:
                value.append(c)
                i += 1
        if name in dict(labels):
            raise AssertionError("line %d: label %s twice" % (lineno, name))
        labels.append((name, "".join(value)))
        if text[i] == ",":
            i += 1
        elif text[i] != "}":
            raise AssertionError("line %d: expected , or } at %r" % (lineno, text[i:]))


def family_of(name, types):
    """The family a sample belongs to: itself, or a histogram's."""
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and types.get(name[:-len(suffix)]) == "histogram":
            return name[:-len(suffix)]
    return name


def parse_exposition(text):
    """Strictly parse the text format 0.0.4.  Returns {family: {"type",
    "help", "samples": [(name, labels dict, value)]}}; AssertionError on
    anything a Prometheus server or promtool would refuse, and on our
    conventions: every family has HELP and TYPE before its samples, a
    counter's name ends in _total, families are contiguous, histograms
    are cumulative, end with le="+Inf" and _count equals it."""
    assert text.endswith("\n"), "the text must end with a newline"
    fams, types, seen_series = {}, {}, set()
    current = None
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        if line == "":
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                assert NAME.match(name), "line %d: bad name %r" % (lineno, name)
                fam = fams.setdefault(name, {"type": None, "help": None,
                                             "samples": []})
                assert not fam["samples"], "line %d: %s after samples" % (lineno, parts[1])
                key = parts[1].lower()
                assert fam[key] is None, "line %d: second %s for %s" % (lineno, parts[1], name)
                arg = parts[3] if len(parts) > 3 else ""
                if parts[1] == "TYPE":
                    assert arg in TYPES, "line %d: bad type %r" % (lineno, arg)
                    types[name] = arg
                else:
                    assert "\n" not in arg
                fam[key] = arg
                current = name
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)", line)
        assert m, "line %d: no metric name: %r" % (lineno, line)
        name, rest = m.group(1), line[m.end():]
        labels = ()
        if rest.startswith("{"):
            labels, rest = parse_labels(rest[1:], lineno)
        assert rest.startswith(" "), "line %d: no space before the value" % lineno
        fields = rest[1:].split(" ")
        assert 1 <= len(fields) <= 2, "line %d: %r" % (lineno, rest)
        value = parse_value(fields[0])
        if len(fields) == 2:
            assert re.fullmatch(r"-?\d+", fields[1]), "line %d: bad timestamp" % lineno
        fam_name = family_of(name, types)
        fam = fams.get(fam_name)
        assert fam is not None and fam["type"] and fam["help"] is not None, \
            "line %d: %s has no HELP and TYPE before it" % (lineno, name)
        assert fam_name == current, \
            "line %d: %s is not in its family's block" % (lineno, name)
        series = (name, labels)
        assert series not in seen_series, "line %d: duplicate series" % lineno
        seen_series.add(series)
        if fam["type"] == "counter":
            assert name.endswith("_total"), "line %d: counter %s without _total" % (lineno, name)
            assert value >= 0, "line %d: negative counter" % lineno
        fam["samples"].append((name, dict(labels), value))
    for fam_name, fam in fams.items():
        assert fam["type"] is not None and fam["help"] is not None, fam_name
        if fam["type"] == "histogram":
            check_histogram(fam_name, fam["samples"])
    return fams


def check_histogram(fam_name, samples):
    groups = {}
    for name, labels, value in samples:
        key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        g = groups.setdefault(key, {"buckets": [], "sum": None, "count": None})
        if name == fam_name + "_bucket":
            assert "le" in labels, "%s: bucket without le" % fam_name
            g["buckets"].append((parse_value(labels["le"]), value))
        elif name == fam_name + "_sum":
            g["sum"] = value
        elif name == fam_name + "_count":
            g["count"] = value
        else:
            raise AssertionError("%s: stray sample %s" % (fam_name, name))
    for key, g in groups.items():
        b = g["buckets"]
        assert b, "%s%s: no buckets" % (fam_name, key)
        les = [le for le, _ in b]
        assert les == sorted(les), "%s%s: le not ascending" % (fam_name, key)
        assert les[-1] == math.inf, "%s%s: no +Inf bucket" % (fam_name, key)
        counts = [c for _, c in b]
        assert counts == sorted(counts), "%s%s: not cumulative" % (fam_name, key)
        assert g["sum"] is not None and g["count"] is not None, \
            "%s%s: _sum or _count missing" % (fam_name, key)
        assert g["count"] == counts[-1], "%s%s: _count != +Inf" % (fam_name, key)


def scrape(source=None):
    r = api_from(source, "GET", "/metrics") if source else api("GET", "/metrics")
    return r


def sample(fams, family, name=None, **labels):
    """The value of one series, or None."""
    # class_ for the label "class" (a Python keyword).
    labels = {k.rstrip("_"): v for k, v in labels.items()}
    for n, l, v in fams.get(family, {}).get("samples", []):
        if n == (name or family) and all(l.get(k) == v2 for k, v2 in labels.items()):
            return v
    return None


def fcgi_log():
    with open(client.fcgi_log_path(),
              encoding="utf-8", errors="replace") as f:
        return f.read()


class TestParser(unittest.TestCase):
    """The test's own parser refuses what it should."""

    def test_parser_refuses_bad_texts(self):
        bad = [
            "x 1\n",                                              # no TYPE
            "# HELP x_total a\n# TYPE x_total counter\nx_total{a=\"\\q\"} 1\n",
            "# HELP x a\n# TYPE x counter\nx 1\n",                # no _total
            "# HELP h a\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
            "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",      # not cumulative
            "# HELP h a\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
            "h_sum 1\nh_count 1\n",                               # no +Inf
            "# HELP g a\n# TYPE g gauge\ng 1\ng 2\n",              # duplicate
            "# HELP 9g a\n# TYPE 9g gauge\n",
        ]
        for text in bad:
            with self.assertRaises((AssertionError, IndexError), msg=text):
                parse_exposition(text)

    def test_parser_accepts_good_text(self):
        fams = parse_exposition(
            "# HELP h_seconds a\n# TYPE h_seconds histogram\n"
            "h_seconds_bucket{r=\"a\\\"b\",le=\"0.1\"} 1\n"
            "h_seconds_bucket{r=\"a\\\"b\",le=\"+Inf\"} 2\n"
            "h_seconds_sum{r=\"a\\\"b\"} 0.3\nh_seconds_count{r=\"a\\\"b\"} 2\n")
        self.assertEqual(fams["h_seconds"]["samples"][0][1]["r"], "a\"b")


class TestMetrics(unittest.TestCase):

    def test_exposition_parses_strictly(self):
        api("GET", "/healthz")
        r = scrape()
        self.assertEqual(r.status, 200, r)
        # Kept beside the stack's logs for whoever reads a failure.
        with open(os.path.join(client.STATE, "log", "metrics.txt"), "w") as f:
            f.write(r.text)
        self.assertTrue(r.headers["Content-Type"].startswith(
            "text/plain; version=0.0.4"), r.headers["Content-Type"])
        fams = parse_exposition(r.text)
        for fam, kind in [
                ("resilops_http_requests_total", "counter"),
                ("resilops_http_request_duration_seconds", "histogram"),
                ("resilops_db_errors_total", "counter"),
                ("resilops_db_reconnects_total", "counter"),
                ("resilops_outbox_depth", "gauge"),
                ("resilops_sched_job_last_duration_seconds", "gauge"),
                ("resilops_sched_job_lag_seconds", "gauge"),
                ("resilops_sched_lease_epoch", "gauge"),
                ("resilops_sched_lease_holder_info", "gauge"),
                ("resilops_db_up", "gauge")]:
            self.assertEqual(fams.get(fam, {}).get("type"), kind, fam)
        self.assertEqual(sample(fams, "resilops_db_up"), 1)
        for box in ("outbox", "subscriber_outbox"):
            self.assertIsNotNone(sample(fams, "resilops_outbox_depth",
                                        outbox=box), box)

    def test_requests_counted_by_pattern_across_workers(self):
        sid = create_service(token=owner_token())
        token = viewer_token()
        pattern = "/api/services/<id>"

        def count(fams):
            return sample(fams, "resilops_http_requests_total",
                          route=pattern, method="GET", status="200") or 0

        before = count(parse_exposition(scrape().text))
        rids = []

        def one(rid):
            return api("GET", "/api/services/%d" % sid, token=token,
                       headers={"X-Request-Id": rid}).status

        def served_by():
            log = client.wait_until(
                lambda: (lambda t: t if all(("id=%s " % r) in t for r in rids)
                         else None)(fcgi_log()), what="request log lines")
            return set(re.findall(r"resilops\.fcgi\[(\d+)\] info: request "
                                  r"id=metricsn", log))

        # Rounds of 40, 8 at a time, until more than one worker served
        # them: mod_fcgid starts processes as its spawn score allows (it
        # counts the processes the earlier tests stopped), at most 10.
        for _ in range(10):
            batch = ["metricsn%03d%s" % (len(rids) + i, os.urandom(4).hex())
                     for i in range(40)]
            rids += batch
            with ThreadPoolExecutor(max_workers=8) as pool:
                self.assertEqual(list(pool.map(one, batch)), [200] * 40)
            pids = served_by()
            if len(pids) > 1:
                break
        self.assertGreater(len(pids), 1, pids)
        # Every scrape, whichever worker answers it, sees all of them.
        for _ in range(8):
            text = scrape().text
            self.assertEqual(count(parse_exposition(text)) - before, len(rids))
            self.assertNotIn("/api/services/%d\"" % sid, text)

    def test_unrouted_counted_as_dash(self):
        def count():
            return sample(parse_exposition(scrape().text),
                          "resilops_http_requests_total", route="-",
                          status="404") or 0
        before = count()
        for i in range(3):
            self.assertEqual(api("GET", "/no/such/path/%d" % i).status, 404)
        self.assertEqual(count() - before, 3)

    def test_not_allowed_address_gets_404(self):
        r = api_from("127.0.0.9", "GET", "/metrics")
        self.assertEqual(r.status, 404, r)
        self.assertNotIn("resilops_", r.text)
        # Not a 405 with Allow either: nothing says the path exists.
        r = api_from("127.0.0.9", "POST", "/metrics")
        self.assertEqual(r.status, 404, r)
        self.assertIsNone(r.headers.get("Allow"))
        # From an allowed address the wrong method is an ordinary 405.
        self.assertEqual(api("POST", "/metrics").status, 405)

    def test_daemon_figures_from_database(self):
        p = subprocess.run([SCHED, "-c", client.config_path(), "--once"],
                           capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        fams = parse_exposition(scrape().text)
        self.assertGreaterEqual(sample(fams, "resilops_sched_job_runs_total",
                                       job="heartbeats") or 0, 1)
        lag = sample(fams, "resilops_sched_job_lag_seconds", job="heartbeats")
        self.assertIsNotNone(lag)
        self.assertTrue(0 <= lag < 120, lag)
        self.assertIsNotNone(sample(fams,
                                    "resilops_sched_job_last_duration_seconds",
                                    job="rollup"))
        self.assertGreaterEqual(sample(fams, "resilops_sched_lease_epoch"), 1)

    def test_request_log_line(self):
        rid = "metricslog" + os.urandom(6).hex()
        secret = "s3cr3t" + os.urandom(6).hex()
        r = api("GET", "/healthz?token=%s" % secret,
                headers={"X-Request-Id": rid})
        self.assertEqual(r.status, 200)
        line = client.wait_until(
            lambda: next((l for l in fcgi_log().splitlines()
                          if ("id=%s " % rid) in l), None),
            what="the request's log line")
        self.assertRegex(line, r"resilops\.fcgi\[\d+\] info: request id=%s "
                         r"method=GET route=/healthz status=200 ms=\d+\.\d "
                         r"user=- key=-$" % rid)
        self.assertNotIn(secret, fcgi_log())
        # An authenticated caller is named; the raw path is not logged.
        rid = "metricslog" + os.urandom(6).hex()
        api("GET", "/api/services/987654321?q=%s" % secret,
            token=viewer_token(), headers={"X-Request-Id": rid})
        line = client.wait_until(
            lambda: next((l for l in fcgi_log().splitlines()
                          if ("id=%s " % rid) in l), None),
            what="the request's log line")
        self.assertRegex(line, r"method=GET route=/api/services/<id> "
                         r"status=404 ms=\S+ user=[^-\s]\S* key=-$")
        self.assertNotIn("987654321", line)
        self.assertNotIn(secret, fcgi_log())


class TestMetricsWithoutDatabase(unittest.TestCase):

    def test_database_down_still_answers_and_counts_reconnects(self):
        token = viewer_token()
        before = parse_exposition(scrape().text)
        client.stack("db-stop")
        try:
            # Every worker notices, whichever one each request lands on.
            for _ in range(8):
                r = api("GET", "/healthz")
                self.assertEqual(r.status, 503, r)
            r = scrape()
            self.assertEqual(r.status, 200, r)
            fams = parse_exposition(r.text)
            self.assertEqual(sample(fams, "resilops_db_up"), 0)
            # A scraper's credential does not make it need the database.
            r = api("GET", "/metrics", token=token)
            self.assertEqual(r.status, 200, r)
            self.assertNotIn("resilops_outbox_depth", fams)
            self.assertGreater(
                sample(fams, "resilops_db_errors_total", class_="connection")
                or sample(fams, "resilops_db_connect_failures_total"), 0)
        finally:
            client.stack("db-start")
        client.wait_until(lambda: api("GET", "/healthz").status == 200,
                          timeout=30, what="/healthz 200 after db-start")
        for _ in range(8):
            api("GET", "/healthz")
        fams = parse_exposition(scrape().text)
        self.assertEqual(sample(fams, "resilops_db_up"), 1)
        self.assertGreater(sample(fams, "resilops_db_reconnects_total"),
                           sample(before, "resilops_db_reconnects_total"))
        self.assertGreater(sample(fams, "resilops_db_connect_failures_total"),
                           sample(before, "resilops_db_connect_failures_total"))


class TestSharedFile(unittest.TestCase):
    """[metrics] shared_file: resilops.fcgi processes that no supervisor
    forked, each on its own listening socket as mod_fcgid starts them."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="shm", dir=client.STATE)
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.shared = os.path.join(self.dir, "metrics")

    def config(self, shared_file):
        path = os.path.join(self.dir, "resilops.conf")
        with open(client.config_path()) as f:
            text = f.read()
        # 0600, as the program demands of a file that holds its secrets.
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                          0o600), "w") as f:
            f.write(text + "\n[metrics]\nshared_file = %s\n" % shared_file)
        return path

    def start(self, name, shared_file=None):
        """(process, its socket path, its log path), the socket listening
        before the program starts, on its fd 0 (what spawn-fcgi and
        mod_fcgid do)."""
        sock_path = os.path.join(self.dir, name + ".sock")
        log_path = os.path.join(self.dir, name + ".log")
        conf = self.config(shared_file or self.shared)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s, \
                open(log_path, "w") as log:
            s.bind(sock_path)
            s.listen(16)
            proc = subprocess.Popen([FCGI, "-c", conf], stdin=s.fileno(),
                                    stdout=log, stderr=log, env=FCGI_ENV)
        self.addCleanup(self.stop, proc)
        return proc, sock_path, log_path

    @staticmethod
    def stop(proc):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    def healthz_200(self, sock_path):
        status, _, body = fcgi_request(sock_path, "GET", "/metrics")
        self.assertEqual(status, 200, body)
        fams = parse_exposition(body.decode())
        return sample(fams, "resilops_http_requests_total", route="/healthz",
                      method="GET", status="200") or 0

    def test_processes_started_apart_count_into_one_file(self):
        a, sock_a, _ = self.start("a")
        b, sock_b, _ = self.start("b")
        for _ in range(3):
            self.assertEqual(fcgi_request(sock_a, "GET", "/healthz")[0], 200)
        # B answered none of them, and sees all three.
        self.assertEqual(self.healthz_200(sock_b), 3)
        self.assertEqual(fcgi_request(sock_b, "GET", "/healthz")[0], 200)
        self.assertEqual(self.healthz_200(sock_a), 4)
        # Neither ever had a supervisor: two separate programs.
        self.assertIsNone(a.poll())
        self.assertIsNone(b.poll())
        self.assertNotEqual(a.pid, b.pid)

    def test_file_of_another_layout_is_reset_not_trusted(self):
        a, sock_a, _ = self.start("a")
        self.assertEqual(fcgi_request(sock_a, "GET", "/healthz")[0], 200)
        self.stop(a)
        size = os.path.getsize(self.shared)
        self.assertGreater(size, 0)
        # The right size, and every counter would read 0x0101...: if this
        # were believed, /healthz would show far more than one request.
        with open(self.shared, "r+b") as f:
            f.write(b"\x01" * size)
        _, sock_b, _ = self.start("b")
        self.assertEqual(fcgi_request(sock_b, "GET", "/healthz")[0], 200)
        self.assertEqual(self.healthz_200(sock_b), 1)
        self.assertEqual(os.path.getsize(self.shared), size)
        with open(self.shared, "rb") as f:
            self.assertNotEqual(f.read(8), b"\x01" * 8)

    def test_unusable_path_stops_the_program(self):
        os.mkdir(os.path.join(self.dir, "adir"))
        os.symlink(self.shared, os.path.join(self.dir, "link"))
        for name, why in (("adir", "Is a directory"),
                          ("link", "Too many levels of symbolic links")):
            path = os.path.join(self.dir, name)
            proc, _, log_path = self.start("bad" + name, shared_file=path)
            self.assertNotEqual(proc.wait(timeout=30), 0)
            with open(log_path) as f:
                log = f.read()
            self.assertIn("shared_file %s: %s" % (path, why), log)


if __name__ == "__main__":
    unittest.main()
