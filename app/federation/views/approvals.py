"""A person's followers from other servers awaiting approval, and the switch."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.extensions import db
from app.federation import bp
from app.federation.approvals import answer, approves_by_hand, pending_of, set_approval
from app.federation.forms import FollowerApprovalForm
from app.forms import EmptyForm
from app.pagination import page_number, paginate


@bp.route("/federation/followers", methods=["GET", "POST"])
@login_required
def pending_followers():
    form = FollowerApprovalForm()
    if form.validate_on_submit():
        set_approval(current_user, form.by_hand.data)
        db.session.commit()
        flash(_("Your choice is saved."), "success")
        return redirect(url_for(".pending_followers"))
    form.by_hand.data = approves_by_hand(current_user)
    page = paginate(pending_of(current_user), page=page_number(), per_page=50)
    return render_template("federation/pending_followers.html", form=form, pagination=page,
                           empty_form=EmptyForm(), title=_("Followers from other servers"))


@bp.route("/federation/followers/<int:actor_id>/<any(approve, reject):choice>",
          methods=["POST"])
@login_required
def answer_follower(actor_id: int, choice: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    pending = answer(current_user, actor_id, approve=choice == "approve")
    if pending is None:
        abort(404)
    db.session.commit()
    if choice == "approve":
        flash(_("%(name)s now follows you.", name=pending.actor.user.username), "success")
    else:
        flash(_("You refused %(name)s as a follower.", name=pending.actor.user.username), "info")
    return redirect(url_for(".pending_followers"))
