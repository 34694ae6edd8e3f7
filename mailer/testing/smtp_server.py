"""The aiosmtpd half of a mail stack: scripted faults, counters and a record of envelopes.

Owns `SmtpServer` (the aiosmtpd handler: `fail_next`, `drop_next`, `hold_next`, `file_sent`,
`reset`, delivery into the stack's IMAP server) and `SmtpController`, the aiosmtpd `Controller`
that runs it and counts connections. The stack it delivers into is any `MailStack`; this module
never starts IMAP.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import threading
from typing import TYPE_CHECKING, Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

if TYPE_CHECKING:
    from .stack import MailStack

STAGES = ("MAIL", "RCPT", "DATA")


class SmtpServer:
    """The aiosmtpd side of a stack: counters, a record of envelopes and scripted faults."""

    def __init__(self, stack: MailStack) -> None:
        self._stack = stack
        self._lock = threading.Lock()
        self._faults: list[list[Any]] = []  # [stage, code, message, times, stall]; code 0 = drop
        self.connections = 0
        self.accepted = 0
        self.envelopes: list[tuple[str, list[str], bytes]] = []  # mail_from, rcpt_tos, content
        self.sent_folder = ""  # file_sent: where the sender's copy of accepted mail goes
        self._hold: list[float] | None = None  # [messages to let through first, seconds]
        self.held = threading.Event()  # set while a 250 is being held back
        self._release = threading.Event()

    def fail_next(
        self, code: int = 451, stage: str = "RCPT", times: int = 1, message: str = ""
    ) -> None:
        """Answer `code` (with `message`) at the next `times` MAIL, RCPT or DATA commands."""
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
        text = message or ("4.3.0 Try again later" if code < 500 else "5.7.1 Refused")
        with self._lock:
            self._faults.append([stage, code, text, times, 0.0])

    def drop_next(self, stage: str = "DATA", times: int = 1, stall: float = 0.0) -> None:
        """Close the connection without a reply at the next `times` commands of `stage`.

        With `stall`, first keep the client waiting that many seconds (to make it time out).
        The message is never delivered, so a client that retries it cannot cause a double.
        """
        self.fail_next(0, stage, times, "drop")
        with self._lock:
            self._faults[-1][4] = stall

    def hold_next(self, seconds: float, skip: int = 0) -> None:
        """Deliver the next message (after letting `skip` through), then hold its 250 back.

        The hold lasts `seconds` or until `release()`; `held` is set meanwhile. A client killed
        during it is a client killed between the server's acceptance and its own record of it.
        """
        with self._lock:
            self._hold = [float(skip), seconds]
            self.held.clear()
            self._release.clear()

    def release(self) -> None:
        """End a hold now (the held 250 goes out, to a client that may be gone), or cancel one
        that has not begun."""
        with self._lock:
            self._hold = None
        self._release.set()

    def file_sent(self, folder: str = "Sent") -> None:
        """File a copy of every accepted message in the sender's `folder`, as Gmail does ("" = off).

        The sender is the logged-in user, else the MAIL FROM address if it is a user of the stack.
        """
        self.sent_folder = folder

    def reset(self) -> None:
        """Forget scripted faults, holds, filing, counters and envelopes."""
        with self._lock:
            self._faults.clear()
            self.connections = self.accepted = 0
            self.envelopes.clear()
            self.sent_folder = ""
            self._hold = None
        self._release.set()

    async def _fault(self, server: SMTP, stage: str) -> str | None:
        with self._lock:
            for fault in self._faults:
                if fault[0] == stage:
                    fault[3] -= 1
                    if fault[3] <= 0:
                        self._faults.remove(fault)
                    break
            else:
                return None
        if fault[1] == 0:
            await asyncio.sleep(fault[4])  # a server that hangs, on the server's loop
            transport = server.transport
            assert isinstance(transport, asyncio.Transport)
            transport.abort()
            return "421 4.4.2 Connection dropped"  # nobody reads it: the socket is gone
        return f"{fault[1]} {fault[2]}"

    # aiosmtpd handler hooks, run on the Controller's event loop thread.
    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if refusal := await self._fault(server, "MAIL"):
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if refusal := await self._fault(server, "RCPT"):
            return refusal
        if self._stack.user(address) is None:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if refusal := await self._fault(server, "DATA"):
            return refusal
        # Once the data is in, the message is stored whole (delivered, filed, counted) even if
        # the client goes away meanwhile, as a provider does: aiosmtpd cancels the handler of a
        # lost connection, which would otherwise leave an inbox copy without its Sent copy.
        failure = await asyncio.shield(self._store(session, envelope))
        if failure:
            return failure
        await self._held()
        return "250 OK"

    async def _store(self, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        owner = self._owner(session, envelope)
        try:
            for rcpt in envelope.rcpt_tos:
                await self._stack._deliver_async(self._stack.user(rcpt) or rcpt, content)
            if self.sent_folder and owner:
                await self._stack._file_async(owner, content, self.sent_folder)
        except Exception as exc:  # the stack is a test double: report, never crash the server
            return f"451 4.3.0 Delivery failed: {exc}"
        with self._lock:
            self.accepted += 1
            self.envelopes.append((envelope.mail_from or "", list(envelope.rcpt_tos), content))
        return ""

    def _owner(self, session: Session, envelope: Envelope) -> str | None:
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else b""
        return self._stack.user(login.decode()) or self._stack.user(envelope.mail_from or "")

    async def _held(self) -> None:
        with self._lock:
            if self._hold is None:
                return
            if self._hold[0] > 0:
                self._hold[0] -= 1
                return
            seconds, self._hold = self._hold[1], None
        self.held.set()
        waited = 0.0
        while waited < seconds and not self._release.is_set():
            await asyncio.sleep(0.01)  # on the server's loop: other connections go on
            waited += 0.01

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and self._stack.password_ok(
            auth_data.login.decode(), auth_data.password.decode()
        )
        return AuthResult(success=ok, handled=False)

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """AUTH XOAUTH2 as Gmail answers it: a bad token gets an error challenge, then 535."""
        blob = args[1].encode() if len(args) > 1 else await server.challenge_auth("")
        if not isinstance(blob, bytes):
            return AuthResult(success=False, handled=True)  # aborted; aiosmtpd answered
        try:
            data = base64.b64decode(blob, validate=True) if len(args) > 1 else blob
            fields = dict(f.split(b"=", 1) for f in data.split(b"\x01") if f)
            user, token = fields[b"user"].decode(), fields[b"auth"].decode().split(" ", 1)[1]
        except (ValueError, KeyError, IndexError, binascii.Error):
            return AuthResult(
                success=False, handled=False, message="501 5.5.2 Cannot parse XOAUTH2 response"
            )
        if self._stack.token_ok(user, token):
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        await server.challenge_auth('{"status":"401","schemes":"Bearer","scope":"mail"}')
        return AuthResult(success=False, handled=False)  # then 535, as Gmail ends it


class _QuietSession(Session):
    # aiosmtpd 1.4 sets this deprecated attribute itself on every AUTH and logs a warning each time.
    login_data = None


class SmtpController(Controller):
    """Counts connections: a batch test checks that one connection carried every message."""

    def factory(self) -> SMTP:
        handler: SmtpServer = self.handler

        class CountingSMTP(SMTP):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                with handler._lock:
                    handler.connections += 1
                super().connection_made(transport)

            def _create_session(self) -> Session:
                return _QuietSession(self.loop)

        return CountingSMTP(self.handler, **self.SMTP_kwargs)
