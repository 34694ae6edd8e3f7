"""No false seat, no false free, end to end: the reading rules' samples through real servers.

The named samples in tests/replies/mails/ are written for other addresses; each is delivered
here as if it came from (or was about) a participant of a real roundtable on Dovecot and pymap,
and `mailer tick` runs through the CLI.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack

from .scenario import Roundtable

SAMPLES = Path(__file__).parent / "replies" / "mails"


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    return Roundtable(mail_stack, tmp_path, people=3, capacity=2)


def sample(name: str, person: str, table: Roundtable) -> bytes:
    """The sample with its person's address (or the failed recipient) replaced by `person`."""
    raw = (SAMPLES / name).read_bytes()
    for theirs in SAMPLE_PEOPLE[name]:
        raw = raw.replace(theirs.encode(), person.encode())
    return raw.replace(b"rsvp@roundtable.example.org", ORGANIZER.encode())


SAMPLE_PEOPLE = {
    "ooo_plain_en_no_headers.eml": ["ken@example.com"],
    "ooo_html_no_headers.eml": ["claire@example.fr"],
    "ooo_exchange_rules_loop.eml": ["priya@contoso.example"],
    "ooo_exchange_generated_source.eml": ["bob.stone@contoso.example"],
    "warning_postfix_delayed.eml": ["frank@old.example.com"],
    "warning_sendmail_text.eml": ["ivan.berg@example.net"],
    "warning_gmail_delay.eml": ["ann@slow.example.org"],
    "warning_display_name_re.eml": ["dora@example.net"],
    "bounce_latin1_from.eml": ["ann@example.fr"],
    "withdrawal_top_posted.eml": ["anna@example.de"],
    "offtopic_sure_top_posted.eml": ["dan@example.com"],
}


def seated_then(table: Roundtable, raw: bytes) -> None:
    """Participant 1 says yes and is seated; then `raw` arrives and a tick reads it."""
    table.tick(0)
    table.reply(1, "Yes, count me in.", 5)
    table.tick(10)
    assert table.states()[table.address(1)] == ("seated", 1)
    table.raw(raw, 15)
    table.tick(20)


@pytest.mark.parametrize(
    "name",
    [
        "ooo_plain_en_no_headers.eml",
        "ooo_html_no_headers.eml",
        "ooo_exchange_rules_loop.eml",
        "ooo_exchange_generated_source.eml",
        "warning_postfix_delayed.eml",
        "warning_sendmail_text.eml",
        "warning_gmail_delay.eml",
        "warning_display_name_re.eml",
    ],
)
def test_out_of_office_and_delivery_warnings_keep_the_seat_and_get_no_answer(
    table: Roundtable, name: str
) -> None:
    """An out-of-office (with or without headers) or a delivery warning frees no seat, gets no reply."""
    seated_then(table, sample(name, table.address(1), table))
    state = table.states()[table.address(1)]
    assert state == ("seated", 1)
    kinds = [row["kind"] for row in table.outbox() if row["person"] == table.address(1)]
    assert kinds == ["invitation", "seated"]


def test_withdrawn_acceptance_frees_the_seat(table: Roundtable) -> None:
    """ "ich muss meine Zusage leider zurückziehen" from the seated cancels the seat."""
    seated_then(table, sample("withdrawal_top_posted.eml", table.address(1), table))
    assert table.states()[table.address(1)][0] == "cancelled"


def test_reply_about_something_else_takes_no_seat(table: Roundtable) -> None:
    """ "Sure, …" about something else, from someone who never answered, seats nobody."""
    table.tick(0)
    table.raw(sample("offtopic_sure_top_posted.eml", table.address(2), table), 5)
    table.tick(10)
    assert table.states()[table.address(2)][0] in ("invited", "unconfirmed")


def test_bounce_with_a_latin1_sender_shows_no_traceback(
    table: Roundtable, caplog: pytest.LogCaptureFixture
) -> None:
    """A bounce with a raw Latin-1 byte in its From is read; no traceback reaches the log."""
    caplog.set_level(logging.INFO)
    table.tick(0)
    table.raw(sample("bounce_latin1_from.eml", table.address(1), table), 5)
    output = table.tick(10)
    assert "Traceback" not in output
    assert not [r for r in caplog.records if r.exc_info and r.levelno > logging.DEBUG]
    assert table.states()[table.address(1)][0] == "bounced"


def test_five_megabyte_reply_is_read(mail_stack: MailStack, tmp_path: Path) -> None:
    """Under a raised [limits] max_message_kb, a 5 MB reply is read from its top and seats."""
    table = Roundtable(mail_stack, tmp_path, people=2, capacity=2, max_message_kb=8192)
    table.tick(0)
    table.reply(1, "Yes, I will be there.\n\n" + "a line of a long pasted log file\n" * 160_000, 5)
    table.tick(10)
    assert table.states()[table.address(1)] == ("seated", 1)
