from app import db
from app.models import Comment, Permission
from tests.base import FlaskyTestCase
from tests.social import csrf_token_in, make_comment, make_post, remove_permission


class CommentingTestCase(FlaskyTestCase):
    config = {"FLASKY_COMMENTS_PER_PAGE": 2}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.post = make_post(self.john, "Talk about this")
        self.url = f"/post/{self.post.id}"

    def comments(self):
        return db.session.scalars(db.select(Comment).order_by(Comment.id)).all()

    def test_anonymous_visitors_see_a_log_in_prompt(self):
        page = self.client.get(self.url).get_data(as_text=True)
        self.assertNotIn('name="body"', page)
        self.assertIn(f'href="/auth/login?next=/post/{self.post.id}">Log in</a>', page)
        self.assertIn("No comments yet.", page)

    def test_anonymous_post_is_sent_to_log_in(self):
        response = self.client.post(self.url, data={"body": "drive-by"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/auth/login", response.headers["Location"])
        self.assertEqual(self.comments(), [])

    def test_comment_redirects_to_the_last_page_with_an_anchor(self):
        for minute in range(3):
            make_comment(self.post, self.john, f"Earlier {minute}", minutes=minute)
        self.login("mary@example.com")
        response = self.client.post(self.url, data={"body": "Newest *one*"})
        newest = self.comments()[-1]
        self.assertEqual(newest.author_id, self.mary.id)
        self.assertEqual(newest.body_html, "<p>Newest <em>one</em></p>")
        self.assertRedirectsTo(response, f"{self.url}?page=2#comment-{newest.id}")
        page = self.client.get(f"{self.url}?page=2").get_data(as_text=True)
        self.assertIn(f'id="comment-{newest.id}"', page)
        self.assertIn("Earlier 2", page)
        self.assertIn("Your comment has been published.", page)

    def test_comments_are_oldest_first_and_paginated(self):
        for minute in range(3):
            make_comment(self.post, self.john, f"Number {minute}", minutes=minute)
        first = self.client.get(self.url).get_data(as_text=True)
        self.assertLess(first.index("Number 0"), first.index("Number 1"))
        self.assertNotIn("Number 2", first)
        self.assertIn(f'href="/post/{self.post.id}?page=2#comments"', first)
        self.assertIn("Comments <span class=\"text-body-secondary\">(3)</span>", first)
        self.assertEqual(self.client.get(f"{self.url}?page=5").status_code, 404)

    def test_empty_and_overlong_comments_are_form_errors(self):
        self.login()
        response = self.client.post(self.url, data={"body": "  "})
        self.assertIn(b"Please write something first.", response.data)
        response = self.client.post(self.url, data={"body": "c" * (Comment.BODY_MAX_LENGTH + 1)})
        self.assertIn(b"Please keep it under 2,000 characters.", response.data)
        self.assertEqual(self.comments(), [])

    def test_comment_needs_comment_permission(self):
        remove_permission("User", Permission.COMMENT)
        self.login()
        page = self.client.get(self.url).get_data(as_text=True)
        self.assertNotIn('name="body"', page)
        self.assertEqual(self.client.post(self.url, data={"body": "hi"}).status_code, 403)
        self.assertEqual(self.comments(), [])

    def test_comment_on_unknown_post_is_404(self):
        self.login()
        self.assertEqual(self.client.post("/post/999", data={"body": "hi"}).status_code, 404)

    def test_comments_get_a_markdown_subset(self):
        self.login()
        self.client.post(self.url, data={"body": "# Heading\n\n**bold**"})
        [comment] = self.comments()
        self.assertNotIn("<h1>", comment.body_html)
        self.assertIn("<strong>bold</strong>", comment.body_html)

    def test_comment_needs_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.login(csrf_token=csrf_token_in(self.client.get("/auth/login").get_data(as_text=True)))
        self.assertEqual(self.client.post(self.url, data={"body": "forged"}).status_code, 400)
        token = csrf_token_in(self.client.get(self.url).get_data(as_text=True))
        response = self.client.post(self.url, data={"body": "real", "csrf_token": token})
        self.assertEqual(response.status_code, 302)
        self.assertEqual([c.body for c in self.comments()], ["real"])


class DeletingCommentsTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.post = make_post(self.john, "A post")
        self.comment = make_comment(self.post, self.mary, "Mary says")

    def exists(self):
        db.session.expire_all()
        return db.session.get(Comment, self.comment.id) is not None

    def test_author_deletes_own_comment(self):
        self.login("mary@example.com")
        page = self.client.get(f"/post/{self.post.id}").get_data(as_text=True)
        self.assertIn(f'action="/comment/{self.comment.id}/delete?page=1"', page)
        response = self.client.post(f"/comment/{self.comment.id}/delete?page=1")
        self.assertRedirectsTo(response, f"/post/{self.post.id}?page=1#comments")
        self.assertFalse(self.exists())

    def test_others_get_403_and_no_button(self):
        self.login()  # john wrote the post, not the comment
        page = self.client.get(f"/post/{self.post.id}").get_data(as_text=True)
        self.assertNotIn(f"/comment/{self.comment.id}/delete", page)
        self.assertEqual(self.client.post(f"/comment/{self.comment.id}/delete").status_code, 403)
        self.assertTrue(self.exists())

    def test_moderators_delete_any_comment(self):
        self.create_user("mod", role="Moderator")
        self.login("mod@example.com")
        self.assertEqual(self.client.post(f"/comment/{self.comment.id}/delete").status_code, 302)
        self.assertFalse(self.exists())

    def test_delete_is_post_only_and_unknown_is_404(self):
        self.login("mary@example.com")
        self.assertEqual(self.client.get(f"/comment/{self.comment.id}/delete").status_code, 405)
        self.assertEqual(self.client.post("/comment/999/delete").status_code, 404)
        self.assertTrue(self.exists())

    def test_delete_needs_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.login("mary@example.com",
                   csrf_token=csrf_token_in(self.client.get("/auth/login").get_data(as_text=True)))
        self.assertEqual(self.client.post(f"/comment/{self.comment.id}/delete").status_code, 400)
        self.assertTrue(self.exists())

    def test_deleting_the_only_comment_on_a_later_page_goes_to_the_last_page(self):
        self.app.config["FLASKY_COMMENTS_PER_PAGE"] = 1
        later = make_comment(self.post, self.mary, "Later", minutes=5)
        self.login("mary@example.com")
        response = self.client.post(f"/comment/{later.id}/delete?page=2")
        self.assertRedirectsTo(response, f"/post/{self.post.id}?page=1#comments")
