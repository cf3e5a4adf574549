"""The pages in headless Chromium (Debian's chromium driven by npm's
playwright-core, tests/browser/pages.mjs): log in to the console,
acknowledge an alert, sign off a BIA, log a downtime, watch a ticket's
countdown, keyboard reach, and /status at 1280 and 360 px, whose
screenshots are kept in test-artifacts/ (RESILOPS_ARTIFACTS).  The
database is checked afterwards: each click did what it said."""

import json
import os
import shutil
import subprocess
import time
import unittest

import client
from client import api, create_service, owner_token, unique_name

SCRIPT = os.path.join(client.TOP, "tests", "browser", "pages.mjs")
ARTIFACTS = os.environ.get("RESILOPS_ARTIFACTS",
                           os.path.join(client.TOP, "test-artifacts"))


class Browser(unittest.TestCase):
    def test_console_and_status_in_chromium(self):
        # A missing browser or package is a failure, never a skip.
        self.assertTrue(shutil.which("chromium") or
                        os.path.exists("/usr/bin/chromium"),
                        "chromium is not installed (./dev.sh test installs it)")
        self.assertTrue(os.path.isdir(os.path.join(
            client.TOP, "node_modules", "playwright-core")),
            "node_modules/playwright-core is missing: run npm ci")
        os.makedirs(ARTIFACTS, exist_ok=True)
        name, pw, _ = client.user_with_role("admin")
        sid = create_service(unique_name("browser"), public=True,
                             criticality="High", impact="High", rto=30)
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        # Dated after anything the suite makes (test_sched ticks as of
        # 2031), so it is on the first page of the newest-first list.
        client.sql("INSERT INTO alerts (service_id, type, severity, message, "
                   "created_at) VALUES (%d, 'StatusChange', 'Warning', "
                   "'Browser test alert', '2099-01-01'); %s"
                   % (sid, client.counted("alerts", "alerts_open")))
        aid = int(client.sql("SELECT MAX(id) FROM alerts WHERE service_id = "
                             "%d" % sid))
        ticket = api("POST", "/api/tickets", {"title": "Browser countdown",
                                              "priority": "CRITICAL"},
                     token=client.token_for("Manager")).json["id"]
        # What the screenshots show besides the services: an incident
        # and a planned maintenance window (issue 11).
        now = int(time.time())
        inc = api("POST", "/api/incidents", {
            "title": "Checkout slower than usual", "impact": "minor",
            "service_ids": [sid], "message": "We are looking into it."},
            token=owner_token())
        self.assertEqual(inc.status, 201, inc)
        win = api("POST", "/api/maintenance", {
            "title": "Database upgrade", "message": "Read-only for an hour",
            "service_ids": [sid],
            "starts_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                       time.gmtime(now + 86400)),
            "ends_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                     time.gmtime(now + 90000))},
            token=owner_token())
        self.assertEqual(win.status, 201, win)
        cfg = {"url": client.BASE_URL, "user": name, "password": pw,
               "alert": aid, "service": sid, "ticket": ticket,
               "artifacts": ARTIFACTS,
               "incident": inc.json["id"], "maintenance": win.json["id"]}
        r = subprocess.run(["node", SCRIPT, json.dumps(cfg)],
                           capture_output=True, text=True, timeout=180,
                           cwd=client.TOP, stdin=subprocess.DEVNULL)
        out = r.stdout.strip().splitlines()
        self.assertTrue(out, r.stderr[-2000:])
        result = json.loads(out[-1])
        self.assertEqual(result["errors"], [], result)
        self.assertEqual(r.returncode, 0, result)
        self.assertTrue(result["ok"])
        for step in ("logged in", "alert acknowledged", "bia signed off",
                     "downtime logged", "countdown ticks",
                     "all reachable by tab", "no sideways scroll at 360",
                     "incident shown at 360", "maintenance shown at 1280"):
            self.assertTrue(result["steps"].get(step), step)
        # What the clicks did, in the database.
        self.assertEqual(client.sql("SELECT acknowledged FROM alerts WHERE "
                                    "id = %d" % aid).strip(), "1")
        bia = api("GET", "/api/services/%d" % sid,
                  token=owner_token()).json["bia"]
        self.assertEqual((bia["signed_off"], bia["signed_off_by"]),
                         (True, name))
        self.assertEqual(client.sql(
            "SELECT COUNT(*) FROM downtimes WHERE service_id = %d AND reason "
            "= 'Browser test outage' AND start_time = '2026-01-05 10:00:00'"
            % sid).strip(), "1")
        for shot in ("status-1280.png", "status-360.png"):
            path = os.path.join(ARTIFACTS, shot)
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", shot)
            self.assertGreater(os.path.getsize(path), 5000, shot)


if __name__ == "__main__":
    unittest.main()
