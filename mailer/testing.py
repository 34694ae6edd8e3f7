"""Real mail servers on 127.0.0.1 for the tests, the sandbox tour and the benchmark.

A `MailStack` is an IMAP server plus an aiosmtpd SMTP server that delivers into it, with a set of
users (address -> password). Two backends share one interface: `DovecotStack` (Dovecot as a
subprocess, SMTP -> LMTP delivery, maildir in a temp dir) and `PymapStack` (pymap in-process,
in-memory). Faults are injected at the SMTP server (`stack.smtp.fail_next(451, "RCPT")`), so the
adapters are tested against real protocol behaviour. Recipes: /work/shared/docs/mail-test-stack.md.

    with open_stack("pymap", DEMO_USERS) as stack:
        settings = stack.imap_settings("alice@example.test")  # also sets the password env var
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import os
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Coroutine, Iterable, Iterator, Mapping
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from imapclient import IMAPClient

from .config import ServerSettings

HOST = "127.0.0.1"
DOVECOT = "/usr/sbin/dovecot"  # not on a non-root PATH on Debian
DEMO_USERS = {
    "organizer@example.test": "organizer-pw",
    "alice@example.test": "alice-pw",
    "bob@example.test": "bob-pw",
}
STAGES = ("MAIL", "RCPT", "DATA")
T = TypeVar("T")


def sample_message(
    to: str, subject: str = "Roundtable", sender: str = "organizer@example.test", body: str = "Hi"
) -> EmailMessage:
    """A small text email with a fresh Message-ID, for tests and the demo."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = email.utils.make_msgid(domain="example.test")
    message.set_content(body)
    return message


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


class _Controller(Controller):
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


