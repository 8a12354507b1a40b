"""Private messages: my conversations, the thread with one person (its form,
field ``body``), and deleting a message I sent. The rules are in
app/social/messaging.py."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.access import require
from app.extensions import db
from app.forms import EmptyForm
from app.loading import get_or_404, get_user_or_404
from app.main import bp
from app.main.forms import MessageForm
from app.models import Message
from app.pagination import last_page, page_of, paginate
from app.security.rate_limits import posting_limit
from app.social import messaging


@bp.route("/messages")
@login_required
def conversations():
    user = current_user._get_current_object()
    pagination = page_of(messaging.conversations(user), "FLASKY_FOLLOWERS_PER_PAGE")
    return render_template("messages/conversations.html", title=_("Messages"),
                           pagination=pagination,
                           conversations=messaging.summarise(user, pagination.items))


def _thread_page(user, other):
    """The page asked for, or the last one (the newest messages) by default."""
    query = messaging.thread(user, other)
    if "page" in request.args:
        return page_of(query, "FLASKY_COMMENTS_PER_PAGE")
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    pagination = paginate(query, page=last_page(total, "FLASKY_COMMENTS_PER_PAGE"),
                          per_page=current_app.config["FLASKY_COMMENTS_PER_PAGE"],
                          error_out=False, count=False)
    pagination.total = total  # counted once, above
    return pagination


@bp.route("/messages/<username>", methods=["GET", "POST"])
@login_required
@posting_limit
def conversation(username: str):
    user, other = current_user._get_current_object(), get_user_or_404(username)
    refusal = messaging.refusal(user, other)
    if other.id == user.id:
        flash(refusal, "warning")
        return redirect(url_for(".conversations"))
    form = MessageForm()
    if form.validate_on_submit():
        if refusal is None:
            message = messaging.send(user, other, form.body.data)
            db.session.commit()
            return redirect(url_for(".conversation", username=other.username,
                                    _anchor=f"message-{message.id}"))
        form.body.errors.append(refusal)  # the text stays in the form
    pagination = _thread_page(user, other)
    changed = messaging.mark_read(user, other, pagination.items)
    page = render_template("messages/thread.html",
                           title=_("Messages with %(username)s", username=other.username),
                           other=other, form=form, refusal=refusal, pagination=pagination,
                           messages=pagination.items)
    if changed:
        db.session.commit()
    return page


@bp.route("/messages/<int:id>/delete", methods=["POST"])
@login_required
def delete_message(id: int):
    message = get_or_404(Message, id)
    require(messaging.can_delete(message, current_user),
            _("Only the sender of a message may delete it."))
    other = message.recipient
    if EmptyForm().validate_on_submit():
        db.session.delete(message)
        db.session.commit()
        flash(_("The message has been deleted, for both of you."), "success")
    return redirect(url_for(".conversation", username=other.username))
