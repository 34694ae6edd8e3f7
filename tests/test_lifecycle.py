"""The lifecycle planner: details, recording notice, reminders, changes and cancellation at `now`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from mailer.config import Event
from mailer.config.meeting import Recording, Reminders, Zoom
from mailer.decisions.lifecycle import Settings, plan, snapshot_of, still_due
from mailer.decisions.seats import places
from mailer.model import Attendance, Snapshot

T0 = datetime(2026, 11, 1, 14, 0, tzinfo=UTC)
EVENT = Event("ev", "Roundtable", "Velocity", datetime(2026, 12, 10, 22, 0, tzinfo=UTC), 75, 2, T0)
ZOOM = Zoom("https://zoom.example/j/1", "1 2 3", "pw")
SETTINGS = Settings(ZOOM, Recording(enabled=True), Reminders())


def yes(person: str, minute: int, told: bool = True) -> Attendance:
    """A standing yes; `told`: they were told they hold a seat."""
    return Attendance(
        person, T0, "yes", T0 + timedelta(minutes=minute), minute, True, confirmed=told
    )


ROSTER = {
    "a": yes("a", 1),
    "b": yes("b", 2),
    "c": yes("c", 3, told=False),  # waitlisted: capacity 2
    "d": Attendance("d", T0),
    "e": Attendance("e", T0, "no"),
}


def kinds(
    now: datetime, roster: dict[str, Attendance] = ROSTER, event: Event = EVENT, **kw: object
) -> list[str]:
    snapshot = kw.get("snapshot", snapshot_of(event))
    sent = kw.get("sent", frozenset())
    settings = kw.get("settings", SETTINGS)
    result = plan(event, roster, snapshot, sent, settings, now)  # type: ignore[arg-type]
    return sorted(f"{o.key.person}:{o.key.kind}" for o in result.outgoing)


def test_details_and_recording_notice_go_to_the_seated_only() -> None:
    """Only those holding a seat get the Zoom details and the recording notice."""
    assert kinds(T0 + timedelta(hours=1)) == [
        "a:details",
        "a:recording",
        "b:details",
        "b:recording",
    ]


def test_details_wait_for_send_details_before() -> None:
    """With send_details_before, the details go out that long before the start, not earlier."""
    later = Settings(
        replace(ZOOM, send_details_before=timedelta(days=2)), Recording(), Reminders(before=())
    )
    assert kinds(EVENT.starts - timedelta(days=3), settings=later) == []
    assert kinds(EVENT.starts - timedelta(days=2), settings=later) == ["a:details", "b:details"]


def test_nothing_already_recorded_is_planned_again() -> None:
    """Keys already in the outbox are not proposed again."""
    first = plan(EVENT, ROSTER, snapshot_of(EVENT), frozenset(), SETTINGS, T0 + timedelta(hours=1))
    sent = frozenset(str(o.key) for o in first.outgoing)
    assert kinds(T0 + timedelta(hours=2), sent=sent) == []


def test_each_reminder_at_its_moment() -> None:
    """The 7-day, 1-day and 1-hour reminders each fall due at their moment."""
    settings = Settings(None, Recording(), Reminders())
    assert kinds(EVENT.starts - timedelta(days=8), settings=settings) == []
    assert kinds(EVENT.starts - timedelta(days=7), settings=settings) == [
        "a:reminder-7d",
        "b:reminder-7d",
    ]
    assert kinds(EVENT.starts - timedelta(hours=23), settings=settings) == [
        "a:reminder-1d",
        "b:reminder-1d",
    ]
    assert kinds(EVENT.starts - timedelta(minutes=59), settings=settings) == [
        "a:reminder-1h",
        "b:reminder-1h",
    ]


def test_a_missed_reminder_is_skipped_not_sent_late() -> None:
    """After an outage, only the reminder whose window is still open goes out."""
    settings = Settings(None, Recording(), Reminders())
    assert kinds(EVENT.starts - timedelta(minutes=30), settings=settings) == [
        "a:reminder-1h",
        "b:reminder-1h",
    ]
    assert kinds(EVENT.starts + timedelta(minutes=5), settings=settings) == []


def test_reminders_follow_a_new_time() -> None:
    """A rescheduled event gets its reminders again under new keys."""
    settings = Settings(None, Recording(), Reminders())
    moved = replace(EVENT, starts=EVENT.starts + timedelta(days=7))
    first = plan(
        EVENT, ROSTER, snapshot_of(EVENT), frozenset(), settings, EVENT.starts - timedelta(days=7)
    )
    sent = frozenset(str(o.key) for o in first.outgoing)
    again = plan(
        moved, ROSTER, snapshot_of(moved), sent, settings, moved.starts - timedelta(days=7)
    )
    assert sorted(o.key.kind for o in again.outgoing) == ["reminder-7d", "reminder-7d"]


def test_reschedule_updates_seated_and_waitlisted() -> None:
    """A new time sends one update to everyone in the seats or the line, and bumps the revision."""
    moved = replace(EVENT, starts=EVENT.starts + timedelta(hours=1))
    result = plan(
        moved, ROSTER, snapshot_of(EVENT), frozenset(), Settings(None, Recording(), Reminders()), T0
    )
    assert sorted(f"{o.key.person}:{o.key.kind}" for o in result.outgoing) == [
        "a:update",
        "b:update",
        "c:update",
    ]
    assert result.snapshot.revision == 1 and result.snapshot.starts == moved.starts
    seated = {o.key.person: o.context["seated"] for o in result.outgoing}
    assert seated == {"a": True, "b": True, "c": False}


def test_capacity_up_seats_the_line_and_tells_them() -> None:
    """More seats: the first in line is seated and told."""
    bigger = replace(EVENT, capacity=3)
    assert "c:seat_added" in kinds(
        T0,
        event=bigger,
        snapshot=snapshot_of(EVENT),
        settings=Settings(None, Recording(), Reminders()),
    )


def test_capacity_down_moves_the_latest_yes_to_the_line() -> None:
    """Fewer seats: the latest yes moves to the line and is told its place."""
    smaller = replace(EVENT, capacity=1)
    result = kinds(
        T0,
        event=smaller,
        snapshot=snapshot_of(EVENT),
        settings=Settings(None, Recording(), Reminders()),
    )
    assert result == ["b:seat_removed"]


def test_cancellation_goes_to_all_but_those_who_said_no() -> None:
    """A cancelled event sends CANCEL to everyone invited who has not declined, and nothing else."""
    cancelled = replace(EVENT, cancelled=True, cancel_note="Sorry!")
    assert kinds(T0, event=cancelled) == [
        "a:event_cancelled",
        "b:event_cancelled",
        "c:event_cancelled",
        "d:event_cancelled",
    ]


def test_nothing_after_the_start() -> None:
    """Once the event started, nothing more is planned for it."""
    assert kinds(EVENT.starts) == []


def test_organizer_hears_about_objections_before_the_start() -> None:
    """A day before, the organizer is told who objects to the recording among the seated."""
    roster = {**ROSTER, "b": replace(ROSTER["b"], objected_at=T0)}
    result = plan(
        EVENT, roster, snapshot_of(EVENT), frozenset(), SETTINGS, EVENT.starts - timedelta(hours=20)
    )
    status = [o for o in result.outgoing if o.key.kind == "recording_status"]
    assert len(status) == 1 and status[0].context["objectors"] == ["b"]


def test_first_plan_stores_a_snapshot() -> None:
    """Before any snapshot, the event as configured becomes the baseline, with no update sent."""
    result = plan(EVENT, ROSTER, None, frozenset(), Settings(None, Recording(), Reminders()), T0)
    assert result.outgoing == () and result.snapshot == Snapshot(
        EVENT.starts, 75, "Roundtable", 2, 0
    )


DEADLINE = replace(EVENT, rsvp_by=EVENT.starts - timedelta(days=5))
QUIET = Settings(None, Recording(), Reminders(before=()))


def test_nudge_goes_once_before_the_deadline_to_who_never_answered() -> None:
    """nudge_before the RSVP deadline, those who never answered get one nudge; nobody else does."""
    assert kinds(DEADLINE.rsvp_by - timedelta(days=3), event=DEADLINE, settings=QUIET) == []  # type: ignore[operator]
    assert kinds(DEADLINE.rsvp_by - timedelta(days=1), event=DEADLINE, settings=QUIET) == [
        "d:nudge"
    ]  # type: ignore[operator]
    assert kinds(DEADLINE.rsvp_by, event=DEADLINE, settings=QUIET) == ["c:line_closed"]  # type: ignore[arg-type]


def test_the_deadline_closes_the_line() -> None:
    """At the RSVP deadline those waiting are told kindly and leave the line."""
    result = plan(DEADLINE, ROSTER, snapshot_of(DEADLINE), frozenset(), QUIET, DEADLINE.rsvp_by)  # type: ignore[arg-type]
    assert [(a.person, a.answer) for a in result.changed] == [("c", "closed")]
    assert places({**ROSTER, "c": result.changed[0]}.values(), 2)["c"].state == "line_closed"


def test_a_seat_freed_late_is_offered_not_given() -> None:
    """After offer_window_starts, the first in line is offered the freed seat by email."""
    roster = {**ROSTER, "a": replace(ROSTER["a"], answer="no", yes_since=None)}
    late = EVENT.offers_from + timedelta(hours=1)
    result = plan(EVENT, roster, snapshot_of(EVENT), frozenset(), QUIET, late)
    assert [f"{o.key.person}:{o.key.kind}" for o in result.outgoing] == ["c:offer"]
    assert places({**roster, "c": result.changed[0]}.values(), 2)["c"].state == "offered"


def test_an_offer_not_taken_in_time_passes_to_the_next() -> None:
    """offer_hours after the offer, it expires: that person is told, and the next is offered the seat."""
    late = EVENT.offers_from + timedelta(hours=1)
    d = yes("d", 4, told=False)
    roster = {
        **ROSTER,
        "a": replace(ROSTER["a"], answer="no"),
        "c": replace(ROSTER["c"], offered_at=late),
        "d": d,
    }
    result = plan(EVENT, roster, snapshot_of(EVENT), frozenset(), QUIET, late + timedelta(hours=12))
    assert [f"{o.key.person}:{o.key.kind}" for o in result.outgoing] == [
        "c:offer_expired",
        "d:offer",
    ]
    states = places({**roster, **{a.person: a for a in result.changed}}.values(), 2)
    assert (states["c"].state, states["d"].state) == ("offer_expired", "offered")


def test_a_waiting_email_with_the_link_is_dropped_once_the_seat_is_gone() -> None:
    """An email held up by an SMTP outage is not sent if its reason went away meanwhile."""
    seats = places(ROSTER.values(), 2)
    before = EVENT.starts - timedelta(days=1)
    assert still_due(EVENT, "details", "a", seats, before) == ""
    assert (
        still_due(EVENT, "reminder-1d", "c", seats, before) == "the person no longer holds a seat"
    )
    assert still_due(EVENT, "update", "c", seats, before) == ""
    assert (
        still_due(replace(EVENT, cancelled=True), "details", "a", seats, before)
        == "the event was cancelled"
    )
    assert still_due(EVENT, "seated", "a", seats, EVENT.starts) == "the event started first"


def test_no_link_before_send_details_before() -> None:
    """With send_details_before, neither a reminder nor a calendar update carries the link earlier."""
    later = Settings(
        replace(ZOOM, send_details_before=timedelta(hours=2)), Recording(), Reminders()
    )
    early = plan(
        EVENT, ROSTER, snapshot_of(EVENT), frozenset(), later, EVENT.starts - timedelta(days=7)
    )
    assert [o.context.get("zoom") for o in early.outgoing if o.key.kind.startswith("reminder")] == [
        None,
        None,
    ]
    moved = replace(EVENT, starts=EVENT.starts + timedelta(hours=1))
    update = plan(moved, ROSTER, snapshot_of(EVENT), frozenset(), later, T0)
    assert {o.key.kind for o in update.outgoing} == {"update"}


def test_a_seat_regained_after_a_capacity_cut_gets_the_details_again() -> None:
    """Moved back to the line by a capacity cut and seated again, a person gets the details again."""
    first = plan(EVENT, ROSTER, snapshot_of(EVENT), frozenset(), SETTINGS, T0)
    sent = frozenset(str(o.key) for o in first.outgoing)
    cut = plan(replace(EVENT, capacity=1), ROSTER, snapshot_of(EVENT), sent, SETTINGS, T0)
    sent |= {str(o.key) for o in cut.outgoing}
    rows = {**ROSTER, **{a.person: a for a in cut.changed}}
    back = plan(EVENT, rows, cut.snapshot, sent, SETTINGS, T0)
    assert sorted(f"{o.key.person}:{o.key.kind}" for o in back.outgoing) == [
        "b:details",
        "b:recording",
        "b:seat_added",
    ]


def test_reminders_say_when_and_differ_from_each_other() -> None:
    """The week, day and hour reminders say "in a week", "tomorrow", "in an hour", each its own."""
    from mailer.decisions.reminders import how_soon

    assert how_soon(timedelta(days=7)) == "in a week"
    assert how_soon(timedelta(days=1)) == "tomorrow"
    assert how_soon(timedelta(hours=1)) == "in an hour"
    assert how_soon(timedelta(days=3)) == "in 3 days"
    assert how_soon(timedelta(hours=4)) == "in 4 hours"
