"""CONTRACT section 3 through nginx: the service catalogue, BIA with
sign-off, dependencies (existing, no self, no cycle) and the map."""

import unittest

import client
from client import api, create_service, owner_token, unique_name


def get(sid):
    r = api("GET", "/api/services/%d" % sid, token=client.viewer_token())
    assert r.status == 200, r
    return r.json


class Create(unittest.TestCase):
    def test_create_and_get_shape(self):
        dep = create_service()
        r = api("POST", "/api/services", {
            "name": "Payments", "description": "card payments",
            "criticality": "high", "impact": "SEVERE", "rto": "30",
            "rpo": 15, "dependencies": [dep], "signed_off": True},
            token=owner_token())
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["message"], "Service created")
        sid = r.json["service_id"]
        s = get(sid)
        self.assertEqual(s["name"], "Payments")
        self.assertEqual(s["description"], "card payments")
        self.assertEqual(s["status"], "Unknown")
        self.assertIsNone(s["last_updated"])
        self.assertRegex(s["created_at"], r"Z$")
        self.assertTrue(s["created_by"])
        b = s["bia"]
        self.assertEqual((b["criticality"], b["impact"], b["rto"], b["rpo"]),
                         ("High", "Severe", 30, 15))
        self.assertTrue(b["signed_off"])
        self.assertEqual(b["signed_off_by"], s["created_by"])
        self.assertRegex(b["signed_off_at"], r"Z$")
        self.assertEqual(b["dependencies"], [dep])
        self.assertEqual(s["dependencies"], [dep])

    def test_moderate_impact_of_the_web_client(self):
        # The reference web client's BIA form offers Moderate.
        sid = create_service(criticality="Low", impact="moderate", rto=600)
        self.assertEqual(get(sid)["bia"]["impact"], "Moderate")
        r = api("PUT", "/api/services/%d/bia" % sid, {"impact": "Moderate"},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        # It scores like Medium: no impact factor.
        r = api("POST", "/api/risk/%d/save" % sid, token=client.analyst_token())
        self.assertEqual((r.status, r.json["risk_score"], r.json["reason"]),
                         (200, 0, "No risks identified"))

    def test_public_flag(self):
        # Not public unless an operator says so (CONTRACT 7).
        private = create_service()
        self.assertIs(get(private)["public"], False)
        sid = create_service(public=True)
        self.assertIs(get(sid)["public"], True)
        listed = {x["id"]: x for x in client.list_all(
            "/api/services", client.viewer_token())}
        self.assertIs(listed[sid]["public"], True)
        self.assertIs(listed[private]["public"], False)
        r = api("PUT", "/api/services/%d" % sid, {"public": False},
                token=owner_token())
        self.assertEqual(r.status, 200, r)
        s = get(sid)
        self.assertIs(s["public"], False)
        self.assertTrue(s["name"])
        for bad in ("yes", 1, None):
            r = api("PUT", "/api/services/%d" % sid, {"public": bad},
                    token=owner_token())
            self.assertEqual(r.status, 400, (bad, r))
            self.assertIn("public", r.json["error"])
        self.assertIs(get(sid)["public"], False)
        # A BIA update leaves it alone.
        api("PUT", "/api/services/%d" % sid, {"public": True},
            token=owner_token())
        api("PUT", "/api/services/%d/bia" % sid, {"public": False, "rto": 5},
            token=owner_token())
        self.assertIs(get(sid)["public"], True)

    def test_create_without_bia(self):
        s = get(create_service())
        self.assertIsNone(s["bia"])
        self.assertEqual(s["dependencies"], [])

    def test_validation_messages(self):
        cases = [
            ({}, "Service name is required"),
            ({"name": ""}, "Service name is required"),
            ({"name": "   "}, "Service name is required"),
            ({"name": "x" * 101}, "Service name must be at most 100 characters"),
            ({"name": "a", "criticality": "Extreme"},
             "Invalid criticality: must be one of High, Medium, Low"),
            ({"name": "a", "impact": "Tiny"},
             "Invalid impact: must be one of Low, Medium, Moderate, High, Severe"),
            ({"name": "a", "rto": "12abc"}, "rto must be an integer"),
            ({"name": "a", "rto": 30.0}, "rto must be an integer"),
            ({"name": "a", "rpo": 1e2}, "rpo must be an integer"),
            ({"name": "a", "rto": True}, "rto must be an integer"),
            ({"name": "a", "rto": -1}, "rto must be between 0 and 525600"),
            ({"name": "a", "rto": 525601}, "rto must be between 0 and 525600"),
            ({"name": "a", "signed_off": "yes"}, "signed_off must be a boolean"),
            ({"name": "a", "dependencies": [999999999]},
             "Invalid dependency IDs: [999999999]"),
            ({"name": "a", "dependencies": "1"},
             "dependencies must be an array of integers"),
            ({"name": 5}, "name must be a string"),
        ]
        before = api("GET", "/api/services?per_page=1",
                     token=owner_token()).headers["X-Total-Count"]
        for body, msg in cases:
            r = api("POST", "/api/services", body, token=owner_token())
            self.assertEqual((r.status, r.json), (400, {"error": msg}), body)
        after = api("GET", "/api/services?per_page=1",
                    token=owner_token()).headers["X-Total-Count"]
        self.assertEqual(before, after)

    def test_invalid_ids_listed(self):
        ok = create_service()
        r = api("POST", "/api/services", {
            "name": "a", "dependencies": [ok, 888888881, 888888882]},
            token=owner_token())
        self.assertEqual(r.json,
                         {"error": "Invalid dependency IDs: [888888881, 888888882]"})
        # In the order given (not sorted), each once.
        r = api("POST", "/api/services", {
            "name": "a", "dependencies": [888888885, ok, 888888883, 888888885,
                                          888888884]},
            token=owner_token())
        self.assertEqual((r.status, r.json), (400, {
            "error": "Invalid dependency IDs: [888888885, 888888883, 888888884]"}))

    def test_empty_string_integer_is_null(self):
        sid = create_service(rto="", criticality="Low")
        self.assertIsNone(get(sid)["bia"]["rto"])

    def test_roles(self):
        for tok in (client.viewer_token(), client.engineer_token(),
                    client.analyst_token()):
            r = api("POST", "/api/services", {"name": "x"}, token=tok)
            self.assertEqual((r.status, r.json), (403, {"error": "Forbidden"}))
        self.assertEqual(api("POST", "/api/services", {"name": "x"}).status, 401)


class ListAndGet(unittest.TestCase):
    def test_pagination(self):
        for _ in range(3):
            create_service()
        r = api("GET", "/api/services?per_page=2&page=2",
                token=client.viewer_token())
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json), 2)
        link = r.headers["Link"]
        for rel in ("first", "prev", "next", "last"):
            self.assertIn('rel="%s"' % rel, link)
        self.assertGreaterEqual(int(r.headers["X-Total-Count"]), 3)
        ids = [s["id"] for s in r.json]
        self.assertEqual(ids, sorted(ids))

    def test_pages_cover_the_list_once(self):
        # A gap in the ids: each page starts where the walk to its offset
        # lands, not at offset + 1.
        ids = [create_service() for _ in range(5)]
        r = api("DELETE", "/api/services/%d" % ids[2], token=owner_token())
        self.assertEqual(r.status, 200, r)
        tok = client.viewer_token()
        want = [s["id"] for s in client.list_all("/api/services", tok)]
        total = len(want)
        got, page = [], 1
        while True:
            r = api("GET", "/api/services?per_page=97&page=%d" % page,
                    token=tok)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(int(r.headers["X-Total-Count"]), total)
            if not r.json:
                break
            got += [s["id"] for s in r.json]
            page += 1
        self.assertEqual(got, want)
        self.assertEqual(page, (total + 96) // 97 + 1)

    def test_list_carries_status_and_bia(self):
        sid = create_service(criticality="Medium")
        api("POST", "/api/services/%d/status" % sid, {"status": "Up"},
            token=owner_token())
        r = api("GET", "/api/services?per_page=1000", token=owner_token())
        total = int(r.headers["X-Total-Count"])
        page = (total + 999) // 1000
        if page > 1:
            r = api("GET", "/api/services?per_page=1000&page=%d" % page,
                    token=owner_token())
        s = [x for x in r.json if x["id"] == sid][0]
        self.assertEqual(s["status"], "Up")
        self.assertEqual(s["bia"]["criticality"], "Medium")
        self.assertRegex(s["last_updated"], r"Z$")

    def test_get_missing(self):
        r = api("GET", "/api/services/999999999", token=client.viewer_token())
        self.assertEqual((r.status, r.json), (404, {"error": "Service not found"}))


class Update(unittest.TestCase):
    def test_body_and_path_forms(self):
        sid = create_service()
        r = api("PUT", "/api/services", {"id": sid, "name": "renamed"},
                token=owner_token())
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Service updated successfully"}))
        self.assertEqual(get(sid)["name"], "renamed")
        r = api("PUT", "/api/services/%d" % sid, {"description": "d"},
                token=owner_token())
        self.assertEqual(r.status, 200)
        s = get(sid)
        self.assertEqual((s["name"], s["description"]), ("renamed", "d"))

    def test_body_form_needs_id(self):
        r = api("PUT", "/api/services", {"name": "x"}, token=owner_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Service ID is required"}))

    def test_missing(self):
        r = api("PUT", "/api/services/999999999", {"name": "x"},
                token=owner_token())
        self.assertEqual((r.status, r.json), (404, {"error": "Service not found"}))

    def test_forbidden_before_not_found(self):
        r = api("PUT", "/api/services/999999999", {"name": "x"},
                token=client.viewer_token())
        self.assertEqual(r.status, 403)

    def test_partial_update_keeps_dependencies(self):
        d = create_service()
        sid = create_service(dependencies=[d], criticality="Low")
        api("PUT", "/api/services/%d/bia" % sid, {"rto": 100},
            token=owner_token())
        s = get(sid)
        self.assertEqual(s["dependencies"], [d])
        self.assertEqual((s["bia"]["criticality"], s["bia"]["rto"]),
                         ("Low", 100))

    def test_null_clears_optional(self):
        sid = create_service(description="x", rto=10, criticality="High")
        api("PUT", "/api/services/%d" % sid, {"description": None, "rto": None},
            token=owner_token())
        s = get(sid)
        self.assertIsNone(s["description"])
        self.assertIsNone(s["bia"]["rto"])
        self.assertEqual(s["bia"]["criticality"], "High")


class Dependencies(unittest.TestCase):
    def test_self(self):
        sid = create_service()
        r = api("PUT", "/api/services/%d" % sid, {"dependencies": [sid]},
                token=owner_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "A service cannot depend on itself"}))

    def test_cycle_named_and_nothing_written(self):
        a = create_service()
        b = create_service(dependencies=[a])
        r = api("PUT", "/api/services/%d" % a,
                {"name": "changed", "dependencies": [b]}, token=owner_token())
        self.assertEqual((r.status, r.json), (400, {
            "error": "Dependency cycle: %d -> %d -> %d" % (a, b, a)}))
        s = get(a)
        self.assertEqual(s["dependencies"], [])
        self.assertNotEqual(s["name"], "changed")

    def test_longer_cycle(self):
        a = create_service()
        b = create_service(dependencies=[a])
        c = create_service(dependencies=[b])
        r = api("PUT", "/api/services/%d/bia" % a, {"dependencies": [c]},
                token=owner_token())
        self.assertEqual(r.json["error"],
                         "Dependency cycle: %d -> %d -> %d -> %d" % (a, c, b, a))

    def test_replace_and_clear(self):
        a, b = create_service(), create_service()
        sid = create_service(dependencies=[a])
        api("PUT", "/api/services/%d" % sid, {"dependencies": [b, a, b]},
            token=owner_token())
        self.assertEqual(get(sid)["dependencies"], sorted([a, b]))
        api("PUT", "/api/services/%d" % sid, {"dependencies": []},
            token=owner_token())
        self.assertEqual(get(sid)["dependencies"], [])

    def test_map(self):
        a = create_service(criticality="High", impact="Low", rto=5, rpo=6)
        api("POST", "/api/services/%d/status" % a, {"status": "Down"},
            token=owner_token())
        sid = create_service(dependencies=[a])
        r = api("GET", "/api/services/dependencies",
                token=client.engineer_token())
        self.assertEqual(r.status, 200)
        entry = [e for e in r.json["dependencies"] if e["service_id"] == sid]
        self.assertEqual(len(entry), 1)
        dep = entry[0]["dependencies"][0]
        self.assertEqual(dep["service_id"], a)
        self.assertEqual((dep["criticality"], dep["impact"], dep["rto"],
                          dep["rpo"], dep["status"]),
                         ("High", "Low", 5, 6, "Down"))
        self.assertTrue(entry[0]["service_name"])

    def test_map_needs_engineer(self):
        r = api("GET", "/api/services/dependencies", token=owner_token())
        self.assertEqual(r.status, 403)


