"""Notification preferences, mail digests through a real SMTP server (at most
one per kind every 15 minutes) and the signed unsubscribe link."""

import re
from datetime import timedelta

from app import db
from app.models import Notification, NotificationPreference, OutboxMail, User
from app.social.digests import send_digests
from app.social.preferences import unsubscribe_token
from tests.base import FlaskyTestCase
from tests.smtp import SMTPServer, body_of
from tests.social import make_comment, make_follow, make_post


class PreferencesTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")

    def test_turning_a_kind_off_in_the_app_keeps_it_off_the_bell_and_page(self):
        self.login()
        page = self.client.get("/settings/notifications").get_data(as_text=True)
        self.assertIn('name="in_app-follow" id="in_app-follow" checked', page)
        self.assertNotIn("in_app-report", page)  # reports reach moderators only
        response = self.client.post("/settings/notifications", data={
            "in_app-comment": "y", "mail-follow": "on", "in_app-nonsense": "1"},
            follow_redirects=True)
        self.assertIn(b"Your notification preferences have been saved.", response.data)
        make_follow(self.mary, self.john)
        make_comment(make_post(self.john), self.mary)
        db.session.expire_all()
        self.assertEqual(db.session.get(User, self.john.id).unread_notifications, 1)
        page = self.client.get("/notifications").get_data(as_text=True)
        self.assertIn("mary commented on your post", page)
        self.assertNotIn("started following you", page)
        rows = db.session.scalars(db.select(NotificationPreference.kind)).all()
        self.assertNotIn("nonsense", rows)

    def test_the_form_needs_login_and_csrf(self):
        self.assertEqual(self.client.get("/settings/notifications").status_code, 302)
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.sign_in_directly(self.john)
        self.client.post("/settings/notifications", data={"mail-follow": "on"})
        self.assertEqual(db.session.scalars(db.select(NotificationPreference)).all(), [])

    def test_a_bad_unsubscribe_link_is_a_clear_404(self):
        for token in ("nonsense", unsubscribe_token(self.john, "follow")[:-3] + "abc"):
            response = self.client.get(f"/unsubscribe/{token}")
            self.assertEqual(response.status_code, 404)
            self.assertIn(b"This unsubscribe link is not valid", response.data)
            self.assertEqual(self.client.post(f"/unsubscribe/{token}").status_code, 404)


class DigestMailTestCase(FlaskyTestCase):
    def setUp(self):
        self.smtp = SMTPServer().start()
        self.config = {**self.smtp.app_config(), "FLASKY_BASE_URL": "https://flasky.example"}
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.susan = self.create_user("susan")
        self.login()
        self.client.post("/settings/notifications", data={
            f"in_app-{kind}": "on" for kind in Notification.KINDS} | {"mail-comment": "on"})
        self.client.post("/auth/logout")

    def tearDown(self):
        super().tearDown()
        self.smtp.stop()

    def test_one_digest_per_kind_per_interval_with_an_unsubscribe_link(self):
        post = make_post(self.john, "Mine")
        make_comment(post, self.mary)
        make_comment(post, self.susan)
        make_follow(self.mary, self.john)  # follows are not mailed
        self.assertEqual(send_digests(), 1)
        messages = self.smtp.wait_for(1)
        self.assertEqual(len(messages), 1)
        body = body_of(messages[0])
        self.assertIn("mary commented on your post", body)
        self.assertIn("susan commented on your post", body)
        self.assertNotIn("following", body)
        make_comment(post, self.create_user("ann"))
        self.assertEqual(send_digests(), 0)  # within 15 minutes of the last
        preference = db.session.get(NotificationPreference, (self.john.id, "comment"))
        preference.last_mailed_at -= timedelta(minutes=16)
        db.session.commit()
        self.assertEqual(send_digests(), 1)
        second = body_of(self.smtp.wait_for(2)[1])
        self.assertIn("ann commented on your post", second)
        self.assertNotIn("mary", second)
        link = re.search(r"https://flasky\.example(/unsubscribe/\S+)", second).group(1)
        page = self.client.get(link)  # not logged in
        self.assertIn(b"Stop the mails", page.data)
        done = self.client.post(link)
        self.assertIn(b"gets no more mail", done.data)
        db.session.expire_all()
        self.assertFalse(db.session.get(NotificationPreference, (self.john.id, "comment")).by_mail)
        preference = db.session.get(NotificationPreference, (self.john.id, "comment"))
        preference.last_mailed_at -= timedelta(minutes=16)
        db.session.commit()
        make_comment(post, self.mary, "Again")
        self.assertEqual(send_digests(), 0)
        self.assertEqual(len(self.smtp.messages), 2)

    def test_kinds_without_mail_are_not_mailed(self):
        make_follow(self.mary, self.john)
        self.assertEqual(send_digests(), 0)
        self.assertEqual(db.session.scalars(db.select(OutboxMail)).all(), [])
