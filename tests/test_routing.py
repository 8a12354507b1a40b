import re

from app.database import LARGEST_ID, _digits_up_to
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
