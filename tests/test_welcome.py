"""The seat email: one email carrying the calendar entry, the link when due, the recording notice,
the GitHub step and a reminder already due, whose own keys are then never sent alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from mailer.config import Event
from mailer.config.meeting import GitHub, Recording, Reminders, Zoom
from mailer.decisions.lifecycle import Settings, plan, snapshot_of
from mailer.decisions.welcome import welcome, with_agenda
from mailer.model import Attendance, OutboxKey, Outgoing

T0 = datetime(2026, 11, 1, 14, 0, tzinfo=UTC)
STARTS = datetime(2026, 12, 10, 22, 0, tzinfo=UTC)
EVENT = Event("ev", "Roundtable", "Velocity", STARTS, 75, 2, T0)
ZOOM = Zoom("https://zoom.example/j/1", "1 2 3", "pw")
SETTINGS = Settings(ZOOM, Recording(enabled=True, purpose="for the notes"), Reminders())
ROW = Attendance("a", T0, "yes", T0, 7, True, confirmed=True, yes_source=7)
SEATED = Outgoing(OutboxKey("ev", "a", "seated", 7), {"seat": 1, "capacity": 2})


def carried(now: datetime = T0, **kw: object) -> set[str]:
    made = welcome(
        kw.get("outgoing", SEATED),  # type: ignore[arg-type]
        EVENT,
        kw.get("row", ROW),  # type: ignore[arg-type]
        kw.get("sent", frozenset()),  # type: ignore[arg-type]
        kw.get("settings", SETTINGS),  # type: ignore[arg-type]
        kw.get("github"),  # type: ignore[arg-type]
        kw.get("login"),  # type: ignore[arg-type]
        now,
    )
    return {k.kind for k in made.carried}


def test_the_seat_email_carries_the_link_and_the_recording_notice() -> None:
    """With the details due at the seat, the link and the notice ride in the seat email."""
    made = welcome(SEATED, EVENT, ROW, frozenset(), SETTINGS, None, None, T0)
    assert made.outgoing.context["zoom"] == ZOOM
    assert made.outgoing.context["recording"]["purpose"] == "for the notes"  # type: ignore[index]
    assert {k.kind for k in made.carried} == {"details", "recording"}


def test_the_lifecycle_sends_nothing_the_seat_email_carried() -> None:
    """Planned after the seat email, the lifecycle finds the details and notice already done."""
    made = welcome(SEATED, EVENT, ROW, frozenset(), SETTINGS, None, None, T0)
    sent = frozenset(str(k) for k in made.carried)
    later = plan(EVENT, {"a": ROW}, snapshot_of(EVENT), sent, SETTINGS, T0)
    assert [o.key.kind for o in later.outgoing] == []


def test_a_link_not_yet_due_comes_later_in_its_own_email() -> None:
    """With send_details_before, the seat email says when the link follows and carries no link."""
    settings = replace(SETTINGS, zoom=replace(ZOOM, send_details_before=timedelta(days=2)))
    made = welcome(SEATED, EVENT, ROW, frozenset(), settings, None, None, T0)
    assert made.outgoing.context["zoom"] is None
    assert made.outgoing.context["details_later"] is True
    assert "details" not in {k.kind for k in made.carried}


def test_an_unknown_github_login_is_asked_in_the_seat_email() -> None:
    """With a board and no known username, the seat email asks, and no separate ask follows."""
    board = GitHub(repo="o/r")
    assert "github_ask" in carried(github=board)
    assert "github_ask" not in carried(github=board, login="ada-l")


def test_a_reminder_already_due_is_not_sent_after_the_seat_email() -> None:
    """A seat given two days out: the week's reminder is carried, not sent after it."""
    assert "reminder-7d" in carried(STARTS - timedelta(days=2))
    assert not any(kind.startswith("reminder") for kind in carried(T0))


def test_an_objector_is_not_asked_to_object() -> None:
    """Someone who objected while waiting is told the organizer knows, not asked to object."""
    row = replace(ROW, objected_at=T0)
    made = welcome(SEATED, EVENT, row, frozenset(), SETTINGS, None, None, T0)
    assert made.outgoing.context["recording"]["objected"] is True  # type: ignore[index]


def test_what_was_already_sent_is_not_carried_again() -> None:
    """A key recorded before (the notice of an earlier seat) is not recorded again."""
    made = welcome(SEATED, EVENT, ROW, frozenset({"ev/a/recording/700"}), SETTINGS, None, None, T0)
    assert "recording" not in {k.kind for k in made.carried}


def test_other_emails_carry_nothing() -> None:
    """Only a seat email grows: a waiting-line answer is left as it is."""
    waiting = Outgoing(OutboxKey("ev", "a", "waitlisted", 7), {"place": 1})
    assert carried(outgoing=waiting) == set()


BOARD: list[dict[str, object]] = [{"title": "Hiring", "url": "u", "votes": 2, "sponsors": ""}]


def test_the_reminder_due_with_the_agenda_carries_it() -> None:
    """The day's reminder takes the agenda along; the agenda is then never sent alone."""
    reminder = Outgoing(OutboxKey("ev", "a", "reminder-1d", 1))
    made = with_agenda(reminder, BOARD, "o/r", frozenset())
    assert made.outgoing.context["agenda"] == BOARD
    assert [str(k) for k in made.carried] == ["ev/a/agenda/0"]


def test_an_agenda_already_sent_rides_nowhere_again() -> None:
    """Once the agenda went (alone, or in a reminder), no later email carries it again."""
    reminder = Outgoing(OutboxKey("ev", "a", "reminder-1h", 1))
    assert with_agenda(reminder, BOARD, "o/r", frozenset({"ev/a/agenda/0"})).carried == ()
    assert with_agenda(SEATED, BOARD, "o/r", frozenset()).carried == ()
