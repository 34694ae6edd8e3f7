"""The SMTP adapter: sends a batch of outbox emails over one connection and reports each outcome.

Config in (`ServerSettings`), one `SendResult` per message out: 250 -> "sent"; 4xx, timeouts and
dropped connections -> "retry"; 5xx -> "failed" with the server's code and text. Per-message
problems never raise, so one bad address cannot hold back the rest of the batch. The caller hears
of each message twice: when it is handed to the server (`on_attempt`) and when the server answered
(`on_result`), so that a crash in between leaves a record saying the outcome is unknown.
"""

from __future__ import annotations

import asyncio
import email.utils
import ssl
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from typing import TypeAlias

import aiosmtplib
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPException,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPSenderRefused,
)

from mailer.adapters import secrets
from mailer.config import ServerSettings
from mailer.errors import PermanentError, ServerError, TransientError
from mailer.model import SendResult

# (outbox key, message): the message goes to its own To addresses; or (key, raw bytes, recipient).
Outgoing: TypeAlias = tuple[str, EmailMessage] | tuple[str, bytes, str]

MAX_RECONNECTS = 3  # per batch: a server that keeps dropping us is down, try again next tick
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def send_batch(
    settings: ServerSettings,
    messages: Sequence[Outgoing],
    sender: str,
    on_result: Callable[[SendResult], None] | None = None,
    on_attempt: Callable[[str], None] | None = None,
) -> list[SendResult]:
    """Send every message over one connection (reconnecting after a drop); one result each.

    `on_attempt` sees each key just before its message is handed to the server, and `on_result`
    sees each result as soon as the server answered, so the caller can record both: a crash
    then leaves at most the one email in flight unknown, and marked so.
    A refused login answers "retry" for every message, not "failed": the password is the
    organizer's to fix, and the emails themselves are fine, so nothing should be given up.
    """
    if not messages:
        return []
    return asyncio.run(_send_all(settings, messages, sender, on_result, on_attempt))


def check_smtp(settings: ServerSettings) -> str:
    """Connect, EHLO, secure the connection as configured and log in; one line, or a ServerError."""
    return asyncio.run(_check(settings))


async def _check(settings: ServerSettings) -> str:
    client = await _connect(settings)
    try:
        login = f"logged in as {settings.username}" if settings.username else "no login configured"
        return f"{settings.host}:{settings.port} (security {settings.security}): EHLO accepted, {login}"
    finally:
        await _quit(client)


async def _send_all(
    settings: ServerSettings,
    messages: Sequence[Outgoing],
    sender: str,
    on_result: Callable[[SendResult], None] | None,
    on_attempt: Callable[[str], None] | None = None,
) -> list[SendResult]:
    results = _Results(on_result)
    client: aiosmtplib.SMTP | None = None
    reconnects = 0
    try:
        for item in messages:
            key = item[0]
            if client is None or not client.is_connected:
                if client is not None:
                    if reconnects == MAX_RECONNECTS:
                        detail = f"connection to {settings.host}:{settings.port} kept dropping"
                        results.append(SendResult(key, "retry", None, detail))
                        continue
                    reconnects += 1
                try:
                    client = await _connect(settings)
                except ServerError as exc:
                    # Nothing more can be sent in this batch; every remaining email waits.
                    for rest in messages[len(results) :]:
                        results.append(SendResult(rest[0], "retry", exc.code, exc.detail))
                    return results
            if on_attempt is not None:
                on_attempt(key)
            try:
                results.append(await _send_one(client, item, sender))
            except ServerError as exc:
                for rest in messages[len(results) :]:
                    results.append(SendResult(rest[0], "retry", exc.code, exc.detail))
                return results
    finally:
        if client is not None:
            await _quit(client)
    return results


class _Results(list[SendResult]):
    """The batch's results, each also handed to `on_result` the moment it is known."""

    def __init__(self, on_result: Callable[[SendResult], None] | None) -> None:
        super().__init__()
        self.on_result = on_result

    def append(self, result: SendResult) -> None:
        super().append(result)
        if self.on_result is not None:
            self.on_result(result)


