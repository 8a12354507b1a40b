"""Absolute links for mail (``mail_url`` in templates).

With FLASKY_BASE_URL set (``https://flasky.example.org``, a path allowed),
every link in mail starts with it, whatever host a request named. Without it,
links name the request's host, which the trusted-hosts check has vetted; work
done after the answer (``links_based_at``) keeps the host of the request that
caused it. Flask's own SERVER_NAME is not used: in Flask 3.1 it also changes
which hosts the routes match.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_request_context, request


def link_base() -> str:
    """Where links in mail point: FLASKY_BASE_URL, else the request's root URL."""
    configured = current_app.config["FLASKY_BASE_URL"]
    if configured:
        return configured
    if "link_base" in g:
        return g.link_base
    if has_request_context():
        return request.url_root
    raise RuntimeError("Links in mail need FLASKY_BASE_URL outside a request.")


@contextmanager
def links_based_at(base: str) -> Iterator[None]:
    """Build links from ``base`` in this block (work done after the request)."""
    previous = g.pop("link_base", None)
    g.link_base = base
    try:
        yield
    finally:
        g.pop("link_base", None)
        if previous is not None:
            g.link_base = previous


def mail_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` for a mail, from ``link_base()``."""
    base = urlsplit(link_base())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def check_base_url(app: Flask) -> None:
    """Refuse to start with a FLASKY_BASE_URL that is not an http(s) site address."""
    value = app.config["FLASKY_BASE_URL"]
    if not value:
        return
    base = urlsplit(value)
    if base.scheme not in ("http", "https") or not base.hostname or base.query or base.fragment:
        raise RuntimeError(
            f"FLASKY_BASE_URL must be the site's address, like https://flasky.example.org, "
            f"not {value!r}.")
