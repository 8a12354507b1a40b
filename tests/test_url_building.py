"""fast_url_for answers exactly what Flask's url_for answers, for every kind of call."""

from flask import url_for

from app.url_building import fast_url_for
from tests.base import FlaskyTestCase

CALLS = [
    ("main.user", {"username": "alice"}),
    ("main.user", {"username": "Ålice Ünïcode"}),
    ("main.user", {"username": "a/b?c#d%e&f=g"}),
    ("main.user", {"username": "x", "page": 2}),  # a query argument: Flask's own
    ("main.post", {"id": 7}),
    ("main.post", {"id": "12"}),
    ("main.post", {"id": 7, "_anchor": "comments"}),
    ("main.post", {"id": 7, "_external": True}),
    # Two rules: url_for leaves out a None argument and builds with the short one.
    ("main.post", {"id": 7, "slug": None}),
    ("main.post", {"id": 7, "slug": "first-words"}),
    ("main.people_directory", {}),
    ("main.delete_post", {"id": 3}),
    ("main.edit", {"id": 3}),
    ("main.identicon", {"avatar_hash": "0" * 32}),
    ("static", {"filename": "js/theme.js"}),
    ("static", {"filename": "a b/ü.css"}),
    ("main.index", {}),
    ("main.index", {"page": 3}),
    ("main.followers", {"username": "bob"}),
]


class FastUrlForTestCase(FlaskyTestCase):
    def assertSameAsFlask(self, script_root: str = "") -> None:
        with self.app.test_request_context("/", environ_base={"SCRIPT_NAME": script_root}):
            for endpoint, values in CALLS * 2:  # the second round uses the builders
                self.assertEqual(fast_url_for(endpoint, **values), url_for(endpoint, **values),
                                 (endpoint, values))

    def test_the_same_urls_as_flask(self):
        self.assertSameAsFlask()

    def test_the_same_urls_under_a_script_root(self):
        self.assertSameAsFlask("/flasky")
        self.assertSameAsFlask("")

    def test_outside_a_request_it_is_flasks_url_for(self):
        with self.assertRaisesRegex(RuntimeError, "outside an active request"):
            fast_url_for("main.post", id=5)

    def test_a_wrong_argument_fails_as_in_flask(self):
        from werkzeug.routing import BuildError

        with self.app.test_request_context("/"):
            with self.assertRaises(BuildError):
                fast_url_for("main.post", post=5)
            with self.assertRaises((ValueError, BuildError)):
                url_for("main.post", id="x")
            with self.assertRaises((ValueError, BuildError)):
                fast_url_for("main.post", id="x")
