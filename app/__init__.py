"""The Flasky application factory."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

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
    app = Flask(__name__)
    app.config.from_object(config[config_name])
    app.config.update(overrides or {})
    _use_instance_database_by_default(app)
    config[config_name].init_app(app)

    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_security(app)
    register_caching(app)
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

    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    moment.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    register_database_events(app)
    listen_for_admin_address()


def register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.main import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def register_security(app: Flask) -> None:
    from app.security import init_security

    init_security(app)


def register_caching(app: Flask) -> None:
    from app.caching import init_caching

    init_caching(app)


def register_commands(app: Flask) -> None:
    from app.cli import register_commands as register_app_commands

    register_app_commands(app)


def register_template_helpers(app: Flask) -> None:
    from app.links import check_base_url
    from app.templating import template_globals

    check_base_url(app)
    app.context_processor(template_globals)
