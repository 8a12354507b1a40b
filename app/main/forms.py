from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.models import Comment, Post
from app.rendering import (
    RenderingRefused,
    render_comment_html,
    render_post_html,
    render_profile_html,
)

ABOUT_ME_MAX_LENGTH = 2_000


def _strip_or_none(value: str | None) -> str | None:
    """Blank profile fields are stored as NULL, not as empty strings."""
    if value is None:
        return None
    return value.strip() or None


class Renders:
    """Refuses Markdown that rendering refuses (app/rendering.py), saying why.
    Text an earlier validator already refused (too long, say) is not rendered."""

    def __init__(self, render: Callable[[str], str]) -> None:
        self.render = render

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.errors or not field.data:
            return
        try:
            self.render(field.data)
        except RenderingRefused as refused:
            raise ValidationError(refused.sentence) from None


def body_field(label: str, max_length: int, rows: int,
               render: Callable[[str], str]) -> TextAreaField:
    """A required Markdown text area with the model's length limit, whose
    text must also be within rendering's bounds."""
    return TextAreaField(label, validators=[
        DataRequired(message="Please write something first."),
        Length(max=max_length, message=f"Please keep it under {max_length:,} characters."),
        Renders(render),
    ], description="Markdown is supported.", render_kw={"rows": rows})


class ModelForm(FlaskForm):
    """A form whose ``populate_obj`` copies data fields only, never the buttons."""

    def populate_obj(self, obj: Any) -> None:
        for name, field in self._fields.items():
            if not isinstance(field, SubmitField):
                field.populate_obj(obj, name)


class EmptyForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state by POST."""

    submit = SubmitField("Submit")


class PostForm(ModelForm):
    body = body_field("What's on your mind?", Post.BODY_MAX_LENGTH, rows=4,
                      render=render_post_html)
    submit = SubmitField("Post")


class EditPostForm(PostForm):
    submit = SubmitField("Save changes")


class CommentForm(ModelForm):
    body = body_field("Your comment", Comment.BODY_MAX_LENGTH, rows=3,
                      render=render_comment_html)
    submit = SubmitField("Comment")


class EditProfileForm(ModelForm):
    name = StringField("Real name", filters=[_strip_or_none], validators=[Length(max=64)],
                       render_kw={"autocomplete": "name"})
    location = StringField("Location", filters=[_strip_or_none], validators=[Length(max=64)])
    about_me = TextAreaField(
        "About me", filters=[_strip_or_none],
        validators=[Length(max=ABOUT_ME_MAX_LENGTH,
                           message=f"Please keep it under {ABOUT_ME_MAX_LENGTH:,} characters."),
                    Renders(render_profile_html)],
        description="Markdown: *emphasis*, **bold**, [links](https://example.com), lists.",
        render_kw={"rows": 5},
    )
    submit = SubmitField("Save")
