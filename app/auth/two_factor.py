"""Two-factor authentication: TOTP codes from an authenticator app (pyotp) and
ten single-use recovery codes, checked after the password.

The TOTP secret is stored encrypted with Fernet under a key derived from
SECRET_KEY (HKDF), so a copy of the database alone does not yield the codes.
Recovery codes are random (about 49 bits each), so a SHA-256 digest is enough
to store them: no slow hash is needed against guessing what is already random.
A code is accepted once: the time step it belongs to is remembered, and it and
every older step are refused afterwards. Views own the transaction; nothing
here commits. docs/security.md describes what people see.
"""

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, g
from flask_babel import _
from markupsafe import Markup

from app.extensions import db
from app.models import Permission, RecoveryCode, TwoFactor, User
from app.models.base import utcnow

ISSUER = "Flasky"
DIGITS = 6
# A code of the step before or after now still works (clocks drift by a few seconds).
ACCEPTED_OFFSETS = (0, -1, 1)
# An older code, up to five minutes, is told apart from a wrong one: "expired".
EXPIRED_OFFSETS = range(-2, -11, -1)
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
MAX_CODE_LENGTH = 40


class CodeRefused(Exception):
    """A code that was not accepted; ``str()`` is the sentence to show."""


def _refuse(sentence: str) -> CodeRefused:
    g.two_factor_failed = True  # the code-entry limits count only failed codes
    return CodeRefused(sentence)


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"flasky two-factor secrets").derive(
        str(current_app.config["SECRET_KEY"]).encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _decrypted(row: TwoFactor) -> str | None:
    """The row's secret, or None when SECRET_KEY changed since it was stored."""
    try:
        return _fernet().decrypt(row.secret_encrypted.encode()).decode()
    except InvalidToken:
        return None


def _secret_of(row: TwoFactor) -> str:
    secret = _decrypted(row)
    if secret is None:
        raise _refuse(_("Codes from your authenticator app cannot be checked at the moment. "
                        "Log in with a recovery code, then set up two-factor "
                        "authentication again."))
    return secret


def settings_of(user: User) -> TwoFactor | None:
    return TwoFactor.of(user.id)


def is_enabled(user: User) -> bool:
    row = settings_of(user)
    return row is not None and row.enabled


def required_for(user: User) -> bool:
    """Whether the FLASKY_REQUIRE_2FA_FOR_STAFF setting makes two-factor
    authentication compulsory for ``user`` (Moderators and Administrators)."""
    return (bool(current_app.config["FLASKY_REQUIRE_2FA_FOR_STAFF"])
            and user.can(Permission.MODERATE))


def must_set_up(user: User) -> bool:
    """Staff whom the setting sends to set up two-factor authentication first."""
    return required_for(user) and not is_enabled(user)


# -- setting up -----------------------------------------------------------------


def begin_setup(user: User) -> str:
    """A new secret for ``user``, waiting for its first code (replacing one that
    was never confirmed). Two-factor authentication already on is not touched."""
    row = settings_of(user)
    if row is not None and row.enabled:
        raise ValueError("two-factor authentication is already on")
    secret = pyotp.random_base32()
    encrypted = _fernet().encrypt(secret.encode()).decode()
    if row is None:
        db.session.add(TwoFactor(user_id=user.id, secret_encrypted=encrypted))
    else:
        row.secret_encrypted, row.created_at, row.last_used_step = encrypted, utcnow(), None
    return secret


def pending_secret(user: User) -> str | None:
    """The secret being set up, or None when setting up has not started."""
    row = settings_of(user)
    if row is None or row.enabled:
        return None
    return _decrypted(row)  # None too when unreadable: the page offers to start again


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> Markup:
    """The ``otpauth://`` address as an inline SVG QR code, drawn here: the
    secret never leaves the server for a QR code service."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="two-factor-qr",
        title=_("QR code for your authenticator app"))
    # segno draws the SVG from the QR modules; the only text in it is our own title,
    # which segno escapes. The address (with the email) is encoded, never written out.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704  # nosec B704


def confirm_setup(user: User, code: str) -> list[str]:
    """Turn two-factor authentication on with the first code from the app;
    returns the new recovery codes (shown once)."""
    row = settings_of(user)
    if row is None or row.enabled:
        raise _refuse(_("Start setting up two-factor authentication again."))
    row.last_used_step = _accepted_step(row, _totp_digits(code))
    row.confirmed_at = utcnow()
    return _new_recovery_codes(user)


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """Ten new recovery codes for a code from the app; the old ones stop working."""
    check_code(user, code, recovery_allowed=False)
    return _new_recovery_codes(user)


def disable(user: User) -> None:
    row = settings_of(user)
    if row is not None:
        db.session.delete(row)
    RecoveryCode.replace_all(user.id, [])


# -- checking codes ---------------------------------------------------------------


def check_code(user: User, code: str | None, recovery_allowed: bool = True) -> None:
    """Accept ``code`` (from the app, or a recovery code) or raise CodeRefused
    saying why: empty, wrong, expired, already used."""
    row = settings_of(user)
    if row is None or not row.enabled:
        raise _refuse(_("Two-factor authentication is not on for this account."))
    cleaned = _cleaned(code)
    if cleaned.isdigit() and len(cleaned) == DIGITS:
        row.last_used_step = _accepted_step(row, cleaned)
    elif recovery_allowed and cleaned:
        _use_recovery_code(user, cleaned)
    elif cleaned:
        raise _refuse(_("Enter the %(digits)d-digit code from your authenticator app.",
                        digits=DIGITS))
    else:
        raise _refuse(_("Enter the %(digits)d-digit code from your authenticator app, "
                        "or one of your recovery codes.", digits=DIGITS))


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.unused_count(user.id)


def _cleaned(code: str | None) -> str:
    text = (code or "")[:MAX_CODE_LENGTH]
    return "".join(char for char in text if char not in " -\t").lower()


def _totp_digits(code: str | None) -> str:
    cleaned = _cleaned(code)
    if not (cleaned.isdigit() and len(cleaned) == DIGITS):
        raise _refuse(_("Enter the %(digits)d-digit code from your authenticator app.",
                        digits=DIGITS))
    return cleaned


def clock() -> float:
    """Now, in seconds since the epoch: the instant codes are checked at."""
    return time.time()


def _step_matching(secret: str, digits: str, offsets) -> int | None:
    totp = pyotp.TOTP(secret)
    now = totp.timecode(clock())
    for offset in offsets:
        if hmac.compare_digest(totp.generate_otp(now + offset), digits):
            return now + offset
    return None


def _accepted_step(row: TwoFactor, digits: str) -> int:
    """The time step of ``digits``, which must be current and not used yet."""
    secret = _secret_of(row)
    step = _step_matching(secret, digits, ACCEPTED_OFFSETS)
    if step is not None:
        if row.last_used_step is not None and step <= row.last_used_step:
            raise _refuse(_("That code was already used. Wait for your app to show the "
                            "next one, then enter it."))
        return step
    if _step_matching(secret, digits, EXPIRED_OFFSETS) is not None:
        raise _refuse(_("That code has expired. Enter the code your app shows now."))
    raise _refuse(_("That code is not right. Enter the code your authenticator app shows "
                    "now for Flasky; if it keeps failing, check that your device's clock "
                    "is set automatically."))


def _recovery_digest(cleaned: str) -> str:
    return hashlib.sha256(cleaned.encode()).hexdigest()


def _use_recovery_code(user: User, cleaned: str) -> None:
    found = RecoveryCode.find(user.id, _recovery_digest(cleaned))
    if found is None:
        raise _refuse(_("That recovery code is not right. Check it letter by letter."))
    if found.used_at is not None:
        raise _refuse(_("That recovery code was already used. Each recovery code works "
                        "once: use another one."))
    found.used_at = utcnow()


def _new_recovery_codes(user: User) -> list[str]:
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _char in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.replace_all(user.id, [_recovery_digest(_cleaned(code)) for code in codes])
    return codes
