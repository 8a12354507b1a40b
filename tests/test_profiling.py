import io
import tempfile
from pathlib import Path

from app.cli.profile import profile_command, profiled
from tests.base import FlaskyTestCase


class ProfileTestCase(FlaskyTestCase):
    def test_each_request_is_profiled_and_saved(self):
        report = io.StringIO()
        with tempfile.TemporaryDirectory() as directory:
            profiled(self.app, length=5, profile_dir=directory, stream=report)
            response = self.app.test_client().get("/")
            self.assertEqual(response.status_code, 200)
            saved = list(Path(directory).glob("*.prof"))
        self.assertEqual(len(saved), 1)
        self.assertIn("PATH: '/'", report.getvalue())
        self.assertIn("function calls", report.getvalue())

    def test_command_offers_its_options(self):
        result = self.app.test_cli_runner().invoke(profile_command, ["--help"])
        self.assertEqual(result.exit_code, 0)
        self.assertIn("--length", result.output)
        self.assertIn("--profile-dir", result.output)
