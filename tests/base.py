"""The one base class for Flasky's tests: a fresh app and schema per test."""

import re
import unittest
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from flask import g
from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app, db
from app.models import LoginSession, Role, User


class FlaskyClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``.

    The tests keep an app context pushed, which requests then share; without
    this, ``g`` (and the user Flask-Login caches in it) would leak from one
    request into the next, which never happens in a real server.
    """

    def open(self, *args: Any, **kwargs: Any):
        vars(g).clear()
        return super().open(*args, **kwargs)


class FlaskyTestCase(unittest.TestCase):
    """Creates the app with the testing config, an empty schema and the roles.

    Set ``config`` on a subclass (or on ``self`` before calling ``setUp``) to
    change settings; they are applied before the extensions are initialised.
    """

    config: dict[str, Any] = {}

    def setUp(self) -> None:
        self.app = create_app("testing", overrides=self.config)
        self.app_context = self.app.app_context()
        self.app_context.push()
        # A cleanup, not tearDown: it also runs when a subclass's setUp skips or fails
        # after this point, which would otherwise leave the context pushed for good.
        self.addCleanup(self.app_context.pop)
        db.drop_all()  # a crashed earlier run may have left tables behind
        db.create_all()
        Role.insert_roles()
        self.app.test_client_class = FlaskyClient
        self.client = self.app.test_client()

    def tearDown(self) -> None:
        db.session.remove()
        db.drop_all()
        db.engine.dispose()

    # -- helpers -------------------------------------------------------------

    password = "correct-horse-7"

    def create_user(self, username: str = "john", email: str | None = None,
                    confirmed: bool = True, role: str | None = None, **fields: Any) -> User:
        user = User(email=email or f"{username}@example.com", username=username,
                    password=fields.pop("password", self.password), confirmed=confirmed,
                    **fields)
        if role is not None:
            user.role = db.session.scalar(db.select(Role).filter_by(name=role))
        db.session.add(user)
        db.session.commit()
        return user

    def login(self, email: str = "john@example.com", password: str | None = None,
              follow_redirects: bool = True, **extra: Any):
        return self.client.post("/auth/login", data={
            "email": email, "password": password or self.password, **extra,
        }, follow_redirects=follow_redirects)

    def sign_in_directly(self, user: User, client: FlaskClient | None = None) -> None:
        """Log ``client`` in as ``user`` without the login form (for tests that turn
        CSRF on, where posting the form would need a token first)."""
        secret = LoginSession.open(user, False, "tests", timedelta(days=1))
        db.session.commit()
        with (client or self.client).session_transaction() as session:
            session["_user_id"] = f"{user.id}:{secret}"
            session["_fresh"] = True

    def logout(self):
        return self.client.post("/auth/logout", follow_redirects=True)

    @contextmanager
    def recorded_queries(self) -> Iterator[list[str]]:
        """The SQL statements the block runs, in order (to count them)."""
        statements: list[str] = []

        def record(conn, cursor, statement, *args: Any) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    def assertRedirectsTo(self, response, path: str) -> None:
        self.assertIn(response.status_code, (301, 302, 303, 307, 308), response.data[:300])
        location = response.headers["Location"]
        self.assertEqual(re.sub(r"^https?://[^/]+", "", location), path)
