"""Writing: posts and comments."""

from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional

from app.forms import ModelForm, body_field, strip_or_none
from app.models import Comment, Post
from app.rendering import render_comment_html, render_post_html


def title_field() -> StringField:
    limit = Post.TITLE_MAX_LENGTH
    return StringField("Title (optional)", filters=[strip_or_none], validators=[
        Optional(), Length(max=limit, message=f"Please keep the title under {limit} characters.")])


class PostForm(ModelForm):
    title = title_field()
    body = body_field("What's on your mind?", Post.BODY_MAX_LENGTH, rows=4,
                      render=render_post_html)
    submit = SubmitField("Post")


class EditPostForm(PostForm):
    submit = SubmitField("Save changes")


class CommentForm(ModelForm):
    body = body_field("Your comment", Comment.BODY_MAX_LENGTH, rows=3,
                      render=render_comment_html)
    submit = SubmitField("Comment")
