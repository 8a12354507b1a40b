"""Finding people and the first minutes, in Chromium: timelines at their own URLs
(the tab in the address, pages that keep it, no 404 from a remembered tab on a
phone), an unconfirmed account reading, the checklist ticking itself and being
dismissed, and following from /people."""

import re

from app.extensions import db
from app.models import Onboarding, Post, User
from tests.browser import flows
from tests.browser.harness import PHONE, BrowserTestCase, expect


class TimelineUrlsTestCase(BrowserTestCase):
    config = {"FLASKY_POSTS_PER_PAGE": 2}

    def setUp(self) -> None:
        super().setUp()
        self.create_community()  # ada follows grace, who wrote one post
        mo = User.by_username("mo")
        grace = User.by_username("grace")
        db.session.add_all([Post(body=f"Grace again {n}", author=grace) for n in range(2)]
                           + [Post(body=f"Mo says {n}", author=mo) for n in range(6)])
        db.session.commit()
        db.session.remove()

    def test_the_tab_is_in_the_url_and_pagination_keeps_it(self):
        flows.log_in(self.page, "ada@example.com")
        self.page.get_by_role("link", name="Followed", exact=True).click()
        expect(self.page).to_have_url(re.compile(r"/followed$"))
        active = self.page.locator(".nav-tabs .nav-link.active")
        expect(active).to_have_text("Followed")
        self.page.get_by_role("navigation", name="Pages").get_by_role(
            "link", name="Next page").click()
        expect(self.page).to_have_url(re.compile(r"/followed\?page=2$"))
        expect(active).to_have_text("Followed")
        expect(self.page.get_by_text("Mo says")).to_have_count(0)
        self.page.get_by_role("link", name="All", exact=True).click()
        expect(self.page).to_have_url(re.compile(r"/all$"))
        expect(self.page.get_by_text("Mo says 5")).to_be_visible()
        self.page.goto("/")  # the last choice, All, is what the home page shows
        expect(active).to_have_text("All")
        self.assertEqual(self.problems.items, [])

    def test_a_phone_that_remembers_followed_gets_no_404_for_a_home_page_number(self):
        context = self.new_context(viewport=PHONE)
        page = self.problems.watch(context.new_page())
        flows.log_in(page, "ada@example.com")
        page.goto("/followed")  # remembered; Followed has 2 pages, All 5
        response = page.goto("/?page=5")
        self.assertEqual(response.status, 200)
        expect(page.locator(".nav-tabs .nav-link.active")).to_have_text("All")
        expect(page.locator("article.post").first).to_be_visible()
        page.goto("/")
        expect(page.locator(".nav-tabs .nav-link.active")).to_have_text("Followed")
        context.close()


class FirstMinutesTestCase(BrowserTestCase):
    def test_an_unconfirmed_account_reads_and_is_told_why_it_cannot_write(self):
        ids = self.create_community()
        self.create_user("newbie", email="newbie@example.com", confirmed=False)
        flows.log_in(self.page, "newbie@example.com")
        self.page.goto(f"/post/{ids['post']}")
        expect(self.page.get_by_text("Grace's")).to_be_visible()
        expect(self.page.get_by_text("Confirm your email address to join the conversation."))\
            .to_be_visible()
        self.page.goto("/user/grace")
        expect(self.page.get_by_role("heading", name="grace", exact=True)).to_be_visible()
        self.page.get_by_role("button", name="Send a new link").click()
        expect(self.page).to_have_url(re.compile(r"/auth/unconfirmed$"))
        expect(self.page.get_by_text("A new confirmation email has been sent")).to_be_visible()
        self.assertIn("/auth/confirm/", self.mail_link(1, "/auth/confirm/"))
        self.page.goto("/people")
        self.page.get_by_role("button", name="Follow grace").click()
        expect(self.page).to_have_url(re.compile(r"/auth/unconfirmed$"))
        expect(self.page.get_by_text("Please confirm your email address first")).to_be_visible()
        self.assertFalse(User.by_username("newbie").is_following(User.by_username("grace")))

    def test_the_checklist_ticks_itself_as_the_newcomer_goes(self):
        self.create_community()
        for name in ("ines", "jon"):
            self.create_user(name, email=f"{name}@example.com")
        flows.register(self.page, "new@example.com", "newcomer")
        self.page.goto(self.mail_link(1, "/auth/confirm/"))
        checklist = self.page.get_by_role("region", name="Welcome! Three things to get started")
        expect(checklist).to_be_visible()
        checklist.get_by_role("link", name="Add your name and a short bio").click()
        flows.fill_form(self.page, {"Real name": "New Comer", "About me": "Just arrived."})
        self.page.get_by_role("button", name="Save").click()
        self.page.goto("/")
        expect(checklist.locator(".onboarding-step.done")).to_have_count(1)
        checklist.get_by_role("link", name=re.compile("Follow three people")).click()
        for name in ("grace", "ines", "jon"):  # from /people, which they come back to
            self.page.get_by_role("button", name=f"Follow {name}").click()
            expect(self.page.get_by_text(f"You are now following {name}.")).to_be_visible()
            expect(self.page).to_have_url(re.compile(r"/people$"))
            expect(self.page.get_by_role("button", name=f"Unfollow {name}")).to_be_visible()
        self.page.goto("/")
        expect(checklist.locator(".onboarding-step.done")).to_have_count(2)
        session = self.fresh_session()
        session.add(Post(body="Hello, everyone.", author=User.by_username("newcomer")))
        session.commit()
        self.page.goto("/")
        expect(self.page.get_by_text("Hello, everyone.")).to_be_visible()
        expect(checklist).to_have_count(0)
        self.assertEqual(self.problems.items, [])

    def test_dismissing_the_checklist(self):
        self.create_community()
        session = self.fresh_session()
        session.add(Onboarding(user_id=User.by_username("ada").id))
        session.commit()
        flows.log_in(self.page, "ada@example.com")
        checklist = self.page.get_by_role("region", name="Welcome! Three things to get started")
        expect(checklist).to_be_visible()
        checklist.get_by_role("button", name="Dismiss").click()
        expect(checklist).to_have_count(0)
        self.page.reload()
        expect(checklist).to_have_count(0)
        self.assertEqual(self.problems.items, [])
