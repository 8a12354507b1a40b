"""The search page's form: a GET form, read from the query string."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField

HELP = _l('All words must match. "A phrase" in quotes, -word to leave out, word* for words '
          "that start so, from:username for one person's.")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # it changes nothing

    q = SearchField(_l("Search posts, comments and people"), description=HELP,
                    render_kw={"autocomplete": "off", "enterkeyhint": "search"})
