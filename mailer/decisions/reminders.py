"""When reminders are due and how they speak of the time left; pure.

A reminder is due from its moment until the next one's (the last until the start), so a tick
after a long outage sends no stale one; its key follows the event's time, so a new time is a
new reminder; its words say the time actually left ("in a week", "tomorrow", "in 30 minutes").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mailer.config import Event
from mailer.config.meeting import Reminders
from mailer.model import OutboxKey


def span_label(span: timedelta) -> str:
    """ "7d", "1h", "30m": how a reminder is named in keys and config."""
    minutes = int(span.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def how_soon(span: timedelta) -> str:
    """A reminder's "when" as people say it: "in a week", "tomorrow", "in 3 hours", "in an hour"."""
    hours = span.total_seconds() / 3600
    if 6 * 24 <= hours <= 8 * 24:
        return "in a week"
    if hours >= 36:
        return f"in {round(hours / 24)} days"
    if hours >= 18:
        return "tomorrow"
    if hours >= 1.5:
        return f"in {round(hours)} hours"
    if hours >= 0.75:
        return "in an hour"
    return f"in {max(round(hours * 60), 1)} minutes"


def reminder_key(event: Event, person: str, span: timedelta) -> OutboxKey:
    """A reminder's key follows the event's time: a new time is a new reminder."""
    return OutboxKey(
        event.id, person, f"reminder-{span_label(span)}", int(event.starts.timestamp() // 60)
    )


def reminders_due(event: Event, reminders: Reminders, now: datetime) -> list[timedelta]:
    """The reminder whose moment has come and whose use has not passed: each one is good until the
    next one's moment (the last until the start), so a tick after a long outage sends no stale ones."""
    moments = [event.starts - span for span in reminders.before] + [event.starts]
    return [
        span
        for span, moment, until in zip(reminders.before, moments, moments[1:], strict=False)
        if moment <= now < until
    ]
