"""The takeaways digest end to end: notes and emails gathered, a draft, APPROVE by reply, sent.

A meeting runs to its end on real IMAP and SMTP servers; `mailer tick --now` through the CLI.
"""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack

from .scenario import STARTS, T0, Roundtable, at

ENDS = STARTS + timedelta(minutes=75)


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    table = Roundtable(mail_stack, tmp_path, people=3, capacity=2)
    table.tick(0)
    table.reply(1, "Yes, count me in.", 5)
    table.reply(2, "Yes please", 6)
    table.reply(3, "Yes!", 7)  # the line: no digest for them
    table.tick(10)
    notes = tmp_path / "takeaways"
    notes.mkdir()
    (notes / "2026-12-velocity.md").write_text(
        "# Notes\n\n## Deploying on Fridays\n- Feature flags make Friday deploys boring\n"
    )
    return table


def organizer_mail(table: Roundtable) -> list[EmailMessage]:
    raws = table.stack.messages(ORGANIZER)
    found = [email.message_from_bytes(r, policy=email.policy.default) for r in raws]
    return [m for m in found if str(m["Subject"]).startswith("Draft for your approval")]  # type: ignore[misc]


def digest_of(table: Roundtable, n: int) -> EmailMessage | None:
    return next((m for m in table.inbox(n) if str(m["Subject"]).startswith("Takeaways:")), None)


def test_meeting_to_digest_by_approval(table: Roundtable) -> None:
    """Notes and an attendee's email make the draft; APPROVE by reply sends it to the seated."""
    table.reply(1, "Takeaway: Pair juniors with the on-call lead", at(STARTS) + 30)
    table.tick(at(ENDS) + 60)
    assert organizer_mail(table) == []  # not before digest_after
    table.tick(at(ENDS + timedelta(hours=24)) + 1)
    (draft,) = organizer_mail(table)
    assert "Feature flags make Friday deploys boring" in draft.get_body(("plain",)).get_content()
    assert digest_of(table, 1) is None
    when = ENDS + timedelta(hours=26)
    approval = participants.written_reply(draft, ("Organizer", ORGANIZER), "APPROVE", when)
    table.raw(approval, at(when))
    table.tick(at(when) + 1)
    for n in (1, 2):
        digest = digest_of(table, n)
        assert digest is not None
        text = digest.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert "Pair juniors with the on-call lead (Person 001)" in text
        assert "Feature flags make Friday deploys boring" in text
        assert "@" not in text.split("-- \n")[0]  # no one's address in the digest itself
    assert digest_of(table, 3) is None
    table.tick(at(when) + 60)
    assert sum(1 for m in table.inbox(1) if str(m["Subject"]).startswith("Takeaways:")) == 1


def test_draft_is_not_approved_by_its_own_text(table: Roundtable) -> None:
    """The draft lands in the organizer's own inbox; its "Reply APPROVE" approves nothing."""
    table.tick(at(ENDS + timedelta(hours=24)) + 1)
    table.tick(at(ENDS + timedelta(hours=25)))
    assert organizer_mail(table) and digest_of(table, 1) is None


def test_approval_from_someone_else_sends_nothing(table: Roundtable) -> None:
    """An attendee answering APPROVE to a forwarded draft approves nothing."""
    table.tick(at(ENDS + timedelta(hours=24)) + 1)
    (draft,) = organizer_mail(table)
    when = ENDS + timedelta(hours=26)
    table.raw(participants.written_reply(draft, table.people[0], "APPROVE", when), at(when))
    table.tick(at(when) + 1)
    assert digest_of(table, 1) is None


def test_digest_send_command_sends_at_once(table: Roundtable) -> None:
    """`mailer digest --send` approves and sends, once."""
    table.tick(at(ENDS) + 10)
    later = (T0 + timedelta(minutes=at(ENDS) + 20)).isoformat()
    table.run("digest", "--event", "2026-12-velocity", "--send", "--now", later)
    assert digest_of(table, 1) is not None and digest_of(table, 3) is None


