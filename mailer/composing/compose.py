"""Turning an `Outgoing` into a ready email: templates, headers, the calendar part; pure.

Text lives in templates/ (`participant/<kind>.txt.j2` sets `subject` and holds the plain body,
`participant/<kind>.html.j2` the HTML body). The Message-ID is derived from the outbox key, so a
resend after a crash is recognisable as the same email, and replies to it route back to the event.
"""

from __future__ import annotations

import email.policy
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta, get_timezone, get_timezone_name
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mailer.composing import ics
from mailer.config import Config, Event, Invitee
from mailer.config.meeting import Zoom
from mailer.model import ANSWER_KINDS, SEAT_KINDS, OutboxKey, Outgoing, carries_link

# Answers to a person's message are auto-replied; everything else is auto-generated (RFC 3834 5).
AUTO_REPLIED = ANSWER_KINDS
# The kinds that carry a calendar part, and how: a fresh invitation, a seat (with the link once
# it is due), the seated copy with the link, an update for whoever is in the seats or the line, a
# cancellation.
CALENDAR_KINDS = {
    *SEAT_KINDS,
    "invitation",
    "details",
    "update",
    "update_seated",
    "seat_removed",
    "cancelled",
    "event_cancelled",
}


def templates_dir(config: Config | None = None) -> Path:
    """The templates in use: the config's [templates] dir, else the packaged or checked-out ones."""
    if config is not None and config.templates_dir is not None:
        return config.templates_dir
    package = Path(__file__).resolve().parents[1]  # mailer/
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"


def environment(folder: Path) -> Environment:
    """Templates from `folder`, and any it lacks from the shipped ones: a folder made by
    `mailer init` keeps working when a later release adds a kind of email."""
    shipped = templates_dir()
    folders = [folder] if folder.resolve() == shipped.resolve() else [folder, shipped]
    return Environment(
        loader=FileSystemLoader(folders),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def message_id(key: OutboxKey, domain: str) -> str:
    """A Message-ID that names why the email exists and cannot collide with another key's."""
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:16]
    return f"<{key.kind}.{key.sequence}.{digest}@{domain}>"


# CRLF line ends as SMTP wants them; headers folded at 100 rather than 78, so that a subject
# with the event's title stays on one line in clients that show raw headers.
WIRE = email.policy.SMTP.clone(max_line_length=100)


def kind_of(message_id: str) -> str | None:
    """The kind of our email a Message-ID belongs to (see message_id), or None if not ours."""
    head = message_id.strip("<>").split("@", 1)[0].split(".")
    return head[0] if len(head) == 3 and head[2].isalnum() else None


@dataclass(frozen=True)
class Composed:
    message_id: str
    recipient: str
    subject: str
    message: EmailMessage

    @property
    def raw(self) -> bytes:
        """The bytes stored in the outbox and handed to SMTP unchanged."""
        return self.message.as_bytes(policy=WIRE)


def zone_name(zone: str) -> str:
    """A time zone as people name it ("Eastern Time", "Central European Time"), by babel's CLDR
    data; the IANA name where it has none."""
    if zone.upper() in ("UTC", "ETC/UTC", "GMT"):
        return "UTC"
    try:
        name = str(get_timezone_name(get_timezone(zone), locale="en_US"))
    except (LookupError, ValueError):
        return zone
    return zone if name.startswith("Unknown") else name


def when(event: Event, their_zone: str = "") -> dict[str, str]:
    """The event's time as people read it: local, with the zone, in UTC, and in their own zone."""
    start, end = event.starts, event.ends
    utc = start.astimezone(UTC)
    times = {
        "date": f"{start:%A, %B} {start.day}, {start.year}",
        "time": f"{start:%H:%M}–{end:%H:%M}",
        "zone": zone_name(event.timezone),
        "utc": f"{utc:%H:%M} UTC",
        "short": f"{start:%b} {start.day}, {start:%H:%M} {start.tzname()}",
        "yours": "",
    }
    if their_zone and their_zone != event.timezone:
        mine = start.astimezone(ZoneInfo(their_zone))
        times["yours"] = f"{mine:%A, %B} {mine.day}, {mine:%H:%M} {zone_name(their_zone)}"
    return times


def _span(span: timedelta | None) -> str:
    """ "2 days", "a week": how long before the meeting, as people say it."""
    if span is None:
        return ""
    named = {timedelta(days=7): "a week", timedelta(days=1): "a day", timedelta(hours=1): "an hour"}
    if span in named:
        return named[span]
    # In the largest unit that says it exactly: "36 hours", never a rounded "2 days".
    Unit = Literal["day", "hour", "minute"]
    units: tuple[tuple[Unit, timedelta], ...] = (
        ("day", timedelta(days=1)),
        ("hour", timedelta(hours=1)),
        ("minute", timedelta(minutes=1)),
    )
    unit: Unit = next((name for name, size in units if not span % size), "minute")
    return str(format_timedelta(span, granularity=unit, threshold=10**6, locale="en_US"))


