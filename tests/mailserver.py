"""A real SMTP server for tests (aiosmtpd) on 127.0.0.1: plain, STARTTLS or implicit TLS with a
throw-away certificate, optional login, and a switch to refuse recipients."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (valid one day), made with Debian's openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    tls: bool
    login: str | None

    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    def html(self) -> str:
        return self.message.get_body(("html",)).get_content().replace("\r\n", "\n")


@dataclass
class Handler:
    refuse_code: str | None = None      # e.g. "550 5.1.1 No such user" or "451 4.3.0 Try later"
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_code:
            return self.refuse_code
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg,
                                          tls=session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
                                          login=login))
        return "250 Message accepted"


class MailServer:
    """Start with `start()`, stop with `stop()`. `url` is what STEUNWIJZER_SMTP_URL would say."""

    def __init__(self, tls: str = "none", cert: tuple[Path, Path] | None = None, users: dict[str, str] | None = None,
                 port: int | None = None) -> None:
        self.tls, self.cert, self.users = tls, cert, users or {}
        self.port = port or free_port()
        self.handler = Handler()
        self.controller: Controller | None = None

    def _context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(self.cert[0]), str(self.cert[1]))
        return ctx

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and self.users.get(auth_data.login.decode()) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data)  # handled=False: the server answers 535

    def start(self) -> "MailServer":
        kwargs: dict = {"hostname": "127.0.0.1", "port": self.port, "server_hostname": "mail.test"}
        if self.tls == "starttls":
            kwargs.update(tls_context=self._context(), require_starttls=True)
        elif self.tls == "implicit":
            kwargs.update(ssl_context=self._context())
        if self.users:
            kwargs.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=self.tls == "starttls")
        self.controller = Controller(self.handler, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def url(self, user: str | None = None, password: str | None = None, scheme: str | None = None, query: str = "") -> str:
        scheme = scheme or ("smtps" if self.tls == "implicit" else "smtp")
        auth = f"{user}:{password}@" if user else ""
        return f"{scheme}://{auth}127.0.0.1:{self.port}" + (f"?{query}" if query else "")
