"""gunicorn believes forwarded headers from exactly the proxies Flasky trusts
(gunicorn.conf.py): from nobody while FLASKY_TRUSTED_PROXIES is 0."""

import os
import runpy
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path
from unittest import mock

from gunicorn.config import Config

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")
OWN_VARIABLES = ("FLASKY_TRUSTED_PROXIES", "FLASKY_PROXY_IPS", "FORWARDED_ALLOW_IPS")


def settings(**env: str) -> dict:
    """The values gunicorn.conf.py gives under ``env``, checked by gunicorn itself."""
    clean = {key: value for key, value in os.environ.items() if key not in OWN_VARIABLES}
    with mock.patch.dict(os.environ, {**clean, **env}, clear=True):
        values = runpy.run_path(str(CONF))
    config = Config()
    for name in ("forwarded_allow_ips", "proxy_allow_ips"):
        config.set(name, values[name])  # raises on a value gunicorn would refuse
    return {"forwarded_allow_ips": config.forwarded_allow_ips,
            "proxy_allow_ips": config.proxy_allow_ips}


class ConfigValuesTestCase(unittest.TestCase):
    def test_nobody_is_trusted_without_proxies(self):
        for env in ({}, {"FLASKY_TRUSTED_PROXIES": "0"}, {"FLASKY_TRUSTED_PROXIES": ""},
                    {"FLASKY_TRUSTED_PROXIES": "0", "FLASKY_PROXY_IPS": "10.0.0.5"},
                    {"FORWARDED_ALLOW_IPS": "*"}):
            with self.subTest(env=env):
                self.assertEqual(settings(**env),
                                 {"forwarded_allow_ips": [], "proxy_allow_ips": []})

    def test_this_machine_is_trusted_behind_a_proxy(self):
        self.assertEqual(settings(FLASKY_TRUSTED_PROXIES="1"),
                         {"forwarded_allow_ips": ["127.0.0.1", "::1"],
                          "proxy_allow_ips": ["127.0.0.1", "::1"]})

    def test_proxy_addresses_can_be_named(self):
        values = settings(FLASKY_TRUSTED_PROXIES="2", FLASKY_PROXY_IPS="10.0.0.5, 10.1.0.0/16")
        self.assertEqual(values["forwarded_allow_ips"], ["10.0.0.5", "10.1.0.0/16"])
        self.assertEqual(values["proxy_allow_ips"], ["10.0.0.5", "10.1.0.0/16"])

    def test_the_servers_flasky_starts_use_the_file(self):
        for script in ("bench/servers.py", "scripts/loadtest.py"):
            with self.subTest(script=script):
                self.assertIn("gunicorn.conf.py", (ROOT / script).read_text())


class LiveGunicornTestCase(unittest.TestCase):
    """A real gunicorn on loopback: the API docs page prints an absolute link,
    whose scheme shows what the app believed."""

    def serve(self, **env: str) -> str:
        port, workdir = free_port(), tempfile.TemporaryDirectory()
        self.addCleanup(workdir.cleanup)
        environment = {key: value for key, value in os.environ.items()
                       if key not in OWN_VARIABLES and not key.startswith("FLASK")}
        environment.update({
            "FLASK_CONFIG": "production", "SECRET_KEY": "s" * 64, "FLASKY_CACHE": "0",
            "DATABASE_URL": f"sqlite:///{workdir.name}/flasky.sqlite", **env})
        log = Path(workdir.name) / "gunicorn.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(GUNICORN), "-c", str(CONF), "-b", f"127.0.0.1:{port}", "-w", "1",
                 "--no-control-socket", "flasky:app"],
                cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.addCleanup(self.stop, process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.fail(f"gunicorn exited: {log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5).close()
                return base
            except OSError:
                time.sleep(0.2)
        self.fail(f"gunicorn did not answer within 60 s: {log.read_text()[-2000:]}")

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)

    def docs_link(self, base: str) -> str:
        request = urllib.request.Request(f"{base}/api/v1/docs",
                                         headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode()
        host = base.removeprefix("http://")
        return "https" if f"https://{host}/api/v1/openapi.json" in page else (
            "http" if f"http://{host}/api/v1/openapi.json" in page else page[:500])

    def test_forwarded_proto_from_loopback_is_ignored_without_proxies(self):
        self.assertEqual(self.docs_link(self.serve(FLASKY_TRUSTED_PROXIES="0")), "http")

    def test_forwarded_proto_is_believed_behind_a_trusted_proxy(self):
        self.assertEqual(self.docs_link(self.serve(FLASKY_TRUSTED_PROXIES="1")), "https")
