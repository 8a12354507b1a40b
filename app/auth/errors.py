"""An expired or missing CSRF token is a 400 with a message people understand."""

from flask_babel import _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest

from app.auth import bp
from app.errors import handle_http_error


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    return handle_http_error(BadRequest(_(
        "The form had expired or did not come from Flasky (CSRF check failed). "
        "Please go back, reload the page and try again."
    )), title=_("This form has expired"))
