"""A person's own profile."""

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from app.forms import ModelForm, Renders, strip_or_none
from app.rendering import render_profile_html

ABOUT_ME_MAX_LENGTH = 2_000


class EditProfileForm(ModelForm):
    name = StringField("Real name", filters=[strip_or_none], validators=[Length(max=64)],
                       render_kw={"autocomplete": "name"})
    location = StringField("Location", filters=[strip_or_none], validators=[Length(max=64)])
    about_me = TextAreaField(
        "About me", filters=[strip_or_none],
        validators=[Length(max=ABOUT_ME_MAX_LENGTH,
                           message=f"Please keep it under {ABOUT_ME_MAX_LENGTH:,} characters."),
                    Renders(render_profile_html)],
        description="Markdown: *emphasis*, **bold**, [links](https://example.com), lists.",
        render_kw={"rows": 5},
    )
    submit = SubmitField("Save")
