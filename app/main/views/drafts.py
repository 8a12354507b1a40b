"""Drafts: the list of mine, and the autosave that keeps the post form's text."""

from flask import render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app import queries
from app.decorators import permission_required
from app.drafts import save_post
from app.errors import error_response
from app.extensions import db
from app.main import bp
from app.main.forms import PostForm
from app.models import Permission
from app.pagination import page_of
from app.security.rate_limits import autosave_limit


@bp.route("/drafts")
@login_required
@permission_required(Permission.WRITE)
def drafts():
    pagination = page_of(queries.drafts_of(current_user), "FLASKY_POSTS_PER_PAGE")
    return render_template("drafts.html", pagination=pagination, drafts=pagination.items,
                           title=_("Drafts"))


@bp.route("/drafts/autosave", methods=["POST"])
@login_required
@permission_required(Permission.WRITE)
@autosave_limit
def autosave_draft():
    """Save the post form as a draft (the one it continues, or a new one) and say
    which, so the next save and the Publish button continue the same draft."""
    form = PostForm()
    if not form.validate_on_submit():
        errors = [str(error) for field in form for error in field.errors]
        return error_response(400, errors[0] if errors else _("The draft could not be saved."))
    post = save_post(current_user._get_current_object(), form.title.data, form.body.data,
                     publish=False, draft_id=form.draft_id.data)
    db.session.commit()
    return {"id": post.id, "edit_url": url_for(".edit", id=post.id),
            "saved_at": post.last_changed.isoformat()}
