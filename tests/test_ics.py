"""The calendars we send, read back by two independent parsers: icalendar and vobject.

A series is what one person receives about one event: the invitation, the update when they are
seated (ACCEPTED, join link, reminder), a reschedule, and the cancellation. Every calendar is
read by both parsers into the same `Seen` shape, and each test states one rule about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from mailer.composing import ics
from mailer.config import Event, Invitee

ORGANIZER_NAME = "Roundtable organizer"
ORGANIZER_EMAIL = "rsvp@example.org"
JOIN = "https://meet.example.org/roundtable-2026-07"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ADA = Invitee(name="Ada Example", email="ada@example.com")
EVENT = Event(
    id="2026-07-velocity",
    title="Velocity roundtable",
    theme="Shipping weekly",
    starts=datetime(2026, 7, 16, 18, 0, tzinfo=ZoneInfo("America/New_York")),
    duration_minutes=90,
    capacity=12,
    invite_at=None,
)
MOVED = replace(EVENT, starts=EVENT.starts + timedelta(days=7, hours=1))


@dataclass(frozen=True)
class Seen:
    """What a parser read from one calendar; parameters with upper-case names, single values."""

    method: str
    uid: str
    sequence: int
    status: str | None
    dtstart: datetime
    tzid: str
    attendees: list[tuple[str, dict[str, str]]]
    organizer: tuple[str, dict[str, str]]
    alarms: list[tuple[str, timedelta]]
    description: str
    comment: str | None
    location: str | None
    url: str | None
    vtimezones: dict[str, tzinfo]  # built from each VTIMEZONE's own rules, not a tz database


def _listed(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def read_icalendar(raw: bytes) -> Seen:
    cal = icalendar.Calendar.from_ical(raw)
    (vevent,) = cal.walk("VEVENT")
    zones: list[Any] = cal.walk("VTIMEZONE")

    def address(prop: Any) -> tuple[str, dict[str, str]]:
        return str(prop), {k.upper(): str(v) for k, v in prop.params.items()}

    def text(name: str) -> str | None:
        return str(vevent[name]) if name in vevent else None

    return Seen(
        method=str(cal["METHOD"]),
        uid=str(vevent["UID"]),
        sequence=int(str(vevent["SEQUENCE"])),
        status=text("STATUS"),
        dtstart=vevent.decoded("DTSTART"),
        tzid=vevent["DTSTART"].params["TZID"],
        attendees=[address(a) for a in _listed(vevent.get("ATTENDEE"))],
        organizer=address(vevent["ORGANIZER"]),
        alarms=[(str(a["ACTION"]), a.decoded("TRIGGER")) for a in vevent.walk("VALARM")],
        description=str(vevent.get("DESCRIPTION", "")),
        comment=text("COMMENT"),
        location=text("LOCATION"),
        url=text("URL"),
        vtimezones={tz.tz_name: tz.to_tz(lookup_tzid=False) for tz in zones},
    )


def read_vobject(raw: bytes) -> Seen:
    cal = vobject.readOne(raw.decode("utf-8"))
    vevent = cal.vevent

    def address(line: Any) -> tuple[str, dict[str, str]]:
        return line.value, {k.upper(): v[0] for k, v in line.params.items()}

    def text(name: str) -> str | None:
        return vevent.contents[name][0].value if name in vevent.contents else None

    return Seen(
        method=cal.method.value,
        uid=vevent.uid.value,
        sequence=int(vevent.sequence.value),
        status=text("status"),
        # vobject keeps the first VTIMEZONE it met per TZID for the whole process; `vtimezones`
        # below reads this file's own.
        dtstart=vevent.dtstart.value,
        tzid=vevent.dtstart.x_vobj_original_tzid_param,
        attendees=[address(a) for a in vevent.contents.get("attendee", [])],
        organizer=address(vevent.organizer),
        alarms=[(a.action.value, a.trigger.value) for a in vevent.contents.get("valarm", [])],
        description=text("description") or "",
        comment=text("comment"),
        location=text("location"),
        url=text("url"),
        vtimezones={tz.tzid.value: tz.gettzinfo() for tz in cal.contents.get("vtimezone", [])},
    )


PARSERS = [
    pytest.param(read_icalendar, id="icalendar"),
    pytest.param(read_vobject, id="vobject"),
]
Reader = Callable[[bytes], Seen]


def seated(event: Event, sequence: int, now: datetime) -> bytes:
    """The update a seated participant gets, as the product sends it."""
    return ics.request(
        event,
        ADA,
        ORGANIZER_NAME,
        ORGANIZER_EMAIL,
        "You have seat 3 of 12.",
        now,
        sequence,
        partstat="ACCEPTED",
        rsvp=False,
        location=JOIN,
        url=JOIN,
        alarm_minutes=30,
    )


def series() -> list[bytes]:
    """Invitation, seated update, reschedule, cancellation: what Ada receives, in order."""
    return [
        ics.request(EVENT, ADA, ORGANIZER_NAME, ORGANIZER_EMAIL, "Join us.", NOW, 0),
        seated(EVENT, 1, NOW + timedelta(days=1)),
        seated(MOVED, 2, NOW + timedelta(days=2)),
        ics.cancel(
            MOVED, ADA, ORGANIZER_NAME, ORGANIZER_EMAIL, NOW + timedelta(days=3), 3, "Called off."
        ),
    ]


def event_at(zone: str, month: int) -> Event:
    return replace(EVENT, starts=datetime(2026, month, 10, 18, 0, tzinfo=ZoneInfo(zone)))


@pytest.mark.parametrize("read", PARSERS)
def test_method_is_request_until_the_cancel(read: Reader) -> None:
    """Invitation and updates are METHOD:REQUEST; the cancellation is METHOD:CANCEL."""
    assert [read(raw).method for raw in series()] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]


@pytest.mark.parametrize("read", PARSERS)
def test_uid_is_the_same_across_the_series(read: Reader) -> None:
    """Every message about an event carries the event's one stable UID."""
    uids = {read(raw).uid for raw in series()}
    assert uids == {f"roundtable-{EVENT.id}@example.org"}


