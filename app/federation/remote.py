"""Requests to other servers: signed, with timeouts and a size limit, and
never to a private or loopback address (the SSRF guard) unless
FLASKY_FEDERATION_INSECURE_PEERS allows it (development and tests only).

The guard resolves the host once, refuses it when any of its addresses is not
public, and connects to the address it checked (so a second lookup cannot
point elsewhere); every redirect is checked the same way.
"""

import http.client
import ipaddress
import json
import socket
import ssl
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import current_app

from app.federation.addresses import split
from app.federation.keys import load_private_key
from app.federation.signatures import sign

TIMEOUT = 10  # seconds for connecting and for each read
MAX_RESPONSE_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
USER_AGENT = "Flasky (ActivityPub)"


class RemoteError(Exception):
    """Another server could not be asked, or answered something unusable."""


class Refused(RemoteError):
    """The address is not one Flasky may send requests to."""


def _insecure_allowed() -> bool:
    return bool(current_app.config["FLASKY_FEDERATION_INSECURE_PEERS"])


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for ``url``; Refused when the
    scheme or any address of the host is not allowed."""
    parts = split(url)
    insecure = _insecure_allowed()
    if parts.scheme not in (("https", "http") if insecure else ("https",)):
        raise Refused(f"only https:// addresses are allowed, not {url[:80]!r}")
    if not parts.hostname or parts.username or parts.password:
        raise Refused("the address has no host name, or carries credentials")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RemoteError(f"{parts.hostname} cannot be found") from error
    addresses = [info[4][0] for info in infos]
    if not insecure:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise Refused(f"{parts.hostname} is a private or local address")
    return parts.scheme, parts.hostname, port, addresses[0]


class _PinnedConnection(http.client.HTTPSConnection):
    """Connects to the address the guard checked; TLS still checks the host name."""

    def __init__(self, host: str, port: int, address: str, secure: bool) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        self.address, self.secure = address, secure

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        if self.secure:
            self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


def _once(method: str, url: str, headers: dict[str, str], body: bytes | None):
    scheme, host, port, address = check_url(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _PinnedConnection(host, port, address, secure=scheme == "https")
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read(MAX_RESPONSE_BYTES + 1)
    except (OSError, http.client.HTTPException) as error:
        raise RemoteError(f"{host} did not answer: {error}") from error
    finally:
        connection.close()
    if len(content) > MAX_RESPONSE_BYTES:
        raise RemoteError(f"{host} answered more than {MAX_RESPONSE_BYTES} bytes")
    return response.status, response.getheader("Location"), content


def signed_request(method: str, url: str, key_id: str, private_pem: str,
                   body: bytes | None = None, accept: str = ACCEPT) -> tuple[int, bytes, str]:
    """Send a signed request (following up to three redirects for a GET);
    returns (status, body, the URL that answered). RemoteError when it could
    not be sent."""
    private_key = load_private_key(private_pem)
    for _ in range(MAX_REDIRECTS + 1):
        if not split(url).hostname:
            raise Refused(f"{url[:80]!r} is not an address")
        headers = {**sign(method, url, key_id, private_key, body=body),
                   "Accept": accept, "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = "application/activity+json"
        status, location, content = _once(method, url, headers, body)
        if method != "GET" or status not in (301, 302, 303, 307, 308) or not location:
            return status, content, url
        url = urljoin(url, location)
    raise RemoteError("too many redirects")


def fetch_json(url: str, key_id: str, private_pem: str) -> tuple[str, Any]:
    """GET ``url`` signed; (the URL finally answered, its JSON document)."""
    status, content, url = signed_request("GET", url, key_id, private_pem)
    if status != 200:
        raise RemoteError(f"{urlsplit(url).hostname} answered {status}")
    try:
        return url, json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise RemoteError("the answer is not JSON") from error
