"""Extension objects, created unbound and bound to the app in ``create_app``.

Living here (not in ``app/__init__``) lets models and views import them
without import cycles.
"""

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_moment import Moment
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic's batch mode alter SQLite tables reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
csrf = CSRFProtect()
mail = Mail()
moment = Moment()
bootstrap = Bootstrap5()
# Keyed by client address (behind a proxy: the address ProxyFix trusts);
# app/security/rate_limits.py holds the per-user key and the limits themselves.
limiter = Limiter(key_func=get_remote_address)
cache = Cache()
# Templates and code mark text with _() / ngettext(); English until a catalog says more.
babel = Babel()
