"""Who ``current_user`` is when nobody is signed in: someone who may do nothing."""

from flask_login import AnonymousUserMixin

from app.extensions import login_manager


class AnonymousUser(AnonymousUserMixin):
    language = None
    timezone = None

    def can(self, perm: int) -> bool:
        return False

    def is_administrator(self) -> bool:
        return False


login_manager.anonymous_user = AnonymousUser
