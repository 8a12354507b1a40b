"""The search page: results of one kind, ranked, with a count of each kind as tabs.

Never cached (app/caching/page_keys.py lists no search page): results change
with every write, and a disabled comment is found by moderators only.
"""

from flask import current_app, render_template, request
from flask_babel import _
from flask_login import current_user

from app.main import bp
from app.main.forms import SearchForm
from app.pagination import page_number
from app.search import KINDS, counts, search
from app.social.people import followed_among

# Each kind's page size: the setting of the list it is found in elsewhere.
PER_PAGE = {"posts": "FLASKY_POSTS_PER_PAGE", "comments": "FLASKY_COMMENTS_PER_PAGE",
            "people": "FLASKY_FOLLOWERS_PER_PAGE"}
TITLE_LENGTH = 60  # of the query, in the page's title


def _choice(name: str, choices: tuple[str, ...]) -> str:
    """``?name=`` when it is one of ``choices``, else the first (pages forgive)."""
    value = request.args.get(name, "")
    return value if value in choices else choices[0]


@bp.route("/search", endpoint="search")
def search_page():
    form = SearchForm(formdata=request.args)
    text = (form.q.data or "").strip()
    kind = _choice("kind", KINDS)
    sort = _choice("sort", ("relevance", "newest"))
    if not text:
        return render_template("search.html", form=form, title=_("Search"), text="")
    found = counts(text)
    pagination = search(text, kind, page_number(), sort,
                        per_page=current_app.config[PER_PAGE[kind]], total=found[kind])
    return render_template("search.html", form=form,
                           title=_("Search: %(text)s", text=text[:TITLE_LENGTH]),
                           text=text, kind=kind, sort=sort, counts=found,
                           pagination=pagination, hits=pagination.items,
                           followed_ids=followed_among(current_user, [
                               hit.item for hit in pagination.items]) if kind == "people" else ())
