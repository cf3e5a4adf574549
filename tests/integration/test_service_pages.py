"""The services list's pages from kept anchors (sql/025, speed issue 13):
the id at every 32nd place in id order, kept by every insert and delete
of a service (and written again by an import), so that a page past the
first starts from the anchor before it.  Checked against the table
itself after creates and deletes, one at a time and racing."""

import threading
import unittest

import client
from client import api, create_service, owner_token

STRIDE = 32


def anchors():
    rows = client.sql("SELECT k, id FROM service_anchors ORDER BY k")
    return [tuple(int(x) for x in line.split("\t"))
            for line in rows.splitlines()]


def ranked_ids():
    return [int(x) for x in client.sql(
        "SELECT id FROM services ORDER BY id").split()]


def assert_anchors_exact(test):
    """Every anchor names the service at its place, and there is one for
    every 32nd place there is."""
    ids = ranked_ids()
    want = [(k, ids[k * STRIDE]) for k in range((len(ids) + STRIDE - 1)
                                                // STRIDE)]
    test.assertEqual(anchors(), want)
    count = int(client.sql(
        "SELECT n FROM counters WHERE name = 'services'").strip())
    test.assertEqual(count, len(ids))


def walk(test, per_page):
    tok = client.viewer_token()
    got, page = [], 1
    while True:
        r = api("GET", "/api/services?per_page=%d&page=%d" % (per_page, page),
                token=tok)
        test.assertEqual(r.status, 200, r)
        if not r.json:
            break
        got += [s["id"] for s in r.json]
        page += 1
    return got


def parallel(n, fn):
    errors = []

    def run(i):
        try:
            fn(i)
        except Exception as e:          # reported below, in the test
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


class Anchors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Enough services for several anchors whatever ran before.
        have = len(ranked_ids())
        for _ in range(max(0, 3 * STRIDE + 5 - have)):
            create_service()

    def test_1_pages_match_the_table(self):
        assert_anchors_exact(self)
        ids = ranked_ids()
        for per_page in (31, 32, 33, 50):
            self.assertEqual(walk(self, per_page), ids, per_page)

    def test_2_deletes_move_the_anchors(self):
        tok = owner_token()
        for pick in (lambda ids: ids[STRIDE],      # an anchor's service
                     lambda ids: ids[0],           # the first
                     lambda ids: ids[-1],          # the last
                     lambda ids: ids[STRIDE + 5],  # between two anchors
                     lambda ids: ids[2 * STRIDE - 1]):
            sid = pick(ranked_ids())
            r = api("DELETE", "/api/services/%d" % sid, token=tok)
            self.assertEqual(r.status, 200, r)
            assert_anchors_exact(self)
        self.assertEqual(walk(self, 33), ranked_ids())

    def test_3_a_missing_service_moves_nothing(self):
        before = anchors()
        r = api("DELETE", "/api/services/999999999", token=owner_token())
        self.assertEqual(r.status, 404, r)
        self.assertEqual(anchors(), before)

    def test_4_the_last_anchor_goes_with_its_place(self):
        # Delete from the end until the count is a multiple of the
        # stride, then one more: the last anchor must go and come back.
        tok = owner_token()
        while len(ranked_ids()) % STRIDE != 1:
            r = api("DELETE", "/api/services/%d" % ranked_ids()[-1],
                    token=tok)
            self.assertEqual(r.status, 200, r)
        n = len(anchors())
        r = api("DELETE", "/api/services/%d" % ranked_ids()[-1], token=tok)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(anchors()), n - 1)
        assert_anchors_exact(self)
        create_service()
        self.assertEqual(len(anchors()), n)
        assert_anchors_exact(self)

    @client.only_in("single", why="counts one MariaDB server's statements (test_statements)")
    def test_0_any_page_is_one_statement(self):
        from test_statements import statements
        tok = client.viewer_token()
        for page in (1, 2, 3):
            status, n = statements("GET", "/api/services?per_page=%d&page=%d"
                                   % (STRIDE + 1, page), tok)
            self.assertEqual((status, n), (200, 1), page)

    def test_5_racing_creates_and_deletes(self):
        tok = owner_token()
        doomed = ranked_ids()[STRIDE - 8:STRIDE + 8]

        def work(i):
            if i % 2:
                create_service()
            else:
                r = api("DELETE", "/api/services/%d" % doomed[i // 2],
                        token=tok)
                assert r.status == 200, r
        self.assertEqual(parallel(16, work), [])
        assert_anchors_exact(self)
        self.assertEqual(walk(self, 32), ranked_ids())


if __name__ == "__main__":
    unittest.main()
