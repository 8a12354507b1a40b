"""The host names (and ports) Flasky answers to: a forged ``Host`` would put
another site into the links of reset and confirmation mails."""

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

DEFAULT_PORTS = {"http": 80, "https": 443}
# Probes and scrapers name the machine by its address; these answers hold no links.
UNCHECKED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
HOST_AND_PORT = re.compile(r"(\[[0-9a-f:.]*\]|[^:\[\]]+)(?::([0-9]{1,5}))?")


def _host_and_port(value: str) -> tuple[str, int | None]:
    """``Example.org:8443`` -> ("example.org", 8443); IPv6 stays in brackets."""
    match = HOST_AND_PORT.fullmatch(value.strip().lower())
    if match is None:
        raise ValueError(f"not a host name with an optional port: {value!r}")
    return match[1].rstrip("."), int(match[2]) if match[2] else None


def host_is_trusted(host: str, scheme: str, entries: list[str]) -> bool:
    """Whether ``host`` (a Host header, port included) matches an entry.

    An entry without a port allows only the scheme's default port (80 for
    http, 443 for https); ``example.org:8443`` allows exactly that port. A
    leading dot (``.example.org``) also allows every subdomain.
    """
    try:
        name, port = _host_and_port(host)
    except ValueError:
        return False
    port = port or DEFAULT_PORTS.get(scheme)
    for entry in entries:
        allowed, allowed_port = _host_and_port(entry)
        if port != (allowed_port or DEFAULT_PORTS.get(scheme)):
            continue
        if name == allowed.lstrip(".") or (allowed.startswith(".") and name.endswith(allowed)):
            return True
    return False


class TrustedHostsMiddleware:
    """Answers 400 to a Host header outside FLASKY_TRUSTED_HOSTS (name and port),
    before Flask runs. Absolute links are built from that header, so a forged
    one would send someone's reset link to another site or port."""

    def __init__(self, wsgi_app: Callable, hosts: list[str]) -> None:
        for entry in hosts:
            _host_and_port(entry)  # a mistyped port stops the start, not every request
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        if environ.get("PATH_INFO") in UNCHECKED_PATHS:
            return self.wsgi_app(environ, start_response)
        host = get_host(environ)  # "" when the header has characters no host name has
        if not (host and host_is_trusted(host, environ["wsgi.url_scheme"], self.hosts)):
            refusal = Response("This site does not answer to that host name.\n",
                               status=400, mimetype="text/plain")
            return refusal(environ, start_response)
        return self.wsgi_app(environ, start_response)


def check_host_names(app: Flask) -> None:
    """Install the host check inside ProxyFix, so that behind a trusted proxy
    the forwarded host is the one checked."""
    hosts = app.config["FLASKY_TRUSTED_HOSTS"]
    if not hosts:
        if not (app.debug or app.testing):
            app.logger.warning("FLASKY_TRUSTED_HOSTS is not set: links in mails will name "
                               "whatever host a request claims.")
        return
    if isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app.app = TrustedHostsMiddleware(app.wsgi_app.app, hosts)
    else:
        app.wsgi_app = TrustedHostsMiddleware(app.wsgi_app, hosts)
