import os
import re
import subprocess
import sys
import unittest
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import config
from app import create_app

ROOT = Path(__file__).resolve().parent.parent

# The variables these tests set; subprocesses start without any of them.
OWN_PREFIXES = ("FLASK", "MAIL_", "SECRET", "DATABASE", "DEV_", "TEST_", "RATELIMIT_", "CACHE_",
                "SESSION_")


def clean_environment(**values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_PREFIXES)}
    return {**env, **values}


@contextmanager
def reading(**values: str) -> Iterator[dict[str, str]]:
    """The environment holds ``values`` and environment_problems starts empty; both
    are as they were afterwards (the module's record of its import included)."""
    with mock.patch.dict(os.environ, values), \
            mock.patch.dict(config.environment_problems, clear=True):
        yield config.environment_problems


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
        for value in ("1", "true", "Yes", "ON", " on "):
            self.assertIs(config.as_bool(value), True)
        for value in ("0", "false", "No", "OFF", "False"):
            self.assertIs(config.as_bool(value), False)
        self.assertTrue(config.as_bool(None, default=True))
        self.assertTrue(config.as_bool("", default=True))
        self.assertFalse(config.as_bool("  "))
        for value in ("ture", "nonsense", "2", "y", "enabled"):
            with self.subTest(value=value), self.assertRaises(ValueError) as raised:
                config.as_bool(value)
            self.assertIn(repr(value), str(raised.exception))

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


