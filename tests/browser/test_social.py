"""People talking, in Chromium: the bell's count updates without reloading
(a conditional request, 304 while nothing changed), a private conversation,
and a block that hides someone's content."""

from app.models import Follow, User
from tests.browser import flows
from tests.browser.harness import BrowserTestCase, expect


class SocialTestCase(BrowserTestCase):
    def poll_now(self, page) -> None:
        """The bell asks every 15 seconds, and when the tab becomes visible: ask now."""
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    @staticmethod
    def is_count(response) -> bool:
        return "/notifications/count" in response.url

    def test_the_bell_count_updates_without_reloading(self):
        self.create_community()
        flows.log_in(self.page, "grace@example.com")
        bell = self.page.locator("#notification-bell .notification-count")
        expect(bell).to_have_text("3 unread")  # ada follows grace and commented twice
        self.page.goto("/notifications")  # seen: the count is back to none
        self.page.goto("/")
        expect(bell).to_be_hidden()
        with self.page.expect_response(self.is_count) as first:
            self.poll_now(self.page)
        self.assertEqual(first.value.status, 200)
        expect(self.page.locator("#notification-bell")).to_have_attribute("data-unread", "0")
        with self.page.expect_response(self.is_count) as second:
            self.poll_now(self.page)
        self.assertEqual(second.value.status, 304)  # nothing changed: no body
        session = self.fresh_session()
        grace = User.by_username("grace")
        mo = User.by_username("mo")
        session.add(Follow(follower=mo, followed=grace))
        session.commit()
        self.poll_now(self.page)
        expect(bell).to_be_visible()
        expect(bell).to_have_text("1 unread")
        self.page.locator("#notification-bell").click()
        expect(self.page.get_by_text("mo and ada started following you")).to_be_visible()
        expect(bell).to_be_hidden()
        self.assertEqual(self.problems.items, [])

    def test_a_conversation(self):
        self.create_community()
        flows.log_in(self.page, "ada@example.com")
        self.page.goto("/user/grace")
        self.page.get_by_role("link", name="Message", exact=True).click()
        self.page.get_by_label("Your message").fill("Hello *Grace*, can we talk?")
        self.page.get_by_role("button", name="Send").click()
        expect(self.page.locator(".message-body em")).to_have_text("Grace")
        other = self.new_context()
        grace_page = self.problems.watch(other.new_page())
        flows.log_in(grace_page, "grace@example.com")
        # ada's follow, her two comments and now her message
        expect(grace_page.locator("#notification-bell .notification-count")).to_have_text(
            "4 unread")
        flows.navbar(grace_page).get_by_role("link", name="Messages").click()
        expect(grace_page.locator(".conversation-unread")).to_have_count(1)
        grace_page.get_by_role("link", name="ada").click()
        expect(grace_page.get_by_text("can we talk?")).to_be_visible()
        grace_page.get_by_label("Your message").fill("Of course.")
        grace_page.get_by_role("button", name="Send").click()
        expect(grace_page.locator(".message")).to_have_count(2)
        self.page.reload()
        expect(self.page.locator(".message-body").last).to_have_text("Of course.")
        other.close()
        self.assertEqual(self.problems.items, [])

    def test_blocking_hides_their_content(self):
        ids = self.create_community()
        flows.log_in(self.page, "grace@example.com")
        self.page.goto(f"/post/{ids['post']}")
        expect(self.page.get_by_text("Lovely, really.")).to_be_visible()
        self.page.goto("/user/ada")
        self.page.evaluate("window.confirm = () => true")
        self.page.get_by_role("button", name="Block").click()
        expect(self.page.get_by_text("You have blocked ada.")).to_be_visible()
        expect(self.page.get_by_role("button", name="Unblock")).to_be_visible()
        self.page.goto(f"/post/{ids['post']}")
        expect(self.page.get_by_text("Lovely, really.")).to_have_count(0)
        expect(self.page.get_by_text("A comment from a blocked or suspended account.")) \
            .to_have_count(2)  # ada's two comments, one of them disabled
        self.page.goto("/")
        expect(self.page.locator(".post-body", has_text="x" * 40)).to_have_count(0)
        self.assertEqual(self.problems.items, [])