def test_preview_prints_the_digest_and_writes_its_html(table: Roundtable, tmp_path: Path) -> None:
    """`mailer digest --preview` prints the text as sent and writes the HTML; nothing is sent."""
    table.tick(at(ENDS) + 10)
    html = tmp_path / "digest.html"
    now = (T0 + timedelta(minutes=at(ENDS) + 20)).isoformat()
    shown = table.run(
        "digest", "--event", "2026-12-velocity", "--preview", "--html", str(html), "--now", now
    )
    assert "Subject: Takeaways: Development Velocity" in shown
    assert "Feature flags make Friday deploys boring" in shown
    assert "Feature flags make Friday deploys boring" in html.read_text()
    assert digest_of(table, 1) is None


def test_forged_approval_is_held(mail_stack: MailStack, tmp_path: Path) -> None:
    """An APPROVE whose From our server says is forged approves nothing."""
    table = Roundtable(mail_stack, tmp_path, people=2, capacity=2, trusted_authserv_id="mx.test")
    table.tick(0)
    table.reply(1, "Yes", 5)
    table.tick(10)
    table.tick(at(ENDS + timedelta(hours=24)) + 1)
    (draft,) = organizer_mail(table)
    when = ENDS + timedelta(hours=26)
    forged = participants.written_reply(draft, ("Organizer", ORGANIZER), "APPROVE", when)
    stamp = b"Authentication-Results: mx.test; dmarc=fail header.from=roundtable.test\r\n"
    table.raw(stamp + forged, at(when))
    table.tick(at(when) + 1)
    assert digest_of(table, 1) is None


def test_takeaway_after_the_digest_is_archived_told_and_sent_as_an_addendum(
    table: Roundtable,
) -> None:
    """A takeaway after the digest: kept, the organizer told once, sent on --addendum only."""
    table.tick(at(ENDS) + 10)
    now = T0 + timedelta(minutes=at(ENDS) + 20)
    table.run("digest", "--event", "2026-12-velocity", "--send", "--now", now.isoformat())
    table.reply(2, "Takeaway: Write the runbook before the incident", at(now) + 60)
    table.tick(at(now) + 70)
    table.tick(at(now) + 80)
    told = [n for n in table.status()["notices"] if n["kind"] == "takeaways"]
    assert len(told) == 1 and "--addendum" in told[0]["reason"]
    assert not [m for m in table.inbox(1) if str(m["Subject"]).startswith("More takeaways")]
    later = (now + timedelta(minutes=90)).isoformat()
    table.run("digest", "--event", "2026-12-velocity", "--addendum", "--now", later)
    (more,) = [m for m in table.inbox(1) if str(m["Subject"]).startswith("More takeaways")]
    text = more.get_body(("plain",)).get_content()
    assert "Write the runbook before the incident (Person 002)" in text
    assert "Feature flags" not in text  # already in the digest


NEXT = """
[[events]]
id = "2026-next"
title = "Roundtable: Incidents"
theme = "Incidents"
starts = "2025-12-04T12:00:00"
timezone = "America/New_York"
capacity = 2
invite_at = "2025-10-23T14:00:00"
"""


def test_takeaway_in_a_new_message_is_for_the_meeting_that_ended(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A new message with "Takeaway:" lines after a meeting is about that meeting, never an RSVP
    to the next one, whatever words it holds."""
    table = Roundtable(mail_stack, tmp_path, people=2, capacity=2, extra=NEXT)
    table.tick(0)
    table.reply(1, "Yes", 5)
    table.tick(10)
    table.tick(at(ENDS) + 60)  # the next meeting's invitations go out
    when = ENDS + timedelta(hours=3)
    raw = participants.new_message(
        table.people[0],
        ORGANIZER,
        "After the roundtable",
        "Takeaway: count me in for the pairing rota, I will be there",
        when,
    )
    table.raw(raw, at(when))
    table.tick(at(when) + 1)
    states = {e["id"]: e for e in table.status()["events"]}
    nxt = {a["email"]: a["state"] for a in states["2026-next"]["attendees"]}
    assert nxt[table.address(1)] == "invited"
    draft_at = at(ENDS + timedelta(hours=24)) + 1
    table.tick(draft_at)
    (draft,) = organizer_mail(table)
    assert "count me in for the pairing rota" in draft.get_body(("plain",)).get_content()
