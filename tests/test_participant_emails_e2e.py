"""Every email each participant receives over a whole meeting, with and without the GitHub board:
how many, that no two say the same thing, and that an objector is never asked to object.

Real IMAP and SMTP servers, `mailer tick --now` through the CLI, the GitHub-shaped server for the
board. The README's per-meeting email count is these lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailer.testing import MailStack
from mailer.testing.github_server import GitHubServer

from .scenario import STARTS, Roundtable, at, board_config, github_board

LOGINS = {f"p{n:03d}@guests.test": f"p{n:03d}-gh" for n in range(1, 7)}
DAY = 24 * 60
ENDS = STARTS + timedelta(minutes=75)
MEETING = """
[zoom]
join_url = "https://zoom.example/j/555"
passcode = "lean-coffee"

[recording]
enabled = true
purpose = "to write the takeaways afterwards"

[reminders]
before = ["7d", "1d", "1h"]

[takeaways]
auto_send = true
digest_hold = "1h"
"""
SEAT = "You have a seat"
REMINDERS = ["In a week", "Tomorrow", "In an hour"]
# What each person receives, by the start of each subject.
SEATED = ["Invitation", SEAT, *REMINDERS, "Takeaways"]
EXPECTED = {
    1: ["Invitation", SEAT, "Your seat is released"],  # cancels
    2: ["Invitation", SEAT, "Your objection is noted", *REMINDERS, "Takeaways"],
    3: SEATED,
    4: [  # waits, objects while waiting, then gets the seat 1 gives up
        "Invitation",
        "On the waiting line",
        "Your objection is noted",
        "A seat opened up for you",
        *REMINDERS,
        "Takeaways",
    ],
    5: ["Invitation", "Thanks for letting us know"],  # declines
    6: ["Invitation"],  # never answers
}


@pytest.fixture
def hub() -> Iterator[GitHubServer]:
    with github_board(LOGINS.values()) as server:
        yield server


def a_whole_meeting(table: Roundtable, hub: GitHubServer | None) -> None:
    table.tick(0)
    table.reply(1, "Yes, count me in!", 5)
    table.calendar(2, "ACCEPTED", 6)
    table.reply(3, "I'll be there.", 7)
    table.reply(4, "yes please", 8)
    table.reply(5, "Sorry, I can't make it this time.", 9)
    table.tick(15)
    if hub is not None:
        hub.add_issue("Hiring seniors")
        for n in (1, 2, 3):
            hub.accept(LOGINS[table.address(n)])
    table.reply(2, "OBJECT", 2 * DAY)
    table.reply(4, "I object to the recording, please", 2 * DAY + 1)
    table.tick(2 * DAY + 5)
    table.reply(1, "Something came up and I can't come after all. Sorry!", 5 * DAY)
    table.tick(5 * DAY + 5)
    if hub is not None:
        hub.accept(LOGINS[table.address(4)])
        table.tick(5 * DAY + 6)
    for moment in (
        STARTS - timedelta(days=7),
        STARTS - timedelta(hours=23),
        STARTS - timedelta(minutes=50),
    ):
        table.tick(at(moment))
        table.tick(at(moment) + 1)  # a repeated tick sends nothing more
    table.reply(3, "Great session.\n\nTakeaway: Pair new hires with on-call", at(ENDS) + 5)
    table.tick(at(ENDS) + 10)
    table.tick(at(ENDS + timedelta(hours=24)) + 1)  # the draft to the organizer
    table.tick(at(ENDS + timedelta(hours=25)) + 2)  # sent on its own after digest_hold
    table.tick(at(ENDS + timedelta(days=3)))


def subjects(table: Roundtable, n: int) -> list[str]:
    return [s.split(":")[0].strip() for s in table.subjects(n)]


def text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).split("\n-- \n")[0]


def check(table: Roundtable) -> None:
    for n, expected in EXPECTED.items():
        assert subjects(table, n) == expected, f"person {n}"
        bodies = [text(m) for m in table.inbox(n)]
        assert len(set(bodies)) == len(bodies), f"person {n} got the same text twice"
    for n in (2, 4):  # from their objection on, nothing asks them to object
        received = table.inbox(n)
        noted = next(i for i, m in enumerate(received) if "objection is noted" in str(m["Subject"]))
        for message in received[noted:]:
            assert "OBJECT" not in text(message), message["Subject"]
    assert len(SEATED) == 6  # the README's count for someone seated from their first reply


def test_every_email_of_a_whole_meeting(mail_stack: MailStack, tmp_path: Path) -> None:
    """Without the board: a seated participant gets 6 emails from invitation to digest."""
    table = Roundtable(mail_stack, tmp_path, people=6, capacity=3, extra=MEETING)
    a_whole_meeting(table, None)
    check(table)
    # The recording notice rode in the seat email: status counts them as told.
    consent = {a["email"]: a["consent"] for a in table.status()["events"][0]["attendees"]}
    assert [consent[table.address(n)] for n in (2, 3, 4)] == ["objected", "notified", "objected"]


def test_every_email_of_a_whole_meeting_with_the_board(
    mail_stack: MailStack, tmp_path: Path, hub: GitHubServer
) -> None:
    """With the GitHub board: no more emails; the agenda rides in the day's reminder, the
    username is known, and GitHub's own invitation is GitHub's."""
    extra = MEETING + board_config(hub)
    table = Roundtable(mail_stack, tmp_path, people=6, capacity=3, extra=extra, github=LOGINS)
    a_whole_meeting(table, hub)
    check(table)
    tomorrow = next(m for m in table.inbox(3) if str(m["Subject"]).startswith("Tomorrow"))
    assert "Hiring seniors" in text(tomorrow)
