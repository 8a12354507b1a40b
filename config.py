"""Configuration classes, read from environment variables.

Importing this module never fails for a missing variable: checks that a
production value is really set happen in ``ProductionConfig.init_app``.
"""

import logging
import os
import sys
from datetime import timedelta

DEV_SECRET_KEY = "flasky-development-key-do-not-use-in-production"


def as_bool(value: str | None, default: bool = False) -> bool:
    """Read an environment flag such as ``1``, ``true``, ``yes`` or ``on``."""
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def as_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def database_url(variable: str, default: str | None = None) -> str | None:
    """The database URL in ``variable``, with Heroku-style ``postgres://``
    accepted and PostgreSQL pointed at the psycopg 3 driver."""
    url = os.environ.get(variable) or default
    if url is None:
        return None
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = as_int(os.environ.get("MAIL_PORT"), 587)
    MAIL_USE_TLS = as_bool(os.environ.get("MAIL_USE_TLS"), True)
    MAIL_USE_SSL = as_bool(os.environ.get("MAIL_USE_SSL"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    # Seconds an SMTP socket operation may take, so a silent server cannot hang delivery.
    MAIL_TIMEOUT = as_int(os.environ.get("MAIL_TIMEOUT"), 10)
    FLASKY_MAIL_SUBJECT_PREFIX = os.environ.get("FLASKY_MAIL_SUBJECT_PREFIX", "[Flasky]")
    FLASKY_MAIL_SENDER = os.environ.get("FLASKY_MAIL_SENDER", "Flasky Admin <flasky@example.com>")
    # Without an SMTP server, mail is written to the log instead of sent.
    FLASKY_MAIL_TO_CONSOLE = False
    FLASKY_MAIL_MAX_ATTEMPTS = as_int(os.environ.get("FLASKY_MAIL_MAX_ATTEMPTS"), 8)

    FLASKY_ADMIN = os.environ.get("FLASKY_ADMIN")
    FLASKY_POSTS_PER_PAGE = as_int(os.environ.get("FLASKY_POSTS_PER_PAGE"), 20)
    FLASKY_FOLLOWERS_PER_PAGE = as_int(os.environ.get("FLASKY_FOLLOWERS_PER_PAGE"), 50)
    FLASKY_COMMENTS_PER_PAGE = as_int(os.environ.get("FLASKY_COMMENTS_PER_PAGE"), 30)
    FLASKY_SLOW_DB_QUERY_TIME = float(os.environ.get("FLASKY_SLOW_DB_QUERY_TIME") or 0.5)
    FLASKY_GRAVATAR = as_bool(os.environ.get("FLASKY_GRAVATAR"))
    # last_seen is written at most once per this many seconds per user.
    FLASKY_LAST_SEEN_INTERVAL = as_int(os.environ.get("FLASKY_LAST_SEEN_INTERVAL"), 300)
    # Number of reverse proxies whose X-Forwarded-* headers are trusted (0: none).
    FLASKY_TRUSTED_PROXIES = as_int(os.environ.get("FLASKY_TRUSTED_PROXIES"), 0)
    # Hosts Flasky answers to, comma-separated (".example.org" allows subdomains). An
    # entry without a port allows only the default port (80/443); "example.org:8443"
    # allows that port. Links are built from the Host header, so production sets this.
    FLASKY_TRUSTED_HOSTS = [
        host.strip() for host in os.environ.get("FLASKY_TRUSTED_HOSTS", "").split(",")
        if host.strip()
    ]
    # The site's address (https://flasky.example.org): when set, every link in mail
    # starts with it instead of the host a request named (app/links.py).
    FLASKY_BASE_URL = os.environ.get("FLASKY_BASE_URL", "").strip()
    FLASKY_PASSWORD_HASH_METHOD = "scrypt"

    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # File name used in the instance folder when no database URL is given.
    SQLITE_FILE = "flasky.sqlite"
    # Milliseconds a SQLite writer waits for the one write lock before giving up.
    FLASKY_SQLITE_BUSY_TIMEOUT = as_int(os.environ.get("FLASKY_SQLITE_BUSY_TIMEOUT"), 10000)

    BOOTSTRAP_SERVE_LOCAL = True
    MAX_CONTENT_LENGTH = 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=365)  # also how long its server-side row lives
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Strict-Transport-Security max-age in seconds; 0 sends no header (on only in production).
    FLASKY_HSTS_SECONDS = 0

    # Pages are cached until content changes (app/caching.py, app/cache_stores.py).
    # Files in instance/cache are shared by the workers of one machine; CACHE_REDIS_URL
    # (redis://...) shares the cache between machines. FLASKY_CACHE=off turns it off.
    FLASKY_CACHE = as_bool(os.environ.get("FLASKY_CACHE"), True)
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_TYPE = os.environ.get("CACHE_TYPE") or (
        "RedisCache" if CACHE_REDIS_URL else "FileSystemCache")
    # A Redis that stops answering costs one call half a second; pages then render
    # without the cache for 10 s before it is tried again (app/caching.py).
    CACHE_OPTIONS = ({"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
                     if CACHE_REDIS_URL else None)
    # Pages go to CACHE_DIR/pages, the content version to CACHE_DIR/meta.
    CACHE_DIR = os.environ.get("CACHE_DIR")  # default: the instance folder's cache/
    CACHE_DEFAULT_TIMEOUT = as_int(os.environ.get("CACHE_DEFAULT_TIMEOUT"), 600)
    # Files in CACHE_DIR/pages; past it the oldest fifth is removed in one pass.
    CACHE_THRESHOLD = 5000
    CACHE_KEY_PREFIX = "flasky:"

    # Background jobs (app/jobs/): worker threads in each app process, or RQ on
    # Redis with `flask worker` when REDIS_URL is set.
    REDIS_URL = os.environ.get("REDIS_URL")
    FLASKY_JOBS_EAGER = False
    FLASKY_JOBS_WORKERS = as_int(os.environ.get("FLASKY_JOBS_WORKERS"), 2)
    FLASKY_JOBS_POLL_SECONDS = float(os.environ.get("FLASKY_JOBS_POLL_SECONDS") or 2)

    # Abuse limits (Flask-Limiter). Counters live in memory (one process) unless
    # RATELIMIT_STORAGE_URI names a shared store such as redis://localhost:6379/0.
    RATELIMIT_ENABLED = as_bool(os.environ.get("RATELIMIT_ENABLED"), True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "flasky"
    # If the shared store is unreachable, count in memory rather than fail requests.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Limits per client address (per user for posting, editing, previews and
    # following); "N per minute;M per hour".
    FLASKY_RATELIMIT_LOGIN = os.environ.get("FLASKY_RATELIMIT_LOGIN", "10 per minute;50 per hour")
    FLASKY_RATELIMIT_ACCOUNT_MAIL = os.environ.get(
        "FLASKY_RATELIMIT_ACCOUNT_MAIL", "5 per minute;20 per hour"
    )
    FLASKY_RATELIMIT_POSTING = os.environ.get(
        "FLASKY_RATELIMIT_POSTING", "10 per minute;100 per hour"
    )
    FLASKY_RATELIMIT_EDITING = os.environ.get(
        "FLASKY_RATELIMIT_EDITING", "10 per minute;100 per hour"
    )
    # The live preview asks on every pause in typing, so it allows far more.
    FLASKY_RATELIMIT_PREVIEW = os.environ.get(
        "FLASKY_RATELIMIT_PREVIEW", "60 per minute;1000 per hour"
    )
    FLASKY_RATELIMIT_FOLLOWING = os.environ.get(
        "FLASKY_RATELIMIT_FOLLOWING", "30 per minute;300 per hour"
    )
    FLASKY_RATELIMIT_API_AUTH_FAILURES = os.environ.get(
        "FLASKY_RATELIMIT_API_AUTH_FAILURES", "20 per minute;100 per hour"
    )

    @classmethod
    def init_app(cls, app) -> None:
        if app.config["FLASKY_TRUSTED_PROXIES"] > 0:
            from werkzeug.middleware.proxy_fix import ProxyFix

            hops = app.config["FLASKY_TRUSTED_PROXIES"]
            app.wsgi_app = ProxyFix(
                app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
            )


class DevelopmentConfig(Config):
    DEBUG = True
    SQLALCHEMY_DATABASE_URI = database_url("DEV_DATABASE_URL")
    SQLITE_FILE = "flasky-dev.sqlite"
    FLASKY_MAIL_TO_CONSOLE = not os.environ.get("MAIL_SERVER")
    # Templates change while developing; cached pages would hide the change.
    FLASKY_CACHE = as_bool(os.environ.get("FLASKY_CACHE"), False)


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = database_url("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    MAIL_SUPPRESS_SEND = True
    # Each committed job runs at once (tests see its outcome); no worker threads.
    FLASKY_JOBS_EAGER = True
    # Tests that check the abuse limits turn them on.
    RATELIMIT_ENABLED = False
    # Tests see every query; the cache tests turn caching on. One cache per app.
    FLASKY_CACHE = False
    CACHE_TYPE = "SimpleCache"
    # Hashing cost is not what the tests measure; keep them fast.
    FLASKY_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = as_bool(os.environ.get("SESSION_COOKIE_SECURE"), True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    FLASKY_HSTS_SECONDS = as_int(os.environ.get("FLASKY_HSTS_SECONDS"), 365 * 24 * 3600)
    SQLALCHEMY_DATABASE_URI = database_url("DATABASE_URL")

    @classmethod
    def init_app(cls, app) -> None:
        super().init_app(app)
        if app.config["SECRET_KEY"] in (None, "", DEV_SECRET_KEY):
            raise RuntimeError(
                "SECRET_KEY is not set: production refuses to start with the development key. "
                "Set SECRET_KEY to a long random value, for example the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        app.logger.addHandler(handler)
        app.logger.setLevel(logging.INFO)


config = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
    "default": DevelopmentConfig,
}
