"""The site's federation ids: absolute URLs built from FLASKY_BASE_URL, else
the (trusted) host of the request (app/links.py), so ids stay the same
whichever page or job builds them."""

import re
from urllib.parse import urlsplit

from app.links import link_base, mail_url
from app.models import Comment, Post, User

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
ACTIVITY_JSON = "application/activity+json"
_POST_PATH = re.compile(r"/(?:federation/posts|post)/([0-9]{1,18})(?:/[^/]*)?")


def site_host() -> str:
    """The host (with its port when not 80/443) in every handle: ``name@host``."""
    return urlsplit(link_base()).netloc.lower()


def absolute(endpoint: str, **values) -> str:
    return mail_url(endpoint, **values)


def actor_uri(user: User | None) -> str:
    """The actor of ``user``; None: the site's own actor."""
    if user is None:
        return absolute("federation.site_actor")
    return absolute("federation.actor", username=user.username)


def key_id(user: User | None) -> str:
    return actor_uri(user) + "#main-key"


def followers_uri(user: User) -> str:
    return absolute("federation.followers", username=user.username)


def post_uri(post: Post | int) -> str:
    return absolute("federation.note", id=post if isinstance(post, int) else post.id)


def comment_uri(comment: Comment | int) -> str:
    return absolute("federation.comment_note",
                    id=comment if isinstance(comment, int) else comment.id)


def split(uri: str):
    """``urlsplit`` that answers an empty address for text no URL parser reads
    (``http://[bad``, a port past 65535), since remote ids come from anywhere."""
    try:
        parts = urlsplit(uri or "")
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError:
        return urlsplit("")
    return parts


def local_post_id(uri: str) -> int | None:
    """The id of the local post ``uri`` names (its note or its page), else None."""
    parts, base = split(uri), urlsplit(link_base())
    if parts.netloc.lower() != base.netloc.lower():
        return None
    path = parts.path[len(base.path.rstrip("/")):] if base.path not in ("", "/") else parts.path
    match = _POST_PATH.fullmatch(path)
    return int(match[1]) if match else None


def domain_of(uri: str) -> str:
    """The host of ``uri`` as domain blocks name it (lower case, no port)."""
    return (split(uri).hostname or "").lower()


def local_username(uri: str) -> str | None:
    """The username of the local actor ``uri`` names, else None."""
    prefix = absolute("federation.actor", username="_")[:-1]
    rest = uri[len(prefix):] if uri.startswith(prefix) else ""
    return rest if rest and "/" not in rest and "#" not in rest and "?" not in rest else None
