"""`mailer announce`: a one-off note to a group, sent once, never the link to anyone unseated."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailer.testing import MailStack

from .scenario import T0, Roundtable


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    table = Roundtable(mail_stack, tmp_path, people=3, capacity=2)
    table.tick(0)
    for n in (1, 2, 3):
        table.reply(n, "Yes", n)  # 3 waits in line
    table.tick(10)
    return table


def notes(table: Roundtable, n: int) -> list[str]:
    return [s for s in table.subjects(n) if s == "Room change"]


def test_a_note_reaches_its_group_once(table: Roundtable, tmp_path: Path) -> None:
    """The seated get the note; the waiting do not; the same file run again sends nothing."""
    note = tmp_path / "note.md"
    note.write_text("# Room change\n\nWe meet in the new Zoom room this time.\n")
    args = ["announce", "--event", "2026-12-velocity", "--to", "seated", "--file", str(note)]
    now = ["--now", T0.replace(hour=12).isoformat()]
    table.run(*args, *now)
    table.run(*args, *now)
    assert [len(notes(table, n)) for n in (1, 2, 3)] == [1, 1, 0]


def test_a_note_with_the_link_never_goes_to_the_unseated(table: Roundtable, tmp_path: Path) -> None:
    """A note carrying the meeting link is refused for any group but the seated."""
    text = table.config_path.read_text()
    table.config_path.write_text(text + '\n[zoom]\njoin_url = "https://zoom.example/j/42"\n')
    note = tmp_path / "note.md"
    note.write_text("# Room change\n\nJoin here: https://zoom.example/j/42\n")
    args = ["announce", "--event", "2026-12-velocity", "--to", "waiting", "--file", str(note)]
    output = table.run(*args, expect=1)
    assert "carries the meeting link" in output
    assert notes(table, 3) == []
