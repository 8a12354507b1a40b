"""Flasky's entry point: the app object, the shell context and the CLI."""

import os
import sys

import click

# Coverage must start before the app package is imported to see its imports.
COV = None
if os.environ.get("FLASK_COVERAGE"):
    import coverage

    COV = coverage.Coverage(branch=True, include="app/*")
    COV.start()

from flask_migrate import upgrade  # noqa: E402

from app import create_app, db  # noqa: E402
from app.admin_address import grant_to_existing_account  # noqa: E402
from app.fake import fake_command  # noqa: E402
from app.models import Comment, Follow, Permission, Post, Role, User  # noqa: E402
from app.profiling import profile_command  # noqa: E402

app = create_app(os.getenv("FLASK_CONFIG") or "default")
app.cli.add_command(fake_command)
app.cli.add_command(profile_command)


@app.shell_context_processor
def make_shell_context() -> dict:
    return {"db": db, "User": User, "Role": Role, "Permission": Permission,
            "Follow": Follow, "Post": Post, "Comment": Comment}


@app.cli.command()
@click.option("--coverage/--no-coverage", default=False, help="Measure code coverage.")
@click.argument("test_names", nargs=-1)
def test(coverage: bool, test_names: tuple[str, ...]) -> None:
    """Run the tests (unittest discovery over tests/)."""
    if coverage and not os.environ.get("FLASK_COVERAGE"):
        os.environ["FLASK_COVERAGE"] = "1"
        os.execvp(sys.executable, [sys.executable, "-m", "flask", *sys.argv[1:]])

    import unittest

    loader = unittest.TestLoader()
    suite = loader.loadTestsFromNames(test_names) if test_names else loader.discover("tests")
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped) - len(result.expectedFailures)
    print(f"{passed} passed, {failed} failed, {len(result.skipped)} skipped")
    if COV:
        COV.stop()
        COV.save()
        print("Coverage summary:")
        COV.report()
        html_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "htmlcov")
        COV.html_report(directory=html_dir)
        print(f"HTML report: file://{html_dir}/index.html")
        COV.erase()
    sys.exit(0 if result.wasSuccessful() else 1)


@app.cli.command()
def deploy() -> None:
    """Upgrade the database to the newest migration and insert/update roles."""
    upgrade()
    Role.insert_roles()
    grant_to_existing_account()
