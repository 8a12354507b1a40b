"""Moderation in context and the pages that used to be dead ends, in Chromium:
a moderator disables and enables a comment in its thread, the users table at
1366 px, the rate-limit page that says when and keeps the text, registration's
rules before any typing, and identicons in dark mode."""

import re
import unittest

from sqlalchemy import select

from app.extensions import limiter
from app.models import Comment
from tests.browser import flows
from tests.browser.harness import BrowserTestCase, expect
from tests.browser.test_accessibility import AXE, BLOCKING_IMPACTS

# The width a select needs for its longest option, against the width it has.
SELECT_ROOM = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = Math.max(...[...select.options].map(o => context.measureText(o.text).width));
  const needed = text + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  return {needed, has: select.clientWidth};
}"""
# Whether an image's top-left corner, outside the identicon's cells, is see-through.
CORNER_ALPHA = """img => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 70;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0, 70, 70);
  return context.getImageData(2, 2, 1, 1).data[3];
}"""
LUMINANCE = """element => {
  const [r, g, b] = getComputedStyle(element).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


class ModerationInThreadTestCase(BrowserTestCase):
    def test_a_moderator_disables_and_enables_a_comment_in_the_thread(self):
        ids = self.create_community()
        flows.log_in(self.page, "mo@example.com")
        self.page.goto(f"/post/{ids['post']}")
        comment = self.page.locator("li.comment", has_text="Lovely, really.")
        expect(comment.get_by_text("Disabled", exact=True)).to_have_count(0)
        comment.get_by_role("button", name="Disable").click()
        expect(self.page).to_have_url(re.compile(rf"/post/{ids['post']}#comment-\d+$"))
        expect(self.page.get_by_text("The comment has been disabled.")).to_be_visible()
        comment = self.page.locator("li.comment", has_text="Lovely, really.")
        expect(comment.get_by_text("Disabled", exact=True)).to_be_visible()
        visitor = self.new_context().new_page()
        visitor.goto(f"/post/{ids['post']}")
        expect(visitor.get_by_text("Lovely, really.")).to_have_count(0)
        comment.get_by_role("button", name="Enable").click()
        expect(self.page.get_by_text("The comment has been enabled.")).to_be_visible()
        comment = self.page.locator("li.comment", has_text="Lovely, really.")
        expect(comment.get_by_role("button", name="Disable")).to_be_visible()
        visitor.reload()
        expect(visitor.get_by_text("Lovely, really.")).to_be_visible()
        session = self.fresh_session()
        stored = session.scalar(select(Comment).filter_by(body="Lovely, **really**."))
        self.assertFalse(stored.disabled)
        self.assertEqual(self.problems.items, [])

    def test_the_users_table_at_1366_pixels(self):
        self.create_community()
        for number in range(3):  # long names and addresses squeezed the role column before
            self.create_user(f"maximiliane{number}", name="Maximiliane von Langenberg-Ostheim",
                             email=f"maximiliane.von.langenberg{number}@universitaet.example.org")
        flows.log_in(self.page, "root@example.com")
        self.page.goto("/admin/users")
        selects = self.page.locator("select.admin-role-select")
        self.assertGreater(selects.count(), 3)
        for index in range(selects.count()):
            room = selects.nth(index).evaluate(SELECT_ROOM)
            self.assertGreaterEqual(room["has"], room["needed"], room)
        self.page.get_by_role("link", name="grace", exact=True).click()
        expect(self.page).to_have_url(re.compile(r"/user/grace$"))
        self.assertEqual(self.problems.items, [])


class ThrottledCommentTestCase(BrowserTestCase):
    config = {"RATELIMIT_ENABLED": True, "FLASKY_RATELIMIT_POSTING": "2 per minute"}

    def setUp(self) -> None:
        super().setUp()
        limiter.init_app(self.app)  # again, now that the limits are switched on
        limiter.reset()

    def comment(self, text: str) -> None:
        self.page.get_by_label("Your comment").fill(text)
        self.page.get_by_role("button", name="Comment", exact=True).click()

    def test_the_page_says_when_and_keeps_the_text(self):
        ids = self.create_community()
        flows.log_in(self.page, "ada@example.com")
        self.page.goto(f"/post/{ids['post']}")
        self.comment("First thought.")
        self.comment("Second thought.")
        long_text = "A third, longer thought\n\nthat took a while to write."
        self.comment(long_text)
        expect(self.page.get_by_role("heading", name="Please wait a moment")).to_be_visible()
        expect(self.page.get_by_role("status")).to_have_text(
            re.compile(r"^Try again in about \d+ seconds?\.$"))
        kept = self.page.get_by_label("Your text")
        expect(kept).to_have_value(long_text)
        expect(self.page.get_by_role("link", name="Back to the page you were on")).to_be_visible()
        self.assertEqual([item for item in self.problems.items if "429" not in item], [])
        limiter.reset()  # as if the minute had passed
        kept.fill(long_text + " Edited.")
        self.page.get_by_role("button", name="Send it again").click()
        expect(self.page.get_by_text("Your comment has been published.")).to_be_visible()
        expect(self.page.locator("li.comment", has_text="that took a while to write. Edited."
                                 )).to_be_visible()


    @unittest.skipUnless(AXE.exists(), f"the accessibility check needs axe-core at {AXE}")
    def test_the_rate_limit_page_passes_axe(self):
        ids = self.create_community()
        self.context.close()
        # axe is an inline script; without transitions, a switched scheme is whole at once.
        self.context = self.new_context(bypass_csp=True, reduced_motion="reduce")
        self.page = self.context.new_page()
        flows.log_in(self.page, "ada@example.com")
        self.page.goto(f"/post/{ids['post']}")
        for number in range(3):
            self.comment(f"Thought {number}.")
        expect(self.page.get_by_label("Your text")).to_have_value("Thought 2.")
        for scheme in ("light", "dark"):
            self.page.emulate_media(color_scheme=scheme)
            expect(self.page.locator("html")).to_have_attribute("data-bs-theme", scheme)
            self.page.add_script_tag(path=str(AXE))
            results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found = [f"({scheme}) {item['id']}: {item['help']}" for item in results["violations"]
                     if item["impact"] in BLOCKING_IMPACTS]
            self.assertEqual(found, [], "\n".join(found))


class RulesAndIdenticonsTestCase(BrowserTestCase):
    def test_registration_shows_its_rules_before_typing(self):
        self.page.goto("/auth/register")
        username = self.page.get_by_label("Username", exact=True)
        password = self.page.get_by_label("Password", exact=True)
        expect(username).to_have_value("")
        expect(username).to_have_accessible_description(re.compile("a letter first"))
        expect(password).to_have_accessible_description(re.compile(r"^8 to 128 characters\."))
        expect(self.page.get_by_text(re.compile("^Up to 64 characters"))).to_be_visible()
        self.assertEqual(self.problems.items, [])

    def test_identicons_let_the_dark_theme_show_through(self):
        self.create_community()
        dark = self.problems.watch(self.new_context(color_scheme="dark").new_page())
        dark.goto("/user/grace")
        avatar = dark.locator("img.avatar").first
        expect(avatar).to_have_attribute("src", re.compile(r"^/avatar/2/[0-9a-f]{32}\.svg$"))
        dark.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=avatar.element_handle())
        self.assertEqual(avatar.evaluate(CORNER_ALPHA), 0)  # nothing of its own behind
        self.assertLess(avatar.evaluate(LUMINANCE), 0.3)    # the dark theme shows instead
        self.assertEqual(self.problems.items, [])
