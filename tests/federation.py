"""Helpers of the federation tests: ActivityPub requests, and remote accounts
made directly in the database (as a fetched actor document would make them)."""

import json

from app.extensions import db
from app.federation.accounts import remote_email
from app.federation.keys import load_private_key, new_key_pair
from app.models import RemoteActor, User

AP = "application/activity+json"
AP_LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def get_document(client, path: str, accept: str = AP):
    return client.get(path, headers={"Accept": accept})


def make_remote_account(name: str = "remy", host: str = "remote.example"):
    """A remote account as if its actor document had been fetched; returns the
    actor and its private key (to sign as it)."""
    public_pem, private_pem = new_key_pair()
    uri = f"https://{host}/users/{name}"
    user = User(username=f"{name}@{host}", email=remote_email(uri),
                confirmed=True)
    db.session.add(user)
    actor = RemoteActor(user=user, uri=uri, key_id=f"{uri}#main-key", public_key_pem=public_pem,
                        inbox=f"{uri}/inbox", shared_inbox=f"https://{host}/inbox",
                        profile_url=f"https://{host}/@{name}", domain=host)
    db.session.add(actor)
    db.session.commit()
    return actor, load_private_key(private_pem)


def json_of(response) -> dict:
    return json.loads(response.get_data(as_text=True))


def post_activity(client, activity: dict, actor=None, key=None, path: str = "/federation/inbox",
                  body: bytes | None = None, now=None, headers: dict | None = None):
    """POST ``activity`` to an inbox, signed by ``key`` as ``actor`` (unsigned
    when no key); ``body`` replaces the signed body (to tamper with it)."""
    from app.federation.signatures import sign

    data = json.dumps(activity).encode()
    signed = {}
    if key is not None:
        signed = sign("POST", f"http://localhost{path}", actor.key_id, key, body=data, now=now)
    return client.post(path, data=body if body is not None else data,
                       headers={**signed, **(headers or {})}, content_type=AP)


class RecordingServer:
    """A loopback HTTP server that answers every request with ``status`` and
    keeps what it was sent (method, path, headers, body)."""

    def __init__(self, status: int = 202) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.status, self.requests, self.redirect_to = status, [], None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append(("POST", self.path, dict(self.headers.items()),
                                        self.rfile.read(length)))
                self.send_response(server.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):  # noqa: N802
                server.requests.append(("GET", self.path, dict(self.headers.items()), b""))
                self.send_response(302 if server.redirect_to else server.status)
                if server.redirect_to:
                    self.send_header("Location", server.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
