"""Private messages: Markdown with the limits of a comment."""

from wtforms import SubmitField

from app.forms import ModelForm, body_field
from app.models import Message
from app.rendering import render_comment_html


class MessageForm(ModelForm):
    body = body_field("Your message", Message.BODY_MAX_LENGTH, rows=3,
                      render=render_comment_html)
    submit = SubmitField("Send")
