"""Simulated participants for the sandbox, the tests and the benchmark: replies as real clients write them.

A participant reads the invitation that reached their own mailbox and answers it the way Gmail
(top-posted text over an "On ... wrote:" quote), Outlook (an iMIP METHOD:REPLY with the calendar
Accept/Decline) or a vacation responder would. The answer is put into the organizer's mailbox
with an explicit INTERNALDATE, so scenarios control the order in which replies "reached the server".
"""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from icalendar import Calendar, vCalAddress

POLICY = email.policy.SMTP


def read(messages: list[bytes]) -> list[EmailMessage]:
    """A mailbox's raw messages as a participant's mail program shows them."""
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in messages]


def invitation_in(messages: list[bytes]) -> EmailMessage:
    """The newest invitation among a participant's messages (the one with a calendar part)."""
    for raw in reversed(messages):
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if any(part.get_content_type() == "text/calendar" for part in msg.walk()):
            return msg
    raise LookupError("no invitation in this mailbox")


def written_reply(
    original: EmailMessage, sender: tuple[str, str], text: str, when: datetime
) -> bytes:
    """A top-posted reply as Gmail writes it: the person's words, then the quoted invitation."""
    body = original.get_body(("plain",))
    quoted = "\n".join(f"> {line}" for line in (body.get_content() if body else "").splitlines())
    on = f"On {format_datetime(when.astimezone(UTC))}, {original['From']} wrote:"
    msg = _reply_headers(original, sender, when)
    msg.set_content(f"{text}\n\n{on}\n{quoted}\n")
    return msg.as_bytes(policy=POLICY)


def calendar_reply(
    original: EmailMessage, sender: tuple[str, str], partstat: str, when: datetime
) -> bytes:
    """An Outlook-style iMIP reply: "Accepted: <title>" with a METHOD:REPLY calendar part."""
    request = next(p for p in original.walk() if p.get_content_type() == "text/calendar")
    invite = Calendar.from_ical(request.get_content()).walk("VEVENT")[0]
    cal = Calendar()
    cal.add("prodid", "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN")
    cal.add("version", "2.0")
    cal.add("method", "REPLY")
    vevent = invite.__class__()
    for name in ("UID", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER"):
        vevent[name] = invite[name]
    vevent.add("dtstamp", when)
    attendee = vCalAddress(f"mailto:{sender[1]}")
    attendee.params["PARTSTAT"] = partstat
    attendee.params["CN"] = sender[0]
    vevent.add("attendee", attendee)
    cal.add_component(vevent)

    word = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentative"}[partstat]
    msg = _reply_headers(original, sender, when, subject=f"{word}: {invite['SUMMARY']}")
    msg.set_content("")
    msg.add_alternative(cal.to_ical().decode(), subtype="calendar", params={"method": "REPLY"})
    return msg.as_bytes(policy=POLICY)


def out_of_office(original: EmailMessage, sender: tuple[str, str], when: datetime) -> bytes:
    """An Exchange vacation answer: RFC 3834 headers and a human-looking body."""
    msg = _reply_headers(original, sender, when, subject=f"Automatic reply: {original['Subject']}")
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(
        "I am out of the office until Monday with limited access to email. Yes, I will reply then.\n"
    )
    return msg.as_bytes(policy=POLICY)


def new_message(sender: tuple[str, str], to: str, subject: str, text: str, when: datetime) -> bytes:
    """A fresh message that answers nothing (for strangers, or people who start a new thread)."""
    msg = EmailMessage()
    msg["From"] = formataddr(sender)
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when.astimezone(UTC))
    msg["Message-ID"] = make_msgid(domain=sender[1].rpartition("@")[2])
    msg.set_content(text + "\n")
    return msg.as_bytes(policy=POLICY)


def _reply_headers(
    original: EmailMessage, sender: tuple[str, str], when: datetime, subject: str = ""
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr(sender)
    msg["To"] = formataddr(parseaddr(str(original["From"])))
    msg["Subject"] = subject or f"Re: {original['Subject']}"
    msg["Date"] = format_datetime(when.astimezone(UTC))
    msg["Message-ID"] = make_msgid(domain=sender[1].rpartition("@")[2])
    msg["In-Reply-To"] = str(original["Message-ID"])
    msg["References"] = " ".join(
        filter(None, [str(original.get("References") or ""), str(original["Message-ID"])])
    ).strip()
    return msg


def delivery_failure(recipient: str, to: str, when: datetime, status: str = "5.1.1") -> bytes:
    """A DSN (RFC 3464) as Postfix sends it: delivery to `recipient` failed for good.

    Postfix marks its bounces Auto-Submitted, so the bounce rule must win over the auto-reply rule.
    """
    lines = [
        "From: Mail Delivery System <MAILER-DAEMON@mx.guests.test>",
        f"To: {to}",
        "Subject: Undelivered Mail Returned to Sender",
        f"Date: {format_datetime(when.astimezone(UTC))}",
        f"Message-ID: {make_msgid(domain='mx.guests.test')}",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
        "",
        "--dsn-boundary",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        f"Your message could not be delivered to {recipient}.",
        "",
        "--dsn-boundary",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.guests.test",
        "",
        f"Final-Recipient: rfc822; {recipient}",
        "Action: failed",
        f"Status: {status}",
        f"Diagnostic-Code: smtp; 550 {status} User unknown",
        "",
        "--dsn-boundary--",
        "",
    ]
    return "\r\n".join(lines).encode()
