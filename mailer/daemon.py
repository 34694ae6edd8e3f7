"""`mailer run`: the worker that ticks on its own, so invitations and reminders go out on time.

It only wakes the tick; `tick` decides what is due. The config file is read afresh each time, so
an organizer's edit (a new time, a cancellation) takes effect at the next tick without a restart.
A tick that fails (a server down, a broken config) is reported and the worker keeps going.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import schedule

from . import clock
from . import config as config_module
from .errors import ConfigError, MailerError
from .runtime import run_tick

log = logging.getLogger("mailer.daemon")


def serve(
    config_path: Path,
    every: timedelta,
    say: Callable[[str], None],
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Tick now and then every `every`, until `stop()` says so (or Ctrl-C)."""

    def job() -> None:
        now = clock.now()
        try:
            summary = run_tick(config_module.load(config_path), now)
        except ConfigError as exc:
            say(
                f"{now:%Y-%m-%d %H:%M:%S} config.toml: {exc.message} (the worker keeps running; fix the file)"
            )
            return
        except MailerError as exc:
            say(f"{now:%Y-%m-%d %H:%M:%S} tick failed: {exc} (next try in {every})")
            return
        say(f"{now:%Y-%m-%d %H:%M:%S} " + "; ".join(summary.lines()))

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
