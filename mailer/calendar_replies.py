"""Reading iMIP calendar replies (RFC 6047): who answered an invitation, and what.

Owns the `calendar` reply rule. It finds every iCalendar object in a message (calendar parts
anywhere, or a bare .ics file), reads it with icalendar or, for calendars icalendar refuses, a
forgiving line reader, and turns a METHOD:REPLY into the attendee's PARTSTAT as an Intent. A
REQUEST or CANCEL is an invitation, not an answer, and becomes Kind.OTHER.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

import icalendar

from mailer.model import Intent, Kind, Reply
from mailer.parsed_mail import ParsedMail, walk_parts

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


def _calendar_texts(mail: ParsedMail) -> Iterator[str]:
    """Every iCalendar object in the message: calendar parts anywhere, or a bare .ics file."""
    head = mail.raw.lstrip()
    if head[:15].upper() == b"BEGIN:VCALENDAR":
        yield head.decode("utf-8", errors="replace")
        return
    for part in walk_parts(mail.msg):
        if part.is_multipart():
            continue
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() in _CALENDAR_TYPES or filename.endswith((".ics", ".vcs")):
            yield _decoded_payload(part)


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
    return _Calendar(str(cal.get("METHOD", "")).upper(), bool(events), tuple(attendees), uid)


def _parse_with_regex(text: str) -> _Calendar:
    """A forgiving line reader for calendars icalendar refuses (RFC 5545 folding undone)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    method, uid, in_event, has_event = "", None, False, False
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
        elif in_event and name == "ATTENDEE":
            attendees.append(
                (_address(value, param.get("EMAIL", "")), param.get("PARTSTAT", "").upper())
            )
    return _Calendar(method, has_event, tuple(attendees), uid)


def _read_calendar(text: str) -> _Calendar:
    try:
        parsed = _parse_with_icalendar(text)
    except Exception:  # broken calendars are common in the wild; the line reader still copes
        return _parse_with_regex(text)
    return parsed if parsed.method else _parse_with_regex(text)


_PARTSTAT_INTENT = {"ACCEPTED": Intent.YES, "DECLINED": Intent.NO, "TENTATIVE": Intent.MAYBE}


def calendar(mail: ParsedMail) -> Reply | None:
    """Rule 3: an iMIP REPLY, as the attendee's PARTSTAT; any other calendar is Kind.OTHER."""
    calendars = [_read_calendar(text) for text in _calendar_texts(mail)]
    if not calendars:
        return None
    replies = [cal for cal in calendars if cal.method == "REPLY" and cal.has_event]
    if not replies:
        methods = "/".join(sorted({cal.method or "no METHOD" for cal in calendars}))
        kind = "without a VEVENT" if any(c.method == "REPLY" for c in calendars) else "not a REPLY"
        return mail.reply(Kind.OTHER, "calendar", f"calendar {methods} {kind}: not an RSVP")
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
    )
