"""The catalogs are complete and the templates hide no untranslated text.

Every message the code and templates mark (extracted afresh, as ``flask
translate extract`` does) must have a Spanish and a German translation that
keeps its placeholders; and no template may show text outside ``_()``:
text between tags, and the attributes people read or hear (alt, title,
placeholder, aria-label, a button's value), count.
"""

import re
import unittest
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from jinja2 import Environment

from app import catalogs

TEMPLATES = catalogs.ROOT / "app" / "templates"
TRANSLATED = ("es", "de")
# Read or heard by people: their text must be translated like any other.
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description",
                      "aria-roledescription", "label", "data-confirm"}
# Shown as is in every language: the site's name and the formats it names.
UNTRANSLATED_WORDS = {"Flasky", "Markdown", "Atom", "API", "JSON", "OpenAPI", "Gravatar"}
# Not prose: scripts, styles, and code (names, paths and media types as typed).
SKIPPED_ELEMENTS = ("script", "style", "code")
PLACEHOLDER = "\x00"  # stands for every {{ ... }} and {% ... %}: no letters


def _without_jinja(source: str) -> str:
    """The template's own text, each Jinja expression or statement a placeholder."""
    parts, inside = [], False
    for _lineno, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "data":
            parts.append(value)
            inside = False
        elif not inside:
            parts.append(PLACEHOLDER)
            inside = True
    return "".join(parts)


# Attributes a macro writes for the tag it is called in (``class="nav-link"``).
ATTRIBUTES_ONLY = re.compile(r'(?:\s|\x00|[\w-]+="[^"]*")*')


def _has_words(text: str) -> bool:
    words = "".join(char if char.isalpha() else " " for char in text).split()
    return any(word not in UNTRANSLATED_WORDS for word in words)


def _shown(text: str) -> str:
    """Text as a failure names it, each Jinja part as {…}."""
    return " ".join(text.replace(PLACEHOLDER, "{…}").split())


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        shown = dict(attrs)
        for name, value in attrs:
            is_button_text = name == "value" and shown.get("type") in ("submit", "button")
            if value and (name in VISIBLE_ATTRIBUTES or is_button_text) and _has_words(value):
                self.found.append(f'{name}="{_shown(value)}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping and not ATTRIBUTES_ONLY.fullmatch(data) and _has_words(data):
            self.found.append(_shown(data))


def unmarked_text(path: Path) -> list[str]:
    """The user-visible text of one template that no translation call holds."""
    text = _without_jinja(path.read_text())
    if path.suffix == ".txt":  # a mail's plain-text body: all of it is read
        return [_shown(line) for line in text.splitlines() if _has_words(line)]
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    return parser.found


def untranslated(template: Catalog, catalog: Catalog) -> list[str]:
    missing = []
    for message in template:
        if not message.id:
            continue
        translation = catalog.get(message.id, message.context)
        if translation is None or not catalogs.translated(translation):
            where = ", ".join(f"{name}:{line}" for name, line in message.locations[:2])
            missing.append(f"{message.id!r} ({where})")
    return missing


class TemplateTextTestCase(unittest.TestCase):
    def test_no_template_shows_text_outside_a_translation_call(self):
        found = {}
        for path in sorted(TEMPLATES.rglob("*")):
            if path.suffix in (".html", ".txt") and (texts := unmarked_text(path)):
                found[str(path.relative_to(TEMPLATES))] = texts
        report = "\n".join(f"{name}: {texts}" for name, texts in found.items())
        self.assertEqual(found, {}, f"Text outside _() in templates:\n{report}")

    def test_the_check_finds_text_in_tags_and_visible_attributes(self):
        source = ('<p title="Hello">{{ _("Fine") }} Not fine</p><img alt="A cat">'
                  '<input type="submit" value="Send"><a href="/x" class="btn">{{ x }}</a>'
                  '<script>var a = "not read";</script>Flasky &middot; {{ y }}')
        path = Path(self.id() + ".html")
        try:
            path.write_text(source)
            self.assertEqual(unmarked_text(path),
                             ['title="Hello"', "{…} Not fine", 'alt="A cat"', 'value="Send"'])
        finally:
            path.unlink()


class CatalogCompletenessTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.template = catalogs.extract()

    def test_every_message_is_translated_in_every_language(self):
        for language in TRANSLATED:
            with self.subTest(language=language):
                catalog = catalogs.read(catalogs.po_path(language), language)
                missing = untranslated(self.template, catalog)
                self.assertFalse(missing, f"{len(missing)} messages lack a {language} "
                                 "translation (run `flask translate update`, then translate "
                                 f"them in app/translations/{language}/LC_MESSAGES/messages.po):"
                                 "\n" + "\n".join(missing))

    def test_translations_keep_their_placeholders(self):
        for language in TRANSLATED:
            catalog = catalogs.read(catalogs.po_path(language), language)
            problems = [f"{message.id!r}: {errors}"
                        for message, errors in catalog.check() if errors]
            self.assertEqual(problems, [], f"{language}:\n" + "\n".join(problems))

    def test_the_test_can_tell_a_missing_translation(self):
        template = Catalog(locale="en")
        template.add("Hello", locations=[("app/x.py", 3)])
        template.add(("One post", "%(num)d posts"), locations=[("app/y.html", 1)])
        catalog = Catalog(locale="de")
        catalog.add("Hello", "Hallo")
        catalog.add(("One post", "%(num)d posts"), ("Ein Beitrag", ""))
        self.assertEqual(untranslated(template, catalog), ["('One post', '%(num)d posts') "
                                                           "(app/y.html:1)"])


class TranslateCommandTestCase(unittest.TestCase):
    def setUp(self) -> None:
        from app import create_app

        self.runner = create_app("testing").test_cli_runner()

    def test_compile_builds_every_catalog_and_init_refuses_what_it_must(self):
        result = self.runner.invoke(args=["translate", "compile"])
        self.assertEqual(result.exit_code, 0, result.output)
        for language in TRANSLATED:
            mo = catalogs.po_path(language).with_suffix(".mo")
            self.assertIn(str(mo), result.output)
            self.assertGreaterEqual(mo.stat().st_mtime, catalogs.po_path(language).stat().st_mtime)
        existing = self.runner.invoke(args=["translate", "init", "es"])
        self.assertEqual(existing.exit_code, 1)
        self.assertIn("has a catalog already", existing.output)
        unknown = self.runner.invoke(args=["translate", "init", "zz-nowhere"])
        self.assertEqual(unknown.exit_code, 1)
        self.assertIn("not a language code", unknown.output)
        self.assertFalse((catalogs.TRANSLATIONS / "zz-nowhere").exists())

    def test_a_stale_catalog_is_compiled_when_the_app_starts(self):
        mo = catalogs.po_path("de").with_suffix(".mo")
        mo.unlink()
        from app import create_app

        create_app("testing")
        self.assertTrue(mo.exists())
