"""A meeting run to its end: takeaways from a comment, the notes file and an email; the draft;
APPROVE by reply; each attendee's digest and no one else's; the archive's pages and search.

Real IMAP and SMTP servers, the GitHub-shaped server through PyGithub, `mailer` through its CLI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack
from mailer.testing.github_server import GitHubServer

from .scenario import STARTS, Roundtable, at, board_config, github_board

LOGINS = {f"p{n:03d}@guests.test": f"p{n:03d}-gh" for n in range(1, 5)}
ENDS = STARTS + timedelta(minutes=75)


@pytest.fixture
def hub() -> Iterator[GitHubServer]:
    with github_board(LOGINS.values()) as server:
        yield server


class Text(HTMLParser):
    """The visible text of a page (what a reader sees, markup aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def subjects(table: Roundtable, n: int) -> list[str]:
    return [str(m["Subject"]) for m in table.inbox(n)]


def test_a_meeting_from_takeaways_to_digest_and_archive(
    mail_stack: MailStack, tmp_path: Path, hub: GitHubServer
) -> None:
    """Every source of takeaways reaches the approved digest, the seated alone get it, and the
    archive shows and finds them."""
    extra = board_config(hub)
    table = Roundtable(mail_stack, tmp_path, people=4, capacity=2, extra=extra, github=LOGINS)
    table.tick(0)
    for n in (1, 2, 3):
        table.reply(n, "Yes, count me in", n)  # 3 waits in line
    table.tick(10)
    (tmp_path / "takeaways").mkdir()
    (tmp_path / "takeaways" / "2026-12-velocity.md").write_text(
        "# Notes\n## Hiring\n- Hire for curiosity <script>alert(1)</script>\n"
    )
    topic = hub.add_issue("Deploying on Fridays", user="p001-gh", assignees=["p001-gh"])
    hub.react(topic, "p002-gh")
    hub.close(topic, at=STARTS + timedelta(minutes=40))
    hub.comment(topic, "p001-gh", "Takeaway: Feature flags make Fridays boring", at=ENDS)
    table.reply(2, "Great session.\n\nTakeaway: Pair new hires with on-call", at(ENDS) + 5)

    table.tick(at(ENDS + timedelta(hours=24)) + 1)  # the draft
    raws = [participants.read([raw])[0] for raw in mail_stack.messages(ORGANIZER)]
    draft = next(m for m in raws if str(m["Subject"]).startswith("Draft for your approval"))
    when = ENDS + timedelta(hours=25)
    table.raw(
        participants.written_reply(draft, ("Organizer", ORGANIZER), "APPROVE", when), at(when)
    )
    table.tick(at(when) + 1)

    for n in (1, 2):
        (digest,) = [m for m in table.inbox(n) if str(m["Subject"]).startswith("Takeaways:")]
        text = digest.get_body(("plain",)).get_content()
        for said in (
            "Feature flags make Fridays boring (Person 001)",
            "Pair new hires with on-call (Person 002)",
            "Hire for curiosity",
        ):
            assert said in text
    for n in (3, 4):
        assert not [s for s in subjects(table, n) if s.startswith("Takeaways:")]

    site = tmp_path / "site"
    table.run("archive", "build", "--out", str(site))
    page = Text()
    page.feed((site / "meetings" / "2026-12-velocity.html").read_text())
    visible = " ".join(page.text)
    assert "Feature flags make Fridays boring" in visible
    assert "<script>alert(1)</script>" in visible  # shown as text, never run
    found = [
        json.loads(line)
        for line in table.run("archive", "search", "--json", "on-call").splitlines()
    ]
    assert [hit["text"] for hit in found] == ["Pair new hires with on-call"]
