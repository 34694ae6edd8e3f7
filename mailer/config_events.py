"""The meetings in config.toml: each [[events]] table read into a frozen `Event`.

Separate from config.py (servers, files, the whole `Config`) so that an event's times, seats,
offers and nudges are read and checked in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .config_values import boolean, duration, integer, local_time, string, time_zone
from .errors import ConfigError


@dataclass(frozen=True)
class Event:
    """One meeting; `starts` is timezone-aware in the event's own zone."""

    id: str
    title: str
    theme: str
    starts: datetime
    duration_minutes: int
    capacity: int
    invite_at: datetime | None  # None: at the first tick
    description: str = ""
    cancelled: bool = False
    cancel_note: str = ""
    rsvp_by: datetime | None = None  # after it the waiting line is closed
    # who has not answered hears again this long before rsvp_by
    nudge_before: timedelta = timedelta(days=2)
    offer_window_starts: timedelta = timedelta(
        hours=48
    )  # before the start: freed seats are offered
    offer_hours: int = 12  # how long an offered seat waits for its yes
    topic_label: str = ""  # only open issues with this label are this event's topics

    @property
    def offers_from(self) -> datetime:
        """From this moment a freed seat is offered to the first in line instead of given."""
        return self.starts - self.offer_window_starts

    def offer_expires(self, offered_at: datetime) -> datetime:
        return offered_at + timedelta(hours=self.offer_hours)

    @property
    def ends(self) -> datetime:
        return self.starts + timedelta(minutes=self.duration_minutes)

    @property
    def timezone(self) -> str:
        return str(self.starts.tzinfo)


def events(data: dict[str, Any]) -> tuple[Event, ...]:
    listed = data.get("events")
    if not listed:
        raise ConfigError(
            "[[events]]",
            "is missing",
            "add an [[events]] table with id, title, starts and timezone",
        )
    if not isinstance(listed, list):
        raise ConfigError(
            "[[events]]", "must be a list of tables", "write each meeting as [[events]]"
        )
    parsed: list[Event] = []
    for n, row in enumerate(listed, 1):
        where = f"[[events]] #{n}"
        if not isinstance(row, dict):
            raise ConfigError(where, "must be a table", "give it id, title, starts and timezone")
        event_id = string(row, where, "id", example='"2026-12-velocity"')
        if not event_id or any(c in event_id for c in "/ <>@"):
            raise ConfigError(
                f"{where} id",
                f"must be a short name without spaces, / or @, got {event_id!r}",
                'set id = "2026-12-velocity"',
            )
        if any(e.id == event_id for e in parsed):
            raise ConfigError(
                f"{where} id", f"{event_id!r} is used twice", "give every event its own id"
            )
        where = f"[[events]] {event_id}"
        zone_name = string(row, where, "timezone", example='"America/New_York"')
        zone = time_zone(zone_name, where)
        title = string(row, where, "title", example='"Peer-to-peer roundtable"')
        parsed.append(
            Event(
                id=event_id,
                title=title,
                theme=string(row, where, "theme", default=title),
                starts=local_time(row, where, "starts", zone),
                duration_minutes=integer(row, where, "duration_minutes", default=75, minimum=1),
                capacity=integer(row, where, "capacity", default=12, minimum=1),
                invite_at=local_time(row, where, "invite_at", zone) if "invite_at" in row else None,
                description=string(row, where, "description", default=""),
                cancelled=boolean(row, where, "cancelled", False),
                cancel_note=string(row, where, "cancel_note", default=""),
                rsvp_by=local_time(row, where, "rsvp_by", zone) if "rsvp_by" in row else None,
                nudge_before=duration(row, where, "nudge_before", "2d"),
                offer_window_starts=duration(row, where, "offer_window_starts", "48h"),
                offer_hours=integer(row, where, "offer_hours", default=12, minimum=1),
                topic_label=string(row, where, "topic_label", default=""),
            )
        )
    return tuple(parsed)