class MailStack:
    """An IMAP server and an SMTP server delivering into it, on 127.0.0.1; use `with`."""

    backend: ClassVar[str] = ""

    def __init__(self, users: Mapping[str, str] | None = None) -> None:
        self.users: dict[str, str] = {}  # lower-cased address -> password
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
            self._controller = _Controller(
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


class DovecotStack(MailStack):
    """Dovecot (a passwd-file per user, maildir in a temp dir) fed by LMTP over a unix socket."""

    backend = "dovecot"

    def __init__(self, users: Mapping[str, str] | None = None) -> None:
        super().__init__(users)
        self._dir = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._lmtp_lock = threading.Lock()

    def _start_imap(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="mailstack-dovecot-")
        for sub in ("run", "state", "mail", "users"):
            os.mkdir(os.path.join(self._dir, sub))
        if os.geteuid() == 0:
            # auth runs as the packaged `dovecot` user and needs +x to reach users/; mail
            # processes cannot run as uid 0, so they run as nobody and own the maildirs.
            os.chmod(self._dir, 0o711)
            os.chown(os.path.join(self._dir, "mail"), 65534, 65534)
        for _attempt in range(5):
            self.imap_port = free_port()
            conf = os.path.join(self._dir, "dovecot.conf")
            with open(conf, "w") as handle:
                handle.write(_dovecot_conf(self._dir, self.imap_port))
            self._proc = subprocess.Popen(
                [DOVECOT, "-F", "-c", conf],
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if _wait_greeting(self.imap_port, self._proc):
                return
            self._stop_imap(keep_dir=True)  # most likely the port was taken meanwhile: retry
        log = os.path.join(self._dir, "dovecot.log")
        tail = Path(log).read_text()[-300:] if os.path.exists(log) else ""
        self._stop_imap()
        raise RuntimeError(f"dovecot did not start: {tail.strip() or 'no log'}")

    def _stop_imap(self, keep_dir: bool = False) -> None:
        if self._proc is not None:
            # The master alone leaves logged-in imap processes serving: stop the whole group.
            # SIGKILL, not SIGTERM: with TERM the master sometimes respawns log and anvil (they
            # died first) and then waits 6 s for them. The maildir is thrown away anyway.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
            self._proc = None
        if self._dir and not keep_dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = ""

    def _add_imap_user(self, address: str, password: str) -> None:
        # One passwd-file per user: Dovecot re-reads a passwd-file at most once a second, so a
        # user appended to a shared file could not log in for up to a second. A new file is
        # read on first use. (Changing a known user's password has that one-second lag.)
        path = os.path.join(self._dir, "users", address)
        with open(path + ".tmp", "w") as handle:
            handle.write(f"{address}:{{PLAIN}}{password}\n")
        os.replace(path + ".tmp", path)

    async def _deliver_async(self, address: str, raw: bytes) -> None:
        await asyncio.to_thread(self._lmtp, address, raw)

    def _lmtp(self, address: str, raw: bytes) -> None:
        # One recipient per LMTP transaction: smtplib reads one DATA reply, LMTP sends one each.
        with self._lmtp_lock, smtplib.LMTP(os.path.join(self._dir, "lmtp.sock")) as lmtp:
            lmtp.sendmail("mailstack@example.test", [address], raw)


def _dovecot_conf(d: str, port: int) -> str:
    if os.geteuid() == 0:
        user, group, uid, gid, chroot = "dovecot", "dovecot", 65534, 65534, ""
    else:  # rootless: every service runs as us, and unprivileged processes cannot chroot
        import grp
        import pwd

        uid, gid = os.getuid(), os.getgid()
        user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        chroot = "  chroot =\n"
    login_user = "dovenull" if os.geteuid() == 0 else user
    return f"""base_dir = {d}/run
state_dir = {d}/state
instance_name = mailstack-{port}
log_path = {d}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
auth_mechanisms = plain login
disable_plaintext_auth = no
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
mail_location = maildir:{d}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users/%u
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
{chroot}}}
service lmtp {{
  unix_listener {d}/lmtp.sock {{
    mode = 0666
  }}
}}
"""


def _wait_greeting(port: int, proc: subprocess.Popen[bytes], limit: float = 5.0) -> bool:
    """True once the server greets with `* OK`; an accepted TCP connection alone is not ready."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                if s.recv(64).startswith(b"* OK"):
                    return True
        except OSError:
            pass
        time.sleep(0.005)  # polling a starting subprocess, bounded by `limit`
    return False


class PymapStack(MailStack):
    """pymap's in-memory backend on its own thread and event loop; no subprocess, no disk."""

    backend = "pymap"

    def __init__(self, users: Mapping[str, str] | None = None) -> None:
        super().__init__(users)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._exit: contextlib.AsyncExitStack | None = None
        self._backend: Any = None

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    def _start_imap(self) -> None:
        _patch_pymap_writes()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        for attempt in range(5):
            self.imap_port = free_port()
            try:
                self._run(self._astart())
                return
            except OSError:  # the port was taken meanwhile
                if attempt == 4:
                    self._stop_imap()
                    raise

    async def _astart(self) -> None:
        from argparse import Namespace

        from pymap.backend.dict import DictBackend
        from pymap.concurrent import Subsystem
        from pymap.imap import IMAPService
        from pysasl.hashing import Cleartext

        args = Namespace(
            host=[HOST],
            port=str(self.imap_port),
            debug=False,
            cert=None,
            key=None,
            tls=False,
            inherited_sockets=None,
            proxy_protocol=None,
            passlib_cfg=None,
            demo_data=False,
            demo_user="postmaster@mailstack.test",
            demo_password=os.urandom(8).hex(),
        )
        # Cleartext and no failure delay: password hashing and the 0.3 s sleep are for real use.
        backend, config = await DictBackend.init(
            args,
            hash_context=Cleartext(),
            invalid_user_sleep=0.0,
            cpu_subsystem=Subsystem.for_asyncio(),  # not a thread pool per stack
        )
        stack = contextlib.AsyncExitStack()
        await IMAPService(backend, config).start(stack)
        self._backend, self._exit = backend, stack

    def _stop_imap(self) -> None:
        if self._loop is None:
            return
        if self._exit is not None:
            self._run(self._exit.aclose())
            self._exit = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert self._thread is not None
        self._thread.join(timeout=5)
        self._loop.close()
        self._loop = None

    def _identity(self, address: str) -> Any:
        from pymap.backend.dict import Identity

        return Identity(address, self._backend.login, None, frozenset())

    def _add_imap_user(self, address: str, password: str) -> None:
        from pymap.user import UserMetadata

        async def add() -> None:
            config = self._backend.config
            await self._identity(address).set(UserMetadata(config, address, password=password))

        self._run(add())

    async def _deliver_async(self, address: str, raw: bytes) -> None:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(self._append(address, raw), self._loop)
        await asyncio.wrap_future(future)

    async def _append(self, address: str, raw: bytes) -> None:
        from pymap import context
        from pymap.parsing.message import AppendMessage

        context.connection_exit.set(contextlib.AsyncExitStack())  # sessions register cleanups
        async with self._identity(address).new_session() as session:
            await session.append_messages(
                "INBOX", [AppendMessage(raw, datetime.now().astimezone())]
            )


@functools.cache
def _patch_pymap_writes() -> None:
    # pymap writes one response in several socket writes; imapclient's non-blocking IDLE reads
    # then see half a line ("unterminated line") now and then. Render first, write once.
    import io

    from pymap.imap import IMAPConnection

    async def write_response(self: Any, resp: Any) -> None:
        buffer = io.BytesIO()
        await resp.async_write(buffer)
        try:
            self.writer.write(buffer.getvalue())
            await self.writer.drain()
        except ConnectionError:
            pass

    IMAPConnection.write_response = write_response  # type: ignore[method-assign]


BACKENDS: dict[str, type[MailStack]] = {"dovecot": DovecotStack, "pymap": PymapStack}


def open_stack(backend: str = "", users: Mapping[str, str] | None = None) -> MailStack:
    """A started stack ("dovecot", "pymap", or "" for the best that runs here); use `with`."""
    if not backend:
        backend = next(name for name, why in available_backends().items() if not why)
    return BACKENDS[backend](users).start()


@functools.cache
def available_backends() -> dict[str, str]:
    """Backend name -> "" if it runs here, else a one-line reason; checked once per process."""
    reasons = {"dovecot": "", "pymap": ""}  # best first: Dovecot is what people really run
    try:
        import pymap.backend.dict  # noqa: F401
    except ImportError:
        reasons["pymap"] = "pymap not installed: pip install 'roundtable-mailer[sandbox]'"
    if not os.path.exists(DOVECOT):
        reasons["dovecot"] = (
            f"dovecot not installed ({DOVECOT}): apt-get install dovecot-imapd dovecot-lmtpd"
        )
    else:
        try:
            DovecotStack().start().stop()
        except Exception as exc:
            reasons["dovecot"] = f"dovecot cannot start here: {str(exc).splitlines()[0]}"
    return reasons