class StrictEnvironmentTestCase(unittest.TestCase):
    """A value that does not parse stops start-up, naming the variable and the value,
    while `import config` itself still never fails."""

    def test_env_int(self):
        with reading(X_INT="42", X_BLANK=" ", X_BAD="58x7", X_LOW="0", X_HIGH="70000") as problems:
            self.assertEqual(config.env_int("X_INT", 1), 42)
            self.assertEqual(config.env_int("X_BLANK", 1), 1)
            self.assertEqual(config.env_int("X_UNSET_HERE", 1), 1)
            self.assertEqual(problems, {})
            self.assertEqual(config.env_int("X_BAD", 587), 587)
            self.assertEqual(config.env_int("X_LOW", 5, minimum=1), 5)
            self.assertEqual(config.env_int("X_HIGH", 5, minimum=1, maximum=65535), 5)
            self.assertEqual(set(problems), {"X_BAD", "X_LOW", "X_HIGH"})
            self.assertEqual(problems["X_BAD"], "X_BAD='58x7': expected a whole number")
            self.assertIn("'0': expected a whole number of at least 1", problems["X_LOW"])
            self.assertIn("from 1 to 65535", problems["X_HIGH"])

    def test_env_float(self):
        with reading(X_OK="0.25", X_BAD="half", X_NAN="nan", X_NEG="-1") as problems:
            self.assertEqual(config.env_float("X_OK", 0.5), 0.25)
            self.assertEqual(problems, {})
            for name in ("X_BAD", "X_NAN", "X_NEG"):
                self.assertEqual(config.env_float(name, 0.5, minimum=0), 0.5)
            self.assertEqual(set(problems), {"X_BAD", "X_NAN", "X_NEG"})
            self.assertIn("'half'", problems["X_BAD"])

    def test_env_bool(self):
        with reading(X_ON="Yes", X_OFF="off", X_BAD="ture") as problems:
            self.assertIs(config.env_bool("X_ON"), True)
            self.assertIs(config.env_bool("X_OFF", True), False)
            self.assertIs(config.env_bool("X_UNSET_HERE", True), True)
            self.assertEqual(problems, {})
            self.assertIs(config.env_bool("X_BAD", True), True)
            self.assertIn("X_BAD='ture'", problems["X_BAD"])

    def test_env_list_and_str(self):
        with reading(X_LIST=" a.org, b.org:8443 ,,", X_SPACES="a.org b.org",
                     X_TEXT="  ", X_LIMIT="1 per second") as problems:
            self.assertEqual(config.env_list("X_LIST"), ["a.org", "b.org:8443"])
            self.assertEqual(config.env_list("X_UNSET_HERE"), [])
            self.assertEqual(config.env_str("X_TEXT", "fallback"), "fallback")
            self.assertEqual(config.env_str("X_LIMIT", "fallback"), "1 per second")
            self.assertEqual(problems, {})
            self.assertEqual(config.env_list("X_SPACES"), ["a.org b.org"])
            self.assertIn("separated by commas", problems["X_SPACES"])

    def test_create_app_refuses_every_bad_variable_at_once(self):
        noted = {"MAIL_PORT": "MAIL_PORT='58x7': expected a whole number",
                 "FLASKY_GRAVATAR": "FLASKY_GRAVATAR='ture': expected one of ..."}
        for name in ("testing", "development"):
            with self.subTest(config=name), reading() as problems:
                problems.update(noted)
                with self.assertRaises(config.ConfigError) as raised:
                    create_app(name)
                self.assertIsInstance(raised.exception, RuntimeError)
                self.assertEqual(raised.exception.problems, list(noted.values()))
                for problem in noted.values():
                    self.assertIn(problem, str(raised.exception))
        create_app("testing")  # and with nothing noted, it starts

    def test_rate_limits_that_do_not_parse_are_refused(self):
        self.assertEqual(config.rate_limit_problems(
            {"FLASKY_RATELIMIT_LOGIN": "10 per minute;50 per hour",
             "FLASKY_RATELIMIT_POSTING": "3/second", "OTHER": "nonsense"}), [])
        for bad in ("10 per minit", "often", "", "10 per minute,,"):
            with self.subTest(value=bad):
                with self.assertRaises(config.ConfigError) as raised:
                    create_app("testing", {"FLASKY_RATELIMIT_LOGIN": bad})
                self.assertEqual(raised.exception.problems,
                                 [f"FLASKY_RATELIMIT_LOGIN={bad!r}: expected limits such as "
                                  "'10 per minute;50 per hour'"])

    def test_production_lists_a_bad_variable_and_the_missing_key_together(self):
        with reading() as problems, \
                mock.patch.object(config.ProductionConfig, "SECRET_KEY", config.DEV_SECRET_KEY), \
                mock.patch.object(config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://"):
            problems["MAIL_PORT"] = "MAIL_PORT='58x7': expected a whole number"
            with self.assertRaises(config.ConfigError) as raised:
                create_app("production")
        self.assertEqual(len(raised.exception.problems), 2)
        self.assertIn("MAIL_PORT='58x7'", str(raised.exception))
        self.assertIn("SECRET_KEY is not set", str(raised.exception))

    def test_a_malformed_environment_stops_start_up_but_not_import(self):
        env = clean_environment(MAIL_PORT="58x7", MAIL_USE_TLS="ture", SECRET_KEY="x" * 64,
                                DATABASE_URL="sqlite://", FLASKY_SLOW_DB_QUERY_TIME="slow",
                                FLASKY_RATELIMIT_LOGIN="often")
        imported = subprocess.run(
            [sys.executable, "-c", "import config; print(sorted(config.environment_problems))"],
            env=env, capture_output=True, text=True, check=False)
        self.assertEqual(imported.returncode, 0, imported.stderr)
        self.assertEqual(imported.stdout.strip(),
                         "['FLASKY_SLOW_DB_QUERY_TIME', 'MAIL_PORT', 'MAIL_USE_TLS']")

        started = subprocess.run(
            [sys.executable, "-c", "from app import create_app; create_app('production')"],
            env=env, capture_output=True, text=True, check=False)
        self.assertNotEqual(started.returncode, 0)
        self.assertIn("ConfigError: Flasky cannot start", started.stderr)
        for shown in ("MAIL_PORT='58x7'", "MAIL_USE_TLS='ture'", "FLASKY_SLOW_DB_QUERY_TIME='slow'",
                      "FLASKY_RATELIMIT_LOGIN='often'"):
            self.assertIn(shown, started.stderr)
        self.assertNotIn("SECRET_KEY", started.stderr)

    def test_good_values_start_production(self):
        env = clean_environment(MAIL_PORT="2525", MAIL_USE_TLS="OFF", SECRET_KEY="x" * 64,
                                DATABASE_URL="sqlite://", FLASKY_SLOW_DB_QUERY_TIME="0.1",
                                FLASKY_RATELIMIT_LOGIN="5 per minute")
        code = ("from app import create_app; c = create_app('production').config; "
                "print(c['MAIL_PORT'], c['MAIL_USE_TLS'], c['FLASKY_SLOW_DB_QUERY_TIME'], "
                "c['FLASKY_RATELIMIT_LOGIN'])")
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "2525 False 0.1 5 per minute")


class ReadmeTableTestCase(unittest.TestCase):
    def test_every_variable_config_reads_is_in_the_readme_table(self):
        source = (ROOT / "config.py").read_text()
        read = set(re.findall(r'(?:env_\w+|os\.environ\.get|database_url)\(\s*"([A-Z0-9_]+)"',
                              source))
        self.assertGreater(len(read), 30)
        readme = (ROOT / "README.md").read_text()
        table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
        documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
        self.assertEqual(sorted(read - documented), [], "add them to README.md, Configuration")
