"""Reports, the moderators' queue and its actions, and suspensions."""

from app import db
from app.models import Comment, ModerationAction, Notification, Post, Report, User
from app.social.suspensions import FOR_GOOD
from tests.base import FlaskyTestCase
from tests.smtp import SMTPServer, body_of
from tests.social import make_comment, make_post
from tests.test_api_base import basic


class ReportTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.mod = self.create_user("mod", role="Moderator")
        self.post = make_post(self.mary, "Buy cheap things")

    def reports(self):
        db.session.expire_all()
        return db.session.scalars(db.select(Report).order_by(Report.id)).all()

    def report(self, path, reason="spam", details=""):
        return self.client.post(path, data={"reason": reason, "details": details},
                                follow_redirects=True)

    def as_moderator(self):
        self.logout()
        self.login("mod@example.com")

    def act(self, report, action, reason="Against the rules", period="7"):
        return self.client.post(f"/moderate/reports/{report.id}", data={
            "action": action, "reason": reason, "period": period}, follow_redirects=True)

    def test_report_once_and_moderators_are_notified(self):
        self.login()
        page = self.client.get(f"/report/post/{self.post.id}").get_data(as_text=True)
        self.assertIn("Buy cheap things", page)
        response = self.report(f"/report/post/{self.post.id}", details="Links to a shop")
        self.assertIn(b"The moderators will look at your report.", response.data)
        response = self.report(f"/report/post/{self.post.id}")
        self.assertIn(b"You have reported this already", response.data)
        reports = self.reports()
        self.assertEqual([(r.target, r.reason, r.user_id) for r in reports],
                         [(f"post:{self.post.id}", "spam", self.mary.id)])
        kinds = db.session.scalars(db.select(Notification.kind).where(
            Notification.user_id == self.mod.id)).all()
        self.assertEqual(kinds, ["report"])

    def test_bad_reports_get_clear_messages(self):
        self.login("mary@example.com")
        response = self.report(f"/report/post/{self.post.id}")
        self.assertIn(b"You cannot report your own post.", response.data)
        response = self.report("/report/user/mary")
        self.assertIn(b"You cannot report yourself.", response.data)
        for path in ("/report/post/999", "/report/comment/abc", "/report/user/nobody",
                     "/report/thing/1", "/report/post/99999999999999"):
            response = self.client.post(path, data={"reason": "spam"})
            self.assertEqual(response.status_code, 404, path)
        self.logout()
        self.login()
        response = self.report(f"/report/post/{self.post.id}", reason="nonsense")
        self.assertIn(b"Not a valid choice", response.data)
        response = self.report(f"/report/post/{self.post.id}", details="x" * 1001)
        self.assertIn(b"Please keep it under 1,000 characters.", response.data)
        self.assertEqual(self.reports(), [])

    def test_only_received_messages_can_be_reported(self):
        self.login()
        self.client.post("/messages/mary", data={"body": "Hello"})
        message_id = db.session.scalar(db.select(db.func.max(Report.id)))  # none yet
        self.assertIsNone(message_id)
        from app.models import Message

        message = db.session.scalar(db.select(Message))
        self.assertEqual(self.client.get(f"/report/message/{message.id}").status_code, 404)
        self.logout()
        self.login("mary@example.com")
        self.report(f"/report/message/{message.id}", reason="harassment")
        self.assertEqual([r.target for r in self.reports()], [f"message:{message.id}"])

    def test_queue_actions_are_recorded_with_who_and_why(self):
        comment = make_comment(self.post, self.mary, "Rude words")
        self.login()
        self.report(f"/report/comment/{comment.id}", reason="harassment")
        self.report(f"/report/post/{self.post.id}")
        self.as_moderator()
        page = self.client.get("/moderate/reports").get_data(as_text=True)
        self.assertIn("Rude words", page)
        self.assertIn("Harassment or bullying", page)
        comment_report, post_report = self.reports()
        response = self.act(comment_report, "disable-comment", "Rude")
        self.assertIn(b"Disabled the comment.", response.data)
        self.assertTrue(db.session.get(Comment, comment.id).disabled)
        response = self.act(post_report, "delete-post", "Spam")
        self.assertIsNone(db.session.get(Post, self.post.id))
        response = self.act(post_report, "dismiss")
        self.assertIn(b"That report has been dealt with already.", response.data)
        self.assertIn(b"No open reports.", self.client.get("/moderate/reports").data)
        log = self.client.get("/moderate/actions").get_data(as_text=True)
        self.assertIn("Deleted the post", log)
        self.assertIn("Disabled the comment", log)
        actions = db.session.scalars(db.select(ModerationAction).order_by(
            ModerationAction.id)).all()
        self.assertEqual([(a.action, a.moderator_id, a.reason) for a in actions],
                         [("disable-comment", self.mod.id, "Rude"),
                          ("delete-post", self.mod.id, "Spam")])

    def test_actions_need_a_reason_a_fitting_action_and_a_moderator(self):
        self.login()
        self.report("/report/user/mary")
        report = self.reports()[0]
        self.assertEqual(self.act(report, "suspend").status_code, 403)
        self.as_moderator()
        self.assertIn(b"Please say why.", self.act(report, "warn", reason="").data)
        self.assertIn(b"That action does not apply", self.act(report, "delete-post").data)
        self.assertIn(b"Not a valid choice", self.act(report, "explode").data)
        self.assertEqual(self.reports()[0].status, "open")

    def test_a_suspension_ends_sessions_refuses_login_and_api_and_hides_content(self):
        make_post(self.mary, "Mary's other post")
        make_comment(self.post, self.mary, "Mary's own comment")
        self.login()
        self.report("/report/user/mary", reason="hate")
        mary_client = self.app.test_client()
        mary_client.post("/auth/login", data={"email": "mary@example.com",
                                              "password": self.password})
        self.as_moderator()
        self.act(self.reports()[0], "suspend", "Hateful posts", period="forever")
        self.assertEqual(db.session.get(User, self.mary.id).suspended_until, FOR_GOOD)
        self.assertEqual(mary_client.get("/notifications").status_code, 302)
        response = mary_client.post("/auth/login", data={
            "email": "mary@example.com", "password": self.password}, follow_redirects=True)
        self.assertIn(b"This account has been suspended for good.", response.data)
        answer = self.client.get("/api/v1/posts/", headers=basic("mary@example.com",
                                                                 self.password))
        self.assertEqual(answer.status_code, 403)
        self.assertIn("suspended", answer.json["message"])
        listed = self.client.get("/api/v1/posts/", headers=basic("john@example.com",
                                                                  self.password)).json
        self.assertEqual([post["body"] for post in listed["posts"]], [])
        john = basic("john@example.com", self.password)
        for path in (f"/api/v1/users/{self.mary.id}/posts/", "/api/v1/comments/"):
            self.assertEqual(self.client.get(path, headers=john).json["count"], 0, path)
        self.logout()
        self.assertNotIn(b"Mary&#39;s other post", self.client.get("/").data)
        self.assertNotIn(b"other post", self.client.get("/").data)
        self.assertNotIn(b"other post", self.client.get("/user/mary").data)
        page = self.client.get(f"/post/{self.post.id}").get_data(as_text=True)
        self.assertNotIn("Buy cheap things", page)
        self.assertIn("hidden while its author's account is suspended", page)

    def test_a_timed_suspension_says_until_when(self):
        self.login()
        self.report("/report/user/mary")
        self.as_moderator()
        self.act(self.reports()[0], "suspend", "Cool down", period="1")
        response = self.client.post("/auth/logout")
        response = self.client.post("/auth/login", data={
            "email": "mary@example.com", "password": self.password}, follow_redirects=True)
        self.assertIn(b"This account is suspended until", response.data)
        self.assertIn(b" UTC.", response.data)


class WarningMailTestCase(FlaskyTestCase):
    def setUp(self):
        self.smtp = SMTPServer().start()
        self.config = self.smtp.app_config()
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.smtp.stop()

    def test_a_warning_is_mailed_to_the_person(self):
        self.create_user("john")
        mary = self.create_user("mary")
        self.create_user("mod", role="Moderator")
        self.login()
        self.client.post("/report/user/mary", data={"reason": "spam"})
        self.client.post("/auth/logout")
        self.login("mod@example.com")
        report = db.session.scalar(db.select(Report))
        self.client.post(f"/moderate/reports/{report.id}",
                         data={"action": "warn", "reason": "No advertising, please."})
        messages = self.smtp.wait_for(1)
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["To"], mary.email)
        self.assertIn("No advertising, please.", body_of(messages[0]))
