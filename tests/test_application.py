"""The Flask class Flasky runs as (app/application.py): it renders with Flasky's Jinja
environment, and tells plain hooks and views from coroutines as Flask does, checking a
plain function once."""

import functools

from app.application import Flasky
from app.jinja_environment import FlaskyEnvironment
from tests.base import FlaskyTestCase


class FlaskyApplicationTestCase(FlaskyTestCase):
    def test_the_factory_makes_one(self):
        self.assertIsInstance(self.app, Flasky)
        self.assertIsInstance(self.app.jinja_env, FlaskyEnvironment)

    def test_a_plain_function_comes_back_as_it_is_every_time(self):
        def view():
            return "plain"

        self.assertIs(self.app.ensure_sync(view), view)
        self.assertIs(self.app.ensure_sync(view), view)  # from the mark
        self.assertIs(self.app.ensure_sync(functools.partial(view)).func, view)

    def test_a_coroutine_is_never_returned_unwrapped(self):
        async def view():
            return "async"

        def plain():
            return "plain"

        self.app.ensure_sync(plain)  # marked: its attributes now carry the mark

        @functools.wraps(plain)
        async def wrapper():  # copies plain's attributes, the mark among them
            return "async"

        for coroutine in (view, wrapper):
            with self.subTest(coroutine.__name__):
                try:
                    made = self.app.ensure_sync(coroutine)
                except RuntimeError as error:  # Flask without its async extra
                    self.assertIn("async", str(error))
                else:
                    self.assertIsNot(made, coroutine)
                    self.assertEqual(made(), "async")
