"""Who a classified message is from and which event it is about; pure, no I/O.

Who: the From address against the invitees and their aliases, case-insensitive; a calendar reply
whose ATTENDEE is another invitee answers for no one. Which event: the Message-IDs in
In-Reply-To/References that match one of our outgoing emails, else the calendar UID, else the one
event open for replies. Routing never depends on plus-addressing: Outlook drops "+tags" from an
organizer address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .config import Config, Invitee
from .model import Kind, Reply

CALENDAR_UID_PREFIX = "roundtable-"


@dataclass(frozen=True)
class Routed:
    """A reply tied to an invitee and an event."""

    invitee: Invitee
    event: str


@dataclass(frozen=True)
class Unrouted:
    """A reply we cannot tie to anyone or anything; it goes to the organizer, never answered."""

    reason: str


@dataclass(frozen=True)
class Ignored:
    """Mail that needs nobody's attention (an out-of-office, a list message)."""

    reason: str


def calendar_uid(event_id: str, domain: str) -> str:
    """The stable UID of an event's VEVENT; replies carrying it route back to the event."""
    return f"{CALENDAR_UID_PREFIX}{event_id}@{domain}"


def event_from_uid(uid: str | None, domain: str) -> str | None:
    suffix = f"@{domain}"
    if uid and uid.startswith(CALENDAR_UID_PREFIX) and uid.endswith(suffix):
        return uid[len(CALENDAR_UID_PREFIX) : -len(suffix)]
    return None


def route(
    reply: Reply,
    config: Config,
    threads: Mapping[str, str],
    open_events: Sequence[str],
) -> Routed | Unrouted | Ignored:
    """Tie an RSVP (calendar or written reply) to an invitee and an event.

    `threads` maps our outgoing Message-IDs to their event; `open_events` are the events taking
    replies now. Bounces and automatic mail are handled by the tick, not here.
    """
    if reply.kind is Kind.AUTOMATIC:
        return Ignored(f"automatic reply ({reply.reason or reply.rule}): never answered")
    if reply.sender == config.organizer_email:
        # Our own emails to the organizer land in the mailbox we read; they answer nothing.
        return Ignored("sent by this mailer to the organizer")
    if reply.kind not in (Kind.CALENDAR, Kind.WRITTEN):
        return Unrouted(f"not a reply to an invitation ({reply.reason or reply.kind.value})")
    invitee = config.invitee_for(reply.sender) if reply.sender else None
    if invitee is None:
        return Unrouted(f"{reply.sender or 'an unknown sender'} is not on the invitee list")
    named = config.invitee_for(reply.attendee) if reply.attendee else None
    if named is not None and named != invitee:
        # Only a person's own mail answers for them: an ATTENDEE line is anyone's to write.
        return Unrouted(
            f"a calendar reply from {reply.sender} answers for {reply.attendee}: only their own mail counts"
        )
    event = _which_event(reply, config, threads, open_events)
    if isinstance(event, Unrouted):
        return event
    return Routed(invitee, event)


def _which_event(
    reply: Reply, config: Config, threads: Mapping[str, str], open_events: Sequence[str]
) -> str | Unrouted:
    # The newest reference is the message they answered; older ones may belong to other threads.
    for message_id in reversed(reply.references):
        if message_id in threads:
            return threads[message_id]
    from_uid = event_from_uid(reply.calendar_uid, config.domain)
    if from_uid is not None and config.event(from_uid) is not None:
        return from_uid
    if reply.calendar_uid:
        # An answer to somebody else's calendar event must not seat anyone in ours.
        return Unrouted(f"a calendar reply about another event (UID {reply.calendar_uid})")
    if len(open_events) == 1:
        return open_events[0]
    if not open_events:
        return Unrouted("no event is taking replies now")
    return Unrouted(f"several events are open ({', '.join(open_events)}) and the reply names none")
