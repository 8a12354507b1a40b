"""Flasky's message catalogs on disk: extracting, updating, compiling (``flask
translate``, app/cli/translate.py) and compiling at start-up.

The sources are ``app/translations/<lang>/LC_MESSAGES/messages.po``, kept in git;
the compiled ``messages.mo`` beside each is not: ``compile_stale_catalogs`` builds
any that is missing or older than its ``.po`` whenever the app starts, so a fresh
checkout (``make run``) serves every language without a build step to forget.
"""

import os
import tempfile
from pathlib import Path

from babel.core import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"  # written by ``flask translate extract``; not in git
MAPPING = ROOT / "babel.cfg"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
            "_l": None, "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3)}


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def languages_on_disk() -> list[str]:
    return sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))


def _in_app(path: str) -> bool:
    """Walk only app/ (not the virtualenv, node_modules or the tests)."""
    relative = Path(path).resolve().relative_to(ROOT).parts
    return bool(relative) and relative[0] == "app" and not relative[-1].startswith((".", "_"))


def extract() -> Catalog:
    """Every marked message of the templates, the Python code and the scripts."""
    with MAPPING.open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    catalog = Catalog(project="Flasky", msgid_bugs_address=None, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("NOTE:",),
            strip_comment_tags=True, directory_filter=_in_app):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def translated(message: Message) -> bool:
    """Whether ``message`` has every form translated and is not marked fuzzy."""
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return all(strings) and not message.fuzzy


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def _write_atomically(path: Path, write) -> None:
    """Write through a temporary file, so a worker starting meanwhile never reads half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as target:
            write(target)
        os.chmod(temporary, 0o644)  # readable by the server's user, as git would leave it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_template(catalog: Catalog) -> Path:
    write_catalog(TEMPLATE, catalog)
    return TEMPLATE


def write_catalog(path: Path, catalog: Catalog) -> None:
    _write_atomically(path, lambda target: write_po(target, catalog, width=100,
                                                    omit_header=False, sort_output=False))


def init(language: str, template: Catalog) -> Path:
    """A new empty catalog for ``language`` (refuses to overwrite one)."""
    Locale.parse(language)  # UnknownLocaleError or ValueError for a code Babel lacks
    path = po_path(language)
    if path.exists():
        raise FileExistsError(path)
    catalog = Catalog(locale=language, project="Flasky", copyright_holder="Flasky's authors",
                      charset="utf-8", fuzzy=False)
    catalog.update(template)
    write_catalog(path, catalog)
    return path


def update(language: str, template: Catalog) -> Catalog:
    """Bring ``language``'s catalog in line with ``template``: new messages added
    empty, changed ones marked fuzzy, gone ones kept as obsolete."""
    path = po_path(language)
    catalog = read(path, language)
    catalog.update(template, no_fuzzy_matching=False)
    write_catalog(path, catalog)
    return catalog


def compile_catalog(language: str) -> Path:
    source = po_path(language)
    target = source.with_suffix(".mo")
    catalog = read(source, language)
    _write_atomically(target, lambda output: write_mo(output, catalog, use_fuzzy=False))
    return target


def compile_stale_catalogs() -> list[str]:
    """Compile every catalog whose ``.mo`` is missing or older than its ``.po``."""
    compiled = []
    for language in languages_on_disk():
        source = po_path(language)
        target = source.with_suffix(".mo")
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            compile_catalog(language)
            compiled.append(language)
    return compiled
