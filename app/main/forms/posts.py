"""Writing: posts and comments."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import Length, Optional

from app.forms import ModelForm, body_field, strip_or_none
from app.languages import lazy_number
from app.main.forms.images import ImageUploadsField
from app.models import Comment, Post
from app.rendering import render_comment_html, render_post_html


def title_field() -> StringField:
    limit = Post.TITLE_MAX_LENGTH
    return StringField(_l("Title (optional)"), filters=[strip_or_none], validators=[
        Optional(), Length(max=limit, message=_l("Please keep the title under %(num)s characters.",
                                      num=lazy_number(limit)))],
        render_kw={"maxlength": False})  # a long paste is refused and given back, never cut


# Made in the order the forms show them (WTForms orders fields by creation), so
# a form below can take either text field and keep the title first.
TITLE = title_field()
NEW_POST_BODY = body_field(_l("What's on your mind?"), Post.BODY_MAX_LENGTH, rows=4,
                           render=render_post_html)
EDITED_POST_BODY = body_field(_l("Your post"), Post.BODY_MAX_LENGTH, rows=8,
                              render=render_post_html)


class EditPostForm(ModelForm):
    """Editing a published post."""

    multipart = True  # render_form: the images are files
    title = TITLE
    body = EDITED_POST_BODY
    images = ImageUploadsField(_l("Images (optional)"), description=(
        "JPEG, PNG, WebP or GIF, up to 8 MB each. Each needs its alt text, which "
        "people who cannot see the image hear or read instead."))
    submit = SubmitField(_l("Save changes"))


class PostForm(EditPostForm):
    """A new post or a draft: published, or saved to come back to. ``draft_id``
    is the draft the form continues (set by the autosave, or on a draft's page)."""

    body = NEW_POST_BODY
    draft_id = HiddenField()
    submit = SubmitField(_l("Publish"))
    save_draft = SubmitField(_l("Save draft"), render_kw={"class": "btn btn-outline-secondary"})


class DraftForm(PostForm):
    """Continuing a draft: the new post's buttons, the edit page's words."""

    body = EDITED_POST_BODY


class CommentForm(ModelForm):
    body = body_field(_l("Your comment"), Comment.BODY_MAX_LENGTH, rows=3,
                      render=render_comment_html)
    submit = SubmitField(_l("Comment"))
