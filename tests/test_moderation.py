from app import db
from app.models import Comment
from tests.base import FlaskyTestCase
from tests.social import csrf_token_in, make_comment, make_post

DISABLED_NOTICE = b"This comment has been disabled by a moderator."


class ModerationTestCase(FlaskyTestCase):
    config = {"FLASKY_COMMENTS_PER_PAGE": 2}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.create_user("mod", role="Moderator")
        self.post = make_post(self.john, "A post")
        self.comments = [make_comment(self.post, self.john, f"Remark {i}", minutes=i)
                         for i in range(3)]

    def disabled(self, comment):
        db.session.expire_all()
        return db.session.get(Comment, comment.id).disabled

    def test_moderate_page_needs_moderate_permission(self):
        self.assertRedirectsTo(self.client.get("/moderate"), "/auth/login?next=%2Fmoderate")
        self.login()
        self.assertEqual(self.client.get("/moderate").status_code, 403)
        self.assertNotIn(b'href="/moderate"', self.client.get("/").data)
        self.logout()
        self.login("mod@example.com")
        self.assertEqual(self.client.get("/moderate").status_code, 200)
        self.assertIn(b'href="/moderate">Moderate</a>', self.client.get("/").data)
        self.logout()
        self.create_user("boss", role="Administrator")
        self.login("boss@example.com")
        self.assertEqual(self.client.get("/moderate").status_code, 200)

    def test_recent_comments_newest_first_paginated(self):
        self.login("mod@example.com")
        page = self.client.get("/moderate").get_data(as_text=True)
        self.assertLess(page.index("Remark 2"), page.index("Remark 1"))
        self.assertNotIn("Remark 0", page)
        self.assertIn('href="/moderate?page=2"', page)
        self.assertIn(f'action="/moderate/disable/{self.comments[2].id}?page=1"', page)
        self.assertIn(f'href="/post/{self.post.id}"', page)
        self.assertIn("Remark 0", self.client.get("/moderate?page=2").get_data(as_text=True))

    def test_disable_and_enable(self):
        self.login("mod@example.com")
        comment = self.comments[1]
        response = self.client.post(f"/moderate/disable/{comment.id}?page=2")
        self.assertRedirectsTo(response, f"/moderate?page=2#comment-{comment.id}")
        self.assertTrue(self.disabled(comment))
        page = self.client.get("/moderate").get_data(as_text=True)
        self.assertIn(f'action="/moderate/enable/{comment.id}?page=1"', page)
        self.assertIn("Remark 1", page)  # moderators still read it
        self.assertIn("Disabled</span>", page)
        self.client.post(f"/moderate/enable/{comment.id}")
        self.assertFalse(self.disabled(comment))

    def test_only_moderators_may_disable(self):
        self.login()
        comment = self.comments[0]
        self.assertEqual(self.client.post(f"/moderate/disable/{comment.id}").status_code, 403)
        self.assertFalse(self.disabled(comment))

    def test_bad_requests(self):
        self.login("mod@example.com")
        self.assertEqual(self.client.post("/moderate/disable/999").status_code, 404)
        self.assertEqual(self.client.get(f"/moderate/disable/{self.comments[0].id}").status_code,
                         405)
        self.assertEqual(self.client.get("/moderate?page=7").status_code, 404)

    def test_disable_needs_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.login("mod@example.com",
                   csrf_token=csrf_token_in(self.client.get("/auth/login").get_data(as_text=True)))
        comment = self.comments[0]
        self.assertEqual(self.client.post(f"/moderate/disable/{comment.id}").status_code, 400)
        self.assertFalse(self.disabled(comment))
        token = csrf_token_in(self.client.get("/moderate").get_data(as_text=True))
        self.client.post(f"/moderate/disable/{comment.id}", data={"csrf_token": token})
        self.assertTrue(self.disabled(comment))

    def test_disabled_text_is_hidden_from_everyone_but_moderators(self):
        comment = self.comments[0]
        comment.disabled = True
        db.session.commit()
        url = f"/post/{self.post.id}"
        anonymous = self.client.get(url).data
        self.assertIn(DISABLED_NOTICE, anonymous)
        self.assertNotIn(b"Remark 0", anonymous)
        self.assertIn(b"Remark 1", anonymous)
        self.login()  # the comment's own author does not see it either
        self.assertNotIn(b"Remark 0", self.client.get(url).data)
        self.logout()
        self.login("mod@example.com")
        page = self.client.get(url).data
        self.assertIn(b"Remark 0", page)
        self.assertIn(b"Disabled</span>", page)
        self.assertNotIn(DISABLED_NOTICE, page)
