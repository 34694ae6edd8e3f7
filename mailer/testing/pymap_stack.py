"""`PymapStack`: a mail stack whose IMAP server is pymap's in-memory backend, in-process.

Owns running pymap on its own thread and event loop (no subprocess, no disk), adding users and
appending delivered mail (and the sender's Sent copies) through its session API, and the patch that makes pymap write each
IMAP response in one socket write.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
from collections.abc import Coroutine, Mapping
from datetime import datetime
from typing import Any, TypeVar

from .stack import HOST, MailStack, free_port

T = TypeVar("T")


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
        self._accept_tokens(backend, config)
        stack = contextlib.AsyncExitStack()
        await IMAPService(backend, config).start(stack)
        self._backend, self._exit = backend, stack

    def _accept_tokens(self, backend: Any, config: Any) -> None:
        """AUTHENTICATE XOAUTH2 with the stack's tokens, beside PLAIN and LOGIN (internal APIs)."""
        from pymap.backend.dict import Identity
        from pymap.exceptions import InvalidAuth
        from pysasl import SASLAuth
        from pysasl.creds.external import ExternalCredentials, ExternalVerificationRequired

        mechanisms = property(lambda _: SASLAuth.named([b"PLAIN", b"LOGIN", b"XOAUTH2"]))
        overrides = {"initial_auth": mechanisms, "tls_auth": mechanisms}  # loopback counts as TLS
        config.__class__ = type("TokenConfig", (type(config),), overrides)
        login = backend.login
        by_password = login.authenticate

        async def authenticate(credentials: Any) -> Any:
            if not isinstance(credentials, ExternalCredentials):
                return await by_password(credentials)
            try:
                credentials.verify(None)
            except ExternalVerificationRequired as needed:
                if needed.token and self.token_ok(credentials.authzid, needed.token):
                    return Identity(credentials.authzid, login, None, frozenset())
            raise InvalidAuth()

        login.authenticate = authenticate

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

    async def _file_async(self, address: str, raw: bytes, folder: str) -> None:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(self._append(address, raw, folder), self._loop)
        await asyncio.wrap_future(future)

    async def _append(self, address: str, raw: bytes, folder: str = "INBOX") -> None:
        from pymap import context
        from pymap.exceptions import MailboxConflict
        from pymap.parsing.message import AppendMessage

        context.connection_exit.set(contextlib.AsyncExitStack())  # sessions register cleanups
        async with self._identity(address).new_session() as session:
            if folder.upper() != "INBOX":
                with contextlib.suppress(MailboxConflict):
                    await session.create_mailbox(folder)
            await session.append_messages(folder, [AppendMessage(raw, datetime.now().astimezone())])


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
