"""What the organizer is told by email: at most one summary per tick of what needs a person.

Pure: given each event's state at a glance and the notices recorded since the last summary, the
summary email (or none). The objection notice and the recording status are folded into it
(`FOLDED`: recorded under their keys, never sent on their own), so one tick sends the organizer
one email; the digest draft stays apart, a document to approve. The summary's key carries the
newest notice it covers, so a repeated tick proposes the same key and the outbox keeps one; the
next summary starts after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mailer.config import Event, Invitee
from mailer.decisions.seats import Place
from mailer.model import ORGANIZER, OutboxKey, Outgoing

# A held-back answer (the daily cap) is a guard working as meant, not news for the organizer.
NOT_SUMMARISED = frozenset({"cap"})
# Organizer emails that become a line of the next summary instead of an email of their own.
FOLDED = frozenset({"objection", "recording_status"})


@dataclass(frozen=True)
class Glance:
    """One event's state in a line: seats taken of capacity, the waiting line."""

    event: str
    title: str
    taken: int
    capacity: int
    waiting: int


def glance(event: Event, seats: dict[str, Place]) -> Glance:
    """How `event` stands, from its derived seating."""
    states = [place.state for place in seats.values()]
    return Glance(
        event.id,
        event.title,
        states.count("seated") + states.count("offered"),
        event.capacity,
        states.count("waitlisted"),
    )


def current(events: Iterable[Event], now: datetime) -> list[Event]:
    """The events the organizer still acts on: those not over at `now`."""
    return [e for e in events if e.ends > now]


def summary(notices: Sequence[dict[str, Any]], glances: Sequence[Glance] = ()) -> Outgoing | None:
    """The organizer's summary of `notices` (rows with id, kind, sender, subject, reason), or None.

    `glances` open the email (and the subject, when there is one event): the state of each event
    not yet over, so the organizer sees where things stand before the items.
    """
    listed = [n for n in notices if n["kind"] not in NOT_SUMMARISED]
    if not listed:
        return None
    newest = max(n["id"] for n in notices)
    items = [{"kind": n["kind"], "from": n["sender"] or "-", "reason": n["reason"]} for n in listed]
    context: dict[str, Any] = {
        "items": items,
        "glances": list(glances),
        "headline": glances[0] if len(glances) == 1 else None,
    }
    return Outgoing(
        OutboxKey("", ORGANIZER, "summary", newest), context, template="organizer/summary"
    )


def folded_reason(outgoing: Outgoing, title: str) -> str:
    """The summary line a folded email becomes ("": the decision already left a notice)."""
    if outgoing.key.kind != "recording_status":
        return ""  # the objection: its notice is recorded with the message that carried it
    objectors = [str(o) for o in outgoing.context.get("objectors", ())]  # type: ignore[attr-defined]
    if not objectors:
        return f"{title}: nobody who holds a seat objects to the recording"
    return f"{title}: switch the recording off; seated and objecting: {', '.join(objectors)}"


def invitee_fingerprint(invitees: Iterable[Invitee]) -> str:
    """A digest of every invitee address: when it changes, mail no invitee sent is looked at again."""
    addresses = sorted({a for invitee in invitees for a in invitee.addresses})
    return hashlib.sha256("\n".join(addresses).encode()).hexdigest()
