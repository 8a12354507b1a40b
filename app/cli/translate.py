"""``flask translate extract|update|compile|init LANG``: the message catalogs
(app/catalogs.py; README "Languages")."""

import click
from babel.core import UnknownLocaleError

from app import catalogs


@click.group("translate")
def translate_cli() -> None:
    """Extract, update, compile and start message catalogs."""


@translate_cli.command("extract")
def extract_command() -> None:
    """Write app/translations/messages.pot: every message the code and templates mark."""
    template = catalogs.extract()
    click.echo(f"{len(template)} messages marked; written to {catalogs.write_template(template)}")


@translate_cli.command("update")
def update_command() -> None:
    """Add newly marked messages to every catalog, then compile them."""
    template = catalogs.extract()
    for language in catalogs.languages_on_disk():
        catalog = catalogs.update(language, template)
        missing = sum(1 for message in catalog if message.id and not catalogs.translated(message))
        catalogs.compile_catalog(language)
        click.echo(f"{language}: {len(template)} messages, {missing} still to translate.")


@translate_cli.command("compile")
def compile_command() -> None:
    """Compile every catalog to the .mo file Flask-Babel reads."""
    for language in catalogs.languages_on_disk():
        click.echo(f"Compiled {catalogs.compile_catalog(language)}")


@translate_cli.command("init")
@click.argument("language")
def init_command(language: str) -> None:
    """Start a catalog for LANGUAGE (a code such as fr), every message untranslated."""
    try:
        path = catalogs.init(language, catalogs.extract())
    except FileExistsError:
        raise click.ClickException(f"{language} has a catalog already; use update.") from None
    except (UnknownLocaleError, ValueError):
        raise click.ClickException(f"{language!r} is not a language code Babel knows.") from None
    click.echo(f"Created {path}; add {language} to LANGUAGES in app/languages.py.")
