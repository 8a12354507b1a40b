"""The live Markdown preview beside every text area: rendered by the server
exactly as saving would render it."""

from flask import request
from flask_babel import _, format_number, ngettext
from flask_login import login_required

from app.errors import error_response
from app.main import bp
from app.main.forms import ABOUT_ME_MAX_LENGTH
from app.models import Comment, Post
from app.rendering import (
    RenderingRefused,
    markdown_images,
    render_comment_html,
    render_post_html,
    render_profile_html,
)
from app.security.rate_limits import preview_limit

# What the preview can render: the same function and limit that saving uses.
PREVIEW_RENDERERS = {
    "post": (render_post_html, Post.BODY_MAX_LENGTH),
    "comment": (render_comment_html, Comment.BODY_MAX_LENGTH),
    "profile": (render_profile_html, ABOUT_ME_MAX_LENGTH),
}


@bp.route("/preview", methods=["POST"])
@login_required
@preview_limit
def preview():
    """Render Markdown exactly as saving would, for the live preview beside a form."""
    kind = request.form.get("kind", "post")
    if kind not in PREVIEW_RENDERERS:
        return error_response(400, _("Unknown preview kind %(kind)s.", kind=repr(kind)))
    render, max_length = PREVIEW_RENDERERS[kind]
    body = request.form.get("body", "")
    if len(body) > max_length:
        return error_response(400, _("Please keep it under %(num)s characters.",
                                     num=format_number(max_length)))
    try:
        return {"html": render(body), "notes": _notes(kind, body)}
    except RenderingRefused as refused:
        return error_response(400, refused.sentence)


def _notes(kind: str, body: str) -> list[str]:
    """What saving leaves out of ``body``, for the preview to say in words."""
    images = markdown_images(body) if kind == "post" else 0
    if not images:
        return []
    return [ngettext("%(num)s image written in Markdown is left out: images are attached, "
                     "not linked. Add pictures under “Images (optional)”.",
                     "%(num)s images written in Markdown are left out: images are attached, "
                     "not linked. Add pictures under “Images (optional)”.",
                     images)]
