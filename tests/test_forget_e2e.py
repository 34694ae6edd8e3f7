"""A seated person asks, in German, to be forgotten: on real IMAP and SMTP servers and a real file."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack
from tests.scenario import STARTS, T0, Roundtable, at

PHRASE = "Zebrafink Quasar"  # in no email but the forgotten person's reply
NEXT = STARTS + timedelta(days=28)
SECOND_EVENT = f"""
[[events]]
id = "next-meeting"
title = "The next roundtable"
starts = "{NEXT.replace(tzinfo=None).isoformat()}"
timezone = "America/New_York"
capacity = 2
invite_at = "{(STARTS + timedelta(days=2)).replace(tzinfo=None).isoformat()}"
"""


def two_seated_one_waiting(mail_stack: MailStack, folder: Path) -> Roundtable:
    """Two seats; persons 1 and 2 are seated, 3 waits."""
    table = Roundtable(mail_stack, folder, people=3, capacity=2)
    table.tick(0)
    for n, minute in ((1, 5), (2, 6), (3, 7)):
        table.reply(n, "Yes, count me in!", minute)
    table.tick(10)
    return table


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    """Person 1, seated, asks in German to be forgotten."""
    table = two_seated_one_waiting(mail_stack, tmp_path)
    table.reply(1, f"Guten Tag,\n\nbitte löschen Sie meine Daten. {PHRASE}.\n\nGruß", 20)
    table.tick(30)
    return table


def database_bytes(folder: Path) -> bytes:
    """The database file and its write-ahead log, as bytes on disk, after a checkpoint."""
    with sqlite3.connect(folder / "mailer.db") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = folder / "mailer.db-wal"
    return (folder / "mailer.db").read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_the_seat_goes_to_the_first_in_line(table: Roundtable) -> None:
    """The forgotten person's seat passes to the first in line, who is told they are promoted."""
    states = table.states()
    assert table.address(1) not in states
    assert states[table.address(3)] == ("seated", 2)
    assert any("seat" in s.lower() for s in table.subjects(3)[-1:])


def test_their_rows_and_words_are_gone_from_the_file(table: Roundtable) -> None:
    """Neither their address nor a phrase of their reply is left in the database file or its log."""
    assert PHRASE.encode() in b"".join(table.stack.messages(ORGANIZER))
    stored = database_bytes(table.config_path.parent).lower()
    assert table.address(1).encode() not in stored
    assert PHRASE.lower().encode() not in stored


def test_they_get_one_confirmation_then_silence(table: Roundtable) -> None:
    """One confirmation reaches them; writing again gets no answer at all."""
    assert table.subjects(1)[-1].startswith("You have been removed")
    count = len(table.subjects(1))
    table.reply(1, "Actually, yes, I will come after all!", 40)
    table.tick(50)
    assert len(table.subjects(1)) == count
    assert table.address(1).encode() not in database_bytes(table.config_path.parent)


def test_the_next_meetings_invitations_skip_them(table: Roundtable) -> None:
    """Still in config.toml, the forgotten person is not invited to the next meeting."""
    with table.config_path.open("a", encoding="utf-8") as config:
        config.write(SECOND_EVENT)
    count = len(table.subjects(1))
    table.tick(at(STARTS + timedelta(days=3)))
    assert len(table.subjects(1)) == count
    assert any("next roundtable" in s for s in table.subjects(2))
    status = table.status()
    nxt = next(e for e in status["events"] if e["id"] == "next-meeting")
    assert table.address(1) not in {a["email"] for a in nxt["attendees"]}


def test_the_organizer_is_told(table: Roundtable) -> None:
    """The organizer's summary says someone asked to be forgotten; status names whom to remove."""
    summaries = [r for r in table.stack.messages(ORGANIZER) if b"was forgotten (#" in r]
    assert summaries
    assert table.address(1) in table.run("status")


def test_mailer_forget_frees_the_seat_like_a_reply(mail_stack: MailStack, tmp_path: Path) -> None:
    """`mailer forget EMAIL` does what the reply does: seat freed, confirmation, rows erased."""
    table = two_seated_one_waiting(mail_stack, tmp_path)
    assert "forgotten #" in table.run(
        "forget", table.address(2), "--now", (T0 + timedelta(minutes=20)).isoformat()
    )
    table.tick(30)
    assert table.states()[table.address(3)] == ("seated", 2)
    assert table.subjects(2)[-1].startswith("You have been removed")
    assert table.address(2).encode() not in database_bytes(tmp_path)