def render(
    outgoing: Outgoing,
    config: Config,
    event: Event | None,
    invitee: Invitee,
    env: Environment,
    now: datetime,
    references: tuple[str, ...] = (),
    calendar_sequence: int = 0,
) -> Composed:
    """The email `outgoing` stands for, addressed to `invitee` alone.

    `calendar_sequence` is the SEQUENCE for a calendar part: one more than the number of calendar
    emails this person already has for the event, so every client takes it as the newest.
    """
    key = outgoing.key
    context: dict[str, Any] = {
        "organizer": {"name": config.organizer_name, "email": config.organizer_email},
        "event": event,
        "when": when(event, invitee.timezone) if event else {},
        "rsvp_by": f"{event.rsvp_by:%A, %B} {event.rsvp_by.day}, {event.rsvp_by:%H:%M} {event.timezone}"
        if event and event.rsvp_by
        else "",
        "person": invitee,
        "github_repo": config.github.repo if config.github else "",
        # Said in an invitation only as the organizer configured it: never a promise of ours.
        "recorded": config.recording.enabled,
        "recording_purpose": config.recording.purpose,
        "first_name": invitee.name.split()[0] if invitee.name else "",
        # A seat email's sections (decisions/welcome.py), empty unless it carries them.
        "zoom": None,
        "recording": None,
        "github": None,
        "details_later": False,
        "agenda": None,  # the topics, in a reminder due with the agenda
        "details_before": _span(config.zoom.send_details_before if config.zoom else None),
        **outgoing.context,
    }
    # Rendered as a module: str() is the body, and the `subject` it sets with {% set %} is exported.
    name = outgoing.template_name
    module = env.get_template(f"{name}.txt.j2").make_module(context)
    text = str(module)
    subject = " ".join(str(vars(module).get("subject", "")).split())
    html = env.get_template(f"{name}.html.j2").render(context)

    msg = EmailMessage()
    mid = message_id(key, config.domain)
    msg["From"] = formataddr((config.organizer_name, config.organizer_email))
    msg["To"] = formataddr((invitee.name, invitee.email))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now.astimezone(UTC))
    msg["Message-ID"] = mid
    thread = [r for r in references if r]
    if outgoing.in_reply_to:
        msg["In-Reply-To"] = outgoing.in_reply_to
        thread.append(outgoing.in_reply_to)
    if thread:
        msg["References"] = " ".join(dict.fromkeys(thread))
    msg["Auto-Submitted"] = "auto-replied" if key.kind in AUTO_REPLIED else "auto-generated"
    # Exchange honours this: no out-of-office answers to our mail (bounces still come back).
    msg["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    if key.kind == "invitation":
        # RFC 2369: mail clients show their own unsubscribe button, which emails the organizer
        # "unsubscribe"; reading/removal.py takes that as a request to be forgotten.
        msg["List-Unsubscribe"] = f"<mailto:{config.organizer_email}?subject=unsubscribe>"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if key.kind in CALENDAR_KINDS and event is not None:
        # The link goes into the calendar copy of those who hold a seat, and no one else's.
        holds_seat = carries_link(key.kind) or key.kind in SEAT_KINDS
        with_link = carries_link(key.kind) or outgoing.context.get("zoom") is not None
        link = config.zoom if with_link else None
        template = env.get_template("participant/calendar_description.txt.j2")
        description = template.render({**context, "zoom_link": link}).strip()
        method, calendar = _calendar(
            outgoing, config, event, invitee, description, now, calendar_sequence, holds_seat, link
        )
        _attach_calendar(msg, method, calendar)
    return Composed(mid, invitee.email, subject, msg)


def _calendar(
    outgoing: Outgoing,
    config: Config,
    event: Event,
    invitee: Invitee,
    description: str,
    now: datetime,
    sequence: int,
    holds_seat: bool,
    zoom: Zoom | None,
) -> tuple[str, bytes]:
    kind, organizer = outgoing.key.kind, (config.organizer_name, config.organizer_email)
    if kind in ("cancelled", "event_cancelled"):
        note = str(outgoing.context.get("note", ""))
        # RFC 5546 3.2.5: STATUS:CANCELLED only when the whole event goes; one person giving up
        # their seat gets a CANCEL that removes them alone.
        whole = kind == "event_cancelled"
        return "CANCEL", ics.cancel(
            event, invitee, *organizer, now, sequence, note, whole_event=whole
        )
    if zoom is not None:
        return "REQUEST", ics.request(
            event,
            invitee,
            *organizer,
            description,
            now,
            sequence,
            location=zoom.join_url,
            url=zoom.join_url,
            alarm_minutes=config.reminders.alarm_minutes or None,
            partstat="ACCEPTED",
            rsvp=False,
        )
    partstat = "ACCEPTED" if holds_seat else "NEEDS-ACTION"
    return "REQUEST", ics.request(
        event, invitee, *organizer, description, now, sequence, partstat=partstat
    )


def _attach_calendar(msg: EmailMessage, method: str, calendar: bytes) -> None:
    # Gmail and Outlook act on a text/calendar alternative with the method parameter (buttons for
    # a REQUEST, removal for a CANCEL); Apple Mail and others look for the .ics attachment: both.
    msg.add_alternative(calendar.decode(), subtype="calendar", params={"method": method})
    name = "invite.ics" if method == "REQUEST" else "cancel.ics"
    msg.add_attachment(calendar, maintype="application", subtype="ics", filename=name)
