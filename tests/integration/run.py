#!/usr/bin/env python3
"""Run the integration suite: every tests/integration/test_*.py, in file
order, verbose.  The last line is `N passed, N failed` (`, N skipped`
when some were); the exit status is 1 on any failure or error.

The stack must be running: `./dev.sh test` starts one and sets
RESILOPS_URL, RESILOPS_STATE and RESILOPS_BUILD (tests/cluster/cluster.sh
suite: the cluster's front, and RESILOPS_LAYOUT=cluster).  Arguments, all
optional: `-k PATTERN` (repeatable) runs only the tests whose name
matches, as in `python3 -m unittest -k`; a module name (test_stack)
limits discovery to that file.
"""

import argparse
import collections
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class CountingResult(unittest.TextTestResult):
    """Counts passes too (unittest only keeps failures and skips)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0
        # test id -> wall seconds since the previous test ended, so
        # that a class's or module's setUp is counted with its first
        # test (unittest runs it before startTest)
        self.seconds = {}
        self.failed_at = []
        self._last = time.monotonic()

    def stopTest(self, test):
        super().stopTest(test)
        now = time.monotonic()
        self.seconds[test.id()] = now - self._last
        self._last = now

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._when(test)

    def addError(self, test, err):
        super().addError(test, err)
        self._when(test)

    def _when(self, test):
        """When each failure happened, to set beside the servers' logs
        (dev.sh's recap of a failed pass)."""
        self.failed_at.append((time.strftime("%H:%M:%SZ", time.gmtime()),
                               test.id()))

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.passed += 1


def web_server():
    sys.path.insert(0, HERE)
    import client
    return client.web_server() if client.STATE else "nginx"


def client_layout():
    import client
    return client.layout()


def tests_of(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from tests_of(t)
        else:
            yield t


def for_web_server(suite, web):
    """The tests of the modules that run through this web server.  A
    module that is about one web server's own arrangement (the spawn-fcgi
    pool behind nginx, say) names it in WEB_SERVERS, and why in
    WEB_SERVERS_WHY; the rest run through each.  Returns the suite and
    {module: why} for the modules left out."""
    kept = unittest.TestSuite()
    left = {}
    for t in tests_of(suite):
        mod = sys.modules.get(type(t).__module__)
        if web in getattr(mod, "WEB_SERVERS", (web,)):
            kept.addTest(t)
        else:
            left[mod.__name__] = getattr(mod, "WEB_SERVERS_WHY", "")
    return kept, left


def for_layout(suite, layout):
    """The tests that hold in this layout: "single" (one host, its own
    MariaDB) or "cluster" (web hosts behind a front, on a Galera
    cluster).  A module or a test class about one host's own arrangement
    (its MariaDB, its pool's workers, its config) names the layouts it
    holds in, in LAYOUTS, and why in LAYOUTS_WHY (client.only_in marks a
    class or a test; a test's win over its class's, a class's over its
    module's).  Returns the suite and {module, class or test: why} for
    what is left out."""
    kept = unittest.TestSuite()
    left = {}
    for t in tests_of(suite):
        mod = sys.modules.get(type(t).__module__)
        cls = type(t)
        fn = getattr(cls, getattr(t, "_testMethodName", ""), None)
        if hasattr(fn, "LAYOUTS"):
            where, name = fn, t.id()
        elif "LAYOUTS" in vars(cls):
            where, name = cls, "%s.%s" % (mod.__name__, cls.__name__)
        else:
            where, name = mod, mod.__name__
        if layout in getattr(where, "LAYOUTS", (layout,)):
            kept.addTest(t)
        else:
            left[name] = getattr(where, "LAYOUTS_WHY", "")
    return kept, left


def report_time(seconds, stream, n=8):
    """Where the suite's time went: the slowest modules and tests, so
    that keeping CI within its time starts from figures.  A class's
    setUpClass is counted with its first test."""
    if not seconds:
        return
    mods = collections.Counter()
    for tid, s in seconds.items():
        mods[tid.split(".")[0]] += s
    stream.write("time: %.0f s in tests; slowest modules: %s\n" % (
        sum(seconds.values()),
        ", ".join("%s %.0f s" % m for m in mods.most_common(n))))
    slow = sorted(seconds.items(), key=lambda kv: -kv[1])[:n]
    stream.write("time: slowest tests: %s\n" % ", ".join(
        "%s %.1f s" % (tid.split(".")[-1], s) for tid, s in slow))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", dest="patterns", action="append", default=None,
                    help="run only tests matching this pattern")
    ap.add_argument("modules", nargs="*", help="test modules (test_stack ...)")
    args = ap.parse_args()

    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [p if "*" in p else "*%s*" % p
                                   for p in args.patterns]
    if args.modules:
        suite = loader.loadTestsFromNames(
            [m[:-3] if m.endswith(".py") else m for m in args.modules])
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)

    suite, left = for_web_server(suite, web_server())
    for name, why in sorted(left.items()):
        print("not through %s: %s (%s)" % (web_server(), name, why))
    layout = client_layout()
    suite, left = for_layout(suite, layout)
    for name, why in sorted(left.items()):
        print("not in the %s layout: %s (%s)" % (layout, name, why))
    if left:
        print("%d modules, classes or tests left out in the %s layout"
              % (len(left), layout))
    print("integration: %s (state %s)" % (
        os.environ.get("RESILOPS_URL", "RESILOPS_URL unset"),
        os.environ.get("RESILOPS_STATE", "unset")), flush=True)
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2,
                                     resultclass=CountingResult)
    result = runner.run(suite)
    failed = (len(result.failures) + len(result.errors)
              + len(result.unexpectedSuccesses))
    summary = "%d passed, %d failed" % (result.passed, failed)
    if result.skipped:
        summary += ", %d skipped" % len(result.skipped)
    sys.stdout.flush()
    sys.stderr.flush()
    report_time(result.seconds, sys.stdout)
    for when, tid in result.failed_at[:3]:
        print("failed at %s: %s" % (when, tid))
    print(summary, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
