import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent


def run_flask(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "flasky", *args],
                          cwd=ROOT, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=300, check=False)


class DeployCommandTestCase(unittest.TestCase):
    def test_deploy_builds_the_schema_and_roles_idempotently(self):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/deploy.sqlite"
            env = {"FLASK_CONFIG": "development", "DEV_DATABASE_URL": url}
            for _ in range(2):
                result = run_flask("deploy", env=env)
                self.assertEqual(result.returncode, 0, result.stderr)
            engine = create_engine(url)
            with engine.connect() as connection:
                roles = connection.execute(text("SELECT name FROM roles ORDER BY name")).scalars()
                self.assertEqual(list(roles), ["Administrator", "Moderator", "User"])
                tables = set(connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
            engine.dispose()
            self.assertTrue({"users", "posts", "comments", "follows", "alembic_version"} <= tables)


class TestCommandTestCase(unittest.TestCase):
    def test_exit_status_reports_failures(self):
        with tempfile.TemporaryDirectory(dir=ROOT / "tests") as tmp:
            package = Path(tmp).name
            (Path(tmp) / "__init__.py").write_text("")
            (Path(tmp) / "test_sample.py").write_text(
                "import unittest\n"
                "class T(unittest.TestCase):\n"
                "    def test_ok(self):\n        self.assertTrue(True)\n"
                "    def test_bad(self):\n        self.assertEqual(1, 2)\n"
            )
            failing = run_flask("test", f"tests.{package}.test_sample.T.test_bad")
            passing = run_flask("test", f"tests.{package}.test_sample.T.test_ok")
        self.assertEqual(failing.returncode, 1, failing.stdout + failing.stderr)
        self.assertIn("0 passed, 1 failed", failing.stdout)
        self.assertEqual(passing.returncode, 0, passing.stdout + passing.stderr)
        self.assertIn("1 passed, 0 failed", passing.stdout)


class ShellContextTestCase(unittest.TestCase):
    def test_shell_context_names(self):
        import flasky

        context = flasky.make_shell_context()
        self.assertTrue({"db", "User", "Role", "Permission", "Follow", "Post", "Comment"}
                        <= set(context))
