"""Who holds a seat and who waits, derived, never stored; pure.

The rule everything else follows from: each person's latest firm answer stands, and the seats go
to the standing yeses in the order those yeses reached the server (INTERNALDATE, then UID). A
seat, a place in line, a promotion are derived here, so the seated are always the earliest yeses
still standing, whatever order a backlog was processed in, and a capacity change needs no special
case. What is stored beside the answers is only what people were told: `confirmed` (told they
hold a seat) and `offered_at` (offered a seat freed late).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .model import Attendance


@dataclass(frozen=True)
class Place:
    """Where a person stands: `position` is the seat number or the place in the waiting line."""

    # invited | seated | offered | waitlisted | declined | cancelled | undecided | bounced |
    # line_closed | offer_expired
    state: str
    position: int | None = None


def places(roster: Iterable[Attendance], capacity: int) -> dict[str, Place]:
    """Everyone's place: the first `capacity` standing yeses by arrival are seated, the rest wait."""
    rows = list(roster)
    yeses = sorted(
        (a for a in rows if a.answer == "yes"),
        key=lambda a: (a.yes_since or datetime.max, a.yes_uid, a.person),
    )
    result: dict[str, Place] = {}
    for rank, attendance in enumerate(yeses, 1):
        if rank <= capacity:
            # A seat offered late is held for its person until they take it or the offer expires.
            offered = attendance.offered_at is not None and not attendance.confirmed
            result[attendance.person] = Place("offered" if offered else "seated", rank)
        else:
            result[attendance.person] = Place("waitlisted", rank - capacity)
    for attendance in rows:
        if attendance.answer == "yes":
            continue
        if attendance.answer == "no":
            state = "cancelled" if attendance.had_yes else "declined"
        elif attendance.answer == "maybe":
            state = "undecided"
        elif attendance.answer == "closed":
            state = "line_closed"  # said yes, waited, and the RSVP deadline closed the line
        elif attendance.answer == "passed":
            state = "offer_expired"  # was offered a freed seat late and did not take it in time
        else:
            state = "bounced" if attendance.bounced else "invited"
        result[attendance.person] = Place(state)
    return result


def seated(roster: Iterable[Attendance], capacity: int) -> list[str]:
    """Who holds a seat (not merely offered one), in address order."""
    return sorted(p for p, place in places(roster, capacity).items() if place.state == "seated")
