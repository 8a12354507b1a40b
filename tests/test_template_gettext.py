"""Templates' gettext (app/template_gettext.py): each language's messages, escaped
in HTML and left alone in text, formatted as Jinja's newstyle gettext formats them,
and a plain message translated once per language without ever crossing over."""

from unittest import mock

from flask import render_template_string
from flask_babel import force_locale

from app import template_gettext
from tests.base import FlaskyTestCase


class TemplateGettextTestCase(FlaskyTestCase):
    def render(self, source: str, language: str = "en", **context) -> str:
        # An app context of its own: the test's would keep one request's locale in ``g``.
        with self.app.app_context(), \
                self.app.test_request_context("/", headers={"Accept-Language": language}):
            return render_template_string(source, **context)

    def test_each_language_gets_its_own_message_every_time(self):
        for _ in range(2):  # the second time from what the first one kept
            self.assertEqual(self.render("{{ _('Home') }}", "es"), "Inicio")
            self.assertEqual(self.render("{{ _('Home') }}", "de"), "Startseite")
            self.assertEqual(self.render("{{ gettext('Home') }}", "en"), "Home")

    def test_a_forced_locale_inside_one_request_switches_and_comes_back(self):
        with self.app.test_request_context("/", headers={"Accept-Language": "es"}):
            home = "{{ _('Home') }}"
            self.assertEqual(render_template_string(home), "Inicio")
            with force_locale("de"):
                self.assertEqual(render_template_string(home), "Startseite")
            self.assertEqual(render_template_string(home), "Inicio")

    def test_variables_are_escaped_in_html_and_left_alone_in_text(self):
        source = "{{ _('Hello %(name)s', name=name) }}"
        self.assertEqual(self.render(source, name="<b>Ann</b>"), "Hello &lt;b&gt;Ann&lt;/b&gt;")
        text = "{% autoescape false %}" + source + "{% endautoescape %}"
        self.assertEqual(self.render(text, name="<b>Ann</b>"), "Hello <b>Ann</b>")

    def test_a_message_kept_for_text_is_not_served_to_html(self):
        # Text first: had its str been kept for HTML too, the page would escape it again.
        text = "{% autoescape false %}{{ _('Tom & Jerry') }}{% endautoescape %}"
        self.assertEqual(self.render(text), "Tom & Jerry")
        self.assertEqual(self.render("{{ _('Tom & Jerry') }}"), "Tom & Jerry")
        self.assertEqual(self.render("{{ _('Tom & Jerry') ~ '<' }}"), "Tom & Jerry&lt;")

    def test_a_double_percent_is_one_percent_with_or_without_variables(self):
        self.assertEqual(self.render("{{ _('100%% sure') }}"), "100% sure")
        self.assertEqual(self.render("{{ _('100%% sure') }}"), "100% sure")
        self.assertEqual(self.render("{{ _('%(n)d%% sure', n=90) }}"), "90% sure")

    def test_plural_and_context_forms_and_trans_blocks_take_their_variables(self):
        source = "{{ ngettext('%(num)s comment', '%(num)s comments', n, num=n) }}"
        self.assertEqual(self.render(source, "es", n=1), "1 comentario")
        self.assertEqual(self.render(source, "es", n=3), "3 comentarios")
        self.assertEqual(self.render("{{ pgettext('menu', 'Home') }}"), "Home")
        self.assertEqual(self.render("{{ npgettext('x', 'one', 'many %(num)s', 2) }}"),
                         "many 2")
        self.assertEqual(self.render("{% trans name=name %}Hi {{ name }}{% endtrans %}",
                                     name="<i>"), "Hi &lt;i&gt;")

    def test_no_more_messages_are_kept_than_the_limit(self):
        with self.app.app_context(), \
                self.app.test_request_context("/", headers={"Accept-Language": "de"}):
            kept = template_gettext._kept_of(template_gettext.current_translations())
        kept.clear()
        with mock.patch.object(template_gettext, "KEPT_MESSAGES", 2):
            for number in range(5):
                source = "{{ _('Message " + str(number) + "') }}"
                self.assertEqual(self.render(source, "de"), f"Message {number}")
        self.assertEqual(len(kept), 2)
        self.assertEqual(self.render("{{ _('Message 4') }}", "de"), "Message 4")

    def test_a_page_is_translated_through_these_callables(self):
        env = self.app.jinja_env
        self.assertIs(env.globals["_"], template_gettext.template_gettext)
        self.assertIs(env.globals["gettext"], template_gettext.template_gettext)
        page = self.client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
        self.assertIn("Startseite", page)
