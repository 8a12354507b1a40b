"""Moderation where the comments are: Disable / Enable in the thread, /moderate
leading with the reports that wait, and the administrators' users table."""

import re
from pathlib import Path

from app import db
from app.models import AuditEntry, Comment, Report
from tests.base import FlaskyTestCase
from tests.social import make_comment, make_post


class ThreadModerationTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mod = self.create_user("mod", role="Moderator")
        self.post = make_post(self.john, "A post")
        self.comment = make_comment(self.post, self.john, "Remark in the thread")

    def disabled(self) -> bool:
        db.session.expire_all()
        return db.session.get(Comment, self.comment.id).disabled

    def thread(self, query: str = "") -> str:
        return self.client.get(f"/post/{self.post.id}{query}").get_data(as_text=True)

    def test_moderators_see_disable_in_the_thread(self):
        self.login("mod@example.com")
        page = self.thread()
        form = re.search(r'<form method="post" action="/moderate/disable/(\d+)"'
                         r'[^>]*>(.*?)</form>', page, re.S)
        self.assertIsNotNone(form, "no Disable form in the thread")
        self.assertEqual(int(form.group(1)), self.comment.id)
        self.assertIn('name="csrf_token"', form.group(2))
        self.assertIn(f'name="next" value="/post/{self.post.id}"', form.group(2))
        self.assertIn(">Disable</button>", form.group(2))

    def test_others_see_no_disable(self):
        self.assertNotIn("/moderate/disable/", self.thread())
        self.login()  # the author may delete, not disable
        page = self.thread()
        self.assertNotIn("/moderate/disable/", page)
        self.assertIn(f"/comment/{self.comment.id}/delete", page)

    def test_disable_from_the_thread_returns_to_it_then_enable_undoes_it(self):
        self.login("mod@example.com")
        back = f"/post/{self.post.id}?page=1"
        response = self.client.post(f"/moderate/disable/{self.comment.id}", data={"next": back})
        self.assertRedirectsTo(response, f"{back}#comment-{self.comment.id}")
        self.assertTrue(self.disabled())
        page = self.thread()
        self.assertIn("Disabled</span>", page)
        self.assertIn(f'action="/moderate/enable/{self.comment.id}"', page)
        self.assertNotIn(f'action="/moderate/disable/{self.comment.id}"', page)
        self.client.post(f"/moderate/enable/{self.comment.id}", data={"next": back})
        self.assertFalse(self.disabled())
        actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        self.assertEqual(actions[-2:], ["disable-comment", "enable-comment"])

    def test_a_foreign_next_goes_to_moderate_instead(self):
        self.login("mod@example.com")
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            response = self.client.post(f"/moderate/disable/{self.comment.id}",
                                        data={"next": target})
            self.assertRedirectsTo(response, f"/moderate?page=1#comment-{self.comment.id}")

class CachedThreadModerationTestCase(ThreadModerationTestCase):
    config = {"FLASKY_CACHE": True}

    def test_the_thread_shows_the_change_on_the_next_request(self):
        self.login("mod@example.com")
        url = f"/post/{self.post.id}"
        self.client.get(url)
        self.assertEqual(self.client.get(url).headers.get("X-Flasky-Cache"), "hit")
        self.client.post(f"/moderate/disable/{self.comment.id}", data={"next": url})
        for _ in range(2):  # the first shows the flash (never cached), the second is kept
            self.assertIn(f'action="/moderate/enable/{self.comment.id}"',
                          self.client.get(url).get_data(as_text=True))
        self.assertIn("This comment has been disabled by a moderator.",
                      self.app.test_client().get(url).get_data(as_text=True))


class ModerateQueueTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.ann = self.create_user("ann")
        self.create_user("mod", role="Moderator")
        self.post = make_post(self.john, "A post")
        self.comments = [make_comment(self.post, self.john, f"Remark {i}", minutes=i)
                         for i in range(5)]

    def report(self, comment: Comment) -> Report:
        report = Report(reporter=self.ann, target=f"comment:{comment.id}", comment=comment,
                        user=comment.author, reason="spam")
        db.session.add(report)
        db.session.commit()
        return report

    def test_without_reports_it_says_so_then_lists_comments(self):
        self.login("mod@example.com")
        page = self.client.get("/moderate").get_data(as_text=True)
        self.assertIn("No reports wait for a decision.", page)
        self.assertLess(page.index("No reports wait"), page.index("Remark 4"))

    def test_open_reports_come_before_the_recent_comments(self):
        reports = [self.report(comment) for comment in self.comments]
        self.login("mod@example.com")
        page = self.client.get("/moderate").get_data(as_text=True)
        self.assertIn("5 reports wait for a decision", page)
        shown = re.findall(r'href="/moderate/reports#report-(\d+)"', page)
        self.assertEqual([int(id) for id in shown], [report.id for report in reports[:3]])
        self.assertIn('href="/moderate/reports">See all 5 open reports</a>', page)
        self.assertLess(page.index("wait for a decision"), page.index("Recent comments"))

    def test_dealt_with_reports_no_longer_lead(self):
        report = self.report(self.comments[0])
        report.status = Report.DISMISSED
        db.session.commit()
        self.login("mod@example.com")
        page = self.client.get("/moderate").get_data(as_text=True)
        self.assertIn("No reports wait for a decision.", page)
        self.assertNotIn("#report-", page)


class AdminUsersTableTestCase(FlaskyTestCase):
    def test_usernames_link_to_profiles_and_selects_keep_their_width(self):
        self.create_user("root", role="Administrator")
        self.create_user("ada")
        self.login("root@example.com")
        page = self.client.get("/admin/users").get_data(as_text=True)
        self.assertIn('<a class="admin-user-link" href="/user/ada">', page)
        self.assertIn("admin-role-select", page)
        css = (Path(self.app.static_folder) / "flasky.css").read_text()
        self.assertRegex(css, r"\.admin-users \.admin-role-select \{ min-width: \d")
