"""Which requests may use the page cache, and the key of the page each one asks for.

A key is built only from what the page's view reads, in the form the view reads it:

* the endpoint and its view arguments as the route converted them, a username
  lowered as ``User.by_username`` looks it up (``/user/Alice`` and ``/user/alice``
  are one page);
* the query parameters the endpoint declares in ``PAGES`` (today each reads
  ``page`` only): ``page`` is a positive number without sign or leading zeros, and
  page 1 is the page without a number;
* whom the page is for (``_viewer``): one key for every anonymous visitor, or the
  signed-in user's session, plus the cookies the endpoint declares, read as on or off;
* the language and time zone the page is written in (app/languages.py), as the
  selectors chose them: only the few languages Flasky has and zones the tz database
  knows, so these too are bounded (a Spanish page is never served to a German reader).

A request that carries anything else (an unknown or repeated parameter, ``page=abc``
or ``page=01``, a path spelled otherwise than the app builds it, such as
``/post/007``) gets no key: it is answered as if caching were off and its page is
not stored. So the number of entries is bounded by the site's content (its users,
posts and pages of each list) times its signed-in sessions, not by what clients
send: no request can mint a new key. Adding a parameter a cached view reads means
adding it to ``PAGES`` (and its normal form to ``QUERY_PARAMETERS``); until then
requests with it are simply not cached.
"""

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode

from flask import current_app, request, session, url_for
from werkzeug.routing import BuildError

from app.languages import reader_key


@dataclass(frozen=True)
class Reads:
    """What a cached page's view reads besides its view arguments."""

    query: tuple[str, ...] = ("page",)
    cookies: tuple[str, ...] = ()  # only for signed-in viewers, as on or off
    # Tags of the lists whose new rows the page must show (``changes``): a row
    # that did not exist when the page was rendered cannot have been recorded.
    lists: tuple[str, ...] = ()
    # The page lists what the user named by ``username`` wrote and follows
    # (``profile:<id>``: their posts, follows and counts).
    profile: bool = False


PAGES = {
    "main.index": Reads(cookies=("show_followed",), lists=("table:posts",)),  # All / Followed
    "main.user": Reads(profile=True),
    "main.post": Reads(),
    "main.followers": Reads(profile=True),
    "main.followed_by": Reads(profile=True),
}
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,9}")


def _page_number(value: str) -> str | None:
    """``?page=`` as ``paginate`` reads it; "" for page 1, the page without a number."""
    if not PAGE_NUMBER.fullmatch(value):
        return None
    return "" if value == "1" else value


def _username(value: str) -> str | None:
    return value.lower() if value == value.strip() else None


# The normal form of each value ("" = the default, left out of the key), or None
# when the value is not written the one way the app writes it.
QUERY_PARAMETERS: dict[str, Callable[[str], str | None]] = {"page": _page_number}
VIEW_ARGUMENTS: dict[str, Callable[[Any], str | None]] = {"username": _username}


def _spelled_as_built() -> bool:
    """The path is the one the app builds for its view arguments (``/post/7``)."""
    try:
        built = url_for(request.endpoint, **request.view_args)
    except BuildError:
        return False
    return unquote(built) == request.script_root + request.path


def _viewer(reads: Reads, reader: Any) -> str | None:
    """Whom a page is for: one key for every anonymous visitor; for a signed-in
    user, the user, the session's CSRF secret (its forms carry tokens made from
    it) and the cookies that change the page. None: the session has no secret
    yet (rendering makes one), so the page cannot be keyed before it is made."""
    if reader is None or not reader.is_authenticated:
        return f"anonymous:{reader_key(None)}"
    secret = session.get("csrf_token")
    if not isinstance(secret, str):
        return None
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), secret.encode(),
                      hashlib.sha256).hexdigest()[:20]
    cookies = "".join("1" if request.cookies.get(name) else "0" for name in reads.cookies)
    return f"user:{reader.id}:{digest}:{cookies}:{reader_key(reader)}"


def page_key(reader: Any) -> str | None:
    """The key of the page this GET asks for ``reader`` (``current_user``, or the
    signed-in ``Viewer`` read before anyone is loaded; None: a visitor), without
    the content version; None when the answer must neither come from the cache
    nor go into it."""
    reads = PAGES.get(request.endpoint) if request.method == "GET" else None
    if reads is None or "_flashes" in session or not _spelled_as_built():
        return None
    accept = request.headers.get("Accept", "")
    if "activity+json" in accept or "ld+json" in accept:  # a federation client gets no page
        return None
    arguments = []
    for name, value in request.view_args.items():
        normal = VIEW_ARGUMENTS.get(name, str)(value)
        if normal is None:
            return None
        arguments.append((name, normal))
    query = []
    for name, values in request.args.lists():
        if name not in reads.query or len(values) != 1:
            return None
        normal = QUERY_PARAMETERS[name](values[0])
        if normal is None:
            return None
        if normal:
            query.append((name, normal))
    viewer = _viewer(reads, reader)
    if viewer is None:
        return None
    return f"{viewer}:{request.endpoint}:{urlencode(arguments)}?{urlencode(sorted(query))}"
