"""Turning an `Outgoing` into a ready email: templates, headers, the calendar part; pure.

Text lives in templates/ (`participant/<kind>.txt.j2` sets `subject` and holds the plain body,
`participant/<kind>.html.j2` the HTML body). The Message-ID is derived from the outbox key, so a
resend after a crash is recognisable as the same email, and replies to it route back to the event.
"""

from __future__ import annotations

import email.policy
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import ics
from .config import Config, Event, Invitee
from .decide import Outgoing
from .model import OutboxKey

# Invitations are generated; answers reply to a person's message (RFC 3834 section 5).
AUTO_SUBMITTED = {"invitation": "auto-generated", "promoted": "auto-generated"}


def templates_dir(config: Config | None = None) -> Path:
    """The templates in use: the config's [templates] dir, else the packaged or checked-out ones."""
    if config is not None and config.templates_dir is not None:
        return config.templates_dir
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "templates"


def environment(folder: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(folder),
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


def when(event: Event) -> dict[str, str]:
    """The event's time as people read it: local, with the zone, and in UTC."""
    start, end = event.starts, event.ends
    utc = start.astimezone(UTC)
    return {
        "date": f"{start:%A, %B} {start.day}, {start.year}",
        "time": f"{start:%H:%M}–{end:%H:%M}",
        "zone": event.timezone,
        "utc": f"{utc:%H:%M} UTC",
        "short": f"{start:%b} {start.day}, {start:%H:%M} {start.tzname()}",
    }


def render(
    outgoing: Outgoing,
    config: Config,
    event: Event,
    invitee: Invitee,
    env: Environment,
    now: datetime,
    references: tuple[str, ...] = (),
) -> Composed:
    """The email `outgoing` stands for, addressed to `invitee` alone."""
    key = outgoing.key
    context: dict[str, Any] = {
        "organizer": {"name": config.organizer_name, "email": config.organizer_email},
        "event": event,
        "when": when(event),
        "person": invitee,
        "first_name": invitee.name.split()[0] if invitee.name else "",
        **outgoing.context,
    }
    # Rendered as a module: str() is the body, and the `subject` it sets with {% set %} is exported.
    module = env.get_template(f"participant/{key.kind}.txt.j2").make_module(context)
    text = str(module)
    subject = " ".join(str(vars(module).get("subject", "")).split())
    html = env.get_template(f"participant/{key.kind}.html.j2").render(context)

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
    msg["Auto-Submitted"] = AUTO_SUBMITTED.get(key.kind, "auto-replied")
    # Exchange honours this: no out-of-office answers to our mail (bounces still come back).
    msg["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if key.kind == "invitation":
        description = env.get_template("participant/invitation_calendar.txt.j2").render(context)
        _attach_calendar(msg, event, invitee, config, description.strip(), now)
    return Composed(mid, invitee.email, subject, msg)


def _attach_calendar(
    msg: EmailMessage,
    event: Event,
    invitee: Invitee,
    config: Config,
    description: str,
    now: datetime,
) -> None:
    calendar = ics.invitation(
        event, invitee, config.organizer_name, config.organizer_email, description, now
    )
    # Gmail and Outlook show Yes/No/Maybe buttons for a text/calendar alternative with
    # method=REQUEST; Apple Mail and others look for the .ics attachment; send both.
    msg.add_alternative(calendar.decode(), subtype="calendar", params={"method": "REQUEST"})
    msg.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
