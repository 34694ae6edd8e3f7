"""The aiosmtpd half of a mail stack: scripted faults, counters and a record of envelopes.

Owns `SmtpServer` (the aiosmtpd handler: `fail_next`, `drop_next`, `reset`, delivery into the
stack's IMAP server) and `SmtpController`, the aiosmtpd `Controller` that runs it and counts
connections. The stack it delivers into is any `MailStack`; this module never starts IMAP.
"""

from __future__ import annotations

import asyncio
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

    def reset(self) -> None:
        """Forget scripted faults, counters and envelopes."""
        with self._lock:
            self._faults.clear()
            self.connections = self.accepted = 0
            self.envelopes.clear()

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
        content = envelope.original_content or b""
        try:
            for rcpt in envelope.rcpt_tos:
                await self._stack._deliver_async(self._stack.user(rcpt) or rcpt, content)
        except Exception as exc:  # the stack is a test double: report, never crash the server
            return f"451 4.3.0 Delivery failed: {exc}"
        with self._lock:
            self.accepted += 1
            self.envelopes.append((envelope.mail_from or "", list(envelope.rcpt_tos), content))
        return "250 OK"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and self._stack.password_ok(
            auth_data.login.decode(), auth_data.password.decode()
        )
        return AuthResult(success=ok, handled=False)


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
