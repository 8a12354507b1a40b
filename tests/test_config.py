import os
import subprocess
import sys
import unittest
from unittest import mock

import config
from app import create_app


class ConfigTestCase(unittest.TestCase):
    def test_import_never_fails_without_variables(self):
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("FLASK", "MAIL_", "SECRET", "DATABASE", "DEV_", "TEST_"))}
        code = "import config; print(sorted(config.config))"
        result = subprocess.run([sys.executable, "-c", code],
                                env=env, capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("'production'", result.stdout)

    def test_config_names(self):
        self.assertEqual(set(config.config),
                         {"development", "testing", "production", "default"})
        self.assertIs(config.config["default"], config.DevelopmentConfig)

    def test_postgres_urls_are_accepted(self):
        with mock.patch.dict(os.environ, {"X_URL": "postgres://u:p@h/db"}):
            self.assertEqual(config.database_url("X_URL"), "postgresql+psycopg://u:p@h/db")
        with mock.patch.dict(os.environ, {"X_URL": "postgresql://u:p@h/db"}):
            self.assertEqual(config.database_url("X_URL"), "postgresql+psycopg://u:p@h/db")
        with mock.patch.dict(os.environ, {"X_URL": "sqlite:///x.db"}):
            self.assertEqual(config.database_url("X_URL"), "sqlite:///x.db")

    def test_as_bool(self):
        for value in ("1", "true", "Yes", "ON"):
            self.assertTrue(config.as_bool(value))
        for value in ("0", "false", "no", "off", "nonsense"):
            self.assertFalse(config.as_bool(value))
        self.assertTrue(config.as_bool(None, default=True))
        self.assertTrue(config.as_bool("", default=True))

    def test_production_refuses_the_development_key(self):
        with mock.patch.object(config.ProductionConfig, "SECRET_KEY", config.DEV_SECRET_KEY), \
                mock.patch.object(config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://"):
            with self.assertRaises(RuntimeError) as raised:
                create_app("production")
        self.assertIn("SECRET_KEY", str(raised.exception))

    def test_production_starts_with_a_real_key(self):
        with mock.patch.object(config.ProductionConfig, "SECRET_KEY", "x" * 64), \
                mock.patch.object(config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://"):
            app = create_app("production")
        self.assertFalse(app.debug)
        self.assertTrue(app.config["SESSION_COOKIE_SECURE"])
        self.assertTrue(app.config["REMEMBER_COOKIE_SECURE"])

    def test_unknown_config_name_is_explained(self):
        with self.assertRaises(KeyError) as raised:
            create_app("staging")
        self.assertIn("Unknown FLASK_CONFIG", str(raised.exception))

    def test_development_defaults_to_an_instance_sqlite_file(self):
        with mock.patch.object(config.DevelopmentConfig, "SQLALCHEMY_DATABASE_URI", None):
            app = create_app("development")
        uri = app.config["SQLALCHEMY_DATABASE_URI"]
        self.assertTrue(uri.startswith("sqlite:///"))
        self.assertTrue(uri.endswith(os.path.join("instance", "flasky-dev.sqlite")))

    def test_environment_is_read(self):
        env = {**os.environ, "FLASKY_POSTS_PER_PAGE": "7", "MAIL_USE_TLS": "false",
               "FLASKY_GRAVATAR": "on"}
        code = ("import config; c = config.Config; "
                "print(c.FLASKY_POSTS_PER_PAGE, c.MAIL_USE_TLS, c.FLASKY_GRAVATAR)")
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=False)
        self.assertEqual(result.stdout.split(), ["7", "False", "True"], result.stderr)
