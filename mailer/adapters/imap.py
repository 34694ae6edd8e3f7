"""The IMAP adapter: reads new replies by (UIDVALIDITY, UID) and marks handled ones; never deletes.

Config in (`ServerSettings`), model dataclasses out (`InboundMail`). Library and socket errors
become `TransientError` (try again next tick) or `PermanentError` (the organizer must fix the
config), each with a one-line `detail` that names the config key to check.
"""

from __future__ import annotations

import contextlib
import imaplib
import socket
import ssl
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NoReturn

from imapclient import DELETED, IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from mailer.adapters import secrets
from mailer.config import ServerSettings
from mailer.errors import PermanentError, ServerError, TransientError
from mailer.model import Cursor, InboundMail

HANDLED_KEYWORD = "$RsvpHandled"


class Mailbox:
    """One logged-in IMAP session on `settings.folder`; use as a context manager."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self._client: IMAPClient | None = None
        self._info: dict[bytes, Any] = {}
        self._selected = False

    def __enter__(self) -> Mailbox:
        self._client = _connect(self.settings)
        try:
            with _errors(self.settings):
                self._status()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.logout()
            self._client = None

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            raise RuntimeError("Mailbox is not open: use it as `with Mailbox(settings) as box:`")
        return self._client

    @property
    def uidvalidity(self) -> int:
        """The folder's UIDVALIDITY as last seen; UIDs are only meaningful with it."""
        return int(self._info[b"UIDVALIDITY"])

    @property
    def handled_flag(self) -> str:
        """The flag `mark_handled` sets when there is no handled_folder.

        A keyword of our own keeps the organizer's view untouched (still unread, not starred) while
        being plain to find (`SEARCH KEYWORD $RsvpHandled`). Servers whose PERMANENTFLAGS lack `\\*`
        (pymap) cannot store new keywords; `\\Seen` is then the closest meaning, "already read by
        someone". `\\Flagged` would say the opposite: "needs attention".
        """
        permanent = {bytes(f).lower() for f in self._info.get(b"PERMANENTFLAGS", ())}
        return HANDLED_KEYWORD if b"\\*" in permanent else "\\Seen"

    def fetch_since(
        self, cursor: Cursor | None, batch_size: int = 500
    ) -> Iterator[list[InboundMail]]:
        """Messages with a UID above the cursor, oldest first, in batches; bodies are not marked \\Seen.

        A cursor from another UIDVALIDITY is ignored, so the whole folder is read again (the
        caller drops duplicates by Message-ID). When nothing is new this costs one STATUS,
        however large the folder: a SELECT makes Dovecot open the folder's index, which grows
        with the folder (12 ms at 10,000 messages, against 1 ms for STATUS).
        """
        with _errors(self.settings):
            self._status()  # fresh: a long-lived session does not see new mail otherwise
            uidvalidity = self.uidvalidity
            last = cursor.last_uid if cursor and cursor.uidvalidity == uidvalidity else 0
            uidnext = self._info.get(b"UIDNEXT")
            if not self._info.get(b"EXISTS") or (uidnext is not None and int(uidnext) <= last + 1):
                return
            self._select()
            uidvalidity = self.uidvalidity
            # RFC 3501 6.4.8: `n:*` always includes the highest UID, even when it is below n.
            uids = sorted(u for u in self.client.search(["UID", f"{last + 1}:*"]) if u > last)
        for start in range(0, len(uids), batch_size):
            chunk = uids[start : start + batch_size]
            with _errors(self.settings):
                data = self.client.fetch(chunk, ["INTERNALDATE", "BODY.PEEK[]"])
            batch = [
                InboundMail(
                    uidvalidity, uid, _utc(data[uid][b"INTERNALDATE"]), data[uid][b"BODY[]"]
                )
                for uid in chunk
                if uid in data  # expunged by someone else meanwhile
            ]
            if batch:
                yield batch

    def mark_handled(self, uids: Sequence[int], chunk: int = 500) -> None:
        """Move the messages to handled_folder if set, else flag them; never expunge other mail.

        Repeating it is harmless (UIDs already moved are ignored), as the tick's crash safety needs.
        """
        target = self.settings.handled_folder
        if not uids:
            return
        with _errors(self.settings):
            if not self._selected:
                self._select()
            if target and not self.client.folder_exists(target):
                self.client.create_folder(target)
            # Bounded UID lists: servers cap command length (Dovecot at 64 KiB).
            for start in range(0, len(uids), chunk):
                self._mark(list(uids[start : start + chunk]), target)

    def _mark(self, uids: list[int], target: str) -> None:
        client = self.client
        if not target:
            client.add_flags(uids, [self.handled_flag], silent=True)
        elif client.has_capability("MOVE"):
            client.move(uids, target)
        else:
            client.copy(uids, target)
            client.add_flags(uids, [DELETED], silent=True)
            # A plain EXPUNGE would also remove mail someone else flagged \Deleted; UID EXPUNGE
            # (RFC 4315, UIDPLUS) limits it to ours. Without it the copies stay, flagged.
            if client.has_capability("UIDPLUS"):
                client.uid_expunge(uids)

    def find_sent(self, message_ids: Sequence[str]) -> set[str]:
        """Which of `message_ids` are in [imap] sent_folder, where the provider files what we submit.

        A missing folder is a PermanentError naming the key. The folder is examined read-only;
        the replies' folder is selected again before anything is marked there.
        """
        folder = self.settings.sent_folder
        with _errors(self.settings):
            self._selected = False
            try:
                self.client.select_folder(folder, readonly=True)
            except imaplib.IMAP4.abort:
                raise
            except IMAPClientError as exc:
                missing = not self.client.folder_exists(folder)
                why = "does not exist" if missing else f"cannot be opened ({exc})"
                raise PermanentError(
                    "imap",
                    f"[imap] sent_folder '{folder}' {why}: set it to the folder your provider files sent mail in, or leave it empty",
                ) from exc
            return {mid for mid in message_ids if self.client.search(["HEADER", "Message-ID", mid])}

    def recent_headers(self, count: int) -> list[bytes]:
        """The header blocks of the newest `count` messages in the replies' folder (read-only)."""
        with _errors(self.settings):
            self._select()
            uids = sorted(self.client.search(["ALL"]))[-count:]
            data = self.client.fetch(uids, ["BODY.PEEK[HEADER]"]) if uids else {}
            return [bytes(data[uid][b"BODY[HEADER]"]) for uid in uids if uid in data]

    def describe(self) -> str:
        """One line for `mailer check`."""
        s = self.settings
        return (
            f"logged in as {s.username} at {s.host}:{s.port} (security {s.security}); "
            f"folder '{s.folder}' has {self._info.get(b'EXISTS', 0)} message(s)"
        )

    def _status(self) -> None:
        folder = self.settings.folder
        try:
            status = self.client.folder_status(folder, [b"MESSAGES", b"UIDNEXT", b"UIDVALIDITY"])
        except imaplib.IMAP4.abort:
            raise
        except IMAPClientError as exc:
            self._folder_error(exc)
        self._info = {
            **self._info,
            b"EXISTS": status[b"MESSAGES"],
            b"UIDNEXT": status[b"UIDNEXT"],
            b"UIDVALIDITY": status[b"UIDVALIDITY"],
        }

    def _select(self) -> None:
        try:
            self._info = self.client.select_folder(self.settings.folder)
            self._selected = True
        except imaplib.IMAP4.abort:
            raise
        except IMAPClientError as exc:
            self._folder_error(exc)

    def _folder_error(self, exc: IMAPClientError) -> NoReturn:
        folder = self.settings.folder
        with _errors(self.settings):
            missing = not self.client.folder_exists(folder)
        if missing:
            raise PermanentError(
                "imap", f"folder '{folder}' does not exist: check [imap] folder"
            ) from exc
        raise PermanentError(
            "imap", f"cannot open folder '{folder}': {exc}: check [imap] folder"
        ) from exc


