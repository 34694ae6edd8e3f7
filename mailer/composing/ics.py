"""The iCalendar parts we send (RFC 5545, as iMIP per RFC 6047): REQUEST and CANCEL; pure.

Owns every VCALENDAR the mailer emails: the first invitation, later updates of one person's copy
(seated: ACCEPTED, the join link, a reminder; a new time) and cancellations, of the whole event or
of one person's seat. One VEVENT per event with a stable UID and a SEQUENCE the caller raises on
each change, so every client files replies and updates under the same entry; one ATTENDEE per
file, so no invitee ever sees another's address; the event's own VTIMEZONE, because Outlook shows
a floating or UTC-only time in the wrong zone. No I/O and no clock: `now` is passed in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from mailer.config import Event, Invitee
from mailer.decisions.route import calendar_uid

PRODID = "-//roundtable-mailer//RSVP//EN"


def request(
    event: Event,
    invitee: Invitee,
    organizer_name: str,
    organizer_email: str,
    description: str,
    now: datetime,
    sequence: int,
    *,
    location: str = "",
    url: str = "",
    alarm_minutes: int | None = None,
    partstat: str = "NEEDS-ACTION",
    rsvp: bool = True,
) -> bytes:
    """A METHOD:REQUEST calendar for `invitee` alone: a first invitation or an update of it.

    An update (new time, a seat with its join link) keeps the UID and needs a higher `sequence`
    than the copy the person has, or clients ignore it (RFC 5546 2.1.4).
    """
    vevent = _vevent(event, invitee, organizer_name, organizer_email, now, sequence, partstat, rsvp)
    vevent.add("description", description)
    if location:
        vevent.add("location", location)
    if url:
        vevent.add("url", url)
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if alarm_minutes is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", timedelta(minutes=-alarm_minutes))
        vevent.add_component(alarm)
    return _calendar("REQUEST", event, vevent)


def cancel(
    event: Event,
    invitee: Invitee,
    organizer_name: str,
    organizer_email: str,
    now: datetime,
    sequence: int,
    note: str = "",
    *,
    whole_event: bool = True,
) -> bytes:
    """A METHOD:CANCEL calendar removing the event from `invitee`'s calendar.

    Sent to everyone when the event is called off, or to one person alone when they give up their
    seat (RFC 5546 3.2.5: a CANCEL to a subset of attendees removes them). For the latter pass
    `whole_event=False`: STATUS:CANCELLED means the event itself is off, and 3.2.5 says it MUST NOT
    be set when only uninviting. `sequence` must exceed the one the person's copy has.
    """
    vevent = _vevent(
        event, invitee, organizer_name, organizer_email, now, sequence, "NEEDS-ACTION", rsvp=False
    )
    if note:
        vevent.add("description", note)
        vevent.add("comment", note)
    if whole_event:
        vevent.add("status", "CANCELLED")
    return _calendar("CANCEL", event, vevent)


def _vevent(
    event: Event,
    invitee: Invitee,
    organizer_name: str,
    organizer_email: str,
    now: datetime,
    sequence: int,
    partstat: str,
    rsvp: bool,
) -> VEvent:
    """The properties every message about `event` carries, with `invitee` as the one ATTENDEE."""
    vevent = VEvent()
    vevent.add("uid", calendar_uid(event.id, organizer_email.rpartition("@")[2]))
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", now)
    vevent.add("dtstart", event.starts)
    vevent.add("dtend", event.ends)
    vevent.add("summary", event.title)

    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(organizer_name)
    vevent.add("organizer", organizer)

    attendee = vCalAddress(f"mailto:{invitee.email}")
    attendee.params["cn"] = vText(invitee.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText(partstat)
    attendee.params["rsvp"] = vText("TRUE" if rsvp else "FALSE")
    vevent.add("attendee", attendee)
    return vevent


def _calendar(method: str, event: Event, vevent: VEvent) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(vevent)
    # Only the years around the event: a VTIMEZONE from 1970 on is long and some clients choke.
    cal.add_missing_timezones(
        first_date=date(event.starts.year - 1, 1, 1), last_date=date(event.starts.year + 2, 1, 1)
    )
    return bytes(cal.to_ical())
