"""The abuse limits, as view decorators (``login_limit`` etc.) whose values
come from the ``FLASKY_RATELIMIT_*`` settings, so deployments can tune them
without code changes. docs/security.md has the table.

Writing limits (posting, editing, previews, following) count per user, and
one allowance covers every view a limit decorates, pages and API together.
Failed API authentications count per address across the whole API: a limit
on the blueprint that Flask-Limiter deducts only for 401 answers, so once an
address has used its allowance even correct credentials wait.
"""

import math
import time
from collections.abc import Callable

from flask import Blueprint, Response, current_app, g, request
from flask_babel import _
from flask_limiter.constants import ConfigVars
from flask_limiter.util import get_remote_address

from app.access import acting_user
from app.extensions import limiter


def retry_after_seconds() -> int:
    """Seconds until the limit this request hit frees up again (at least one):
    the Retry-After header and the rate-limit page both say this."""
    current = limiter.current_limit
    seconds = math.ceil(current.window.reset_time - time.time()) if current is not None else 60
    return max(1, seconds)


def user_or_address() -> str:
    """The rate-limit key for writing: the user when known (page or API caller),
    else the address, so one account cannot write faster by switching networks."""
    user = acting_user()
    if user.is_authenticated:
        return f"user:{user.id}"
    return get_remote_address()


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


# Route limits keep the API blueprint's failed-authentication limit in force as
# well (override_defaults=False); Flasky sets no default limits.

# What Flasky's limits count: the methods that write, and on the blueprints named
# here every method (the API's failed authentications). tests/test_rate_limits.py
# holds every limit to this.
COUNTED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EVERY_METHOD_BLUEPRINTS = frozenset({"api"})


@limiter.request_filter
def counted_by_no_limit() -> bool:
    """A read no limit counts (a page, a feed): it skips Flask-Limiter's look-ups,
    about 330 Python calls a page. A deployment's default or application-wide
    limits (``RATELIMIT_DEFAULT``, ``RATELIMIT_APPLICATION``) count reads too."""
    if request.method in COUNTED_METHODS or request.blueprint in EVERY_METHOD_BLUEPRINTS:
        return False
    config = current_app.config
    return not (config.get(ConfigVars.DEFAULT_LIMITS) or config.get(ConfigVars.APPLICATION_LIMITS))


def _post_limit(setting: str):
    """A limit per address counting only POSTs, so showing a form is never throttled."""
    return limiter.limit(_setting(setting), methods=["POST"], override_defaults=False)


def _user_limit(setting: str, scope: str, methods: list[str], error_message: str | None = None):
    """One allowance per user for every view it decorates, counting only the
    methods that change something."""
    return limiter.shared_limit(_setting(setting), scope, methods=methods,
                                key_func=user_or_address, error_message=error_message,
                                override_defaults=False)


# Guessing passwords: the login form, the password change and API token issue.
login_limit = _post_limit("FLASKY_RATELIMIT_LOGIN")
# Views that send mail (registration, password reset, new confirmation link).
account_mail_limit = _post_limit("FLASKY_RATELIMIT_ACCOUNT_MAIL")
# Writing posts and comments, on pages and through the API: one allowance.
posting_limit = _user_limit("FLASKY_RATELIMIT_POSTING", "posting", ["POST"])
# Editing posts: each edit renders Markdown and empties cached pages.
editing_limit = _user_limit("FLASKY_RATELIMIT_EDITING", "editing", ["POST", "PUT"])
# The live preview renders Markdown as people type (app/static/js/preview.js).
# Its 429 message is what the preview box shows instead of the preview.
preview_limit = _user_limit("FLASKY_RATELIMIT_PREVIEW", "preview", ["POST"],
                            error_message=lambda: _("The preview is paused for a moment after "
                                                    "many changes in a row. Saving still works."))
# The post form's autosave of its draft (app/static/js/autosave.js).
autosave_limit = _user_limit("FLASKY_RATELIMIT_AUTOSAVE", "autosave", ["POST"],
                             error_message=lambda: _("Autosave is paused for a moment. "
                                                     "Saving by hand still works."))
# Following and unfollowing: each change empties cached pages.
following_limit = _user_limit("FLASKY_RATELIMIT_FOLLOWING", "following", ["POST", "DELETE"])


def _code_refused(response: Response) -> bool:
    return bool(g.get("two_factor_failed"))  # set by app/auth/two_factor.py


def code_entry_limit(account: Callable[[], str | None]):
    """Guessing two-factor codes: failed codes count per address and per account
    (``account`` names it, or None when unknown), one allowance across the login
    step, the settings that ask for a code and API token issue, so switching
    networks or pages gains nothing."""
    setting = _setting("FLASKY_RATELIMIT_TWO_FACTOR")

    def account_or_address() -> str:
        name = account()
        return f"account:{name}" if name is not None else get_remote_address()

    per_address = limiter.shared_limit(
        setting, "two-factor-address", key_func=get_remote_address, methods=["POST"],
        deduct_when=_code_refused, override_defaults=False)
    per_account = limiter.shared_limit(
        setting, "two-factor-account", key_func=account_or_address, methods=["POST"],
        deduct_when=_code_refused, override_defaults=False)
    return lambda view: per_address(per_account(view))


def _auth_failures_message() -> str:
    """One function, not a lambda per call: each app binds the blueprint's limit
    again, and Flask-Limiter keeps one limit only while every part is equal."""
    return _("Too many failed authentications from this address; wait and try again.")


def _failed_authentication(response: Response) -> bool:
    return response.status_code == 401


def limit_api_auth_failures(api: Blueprint) -> None:
    """Every API call may carry an email and password, so guessing is counted
    on all of them, not on one view."""
    limiter.shared_limit(_setting("FLASKY_RATELIMIT_API_AUTH_FAILURES"), "api-auth-failures",
                         key_func=get_remote_address, deduct_when=_failed_authentication,
                         error_message=_auth_failures_message)(api)
