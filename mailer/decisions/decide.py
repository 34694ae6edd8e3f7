"""What each answer changes and obliges us to send: seats, the line, offers, consent; pure.

Functions of the stored roster, the answer and an explicit `now`: no I/O, no clock. Who holds a
seat is derived by `seats.places`; this module turns one answer into the rows that change and
the emails that follow (a confirmation, a place in line, a promotion or a late offer, an
objection to the recording noted and passed to the organizer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mailer.config import Event, Invitee
from mailer.decisions.seats import Place, place_of, places, ranks
from mailer.model import ORGANIZER, Attendance, Intent, OutboxKey, Outgoing


@dataclass(frozen=True)
class Answer:
    """A reply already tied to an invitee and an event."""

    event: str
    person: str
    intent: Intent
    arrived_at: datetime
    uid: int
    source: int  # the inbound message's id: makes the answer's outbox keys unique and stable
    reply_to: str | None = None  # the Message-ID to thread our answer under
    weak: bool = False  # the intent rests only on weak phrases ("sounds good")
    consent: str | None = None  # "object" to the recording, or "withdraw" an objection
    confirms: bool = False  # it answers our "Did you mean you will come?"


@dataclass(frozen=True)
class Decision:
    """What one answer changes: the new roster rows and the emails they call for."""

    changed: tuple[Attendance, ...] = ()
    outgoing: tuple[Outgoing, ...] = ()
    note: str = ""  # one line for the log: what happened and why


def invitations_due(
    event: Event, invitees: Iterable[Invitee], roster: Mapping[str, Attendance], now: datetime
) -> list[Attendance]:
    """The invitees who should be invited at `now`: not yet invited, and the event still ahead."""
    if now >= event.starts or (event.invite_at is not None and now < event.invite_at):
        return []
    return [Attendance(person=i.email, invited_at=now) for i in invitees if i.email not in roster]


def is_open(event: Event, roster: Mapping[str, Attendance], now: datetime) -> bool:
    """An event takes replies once its invitations went out and until it starts (unless cancelled)."""
    return bool(roster) and now < event.starts and not event.cancelled


def decide(
    roster: Mapping[str, Attendance], event: Event, answer: Answer, now: datetime | None = None
) -> Decision:
    """What `answer` changes in the roster of `event`, and the emails that follow from it."""
    current = roster.get(answer.person)
    if current is None:
        return Decision(note=f"{answer.person} was never invited to {event.id}: ignored")
    if answer.arrived_at >= event.starts:
        return Decision(note=f"arrived after {event.id} started: changes nothing")
    if event.cancelled:
        return Decision(note=f"{event.id} is cancelled: the reply changes nothing")
    consent = _consent(roster, event, answer)
    if consent is not None and answer.intent is Intent.UNCLEAR:
        return consent  # "OBJECT" alone is about the recording, not about coming
    decision = _attendance(roster, event, answer, now or answer.arrived_at)
    if consent is None:
        return decision
    # Both: apply the attendance change on top of the consent change to the same row.
    merged = {a.person: a for a in consent.changed}
    for row in decision.changed:
        objected = merged[row.person].objected_at if row.person in merged else row.objected_at
        merged[row.person] = replace(row, objected_at=objected)
    return Decision(
        tuple(merged.values()),
        consent.outgoing + decision.outgoing,
        f"{consent.note}; {decision.note}",
    )


def _consent(roster: Mapping[str, Attendance], event: Event, answer: Answer) -> Decision | None:
    """An objection to the recording, or its withdrawal: recorded, confirmed, and the organizer told."""
    current = roster[answer.person]
    if answer.consent == "object" and current.objected_at is None:
        updated, kind, objected = (
            replace(current, objected_at=answer.arrived_at),
            "objection_noted",
            True,
        )
    elif answer.consent == "withdraw" and current.objected_at is not None:
        updated, kind, objected = replace(current, objected_at=None), "objection_withdrawn", False
    else:
        return None
    seated = places(roster.values(), event.capacity)[answer.person].state == "seated"
    to_organizer = Outgoing(
        OutboxKey(answer.event, ORGANIZER, "objection", answer.source),
        {"who": answer.person, "objected": objected, "seated": seated},
        template="organizer/objection",
    )
    note = f"{answer.person} {'objects to' if objected else 'no longer objects to'} the recording"
    return Decision((updated,), (_to(answer, kind), to_organizer), note)


def _attendance(
    roster: Mapping[str, Attendance], event: Event, answer: Answer, now: datetime
) -> Decision:
    current = roster[answer.person]
    if answer.intent is Intent.UNCLEAR or (answer.weak and current.answer != "none"):
        # Someone who already answered and writes again ("Thanks!", "Is it recorded?") keeps
        # their standing; asking "are you coming?" would only confuse them.
        if current.answer != "none":
            return Decision(
                note=f"{answer.person} wrote again without a clear change: organizer to read"
            )
        return Decision(
            outgoing=(_to(answer, "clarify"),),
            note=f"unclear reply from {answer.person}: asked for yes or no",
        )
    if answer.weak and not answer.confirms:
        return _doubtful_yes(current, answer)
    if takes_offer(roster, event, answer):
        seat = places(roster.values(), event.capacity)[answer.person].position or 0
        taken = replace(current, confirmed=True, responded_at=answer.arrived_at)
        email = Outgoing(
            OutboxKey(answer.event, answer.person, "offer_taken", answer.source),
            {"seat": seat, "capacity": event.capacity},
            answer.reply_to,
        )
        return Decision((taken,), (email,), f"{answer.person} took the seat offered to them")
    updated = _apply(current, answer, roster.values(), event.capacity)
    if updated == current:
        return Decision(note=f"{answer.person} said {answer.intent} again: nothing changes")

    # Ranks, not every person's Place: an answer moves at most the answerer and the seat edge,
    # and a tick may decide a thousand answers against a thousand-person roster.
    before = ranks(roster.values())
    after = ranks({**roster, answer.person: updated}.values())
    mine_before = place_of(current, before.get(answer.person), event.capacity)
    mine_after = place_of(updated, after.get(answer.person), event.capacity)
    if (
        mine_after.state == "waitlisted"
        and event.rsvp_by is not None
        and answer.arrived_at >= event.rsvp_by
    ):
        # After the RSVP deadline a yes still takes a free seat, but no one joins a closed line.
        closed = replace(updated, answer="closed")
        note = f"{answer.person} said yes after the deadline, with every seat taken: line closed"
        return Decision(changed=(closed,), outgoing=(_to(answer, "line_closed"),), note=note)

    if mine_after.state == "seated":
        updated = replace(updated, confirmed=True)
    changed = [updated]
    outgoing = [_answer_email(answer, current, mine_before, mine_after, event.capacity)]
    # Those who moved from the line into a seat (not those already offered one).
    freed = sorted(
        (
            p
            for p, rank in after.items()
            if rank <= event.capacity < before.get(p, 0) and p != answer.person
        ),
        key=after.__getitem__,
    )
    for person in (
        p for p in freed if place_of(roster[p], after[p], event.capacity).state == "seated"
    ):
        where: dict[str, object] = {"seat": after[person], "capacity": event.capacity}
        if answer.arrived_at < event.offers_from:
            changed.append(replace(roster[person], confirmed=True))
            outgoing.append(
                Outgoing(OutboxKey(answer.event, person, "promoted", answer.source), where)
            )
        else:
            # Close to the start a seat is offered, not given: someone in line for weeks may
            # no longer be free, and a seat nobody uses helps no one.
            # The offer runs from when it is sent (`now`), not from when the freeing reply
            # arrived: after a backlog it would otherwise expire before anyone could answer.
            offered = max(answer.arrived_at, now)
            changed.append(replace(roster[person], confirmed=False, offered_at=offered))
            expires = event.offer_expires(offered).astimezone(event.starts.tzinfo)
            context = {
                **where,
                "hours": event.offer_hours,
                "expires": f"{expires:%a %b %d, %H:%M} {event.timezone}",
            }
            outgoing.append(
                Outgoing(OutboxKey(answer.event, person, "offer", answer.source), context)
            )
    note = f"{answer.person} said {answer.intent}: {mine_before.state} -> {mine_after.state}"
    return Decision(changed=tuple(changed), outgoing=tuple(outgoing), note=note)


def _doubtful_yes(current: Attendance, answer: Answer) -> Decision:
    """A weak yes from someone who has not answered takes no seat by itself: we ask first.

    "Sure, Bitnami supports EC2" or "sounds good" may answer something else entirely. The arrival
    of the first such reply is kept, so that a confirmation keeps its place in line.
    """
    if current.doubtful_since is not None:
        return Decision(note=f"another doubtful yes from {answer.person}: still asked to confirm")
    return Decision(
        (replace(current, doubtful_since=answer.arrived_at),),
        (_to(answer, "confirm_yes"),),
        f"doubtful yes from {answer.person}: asked to confirm, no seat taken",
    )


def _takes_offer(current: Attendance, answer: Answer, event: Event) -> bool:
    """A yes to a seat offered late, in time."""
    return (
        answer.intent is Intent.YES
        and current.answer == "yes"
        and current.offered_at is not None
        and not current.confirmed
        and answer.arrived_at < event.offer_expires(current.offered_at)
    )


def takes_offer(roster: Mapping[str, Attendance], event: Event, answer: Answer) -> bool:
    """A yes in time to a seat that is still on offer (a capacity cut may have taken it back)."""
    if not _takes_offer(roster[answer.person], answer, event):
        return False  # the cheap test first: most answers are not to an offer
    place = places(roster.values(), event.capacity).get(answer.person)
    return place is not None and place.state == "offered"


def _yes_since(
    current: Attendance, answer: Answer, roster: Iterable[Attendance], capacity: int
) -> datetime:
    """Where a new yes queues: its arrival, strictly behind every yes that must stay ahead.

    A yes found late with an early INTERNALDATE (moved in from Junk, say) queues behind every
    yes already decided: a confirmed seat is never taken back by an older message. A confirmed
    doubtful yes counts from its first reply, ahead of later yeses in the line, but still behind
    every seat already given.
    """
    rows = list(roster)
    since = answer.arrived_at
    ahead: Iterable[Attendance] = rows
    if current.doubtful_since is not None and current.doubtful_since < since:
        since = current.doubtful_since
        order = ranks(rows)
        ahead = [a for a in rows if order.get(a.person, capacity + 1) <= capacity]
    newest = max((a.yes_since for a in ahead if a.yes_since is not None), default=None)
    if newest is not None and since <= newest:
        since = newest + timedelta(microseconds=1)  # strictly behind, whatever the UIDs say
    return since


def _apply(
    current: Attendance, answer: Answer, roster: Iterable[Attendance], capacity: int
) -> Attendance:
    """The person's row after their answer; a repeated answer returns the row unchanged."""
    if answer.intent is Intent.YES:
        if current.answer == "yes":
            return current
        since = _yes_since(current, answer, roster, capacity)
        return replace(
            current,
            answer="yes",
            yes_since=since,
            yes_uid=answer.uid,
            yes_source=answer.source,
            had_yes=True,
            confirmed=False,
            offered_at=None,
            responded_at=answer.arrived_at,
            doubtful_since=None,
        )
    if answer.intent is Intent.NO:
        if current.answer == "no":
            return current
        return replace(
            current,
            answer="no",
            yes_since=None,
            yes_uid=0,
            yes_source=0,
            responded_at=answer.arrived_at,
            confirmed=False,
            offered_at=None,
            doubtful_since=None,
        )
    if answer.intent is Intent.MAYBE:
        # A maybe from someone holding a seat or a place keeps it: a "Tentative" click in a
        # calendar is not a cancellation, and losing a seat over it would surprise them.
        if current.answer in ("yes", "maybe"):
            return (
                current
                if current.answer == "maybe"
                else replace(current, responded_at=answer.arrived_at)
            )
        # A maybe ends a doubtful yes: a yes weeks later counts from its own arrival.
        return replace(current, answer="maybe", responded_at=answer.arrived_at, doubtful_since=None)
    return current


