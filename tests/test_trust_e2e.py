"""Who may speak for an invitee, end to end: hostile mail through real IMAP and SMTP servers.

Every seat rests on mail that really comes from that person: an address hidden in a display
name, a calendar reply sent for someone else, a From that the organizer's own server says is
forged, and an oversized message all change no one's seat, and the organizer hears of each.
"""

from __future__ import annotations

import base64
import email
import email.policy
from pathlib import Path
from typing import Any

import pytest

from mailer.sandbox import participants
from mailer.testing import MailStack

from .scenario import T0, Roundtable

TRUSTED = "mx.organizer.test"


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    return Roundtable(mail_stack, tmp_path, people=3, capacity=2, trusted_authserv_id=TRUSTED)


def _reply_as(table: Roundtable, n: int, text: str, from_header: str, *extra: str) -> bytes:
    """Participant n's reply, with its From header replaced and `extra` headers on top."""
    original = participants.invitation_in(table.stack.messages(table.address(n)))
    raw = participants.written_reply(original, table.people[n - 1], text, T0)
    msg = email.message_from_bytes(raw)
    del msg["From"]
    msg["From"] = from_header
    head = "".join(f"{line}\r\n" for line in extra).encode()
    return head + msg.as_bytes()


def _accept_for_1(table: Roundtable, from_header: str) -> bytes:
    """Participant 1's calendar Accept (ATTENDEE Person 001), sent with another From."""
    original = participants.invitation_in(table.stack.messages(table.address(1)))
    msg = email.message_from_bytes(
        participants.calendar_reply(original, table.people[0], "ACCEPTED", T0)
    )
    del msg["From"]
    msg["From"] = from_header
    return msg.as_bytes()


def _notices(table: Roundtable) -> list[dict[str, Any]]:
    status = table.status()
    return [*status["unmatched"], *status["notices"]]


def test_address_in_an_encoded_display_name_names_no_one(table: Roundtable) -> None:
    """A yes whose display name decodes to an invitee's address counts for its real sender only."""
    table.tick(0)
    name = base64.b64encode(table.address(1).encode()).decode()
    table.raw(_reply_as(table, 1, "Yes!", f"=?utf-8?b?{name}?= <mallory@attacker.test>"), 5)
    table.tick(10)
    assert table.states()[table.address(1)][0] == "invited"
    assert any("mallory@attacker.test" in n["from"] for n in _notices(table))
    assert len(table.inbox(1)) == 1  # the invitation only: nothing was sent to Person 001


def test_display_name_with_header_text_still_routes_to_its_sender(table: Roundtable) -> None:
    """An encoded display name containing "Bcc: someone" does not hide the real sender's yes."""
    table.tick(0)
    name = "=?utf-8?q?Person_001_Bcc:_mallory@attacker.test?="
    table.raw(_reply_as(table, 1, "Yes, count me in", f"{name} <{table.address(1)}>"), 5)
    table.tick(10)
    assert table.states()[table.address(1)] == ("seated", 1)


def test_stranger_calendar_reply_for_an_invitee_seats_no_one(table: Roundtable) -> None:
    """An Accept from a stranger whose ATTENDEE is an invitee changes nobody's seat."""
    table.tick(0)
    table.raw(_accept_for_1(table, from_header="Stranger <stranger@elsewhere.test>"), 5)
    table.tick(10)
    assert table.states()[table.address(1)][0] == "invited"
    assert any("counts only for its own sender" in n["reason"] for n in _notices(table))


def test_invitee_calendar_reply_for_another_invitee_seats_no_one(table: Roundtable) -> None:
    """One invitee cannot accept on another invitee's behalf by naming them as ATTENDEE."""
    table.tick(0)
    table.raw(_accept_for_1(table, from_header=f"Person 002 <{table.address(2)}>"), 5)
    table.tick(10)
    states = table.states()
    assert states[table.address(1)][0] == "invited" and states[table.address(2)][0] == "invited"