@pytest.mark.parametrize("read", PARSERS)
def test_sequence_rises_with_every_message(read: Reader) -> None:
    """SEQUENCE is strictly higher in each later message, so clients apply it."""
    sequences = [read(raw).sequence for raw in series()]
    assert sequences == [0, 1, 2, 3]
    assert all(a < b for a, b in pairwise(sequences))


@pytest.mark.parametrize("read", PARSERS)
def test_dtstart_is_the_event_start_in_its_zone(read: Reader) -> None:
    """DTSTART is the event's start instant, with TZID the event's zone; a reschedule moves it."""
    seen = [read(raw) for raw in series()]
    assert [s.dtstart for s in seen] == [EVENT.starts, EVENT.starts, MOVED.starts, MOVED.starts]
    assert all(s.dtstart.tzinfo is not None for s in seen)
    assert {s.tzid for s in seen} == {"America/New_York"}
    assert [s.dtstart.utcoffset() for s in seen] == [timedelta(hours=-4)] * 4


@pytest.mark.parametrize("read", PARSERS)
def test_each_calendar_names_only_its_recipient(read: Reader) -> None:
    """Exactly one ATTENDEE, the invitee, so nobody sees another person's address."""
    for raw in series():
        assert [address for address, _ in read(raw).attendees] == ["mailto:ada@example.com"]


@pytest.mark.parametrize("read", PARSERS)
def test_organizer_is_the_mailer_with_its_name(read: Reader) -> None:
    """ORGANIZER is the organizer's address with CN, so replies come back to us."""
    for raw in series():
        address, params = read(raw).organizer
        assert address == f"mailto:{ORGANIZER_EMAIL}" and params["CN"] == ORGANIZER_NAME


