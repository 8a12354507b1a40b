"""Private messages: Markdown with the limits of a comment."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from app.forms import ModelForm, body_field
from app.models import Message
from app.rendering import render_comment_html


class MessageForm(ModelForm):
    body = body_field(_l("Your message"), Message.BODY_MAX_LENGTH, rows=3,
                      render=render_comment_html)
    submit = SubmitField(_l("Send"))