def check_imap(settings: ServerSettings) -> str:
    """Connect, log in and open the folder; a one-line description, or a ServerError."""
    with Mailbox(settings) as box:
        box._select()
        return box.describe()


def _connect(settings: ServerSettings) -> IMAPClient:
    s = settings
    where = f"{s.host}:{s.port}"
    # Loading the system's CA store costs 16 ms: only when TLS is used.
    context = ssl.create_default_context() if s.security != "none" else None
    try:
        # imapclient defaults to ssl=True, which fails on a plain port with WRONG_VERSION_NUMBER.
        client = IMAPClient(
            s.host,
            port=s.port,
            ssl=s.security == "tls",
            ssl_context=context,
            timeout=s.timeout_seconds,
        )
    except ssl.SSLError as exc:
        raise PermanentError("imap", _tls_detail(where, exc)) from exc
    except TimeoutError as exc:
        raise TransientError(
            "imap", f"cannot connect to {where} (timed out): check [imap] host and port"
        ) from exc
    except ConnectionRefusedError as exc:
        raise TransientError(
            "imap", f"cannot connect to {where} (connection refused): check [imap] host and port"
        ) from exc
    except socket.gaierror as exc:
        raise TransientError(
            "imap", f"cannot resolve {s.host} ({exc.strerror}): check [imap] host"
        ) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise TransientError(
            "imap", f"cannot connect to {where} ({exc}): check [imap] host and port"
        ) from exc
    try:
        # imaplib writes a command and its literal separately: Nagle would delay each by 40 ms.
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.normalise_times = False  # keep INTERNALDATE's zone instead of naive local time
        if s.security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise PermanentError(
                    "imap",
                    f"{where} does not offer STARTTLS: check [imap] security (tls for port 993, none only for a local test server)",
                )
            try:
                client.starttls(context)
            except ssl.SSLError as exc:
                raise PermanentError("imap", _tls_detail(where, exc)) from exc
        with _errors(settings):
            _login(client, s)
    except BaseException:
        with contextlib.suppress(Exception):
            client.shutdown()
        raise
    return client


