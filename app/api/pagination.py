"""The one pagination helper behind every API list."""

import re
from collections.abc import Callable
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import Select

from app.caching import cached
from app.exceptions import ValidationError
from app.pagination import paginate as fast_paginate

MAX_PER_PAGE = 100
# Larger numbers would overflow the database's 64-bit offsets; no list is that long.
MAX_PAGE_ARGUMENT = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def _positive_int_argument(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE_ARGUMENT:
        raise ValidationError(f"'{name}' must be a whole number from 1 to {MAX_PAGE_ARGUMENT}")
    return int(raw)


def paginated(query: Select, key: str, to_json: Callable[[list], list[dict[str, Any]]],
              default_per_page_setting: str = "FLASKY_POSTS_PER_PAGE",
              same_for_every_caller: bool = False) -> dict[str, Any]:
    """One page of ``query`` as ``{key: [...], "prev", "next", "count"}``.

    ``to_json`` serializes the whole page at once, so per-item counts can be
    fetched in one grouped query. ``per_page`` above MAX_PER_PAGE is capped.
    A page that is ``same_for_every_caller`` is cached until content changes.
    """
    if same_for_every_caller:
        return cached(f"api-page:{request.url}", lambda: paginated(
            query, key, to_json, default_per_page_setting))
    page = _positive_int_argument("page", 1)
    default = min(current_app.config[default_per_page_setting], MAX_PER_PAGE)
    per_page = min(_positive_int_argument("per_page", default), MAX_PER_PAGE)
    pagination = fast_paginate(query, page=page, per_page=per_page, error_out=False)

    def page_url(number: int) -> str:
        return url_for(request.endpoint, page=number, per_page=per_page, _external=True,
                       **request.view_args)

    return {
        key: to_json(pagination.items),
        "prev": page_url(pagination.prev_num) if pagination.has_prev else None,
        "next": page_url(pagination.next_num) if pagination.has_next else None,
        "count": pagination.total,
    }
