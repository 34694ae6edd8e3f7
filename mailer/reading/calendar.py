"""Reading iMIP calendar replies (RFC 6047): who answered an invitation, and what.

Owns the `calendar` reply rule. It finds every iCalendar object in a message (calendar parts
anywhere, or a bare .ics file), reads it with icalendar or, for calendars icalendar refuses, a
forgiving line reader, and turns a METHOD:REPLY into the attendee's PARTSTAT as an Intent.

A REQUEST or CANCEL is an invitation, not an answer. Sent as one (by its ORGANIZER, or as a new
message rather than a reply, or with no words of the sender's own) it becomes Kind.OTHER. But
people answer our invitation with a mail client that attaches the invite.ics again, or write
"yes" above a forwarded invitation: then the rule steps aside and the written rule reads the
words. Calendars inside an attached message (message/rfc822) are someone else's and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

import icalendar

from mailer.model import Intent, Kind, Reply
from mailer.reading.message import ParsedMail

_CALENDAR_TYPES = frozenset(
    {"text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics"}
)
_ICS_LINE = re.compile(r"^([A-Za-z-]+)((?:;[^:]*)?):(.*)$")


@dataclass(frozen=True)
class _Calendar:
    """What an iCalendar object says, as far as an RSVP is concerned."""

    method: str
    has_event: bool
    attendees: tuple[tuple[str, str], ...]  # (address, PARTSTAT) from ATTENDEE lines only
    uid: str | None
    organizer: str | None = None  # the ORGANIZER address, lower-cased


def _calendar_texts(mail: ParsedMail) -> Iterator[str]:
    """Every iCalendar object in the message: calendar parts anywhere, or a bare .ics file."""
    head = mail.raw.lstrip()
    if head[:15].upper() == b"BEGIN:VCALENDAR":
        yield head.decode("utf-8", errors="replace")
        return
    for part in _own_parts(mail.msg):
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() in _CALENDAR_TYPES or filename.endswith((".ics", ".vcs")):
            yield _decoded_payload(part)


def _own_parts(msg: Message) -> Iterator[Message]:
    """The leaf parts of the message itself, not descending into attached messages."""
    if not msg.is_multipart():
        yield msg
        return
    payload = msg.get_payload()
    for sub in payload if isinstance(payload, list) else []:
        if isinstance(sub, Message) and sub.get_content_maintype() != "message":
            yield from _own_parts(sub)


def _decoded_payload(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    try:
        return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _address(value: str, email_param: str) -> str:
    address = value.strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    if "@" not in address and "@" in email_param:
        address = email_param  # RFC 7986 EMAIL parameter, used when the value is not mailto:
    return address.strip().strip('"').lower()


def _parse_with_icalendar(text: str) -> _Calendar:
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    attendees: list[tuple[str, str]] = []
    for event in events:
        found = event.get("ATTENDEE")
        for attendee in found if isinstance(found, list) else [found] if found else []:
            params = getattr(attendee, "params", {})
            attendees.append(
                (
                    _address(str(attendee), str(params.get("EMAIL", ""))),
                    str(params.get("PARTSTAT", "")).upper(),
                )
            )
    uid = str(events[0].get("UID")) if events and events[0].get("UID") else None
    found = events[0].get("ORGANIZER") if events else None
    organizer = _address(str(found), "") if found else None
    method = str(cal.get("METHOD", "")).upper()
    return _Calendar(method, bool(events), tuple(attendees), uid, organizer)


def _parse_with_regex(text: str) -> _Calendar:
    """A forgiving line reader for calendars icalendar refuses (RFC 5545 folding undone)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    method, uid, organizer, in_event, has_event = "", None, None, False, False
    attendees: list[tuple[str, str]] = []
    for line in unfolded.splitlines():
        match = _ICS_LINE.match(line.strip())
        if not match:
            continue
        name, params, value = match.group(1).upper(), match.group(2), match.group(3)
        param = dict(
            (k.upper(), v.strip('"'))
            for k, _, v in (p.partition("=") for p in params.split(";") if p)
        )
        if name == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event = has_event = True
        elif name == "END" and value.strip().upper() == "VEVENT":
            in_event = False
        elif name == "METHOD":
            method = value.strip().upper()
        elif in_event and name == "UID" and uid is None:
            uid = value.strip()
        elif in_event and name == "ORGANIZER" and organizer is None:
            organizer = _address(value, param.get("EMAIL", ""))
        elif in_event and name == "ATTENDEE":
            attendees.append(
                (_address(value, param.get("EMAIL", "")), param.get("PARTSTAT", "").upper())
            )
    return _Calendar(method, has_event, tuple(attendees), uid, organizer)


