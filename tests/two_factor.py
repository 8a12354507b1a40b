"""Helpers for the two-factor tests: turning it on for a user as the settings
page would, and codes of the authenticator app at a given time step.

The test case holds the two-factor clock still in the middle of a time step, so a
test never sees the step change between taking a code and sending it (the code of
the step before now would turn "expired" at the boundary)."""

import time
from unittest import mock

import pyotp

from app import db
from app.auth import two_factor
from app.models import TwoFactor, User
from tests.base import FlaskyTestCase


def code_at(secret: str, offset_steps: int = 0) -> str:
    """The app's code ``offset_steps`` time steps from now (the clock the server
    checks codes with)."""
    return pyotp.TOTP(secret).at(two_factor.clock() + 30 * offset_steps)


def wrong_code(secret: str) -> str:
    """Six digits that are no code of the last five minutes nor the next minute."""
    near = {code_at(secret, offset) for offset in range(-12, 3)}
    return next(f"{number:06d}" for number in range(1000000) if f"{number:06d}" not in near)


class TwoFactorTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        middle_of_step = time.time() // 30 * 30 + 15
        clock = mock.patch.object(two_factor, "clock", return_value=middle_of_step)
        clock.start()
        self.addCleanup(clock.stop)

    def enable_two_factor(self, user: User) -> tuple[str, list[str]]:
        """Turn two-factor authentication on for ``user``; returns the secret and
        the recovery codes. Confirmed with the previous step's code, so the
        current code is still unused."""
        secret = two_factor.begin_setup(user)
        codes = two_factor.confirm_setup(user, code_at(secret, -1))
        db.session.commit()
        return secret, codes

    def password_step(self, email: str = "john@example.com", client=None, **extra):
        client = client or self.client
        return client.post("/auth/login", data={"email": email, "password": self.password,
                                                **extra})

    def code_step(self, code: str, client=None, follow_redirects: bool = False):
        return (client or self.client).post("/auth/two-factor", data={"code": code},
                                            follow_redirects=follow_redirects)

    def logged_in(self, client=None) -> bool:
        return (client or self.client).get("/auth/change-password").status_code == 200

    def two_factor_row(self, user_id: int) -> TwoFactor | None:
        db.session.expire_all()
        return db.session.get(TwoFactor, user_id)