class SignOff(unittest.TestCase):
    def test_editing_assessed_values_clears_sign_off(self):
        sid = create_service(criticality="High", rto=30, signed_off=True)
        self.assertTrue(get(sid)["bia"]["signed_off"])
        api("PUT", "/api/services/%d/bia" % sid, {"rto": 30},
            token=owner_token())
        self.assertTrue(get(sid)["bia"]["signed_off"], "same value: kept")
        api("PUT", "/api/services/%d/bia" % sid, {"rto": 45},
            token=owner_token())
        b = get(sid)["bia"]
        self.assertFalse(b["signed_off"])
        self.assertIsNone(b["signed_off_by"])
        self.assertIsNone(b["signed_off_at"])

    def test_resigned_in_same_request(self):
        sid = create_service(criticality="High", signed_off=True)
        other = client.user_with_role("Business Owner")
        api("PUT", "/api/services/%d/bia" % sid,
            {"criticality": "Low", "signed_off": True}, token=other[2])
        b = get(sid)["bia"]
        self.assertTrue(b["signed_off"])
        self.assertEqual(b["signed_off_by"], other[0])

    def test_description_edit_keeps_sign_off(self):
        sid = create_service(criticality="High", signed_off=True)
        api("PUT", "/api/services/%d" % sid, {"description": "new"},
            token=owner_token())
        self.assertTrue(get(sid)["bia"]["signed_off"])


