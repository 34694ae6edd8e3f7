"""IMAP IDLE (RFC 2177): one connection that only waits for mail to arrive, for `mailer run`.

The tick keeps its own short connections (imap.Mailbox); this one logs in, examines the replies'
folder read-only and waits in IDLE, so the worker can tick as soon as a reply lands instead of at
its next scheduled time. Servers drop an IDLE after 30 minutes of silence (RFC 2177 asks clients
to renew it before 29), so `wait` never idles longer than it is asked to and the caller renews.
Errors become `TransientError` or `PermanentError`, as in imap.py.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from mailer.adapters.imap import Mailbox, _errors
from mailer.errors import TransientError

RENEW_SECONDS = 25 * 60  # under the 29 minutes of RFC 2177, with room for a slow server
_SLICE = 1.0  # how often a wait looks at `stopping`, so a worker stops within a second
_ARRIVALS = (b"EXISTS", b"RECENT")


class IdleWatch(Mailbox):
    """A logged-in session in IDLE on `settings.folder`; use as a context manager."""

    def __enter__(self) -> IdleWatch:
        super().__enter__()
        try:
            with _errors(self.settings):
                self.client.select_folder(self.settings.folder, readonly=True)
        except BaseException:
            self.close()
            raise
        return self

    @property
    def supported(self) -> bool:
        """Whether the server offers IDLE; without it the worker polls on its schedule."""
        with _errors(self.settings):
            return self._client is not None and bool(self._client.has_capability("IDLE"))

    def wait(self, seconds: float, stopping: Callable[[], bool] = lambda: False) -> bool:
        """Idle up to `seconds` (or until `stopping()`); True as soon as new mail arrived.

        A connection the server closed (a restart, a BYE) is a TransientError, never a quiet
        return, so the caller reconnects instead of spinning on a dead socket.
        """
        client = self.client
        arrived = False
        with _errors(self.settings):
            client.idle()
            deadline = time.monotonic() + seconds
            try:
                while not arrived and not stopping():
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    began = time.monotonic()
                    responses = client.idle_check(timeout=min(left, _SLICE))
                    if not responses and time.monotonic() - began < min(left, _SLICE) * 0.5:
                        raise self._lost("closed the connection")
                    if any(_is_bye(r) for r in responses):
                        raise self._lost("said BYE")
                    arrived = any(_is_arrival(r) for r in responses)
            finally:
                # A dead connection cannot end its IDLE; the caller drops it anyway.
                with contextlib.suppress(TransientError), _errors(self.settings):
                    _, responses = client.idle_done()
                    arrived = arrived or any(_is_arrival(r) for r in responses)
        return arrived

    def _lost(self, how: str) -> TransientError:
        s = self.settings
        return TransientError("imap", f"{s.host}:{s.port} {how} (IDLE)")


def _is_arrival(response: object) -> bool:
    return isinstance(response, tuple) and len(response) >= 2 and response[1] in _ARRIVALS


def _is_bye(response: object) -> bool:
    return isinstance(response, tuple) and bool(response) and response[0] == b"BYE"
