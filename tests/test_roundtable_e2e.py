"""The core loop end to end: `mailer tick --now` against real IMAP and SMTP servers on loopback.

Every test runs on each available backend (Dovecot, pymap). Participants read what reached their
own mailbox and answer as their clients would; the organizer reads `mailer status --json`.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack

from .scenario import STARTS, T0, Roundtable, at


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    return Roundtable(mail_stack, tmp_path, people=5, capacity=3)


def test_each_invitee_gets_one_private_invitation(table: Roundtable) -> None:
    """Each invitee receives exactly one invitation, addressed to them alone, with a calendar part."""
    table.tick(0)
    table.tick(1)
    for n in range(1, 6):
        inbox = table.inbox(n)
        assert len(inbox) == 1
        assert inbox[0]["To"].addresses[0].addr_spec == table.address(n)
        assert inbox[0]["Cc"] is None
        assert any(p.get_content_type() == "text/calendar" for p in inbox[0].walk())


def test_no_invitation_before_invite_at(table: Roundtable) -> None:
    """Nothing is sent before the event's invite_at."""
    table.tick(-1)
    assert table.inbox(1) == []


def test_invitee_added_later_is_invited_at_next_tick(mail_stack: MailStack, tmp_path: Path) -> None:
    """Someone added to the config after the invitations went out gets one at the next tick."""
    Roundtable(mail_stack, tmp_path, people=2).tick(0)
    bigger = Roundtable(mail_stack, tmp_path, people=3)
    bigger.tick(60)
    assert [len(bigger.inbox(n)) for n in (1, 2, 3)] == [1, 1, 1]


def test_yes_seats_and_confirms_without_a_number_that_can_change(table: Roundtable) -> None:
    """A written yes takes a seat; the confirmation says "one of the 3 seats", which a later
    cancellation cannot make false (a seat number would shift)."""
    table.tick(0)
    table.reply(1, "Yes, count me in!", 5)
    table.tick(10)
    assert table.states()[table.address(1)] == ("seated", 1)
    confirmation = table.inbox(1)[-1]
    assert str(confirmation["Subject"]).startswith("You have a seat")
    assert "one of the 3 seats" in confirmation.get_body(("plain",)).get_content()


def test_outlook_accept_seats(table: Roundtable) -> None:
    """A calendar Accept (iMIP REPLY) counts as a yes; a Decline as a no."""
    table.tick(0)
    table.calendar(1, "ACCEPTED", 5)
    table.calendar(2, "DECLINED", 6)
    table.tick(10)
    states = table.states()
    assert states[table.address(1)] == ("seated", 1)
    assert states[table.address(2)] == ("declined", None)


