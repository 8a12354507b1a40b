"""Notifications: who gets one for what, the page and its groups, the bell's
count on every page (cached or not), and the count endpoint's ETag/304."""

import json

from app import db
from app.models import Comment, Follow, Notification, Post, User
from tests.base import FlaskyTestCase
from tests.social import make_comment, make_follow, make_post


class NotificationTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.susan = self.create_user("susan")

    def notifications(self, user):
        db.session.expire_all()
        return [(n.kind, n.actor.username if n.actor else None) for n in db.session.scalars(
            db.select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.id))]

    def unread(self, user):
        db.session.expire_all()
        return db.session.get(User, user.id).unread_notifications

    def test_follow_comment_and_reply_notify_the_people_concerned(self):
        make_follow(self.mary, self.john)
        post = make_post(self.john, "John's thoughts")
        make_comment(post, self.mary, "First!")
        make_comment(post, self.susan, "Second")
        make_comment(post, self.john, "Thanks both")
        self.assertEqual(self.notifications(self.john),
                         [("follow", "mary"), ("comment", "mary"), ("comment", "susan")])
        self.assertEqual(self.notifications(self.mary), [("reply", "susan"), ("reply", "john")])
        self.assertEqual(self.notifications(self.susan), [("reply", "john")])
        self.assertEqual(self.unread(self.john), 3)

    def test_no_notification_for_oneself_or_from_blocked_or_muted_people(self):
        post = make_post(self.john, "Mine")
        make_comment(post, self.john, "My own comment")
        db.session.add(Follow(follower=self.john, followed=self.john))  # never made by views
        db.session.rollback()
        self.login()
        self.client.post("/block/mary")
        self.client.post("/mute/susan")
        make_follow(self.susan, self.john)
        make_comment(post, self.susan, "Muted words")
        self.assertEqual(self.notifications(self.john), [])
        self.assertEqual(self.unread(self.john), 0)

    def test_the_page_groups_marks_read_and_clears_the_bell(self):
        post = make_post(self.john, "John's thoughts")
        make_comment(post, self.mary)
        make_comment(post, self.susan)
        make_follow(self.mary, self.john)
        self.login()
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn('notification-count">3<', page)
        page = self.client.get("/notifications").get_data(as_text=True)
        self.assertIn("mary started following you", page)
        self.assertIn("susan and mary commented on your post", page)
        self.assertEqual(page.count("notification-unread"), 2)
        self.assertEqual(self.unread(self.john), 0)
        page = self.client.get("/notifications").get_data(as_text=True)
        self.assertNotIn("notification-unread", page)
        self.assertIn('notification-count" hidden>0<', page)

    def test_many_commenters_are_counted_not_listed(self):
        post = make_post(self.john, "Popular")
        for i in range(5):
            make_comment(post, self.create_user(f"fan{i}"))
        self.login()
        page = self.client.get("/notifications").get_data(as_text=True)
        self.assertIn("fan4 and 4 others commented on your post", page)

    def test_a_busy_thread_is_told_in_one_update_of_the_bells(self):
        post = make_post(self.john, "Popular")
        fans = [self.create_user(f"fan{i}") for i in range(6)]
        for fan in fans:
            make_comment(post, fan)
        loaded = db.session.get(User, fans[0].id)  # a recipient this session holds
        before = loaded.unread_notifications
        db.session.expire_all()
        with self.recorded_queries() as statements:
            make_comment(post, self.mary, "Me too")
        bells = [s for s in statements if s.startswith("UPDATE users")]
        self.assertEqual(len(bells), 1, statements)
        # The earlier commenters are found as ids: no user row of theirs is loaded.
        self.assertFalse([s for s in statements if s.startswith("SELECT users.id, users.email")
                          and "comments" in s], statements)
        self.assertEqual([self.unread(fan) for fan in fans], [len(fans) - i for i in range(6)])
        self.assertEqual(self.unread(self.john), len(fans) + 1)
        self.assertEqual(self.notifications(fans[0])[-1], ("reply", "mary"))
        self.assertEqual(before + 1, self.unread(fans[0]))

    def test_notifications_of_deleted_content_say_it_is_gone(self):
        post = make_post(self.john, "Soon gone")
        comment = make_comment(post, self.mary, "A comment")
        db.session.delete(db.session.get(Comment, comment.id))
        db.session.commit()
        self.login()
        response = self.client.get("/notifications")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"A comment on your post has since been deleted.", response.data)
        db.session.delete(db.session.get(Post, post.id))
        db.session.commit()
        self.assertEqual(self.client.get("/notifications").status_code, 200)

    def test_count_endpoint_answers_304_until_the_count_changes(self):
        self.login()
        first = self.client.get("/notifications/count")
        self.assertEqual(json.loads(first.data), {"unread": 0})
        etag = first.headers["ETag"]
        again = self.client.get("/notifications/count", headers={"If-None-Match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.data, b"")
        make_follow(self.mary, self.john)
        changed = self.client.get("/notifications/count", headers={"If-None-Match": etag})
        self.assertEqual(changed.status_code, 200)
        self.assertEqual(json.loads(changed.data), {"unread": 1})
        self.assertNotEqual(changed.headers["ETag"], etag)

    def test_the_count_costs_one_query(self):
        self.login()
        self.client.get("/notifications/count")
        db.session.remove()
        with self.recorded_queries() as statements:
            self.client.get("/notifications/count")
        self.assertEqual(len(statements), 1, statements)

    def test_pages_need_login(self):
        self.assertEqual(self.client.get("/notifications").status_code, 302)
        self.assertEqual(self.client.get("/notifications/count").status_code, 302)
        self.assertNotIn(b"notification-bell", self.client.get("/").data)


class CachedBellTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def test_a_cached_signed_in_page_shows_the_current_count(self):
        john, mary = self.create_user("john"), self.create_user("mary")
        make_post(mary, "Hello")
        self.login()
        self.client.get("/user/mary")
        cached = self.client.get("/user/mary")
        self.assertEqual(cached.headers.get("X-Flasky-Cache"), "hit")
        self.assertIn(b'notification-count" hidden>0<', cached.data)
        make_follow(mary, john)
        page = self.client.get("/user/mary")
        self.assertIn(b'notification-count">1<', page.data)
        self.client.get("/notifications")
        self.assertIn(b'notification-count" hidden>0<', self.client.get("/user/mary").data)

    def test_preferences_and_digests_leave_cached_pages_alone(self):
        from app.social.digests import send_digests

        self.create_user("john")
        self.login()
        self.client.post("/settings/notifications", data={"mail-follow": "on"},
                         follow_redirects=True)
        self.client.get("/user/john")
        self.assertEqual(self.client.get("/user/john").headers.get("X-Flasky-Cache"), "hit")
        send_digests()  # writes the preference rows when a digest is due; none here
        self.client.post("/settings/notifications", data={"in_app-follow": "on"},
                         follow_redirects=True)
        self.assertEqual(self.client.get("/user/john").headers.get("X-Flasky-Cache"), "hit")
