from app import db
from app.models import Comment, Permission, Post
from app.rendering import render_post_html
from tests.base import FlaskyTestCase
from tests.social import csrf_token_in, make_comment, make_post, make_posts, remove_permission


class WritingPostsTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")

    def posts(self):
        return db.session.scalars(db.select(Post)).all()

    def test_anonymous_home_page_has_no_form_and_an_invitation(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(b'name="body"', response.data)
        self.assertIn(b'href="/auth/register">Join Flasky</a>', response.data)
        self.assertIn(b"No posts yet", response.data)

    def test_writing_a_post_renders_markdown_and_shows_it(self):
        self.login()
        response = self.client.post("/", data={"body": "Hello **world**"})
        self.assertRedirectsTo(response, "/")
        [post] = self.posts()
        self.assertEqual(post.author_id, self.john.id)
        self.assertEqual(post.body_html, "<p>Hello <strong>world</strong></p>")
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn("Your post has been published.", page)
        self.assertIn("<strong>world</strong>", page)

    def test_bare_links_are_linkified_with_nofollow(self):
        self.login()
        self.client.post("/", data={"body": "See https://example.com/page"})
        [post] = self.posts()
        self.assertIn('href="https://example.com/page"', post.body_html)
        self.assertIn('rel="nofollow noopener"', post.body_html)

    def test_empty_and_blank_posts_are_form_errors(self):
        self.login()
        for body in ("", "   \n  "):
            with self.subTest(body=body):
                response = self.client.post("/", data={"body": body})
                self.assertEqual(response.status_code, 200)
                self.assertIn(b"Please write something first.", response.data)
                self.assertIn(b"is-invalid", response.data)
        self.assertEqual(self.posts(), [])

    def test_length_limit(self):
        self.login()
        response = self.client.post("/", data={"body": "x" * (Post.BODY_MAX_LENGTH + 1)})
        self.assertIn(b"Please keep it under 10,000 characters.", response.data)
        self.assertEqual(self.posts(), [])
        response = self.client.post("/", data={"body": "x" * Post.BODY_MAX_LENGTH})
        self.assertRedirectsTo(response, "/")
        self.assertEqual(len(self.posts()), 1)

    def test_posting_needs_write_permission(self):
        response = self.client.post("/", data={"body": "anonymous"})
        self.assertEqual(response.status_code, 403)
        remove_permission("User", Permission.WRITE)
        self.login()
        self.assertNotIn(b'name="body"', self.client.get("/").data)
        response = self.client.post("/", data={"body": "no rights"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.posts(), [])

    def test_posting_needs_a_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        page = self.client.get("/auth/login").get_data(as_text=True)
        self.login(csrf_token=csrf_token_in(page))
        response = self.client.post("/", data={"body": "forged"})
        self.assertEqual(response.status_code, 400)
        token = csrf_token_in(self.client.get("/").get_data(as_text=True))
        response = self.client.post("/", data={"body": "genuine", "csrf_token": token})
        self.assertRedirectsTo(response, "/")
        self.assertEqual([post.body for post in self.posts()], ["genuine"])


class HomePageTestCase(FlaskyTestCase):
    config = {"FLASKY_POSTS_PER_PAGE": 5}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")

    def test_posts_are_paginated_newest_first(self):
        make_posts(self.john, 7)
        first = self.client.get("/").get_data(as_text=True)
        self.assertIn("Post number 6", first)
        self.assertNotIn("Post number 1<", first)
        self.assertLess(first.index("Post number 6"), first.index("Post number 2"))
        self.assertIn('href="/?page=2"', first)
        second = self.client.get("/?page=2").get_data(as_text=True)
        self.assertIn("Post number 0", second)
        self.assertNotIn("Post number 6", second)

    def test_page_past_the_end_is_404_and_malformed_page_is_the_first(self):
        make_posts(self.john, 2)
        self.assertEqual(self.client.get("/?page=9").status_code, 404)
        self.assertEqual(self.client.get("/?page=abc").status_code, 200)

    def test_each_post_shows_author_avatar_time_and_comment_count(self):
        post = make_post(self.john, "Counted")
        make_comment(post, self.john, minutes=1)
        make_comment(post, self.john, minutes=2)
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn('href="/user/john"', page)
        self.assertIn(f'src="/avatar/2/{self.john.avatar_hash}.svg"', page)
        self.assertIn(f'<time class="timestamp" datetime="{post.timestamp:%Y-%m-%dT%H:%M:%S}Z"',
                      page)
        self.assertIn("2 comments", page)
        self.assertIn(f'href="/post/{post.id}"', page)

    def test_edit_and_delete_links_only_for_those_allowed(self):
        post = make_post(self.john, "Mine")
        self.create_user("mary")
        self.login("mary@example.com")
        page = self.client.get("/").get_data(as_text=True)
        self.assertNotIn(f"/edit/{post.id}", page)
        self.assertNotIn(f"/post/{post.id}/delete", page)
        self.logout()
        self.login()
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn(f"/edit/{post.id}", page)
        self.assertIn(f"/post/{post.id}/delete", page)

    def test_page_title(self):
        self.assertIn(b"<title>Home \xc2\xb7 Flasky</title>", self.client.get("/").data)


class PermalinkTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.post = make_post(self.john, "The *permalink* post")

    def test_permalink(self):
        response = self.client.get(f"/post/{self.post.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"The <em>permalink</em> post", response.data)
        self.assertIn(b"<title>Post by john", response.data)

    def test_unknown_post_is_a_404_page(self):
        response = self.client.get("/post/999")
        self.assertEqual(response.status_code, 404)
        self.assertIn(b"There is no such post", response.data)


class EditPostTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.post = make_post(self.john, "Original")

    def test_author_edits(self):
        self.login()
        form = self.client.get(f"/edit/{self.post.id}").get_data(as_text=True)
        self.assertRegex(form, r'name="body"[^>]*>\s*Original</textarea>')
        response = self.client.post(f"/edit/{self.post.id}", data={"body": "Changed *text*"})
        self.assertRedirectsTo(response, f"/post/{self.post.id}")
        db.session.refresh(self.post)
        self.assertEqual(self.post.body, "Changed *text*")
        self.assertEqual(self.post.body_html, "<p>Changed <em>text</em></p>")

    def test_edit_errors(self):
        self.login()
        response = self.client.post(f"/edit/{self.post.id}", data={"body": ""})
        self.assertIn(b"Please write something first.", response.data)
        response = self.client.post(f"/edit/{self.post.id}",
                                    data={"body": "y" * (Post.BODY_MAX_LENGTH + 1)})
        self.assertIn(b"Please keep it under", response.data)
        db.session.refresh(self.post)
        self.assertEqual(self.post.body, "Original")

    def test_others_get_403_but_administrators_may_edit(self):
        self.create_user("mary")
        self.create_user("mod", role="Moderator")
        self.create_user("boss", role="Administrator")
        for email in ("mary@example.com", "mod@example.com"):
            with self.subTest(email=email):
                self.login(email)
                self.assertEqual(self.client.get(f"/edit/{self.post.id}").status_code, 403)
                response = self.client.post(f"/edit/{self.post.id}", data={"body": "Hijack"})
                self.assertEqual(response.status_code, 403)
                self.logout()
        self.login("boss@example.com")
        response = self.client.post(f"/edit/{self.post.id}", data={"body": "By the admin"})
        self.assertRedirectsTo(response, f"/post/{self.post.id}")
        db.session.refresh(self.post)
        self.assertEqual(self.post.body, "By the admin")

    def test_anonymous_is_sent_to_log_in_and_unknown_post_is_404(self):
        self.assertRedirectsTo(self.client.get(f"/edit/{self.post.id}"),
                               f"/auth/login?next=%2Fedit%2F{self.post.id}")
        self.login()
        self.assertEqual(self.client.get("/edit/999").status_code, 404)


class DeletePostTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.post = make_post(self.john, "Doomed")
        make_comment(self.post, self.john)

    def assertPostExists(self, exists=True):
        self.assertEqual(db.session.get(Post, self.post.id) is not None, exists)

    def test_confirmation_page_then_delete(self):
        self.login()
        page = self.client.get(f"/post/{self.post.id}/delete").get_data(as_text=True)
        self.assertIn(f'action="/post/{self.post.id}/delete"', page)
        self.assertIn('method="post"', page)
        self.assertPostExists()
        response = self.client.post(f"/post/{self.post.id}/delete")
        self.assertRedirectsTo(response, "/")
        db.session.expire_all()
        self.assertPostExists(False)
        self.assertEqual(db.session.scalars(db.select(Comment)).all(), [])

    def test_others_get_403_moderators_and_administrators_may_delete(self):
        self.create_user("mary")
        self.login("mary@example.com")
        self.assertEqual(self.client.get(f"/post/{self.post.id}/delete").status_code, 403)
        self.assertEqual(self.client.post(f"/post/{self.post.id}/delete").status_code, 403)
        self.assertPostExists()
        self.logout()
        self.create_user("mod", role="Moderator")
        self.login("mod@example.com")
        self.assertRedirectsTo(self.client.post(f"/post/{self.post.id}/delete"), "/")
        db.session.expire_all()
        self.assertPostExists(False)
        other = make_post(self.john, "Also doomed")
        self.logout()
        self.create_user("boss", role="Administrator")
        self.login("boss@example.com")
        self.assertRedirectsTo(self.client.post(f"/post/{other.id}/delete"), "/")

    def test_delete_needs_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.login(csrf_token=csrf_token_in(self.client.get("/auth/login").get_data(as_text=True)))
        self.assertEqual(self.client.post(f"/post/{self.post.id}/delete").status_code, 400)
        self.assertPostExists()
        page = self.client.get(f"/post/{self.post.id}/delete").get_data(as_text=True)
        response = self.client.post(f"/post/{self.post.id}/delete",
                                    data={"csrf_token": csrf_token_in(page)})
        self.assertRedirectsTo(response, "/")
        db.session.expire_all()
        self.assertPostExists(False)

    def test_unknown_post_is_404(self):
        self.login()
        self.assertEqual(self.client.post("/post/999/delete").status_code, 404)


class PreviewTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.create_user("john")
        self.login()

    def test_preview_is_exactly_what_is_saved(self):
        text = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nhttps://example.com <b>raw</b>"
        preview = self.client.post("/preview", data={"body": text, "kind": "post"})
        self.assertEqual(preview.status_code, 200)
        self.client.post("/", data={"body": text})
        saved = db.session.scalar(db.select(Post))
        self.assertEqual(preview.get_json()["html"], saved.body_html)
        self.assertEqual(saved.body_html, render_post_html(text))

    def test_comment_preview_uses_the_comment_subset(self):
        html = self.client.post("/preview", data={"body": "# Title", "kind": "comment"})
        self.assertNotIn("<h1>", html.get_json()["html"])
        html = self.client.post("/preview", data={"body": "# Title", "kind": "post"})
        self.assertIn("<h1>", html.get_json()["html"])
        html = self.client.post("/preview", data={"body": "# Me *here*", "kind": "profile"})
        self.assertNotIn("<h1>", html.get_json()["html"])
        self.assertIn("<em>here</em>", html.get_json()["html"])

    def test_bad_preview_requests_are_json_errors(self):
        response = self.client.post("/preview", data={"body": "x", "kind": "poem"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.get_json()["error"], "bad request")
        response = self.client.post("/preview",
                                    data={"body": "x" * (Post.BODY_MAX_LENGTH + 1)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("10,000", response.get_json()["message"])
        self.assertEqual(self.client.get("/preview").status_code, 405)

    def test_preview_needs_login(self):
        self.logout()
        self.assertEqual(self.client.post("/preview", data={"body": "x"}).status_code, 302)

    def test_preview_needs_csrf_token_in_header(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        response = self.client.post("/preview", data={"body": "*x*"})
        self.assertEqual(response.status_code, 400)
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn('data-preview-url="/preview"', page)
        token = csrf_token_in(page)
        response = self.client.post("/preview", data={"body": "*x*"},
                                    headers={"X-CSRFToken": token})
        self.assertEqual(response.get_json(), {"html": "<p><em>x</em></p>", "notes": []})

    def test_pages_load_the_preview_script_from_a_static_file(self):
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn('src="/static/js/preview.js"', page)
        script = self.client.get("/static/js/preview.js")
        self.assertEqual(script.status_code, 200)
        self.assertIn(b"X-CSRFToken", script.data)
        script.close()
