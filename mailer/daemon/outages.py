"""Outages said once: "retrying" when a server first fails, "recovered" when it answers again.

The tick and the IDLE watch both report here, by server ("imap", "smtp", "github", "database",
"tick" for anything else), so an IMAP restart seen by both is still one pair of lines however
many retries it takes. `backoff` spaces the retries: 1 s, 2 s, 4 s ... up to a cap.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from datetime import timedelta

from mailer.daemon.logs import event

SERVERS = ("imap", "smtp", "github", "database", "tick")


def backoff(failures: int, cap: timedelta) -> timedelta:
    """How long to wait after `failures` failures in a row: doubling from one second, capped."""
    return min(timedelta(seconds=2 ** min(max(failures - 1, 0), 16)), cap)


class Outages:
    """Which servers are failing now, and since when (monotonic), shared by threads."""

    def __init__(self) -> None:
        self._down: dict[str, float] = {}
        self._said: dict[str, set[str]] = {}  # the causes already said, per failing server
        self._lock = threading.Lock()
        self.recovered = threading.Event()  # set when IMAP answers again (the IDLE watch waits)

    def down(self, server: str, detail: str) -> None:
        """`server` failed; said once per outage, and once more for each new cause (an expired
        token seen by the tick after the IDLE watch saw only a closed connection)."""
        with self._lock:
            said = self._said.setdefault(server, set())
            first = server not in self._down
            if not first and (detail in said or len(said) >= 5):
                return
            said.add(detail)
            self._down.setdefault(server, time.monotonic())
        level = logging.ERROR if server == "tick" else logging.WARNING
        text = (
            f"{server}: {detail} (retrying, said once until it recovers)"
            if first
            else f"{server}: still failing, now: {detail}"
        )
        event(level, "retrying", text, server=server, detail=detail)

    def up(self, servers: Iterable[str]) -> None:
        """These servers answered; each one that was failing is said to have recovered."""
        for server in servers:
            with self._lock:
                since = self._down.pop(server, None)
                self._said.pop(server, None)
            if since is not None and server == "imap":
                self.recovered.set()
            if since is not None:
                took = time.monotonic() - since
                event(
                    logging.INFO,
                    "recovered",
                    f"{server}: recovered after {took:.0f} s",
                    server=server,
                    outage_seconds=round(took, 1),
                )

    def failing(self, server: str) -> bool:
        with self._lock:
            return server in self._down
