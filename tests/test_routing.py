import re

from app.database import LARGEST_ID, _digits_up_to
from app.extensions import db
from app.models import Post
from tests.base import FlaskyTestCase


class RowIdPatternTestCase(FlaskyTestCase):
    def test_pattern_matches_exactly_the_numbers_up_to_the_limit(self):
        for limit in (0, 7, 10, 305, 1000, LARGEST_ID):
            pattern = re.compile(_digits_up_to(limit) + "$")
            candidates = {*range(0, 1200), limit, limit + 1, limit - 1, limit * 10, limit + 10}
            for number in candidates:
                if number >= 0:
                    self.assertEqual(bool(pattern.match(str(number))), number <= limit,
                                     (limit, number))

    def test_out_of_range_ids_are_404_for_every_method(self):
        self.create_user()
        self.login()
        for method in ("GET", "POST", "PUT", "DELETE"):
            for path in (f"/api/v1/posts/{LARGEST_ID + 1}/comments/",
                         f"/api/v1/posts/{LARGEST_ID + 1}",
                         "/post/99999999999999999999",
                         f"/post/{LARGEST_ID + 1}/delete",
                         f"/edit/{10 ** 30}"):
                with self.subTest(method=method, path=path):
                    response = self.client.open(path, method=method)
                    self.assertEqual(response.status_code, 404)


class TrailingNewlineTestCase(FlaskyTestCase):
    """A parameter ending in a newline (``%0A``) is refused or ignored, never a 500:
    ``$`` in a pattern matches before a final newline, so checks must be full matches."""

    SAMPLES = {"username": "john", "avatar_hash": "0123456789abcdef0123456789abcdef",
               "token": "not-a-token", "id": "1", "filename": "flasky.css"}

    def _paths(self):
        for rule in self.app.url_map.iter_rules():
            if not rule.arguments:
                continue
            for argument in rule.arguments:
                values = {name: self.SAMPLES.get(name, "1") for name in rule.arguments}
                values[argument] += "\n"
                path = rule.rule
                for name, value in values.items():
                    path = re.sub(rf"<(?:[^:<>]+:)?{name}>", value.replace("\n", "%0A"), path)
                yield rule, path

    def test_every_route_parameter_with_a_trailing_newline(self):
        john = self.create_user()
        db.session.add(Post(body="hello", author=john))
        db.session.commit()
        checked = 0
        for signed_in in (False, True):
            if signed_in:
                self.login()
            for rule, path in self._paths():
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    with self.subTest(path=path, method=method, signed_in=signed_in):
                        response = self.client.open(path, method=method)
                        self.assertLess(response.status_code, 500, response.data[:200])
                        checked += 1
        self.assertGreater(checked, 20)

    def test_avatar_hash_with_a_newline_is_not_found(self):
        response = self.client.get("/avatar/0123456789abcdef0123456789abcdef%0A.svg")
        self.assertEqual(response.status_code, 404)
