"""resilops-sched's incident jobs with --once --now (issue 11): a draft
offered once for each outage the daemon opens on a public service (none
for a private one, none again after it is deleted), and the reminders of
a service left Down with no incident open, once per step."""

import unittest

import client
from client import api, create_service, owner_token, unique_name
from test_sched import T0_EPOCH, beat_at, once, release_lease

HOUR = 3600


def drafts_of(sid):
    return [i for i in api("GET", "/api/incidents?status=draft&per_page=100",
                           token=owner_token()).json
            if i["service_ids"] == [sid]]


def reminders(name, user_token):
    return [n["message"] for n in api(
        "GET", "/api/notifications?per_page=100", token=user_token).json
        if n["message"].startswith(name + " has been")]


class Drafts(unittest.TestCase):
    def setUp(self):
        release_lease()

    def test_offered_once_for_a_public_outage(self):
        name = unique_name("Payments")
        sid = create_service(name, public=True, criticality="High",
                             impact="High")
        private = create_service(unique_name("Batch"))
        beat_at(sid)
        beat_at(private)
        once(T0_EPOCH + 11 * 60)
        (d,) = drafts_of(sid)
        self.assertEqual((d["title"], d["impact"], d["status"], d["draft"]),
                         (name + " is down", "critical", "investigating",
                          True))
        self.assertIsNotNone(d["downtime_id"])
        self.assertEqual(client.sql(
            "SELECT source FROM downtimes WHERE id = %d"
            % d["downtime_id"]).strip(), "heartbeat")
        (u,) = d["updates"]
        self.assertTrue(u["message"].startswith("Outage detected: No "
                                                "heartbeat for"), u)
        self.assertEqual(u["created_by"], "resilops-sched")
        self.assertEqual(drafts_of(private), [])
        # Not on the public page until published.
        self.assertNotIn(name + " is down", api("GET", "/status").text)
        # Again at the same instant, and later: still one.
        release_lease()
        once(T0_EPOCH + 11 * 60)
        release_lease()
        once(T0_EPOCH + 20 * 60)
        self.assertEqual(len(drafts_of(sid)), 1)
        # Deleted, it is not offered again for that outage.
        r = api("DELETE", "/api/incidents/%d" % d["id"], token=owner_token())
        self.assertEqual(r.status, 200)
        release_lease()
        once(T0_EPOCH + 30 * 60)
        self.assertEqual(drafts_of(sid), [])

    def test_a_hand_set_down_offers_none(self):
        sid = create_service(unique_name("Manual"), public=True)
        r = api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
                token=owner_token())
        self.assertEqual(r.status, 200)
        once(T0_EPOCH)
        self.assertEqual(drafts_of(sid), [])


class Reminders(unittest.TestCase):
    def setUp(self):
        release_lease()

    def test_each_step_once_until_an_incident_opens(self):
        bo = client.token_for("Business Owner")
        other = client.user_with_role("Business Owner")[2]
        analyst = client.token_for("Ops Analyst")
        name = unique_name("Warehouse")
        sid = create_service(name)
        beat_at(sid)
        once(T0_EPOCH + 11 * 60)             # Down, outage from T0
        self.assertEqual(reminders(name, bo), [])
        release_lease()
        once(T0_EPOCH + 2 * HOUR + 59 * 60)
        self.assertEqual(reminders(name, bo), [])
        release_lease()
        once(T0_EPOCH + 3 * HOUR)
        self.assertEqual(reminders(name, bo), [
            name + " has been Down for 3 hours and no incident is open"])
        release_lease()
        once(T0_EPOCH + 3 * HOUR + 60)
        self.assertEqual(len(reminders(name, bo)), 1)
        # Missed steps: only the highest reached is told.
        release_lease()
        once(T0_EPOCH + 12 * HOUR + 5)
        got = reminders(name, bo)
        self.assertEqual(len(got), 2, got)
        self.assertIn(name + " has been Down for 12 hours and no incident "
                      "is open", got)
        # Every active Business Owner is told, and nobody else.
        self.assertEqual(len(reminders(name, other)), 2)
        self.assertEqual(reminders(name, analyst), [])
        # An open incident on it: no more.
        api("POST", "/api/incidents", {"title": "Warehouse down",
                                       "impact": "major",
                                       "service_ids": [sid],
                                       "message": "On it"},
            token=owner_token())
        release_lease()
        once(T0_EPOCH + 24 * HOUR + 5)
        self.assertEqual(len(reminders(name, bo)), 2)


if __name__ == "__main__":
    unittest.main()
