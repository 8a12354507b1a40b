"""The first minutes: an unconfirmed account reads what visitors read (only writing
waits for the confirmation), and confirming starts a checklist that ticks itself
and goes when done or dismissed."""

from app import db
from app.models import Onboarding, Post, User
from tests.base import FlaskyTestCase
from tests.social import csrf_token_in, make_follow, make_post
from tests.test_auth import latest_mail, link_in

CHECKLIST = 'class="card mb-4 onboarding"'


class UnconfirmedReadingTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.author = self.create_user("author", about_me="Writes.")
        self.post = make_post(self.author, "A public post")
        self.newbie = self.create_user("newbie", confirmed=False)
        self.login("newbie@example.com")

    def test_they_read_what_visitors_read_with_a_way_to_confirm(self):
        for path in ("/", "/all", f"/post/{self.post.id}", "/user/author", "/people",
                     "/people/active", "/followers/author", "/search?q=public"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                page = response.get_data(as_text=True)
                self.assertIn("Confirm your email address to post, comment", page)
                self.assertIn('action="/auth/confirm"', page)  # a new link, in one click
        home = self.client.get("/").get_data(as_text=True)
        self.assertIn("A public post", home)
        self.assertNotIn('id="post-form"', home)  # nothing to type and lose
        post = self.client.get(f"/post/{self.post.id}").get_data(as_text=True)
        self.assertIn("Confirm your email address to join the conversation.", post)
        self.assertNotIn('class="card mt-3 comment-form"', post)

    def test_writing_waits_for_the_confirmation_and_says_so(self):
        writes = [("/", {"body": "Too soon"}), (f"/post/{self.post.id}", {"body": "Hi"}),
                  ("/follow/author", {}), ("/messages/author", {"body": "Hello"}),
                  ("/block/author", {})]
        for path, data in writes:
            with self.subTest(path=path):
                self.assertRedirectsTo(self.client.post(path, data=data), "/auth/unconfirmed")
        page = self.client.get("/auth/unconfirmed").get_data(as_text=True)
        self.assertIn("Please confirm your email address first", page)
        self.assertIn('action="/auth/confirm"', page)  # the button that sends a new link
        self.assertEqual(db.session.scalar(db.select(db.func.count(Post.id))), 1)
        self.assertFalse(self.newbie.is_following(self.author))
        for path in ("/settings", "/messages", "/edit-profile", "/notifications", "/drafts"):
            with self.subTest(path=path):
                self.assertRedirectsTo(self.client.get(path), "/auth/unconfirmed")

    def test_the_notice_is_not_shown_once_confirmed(self):
        self.newbie.confirmed = True
        db.session.commit()
        self.assertNotIn("Confirm your email address",
                         self.client.get("/").get_data(as_text=True))


class ChecklistTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.people = [self.create_user(f"writer{i}") for i in range(3)]

    def confirm_new_account(self) -> User:
        self.client.post("/auth/register", data={
            "email": "new@example.com", "username": "new", "password": "correct-horse-7",
            "password2": "correct-horse-7"})
        response = self.client.get(link_in(latest_mail(), "/auth/confirm/"),
                                   follow_redirects=True)
        self.assertIn(b"You have confirmed your account", response.data)
        return User.by_email("new@example.com")

    def home(self) -> str:
        return self.client.get("/").get_data(as_text=True)

    def test_confirming_shows_the_checklist_and_each_step_ticks_itself(self):
        user = self.confirm_new_account()
        page = self.home()
        self.assertIn(CHECKLIST, page)
        self.assertIn('href="/edit-profile">Add your name and a short bio</a>', page)
        self.assertIn("Follow three people (0 of 3 so far)", page)
        self.assertIn('href="#post-form">Write your first post</a>', page)
        self.client.post("/edit-profile", data={"name": "New Person", "about_me": "Hello."})
        page = self.home()
        self.assertIn('<li class="onboarding-step done">', page)
        self.assertNotIn('href="/edit-profile">Add your name', page)
        for person in self.people[:2]:
            make_follow(user, person)
        self.assertIn("Follow three people (2 of 3 so far)", self.home())
        make_follow(user, self.people[2])
        self.assertNotIn('href="/people">Follow three people', self.home())
        self.client.post("/", data={"body": "My first post"})
        self.assertNotIn(CHECKLIST, self.home())  # all done: gone

    def test_dismissing_hides_it_for_good(self):
        self.confirm_new_account()
        self.assertEqual(self.client.get("/onboarding/dismiss").status_code, 405)
        response = self.client.post("/onboarding/dismiss")
        self.assertRedirectsTo(response, "/")
        self.assertNotIn(CHECKLIST, self.home())
        self.assertIsNotNone(db.session.scalar(db.select(Onboarding.dismissed_at)))

    def test_people_who_joined_before_it_never_see_it(self):
        self.create_user("john")
        self.login()
        self.assertNotIn(CHECKLIST, self.home())
        self.assertEqual(self.client.post("/onboarding/dismiss").status_code, 302)


class ChecklistCsrfTestCase(FlaskyTestCase):
    config = {"WTF_CSRF_ENABLED": True, "FLASKY_CACHE": True}

    def test_dismiss_needs_the_csrf_token_and_shows_on_the_next_request(self):
        user = self.create_user("john")
        db.session.add(Onboarding(user_id=user.id))
        db.session.commit()
        self.sign_in_directly(user)
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn(CHECKLIST, page)
        self.client.get("/")  # the first page made the session's CSRF secret: now stored
        self.assertEqual(self.client.get("/").headers.get("X-Flasky-Cache"), "hit")
        self.assertEqual(self.client.post("/onboarding/dismiss").status_code, 400)
        self.assertIn(CHECKLIST, self.client.get("/").get_data(as_text=True))
        self.client.post("/onboarding/dismiss", data={"csrf_token": csrf_token_in(page)})
        self.assertNotIn(CHECKLIST, self.client.get("/").get_data(as_text=True))