def test_forged_from_that_fails_dmarc_at_our_server_is_held(table: Roundtable) -> None:
    """Our server's dmarc=fail holds the yes: no seat, no answer to the forged address."""
    table.tick(0)
    verdict = f"Authentication-Results: {TRUSTED}; spf=fail smtp.mailfrom=guests.test; dmarc=fail header.from=guests.test"
    raw = _reply_as(table, 1, "Yes!", f"Person 001 <{table.address(1)}>", verdict)
    table.raw(raw, 5)
    table.tick(10)
    assert table.states()[table.address(1)][0] == "invited"
    assert len(table.inbox(1)) == 1
    held = [n for n in _notices(table) if n["kind"] == "held"]
    assert held and "dmarc=fail" in held[0]["reason"]


def test_spf_and_dkim_both_failing_without_dmarc_is_held(table: Roundtable) -> None:
    """Without a DMARC verdict, SPF failing with no passing DKIM signature holds the message."""
    table.tick(0)
    verdict = (
        f"Authentication-Results: {TRUSTED}; spf=softfail smtp.mailfrom=guests.test; dkim=none"
    )
    table.raw(_reply_as(table, 1, "Yes!", f"<{table.address(1)}>", verdict), 5)
    table.tick(10)
    assert table.states()[table.address(1)][0] == "invited"


def test_authentication_results_from_another_server_are_ignored(table: Roundtable) -> None:
    """A dmarc=fail written by any server but ours proves nothing: the yes seats as usual."""
    table.tick(0)
    verdict = "Authentication-Results: mx.elsewhere.test; dmarc=fail header.from=guests.test"
    table.raw(_reply_as(table, 1, "Yes!", f"<{table.address(1)}>", verdict), 5)
    table.tick(10)
    assert table.states()[table.address(1)] == ("seated", 1)


def test_a_passing_verdict_from_our_server_seats(table: Roundtable) -> None:
    """dmarc=pass at our server is a yes like any other, whatever other servers wrote below."""
    table.tick(0)
    ours = f"Authentication-Results: {TRUSTED}; spf=pass smtp.mailfrom=guests.test; dmarc=pass header.from=guests.test"
    theirs = "Authentication-Results: mx.elsewhere.test; dmarc=fail header.from=guests.test"
    table.raw(_reply_as(table, 1, "Yes!", f"<{table.address(1)}>", ours, theirs), 5)
    table.tick(10)
    assert table.states()[table.address(1)] == ("seated", 1)


def test_message_above_the_size_cap_is_set_aside_unread(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A message above [limits] max_message_kb takes no seat and is kept for the organizer."""
    table = Roundtable(mail_stack, tmp_path, people=2, capacity=2, max_message_kb=64)
    table.tick(0)
    body = "Yes, I will be there.\n\n" + "padding line of an attachment\n" * 4000
    table.raw(_reply_as(table, 1, body, f"<{table.address(1)}>"), 5)
    table.tick(10)
    assert table.states()[table.address(1)][0] == "invited"
    aside = [n for n in _notices(table) if n["kind"] == "set_aside"]
    assert aside and "max_message_kb" in aside[0]["reason"]


def test_doubtful_yes_is_asked_and_a_confirmation_seats(table: Roundtable) -> None:
    """ "Sounds good" takes no seat but asks; "sure" in reply to that question takes it."""
    table.tick(0)
    table.reply(1, "Sounds good, thanks.", 5)
    table.tick(10)
    assert table.states()[table.address(1)][0] == "unconfirmed"
    question = table.inbox(1)[-1]
    assert str(question["Subject"]).startswith("Did you mean you will come?")
    answer = participants.written_reply(question, table.people[0], "Sure!", T0)
    table.raw(answer, 15)
    table.tick(20)
    assert table.states()[table.address(1)] == ("seated", 1)
