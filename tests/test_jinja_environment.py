"""The Jinja environment (app/jinja_environment.py): a template's globals layer over the
application's as in Jinja, and their keys are a dict's view, which imports subtract in C;
calls pass the context, the environment or nothing exactly as Jinja's do; templates are
found again in one look-up unless they may reload."""

import tempfile
from pathlib import Path

from jinja2 import DictLoader, FileSystemLoader, pass_context, pass_environment, pass_eval_context

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


class Greeter:
    @pass_context
    def __call__(self, context, name):
        return f"{context['greeting']}, {name}"


class TemplateCallsTestCase(FlaskyTestCase):
    def render(self, source: str, **context) -> str:
        return FlaskyEnvironment(self.app).from_string(source).render(**context)

    def test_each_mark_gets_what_it_asks_for(self):
        @pass_context
        def with_context(context, suffix):
            return context["who"] + suffix

        @pass_environment
        def with_environment(environment):
            return type(environment).__name__

        @pass_eval_context
        def with_eval_context(eval_context):
            return str(eval_context.autoescape)

        rendered = self.render(
            "{{ a('!') }} {{ b() }} {{ c() }} {{ d(2) }}", who="Ann", a=with_context,
            b=with_environment, c=with_eval_context, d=lambda number: number * 3)
        self.assertEqual(rendered, "Ann! FlaskyEnvironment False 6")

    def test_a_callable_object_takes_the_context_through_its_call(self):
        self.assertEqual(self.render("{{ greet('Ann') }}", greet=Greeter(), greeting="Hi"),
                         "Hi, Ann")

    def test_the_context_holds_what_loops_and_blocks_set(self):
        @pass_context
        def seen(context):
            return context.get("item")

        self.assertEqual(self.render(
            "{% for x in [1, 2] %}{% set item = x * 10 %}{{ seen() }}{% endfor %}", seen=seen),
            "1020")
        source = "{% block body %}{% set item = 'b' %}{{ seen() }}{% endblock %}"
        self.assertEqual(self.render(source, seen=seen), "b")

    def test_a_stopiteration_is_an_undefined_value(self):
        def empty():
            return next(iter(()))

        self.assertEqual(self.render("[{{ empty() }}]", empty=empty), "[]")


class TemplateLoadingTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(lambda: [p.unlink() for p in self.folder.iterdir()] and None)
        (self.folder / "page.html").write_text("one")

    def environment(self, auto_reload: bool) -> FlaskyEnvironment:
        return FlaskyEnvironment(self.app, loader=FileSystemLoader(self.folder),
                                 auto_reload=auto_reload)

    def test_a_template_is_loaded_once_and_found_again(self):
        environment = self.environment(auto_reload=False)
        first = environment.get_template("page.html")
        (self.folder / "page.html").write_text("two")
        self.assertIs(environment.get_template("page.html"), first)
        self.assertIs(environment.get_template("page.html", "other.html"), first)
        self.assertEqual(first.render(), "one")

    def test_it_reloads_when_auto_reload_is_on(self):
        environment = self.environment(auto_reload=True)
        self.assertEqual(environment.get_template("page.html").render(), "one")
        (self.folder / "page.html").write_text("two, a little longer")
        self.assertEqual(environment.get_template("page.html").render(), "two, a little longer")

    def test_a_new_loader_starts_afresh(self):
        environment = self.environment(auto_reload=False)
        environment.get_template("page.html")
        environment.loader = DictLoader({"page.html": "from the new loader"})
        self.assertEqual(environment.get_template("page.html").render(), "from the new loader")

    def test_a_template_given_globals_gets_them(self):
        environment = self.environment(auto_reload=False)
        environment.get_template("page.html")
        (self.folder / "named.html").write_text("{{ who }}")
        self.assertEqual(environment.get_template("named.html", globals={"who": "Ann"}).render(),
                         "Ann")
