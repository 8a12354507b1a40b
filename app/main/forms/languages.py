"""The settings page's language and time zone form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from app.languages import LANGUAGES, timezone_names


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), description=_l(
        "Pages and the mails Flasky sends you are written in this language."))
    timezone = SelectField(_l("Time zone"), description=_l(
        "Dates and times are shown in this time zone."))
    submit = SubmitField(_l("Save language and time zone"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language is named in its own language, so anyone can find theirs.
        self.language.choices = [SelectChoice("", _l("As my browser asks"))] + [
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()]
        self.timezone.choices = [SelectChoice("", _l("Not chosen (UTC)"))] + [
            SelectChoice(name, name.replace("_", " ")) for name in timezone_names()]
