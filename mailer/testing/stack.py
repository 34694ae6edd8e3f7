"""`MailStack`: an IMAP server plus an SMTP server delivering into it, on 127.0.0.1.

Owns the backend-independent part of a stack: its lifecycle (`start`, `stop`, `with`), its users,
delivering and reading mail over IMAP, and the `ServerSettings` that point our adapters at it. A
backend (Dovecot, pymap) subclasses it and fills in the IMAP hooks at the end. Also the small
loopback helpers the tests share: `free_port`, `nodelay`, `sample_message`, `without_trace`,
`DEMO_USERS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import os
import re
import socket
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from email.message import EmailMessage
from typing import ClassVar, Self

from aiosmtpd.controller import Controller
from imapclient import IMAPClient

from mailer.config import ServerSettings

from .smtp_server import SmtpController, SmtpServer

HOST = "127.0.0.1"
DEMO_USERS = {
    "organizer@example.test": "organizer-pw",
    "alice@example.test": "alice-pw",
    "bob@example.test": "bob-pw",
}


def sample_message(
    to: str, subject: str = "Roundtable", sender: str = "organizer@example.test", body: str = "Hi"
) -> EmailMessage:
    """A small text email with a fresh Message-ID, for tests and the demo."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = email.utils.make_msgid(domain="example.test")
    message.set_content(body)
    return message


def without_trace(raw: bytes) -> bytes:
    """A delivered message as its sender wrote it: without the trace headers the delivering
    server prepends (Return-Path, Delivered-To, Received); our emails begin with From."""
    found = re.search(rb"(?m)^From: ", raw)
    return raw[found.start() :] if found else raw


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (callers retry if it is taken)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def nodelay(client: IMAPClient) -> IMAPClient:
    # imaplib sends an APPEND literal and its CRLF in two writes: Nagle plus delayed ACK cost
    # 40 ms per command against pymap.
    client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return client