@pytest.mark.parametrize("read", PARSERS)
def test_invitation_asks_for_an_answer(read: Reader) -> None:
    """The invitation's ATTENDEE is a required participant, NEEDS-ACTION, with RSVP=TRUE."""
    ((_, params),) = read(series()[0]).attendees
    assert params == {
        "CN": "Ada Example",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }


@pytest.mark.parametrize("read", PARSERS)
def test_seated_update_is_accepted_with_the_join_link(read: Reader) -> None:
    """A seated person's copy is ACCEPTED, asks no RSVP, and has the join link as LOCATION and URL."""
    seen = read(series()[1])
    ((_, params),) = seen.attendees
    assert (params["PARTSTAT"], params["RSVP"]) == ("ACCEPTED", "FALSE")
    assert (seen.location, seen.url, seen.status) == (JOIN, JOIN, "CONFIRMED")


@pytest.mark.parametrize("read", PARSERS)
def test_only_seated_copies_remind_half_an_hour_before(read: Reader) -> None:
    """Seated copies carry a DISPLAY VALARM 30 minutes before; invitation and cancel carry none."""
    reminder = [("DISPLAY", timedelta(minutes=-30))]
    assert [read(raw).alarms for raw in series()] == [[], reminder, reminder, []]


@pytest.mark.parametrize("read", PARSERS)
def test_cancel_is_cancelled_and_says_why(read: Reader) -> None:
    """A cancellation has STATUS:CANCELLED and the note in DESCRIPTION and COMMENT."""
    seen = read(series()[-1])
    assert (seen.status, seen.description, seen.comment) == (
        "CANCELLED",
        "Called off.",
        "Called off.",
    )


@pytest.mark.parametrize("read", PARSERS)
def test_uninviting_one_person_leaves_status_out(read: Reader) -> None:
    """A CANCEL removing one person only has no STATUS, which would call the event off (RFC 5546)."""
    raw = ics.cancel(
        EVENT, ADA, ORGANIZER_NAME, ORGANIZER_EMAIL, NOW, 2, "Seat given up.", whole_event=False
    )
    seen = read(raw)
    assert (seen.method, seen.status, seen.sequence) == ("CANCEL", None, 2)


@pytest.mark.parametrize("read", PARSERS)
@pytest.mark.parametrize(
    ("zone", "month", "offset"),
    [
        ("America/New_York", 7, -4),
        ("America/New_York", 12, -5),
        ("Europe/Prague", 7, 2),
        ("Europe/Prague", 12, 1),
    ],
)
def test_vtimezone_gives_the_zone_offset(read: Reader, zone: str, month: int, offset: int) -> None:
    """The VTIMEZONE sent, read back on its own, gives the zone's summer or winter UTC offset."""
    event = event_at(zone, month)
    seen = read(ics.request(event, ADA, ORGANIZER_NAME, ORGANIZER_EMAIL, "Join us.", NOW, 0))
    assert list(seen.vtimezones) == [zone] and seen.tzid == zone
    local = event.starts.replace(tzinfo=seen.vtimezones[zone])
    assert local.utcoffset() == timedelta(hours=offset) == event.starts.utcoffset()
    assert seen.dtstart == event.starts


@pytest.mark.parametrize("read", PARSERS)
def test_long_lines_are_folded_at_75_octets(read: Reader) -> None:
    """Lines longer than 75 octets are folded (RFC 5545 3.1) and unfold to the original text."""
    description = "Příští setkání — roundtable about shipping weekly, reviews and tests. " * 8
    raw = ics.request(EVENT, ADA, ORGANIZER_NAME, ORGANIZER_EMAIL, description, NOW, 0)
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # no fold inside a multi-octet character
    assert read(raw).description == description


def test_every_line_ends_with_crlf() -> None:
    """Every line, the last included, ends with CRLF; a newline in the text is escaped as \\n."""
    for raw in [*series(), ics.request(EVENT, ADA, "O", ORGANIZER_EMAIL, "a\nb\r\nc", NOW, 0)]:
        assert raw.endswith(b"\r\n")
        assert b"\r" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b"")
