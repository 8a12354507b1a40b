"""View decorators for permissions, shared by the pages and the API."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_babel import _

from app.access import acting_user, require
from app.models import Permission


def permission_required(permission: int) -> Callable:
    """Answer 403 unless the acting user (page or API caller) has ``permission``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require(acting_user().can(permission), _("Your role does not allow this."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def admin_required(view: Callable) -> Callable:
    return permission_required(Permission.ADMIN)(view)
