"""A real SMTP server on 127.0.0.1 for tests that send mail (aiosmtpd)."""

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SMTPServer:
    """``with SMTPServer() as smtp:`` runs a server; ``smtp.port``, ``smtp.messages``."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = _Inbox()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def start(self) -> "SMTPServer":
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until ``count`` messages have arrived (or the timeout passes)."""
        with self.inbox.arrived:
            self.inbox.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        return self.messages

    def __enter__(self) -> "SMTPServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def app_config(self) -> dict:
        """Settings that point Flasky's mail at this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_USE_SSL": False, "MAIL_SUPPRESS_SEND": False,
                "FLASKY_MAIL_TO_CONSOLE": False}


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


class BlackHoleServer:
    """Accepts TCP connections and never says a word, like a firewalled relay."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.client_gave_up = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:  # closed by stop()
            return
        with connection:
            connection.settimeout(60)
            try:
                while connection.recv(1024):
                    pass
            except OSError:
                return
            self.client_gave_up.set()

    def stop(self) -> None:
        self.listener.close()