def _answer_email(
    answer: Answer, current: Attendance, before: Place, after: Place, capacity: int
) -> Outgoing:
    if answer.intent is Intent.YES:
        kind = "seated" if after.state == "seated" else "waitlisted"
        return _to(
            answer,
            kind,
            {"seat" if kind == "seated" else "place": after.position or 0, "capacity": capacity},
        )
    if answer.intent is Intent.NO:
        if before.state == "seated":
            return _to(answer, "cancelled")
        if before.state == "waitlisted":
            return _to(answer, "left_waitlist")
        return _to(answer, "declined")
    if current.answer == "yes":
        return _to(
            answer,
            "kept",
            {"state": before.state, "position": before.position or 0, "capacity": capacity},
        )
    return _to(answer, "undecided", {"capacity": capacity})


def _to(answer: Answer, kind: str, context: Mapping[str, int | str] | None = None) -> Outgoing:
    return Outgoing(
        OutboxKey(answer.event, answer.person, kind, answer.source), context or {}, answer.reply_to
    )


def mark_bounced(roster: Mapping[str, Attendance], person: str) -> Attendance | None:
    """The person's row marked as unreachable, or None if they are not invited or already marked.

    A bounce does not take a seat away: it shows in status, and the organizer decides.
    """
    current = roster.get(person)
    if current is None or current.bounced:
        return None
    return replace(current, bounced=True)
