"""Writing in Chromium: a post with an image and its alt text, and a draft that
the autosave keeps while typing and that is published later."""

import tempfile
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from app.models import Post, PostImage
from tests.browser import flows
from tests.browser.harness import BrowserTestCase, expect


def loaded_width(image) -> int:
    """The picture's width once the browser has it: being visible is not being loaded
    (and a lazy image loads only in view)."""
    image.scroll_into_view_if_needed()
    return image.evaluate("image => image.decode().then(() => image.naturalWidth)")


class WritingTestCase(BrowserTestCase):
    def setUp(self) -> None:
        uploads = tempfile.TemporaryDirectory(prefix="flasky-browser-uploads-")
        self.addCleanup(uploads.cleanup)
        self.config = {"FLASKY_UPLOADS_DIR": uploads.name}
        super().setUp()
        self.create_user("ada", email="ada@example.com")
        flows.log_in(self.page, "ada@example.com")

    def test_posting_with_an_image(self):
        picture = Path(self.workdir.name) / "sunset.png"
        Image.new("RGB", (1200, 800), (250, 120, 40)).save(picture)
        page = self.page
        page.goto("/")
        page.get_by_label("Title (optional)").fill("Evening")
        page.get_by_label("What's on your mind?").fill("The sky tonight.")
        page.get_by_label("Image 1", exact=True).set_input_files(str(picture))
        page.get_by_label("Alt text for image 1").fill("An orange sunset sky")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("Your post has been published.")).to_be_visible()
        thumbnail = page.locator("article.post").get_by_role("img", name="An orange sunset sky")
        expect(thumbnail).to_be_visible()
        self.assertEqual(loaded_width(thumbnail), 400)
        page.locator("article.post").get_by_role("link", name="Evening").click()
        expect(page.get_by_role("heading", level=1, name="Evening")).to_be_visible()
        full = page.get_by_role("img", name="An orange sunset sky")
        self.assertEqual(loaded_width(full), 1200)
        stored = self.fresh_session().scalar(select(PostImage))
        self.assertEqual((stored.width, stored.height), (1200, 800))
        self.assertEqual(self.problems.items, [])

    def test_an_image_without_alt_text_is_refused_with_the_reason(self):
        picture = Path(self.workdir.name) / "chart.png"
        Image.new("RGB", (50, 50)).save(picture)
        page = self.page
        page.goto("/")
        page.get_by_label("What's on your mind?").fill("A chart.")
        page.get_by_label("Image 1", exact=True).set_input_files(str(picture))
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("Image 1 (chart.png) needs its alt text")).to_be_visible()
        self.assertIsNone(self.fresh_session().scalar(select(Post)))

    def test_a_draft_is_autosaved_while_typing_and_published_later(self):
        page = self.page
        page.goto("/")
        page.get_by_label("Title (optional)").fill("Half a thought")
        page.get_by_label("What's on your mind?").press_sequentially("Words typed so far")
        expect(page.get_by_role("status").filter(has_text="Draft saved at")).to_be_visible()
        draft = self.fresh_session().scalar(select(Post))
        self.assertEqual((draft.title, draft.body, draft.draft),
                         ("Half a thought", "Words typed so far", True))

        visitor = self.new_context().new_page()
        visitor.goto("/")
        expect(visitor.get_by_text("Words typed so far")).to_have_count(0)
        self.assertEqual(visitor.goto(f"/post/{draft.id}").status, 404)

        page.goto("/drafts")
        page.get_by_role("link", name="Half a thought").click()
        page.get_by_label("Your post").fill("Words, finished.")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("Your post has been published.")).to_be_visible()
        visitor.goto("/")
        expect(visitor.get_by_text("Words, finished.")).to_be_visible()
        posts = self.fresh_session().scalars(select(Post)).all()
        self.assertEqual([(post.id, post.draft) for post in posts], [(draft.id, False)])
        self.assertEqual(self.problems.items, [])