def _read_calendar(text: str) -> _Calendar:
    try:
        parsed = _parse_with_icalendar(text)
    except Exception:  # broken calendars are common in the wild; the line reader still copes
        return _parse_with_regex(text)
    return parsed if parsed.method else _parse_with_regex(text)


_PARTSTAT_INTENT = {"ACCEPTED": Intent.YES, "DECLINED": Intent.NO, "TENTATIVE": Intent.MAYBE}


_ANSWER_SUBJECT = re.compile(r"^\s*(?:re|aw|sv|vs|antw|réf|ref|wg|fw|fwd|tr)\s*:", re.IGNORECASE)


def _sent_as_invitation(mail: ParsedMail, calendars: list[_Calendar]) -> str | None:
    """Why a message carrying only REQUEST/CANCEL calendars is an invitation; None for an answer.

    A server or person inviting sends a new message as (or for) the ORGANIZER, whose text part
    describes the event. A person answering replies in a thread, or forwards, and writes words of
    their own above; the .ics they carry is ours, attached again by their client.
    """
    if any(cal.method == "REPLY" for cal in calendars):
        return "without a VEVENT"  # a REPLY we cannot read, such as a VFREEBUSY: not a person's
    if mail.sender and any(cal.organizer == mail.sender for cal in calendars):
        return "from its ORGANIZER"
    if not mail.references and not _ANSWER_SUBJECT.match(mail.subject):
        return "in a new message"
    if not mail.visible.strip():
        return "with no words of the sender's"
    return None


def calendar(mail: ParsedMail) -> Reply | None:
    """Rule 3: an iMIP REPLY, as the attendee's PARTSTAT; an invitation sent as such is OTHER.

    A reply that only carries an invitation's .ics again (METHOD:REQUEST/CANCEL, no REPLY)
    returns None, so that the automatic and written rules read it.
    """
    calendars = [_read_calendar(text) for text in _calendar_texts(mail)]
    if not calendars:
        return None
    replies = [cal for cal in calendars if cal.method == "REPLY" and cal.has_event]
    if not replies:
        why = _sent_as_invitation(mail, calendars)
        if why is None:
            return None
        methods = "/".join(sorted({cal.method or "no METHOD" for cal in calendars}))
        return mail.reply(
            Kind.OTHER,
            "calendar",
            f"calendar {methods} {why}: not an RSVP",
            evidence=tuple(f"METHOD:{cal.method or 'none'}" for cal in calendars),
        )
    cal = replies[0]
    # A REPLY should name one attendee (RFC 5546); if a client lists more, prefer the sender.
    chosen = next((a for a in cal.attendees if a[0] == mail.sender), None)
    chosen = chosen or next((a for a in cal.attendees if a[1]), None)
    chosen = chosen or (cal.attendees[0] if cal.attendees else None)
    attendee, partstat = chosen if chosen else (None, "")
    intent = _PARTSTAT_INTENT.get(partstat, Intent.UNCLEAR)
    who = attendee or f"no ATTENDEE, sent by {mail.sender or 'nobody'}"
    return mail.reply(
        Kind.CALENDAR,
        "calendar",
        f"iMIP REPLY PARTSTAT={partstat or 'none'} ({who})",
        intent=intent,
        attendee=attendee or None,
        calendar_uid=cal.uid,
        evidence=("METHOD:REPLY", f"PARTSTAT={partstat or 'none'}"),
    )
