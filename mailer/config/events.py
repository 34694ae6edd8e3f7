"""The meetings in config.toml: each [[events]] table read into a frozen `Event`.

Separate from config.py (servers, files, the whole `Config`) so that an event's times, seats,
offers and nudges are read and checked in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mailer.config.values import boolean, duration, integer, local_time, string, time_zone
from mailer.errors import ConfigError


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
        event = Event(
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
        _check_order(event, where)
        parsed.append(event)
    return tuple(parsed)


def _shown(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _local(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}"


def _check_order(event: Event, where: str) -> None:
    """invite_at, the nudge, rsvp_by, the offer window and the start must come in that order."""
    starts, invite_at, rsvp_by = event.starts, event.invite_at, event.rsvp_by
    if invite_at is not None and invite_at >= starts:
        raise ConfigError(
            f"{where} invite_at",
            f"({_shown(invite_at)}) is not before starts ({_shown(starts)})",
            f'set invite_at before the start, e.g. invite_at = "{_local(starts - timedelta(days=14))}"',
        )
    if rsvp_by is not None:
        if rsvp_by >= starts:
            raise ConfigError(
                f"{where} rsvp_by",
                f"({_shown(rsvp_by)}) is not before starts ({_shown(starts)})",
                f'set rsvp_by before the start, e.g. rsvp_by = "{_local(starts - timedelta(days=3))}"',
            )
        if invite_at is not None and rsvp_by <= invite_at:
            raise ConfigError(
                f"{where} rsvp_by",
                f"({_shown(rsvp_by)}) is not after invite_at ({_shown(invite_at)})",
                "set rsvp_by between invite_at and starts",
            )
        nudge = rsvp_by - event.nudge_before
        if invite_at is not None and nudge <= invite_at:
            raise ConfigError(
                f"{where} nudge_before",
                f"puts the nudge at {_shown(nudge)}, not after invite_at ({_shown(invite_at)})",
                f'set nudge_before shorter than {_span(rsvp_by - invite_at)} (rsvp_by - invite_at), e.g. "1d"',
            )
    window = event.offer_window_starts
    if invite_at is not None and starts - window <= invite_at:
        raise ConfigError(
            f"{where} offer_window_starts",
            f"opens the offer window at {_shown(starts - window)}, not after invite_at ({_shown(invite_at)})",
            f"set offer_window_starts shorter than {_span(starts - invite_at)} (starts - invite_at)",
        )
    if timedelta(hours=event.offer_hours) > window:
        raise ConfigError(
            f"{where} offer_hours",
            f"({event.offer_hours}) is longer than the offer window ({_span(window)}): an offer could outlast the start",
            f"set offer_hours = {max(1, int(window.total_seconds() // 3600))} or less",
        )


def _span(span: timedelta) -> str:
    """A span written the way config.toml writes one: "2d", "36h", "1d12h"."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m")]
    return '"' + ("".join(f"{n}{unit}" for n, unit in parts if n) or "0m") + '"'


def past(events: tuple[Event, ...], now: datetime) -> list[str]:
    """Warnings for `mailer check`: events not cancelled whose start has passed."""
    return [
        f"[[events]] {e.id} starts {_shown(e.starts)} {e.starts.tzname()}, which is in the past: "
        "nothing more is sent for it. Fix: set starts to the next meeting, or remove the event"
        for e in events
        if not e.cancelled and e.starts <= now
    ]
