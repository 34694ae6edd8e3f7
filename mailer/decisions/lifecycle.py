"""What the meeting owes its people at `now`, apart from answers to their mail; pure.

Zoom details and the recording notice for whoever holds a seat, reminders at their moments,
calendar updates when the organizer changes the event, seats added or taken away when the
capacity changes, and the cancellation of the whole event. Every email is keyed so that planning
again at any later `now` proposes it again under the same key, and the outbox keeps it once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mailer.config import Event
from mailer.config.meeting import Recording, Reminders, Zoom
from mailer.decisions.reminders import how_soon, reminder_key, reminders_due
from mailer.decisions.seats import Place, places, seated
from mailer.model import (
    ORGANIZER,
    SEAT_KINDS,
    Attendance,
    OutboxKey,
    Outgoing,
    Snapshot,
    carries_link,
)


@dataclass(frozen=True)
class Settings:
    zoom: Zoom | None
    recording: Recording
    reminders: Reminders


@dataclass(frozen=True)
class Plan:
    outgoing: tuple[Outgoing, ...]
    snapshot: Snapshot
    changed: tuple[Attendance, ...] = ()  # roster rows to store with the emails


def snapshot_of(event: Event, revision: int = 0) -> Snapshot:
    return Snapshot(event.starts, event.duration_minutes, event.title, event.capacity, revision)


def plan(
    event: Event,
    roster: Mapping[str, Attendance],
    snapshot: Snapshot | None,
    sent: frozenset[str],
    settings: Settings,
    now: datetime,
) -> Plan:
    """The emails due at `now` for `event`, and the snapshot to store after them."""
    current = snapshot or snapshot_of(event)
    if not roster:
        return Plan((), snapshot_of(event, current.revision))
    if event.cancelled:
        return Plan(_fresh(_cancellation(event, roster), sent), current)
    if now >= event.starts:
        return Plan((), current)
    outgoing, updated, confirmed = _changes(
        event, roster, current, link_due(event, settings.zoom, now)
    )
    rows = {**roster, **{a.person: a for a in confirmed}}
    offers, offered = _offers(event, rows, now)
    rows.update({a.person: a for a in offered})
    outgoing += offers
    outgoing += _for_the_seated(event, rows, settings, sent, now)
    outgoing += _organizer(event, rows, settings, now)
    outgoing += _nudges(event, rows, now)
    closing, closed = _close_the_line(event, rows, now)
    rows.update({a.person: a for a in closed})
    changed = tuple(rows[p] for p in sorted(rows) if rows[p] != roster.get(p))
    return Plan(_fresh(outgoing + closing, sent), updated, changed)


def _offers(
    event: Event, roster: Mapping[str, Attendance], now: datetime
) -> tuple[list[Outgoing], tuple[Attendance, ...]]:
    """Late offers of freed seats: an offer not taken in time passes to the next in line."""
    changed: dict[str, Attendance] = {}
    outgoing: list[Outgoing] = []
    for person, row in sorted(roster.items()):
        if (
            row.answer == "yes"
            and row.offered_at
            and not row.confirmed
            and now >= event.offer_expires(row.offered_at)
        ):
            changed[person] = replace(row, answer="passed")
            key = OutboxKey(event.id, person, "offer_expired", _minute(row.offered_at))
            outgoing.append(Outgoing(key))
    if now >= event.offers_from:
        rows = {**roster, **changed}
        for person, place in sorted(places(rows.values(), event.capacity).items()):
            # Holding a seat by the derivation, but never told: a seat freed up late (or an
            # offer expired), so it is offered now rather than given.
            if place.state == "seated" and not rows[person].confirmed:
                changed[person] = replace(rows[person], offered_at=now)
                expires = event.offer_expires(now).astimezone(event.starts.tzinfo)
                context = {
                    "seat": place.position or 0,
                    "capacity": event.capacity,
                    "hours": event.offer_hours,
                    "expires": f"{expires:%a %b %d, %H:%M} {event.timezone}",
                }
                outgoing.append(
                    Outgoing(OutboxKey(event.id, person, "offer", _minute(now)), context)
                )
    return outgoing, tuple(changed.values())


def _minute(moment: datetime) -> int:
    """A time as a key sequence: minutes since the epoch."""
    return int(moment.timestamp() // 60)


def _nudges(event: Event, roster: Mapping[str, Attendance], now: datetime) -> list[Outgoing]:
    """One reminder to answer, `nudge_before` the RSVP deadline, for who has not answered at all
    (and was invited at least a day earlier: a nudge on the heels of the invitation is noise)."""
    if event.rsvp_by is None or not event.rsvp_by - event.nudge_before <= now < event.rsvp_by:
        return []
    return [
        Outgoing(OutboxKey(event.id, person, "nudge", 0))
        for person, attendance in sorted(roster.items())
        if attendance.answer == "none"
        and not attendance.bounced
        and attendance.invited_at <= now - timedelta(days=1)
    ]


def _close_the_line(
    event: Event, roster: Mapping[str, Attendance], now: datetime
) -> tuple[list[Outgoing], tuple[Attendance, ...]]:
    """At the RSVP deadline the waiting line closes: those in it are told kindly, and leave it."""
    if event.rsvp_by is None or now < event.rsvp_by:
        return [], ()
    waiting = sorted(
        p
        for p, place in places(roster.values(), event.capacity).items()
        if place.state == "waitlisted"
    )
    emails = [Outgoing(OutboxKey(event.id, person, "line_closed", 0)) for person in waiting]
    return emails, tuple(replace(roster[person], answer="closed") for person in waiting)


# Emails that belong to the time after the meeting: the start does not make them stale.
AFTER_THE_MEETING = frozenset({"digest", "digest_draft", "digest_addendum"})


def still_due(
    event: Event | None, kind: str, person: str, seats: Mapping[str, Place], now: datetime
) -> str:
    """Why a recorded email must not go out after all ("" when it still should); `seats` is
    `places()` of the event's roster as it stands now.

    An email waits in the outbox while SMTP is down; by the time it can go, the meeting may have
    started, been cancelled, or the person may have given up the seat the link was for.
    """
    if event is None:
        return "the event left config.toml"
    if kind in AFTER_THE_MEETING:
        return ""  # written for after the start: the digest and its draft
    if now >= event.starts:
        return "the event started first"
    if event.cancelled and kind != "event_cancelled":
        return "the event was cancelled"
    place = seats.get(person)
    if (carries_link(kind) or kind in SEAT_KINDS) and (place is None or place.state != "seated"):
        return "the person no longer holds a seat"
    return ""


def link_due(event: Event, zoom: Zoom | None, now: datetime) -> bool:
    """Whether the Zoom link may be sent at `now` (send_details_before, or from the seat on)."""
    return zoom is not None and (
        zoom.send_details_before is None or now >= event.starts - zoom.send_details_before
    )


def _fresh(outgoing: list[Outgoing], sent: frozenset[str]) -> tuple[Outgoing, ...]:
    return tuple(o for o in outgoing if str(o.key) not in sent)


def _cancellation(event: Event, roster: Mapping[str, Attendance]) -> list[Outgoing]:
    # Everyone who may hold the date in their calendar: not those who declined or gave up their seat.
    return [
        Outgoing(OutboxKey(event.id, person, "event_cancelled", 0), {"note": event.cancel_note})
        for person, attendance in sorted(roster.items())
        if attendance.answer != "no"
    ]


def _changes(
    event: Event, roster: Mapping[str, Attendance], old: Snapshot, with_link: bool
) -> tuple[list[Outgoing], Snapshot, list[Attendance]]:
    new = snapshot_of(event, old.revision)
    if new == old:
        return [], old, []
    rows: list[Attendance] = []
    revision = old.revision + 1
    outgoing: list[Outgoing] = []
    before = places(roster.values(), old.capacity)
    after = places(roster.values(), event.capacity)
    changes = _what_changed(old, event)
    in_it = ("seated", "offered", "waitlisted")
    for person, place in sorted(after.items()):
        if changes and place.state in in_it and before[person].state in in_it:
            holds = place.state == "seated"
            # Only a seat holder's copy carries the link, and only once the details are due.
            kind = "update_seated" if holds and with_link else "update"
            context = {"changes": changes, "seated": holds}
            outgoing.append(
                Outgoing(
                    OutboxKey(event.id, person, kind, revision),
                    context,
                    template="participant/update",
                )
            )
        was = before[person].state
        if was == "waitlisted" and place.state == "seated":
            rows.append(replace(roster[person], confirmed=True, offered_at=None))
            context = {"seat": place.position or 0, "capacity": event.capacity}
            key = OutboxKey(event.id, person, "seat_added", revision)
            outgoing.append(Outgoing(key, context, template="participant/promoted"))
        elif was in ("seated", "offered") and place.state == "waitlisted":
            # Back in line: no longer told they hold a seat, so a late seat is offered afresh.
            rows.append(replace(roster[person], confirmed=False, offered_at=None))
            context = {"place": place.position or 0, "capacity": event.capacity}
            outgoing.append(
                Outgoing(OutboxKey(event.id, person, "seat_removed", revision), context)
            )
    return outgoing, replace(new, revision=revision), rows


def _what_changed(old: Snapshot, event: Event) -> list[str]:
    changes = []
    if old.title != event.title:
        changes.append(f"title: {old.title} → {event.title}")
    if old.starts != event.starts or old.duration_minutes != event.duration_minutes:
        was = old.starts.astimezone(event.starts.tzinfo)
        changes.append(
            f"time: {was:%a %b %d, %H:%M} ({old.duration_minutes} min) → "
            f"{event.starts:%a %b %d, %H:%M} ({event.duration_minutes} min) {event.timezone}"
        )
    return changes


def seat_number(row: Attendance, sent: frozenset[str], event_id: str) -> int:
    """Names one holding of a seat in outbox keys: the stored message of the standing yes, and how
    often that yes was moved back to the line since (a capacity cut), so a seat regained is a new
    seat whose holder gets the details again; a new yes after giving the seat up is one too."""
    moved_back = sum(1 for key in sent if key.startswith(f"{event_id}/{row.person}/seat_removed/"))
    return (row.yes_source or row.yes_uid) * 100 + min(moved_back, 99)


def _for_the_seated(
    event: Event,
    roster: Mapping[str, Attendance],
    settings: Settings,
    sent: frozenset[str],
    now: datetime,
) -> list[Outgoing]:
    outgoing: list[Outgoing] = []
    for person in seated(roster.values(), event.capacity):
        seat_key = seat_number(roster[person], sent, event.id)
        recording = settings.recording
        if recording.enabled:
            notice = {
                "purpose": recording.purpose,
                "kept_for": recording.kept_for,
                "shared_with": recording.shared_with,
            }
            outgoing.append(Outgoing(OutboxKey(event.id, person, "recording", seat_key), notice))
        zoom = settings.zoom if link_due(event, settings.zoom, now) else None
        if zoom is not None:
            outgoing.append(
                Outgoing(OutboxKey(event.id, person, "details", seat_key), {"zoom": zoom})
            )
        for span in reminders_due(event, settings.reminders, now):
            key = reminder_key(event, person, span)
            # The link rides along only once the details are due (send_details_before).
            context: dict[str, object] = {
                "zoom": zoom,
                "recording": recording.enabled,
                "purpose": recording.purpose,
                "objected": roster[person].objected_at is not None,
                # The time left as it is when the email is written: a reminder sent late
                # (after an outage, or in the week's span) never says "in a week" two days out.
                "soon": how_soon(event.starts - now),
                "stage": "early"
                if span >= timedelta(days=2)
                else "day"
                if span >= timedelta(hours=12)
                else "hour",
            }
            outgoing.append(Outgoing(key, context, template="participant/reminder"))
    return outgoing


def _organizer(
    event: Event, roster: Mapping[str, Attendance], settings: Settings, now: datetime
) -> list[Outgoing]:
    recording = settings.recording
    if not recording.enabled or now < event.starts - recording.tell_organizer_before:
        return []
    seats = places(roster.values(), event.capacity)
    if not any(place.state == "seated" for place in seats.values()):
        return []
    objectors = sorted(
        p for p, a in roster.items() if a.objected_at is not None and seats[p].state == "seated"
    )
    key = OutboxKey(event.id, ORGANIZER, "recording_status", int(event.starts.timestamp() // 60))
    return [Outgoing(key, {"objectors": objectors}, template="organizer/recording_status")]
