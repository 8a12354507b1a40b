"""Search: the pages' search (app/search/) as a list, ranked unless sorted newest first.

``kind`` is posts, comments or users; each result is the kind's usual JSON plus
its ``snippet``: the matched text, escaped, with the matches in ``<mark>``.
A disabled comment is found by moderators only, as on the pages.
"""

from flask import request

from app.access import can_read_disabled_comments
from app.api import bp
from app.api.serializers import (
    comments_to_json,
    page_arguments,
    pagination_to_json,
    posts_to_json,
    users_to_json,
)
from app.exceptions import ValidationError
from app.search import SORTS, Hit, search

# The API's names of the kinds (its resources), and the search's.
KINDS = {"posts": "posts", "comments": "comments", "users": "people"}
PER_PAGE = {"posts": "FLASKY_POSTS_PER_PAGE", "comments": "FLASKY_COMMENTS_PER_PAGE",
            "users": "FLASKY_FOLLOWERS_PER_PAGE"}


def _choice(name: str, choices: tuple[str, ...]) -> str:
    """``?name=``, one of ``choices`` (the first when it is missing), or a 400."""
    value = request.args.get(name, choices[0])
    if value not in choices:
        raise ValidationError(f"'{name}' must be one of {', '.join(choices)}")
    return value


def _snippet(hit: Hit) -> str:
    if hit.title is None:
        return str(hit.snippet)
    return str(hit.title) + (f" ({hit.snippet})" if hit.item.name else "")


def _serializer(kind: str):
    def to_json(hits: list[Hit]) -> list[dict]:
        items = [hit.item for hit in hits]
        if kind == "posts":
            found = posts_to_json(items)
        elif kind == "comments":
            found = comments_to_json(items, show_disabled=can_read_disabled_comments())
        else:
            found = users_to_json(items)
        return [{**item, "snippet": _snippet(hit)} for item, hit in zip(found, hits, strict=True)]

    return to_json


@bp.get("/search/", endpoint="search")
def search_view():
    text = request.args.get("q", "")
    kind = _choice("kind", tuple(KINDS))
    sort = _choice("sort", SORTS)
    page, per_page = page_arguments(PER_PAGE[kind])
    pagination = search(text, KINDS[kind], page, sort, per_page=per_page, error_out=False)
    return pagination_to_json(pagination, "results", _serializer(kind), q=text, kind=kind,
                              sort=sort)
