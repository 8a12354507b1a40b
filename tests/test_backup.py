"""``flask backup`` copies a live SQLite database while another connection
keeps writing to it, and the copy opens as a whole, consistent database."""

import shutil
import sqlite3
import subprocess
import tempfile
import threading
from pathlib import Path

from app import db
from app.models import User
from tests.base import FlaskyTestCase

ROWS = 3000


class BackupTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="flasky-backup-test-"))
        self.database = self.folder / "live.sqlite"
        self.config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.database}",
                       "FLASKY_BACKUP_DIR": str(self.folder / "backups")}
        super().setUp()
        self.create_user("ada")

    def tearDown(self) -> None:
        super().tearDown()
        shutil.rmtree(self.folder, ignore_errors=True)

    def backup(self, *arguments: str):
        return self.app.test_cli_runner().invoke(args=["backup", *arguments])

    def _write_while(self, started: threading.Event, stop: threading.Event) -> list[int]:
        """Insert rows, one transaction each, until told to stop (ROWS at most)."""
        written = []
        connection = sqlite3.connect(self.database, timeout=10)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE IF NOT EXISTS ticks (id INTEGER PRIMARY KEY, pad TEXT)")
        try:
            for number in range(1, ROWS + 1):
                with connection:
                    connection.execute("INSERT INTO ticks (id, pad) VALUES (?, ?)",
                                       (number, "x" * 500))
                written.append(number)
                if number == 200:
                    started.set()
                if stop.is_set():
                    break
        finally:
            started.set()
            connection.close()
        return written

    def test_a_backup_under_writes_is_a_consistent_database(self):
        started, stop, written = threading.Event(), threading.Event(), []
        writer = threading.Thread(target=lambda: written.extend(self._write_while(started,
                                                                                  stop)))
        writer.start()
        started.wait(30)
        target = self.folder / "copy.sqlite"
        result = self.backup("--output", str(target))
        stop.set()
        writer.join(60)
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn(str(target), result.output)
        copy = sqlite3.connect(target)
        try:
            self.assertEqual(copy.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            usernames = [row[0] for row in copy.execute("SELECT username FROM users")]
            ids = [row[0] for row in copy.execute("SELECT id FROM ticks ORDER BY id")]
        finally:
            copy.close()
        self.assertEqual(usernames, ["ada"])
        # One moment's snapshot: the first rows, without a gap, none written later.
        self.assertGreaterEqual(len(ids), 200)
        self.assertEqual(ids, list(range(1, len(ids) + 1)))
        self.assertLessEqual(len(ids), len(written))
        self.assertFalse(list(self.folder.glob("*.partial")))

    def test_the_default_target_is_a_dated_file_in_the_backup_folder(self):
        result = self.backup()
        self.assertEqual(result.exit_code, 0, result.output)
        [written] = list((self.folder / "backups").glob("flasky-*.sqlite"))
        copy = sqlite3.connect(written)
        self.assertEqual(copy.execute("SELECT count(*) FROM users").fetchone()[0], 1)
        copy.close()

    def test_an_existing_file_is_never_overwritten(self):
        target = self.folder / "taken.sqlite"
        target.write_text("keep me")
        result = self.backup("--output", str(target))
        self.assertEqual(result.exit_code, 1)
        self.assertIn("exists already", result.output)
        self.assertEqual(target.read_text(), "keep me")

    def test_the_site_keeps_working_during_and_after(self):
        self.assertEqual(self.backup().exit_code, 0)
        db.session.add(User(email="bo@example.com", username="bo", password="x-y-z-1234"))
        db.session.commit()
        self.assertEqual(self.client.get("/user/bo").status_code, 200)


class InMemoryBackupTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        if db.engine.dialect.name != "sqlite":
            self.skipTest("the in-memory database is SQLite's")

    def test_an_in_memory_database_is_refused_clearly(self):
        result = self.app.test_cli_runner().invoke(args=["backup", "--output",
                                                         "/tmp/never-written.sqlite"])
        self.assertEqual(result.exit_code, 1)
        self.assertIn("in-memory database", result.output)
        self.assertFalse(Path("/tmp/never-written.sqlite").exists())


class PostgresBackupTestCase(FlaskyTestCase):
    """On PostgreSQL (TEST_DATABASE_URL), ``flask backup`` runs pg_dump."""

    def setUp(self) -> None:
        super().setUp()
        if db.engine.dialect.name != "postgresql":
            self.skipTest("TEST_DATABASE_URL is not a PostgreSQL database")
        if shutil.which("pg_dump") is None:
            self.skipTest("pg_dump is not installed")
        self.folder = Path(tempfile.mkdtemp(prefix="flasky-pg-backup-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.create_user("ada")

    def test_a_custom_format_dump_that_pg_restore_reads(self):
        target = self.folder / "flasky.dump"
        db.session.commit()  # pg_dump waits for no lock of ours
        result = self.app.test_cli_runner().invoke(args=["backup", "--output", str(target)])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertEqual(target.read_bytes()[:5], b"PGDMP")
        listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True,
                                 text=True, check=True).stdout
        self.assertIn("TABLE DATA public users", listing)
