"""Comment moderation: disabled comments stay, but only moderators can read them.

/moderate leads with what waits for a decision (the oldest open reports), then
the recent comments; a comment is disabled or enabled there or in its thread."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app import audit, queries
from app.auth.redirects import safe_next_url
from app.decorators import permission_required
from app.extensions import db
from app.forms import EmptyForm
from app.loading import get_comment_or_404
from app.main import bp
from app.models import Permission, Report
from app.pagination import page_of
from app.social import reporting

# How many open reports /moderate shows before its recent comments.
REPORTS_FIRST = 3


@bp.route("/moderate")
@login_required
@permission_required(Permission.MODERATE)
def moderate():
    pagination = page_of(queries.recent_comments(), "FLASKY_COMMENTS_PER_PAGE")
    open_count = db.session.scalar(
        select(func.count()).select_from(Report).where(Report.status == Report.OPEN))
    reports = (db.session.scalars(reporting.open_reports().limit(REPORTS_FIRST)).unique().all()
               if open_count and pagination.page == 1 else [])
    return render_template("moderate.html", pagination=pagination, comments=pagination.items,
                           reports=reports, open_count=open_count,
                           title=_("Moderate comments"))


def _set_disabled(comment_id: int, disabled: bool):
    comment = get_comment_or_404(comment_id)
    if EmptyForm().validate_on_submit():
        if comment.disabled != disabled:
            audit.record(current_user, audit.DISABLE_COMMENT if disabled else audit.ENABLE_COMMENT,
                         user=comment.author, target=f"comment:{comment.id}")
        comment.disabled = disabled
        db.session.commit()
        flash(_("The comment has been disabled.") if disabled
              else _("The comment has been enabled."), "success")
    back = safe_next_url(request.form.get("next"))  # the thread the button was in
    if back is not None:
        return redirect(f"{back.partition('#')[0]}#comment-{comment.id}")
    page = max(request.args.get("page", 1, type=int), 1)
    return redirect(url_for(".moderate", page=page, _anchor=f"comment-{comment.id}"))


@bp.route("/moderate/enable/<int:id>", methods=["POST"])
@login_required
@permission_required(Permission.MODERATE)
def moderate_enable(id: int):
    return _set_disabled(id, False)


@bp.route("/moderate/disable/<int:id>", methods=["POST"])
@login_required
@permission_required(Permission.MODERATE)
def moderate_disable(id: int):
    return _set_disabled(id, True)
