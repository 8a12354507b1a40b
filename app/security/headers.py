"""Every response's hardening headers: a Content-Security-Policy whose script
nonce is the one templates print with ``csp_nonce()``, and the usual others."""

import base64
import hashlib

from flask import Response, current_app, g

from app.security.rate_limits import retry_after_seconds
from app.templating import csp_nonce

GRAVATAR_ORIGIN = "https://secure.gravatar.com"

def _style_attribute_hash(style: str) -> str:
    digest = hashlib.sha256(style.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Flask-Moment hides each timestamp with style="display: none" until its script
# renders it. Allowing exactly that attribute by hash keeps style-src free of
# 'unsafe-inline' (no other inline style can apply).
MOMENT_STYLE = _style_attribute_hash("display: none")

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)

def content_security_policy(nonce: str, gravatar: bool = False) -> str:
    """The policy for one response: only Flasky's own scripts, styles and frames."""
    images = "'self' data:" + (f" {GRAVATAR_ORIGIN}" if gravatar else "")
    directives = [
        ("default-src", "'self'"),
        ("script-src", f"'self' 'nonce-{nonce}'"),
        ("style-src", f"'self' 'unsafe-hashes' {MOMENT_STYLE}"),
        ("img-src", images),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
        ("frame-ancestors", "'none'"),
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def add_security_headers(response: Response) -> Response:
    """Set the hardening headers a view has not set itself."""
    headers = response.headers
    config = current_app.config
    present = {name.lower() for name, _ in headers.items()}  # one pass, not one per header
    added = [(name, value) for name, value in FIXED_HEADERS if name.lower() not in present]
    if "content-security-policy" not in present:
        added.append(("Content-Security-Policy", content_security_policy(
            csp_nonce(), gravatar=config["FLASKY_GRAVATAR"])))
    if config["FLASKY_HSTS_SECONDS"] > 0 and "strict-transport-security" not in present:
        added.append(("Strict-Transport-Security", f"max-age={config['FLASKY_HSTS_SECONDS']}"))
    headers.extend(added)
    if response.status_code == 429:
        _add_retry_after(response)
    return response


def _add_retry_after(response: Response) -> None:
    """Tell a throttled client when the limit it hit frees up again."""
    if "Retry-After" in response.headers:
        return
    response.headers["Retry-After"] = str(retry_after_seconds())


def fresh_nonce() -> None:
    """Start each request without a nonce, even when it shares an app
    context (and so ``g``) with an earlier one, as requests in tests do."""
    g.pop("csp_nonce", None)
