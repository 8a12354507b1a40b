"""Writing: posts and comments."""

from wtforms import SubmitField

from app.forms import ModelForm, body_field
from app.models import Comment, Post
from app.rendering import render_comment_html, render_post_html


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
