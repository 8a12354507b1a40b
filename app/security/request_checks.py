"""Requests refused before any view runs, whatever the view."""

import re
from typing import Any

from flask import abort, request
from flask_babel import _

# A JSON \u0000 escape, not preceded by an escaped backslash ("\\u0000" is text).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _contains_nul(values: Any) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def reject_nul_characters() -> None:
    """Answer 400 to NUL characters in the URL, query or form.

    No Flasky text field can hold one, and PostgreSQL refuses them in text
    columns, which would otherwise turn a crafted request into a 500.
    """
    if "\x00" in request.path or _contains_nul(request.args.values()):
        abort(400, _("The address contains a NUL character."))
    if request.method in ("POST", "PUT", "PATCH"):
        if request.is_json and JSON_NUL.search(request.get_data(cache=True)):
            abort(400, _("The request body contains a NUL character."))
        if _contains_nul(request.form.values()):
            abort(400, _("The form contains a NUL character."))