class Delete(unittest.TestCase):
    def test_cascade(self):
        a = create_service()
        sid = create_service(dependencies=[a], criticality="High")
        c = create_service(dependencies=[sid])
        api("POST", "/api/services/%d/status" % sid, {"status": "Down"},
            token=owner_token())
        api("POST", "/api/services/%d/downtime" % sid,
            {"start_time": "2025-01-01T10:00:00Z"}, token=owner_token())
        r = api("DELETE", "/api/services/%d" % sid, token=owner_token())
        self.assertEqual((r.status, r.json),
                         (200, {"message": "Service deleted successfully"}))
        self.assertEqual(api("GET", "/api/services/%d" % sid,
                             token=owner_token()).status, 404)
        self.assertEqual(get(c)["dependencies"], [])
        for table in ("bia", "service_status", "downtimes",
                      "service_dependencies"):
            n = client.sql("SELECT COUNT(*) FROM %s WHERE service_id = %d"
                           % (table, sid))
            self.assertEqual(int(n), 0, table)
        n = client.sql("SELECT COUNT(*) FROM service_dependencies "
                       "WHERE dependency_id = %d" % sid)
        self.assertEqual(int(n), 0)

    def test_body_form(self):
        sid = create_service()
        r = api("DELETE", "/api/services", {"id": sid}, token=owner_token())
        self.assertEqual(r.status, 200)
        r = api("DELETE", "/api/services", {"id": sid}, token=owner_token())
        self.assertEqual((r.status, r.json), (404, {"error": "Service not found"}))
        r = api("DELETE", "/api/services", {}, token=owner_token())
        self.assertEqual((r.status, r.json),
                         (400, {"error": "Service ID is required"}))

    def test_bia_delete(self):
        sid = create_service(criticality="Low")
        r = api("DELETE", "/api/services/%d/bia" % sid, token=owner_token())
        self.assertEqual((r.status, r.json),
                         (200, {"message": "BIA deleted successfully"}))
        self.assertIsNone(get(sid)["bia"])
        r = api("DELETE", "/api/services/%d/bia" % sid, token=owner_token())
        self.assertEqual((r.status, r.json),
                         (404, {"error": "No BIA found for this service"}))

    def test_audit_entries(self):
        sid = create_service()
        api("PUT", "/api/services/%d/bia" % sid, {"rto": 5}, token=owner_token())
        api("DELETE", "/api/services/%d" % sid, token=owner_token())
        r = api("GET", "/api/audit?per_page=20", token=owner_token())
        mine = [(e["action"], e["entity"]) for e in r.json
                if e["entity_id"] == sid and e["entity"] in ("Service", "BIA")]
        self.assertEqual(mine[:3], [("Service Deleted", "Service"),
                                    ("BIA Updated", "BIA"),
                                    ("Service Created", "Service")])


if __name__ == "__main__":
    unittest.main()
