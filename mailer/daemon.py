"""`mailer run`: the worker that ticks on its own, so invitations and reminders go out on time.

It only wakes the tick; `tick` decides what is due. The config file is read afresh each time, so
an organizer's edit (a new time, a cancellation) takes effect at the next tick without a restart.
An edit that breaks the file is said once, and the worker goes on with the last good config until
the file is fixed. A tick that fails in any way (a server down, a locked database, a bug) is one
line at ERROR, its traceback at DEBUG, and the next tick goes on: the worker never dies of a tick.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import schedule

from mailer import clock
from mailer import config as config_module
from mailer.errors import ConfigError, MailerError
from mailer.runtime import run_tick

log = logging.getLogger("mailer.daemon")


@dataclass
class Settings:
    """The config the worker acts on: the file's, or the last good one while the file is broken."""

    path: Path
    good: config_module.Config | None = None
    broken: str = ""  # the problem last said about the file, so it is said once

    def current(self, say: Callable[[str], None], now: datetime) -> config_module.Config | None:
        try:
            self.good = config_module.load(self.path)
        except ConfigError as exc:
            if exc.message != self.broken:
                self.broken = exc.message
                kept = "keeps the last good config" if self.good else "waits"
                say(
                    f"{_at(now)} {self.path.name}: {exc.message} (the worker {kept} until it is fixed)"
                )
            return self.good
        if self.broken:
            self.broken = ""
            say(f"{_at(now)} {self.path.name} is valid again; the worker uses it")
        return self.good


def _at(now: datetime) -> str:
    return f"{now:%Y-%m-%d %H:%M:%S}"


def tick_once(
    settings: Settings, now: datetime, every: timedelta, say: Callable[[str], None]
) -> None:
    """One scheduled tick; whatever goes wrong is reported and returns, so the worker goes on."""
    try:
        config = settings.current(say, now)
        if config is None:
            return
        summary = run_tick(config, now)
    except MailerError as exc:
        say(f"{_at(now)} tick failed: {exc} (next try in {every})")
        return
    except Exception as exc:  # a bug must not stop the worker: the next tick may do better
        log.error("tick failed: %s: %s (next try in %s)", type(exc).__name__, exc, every)
        log.debug("the failed tick's traceback", exc_info=True)
        return
    say(f"{_at(now)} " + "; ".join(summary.lines()))


def serve(
    config_path: Path,
    every: timedelta,
    say: Callable[[str], None],
    stop: Callable[[], bool] = lambda: False,
    first: config_module.Config | None = None,
) -> None:
    """Tick now and then every `every`, until `stop()` says so (or Ctrl-C)."""
    settings = Settings(config_path, good=first)

    def job() -> None:
        tick_once(settings, clock.now(), every, say)

    # A Scheduler of our own, never the module-level one: no hidden global state.
    scheduler = schedule.Scheduler()
    scheduler.every(int(every.total_seconds())).seconds.do(job)
    scheduler.run_all()
    try:
        while not stop():
            scheduler.run_pending()
            time.sleep(max(0.0, min(scheduler.idle_seconds or 1.0, 1.0)))
    except KeyboardInterrupt:
        log.info("stopped")
