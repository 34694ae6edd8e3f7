"""`mailer run`'s loop: tick at once, then whenever mail arrives and at least every tick_every.

It only wakes the tick; `tick` decides what is due. New mail rings the bell through the IDLE
watch (watch.py); without IDLE the schedule alone drives it (polling). A tick in trouble (a
server down, a refused login, a locked database, a bug) is said once per outage (outages.py) and
retried with backoff, never more than tick_every apart; the worker never dies of a tick.
SIGTERM and Ctrl-C end the loop after the email in hand: the tick stops sending between two
emails, and since it records before it sends, what it did not hand over stays due for the next
start. SIGHUP re-reads the config at once (it is also re-read whenever the file changes).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mailer import clock
from mailer.adapters.imap_idle import RENEW_SECONDS
from mailer.config import ServerSettings
from mailer.daemon.logs import event
from mailer.daemon.outages import SERVERS, Outages, backoff
from mailer.daemon.settings import Settings
from mailer.daemon.watch import MailWatch
from mailer.errors import DatabaseError, MailerError
from mailer.runtime import TickRunning, run_tick

log = logging.getLogger("mailer.worker")


@dataclass(frozen=True)
class Options:
    """How the worker runs, from the command line."""

    every: timedelta | None = None  # --every; None: [worker] tick_every
    idle: bool = True  # False: --no-idle, poll on the schedule only
    renew: float = RENEW_SECONDS  # seconds in one IDLE before it is renewed


class Bell:
    """What wakes the loop: mail, a signal to stop, a signal to re-read the config."""

    def __init__(self) -> None:
        self.rung = threading.Event()
        self.mail = threading.Event()
        self.stop = threading.Event()
        self.reload = threading.Event()
        self.why = ""  # the signal that stopped it, for the last line

    def ring(self, why: threading.Event) -> None:
        why.set()
        self.rung.set()

    def wait(self, seconds: float) -> None:
        # Capped at a second so that a signal is acted on promptly even if the wakeup is missed.
        self.rung.wait(min(max(seconds, 0.0), 1.0))
        self.rung.clear()


def tick_once(
    settings: Settings,
    now: datetime,
    outages: Outages,
    stopping: Callable[[], bool] = lambda: False,
) -> bool:
    """One tick; True when a server or the tick itself is in trouble, so it is retried soon."""
    config = settings.current()
    if config is None:
        return False  # nothing to act on until the file is valid: said once by Settings
    trouble: dict[str, str] = {}
    try:
        summary = run_tick(config, now, stopping=stopping)
    except TickRunning as exc:  # a `mailer tick` by hand is running: ours goes next
        trouble["database"] = str(exc)
    except (DatabaseError, MailerError) as exc:
        trouble["tick"] = str(exc)
    except Exception as exc:  # a bug must not stop the worker: the next tick may do better
        log.debug("the failed tick's traceback", exc_info=True)
        trouble["tick"] = f"tick failed: {type(exc).__name__}: {exc}"
    else:
        event(logging.DEBUG, "tick", "tick: " + "; ".join(summary.lines()))
        for problem in summary.problems:
            server, _, detail = problem.partition(": ")
            if "will be retried" in server:
                trouble["smtp"] = problem
            elif server in SERVERS:
                trouble[server] = detail
            else:
                event(logging.WARNING, "problem", problem)
    for server, detail in trouble.items():
        outages.down(server, detail)
    if not trouble.keys() & {"tick", "database"}:  # else no server was even asked
        # Recovered only when asked and answered: a tick that had nothing due for SMTP, or
        # waited GitHub out, says nothing of them.
        asked = {"imap", "smtp", "github"}
        outages.up(
            s for s in SERVERS if s not in trouble and (s not in asked or s in summary.reached)
        )
    return any(s != "github" for s in trouble)


def serve(
    config_path: Path,
    options: Options = Options(),
    settings: Settings | None = None,
    bell: Bell | None = None,
) -> None:
    """Tick now, on mail and on the schedule, until SIGTERM, Ctrl-C or `bell.stop`."""
    settings = settings or Settings(config_path)
    bell = bell or Bell()
    outages = Outages()

    def imap() -> ServerSettings | None:
        return settings.good.imap if settings.good is not None else None

    watch = MailWatch(imap, lambda: bell.ring(bell.mail), outages, options.renew)
    how = "on new mail (IMAP IDLE) and " if options.idle else ""
    every = options.every or settings.every()
    event(
        logging.INFO,
        "started",
        f"started (pid {os.getpid()}): ticking {how}at least every {every.total_seconds() / 60:g} min",
    )
    failures = 0
    due = clock.steady()  # the next scheduled tick, on a clock a wall-clock jump cannot move
    with _signals(bell):
        try:
            while not bell.stop.is_set():
                # A stat a second: an edit is taken up (or said to be broken) within a second.
                before = settings.good
                if settings.current(force=bell.reload.is_set()) is not before and before:
                    due = clock.steady()  # an edit (a new invitee, a new time) acts at once
                bell.reload.clear()
                every = options.every or settings.every()
                if bell.mail.is_set() or clock.steady() >= due:
                    bell.mail.clear()
                    failures += 1
                    retry = backoff(failures, every)
                    if not tick_once(settings, clock.now(), outages, bell.stop.is_set):
                        failures, retry = 0, every
                    due = clock.steady() + clock.real_seconds(retry)
                    if options.idle and watch.ident is None and settings.good is not None:
                        watch.start()  # after the first tick: its errors are said first
                bell.wait(due - clock.steady())
        finally:
            watch.stop()
    why = f" on {bell.why}" if bell.why else ""
    event(logging.INFO, "stopped", f"stopped{why}, after the email in hand", signal=bell.why)


@contextmanager
def _signals(bell: Bell) -> Iterator[None]:
    """SIGTERM and Ctrl-C stop after the email in hand; SIGHUP re-reads the config."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only (tests run the loop in a thread)
        return

    def stopping(signum: int, frame: Any) -> None:
        if bell.stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C: the person means it
        # No logging here: the handler may interrupt a thread that holds the log's lock.
        bell.why = signal.Signals(signum).name
        bell.ring(bell.stop)

    def reloading(signum: int, frame: Any) -> None:
        bell.ring(bell.reload)

    handlers: dict[int, Callable[[int, Any], None]] = {
        signal.SIGTERM: stopping,
        signal.SIGINT: stopping,
        signal.SIGHUP: reloading,
    }
    old = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        yield
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)
