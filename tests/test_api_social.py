"""Blocking, muting and reporting through the API, with the pages' rules and
refusals (app/social/), and a suspended author's post hidden from the API."""

from datetime import timedelta

from sqlalchemy import func, select

from app import db
from app.models import Block, Follow, Message, Mute, Report, User, utcnow
from tests.test_api_base import ApiTestCase


class BlockAndMuteApiTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john, self.mary = self.create_user("john"), self.create_user("mary")

    def test_blocking_ends_follows_both_ways_and_refuses_a_new_one(self):
        self.john.follow(self.mary)
        self.mary.follow(self.john)
        db.session.commit()
        response = self.call("POST", f"/users/{self.mary.id}/block", self.john)
        self.assertEqual(response.status_code, 204)
        self.assertIsNotNone(db.session.get(Block, (self.john.id, self.mary.id)))
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Follow)), 0)
        refused = self.call("POST", f"/users/{self.john.id}/follow", self.mary)
        self.assertError(refused, 403, "john has blocked you")
        self.assertError(self.call("POST", f"/users/{self.mary.id}/follow", self.john), 403,
                         "unblock them")

    def test_blocking_yourself_twice_or_nobody_is_a_clear_error(self):
        self.assertError(self.call("POST", f"/users/{self.john.id}/block", self.john), 400,
                         "you cannot block yourself")
        self.assertEqual(self.call("POST", f"/users/{self.mary.id}/block", self.john)
                         .status_code, 204)
        self.assertError(self.call("POST", f"/users/{self.mary.id}/block", self.john), 409,
                         "you have already blocked mary")
        self.assertError(self.call("POST", "/users/999/block", self.john), 404)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Block)), 1)

    def test_unblocking_and_unmuting(self):
        self.assertError(self.call("DELETE", f"/users/{self.mary.id}/block", self.john), 409,
                         "you had not blocked mary")
        self.call("POST", f"/users/{self.mary.id}/block", self.john)
        self.assertEqual(self.call("DELETE", f"/users/{self.mary.id}/block", self.john)
                         .status_code, 204)
        self.assertIsNone(db.session.get(Block, (self.john.id, self.mary.id)))
        self.assertError(self.call("DELETE", f"/users/{self.mary.id}/mute", self.john), 409,
                         "you had not muted mary")

    def test_muting_is_silent_and_refuses_yourself_and_twice(self):
        self.assertError(self.call("POST", f"/users/{self.john.id}/mute", self.john), 400,
                         "you cannot mute yourself")
        self.assertEqual(self.call("POST", f"/users/{self.mary.id}/mute", self.john)
                         .status_code, 204)
        self.assertError(self.call("POST", f"/users/{self.mary.id}/mute", self.john), 409,
                         "already muted")
        self.assertIsNotNone(db.session.get(Mute, (self.john.id, self.mary.id)))
        self.assertEqual(self.call("GET", "/blocks/", self.mary).json["count"], 0)
        self.assertEqual(self.call("GET", "/mutes/", self.mary).json["count"], 0)

    def test_the_lists_are_mine_latest_first_and_paginated(self):
        others = [self.create_user(f"other{number}") for number in range(3)]
        for other in others:
            self.assertEqual(self.call("POST", f"/users/{other.id}/block", self.john)
                             .status_code, 204)
        self.call("POST", f"/users/{self.mary.id}/mute", self.john)
        first = self.call("GET", "/blocks/?per_page=2", self.john).json
        self.assertEqual(first["count"], 3)
        self.assertEqual([person["username"] for person in first["blocks"]],
                         ["other2", "other1"])
        self.assertTrue(first["blocks"][0]["user_url"].endswith(f"/users/{others[2].id}"))
        second = self.client.get(first["next"], headers=self.headers_for(self.john)).json
        self.assertEqual([person["username"] for person in second["blocks"]], ["other0"])
        self.assertIsNone(second["next"])
        mutes = self.call("GET", "/mutes/", self.john).json
        self.assertEqual([person["username"] for person in mutes["mutes"]], ["mary"])
        self.assertEqual(self.call("GET", "/blocks/", self.mary).json["blocks"], [])
        self.assertError(self.call("GET", "/blocks/?page=0", self.john), 400)

    def test_blocking_hides_their_posts_from_my_lists(self):
        self.write_post(self.mary, "Mary's post")
        self.call("POST", f"/users/{self.mary.id}/block", self.john)
        posts = self.call("GET", f"/users/{self.mary.id}/posts/", self.john).json
        self.assertEqual(posts["posts"], [])


class ReportApiTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john, self.mary = self.create_user("john"), self.create_user("mary")
        self.post = self.write_post(self.mary, "Mary's post")
        self.comment = self.write_comment(self.mary, self.post)
        self.message = Message(sender=self.mary, recipient=self.john, body="Hello")
        db.session.add(self.message)
        db.session.commit()

    def report(self, user: User, **fields):
        return self.call("POST", "/reports/", user, json={"reason": "spam", **fields})

    def reports(self) -> list[Report]:
        return list(db.session.scalars(select(Report).order_by(Report.id)))

    def test_each_kind_is_reported_once_for_the_moderators(self):
        things = {"post": self.post.id, "comment": self.comment.id,
                  "message": self.message.id, "user": self.mary.id}
        for kind, id in things.items():
            with self.subTest(kind=kind):
                response = self.report(self.john, kind=kind, id=id, details=" Often ")
                self.assertEqual(response.status_code, 202, response.json)
                self.assertEqual(response.json["kind"], kind)
                self.assertEqual(response.json["status"], Report.OPEN)
                self.assertTrue(response.json["user_url"].endswith(f"/users/{self.mary.id}"))
        self.assertEqual([(report.target, report.details, report.user_id)
                          for report in self.reports()],
                         [(f"{kind}:{id}", "Often", self.mary.id)
                          for kind, id in things.items()])

    def test_reporting_twice_is_one_report(self):
        self.assertEqual(self.report(self.john, kind="post", id=self.post.id).status_code, 202)
        again = self.report(self.john, kind="post", id=self.post.id, reason="hate")
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json["reason"], "spam")
        self.assertEqual(len(self.reports()), 1)

    def test_yourself_and_what_you_wrote_are_refused_as_on_the_page(self):
        self.assertError(self.report(self.mary, kind="post", id=self.post.id), 400,
                         "You cannot report your own post.")
        self.assertError(self.report(self.mary, kind="user", id=self.mary.id), 400,
                         "You cannot report yourself.")
        self.assertEqual(self.reports(), [])

    def test_what_does_not_exist_or_is_not_yours_to_see_is_404(self):
        draft = self.write_post(self.mary, "A draft", draft=True)
        susan = self.create_user("susan")
        for user, kind, id in ((self.john, "post", 999), (self.john, "user", 999),
                               (self.john, "post", draft.id),
                               (susan, "message", self.message.id)):
            with self.subTest(kind=kind, id=id):
                self.assertError(self.report(user, kind=kind, id=id), 404,
                                 f"There is no such {kind}")
        self.assertEqual(self.reports(), [])

    def test_bad_bodies_are_400(self):
        bodies = [{"kind": "tag", "id": 1}, {"kind": "post", "id": "1"},
                  {"kind": "post", "id": True}, {"kind": "post", "id": -1},
                  {"kind": "post", "id": 1, "reason": "boring"},
                  {"kind": ["post"], "id": 1}, {"kind": "post", "id": 1, "reason": [None]},
                  {"kind": "post", "id": 1, "details": "x" * 1_001},
                  {"kind": "post", "id": 1, "details": 5},
                  {"kind": "post", "id": 1, "extra": 1}, {"kind": "post"}]
        for body in bodies:
            with self.subTest(body=body):
                self.assertError(self.report(self.john, **body), 400)
        self.assertEqual(self.reports(), [])


class SuspendedAuthorApiTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john, self.mary = self.create_user("john"), self.create_user("mary")
        self.post = self.write_post(self.mary, "Mary's post")
        self.write_comment(self.john, self.post)
        self.mary.suspended_until = utcnow() + timedelta(days=7)
        db.session.commit()

    def test_the_post_and_its_comments_are_404_as_for_a_draft(self):
        for path in (f"/posts/{self.post.id}", f"/posts/{self.post.id}/comments/"):
            with self.subTest(path=path):
                self.assertError(self.call("GET", path, self.john), 404, "no such post")
        self.assertError(self.call("POST", f"/posts/{self.post.id}/comments/", self.john,
                                   json={"body": "Hello"}), 404)

    def test_moderators_still_read_it_and_it_returns_when_the_suspension_ends(self):
        moderator = self.create_user("moderator", role="Moderator")
        self.assertEqual(self.call("GET", f"/posts/{self.post.id}", moderator).status_code, 200)
        self.mary.suspended_until = None
        db.session.commit()
        self.assertEqual(self.call("GET", f"/posts/{self.post.id}", self.john).status_code, 200)
        comments = self.call("GET", f"/posts/{self.post.id}/comments/", self.john).json
        self.assertEqual(comments["count"], 1)
