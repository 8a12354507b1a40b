"""The Jinja environment (app/jinja_environment.py): a template's globals layer over the
application's as in Jinja, and their keys are a dict's view, which imports subtract in C."""

from jinja2 import DictLoader

from app.jinja_environment import FlaskyEnvironment
from tests.base import FlaskyTestCase

LIBRARY = "{% macro greet() %}Hello {{ who }} from {{ site }}{% endmacro %}"


class JinjaEnvironmentTestCase(FlaskyTestCase):
    def environment(self) -> FlaskyEnvironment:
        environment = FlaskyEnvironment(self.app, loader=DictLoader({"library.html": LIBRARY}))
        environment.globals["site"] = "Flasky"
        return environment

    def test_the_application_renders_with_it(self):
        self.assertIsInstance(self.app.jinja_env, FlaskyEnvironment)
        template = self.app.jinja_env.get_template("index.html")
        self.assertIsInstance(template.globals.keys(), type({}.keys()))

    def test_keys_are_both_layers_as_they_are_now(self):
        environment = self.environment()
        template = environment.from_string("{{ who }}", globals={"who": "Ann"})
        self.assertLessEqual({"who", "site", "range"}, set(template.globals.keys()))
        environment.globals["added_later"] = 1
        self.assertIn("added_later", template.globals.keys())
        self.assertEqual(template.render(), "Ann")

    def test_a_templates_own_globals_never_reach_the_application(self):
        environment = self.environment()
        template = environment.from_string("{{ who }}", globals={"who": "Ann"})
        template.globals["also"] = 2
        self.assertNotIn("who", environment.globals)
        self.assertNotIn("also", environment.globals)
        self.assertEqual(environment.from_string("[{{ who }}]").render(), "[]")

    def test_an_imported_macro_sees_the_importing_templates_globals(self):
        # The names only the importer has are what Jinja's import subtracts the keys for.
        environment = self.environment()
        source = "{% from 'library.html' import greet %}{{ greet() }}"
        self.assertEqual(environment.from_string(source, globals={"who": "Ann"}).render(),
                         "Hello Ann from Flasky")
        self.assertEqual(environment.from_string(source).render(), "Hello  from Flasky")
