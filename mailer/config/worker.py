"""The [worker] table: how `mailer run` schedules its time-driven ticks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mailer.config.values import duration
from mailer.config.values import table as read_table
from mailer.errors import ConfigError

MINIMUM = timedelta(minutes=1)


def tick_every(data: dict[str, Any]) -> timedelta:
    """[worker] tick_every (default 1m): invitations, reminders and offers at least this often."""
    span = duration(read_table(data, "worker", required=False), "worker", "tick_every", "1m")
    if span < MINIMUM:
        raise ConfigError(
            "[worker] tick_every",
            f"must be at least 1m, got {span}",
            'set tick_every = "1m" (new mail wakes the worker at once anyway)',
        )
    return span
