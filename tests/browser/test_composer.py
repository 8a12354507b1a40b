"""Writing and reading in Chromium: the composer's counter (a long paste is refused,
never cut), errors that clear, Ctrl+Enter, a text area that grows, the preview beside
the text on a desktop and behind buttons on a phone, timestamps with their exact
time, "edited", the phone's full-width text, and the keyboard's path and focus."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Post
from app.models.base import utcnow
from tests.browser import flows
from tests.browser.harness import PHONE, BrowserTestCase, expect

LIMIT = Post.BODY_MAX_LENGTH
PASTE = ("A long paste that must not be cut. " * 300)[:10_455]


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


class ComposerTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()
        flows.log_in(self.page, "ada@example.com")
        self.current_username = "ada"

    def posts(self) -> int:
        return self.fresh_session().scalar(select(func.count(Post.id)))

    def text_area(self):
        return self.page.get_by_label("What's on your mind?")

    def test_a_long_paste_is_refused_with_the_text_kept_then_posted_once_short(self):
        page, before = self.page, self.posts()
        page.goto("/")
        self.assertIsNone(self.text_area().get_attribute("maxlength"))
        self.text_area().fill(PASTE)
        counter = page.locator(".composer-counter")
        expect(counter).to_have_text("Characters over the limit: 455")
        expect(page.get_by_text("Please keep it under 10,000 characters.")).to_be_visible()
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(self.text_area()).to_be_focused()
        self.assertEqual(len(self.text_area().input_value()), 10_455)
        self.assertEqual(self.posts(), before)

        self.text_area().fill(PASTE[:LIMIT])
        expect(counter).to_have_text("Characters left: 0")
        expect(counter).to_have_class(re.compile(r"\bcomposer-counter-near\b"))
        expect(page.get_by_text("Please keep it under 10,000 characters.")).to_be_hidden()
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("Your post has been published.")).to_be_visible()
        self.assertEqual(self.posts(), before + 1)
        self.assertEqual(self.problems.items, [])

    def test_the_servers_refusal_keeps_the_text_when_scripts_are_off(self):
        page = self.new_context(java_script_enabled=False).new_page()
        flows.log_in(page, "ada@example.com")
        page.get_by_label("What's on your mind?").fill(PASTE)
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("Please keep it under 10,000 characters.")).to_be_visible()
        self.assertEqual(page.get_by_label("What's on your mind?").input_value(), PASTE)

    def test_an_error_clears_once_it_is_fixed(self):
        page = self.page
        page.goto("/")
        # Sent past the script's own check, as a browser without it would: the server's error.
        page.locator("#post-form").evaluate("form => HTMLFormElement.prototype.submit.call(form)")
        error = page.get_by_text("Please write something first.")
        expect(error).to_be_visible()
        expect(self.text_area()).to_have_attribute("aria-invalid", "true")
        self.text_area().press_sequentially("Now there is text")
        expect(error).to_be_hidden()
        expect(self.text_area()).not_to_have_attribute("aria-invalid", "true")
        self.text_area().fill("")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(error).to_be_visible()

    def test_ctrl_enter_publishes_a_post_and_a_comment(self):
        page, before = self.page, self.posts()
        page.goto("/")
        self.text_area().fill("Sent from the keyboard.")
        self.text_area().press("Control+Enter")
        expect(page.get_by_text("Your post has been published.")).to_be_visible()
        self.assertEqual(self.posts(), before + 1)
        page.goto(f"/post/{self.ids['post']}")
        page.get_by_label("Your comment").fill("A comment by keyboard.")
        page.get_by_label("Your comment").press("Meta+Enter")
        expect(page.get_by_text("Your comment has been published.")).to_be_visible()
        expect(page.locator(".comment").filter(has_text="A comment by keyboard.")).to_be_visible()

    def test_the_text_area_grows_with_the_text_up_to_most_of_the_window(self):
        self.page.goto("/")
        empty = box(self.text_area())["height"]
        self.text_area().fill("\n".join(f"Line {n} of a long draft." for n in range(12)))
        twelve = box(self.text_area())["height"]
        self.assertGreater(twelve, 2.5 * empty)
        self.text_area().fill("\n".join(f"Line {n} of a long draft." for n in range(80)))
        tall = box(self.text_area())["height"]
        self.assertGreater(tall, twelve)
        self.assertLessEqual(tall, 0.7 * self.viewport["height"] + 1)

    def test_the_preview_sits_beside_the_text_and_says_what_is_left_out(self):
        page = self.page
        page.goto("/")
        preview = page.locator(".composer-preview")
        expect(preview).to_contain_text("The preview appears here as you write.")
        expect(page.locator(".composer-tabs")).to_be_hidden()
        self.text_area().fill("A *sunset*\n\n![the sky](https://example.com/sky.png)")
        expect(preview.locator("em", has_text="sunset")).to_be_visible()
        expect(preview).to_contain_text("1 image written in Markdown is left out: images are "
                                        "attached, not linked.")
        text, shown = box(self.text_area()), box(preview)
        self.assertGreaterEqual(shown["x"], text["x"] + text["width"])
        self.assertLess(abs(shown["y"] - text["y"]), text["height"])
        publish = box(page.get_by_role("button", name="Publish", exact=True))
        self.assertGreater(publish["y"], text["y"] + text["height"])

    def test_the_edit_page_is_as_wide_as_the_post_and_asks_its_own_question(self):
        from app.models import User

        ada = self.fresh_session().scalar(select(User).filter_by(username="ada"))
        post = Post(body="Mine to edit.", author=ada)
        db.session.add(post)
        db.session.commit()
        page = self.page
        page.goto(f"/post/{post.id}")
        published = box(page.locator("article.post"))["width"]
        page.goto(f"/edit/{post.id}")
        expect(page.get_by_label("What's on your mind?")).to_have_count(0)
        field = page.get_by_label("Your post")
        expect(field).to_have_value("Mine to edit.")
        self.assertGreaterEqual(box(page.locator(".edit-post"))["width"], published - 1)
        field.fill("Mine, edited.")
        field.press("Control+Enter")
        expect(page.get_by_text("The post has been updated.")).to_be_visible()


class ComposerOnAPhoneTestCase(BrowserTestCase):
    viewport = PHONE

    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()
        flows.log_in(self.page, "ada@example.com")

    def test_the_composer_opens_from_one_button_and_previews_behind_a_button(self):
        page = self.page
        page.goto("/")
        field = page.get_by_label("What's on your mind?")
        expect(field).to_be_hidden()
        page.get_by_role("button", name="Write a post").click()
        expect(field).to_be_focused()
        expect(page.get_by_role("button", name="Write a post")).to_be_hidden()
        field.fill("On a *phone*.")
        preview = page.locator(".composer-preview")
        expect(preview).to_be_hidden()
        page.get_by_role("button", name="Preview", exact=True).click()
        expect(preview.locator("em", has_text="phone")).to_be_visible()
        expect(field).to_be_hidden()
        expect(page.get_by_role("button", name="Preview", exact=True)).to_have_attribute(
            "aria-pressed", "true")
        page.get_by_role("button", name="Write", exact=True).click()
        expect(field).to_be_visible()
        expect(preview).to_be_hidden()

    def test_a_posts_text_runs_nearly_the_full_width_with_the_avatar_in_its_header(self):
        page = self.page
        page.goto(f"/post/{self.ids['post']}")
        card = page.locator("article.post").first
        text = box(card.locator(".post-body"))
        self.assertGreaterEqual(text["width"], 0.85 * PHONE["width"])
        avatar, name = box(card.locator(".avatar")), box(card.get_by_role("link", name="grace"))
        self.assertLess(avatar["y"], name["y"] + name["height"])
        self.assertGreater(avatar["y"] + avatar["height"], name["y"])
        self.assertLess(avatar["y"] + avatar["height"], text["y"] + 1)
        comment = box(page.locator(".comment .comment-body").first)
        self.assertGreaterEqual(comment["width"], 0.8 * PHONE["width"])


class TimestampsTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        from app.models import User

        self.create_user("grace")
        grace = db.session.scalar(select(User).filter_by(username="grace"))
        now = utcnow()
        self.recent = Post(body="Three hours old.", author=grace,
                           timestamp=now - timedelta(hours=3))
        self.old = Post(body="From another year.", author=grace,
                        timestamp=now.replace(year=now.year - 1, month=11, day=3, hour=14,
                                              minute=5, second=9))
        self.edited = Post(body="Edited later.", author=grace, timestamp=now - timedelta(days=3))
        db.session.add_all([self.recent, self.old, self.edited])
        db.session.commit()
        self.edited.updated = self.edited.timestamp + timedelta(hours=2)
        db.session.commit()
        self.ids = {"recent": self.recent.id, "old": self.old.id, "edited": self.edited.id,
                    "old_year": self.old.timestamp.year}
        db.session.remove()

    def stamp(self, post_id: int):
        return self.page.locator(f"#post-{post_id} header time").first

    def test_relative_for_the_first_day_then_the_date_with_the_exact_time_on_hover(self):
        self.context.close()
        self.context = self.new_context(timezone_id="UTC")
        self.page = self.problems.watch(self.context.new_page())
        self.page.goto("/")
        recent = self.stamp(self.ids["recent"])
        expect(recent).to_have_text("3 hours ago")
        expect(recent).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT[\d:]{8}Z$"))
        expect(recent).to_have_attribute("title", re.compile(r"\d{4}, \d{1,2}:\d\d:\d\d"))
        old = self.stamp(self.ids["old"])
        year = self.ids["old_year"]
        expect(old).to_have_text(f"Nov 3, {year}")
        expect(old).to_have_attribute("datetime", f"{year}-11-03T14:05:09Z")
        expect(old).to_have_attribute("title", re.compile(rf"^Nov 3, {year}, 2:05:09\sPM$"))
        expect(self.page.locator(f"#post-{self.ids['recent']} .edited")).to_have_count(0)

        edited = self.page.locator(f"#post-{self.ids['edited']} .edited")
        expect(edited).to_have_text(re.compile(r"^edited \w{3} \d{1,2}$"))
        expect(edited.locator("time")).to_have_attribute("title", re.compile(r"^Edited \w{3} "))
        self.assertEqual(self.problems.items, [])

    def test_without_scripts_the_server_writes_the_date_in_the_readers_zone(self):
        page = self.new_context(java_script_enabled=False).new_page()
        page.goto("/")
        year = self.ids["old_year"]
        stamp = page.locator(f"#post-{self.ids['old']} header time")
        expect(stamp).to_have_text(f"Nov 3, {year}")
        expect(page.locator(f"#post-{self.ids['recent']} header time")).not_to_have_text(
            re.compile(r"ago|\d{4}"))


class KeyboardTestCase(BrowserTestCase):
    def setUp(self) -> None:
        self.config = {"FLASKY_POSTS_PER_PAGE": 3}
        super().setUp()
        self.ids = self.create_community()
        from app.models import User

        grace = db.session.get(User, self.ids["grace"])
        db.session.add_all([Post(body=f"Post number {n}.", author=grace) for n in range(4)])
        db.session.commit()
        db.session.remove()

    def focused(self) -> dict:
        return self.page.evaluate("""() => {
          const element = document.activeElement;
          const style = getComputedStyle(element);
          return {tag: element.tagName.toLowerCase(), type: element.type || "",
                  href: element.getAttribute("href") || "", text: element.textContent.trim(),
                  card: element.closest("article.post")?.id || "",
                  outline: `${style.outlineStyle} ${style.outlineWidth}`};
        }""")

    def tab_until(self, wanted, limit: int = 150) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            found = self.focused()
            if wanted(found):
                return found
        self.fail("never reached by the Tab key")

    def test_one_stop_per_author_and_a_way_past_the_posts_to_the_pages(self):
        page = self.page
        page.goto("/")
        stops = []
        for _ in range(40):
            page.keyboard.press("Tab")
            found = self.focused()
            if found["card"]:
                stops.append(found)
            if "page-link" in page.evaluate("document.activeElement.className"):
                break
        cards = {stop["card"] for stop in stops}
        self.assertEqual(len(cards), 3)
        for card in cards:
            authors = [stop for stop in stops if stop["card"] == card
                       and stop["href"].startswith("/user/")]
            self.assertEqual(len(authors), 1, authors)
        avatar = page.locator("article.post .entry-avatar").first
        expect(avatar).to_have_attribute("aria-hidden", "true")
        expect(avatar).to_have_attribute("tabindex", "-1")

        page.goto("/")
        skip = self.tab_until(lambda found: found["text"] == "Skip to the pages")
        self.assertEqual(skip["href"], "#pages")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        self.assertEqual(self.focused()["href"], "/?page=1")  # the first page's link
        self.assertTrue(page.evaluate("!!document.activeElement.closest('nav#pages')"))

    def test_every_kind_of_control_shows_the_same_focus_ring(self):
        page = self.page
        page.goto("/auth/login")
        rings = {"link": self.tab_until(lambda f: f["tag"] == "a"),
                 "text input": self.tab_until(lambda f: f["type"] == "email"),
                 "checkbox": self.tab_until(lambda f: f["type"] == "checkbox"),
                 "submit input or button": self.tab_until(lambda f: f["type"] == "submit")}
        flows.log_in(page, "ada@example.com")
        page.goto("/")
        rings["button"] = self.tab_until(lambda f: f["tag"] == "button")
        rings["textarea"] = self.tab_until(lambda f: f["tag"] == "textarea")
        rings["input[type=submit]"] = self.tab_until(
            lambda f: f["tag"] == "input" and f["type"] == "submit")
        page.goto("/settings")
        rings["select"] = self.tab_until(lambda f: f["tag"] == "select")
        page.goto("/?page=2")
        rings["page link"] = self.tab_until(lambda f: "page=" in f["href"])
        self.assertEqual({name: ring["outline"] for name, ring in rings.items()},
                         dict.fromkeys(rings, "solid 3px"))

    def test_the_avatar_link_is_as_tall_as_its_picture(self):
        self.page.goto("/")
        link = box(self.page.locator("article.post .entry-avatar").first)
        picture = box(self.page.locator("article.post .entry-avatar img").first)
        self.assertEqual(round(link["height"]), round(picture["height"]))
