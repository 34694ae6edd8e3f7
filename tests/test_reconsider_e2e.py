"""Set-aside mail looked at again when the invitee list changes: a late-added stranger's yes counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailer.testing import MailStack
from tests.scenario import Roundtable

STRANGER = "someone@elsewhere.test"


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    """Three invitees, two seats; a stranger writes "yes" before anyone else answers."""
    mail_stack.add_user(STRANGER, "pw")
    table = Roundtable(mail_stack, tmp_path, people=3, capacity=2)
    table.tick(0)
    table.stranger("yes, count me in", 5)
    table.tick(10)
    return table


def add_stranger(table: Roundtable) -> None:
    with table.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[[invitees]]\nname = "Someone"\nemail = "{STRANGER}"\n')


def test_a_strangers_yes_waits_as_unmatched(table: Roundtable) -> None:
    """Before the organizer adds them, the stranger's mail is a notice and takes no seat."""
    status = table.status()
    assert [n["from"] for n in status["unmatched"]] == [STRANGER]
    assert STRANGER not in table.states()


def test_an_added_stranger_is_seated_by_their_first_arrival(table: Roundtable) -> None:
    """Added to config.toml, the stranger's earlier yes counts at its arrival, ahead of later yeses."""
    add_stranger(table)
    table.reply(1, "Yes, count me in!", 12)
    table.reply(2, "I'll be there.", 13)
    table.tick(20)
    states = table.states()
    assert states[STRANGER] == ("seated", 1)
    assert states[table.address(1)] == ("seated", 2)
    assert states[table.address(2)][0] == "waitlisted"
    assert table.status()["unmatched"] == []


def test_an_unchanged_invitee_list_reconsiders_nothing(table: Roundtable) -> None:
    """Without a change to the invitees, the stranger's mail stays where it was."""
    table.tick(20)
    assert [n["from"] for n in table.status()["unmatched"]] == [STRANGER]