def _login(client: IMAPClient, s: ServerSettings) -> None:
    """LOGIN with the password, or AUTHENTICATE XOAUTH2 with an access token fetched just now."""
    if s.auth == "xoauth2" and not client.has_capability("AUTH=XOAUTH2"):
        raise PermanentError(
            "imap",
            f'{s.host}:{s.port} does not offer XOAUTH2: check [imap] auth ("password" for an app password)',
        )
    secret = secrets.secret(s)  # at each login: tokens expire
    try:
        if s.auth == "xoauth2":
            client.sasl_login("XOAUTH2", secrets.xoauth2_responder(s.username, secret))
        else:
            client.login(s.username, secret)
    except LoginError as exc:
        raise PermanentError("imap", secrets.refused(s)) from exc


def _tls_detail(where: str, exc: ssl.SSLError) -> str:
    reason = exc.reason or str(exc)
    return f"TLS with {where} failed ({reason}): check [imap] security and port (tls on 993, starttls on 143)"


@contextlib.contextmanager
def _errors(settings: ServerSettings) -> Iterator[None]:
    """Turn imapclient and socket errors into our ServerErrors."""
    where = f"{settings.host}:{settings.port}"
    try:
        yield
    except ServerError:
        raise
    except TimeoutError as exc:
        raise TransientError("imap", f"{where} timed out: {exc}") from exc
    except imaplib.IMAP4.abort as exc:
        raise TransientError("imap", f"connection to {where} lost: {exc}") from exc
    except IMAPClientError as exc:
        raise TransientError("imap", f"{where} refused a command: {exc}") from exc
    except OSError as exc:
        raise TransientError("imap", f"connection to {where} failed: {exc}") from exc


def _utc(value: datetime) -> datetime:
    # RFC 3501 INTERNALDATE always carries a zone; a naive value would be a parser default.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
