"""``flask test``: the whole suite (unittest discovery over tests/), or some of it."""

import os
import sys
import unittest

import click

HTML_REPORT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "htmlcov")


@click.command("test")
@click.option("--coverage/--no-coverage", default=False, help="Measure code coverage.")
@click.argument("test_names", nargs=-1)
def test_command(coverage: bool, test_names: tuple[str, ...]) -> None:
    """Run the tests (unittest discovery over tests/)."""
    if coverage and not os.environ.get("FLASK_COVERAGE"):
        # Coverage must start before the app is imported: flasky.py starts it
        # when FLASK_COVERAGE is set, so run again with it.
        os.environ["FLASK_COVERAGE"] = "1"
        os.execvp(sys.executable, [sys.executable, "-m", "flask", *sys.argv[1:]])
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromNames(test_names) if test_names else loader.discover("tests")
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped) - len(result.expectedFailures)
    print(f"{passed} passed, {failed} failed, {len(result.skipped)} skipped")
    if os.environ.get("FLASK_COVERAGE"):
        _report_coverage()
    sys.exit(0 if result.wasSuccessful() else 1)


def _report_coverage() -> None:
    import coverage

    measured = coverage.Coverage.current()
    if measured is None:
        return
    measured.stop()
    measured.save()
    print("Coverage summary:")
    measured.report()
    measured.html_report(directory=HTML_REPORT)
    print(f"HTML report: file://{HTML_REPORT}/index.html")
    measured.erase()
