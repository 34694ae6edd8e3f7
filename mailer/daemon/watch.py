"""The IDLE watch: a thread that waits on the mailbox and rings the worker's bell when mail lands.

It owns one IMAP connection (adapters/imap_idle.py) and nothing else: it never reads or marks
mail, the tick does. IDLE is renewed every `renew` seconds (under RFC 2177's 29 minutes) and
after any disconnect, with backoff; an outage is reported to `Outages`, so it is said once. After
a reconnect it rings once, because mail may have arrived while it was away. A server without
IDLE is said once and the worker polls on its schedule.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from mailer.adapters.imap_idle import RENEW_SECONDS, IdleWatch
from mailer.config import ServerSettings
from mailer.daemon.logs import event
from mailer.daemon.outages import Outages, backoff
from mailer.errors import ServerError

RETRY_CAP = timedelta(minutes=5)


class MailWatch(threading.Thread):
    """Waits in IDLE on the [imap] folder; calls `ring()` when new mail arrives."""

    def __init__(
        self,
        settings: Callable[[], ServerSettings | None],
        ring: Callable[[], None],
        outages: Outages,
        renew: float = RENEW_SECONDS,
    ) -> None:
        super().__init__(name="imap-idle", daemon=True)  # daemon: never holds up the exit
        self._settings = settings
        self._ring = ring
        self._outages = outages
        self._renew = renew
        self._stop = threading.Event()
        self.polling = False  # set when the server turned out not to offer IDLE

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            settings = self._settings()
            if settings is None:
                self._stop.wait(1.0)
                continue
            try:
                with IdleWatch(settings) as watch:
                    if not watch.supported:
                        self.polling = True
                        event(
                            logging.INFO,
                            "polling",
                            f"imap: {settings.host} does not offer IDLE; the worker polls on its schedule",
                            server="imap",
                        )
                        return
                    self._outages.up(["imap"])
                    if failures:
                        self._ring()  # mail may have come while we were away
                    failures = 0
                    event(logging.DEBUG, "idle", f"imap: waiting in IDLE on {settings.folder}")
                    while not self._stop.is_set() and self._settings() == settings:
                        if watch.wait(self._renew, self._stop.is_set):
                            event(logging.DEBUG, "mail", "imap: new mail; ticking now")
                            self._ring()
            except ServerError as exc:
                failures += 1
                delay = backoff(failures, RETRY_CAP)
                self._outages.down("imap", exc.detail)
                self._pause(delay)
            except Exception as exc:  # a bug here must not end the watch: the tick would poll only
                failures += 1
                delay = backoff(failures, RETRY_CAP)
                self._outages.down("imap", f"IDLE failed: {type(exc).__name__}: {exc}")
                logging.getLogger(__name__).debug("the IDLE watch's traceback", exc_info=True)
                self._pause(delay)

    def _pause(self, delay: timedelta) -> None:
        """Wait out `delay`, or less: once the tick finds IMAP answering again, IDLE resumes
        at once rather than after a backoff grown long during the outage."""
        waited = 0.0
        while waited < delay.total_seconds() and not self._stop.is_set():
            if self._outages.recovered.wait(min(1.0, delay.total_seconds() - waited)):
                self._outages.recovered.clear()
                return
            waited += 1.0
