"""Maintenance windows on the public pages (issue 11): planned ones
shown ahead of time, active ones in progress with their services shown
as Maintenance (banner, state, badge), and downtime inside a window
left out of the uptime the pages and badges give, as the page says."""

import time
import unittest

import client
from client import api, create_service, owner_token, unique_name
from test_pages import log_outage, status
from test_sched import iso


def window(sids, start, end, title=None):
    r = api("POST", "/api/maintenance", {
        "title": title or unique_name("Upgrade"), "message": "Brief <pause>",
        "service_ids": sids, "starts_at": iso(start), "ends_at": iso(end)},
        token=owner_token())
    assert r.status == 201, r
    return r.json


class MaintenancePages(unittest.TestCase):
    def test_planned_and_in_progress(self):
        now = int(time.time())
        busy_name = unique_name("Busy")
        busy = create_service(busy_name, public=True)
        later = create_service(unique_name("Later"), public=True)
        status(busy, "Up")
        status(later, "Up")
        # Made in the other order than they start: ids do not say it.
        planned = window([later], now + 86400, now + 90000,
                         unique_name("Tomorrow"))
        active = window([busy], now - 60, now + 3600, unique_name("Now"))
        html = api("GET", "/status").text
        sect = html[html.index('id="maint-h"'):]
        self.assertIn(active["title"], sect)
        self.assertIn(planned["title"], sect)
        self.assertLess(sect.index(active["title"]),
                        sect.index(planned["title"]))
        self.assertIn("In progress", sect)
        self.assertIn("Planned", sect)
        self.assertIn("Brief &lt;pause&gt;", sect)
        self.assertIn("Planned maintenance does not count against uptime",
                      sect)
        listed = html[html.index('class="services"'):]
        item = listed[listed.index('>%s</a>' % busy_name):][:400]
        self.assertIn("state-maintenance", item)
        self.assertIn("Maintenance", item)
        badge = api("GET", "/status/badge/%d.svg" % busy).text
        self.assertIn("<title>status: maintenance</title>", badge)
        self.assertIn("operational", api(
            "GET", "/status/badge/%d.svg" % later).text)
        page = api("GET", "/status/%d" % later).text
        self.assertIn(planned["title"], page)
        self.assertNotIn(active["title"], page)

    def test_downtime_inside_a_window_is_not_downtime(self):
        now = int(time.time())
        sid = create_service(unique_name("Planned"), public=True)
        client.sql("UPDATE services SET created_at = NOW() - INTERVAL 2 DAY "
                   "WHERE id = %d" % sid)
        status(sid, "Up")
        log_outage(sid, now - 3000, now - 1200, "Planned restart")
        r = api("GET", "/status/badge/%d.svg?window=24h" % sid)
        self.assertIn("uptime 24h", r.text)
        self.assertNotIn("100.00 %", r.text)
        window([sid], now - 3600, now - 600)
        r = api("GET", "/status/badge/%d.svg?window=24h" % sid)
        self.assertIn("100.00 %", r.text)
        page = api("GET", "/status/%d" % sid).text
        self.assertIn("Planned maintenance does not count against uptime",
                      page)
        uptimes = page[page.index('id="uptime-h"'):]
        self.assertIn("<dd>100.00 %</dd>", uptimes[:600])


if __name__ == "__main__":
    unittest.main()
