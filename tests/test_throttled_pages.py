"""The rate-limit page: when to try again in plain words, a way on, the text a
throttled writing form carried kept to send again; JSON clients keep the shape."""

import re

from flask_babel import refresh
from markupsafe import escape

from app import db, limiter
from app.models import Comment, Post
from app.security.throttled import try_again_in
from tests.social import csrf_token_in, make_post
from tests.test_rate_limits import RateLimitTestCase


class TryAgainWordsTestCase(RateLimitTestCase):
    def test_seconds_minutes_and_hours(self):
        with self.app.test_request_context():
            self.assertEqual(try_again_in(1), "Try again in about 1 second.")
            self.assertEqual(try_again_in(40), "Try again in about 40 seconds.")
            self.assertEqual(try_again_in(89), "Try again in about 89 seconds.")
            self.assertEqual(try_again_in(90), "Try again in about 2 minutes.")
            self.assertEqual(try_again_in(45 * 60), "Try again in about 45 minutes.")
            self.assertEqual(try_again_in(3 * 3600), "Try again in about 3 hours.")

    def test_in_the_readers_language(self):
        with self.app.test_request_context(headers={"Accept-Language": "de"}):
            refresh()  # the test's app context is shared: choose the language again
            self.assertEqual(try_again_in(40), "Versuche es in etwa 40 Sekunden noch einmal.")
        with self.app.test_request_context(headers={"Accept-Language": "es"}):
            refresh()
            self.assertEqual(try_again_in(1), "Vuelve a intentarlo dentro de 1 segundo.")


class ThrottledCommentTestCase(RateLimitTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.post = make_post(self.john, "A post")
        self.url = f"/post/{self.post.id}"
        self.login()

    def comment_until_throttled(self, body: str, **kwargs):
        for number in range(3):
            self.client.post(self.url, data={"body": f"Comment {number}"})
        return self.client.post(self.url, data={"body": body}, **kwargs)

    def test_the_page_says_when_and_matches_retry_after(self):
        response = self.comment_until_throttled("One more thought")
        self.assertThrottled(response)
        page = response.get_data(as_text=True)
        seconds = int(response.headers["Retry-After"])
        said = re.search(r"Try again in about (\d+) seconds?\.", page)
        self.assertIsNotNone(said, page)
        self.assertLessEqual(abs(int(said.group(1)) - seconds), 1)
        self.assertNotIn("per 1 minute", page)
        self.assertIn("You have written a lot in a short time", page)
        self.assertIn('href="/">Back to the home page</a>', page)
        self.assertIn('action="/search"', page)

    def test_the_text_is_kept_to_send_again(self):
        text = 'A long comment <b>with</b> "quotes"\nand a second line'
        response = self.comment_until_throttled(
            text, headers={"Referer": f"http://localhost{self.url}"})
        page = response.get_data(as_text=True)
        form = re.search(r'class="kept-text.*?<form method="post" action="([^"]+)">(.*?)</form>',
                         page, re.S)
        self.assertIsNotNone(form, "no form to send the text again")
        self.assertEqual(form.group(1), self.url)
        self.assertIn(str(escape(text)), form.group(2))
        self.assertNotIn("<b>with</b>", page)
        self.assertIn(f'href="{self.url}">Back to the page you were on</a>', page)
        self.assertEqual(db.session.scalar(db.select(db.func.count()).select_from(Comment)), 3)

    def test_sending_again_after_the_wait_publishes_it(self):
        self.comment_until_throttled("Kept for later")
        limiter.reset()  # as if the minute had passed
        response = self.client.post(self.url, data={"body": "Kept for later"})
        self.assertEqual(response.status_code, 302)
        self.assertIsNotNone(db.session.scalar(db.select(Comment).filter_by(body="Kept for later")))

    def test_json_clients_keep_the_error_shape(self):
        response = self.comment_until_throttled("x", headers={"Accept": "application/json"})
        self.assertThrottled(response, json=True)
        self.assertEqual(set(response.get_json()), {"error", "message"})


class ThrottledPostFormTestCase(RateLimitTestCase):
    config = {**RateLimitTestCase.config, "WTF_CSRF_ENABLED": True}

    def setUp(self):
        super().setUp()
        self.create_user("john")
        token = csrf_token_in(self.client.get("/auth/login").get_data(as_text=True))
        self.login(csrf_token=token)
        self.token = csrf_token_in(self.client.get("/").get_data(as_text=True))

    def post(self, data: dict):
        return self.client.post("/", data={"csrf_token": self.token, **data})

    def test_a_post_and_its_title_come_back_with_a_fresh_token(self):
        for number in range(3):
            self.post({"body": f"Post {number}", "submit": "Publish"})
        response = self.post({"title": "My title", "body": "The draft I must not lose",
                              "submit": "Publish"})
        self.assertEqual(response.status_code, 429)
        page = response.get_data(as_text=True)
        self.assertIn('value="My title"', page)
        self.assertIn("The draft I must not lose</textarea>", page)
        self.assertIn('<input type="hidden" name="submit" value="Publish">', page)
        kept = page[page.index('class="kept-text'):]
        self.assertEqual(kept[:kept.index("</form>")].count('name="csrf_token"'), 1)
        self.assertEqual(db.session.scalar(db.select(db.func.count()).select_from(Post)), 3)

    def test_a_forged_form_is_not_echoed(self):
        for number in range(3):
            self.post({"body": f"Post {number}"})
        response = self.client.post("/", data={"csrf_token": "forged",
                                               "body": "Words of a foreign page"})
        self.assertIn(response.status_code, (400, 429))
        self.assertNotIn("Words of a foreign page", response.get_data(as_text=True))


class ThrottledLoginTestCase(RateLimitTestCase):
    def test_a_password_is_never_echoed(self):
        self.create_user()
        guess = {"email": "john@example.com", "password": "s3cret-guess"}
        for _ in range(3):
            self.client.post("/auth/login", data=guess)
        response = self.client.post("/auth/login", data=guess)
        self.assertThrottled(response)
        page = response.get_data(as_text=True)
        self.assertNotIn("s3cret-guess", page)
        self.assertIn("Flasky allows this only so often", page)
