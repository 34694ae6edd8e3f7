"""`mailer run`: the worker that ticks on its own, as soon as mail arrives and on a schedule.

One module per concern: loop.py (the loop, signals, ticks and their retries), watch.py (the IMAP
IDLE thread), settings.py (the config, re-read on change), outages.py (said once, with backoff),
lock.py (one worker per database), logs.py (events as text or JSON, secrets redacted).
"""

from mailer.daemon.lock import WorkerRunning, only_worker
from mailer.daemon.logs import setup as setup_logs
from mailer.daemon.loop import Bell, Options, serve, tick_once
from mailer.daemon.outages import Outages
from mailer.daemon.settings import Settings

__all__ = [
    "Bell",
    "Options",
    "Outages",
    "Settings",
    "WorkerRunning",
    "only_worker",
    "serve",
    "setup_logs",
    "tick_once",
]
