"""Approving followers from other servers by hand."""

import json

from sqlalchemy import func, select

from app.extensions import db
from app.models import Delivery, Follow, FollowerApproval, PendingFollower
from tests.base import FlaskyTestCase
from tests.federation import get_document, json_of, make_remote_account, post_activity

ACTOR_URL = "http://localhost/federation/users/john"


class ApprovalTestCase(FlaskyTestCase):
    config = {"FLASKY_JOBS_EAGER": False}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.login()

    def follow_from(self, name, number=1):
        actor, key = make_remote_account(name)
        follow = {"id": f"{actor.uri}/follows/{number}", "type": "Follow", "actor": actor.uri,
                  "object": ACTOR_URL}
        response = post_activity(self.client, follow, actor, key)
        self.assertEqual(response.status_code, 202)
        return actor, key, follow, json_of(response)["status"]

    def sent(self):
        return [json.loads(body) for body in db.session.scalars(
            select(Delivery.activity).order_by(Delivery.id))]

    def turn_on(self):
        response = self.client.post("/federation/followers", data={"by_hand": "y"})
        self.assertEqual(response.status_code, 302)

    def test_the_switch_is_kept_and_shown_in_the_actor(self):
        self.assertFalse(json_of(get_document(self.client, "/federation/users/john"))
                         ["manuallyApprovesFollowers"])
        self.turn_on()
        self.assertIsNotNone(db.session.get(FollowerApproval, self.john.id))
        self.assertTrue(json_of(get_document(self.client, "/federation/users/john"))
                        ["manuallyApprovesFollowers"])
        self.client.post("/federation/followers", data={})
        self.assertIsNone(db.session.get(FollowerApproval, self.john.id))

    def test_a_follow_waits_then_is_approved_with_an_accept(self):
        self.turn_on()
        actor, _, follow, status = self.follow_from("remy")
        self.assertEqual(status, "pending")
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Follow)), 0)
        self.assertEqual(self.sent(), [])
        page = self.client.get("/federation/followers").get_data(as_text=True)
        self.assertIn("remy@remote.example", page)
        response = self.client.post(f"/federation/followers/{actor.id}/approve",
                                    follow_redirects=True)
        self.assertIn("remy@remote.example now follows you.", response.get_data(as_text=True))
        self.assertIsNotNone(db.session.get(Follow, (actor.user_id, self.john.id)))
        [accept] = self.sent()
        self.assertEqual((accept["type"], accept["object"]["id"]), ("Accept", follow["id"]))
        self.assertIsNone(db.session.get(PendingFollower, (self.john.id, actor.id)))

    def test_a_follow_refused_gets_a_reject_and_an_undo_withdraws_it(self):
        self.turn_on()
        actor, _, _, _ = self.follow_from("remy")
        self.client.post(f"/federation/followers/{actor.id}/reject")
        self.assertEqual([activity["type"] for activity in self.sent()], ["Reject"])
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Follow)), 0)
        other, key, follow, _ = self.follow_from("olga")
        undo = {"id": f"{other.uri}/undo/1", "type": "Undo", "actor": other.uri,
                "object": follow}
        self.assertEqual(post_activity(self.client, undo, other, key).status_code, 202)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(PendingFollower)), 0)

    def test_answers_to_nobody_and_without_a_session(self):
        self.assertEqual(self.client.post("/federation/followers/999/approve").status_code, 404)
        self.assertEqual(self.client.get("/federation/followers/1/approve").status_code, 405)
        self.client.post("/auth/logout")
        self.assertEqual(self.client.get("/federation/followers").status_code, 302)
