"""A person's own profile."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from app.forms import ModelForm, Renders, strip_or_none
from app.languages import lazy_number
from app.main.forms.images import ACCEPTED, AvatarUpload
from app.rendering import render_profile_html

ABOUT_ME_MAX_LENGTH = 2_000


class EditProfileForm(ModelForm):
    multipart = True  # render_form: the avatar is a file
    not_copied = ("avatar", "remove_avatar")

    name = StringField(_l("Real name"), filters=[strip_or_none], validators=[Length(max=64)],
                       render_kw={"autocomplete": "name"})
    location = StringField(_l("Location"), filters=[strip_or_none], validators=[Length(max=64)])
    about_me = TextAreaField(
        "About me", filters=[strip_or_none],
        validators=[Length(max=ABOUT_ME_MAX_LENGTH,
                           message=_l("Please keep it under %(num)s characters.",
                                      num=lazy_number(ABOUT_ME_MAX_LENGTH))),
                    Renders(render_profile_html)],
        description=_l("Markdown: *emphasis*, **bold**, [links](https://example.com), lists."),
        render_kw={"rows": 5},
    )
    avatar = FileField(_l("Avatar (optional)"), validators=[AvatarUpload()],
                       description=_l("JPEG, PNG, WebP or GIF up to 8 MB; cropped to a square."),
                       render_kw={"accept": ACCEPTED})
    remove_avatar = BooleanField(_l("Use the generated avatar instead of my picture"))
    submit = SubmitField(_l("Save"))