async def _send_one(client: aiosmtplib.SMTP, item: Outgoing, sender: str) -> SendResult:
    key = item[0]
    try:
        if len(item) == 3:
            _, raw, recipient = item
            errors, _ = await client.sendmail(sender, [recipient], raw)
        else:
            message = item[1]
            to = [addr for _, addr in email.utils.getaddresses(message.get_all("To", [])) if addr]
            if not to:
                return SendResult(key, "failed", None, "the message has no To address")
            errors, _ = await client.send_message(message, sender=sender, recipients=to)
    except SMTPRecipientsRefused as exc:
        first = exc.recipients[0]
        codes = [r.code for r in exc.recipients]
        status = "retry" if all(400 <= c < 500 for c in codes) else "failed"
        return SendResult(key, status, first.code, f"{first.recipient}: {first.message}")
    except SMTPSenderRefused as exc:
        # A permanent refusal of our MAIL FROM (530 auth required, 553 not your address) is the
        # config's fault, not this email's: every email waits for the organizer's fix.
        if exc.code < 500:
            return SendResult(key, "retry", exc.code, exc.message)
        raise PermanentError(
            "smtp",
            f"the server refused {sender} as sender ({exc.code} {exc.message}): check [organizer] email and [smtp] username",
            exc.code,
        ) from exc
    except SMTPResponseException as exc:
        status = "retry" if 400 <= exc.code < 500 else "failed"
        return SendResult(key, status, exc.code, exc.message)
    except (SMTPException, OSError) as exc:
        # Timeouts, a dropped connection: the server may be fine in a minute. After a timeout the
        # late reply would be read as the next command's: start the next message afresh.
        client.close()
        return SendResult(key, "retry", None, f"{type(exc).__name__}: {exc}")
    except ValueError as exc:  # aiosmtplib refuses an address that cannot be sent safely
        return SendResult(key, "failed", None, str(exc))
    if errors:  # some of several To addresses were refused; the others have it, so it is sent
        refused = ", ".join(f"{addr} ({r.code} {r.message})" for addr, r in errors.items())
        return SendResult(key, "sent", 250, f"refused for {refused}")
    return SendResult(key, "sent", 250, "")


async def _connect(settings: ServerSettings) -> aiosmtplib.SMTP:
    """A connected, EHLO'd, secured and logged-in client, or a ServerError with a clear detail."""
    s = settings
    where = f"{s.host}:{s.port}"
    client = aiosmtplib.SMTP(
        hostname=s.host,
        port=s.port,
        timeout=s.timeout_seconds,
        use_tls=s.security == "tls",
        # None would mean "STARTTLS whenever offered": say exactly what the config asks for.
        start_tls=s.security == "starttls",
        tls_context=ssl.create_default_context() if s.security != "none" else None,
        # socket.getfqdn() would ask DNS about our own name; a loopback server does not care.
        local_hostname="localhost" if s.host in LOOPBACK else None,
    )
    try:
        await client.connect()
    except (SMTPException, OSError) as exc:
        client.close()
        raise _connect_error(where, exc) from exc
    if s.username:
        try:
            await _login(client, s)
        except ServerError:
            await _quit(client)
            raise
        except SMTPAuthenticationError as exc:
            await _quit(client)
            raise PermanentError("smtp", secrets.refused(s), exc.code) from exc
        except (aiosmtplib.SMTPTimeoutError, aiosmtplib.SMTPServerDisconnected) as exc:
            await _quit(client)
            raise TransientError("smtp", f"login at {where} failed: {exc}") from exc
        except SMTPException as exc:
            await _quit(client)
            raise PermanentError(
                "smtp",
                f"login at {where} failed ({exc}): check [smtp] security (many servers offer AUTH only over TLS) and username",
            ) from exc
    return client


async def _login(client: aiosmtplib.SMTP, s: ServerSettings) -> None:
    """AUTH with the password, or AUTH XOAUTH2 with an access token fetched just now."""
    secret = secrets.secret(s)  # at each login: tokens expire
    if s.auth != "xoauth2":
        await client.login(s.username, secret)
        return
    if client.last_ehlo_response is None:
        await client.ehlo()
    if "xoauth2" not in client.server_auth_methods:
        raise PermanentError(
            "smtp",
            f'{s.host}:{s.port} does not offer XOAUTH2: check [smtp] auth ("password" for an app password) and security',
        )
    await client.auth_xoauth2(s.username, secret)


def _connect_error(where: str, exc: BaseException) -> ServerError:
    """The organizer-facing reason a connection could not be set up."""
    chain = [exc]
    while chain[-1].__cause__ or chain[-1].__context__:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)  # type: ignore[arg-type]
    tls = next((e for e in chain if isinstance(e, ssl.SSLError)), None)
    if tls is not None:
        return PermanentError(
            "smtp",
            f"TLS with {where} failed ({tls.reason or tls}): check [smtp] security and port (tls on 465, starttls on 587)",
        )
    if "STARTTLS" in str(exc):
        return PermanentError(
            "smtp",
            f"{where} does not offer STARTTLS: check [smtp] security (tls for port 465, none only for a local test server)",
        )
    if any(isinstance(e, TimeoutError) for e in chain):
        why = "timed out"
    elif any(isinstance(e, ConnectionRefusedError) for e in chain):
        why = "connection refused"
    else:
        why = str(exc)
    return TransientError("smtp", f"cannot connect to {where} ({why}): check [smtp] host and port")


async def _quit(client: aiosmtplib.SMTP) -> None:
    try:
        await client.quit()
    except (SMTPException, OSError):
        client.close()