def test_backlog_seats_earliest_arrivals_not_processing_order(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A backlog of yeses delivered out of order seats the earliest INTERNALDATEs, the rest wait in order."""
    table = Roundtable(mail_stack, tmp_path, people=20, capacity=12)
    table.tick(0)
    arrival = list(range(1, 21))
    random.Random(7).shuffle(arrival)  # UID order differs from arrival order
    for n in arrival:
        table.reply(n, "yes", 10 + n)
    table.tick(60)
    states = table.states()
    assert [states[table.address(n)] for n in range(1, 13)] == [("seated", n) for n in range(1, 13)]
    assert [states[table.address(n)] for n in range(13, 21)] == [
        ("waitlisted", n - 12) for n in range(13, 21)
    ]
    assert "place 8" in table.subjects(20)[-1]


def test_seated_no_promotes_first_in_line(table: Roundtable) -> None:
    """A seated person's no frees the seat; the first in line is seated at once and told so."""
    table.tick(0)
    for n in (1, 2, 3, 4, 5):
        table.reply(n, "Yes please", n)
    table.tick(10)
    table.reply(2, "Something came up, I can't make it after all.", 20)
    table.tick(30)
    states = table.states()
    assert states[table.address(2)] == ("cancelled", None)
    assert states[table.address(4)][0] == "seated" and states[table.address(5)] == ("waitlisted", 1)
    assert "A seat opened up for you" in table.subjects(4)[-1]
    assert "released" in table.subjects(2)[-1]


def test_second_yes_sends_nothing(table: Roundtable) -> None:
    """A repeated yes changes nothing and sends nothing."""
    table.tick(0)
    table.reply(1, "yes", 5)
    table.tick(10)
    table.reply(1, "Yes! Looking forward to it.", 15)
    table.tick(20)
    assert len(table.inbox(1)) == 2  # the invitation and one confirmation


def test_out_of_office_is_never_answered(table: Roundtable) -> None:
    """An automatic reply changes nothing and gets no answer."""
    table.tick(0)
    table.away(1, 5)
    table.tick(10)
    assert len(table.inbox(1)) == 1
    assert table.states()[table.address(1)] == ("invited", None)


def test_stranger_is_unmatched_and_not_answered(table: Roundtable) -> None:
    """Mail from someone not invited seats no one, gets no reply, and shows under unmatched."""
    table.tick(0)
    table.stranger("yes, count me in", 5)
    table.tick(10)
    status = table.status()
    assert [u["from"] for u in status["unmatched"]] == ["someone@elsewhere.test"]
    assert not any(r["recipient"] == "someone@elsewhere.test" for r in table.outbox())


def test_unclear_reply_asks_once_and_tells_organizer(table: Roundtable) -> None:
    """An unclear reply gets one short question and appears for the organizer."""
    table.tick(0)
    table.reply(1, "Will the session be recorded?", 5)
    table.tick(10)
    assert table.subjects(1)[-1].startswith("Are you coming?")
    assert "unclear reply" in table.status()["notices"][0]["reason"]


def test_bounce_marks_invitee_bounced(table: Roundtable) -> None:
    """A delivery failure for an invitee shows them as bounced."""
    table.tick(0)
    table.raw(participants.delivery_failure(table.address(3), ORGANIZER, T0), 5)
    table.tick(10)
    assert table.states()[table.address(3)] == ("bounced", None)


def test_reply_after_start_changes_nothing(table: Roundtable) -> None:
    """A yes that reached the server after the start seats no one."""
    table.tick(0)
    table.reply(1, "yes", at(STARTS) + 1)
    table.tick(at(STARTS) + 2)
    assert table.states()[table.address(1)] == ("invited", None)


def test_repeated_ticks_change_nothing(table: Roundtable) -> None:
    """Running tick again sends nothing more and leaves the roster as it was."""
    table.tick(0)
    table.reply(1, "yes", 5)
    table.tick(10)
    before = (table.states(), len(table.outbox()))
    table.tick(10)
    table.tick(11)
    assert (table.states(), len(table.outbox())) == before
    assert len(table.inbox(1)) == 2


def test_mail_is_never_deleted(table: Roundtable) -> None:
    """Handled mail stays in the organizer's mailbox."""
    table.tick(0)
    table.reply(1, "yes", 5)
    table.away(2, 6)
    table.stranger("hello", 7)
    table.tick(10)
    table.tick(20)
    assert table.organizer_inbox_size() == 3


def test_smtp_down_then_up_sends_each_email_once(table: Roundtable) -> None:
    """Emails recorded while SMTP refuses go out once, at a later tick, never twice."""
    table.stack.smtp.fail_next(code=451, stage="MAIL", times=100)
    assert "will be retried" in table.tick(0, expect=1)
    assert table.inbox(1) == []
    assert {r["status"] for r in table.outbox()} == {"retry"}
    table.stack.smtp.reset()
    table.tick(5)
    table.tick(10)
    assert [len(table.inbox(n)) for n in range(1, 6)] == [1] * 5


def test_permanent_refusal_is_failed_and_shown(table: Roundtable) -> None:
    """A 5xx answer marks that email failed and status lists it; the others go out."""
    table.stack.smtp.fail_next(code=550, stage="RCPT", times=1)
    assert "refused for good" in table.tick(0, expect=1)
    status = table.status()
    assert [f["status"] for f in status["failed_sends"]] == ["failed"]
    assert sum(len(table.inbox(n)) for n in range(1, 6)) == 4


def test_daily_cap_stops_answers_to_one_sender(mail_stack: MailStack, tmp_path: Path) -> None:
    """Automatic answers to one sender stop at the daily cap."""
    table = Roundtable(mail_stack, tmp_path, people=1, answers_per_day=3)
    table.tick(0)
    for minute in range(5, 10):
        table.reply(1, "Hmm, what is this about?", minute)
    table.tick(15)
    assert len(table.inbox(1)) == 1 + 3


def test_dry_run_changes_nothing(table: Roundtable) -> None:
    """--dry-run prints what would be sent and sends or records nothing."""
    output = table.run("tick", "--dry-run", "--now", T0.isoformat())
    assert output.count("would send") == 5
    assert table.inbox(1) == [] and table.outbox() == []


def test_organizer_gets_one_summary_per_tick_with_news(table: Roundtable) -> None:
    """What needs a person reaches the organizer as one email per tick, and none when nothing happened."""
    table.tick(0)
    table.stranger("yes, count me in", 5)
    table.reply(1, "Will the session be recorded?", 6)
    table.tick(10)
    table.tick(11)
    table.tick(12)
    title = "Peer-to-peer roundtable: Development Velocity"
    assert table.organizer_subjects() == [f"{title}: 2 things need you — 0 of 3 seats taken"]
    table.raw(participants.delivery_failure(table.address(3), ORGANIZER, T0), 20)
    table.tick(25)
    assert table.organizer_subjects()[-1] == f"{title}: 1 thing needs you — 0 of 3 seats taken"
