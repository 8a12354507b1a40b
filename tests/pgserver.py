"""A throwaway PostgreSQL server on 127.0.0.1 that a test can stop and start.

It needs the PostgreSQL server programs (``initdb``, ``pg_ctl``); as root it
runs them as the ``postgres`` user, since PostgreSQL refuses to run as root.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile

from tests.smtp import free_port


def server_programs() -> str | None:
    """The directory holding initdb and pg_ctl, or None when not installed."""
    on_path = shutil.which("initdb")
    candidates = [os.path.dirname(on_path)] if on_path else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for directory in candidates:
        if all(os.access(os.path.join(directory, name), os.X_OK) for name in ("initdb", "pg_ctl")):
            return directory
    return None


def _runs_as_postgres() -> bool:
    return os.geteuid() == 0


def unavailable_reason() -> str | None:
    """Why a throwaway server cannot run here (None when it can)."""
    if server_programs() is None:
        return "PostgreSQL server programs (initdb, pg_ctl) are not installed"
    if _runs_as_postgres():
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run PostgreSQL"
        if shutil.which("runuser") is None:
            return "running as root without runuser to switch to 'postgres'"
    return None


class PostgresServer:
    """``with PostgresServer() as server:``; ``server.url``, ``stop()``, ``start()``."""

    def __init__(self) -> None:
        self.programs = server_programs()
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="flasky-pg-")
        self.data = os.path.join(self.directory, "data")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *arguments: str) -> None:
        command = [os.path.join(self.programs, program), *arguments]
        if _runs_as_postgres():
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.directory)

    def initialise(self) -> None:
        if _runs_as_postgres():
            shutil.chown(self.directory, user="postgres")
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.directory} -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.directory, "log"),
                  "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return os.path.exists(os.path.join(self.data, "postmaster.pid"))

    def __enter__(self) -> "PostgresServer":
        try:
            self.initialise()
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if os.path.exists(self.data) and self.is_running():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
