"""The iCalendar part of an invitation (RFC 5545, sent as iMIP per RFC 6047); pure.

One VEVENT per event with a stable UID, so every client files replies and later updates under
the same entry; one ATTENDEE per file, so no invitee ever sees another's address; the event's own
VTIMEZONE, because Outlook shows a floating or UTC-only time in the wrong zone.
"""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from .config import Event, Invitee
from .route import calendar_uid

PRODID = "-//roundtable-mailer//RSVP//EN"


def invitation(
    event: Event,
    invitee: Invitee,
    organizer_name: str,
    organizer_email: str,
    description: str,
    now: datetime,
    sequence: int = 0,
) -> bytes:
    """A METHOD:REQUEST calendar inviting `invitee` alone, with RSVP=TRUE so clients show buttons."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST")

    vevent = VEvent()
    vevent.add("uid", calendar_uid(event.id, organizer_email.rpartition("@")[2]))
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", now)
    vevent.add("dtstart", event.starts)
    vevent.add("dtend", event.ends)
    vevent.add("summary", event.title)
    vevent.add("description", description)
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")

    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(organizer_name)
    vevent.add("organizer", organizer)

    attendee = vCalAddress(f"mailto:{invitee.email}")
    attendee.params["cn"] = vText(invitee.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    vevent.add("attendee", attendee)

    cal.add_component(vevent)
    # Only the years around the event: a VTIMEZONE from 1970 on is long and some clients choke.
    cal.add_missing_timezones(
        first_date=date(event.starts.year - 1, 1, 1), last_date=date(event.starts.year + 2, 1, 1)
    )
    return bytes(cal.to_ical())
