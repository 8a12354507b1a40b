"""Registration shows its rules before they are broken; identicons let the
page's theme show through and are found at a versioned, year-long URL."""

import re

from app.identicon import VERSION, identicon_svg
from tests.base import FlaskyTestCase


class RegistrationRulesTestCase(FlaskyTestCase):
    def described_by(self, page: str, field: str) -> str:
        tag = re.search(rf'<input[^>]*id="{field}"[^>]*>', page).group(0)
        ids = re.search(r'aria-describedby="([^"]+)"', tag)
        self.assertIsNotNone(ids, f"{field} has no aria-describedby: {tag}")
        return " ".join(re.search(rf'id="{id}"[^>]*>([^<]+)<', page).group(1)
                        for id in ids.group(1).split())

    def test_the_rules_are_tied_to_the_fields_from_the_start(self):
        page = self.client.get("/auth/register").get_data(as_text=True)
        self.assertIn("a letter first, then letters, numbers, dots or underscores",
                      self.described_by(page, "username"))
        self.assertIn("8 to 128 characters", self.described_by(page, "password"))
        self.assertNotIn("is-invalid", page)

    def test_a_broken_rule_adds_its_error_to_the_rule(self):
        page = self.client.post("/auth/register", data={
            "email": "new@example.com", "username": "9lives", "password": "short",
            "password2": "short"}).get_data(as_text=True)
        username = self.described_by(page, "username")
        self.assertIn("Usernames start with a letter", username)
        self.assertIn("a letter first", username)
        self.assertIn("Passwords are 8 to 128 characters long.",
                      self.described_by(page, "password"))

    def test_in_spanish_and_german(self):
        for language in ("es", "de"):
            with self.subTest(language=language):
                page = self.client.get("/auth/register", headers={"Accept-Language": language})
                rules = self.described_by(page.get_data(as_text=True), "password")
                self.assertIn("8", rules)
                self.assertNotIn("characters", rules)


class IdenticonTestCase(FlaskyTestCase):
    hash = "0123456789abcdef0123456789abcdef"

    def test_no_opaque_background(self):
        svg = identicon_svg(self.hash)
        self.assertNotIn("#f0f0f0", svg)
        self.assertEqual(svg.count("<rect"), len(re.findall(r'<rect x="\d"', svg)))
        self.assertGreater(svg.count("<rect"), 0)

    def test_pages_link_the_versioned_url_cached_for_a_year(self):
        user = self.create_user("john")
        page = self.client.get("/user/john").get_data(as_text=True)
        url = f"/avatar/{VERSION}/{user.avatar_hash}.svg"
        self.assertIn(f'src="{url}"', page)
        response = self.client.get(url)
        self.assertEqual(response.mimetype, "image/svg+xml")
        self.assertIn("immutable", response.headers["Cache-Control"])
        self.assertIn("max-age=31536000", response.headers["Cache-Control"])

    def test_the_old_url_still_answers_but_is_not_kept_for_long(self):
        response = self.client.get(f"/avatar/{self.hash}.svg")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_data(as_text=True), identicon_svg(self.hash))
        self.assertNotIn("immutable", response.headers["Cache-Control"])
        self.assertIn("max-age=3600", response.headers["Cache-Control"])
        self.assertEqual(self.client.get(f"/avatar/{VERSION}/not-a-hash.svg").status_code, 404)
