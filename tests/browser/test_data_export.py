"""Export my data in Chromium, with jobs on a real worker thread as deployed:
the export page's progress bar moves to 100 % by itself, without a reload,
and the download link appears; the zip downloads, and the mail links to it."""

import io
import re
import zipfile

from app.extensions import db
from app.models import Post
from tests.browser import flows
from tests.browser.harness import BrowserTestCase, expect


class DataExportTestCase(BrowserTestCase):
    # Jobs wait for the worker thread, which the test starts once the page is up.
    config = {"FLASKY_JOBS_EAGER": False, "FLASKY_JOBS_WORKERS": 1,
              "FLASKY_JOBS_POLL_SECONDS": 0.05}

    def setUp(self) -> None:
        super().setUp()
        grace = self.create_user("grace", email="grace@example.com")
        db.session.add_all([Post(body=f"Post number *{number}*", author=grace)
                            for number in range(25)])
        db.session.commit()
        db.session.remove()
        self.workers = self.app.extensions["flasky_jobs"].workers

    def tearDown(self) -> None:
        self.workers.stop()
        super().tearDown()

    def test_the_progress_bar_fills_by_itself_and_offers_the_download(self):
        page = self.page
        flows.log_in(page, "grace@example.com")
        self.current_username = "grace"
        flows.open_user_menu(page)
        flows.navbar(page).get_by_role("link", name="Settings").click()
        expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
        page.get_by_role("button", name="Export my data").click()

        expect(page.get_by_role("heading", name="Export my data", level=1)).to_be_visible()
        expect(page.get_by_text("Your export has started")).to_be_visible()
        bar = page.get_by_role("progressbar", name="Export progress")
        expect(bar).to_have_attribute("aria-valuenow", "0")
        download = page.get_by_role("link", name="Download your export")
        expect(download).to_be_hidden()
        page.evaluate("window.flaskyExportPage = 'not reloaded'")

        self.workers.start()  # the export runs now, while the page polls its status
        expect(bar).to_have_attribute("aria-valuenow", "100")
        expect(download).to_be_visible()
        expect(page.locator("[data-export-message]")).to_have_text("Your export is ready.")
        expect(page.get_by_role("status")).to_have_text("Your export is ready.")
        self.assertEqual(page.evaluate("window.flaskyExportPage"), "not reloaded")
        self.assertEqual(page.evaluate(
            "document.querySelector('[data-export-bar-fill]').style.width"), "100%")

        with page.expect_download() as downloading:
            download.click()
        saved = downloading.value
        self.assertRegex(saved.suggested_filename, r"^flasky-grace-\d{4}-\d\d-\d\d\.zip$")
        with open(saved.path(), "rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as zip:
            posts = [name for name in zip.namelist() if name.startswith("posts/")]
        self.assertEqual(len(posts), 25)

        link = self.mail_link(1, "/settings/export/")
        self.assertTrue(re.search(r"/settings/export/[\w-]+/download$", link), link)
        self.assertEqual(self.problems.items, [])
        self.assertEqual(self.problems.dialogs, [])
