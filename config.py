"""Configuration classes, read from environment variables.

Importing this module never fails: a value that is missing, or that cannot be
read (``MAIL_PORT=58x7``, ``MAIL_USE_TLS=ture``), leaves the default in place
and is noted in ``environment_problems``. Start-up is what refuses them:
``Config.init_app``, which ``create_app`` calls for every configuration, raises
a ``ConfigError`` naming each bad variable and its value, and so does a rate
limit that does not parse or a production SECRET_KEY that is not set.
"""

import logging
import math
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "flasky-development-key-do-not-use-in-production"

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})

# Variable name -> what is wrong with its value, filled while the classes below
# read the environment (once, at import); Config.init_app refuses to start on it.
environment_problems: dict[str, str] = {}


class ConfigError(RuntimeError):
    """Flasky cannot start with these settings; ``problems`` says why, one per setting."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "Flasky cannot start with these settings (README.md, Configuration):\n"
            + "\n".join(f"  {problem}" for problem in self.problems)
        )


def _blank(value: str | None) -> bool:
    return value is None or value.strip() == ""


def _note(name: str, value: str, expected: str) -> None:
    environment_problems[name] = f"{name}={value!r}: {expected}"


def as_bool(value: str | None, default: bool = False) -> bool:
    """Read a flag: ``1``, ``true``, ``yes``, ``on`` or ``0``, ``false``, ``no``,
    ``off`` in any case; unset or blank is ``default``. Anything else (``ture``)
    raises ValueError rather than quietly meaning off."""
    if _blank(value):
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not one of 1/true/yes/on or 0/false/no/off")


def env_bool(name: str, default: bool = False) -> bool:
    """The flag in variable ``name``; a value as_bool refuses is noted and ``default`` used."""
    value = os.environ.get(name)
    try:
        return as_bool(value, default)
    except ValueError:
        _note(name, value, "expected one of 1/true/yes/on or 0/false/no/off")
        return default


def env_int(name: str, default: int, minimum: int | None = None,
            maximum: int | None = None) -> int:
    """The whole number in variable ``name`` (unset or blank: ``default``); one that
    does not parse or lies outside [minimum, maximum] is noted and ``default`` used."""
    value = os.environ.get(name)
    if _blank(value):
        return default
    try:
        number = int(value.strip())
    except ValueError:
        _note(name, value, "expected a whole number")
        return default
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        _note(name, value, _range(minimum, maximum))
        return default
    return number


def env_float(name: str, default: float, minimum: float | None = None) -> float:
    """The finite number in variable ``name`` (unset or blank: ``default``), as env_int."""
    value = os.environ.get(name)
    if _blank(value):
        return default
    try:
        number = float(value.strip())
    except ValueError:
        _note(name, value, "expected a number such as 0.5")
        return default
    if not math.isfinite(number) or (minimum is not None and number < minimum):
        _note(name, value, "expected a finite number" if minimum is None
              else f"expected a finite number of at least {minimum}")
        return default
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """The comma-separated items in variable ``name``, stripped, blanks dropped (unset
    or blank: ``default``). An item with a space inside (``a.org b.org``) is noted:
    the items are separated by commas."""
    value = os.environ.get(name)
    if _blank(value):
        return list(default or [])
    items = [item.strip() for item in value.split(",") if item.strip()]
    if any(len(item.split()) > 1 for item in items):
        _note(name, value, "expected items separated by commas, without spaces inside")
    return items


def env_str(name: str, default: str) -> str:
    """The text in variable ``name``, stripped; unset or blank is ``default``."""
    value = os.environ.get(name)
    return default if _blank(value) else value.strip()


def _range(minimum: int | None, maximum: int | None) -> str:
    if maximum is None:
        return f"expected a whole number of at least {minimum}"
    if minimum is None:
        return f"expected a whole number of at most {maximum}"
    return f"expected a whole number from {minimum} to {maximum}"


def rate_limit_problems(settings) -> list[str]:
    """Every ``FLASKY_RATELIMIT_*`` setting that Flask-Limiter could not parse.
    Flask-Limiter only logs such a limit and drops it, so a typo would turn a
    protection off without a sound; start-up refuses it instead."""
    from limits import parse_many

    problems = []
    for name in sorted(settings):
        if not name.startswith("FLASKY_RATELIMIT_"):
            continue
        value = settings[name]
        try:
            if not isinstance(value, str) or not parse_many(value):
                raise ValueError(value)
        except ValueError:
            problems.append(f"{name}={value!r}: expected limits such as "
                            "'10 per minute;50 per hour'")
    return problems


def migrations_directory() -> str:
    """Where the migrations are: app/migrations inside an installed Flasky (the
    wheel ships migrations/ there, pyproject.toml), else migrations/ beside this
    file in a checkout. Absolute, so it does not depend on the working directory."""
    here = Path(__file__).resolve().parent
    installed = here / "app" / "migrations"
    return str(installed if installed.is_dir() else here / "migrations")


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
    MAIL_PORT = env_int("MAIL_PORT", 587, minimum=1, maximum=65535)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    # Seconds an SMTP socket operation may take, so a silent server cannot hang delivery.
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 10, minimum=1)
    FLASKY_MAIL_SUBJECT_PREFIX = os.environ.get("FLASKY_MAIL_SUBJECT_PREFIX", "[Flasky]")
    FLASKY_MAIL_SENDER = os.environ.get("FLASKY_MAIL_SENDER", "Flasky Admin <flasky@example.com>")
    # Without an SMTP server, mail is written to the log instead of sent.
    FLASKY_MAIL_TO_CONSOLE = False
    FLASKY_MAIL_MAX_ATTEMPTS = env_int("FLASKY_MAIL_MAX_ATTEMPTS", 8, minimum=1)

    FLASKY_ADMIN = os.environ.get("FLASKY_ADMIN")
    # Administrators and Moderators must set up two-factor authentication first.
    FLASKY_REQUIRE_2FA_FOR_STAFF = env_bool("FLASKY_REQUIRE_2FA_FOR_STAFF")
    FLASKY_POSTS_PER_PAGE = env_int("FLASKY_POSTS_PER_PAGE", 20, minimum=1)
    FLASKY_FOLLOWERS_PER_PAGE = env_int("FLASKY_FOLLOWERS_PER_PAGE", 50, minimum=1)
    FLASKY_COMMENTS_PER_PAGE = env_int("FLASKY_COMMENTS_PER_PAGE", 30, minimum=1)
    FLASKY_SLOW_DB_QUERY_TIME = env_float("FLASKY_SLOW_DB_QUERY_TIME", 0.5, minimum=0)
    FLASKY_GRAVATAR = env_bool("FLASKY_GRAVATAR")
    # Uploaded images: where LocalStorage keeps them ("" = uploads/ in the instance
    # folder), and the store's class (docs/writing.md says how to plug in another).
    FLASKY_UPLOADS_DIR = env_str("FLASKY_UPLOADS_DIR", "")
    FLASKY_IMAGE_STORAGE = env_str("FLASKY_IMAGE_STORAGE", "app.images.storage.LocalStorage")
    # last_seen is written at most once per this many seconds per user.
    FLASKY_LAST_SEEN_INTERVAL = env_int("FLASKY_LAST_SEEN_INTERVAL", 300, minimum=0)
    # Number of reverse proxies whose X-Forwarded-* headers are trusted (0: none).
    FLASKY_TRUSTED_PROXIES = env_int("FLASKY_TRUSTED_PROXIES", 0, minimum=0)
    # Hosts Flasky answers to, comma-separated (".example.org" allows subdomains). An
    # entry without a port allows only the default port (80/443); "example.org:8443"
    # allows that port. Links are built from the Host header, so production sets this.
    FLASKY_TRUSTED_HOSTS = env_list("FLASKY_TRUSTED_HOSTS")
    # The site's address (https://flasky.example.org): when set, every link in mail
    # starts with it instead of the host a request named (app/links.py).
    FLASKY_BASE_URL = os.environ.get("FLASKY_BASE_URL", "").strip()
    FLASKY_PASSWORD_HASH_METHOD = "scrypt"

    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # File name used in the instance folder when no database URL is given.
    SQLITE_FILE = "flasky.sqlite"
    # Milliseconds a SQLite writer waits for the one write lock before giving up.
    FLASKY_SQLITE_BUSY_TIMEOUT = env_int("FLASKY_SQLITE_BUSY_TIMEOUT", 10000, minimum=0)

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

    # Pages are cached until what they show changes (app/caching/). One SQLite
    # file in instance/cache is shared by the workers of one machine; CACHE_REDIS_URL
    # (redis://...) shares the cache between machines. FLASKY_CACHE=off turns it off.
    FLASKY_CACHE = env_bool("FLASKY_CACHE", True)
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_TYPE = os.environ.get("CACHE_TYPE") or (
        "RedisCache" if CACHE_REDIS_URL else "app.caching.disk_store.DiskCache")
    # A Redis that stops answering costs one call half a second; pages then render
    # without the cache for 10 s before it is tried again (app/caching.py).
    CACHE_OPTIONS = ({"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
                     if CACHE_REDIS_URL else None)
    # Pages go to CACHE_DIR/pages, the versions to CACHE_DIR/versions.sqlite.
    CACHE_DIR = os.environ.get("CACHE_DIR")  # default: the instance folder's cache/
    CACHE_DEFAULT_TIMEOUT = env_int("CACHE_DEFAULT_TIMEOUT", 600, minimum=0)
    # The disk store's bound; past it the least recently stored entries go first.
    CACHE_SIZE_MB = env_int("CACHE_SIZE_MB", 1024, minimum=1)
    CACHE_KEY_PREFIX = "flasky:"
    # Post cards each worker keeps in memory, rendered once per revision of what they
    # show, cache on or off (app/caching/post_cards.py); 0 renders every card each time.
    FLASKY_CARD_MEMO = env_int("FLASKY_CARD_MEMO", 2000, minimum=0)

    # Federation (ActivityPub, app/federation/, docs/federation.md): off answers 404 on
    # every federation endpoint and sends nothing. Insecure peers (http:// and loopback
    # or private addresses) are for two local servers in development and tests only.
    FLASKY_FEDERATION = env_bool("FLASKY_FEDERATION", True)
    FLASKY_FEDERATION_INSECURE_PEERS = env_bool("FLASKY_FEDERATION_INSECURE_PEERS", False)
    FLASKY_RATELIMIT_FEDERATION_INBOX = env_str(
        "FLASKY_RATELIMIT_FEDERATION_INBOX", "300 per minute;3000 per hour"
    )

    # Background jobs (app/jobs/): worker threads in each app process, or RQ on
    # Redis with `flask worker` when REDIS_URL is set.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    FLASKY_JOBS_EAGER = False
    FLASKY_JOBS_WORKERS = env_int("FLASKY_JOBS_WORKERS", 2, minimum=0, maximum=32)
    FLASKY_JOBS_POLL_SECONDS = env_float("FLASKY_JOBS_POLL_SECONDS", 2.0, minimum=0.05)

    # Abuse limits (Flask-Limiter). Counters live in memory (one process) unless
    # RATELIMIT_STORAGE_URI names a shared store such as redis://localhost:6379/0.
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "flasky"
    # If the shared store is unreachable, count in memory rather than fail requests.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Limits per client address (per user for posting, editing, previews and
    # following); "N per minute;M per hour".
    # following); "N per minute;M per hour". Blank means the default; start-up refuses
    # one that does not parse (rate_limit_problems).
    FLASKY_RATELIMIT_LOGIN = env_str("FLASKY_RATELIMIT_LOGIN", "10 per minute;50 per hour")
    FLASKY_RATELIMIT_ACCOUNT_MAIL = env_str(
        "FLASKY_RATELIMIT_ACCOUNT_MAIL", "5 per minute;20 per hour"
    )
    FLASKY_RATELIMIT_POSTING = env_str("FLASKY_RATELIMIT_POSTING", "10 per minute;100 per hour")
    FLASKY_RATELIMIT_EDITING = env_str("FLASKY_RATELIMIT_EDITING", "10 per minute;100 per hour")
    # The live preview asks on every pause in typing, so it allows far more.
    FLASKY_RATELIMIT_PREVIEW = env_str(
        "FLASKY_RATELIMIT_PREVIEW", "60 per minute;1000 per hour"
    )
    # The post form saves its draft every few seconds while someone types.
    FLASKY_RATELIMIT_AUTOSAVE = env_str(
        "FLASKY_RATELIMIT_AUTOSAVE", "30 per minute;600 per hour"
    )
    FLASKY_RATELIMIT_FOLLOWING = env_str(
        "FLASKY_RATELIMIT_FOLLOWING", "30 per minute;300 per hour"
    )
    # Failed two-factor codes, per account and per address (docs/security.md).
    FLASKY_RATELIMIT_TWO_FACTOR = env_str("FLASKY_RATELIMIT_TWO_FACTOR", "5 per minute;20 per hour")
    FLASKY_RATELIMIT_API_AUTH_FAILURES = env_str(
        "FLASKY_RATELIMIT_API_AUTH_FAILURES", "20 per minute;100 per hour"
    )

    # /metrics answers a request carrying "Authorization: Bearer <FLASKY_METRICS_TOKEN>"
    # or coming from FLASKY_METRICS_ALLOWED_ADDRESSES (addresses or networks,
    # comma-separated); with neither set it answers nobody (app/operations/).
    FLASKY_METRICS_TOKEN = env_str("FLASKY_METRICS_TOKEN", "")
    FLASKY_METRICS_ALLOWED_ADDRESSES = env_list("FLASKY_METRICS_ALLOWED_ADDRESSES")
    # Where `flask backup` writes when no --output is given ("" = instance/backups).
    FLASKY_BACKUP_DIR = env_str("FLASKY_BACKUP_DIR", "")

    # Absolute, so `flask db` and `flask deploy` work from any directory and from an
    # installed Flasky (migrations_directory).
    FLASKY_MIGRATIONS_DIRECTORY = migrations_directory()

    @classmethod
    def problems(cls, app) -> list[str]:
        """What stops this configuration from starting: values of the environment
        that could not be read, and rate limits that do not parse."""
        return [*environment_problems.values(), *rate_limit_problems(app.config)]

    @classmethod
    def init_app(cls, app) -> None:
        problems = cls.problems(app)
        if problems:
            raise ConfigError(problems)
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
    FLASKY_CACHE = env_bool("FLASKY_CACHE", False)
    FLASKY_FEDERATION_INSECURE_PEERS = env_bool("FLASKY_FEDERATION_INSECURE_PEERS", True)


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
    FLASKY_FEDERATION_INSECURE_PEERS = env_bool("FLASKY_FEDERATION_INSECURE_PEERS", True)
    # Hashing cost is not what the tests measure; keep them fast.
    FLASKY_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Uploads go to the system's temporary folder, never the instance folder
    # (created only when a test uploads; the image tests use one of their own).
    FLASKY_UPLOADS_DIR = env_str("FLASKY_UPLOADS_DIR", os.path.join(
        tempfile.gettempdir(), f"flasky-test-uploads-{os.getpid()}"))


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    FLASKY_HSTS_SECONDS = env_int("FLASKY_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SQLALCHEMY_DATABASE_URI = database_url("DATABASE_URL")

    @classmethod
    def problems(cls, app) -> list[str]:
        problems = super().problems(app)
        if app.config["SECRET_KEY"] in (None, "", DEV_SECRET_KEY):
            problems.append(
                "SECRET_KEY is not set: production refuses to start with the development key. "
                "Set SECRET_KEY to a long random value, for example the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        if app.config["FLASKY_FEDERATION_INSECURE_PEERS"]:
            problems.append(
                "FLASKY_FEDERATION_INSECURE_PEERS is for development and tests: production "
                "federates only over HTTPS with public addresses. Unset it.")
        return problems

    @classmethod
    def init_app(cls, app) -> None:
        super().init_app(app)
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
