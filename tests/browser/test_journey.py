"""A newcomer's whole journey through Flasky in Chromium, with moderators and
administrators doing their part, on a desktop and on a phone-sized window."""

from sqlalchemy import select

from app.extensions import db
from app.models import Comment, Post, User
from tests.browser import flows
from tests.browser.harness import PHONE, BrowserTestCase, expect


class JourneyTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        grace = self.create_user("grace", email="grace@example.com")
        db.session.add(Post(body="Grace's *first* post", author=grace))
        db.session.commit()
        self.create_user("mo", email="mo@example.com", role="Moderator")
        self.create_user("root", email="root@example.com", role="Administrator")

    def user(self, username: str) -> User:
        return self.fresh_session().scalar(select(User).filter_by(username=username))

    def test_the_journey_of_a_new_user(self):
        page = self.page
        self.sign_up_and_confirm()
        self.write_a_post_with_the_live_preview()
        self.follow_grace_and_comment_on_her_post()
        flows.log_out(page)
        self.moderator_disables_the_comment()
        self.administrator_makes_ada_a_moderator()
        self.reset_the_password_by_mail()
        self.assertEqual(self.problems.items, [])
        self.assertEqual(self.problems.dialogs, [])

    def sign_up_and_confirm(self) -> None:
        flows.register(self.page, "ada@example.com", "ada")
        self.current_username = "ada"
        self.assertFalse(self.user("ada").confirmed)
        self.page.goto(self.mail_link(1, "/auth/confirm/"))
        expect(self.page.get_by_text("You have confirmed your account")).to_be_visible()
        self.assertTrue(self.user("ada").confirmed)

    def write_a_post_with_the_live_preview(self) -> None:
        page = self.page
        phone = self.viewport == PHONE
        if phone:  # a phone folds the composer into one button, and previews behind another
            page.get_by_role("button", name="Write a post").click()
        page.get_by_label("What's on your mind?").fill("# Hello\n\nMarkdown is **lovely**.")
        if phone:
            page.get_by_role("button", name="Preview", exact=True).click()
        preview = page.locator("[data-preview-output]")
        expect(preview.locator("strong")).to_have_text("lovely")
        expect(preview.locator("h1, h2, h3, h4").first).to_have_text("Hello")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("Your post has been published.")).to_be_visible()
        expect(page.locator("article.post strong", has_text="lovely")).to_be_visible()
        saved = self.fresh_session().scalar(select(Post).filter_by(author_id=self.user("ada").id))
        self.assertIn("<strong>lovely</strong>", saved.body_html)

    def follow_grace_and_comment_on_her_post(self) -> None:
        page = self.page
        page.locator("article.post").filter(has_text="Grace's").get_by_role(
            "link", name="grace", exact=True).click()
        expect(page.get_by_role("heading", name="grace", exact=True)).to_be_visible()
        page.get_by_role("button", name="Follow", exact=True).click()
        expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
        self.assertTrue(self.user("ada").is_following(self.user("grace")))

        page.locator("article.post").get_by_role("link", name="0 comments").click()
        page.get_by_label("Your comment").fill("What a *fine* post!")
        expect(page.locator("[data-preview-output] em")).to_have_text("fine")
        page.get_by_role("button", name="Comment", exact=True).click()
        expect(page.locator(".comment").filter(has_text="What a fine post!")).to_be_visible()

    def moderator_disables_the_comment(self) -> None:
        page = self.page
        flows.log_in(page, "mo@example.com")
        self.current_username = "mo"
        flows.open_menu(page)
        flows.navbar(page).get_by_role("link", name="Moderate").click()
        comment = page.locator(".comment").filter(has_text="What a fine post!")
        comment.get_by_role("button", name="Disable").click()
        expect(page.locator(".comment").filter(has_text="What a fine post!").get_by_text(
            "Disabled")).to_be_visible()
        self.assertTrue(self.fresh_session().scalar(select(Comment)).disabled)
        flows.log_out(page)

        post_id = self.fresh_session().scalar(select(Comment.post_id))
        page.goto(f"/post/{post_id}")
        expect(page.get_by_text("This comment has been disabled by a moderator.")).to_be_visible()
        expect(page.get_by_text("What a fine post!")).to_have_count(0)

    def administrator_makes_ada_a_moderator(self) -> None:
        page = self.page
        flows.log_in(page, "root@example.com")
        self.current_username = "root"
        flows.open_menu(page)
        flows.navbar(page).get_by_role("link", name="Admin").click()
        page.get_by_label("Role of ada").select_option(label="Moderator")
        page.get_by_role("button", name="Change the role of ada").click()
        expect(page.get_by_label("Role of ada")).to_have_value(str(self.user("mo").role_id))
        self.assertEqual(self.user("ada").role.name, "Moderator")
        flows.log_out(page)

    def reset_the_password_by_mail(self) -> None:
        page = self.page
        page.goto("/auth/login")
        page.get_by_role("link", name="Reset it").click()
        page.get_by_label("Email").fill("ada@example.com")
        page.get_by_role("button", name="Reset password").click()
        expect(page.get_by_text("an email with instructions")).to_be_visible()
        page.goto(self.mail_link(2, "/auth/reset/"))
        flows.fill_form(page, {"New password": "a-brand-new-secret",
                               "Confirm password": "a-brand-new-secret"})
        page.get_by_role("button", name="Reset password").click()
        expect(page.get_by_text("Your password has been updated")).to_be_visible()
        flows.log_in(page, "ada@example.com", "a-brand-new-secret")
        self.current_username = "ada"
        flows.open_menu(page)
        expect(flows.navbar(page).get_by_role("link", name="Moderate")).to_be_visible()
        flows.log_out(page)


class JourneyOnAPhoneTestCase(JourneyTestCase):
    """The same journey in a 390x844 window, through the collapsed navbar."""

    viewport = PHONE
