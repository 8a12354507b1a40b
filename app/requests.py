"""The request class: what a Flasky request knows beyond Flask's.

- A larger body allowance on the pages and API calls that take images
  (``app/images/uploads.py``).
- WTForms' own messages ("This field is required.") in the reader's language,
  read from disk once per language and worker. Flask-WTF loads that catalog
  again on every request that builds a form, unless the request already holds
  one; this one is looked up only when a form asks for it.
"""

from functools import cache, cached_property

from babel.support import Translations
from flask_babel import get_locale
from wtforms.i18n import messages_path

from app.images.uploads import UploadAllowanceRequest


@cache
def form_messages(locale: str) -> Translations:
    """WTForms' catalog for ``locale`` (its English messages where it has none)."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class FlaskyRequest(UploadAllowanceRequest):
    @cached_property
    def wtforms_translations(self) -> Translations:
        """Read by Flask-WTF's translations (``flask_wtf.i18n``) by this name."""
        return form_messages(str(get_locale()))
