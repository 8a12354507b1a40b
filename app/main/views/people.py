"""The people directory (newest members, most active), and dismissing the
first-minutes checklist."""

from flask import redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app import onboarding
from app.extensions import db
from app.forms import EmptyForm
from app.main import bp
from app.pagination import page_of
from app.social import people


@bp.route("/people/active", defaults={"order": people.ACTIVE})
@bp.route("/people", defaults={"order": people.NEWEST})
def people_directory(order: str):
    pagination = page_of(people.directory(order, current_user), "FLASKY_FOLLOWERS_PER_PAGE")
    return render_template("people.html", order=order, pagination=pagination,
                           people=pagination.items,
                           followed_ids=people.followed_among(current_user, pagination.items),
                           title=_("People"))


@bp.route("/onboarding/dismiss", methods=["POST"])
@login_required
def dismiss_onboarding():
    if EmptyForm().validate_on_submit():
        onboarding.dismiss(current_user._get_current_object())
        db.session.commit()
    return redirect(url_for(".index"))
