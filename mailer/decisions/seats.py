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

from mailer.model import Attendance


@dataclass(frozen=True)
class Place:
    """Where a person stands: `position` is the seat number or the place in the waiting line."""

    # invited | seated | offered | waitlisted | declined | cancelled | undecided | unconfirmed |
    # bounced | line_closed | offer_expired
    state: str
    position: int | None = None


def _arrival(row: Attendance) -> tuple[datetime, int, str]:
    return (row.yes_since or datetime.max, row.yes_uid, row.person)


def ranks(roster: Iterable[Attendance]) -> dict[str, int]:
    """The standing yeses' order of arrival: person -> 1, 2, 3 ... (seats first, then the line)."""
    ordered = sorted((a for a in roster if a.answer == "yes"), key=_arrival)
    return {a.person: n for n, a in enumerate(ordered, 1)}


def place_of(row: Attendance, rank: int | None, capacity: int) -> Place:
    """One person's place, given their rank among the standing yeses (None: no standing yes)."""
    if row.answer == "yes" and rank is not None:
        if rank <= capacity:
            # A seat offered late is held for its person until they take it or the offer expires.
            offered = row.offered_at is not None and not row.confirmed
            return Place("offered" if offered else "seated", rank)
        return Place("waitlisted", rank - capacity)
    if row.answer == "no":
        return Place("cancelled" if row.had_yes else "declined")
    if row.answer == "maybe":
        return Place("undecided")
    if row.answer == "closed":
        return Place("line_closed")  # said yes, waited, and the RSVP deadline closed the line
    if row.answer == "passed":
        return Place("offer_expired")  # was offered a freed seat late and did not take it in time
    if row.bounced:
        return Place("bounced")
    # A doubtful yes ("sounds good") was asked to confirm: no seat until they do.
    return Place("unconfirmed" if row.doubtful_since is not None else "invited")


def places(roster: Iterable[Attendance], capacity: int) -> dict[str, Place]:
    """Everyone's place: the first `capacity` standing yeses by arrival are seated, the rest wait."""
    rows = list(roster)
    order = ranks(rows)
    return {row.person: place_of(row, order.get(row.person), capacity) for row in rows}


def seated(roster: Iterable[Attendance], capacity: int) -> list[str]:
    """Who holds a seat (not merely offered one), in address order."""
    return sorted(p for p, place in places(roster, capacity).items() if place.state == "seated")