class MailStack:
    """An IMAP server and an SMTP server delivering into it, on 127.0.0.1; use `with`."""

    backend: ClassVar[str] = ""

    def __init__(self, users: Mapping[str, str] | None = None) -> None:
        self.users: dict[str, str] = {}  # lower-cased address -> password
        self.tokens: dict[str, str] = {}  # OAuth2 access token -> lower-cased address (XOAUTH2)
        self._initial = dict(users or {})
        self._env_set: list[str] = []
        self.smtp = SmtpServer(self)
        self.imap_port = 0
        self.smtp_port = 0
        self._controller: Controller | None = None

    # lifecycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        """Start both servers; a no-op when already started (`with open_stack(...)` is common)."""
        if self._controller is not None:
            return self
        self._start_imap()
        try:
            for address, password in self._initial.items():
                self.add_user(address, password)
            self.smtp_port = free_port()
            self._controller = SmtpController(
                self.smtp,
                hostname=HOST,
                port=self.smtp_port,
                authenticator=self.smtp.authenticate,
                auth_require_tls=False,  # loopback without certificates
                server_hostname="mailstack.test",  # no DNS lookup of our own name
            )
            self._controller.start()
            self.smtp.reset()  # the Controller's own readiness probe is not a client connection
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        self._stop_imap()
        for name in self._env_set:
            os.environ.pop(name, None)
        self._env_set.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # users -------------------------------------------------------------------------------
    def add_user(self, address: str, password: str) -> None:
        """Create a mailbox owner who can log in over IMAP and SMTP and receive mail."""
        self.users[address.lower()] = password
        self._add_imap_user(address.lower(), password)

    def user(self, address: str) -> str | None:
        """The canonical (lower-case) address of a user of this stack, or None."""
        address = address.strip("<>").lower()
        return address if address in self.users else None

    def password_ok(self, address: str, password: str) -> bool:
        return self.users.get(address.lower()) == password

    def add_token(self, address: str) -> str:
        """A fresh OAuth2 access token that logs `address` in by XOAUTH2 over IMAP and SMTP."""
        token = "ya29.test-" + os.urandom(12).hex()  # shaped like Google's, no secret anywhere
        self.tokens[token] = address.lower()
        return token

    def token_ok(self, address: str, token: str) -> bool:
        return self.tokens.get(token) == address.lower()

    # mail --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def imap(self, address: str) -> Iterator[IMAPClient]:
        """A logged-in IMAPClient for `address` (aware datetimes, TCP_NODELAY)."""
        client = nodelay(IMAPClient(HOST, port=self.imap_port, ssl=False, timeout=10))
        client.normalise_times = False
        try:
            client.login(address.lower(), self.users[address.lower()])
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def deliver(
        self, address: str, raw: bytes, when: datetime | None = None, folder: str = "INBOX"
    ) -> int:
        """Put `raw` into `folder` of `address` with INTERNALDATE `when`; returns its UID."""
        return self.deliver_many(address, [(raw, when)], folder)[0]

    def deliver_many(
        self,
        address: str,
        messages: Iterable[tuple[bytes, datetime | None]],
        folder: str = "INBOX",
    ) -> list[int]:
        """deliver() for many (raw, when) pairs over one IMAP connection; their UIDs."""
        uids = []
        with self.imap(address) as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            for raw, when in messages:
                reply = client.append(folder, raw, msg_time=when)
                found = re.search(rb"APPENDUID \d+ (\d+)", reply)
                uids.append(int(found.group(1)) if found else 0)
        return uids

    def messages(self, address: str, folder: str = "INBOX") -> list[bytes]:
        """Every message in `folder` of `address`, in UID order, read over IMAP."""
        with self.imap(address) as client:
            client.select_folder(folder, readonly=True)
            uids = sorted(client.search(["ALL"]))
            data = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
        return [data[uid][b"BODY[]"] for uid in uids if uid in data]

    # settings ----------------------------------------------------------------------------
    def imap_settings(
        self,
        address: str,
        folder: str = "INBOX",
        handled_folder: str = "",
        password_env: str = "",
        timeout_seconds: float = 5.0,
    ) -> ServerSettings:
        """[imap] settings that log in as `address`; its password is put in $password_env."""
        return ServerSettings(
            section="imap",
            host=HOST,
            port=self.imap_port,
            security="none",
            username=address.lower(),
            password_env=self._export(address, password_env),
            timeout_seconds=timeout_seconds,
            folder=folder,
            handled_folder=handled_folder,
        )

    def smtp_settings(
        self, address: str = "", password_env: str = "", timeout_seconds: float = 5.0
    ) -> ServerSettings:
        """[smtp] settings for the stack; with `address` they log in (AUTH PLAIN) as that user."""
        return ServerSettings(
            section="smtp",
            host=HOST,
            port=self.smtp_port,
            security="none",
            username=address.lower(),
            password_env=self._export(address, password_env) if address else "",
            timeout_seconds=timeout_seconds,
        )

    def _export(self, address: str, name: str) -> str:
        name = name or "MAILSTACK_PASSWORD_" + re.sub(r"\W", "_", address).upper()
        os.environ[name] = self.users[address.lower()]
        self._env_set.append(name)
        return name

    # backend hooks -----------------------------------------------------------------------
    def _start_imap(self) -> None:
        raise NotImplementedError

    def _stop_imap(self) -> None:
        raise NotImplementedError

    def _add_imap_user(self, address: str, password: str) -> None:
        raise NotImplementedError

    async def _deliver_async(self, address: str, raw: bytes) -> None:
        """Deliver one SMTP message to one local user; called on the SMTP server's loop."""
        raise NotImplementedError

    async def _file_async(self, address: str, raw: bytes, folder: str) -> None:
        """File the sender's copy of an accepted message in `folder` (created if missing).

        By IMAP APPEND, as a provider's own submission service files it; called on the SMTP
        server's loop. A backend may file more directly.
        """
        await asyncio.to_thread(self.deliver, address, raw, None, folder)
