"""Before every page: with FLASKY_REQUIRE_2FA_FOR_STAFF on, a Moderator or
Administrator without two-factor authentication is sent to set it up, and
reaches nothing else until it is on (the API refuses them in app/api/)."""

from flask import current_app, flash, redirect, request, url_for
from flask_babel import _
from flask_login import current_user

from app.auth import two_factor

OPEN_WHILE_SETTING_UP = {
    "static", "bootstrap.static", "main.identicon",
    "auth.unconfirmed", "auth.confirm", "auth.resend_confirmation", "auth.logout",
    "main.two_factor_settings", "main.start_two_factor_setup", "main.confirm_two_factor",
}


def lets_through(viewer) -> bool:
    """Whether this gate certainly lets ``viewer`` through without asking for
    their two-factor settings: nobody it could stop (staff it sends to set up
    two-factor authentication are told apart only by the gate itself)."""
    return not two_factor.required_for(viewer)


def gate_staff_without_two_factor():
    if not current_app.config["FLASKY_REQUIRE_2FA_FOR_STAFF"]:
        return None  # no query on any request while the setting is off
    if (not current_user.is_authenticated or request.blueprint == "api"
            or request.endpoint in OPEN_WHILE_SETTING_UP or request.endpoint is None):
        return None
    if two_factor.must_set_up(current_user):
        flash(_("Your role needs two-factor authentication. Set it up to continue."), "warning")
        return redirect(url_for("main.two_factor_settings"))
    return None
