"""The Flasky application factory."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app.application import Flasky
from app.extensions import bootstrap, csrf, db, limiter, login_manager, mail, migrate, moment
from config import config

__all__ = [
    "create_app", "db", "login_manager", "mail", "migrate", "moment", "csrf", "bootstrap",
    "limiter",
]


def create_app(config_name: str | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    """``overrides`` replace settings before the extensions read them (database
    URL, mail server), which a later ``app.config.update`` would be too late for."""
    config_name = config_name or os.getenv("FLASK_CONFIG") or "default"
    if config_name not in config:
        raise KeyError(f"Unknown FLASK_CONFIG {config_name!r}; choose one of {sorted(config)}")
    app = Flasky(__name__)
    app.config.from_object(config[config_name])
    app.config.update(overrides or {})
    _use_instance_database_by_default(app)
    config[config_name].init_app(app)

    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_caching(app)
    register_jobs(app)
    register_operations(app)
    register_request_hooks(app)
    register_commands(app)
    return app


def _use_instance_database_by_default(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        instance = Path(app.instance_path)
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / app.config['SQLITE_FILE']}"


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (registers the models and the user loader)
    from app.admin_address import listen_for_admin_address
    from app.database import register_database_events
    from app.federation.outgoing import listen_for_local_changes
    from app.images import init_images
    from app.languages import init_languages
    from app.requests import FlaskyRequest
    from app.search.schema import register_search_schema
    from app.social.notifying import listen_for_notifications

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["FLASKY_MIGRATIONS_DIRECTORY"])
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    moment.init_app(app)
    bootstrap.init_app(app)
    init_languages(app)  # Flask-Babel with Flasky's language and time zone selectors
    limiter.init_app(app)
    register_database_events(app)
    register_search_schema(app)  # before any connection: SQLite's triggers call its function
    listen_for_admin_address()
    listen_for_notifications()
    listen_for_local_changes()  # deliveries of local posts, replies and follows (federation)
    init_images(app)  # image files in step with their rows
    app.request_class = FlaskyRequest  # uploads' larger allowance; forms' messages


def register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.federation import bp as federation_bp
    from app.main import bp as main_bp
    from app.security.rate_limits import limit_api_auth_failures

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    limit_api_auth_failures(api_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(federation_bp)  # /.well-known/..., /nodeinfo/2.1, /federation/...


def register_error_handlers(app: Flask) -> None:
    from flask_limiter.errors import RateLimitExceeded

    from app.errors import register_error_handlers as register_generic_handlers
    from app.security.throttled import handle_rate_limited

    register_generic_handlers(app)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)  # the page that says when


def register_caching(app: Flask) -> None:
    from app.caching import init_caching

    init_caching(app)


def register_jobs(app: Flask) -> None:
    from app.jobs.backends import init_jobs

    init_jobs(app)


def register_operations(app: Flask) -> None:
    from app.operations import init_operations

    init_operations(app)


def register_request_hooks(app: Flask) -> None:
    """Every request hook of Flasky, in the order it runs.

    Before these, the extensions' own hooks run (Flask-Limiter's limits,
    CSRFProtect, Flask-Login loading the user when first asked), and after
    them each blueprint's: the API authenticates its caller (app/api/).
    """
    from app.api.etags import conditional_api_response
    from app.auth.gate import gate_unconfirmed_and_track_activity
    from app.auth.two_factor_gate import gate_staff_without_two_factor
    from app.caching import serve_cached_page, serve_page_to_known_reader, store_page
    from app.federation.negotiation import send_federation_clients_to_documents
    from app.languages import vary_on_language
    from app.operations.metrics import count_request, start_request_timer
    from app.security.headers import add_security_headers, fresh_nonce
    from app.security.hosts import check_host_names
    from app.security.request_checks import reject_nul_characters

    check_host_names(app)  # WSGI middleware: a foreign Host is refused before Flask runs
    before_each_request = [
        start_request_timer,                   # the metrics time the whole request
        fresh_nonce,                           # a new CSP nonce, even in a shared app context
        reject_nul_characters,                 # 400 before anything reads the request
        serve_page_to_known_reader,            # a stored page for a reader the gates let by
        gate_unconfirmed_and_track_activity,   # last_seen; unconfirmed accounts to their page
        gate_staff_without_two_factor,         # staff set up 2FA first, when that is required
        send_federation_clients_to_documents,  # a profile or post asked as ActivityPub
        serve_cached_page,                     # or here, once the user is loaded; else recorded
    ]
    after_each_request = [                     # in the order they run, on the view's response
        count_request,                         # metrics; sees a page cache miss before store_page
        conditional_api_response,              # ETag and 304 on API GETs
        store_page,                            # keep the page, before per-response headers
        add_security_headers,                  # CSP with this response's nonce, and the rest
        vary_on_language,                      # the page follows Accept-Language and cookies
    ]
    for hook in before_each_request:
        app.before_request(hook)
    for hook in reversed(after_each_request):  # Flask runs after_request hooks last first
        app.after_request(hook)


def register_commands(app: Flask) -> None:
    from app.cli import register_commands as register_app_commands

    register_app_commands(app)


def register_template_helpers(app: Flask) -> None:
    from app.access import access_helpers
    from app.languages import language_globals
    from app.links import check_base_url
    from app.templating import template_globals

    check_base_url(app)
    app.context_processor(template_globals)
    app.context_processor(access_helpers)
    app.context_processor(language_globals)
