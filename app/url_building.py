"""``url_for`` for templates, without the routing map's work for the links a page repeats.

A page of posts builds about 120 links, most to the same few endpoints (a
profile, a post, an avatar, a static file); Flask's ``url_for`` walks the
routing map for each (about 15 µs). ``fast_url_for`` answers the same string
from the endpoint's one rule: its fixed parts joined once, and each argument
through the rule's own converter, as Werkzeug would. It is used only where the
answer is certain to be the same: an endpoint with a single plain rule (no
defaults, host or subdomain), asked with exactly its arguments and nothing
else (no ``_anchor``, ``_external``, query arguments), and whose built URL
matched Flask's on a first check; every other call goes to Flask's ``url_for``.
"""

from typing import Any

from flask import current_app, url_for
from flask.globals import _cv_request
from werkzeug.routing import IntegerConverter, PathConverter, Rule

_BUILDERS = "flasky_url_builders"
# An argument each converter accepts, to check a builder against Flask once.
_SAMPLES = {IntegerConverter: 7, PathConverter: "a/b.css"}


def _parts(rule: Rule) -> tuple[list[str], list[str]] | None:
    """The rule's fixed text around each argument: (texts, arguments), with one
    text more than arguments."""
    trace = rule._trace  # [(is argument, text)], the host part before "|"
    if rule.defaults or rule.build_only or rule.host or rule.subdomain or trace[:1] != [
            (False, "|")]:
        return None
    texts, names = [""], []
    for dynamic, data in trace[1:]:
        if dynamic:
            names.append(data)
            texts.append("")
        else:
            texts[-1] += data
    return texts, names


def _compile(endpoint: str, script_root: str, asked: tuple[str, ...]) -> Any:
    """A builder for ``endpoint`` asked with the arguments ``asked``, or None."""
    rules = current_app.url_map._rules_by_endpoint.get(endpoint, [])
    parts = _parts(rules[0]) if len(rules) == 1 else None
    if parts is None or tuple(sorted(parts[1])) != asked:
        return None
    rule = rules[0]
    texts, names = parts
    converters = [rule._converters[name].to_url for name in names]
    prefix = script_root.rstrip("/")

    def build(*values: Any) -> str:
        pieces = [prefix, texts[0]]
        for convert, value, text in zip(converters, values, texts[1:], strict=True):
            pieces += [convert(value), text]
        return "".join(pieces)

    samples = [next((sample for kind, sample in _SAMPLES.items()
                     if isinstance(rule._converters[name], kind)), "a-b") for name in names]
    try:
        expected = url_for(endpoint, **dict(zip(names, samples, strict=True)))
    except Exception:
        return None
    build.names = tuple(names)  # type: ignore[attr-defined]
    return build if build(*samples) == expected else None


def fast_url_for(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)``, built without the routing map when it can be."""
    context = _cv_request.get(None)  # the request context, without a proxy's cost
    if context is None or endpoint[:1] == ".":
        return url_for(endpoint, **values)
    builders = context.app.extensions.get(_BUILDERS)
    if builders is None:
        builders = context.app.extensions[_BUILDERS] = {}
    # The request's SCRIPT_NAME (``script_root``, read without its property).
    key = (endpoint, context.request.root_path, tuple(sorted(values)))
    builder = builders.get(key, False)
    if builder is False:
        builder = builders[key] = _compile(endpoint, key[1], key[2])
    if builder is None:
        return url_for(endpoint, **values)
    return builder(*map(values.__getitem__, builder.names))
