"""HTTP Signatures as Mastodon and the fediverse use them: draft-cavage-http-
signatures, ``rsa-sha256``, over ``(request-target) host date digest``, with a
``Digest: SHA-256=`` of the body. docs/federation.md says why these are written
here on ``cryptography`` rather than taken from a library.

``sign`` makes the headers of an outgoing request; ``verify`` checks an incoming
one and raises ``SignatureError`` saying what is wrong, which the inbox answers
with 401.
"""

import base64
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SIGNED_HEADERS = ("(request-target)", "host", "date", "digest")
SIGNED_HEADERS_GET = ("(request-target)", "host", "date")
DATE_WINDOW = timedelta(hours=12)
MAX_HEADER_LENGTH = 4096
PARAMETER = re.compile(r'\s*([a-zA-Z]+)="([^"]*)"\s*(?:,|$)')


class SignatureError(ValueError):
    """The request's signature cannot be trusted; the message says why."""


def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def signing_string(method: str, path: str, headers: Mapping[str, str],
                   names: tuple[str, ...] | list[str]) -> str:
    """The text that is signed: one ``name: value`` line per signed header.
    ``headers`` is keyed by lower-case names; ``path`` includes the query."""
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        elif name in headers:
            lines.append(f"{name}: {headers[name]}")
        else:
            raise SignatureError(f"the signed header {name!r} is missing")
    return "\n".join(lines)


def sign(method: str, url: str, key_id: str, private_key: rsa.RSAPrivateKey,
         body: bytes | None = None, now: datetime | None = None) -> dict[str, str]:
    """The headers (Host, Date, Digest for a body, Signature) of a signed request."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"host": parts.netloc, "date": http_date(now or datetime.now(UTC))}
    names = SIGNED_HEADERS_GET
    if body is not None:
        headers["digest"] = digest_header(body)
        names = SIGNED_HEADERS
    text = signing_string(method, path, headers, names)
    signature = private_key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"')
    return {name.title(): value for name, value in headers.items()}


def parse_signature(header: str | None) -> dict[str, str]:
    """The parameters of a Signature header; SignatureError if it has none or is malformed."""
    if not header:
        raise SignatureError("the request is not signed")
    if len(header) > MAX_HEADER_LENGTH:
        raise SignatureError("the Signature header is too long")
    parameters: dict[str, str] = {}
    position = 0
    while position < len(header):
        match = PARAMETER.match(header, position)
        if match is None:
            raise SignatureError("the Signature header is malformed")
        parameters[match[1]] = match[2]
        position = match.end()
    for required in ("keyId", "signature"):
        if not parameters.get(required):
            raise SignatureError(f"the Signature header has no {required}")
    if parameters.get("algorithm", "rsa-sha256") not in ("rsa-sha256", "hs2019"):
        raise SignatureError("only rsa-sha256 signatures are accepted")
    return parameters


def check_date(value: str | None, now: datetime | None = None) -> None:
    """The Date header is within 12 hours of now, either way."""
    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SignatureError("the Date header is missing or unreadable")
    if abs((now or datetime.now(UTC)) - moment) > DATE_WINDOW:
        raise SignatureError("the Date header is more than 12 hours away")


def verify(method: str, path: str, headers: Mapping[str, str], body: bytes | None,
           public_key: rsa.RSAPublicKey, now: datetime | None = None,
           required: tuple[str, ...] = SIGNED_HEADERS) -> dict[str, str]:
    """Check a request's signature, Date and Digest; returns the signature's
    parameters. ``headers`` is keyed by lower-case names."""
    parameters = parse_signature(headers.get("signature"))
    names = parameters.get("headers", "date").lower().split()
    missing = [name for name in required if name not in names]
    if missing:
        raise SignatureError(f"the signature does not cover {', '.join(missing)}")
    check_date(headers.get("date"), now)
    if body is not None and headers.get("digest") != digest_header(body):
        raise SignatureError("the Digest header does not match the body")
    try:
        signature = base64.b64decode(parameters["signature"], validate=True)
    except ValueError as error:
        raise SignatureError("the signature is not base64") from error
    text = signing_string(method, path, headers, names)
    try:
        public_key.verify(signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as error:
        raise SignatureError("the signature does not match") from error
    return parameters
