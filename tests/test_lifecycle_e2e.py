"""One event from invitation to its end, `mailer tick --now` walked through a month on real servers.

Checks every email each participant received, in order, that the Zoom link reached only those
holding a seat, and that every calendar in a person's mailbox is one series of rising SEQUENCEs.
"""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack

from .scenario import STARTS, Roundtable, at

LINK = "https://zoom.example/j/9876543210"
MEETING = f"""
[zoom]
join_url = "{LINK}"
meeting_id = "987 654 3210"
passcode = "lean-coffee"

[recording]
enabled = true
purpose = "to summarise the outcome afterwards"

[reminders]
before = ["7d", "1d", "1h"]
"""
DAY = 24 * 60


@pytest.fixture
def month(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    """Six invitees and three seats: p1-p4 and p6 say yes (p4, p6 wait), p5 says no."""
    table = Roundtable(mail_stack, tmp_path, people=6, capacity=3, extra=MEETING)
    table.tick(0)
    table.reply(1, "Yes, count me in!", 5)
    table.calendar(2, "ACCEPTED", 6)
    table.reply(3, "I'll be there.", 7)
    table.reply(4, "yes please", 8)
    table.reply(5, "Sorry, I can't make it this time.", 9)
    table.reply(6, "Count me in", 10)
    table.tick(15)
    return table


def kinds(table: Roundtable, n: int) -> list[str]:
    """What person n received, in order, by the first word of each subject."""
    return [subject.split(":")[0].strip() for subject in table.subjects(n)]


def test_a_whole_month(month: Roundtable) -> None:
    """Invitation to the end: every participant's emails, in order, and nothing twice."""
    month.reply(2, "OBJECT", 2 * DAY)
    month.tick(2 * DAY + 5)
    month.reply(1, "Something came up and I can't come after all. Sorry!", 5 * DAY)
    month.tick(5 * DAY + 5)
    for moment in (
        STARTS - timedelta(days=7),
        STARTS - timedelta(hours=23),
        STARTS - timedelta(minutes=50),
    ):
        month.tick(at(moment))
        month.tick(at(moment) + 1)  # a repeated tick sends nothing more
    month.tick(at(STARTS) + 60)

    # The seat email carries the calendar entry, the link, the recording notice: one email.
    assert kinds(month, 1) == [
        "Invitation",
        "You have a seat",
        "Your seat is released",
    ]
    assert kinds(month, 2) == [
        "Invitation",
        "You have a seat",
        "Your objection is noted",
        "In a week",
        "Tomorrow",
        "In an hour",
    ]
    assert kinds(month, 4) == [
        "Invitation",
        "On the waiting line",
        "A seat opened up for you",
        "In a week",
        "Tomorrow",
        "In an hour",
    ]
    assert kinds(month, 5) == ["Invitation", "Thanks for letting us know"]
    for n in (2, 4):  # no two emails say the same thing
        bodies = [m.get_body(("plain",)).get_content().split("-- ")[0] for m in month.inbox(n)]  # type: ignore[union-attr]
        assert len(set(bodies)) == len(bodies)
    after_objecting = month.inbox(2)[3:]
    for message in after_objecting:  # an objector is never asked to object again
        assert "OBJECT" not in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert kinds(month, 6) == ["Invitation", "On the waiting line"]
    # The objection and the recording status reach the organizer as lines of their summaries.
    organizer = [
        email.message_from_bytes(r, policy=email.policy.default)
        for r in month.stack.messages(ORGANIZER)
    ]
    bodies = [str(m.get_body(("plain",)).get_content()) for m in organizer]  # type: ignore[union-attr]
    assert any("objects to the recording" in b for b in bodies)
    assert any("switch the recording off; seated and objecting" in b for b in bodies)


def test_the_link_reaches_only_the_seated(month: Roundtable) -> None:
    """No email or calendar to anyone without a seat ever carries the Zoom link."""
    month.tick(at(STARTS) - 30)
    for n in (5, 6):  # declined; waiting the whole time
        for raw in month.stack.messages(month.address(n)):
            assert LINK.encode() not in raw and b"lean-coffee" not in raw
            decoded = email.message_from_bytes(raw, policy=email.policy.default)
            for part in decoded.walk():
                if part.get_content_maintype() == "text":
                    assert LINK not in part.get_content()
    assert any(LINK in str(m.get_body(("plain",)).get_content()) for m in month.inbox(1))  # type: ignore[union-attr]


def calendars(table: Roundtable, n: int) -> list[icalendar.Calendar]:
    found = []
    for message in table.inbox(n):
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                text = part.get_content()
                vobject.readOne(text)  # the second parser must accept it too
                found.append(icalendar.Calendar.from_ical(text))
    return found


def test_calendar_copies_form_one_series(month: Roundtable) -> None:
    """A person's calendars share one UID and their SEQUENCE only rises; the seat's copy has the link and an alarm."""
    month.reply(1, "I need to cancel, sorry", 3 * DAY)
    month.tick(3 * DAY + 5)
    series = calendars(month, 1)
    assert [str(c["METHOD"]) for c in series] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [c.walk("VEVENT")[0] for c in series]
    assert len({str(e["UID"]) for e in events}) == 1
    sequences = [int(e["SEQUENCE"]) for e in events]
    assert sequences == sorted(set(sequences))
    seated_copy = events[1]
    assert str(seated_copy["LOCATION"]) == LINK and seated_copy.walk("VALARM")


def test_reschedule_updates_calendars_and_moves_reminders(month: Roundtable) -> None:
    """A new start time in config.toml: one update per seated or waiting person, reminders at the new time."""
    text = month.config_path.read_text()
    month.config_path.write_text(
        text.replace('starts = "2025-10-23T12:00:00"', 'starts = "2025-10-23T14:00:00"')
    )
    month.tick(DAY)
    month.tick(DAY + 1)
    assert [kinds(month, n).count("Changed") for n in (1, 2, 3, 4, 5, 6)] == [1, 1, 1, 1, 0, 1]
    update = calendars(month, 2)[-1].walk("VEVENT")[0]
    assert update.decoded("DTSTART").hour == 14
    month.tick(at(STARTS) + 90)  # 1h30 after the old start: 30 minutes before the new one
    assert kinds(month, 2)[-1] == "In 30 minutes"  # the hour's reminder, as late as it is


def test_cancellation_reaches_everyone_but_the_decliners(month: Roundtable) -> None:
    """cancelled = true sends a CANCEL with the note to all who had not declined, then nothing more."""
    text = month.config_path.read_text()
    month.config_path.write_text(
        text.replace(
            "capacity = 3", 'capacity = 3\ncancelled = true\ncancel_note = "Our host fell ill."'
        )
    )
    month.tick(DAY)
    month.tick(at(STARTS) - 30)
    assert [kinds(month, n)[-1] for n in (1, 2, 3, 4, 6)] == ["Cancelled"] * 5
    assert kinds(month, 5)[-1] != "Cancelled"
    assert "Our host fell ill." in month.inbox(1)[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert not {"In a week", "Tomorrow", "In an hour"} & set(kinds(month, 1))


def test_a_seat_freed_late_is_offered_and_passes_on(month: Roundtable) -> None:
    """Two days before, a freed seat is offered; not taken in 12 hours, it passes to the next, who takes it."""
    late = at(STARTS) - 40 * 60  # 40 hours before the start: inside the 48-hour offer window
    month.reply(1, "So sorry, I can't come after all.", late)
    month.tick(late + 5)
    assert kinds(month, 4)[-1] == "A seat is free for you"
    assert "Zoom details" not in kinds(month, 4)
    month.tick(late + 12 * 60 + 5)  # p4 never answered
    assert kinds(month, 4)[-1] == "The seat went to the next in line"
    assert kinds(month, 6)[-1] == "A seat is free for you"
    month.reply(6, "Yes!", late + 12 * 60 + 30)
    month.tick(late + 12 * 60 + 35)
    # Taken: one email with the link and the recording notice; no "in a week" reminder after it.
    assert kinds(month, 6)[-2:] == ["A seat is free for you", "The seat is yours"]
    assert LINK in month.inbox(6)[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    states = month.states()
    assert (
        states[month.address(6)][0] == "seated" and states[month.address(4)][0] == "offer_expired"
    )
    assert LINK not in "".join(str(m) for m in month.inbox(4))
