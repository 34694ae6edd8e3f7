"""Who a classified message is from and which event it is about; pure, no I/O.

Who: the From address against the invitees and their aliases, case-insensitive. A calendar reply
speaks only for its own sender (RFC 5546 names attendee spoofing as the threat, and Nextcloud's
iMIP import checks the same): its ATTENDEE must be the From address or an alias of the same
invitee, and its UID must be the one we sent that person; otherwise nobody's seat changes and the
organizer is told. Which event: for a calendar reply its UID; for written words the Message-IDs in
In-Reply-To/References that match one of our outgoing emails, else the one event open for
replies. Routing never depends on plus-addressing: Outlook drops "+tags" from an organizer address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from mailer.config import Config, Invitee
from mailer.model import Kind, Reply

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
    invited: Callable[[str, str], bool] | None = None,
) -> Routed | Unrouted | Ignored:
    """Tie an RSVP (calendar or written reply) to an invitee and an event.

    `threads` maps our outgoing Message-IDs to their event; `open_events` are the events taking
    replies now; `invited(event, person)` tells whether we sent that person that event's
    invitation (None: not checked). Bounces and automatic mail are handled by the tick, not here.
    """
    if reply.kind is Kind.AUTOMATIC:
        return Ignored(f"automatic reply ({reply.reason or reply.rule}): never answered")
    if reply.sender == config.organizer_email:
        # Our own emails to the organizer land in the mailbox we read; they answer nothing.
        return Ignored("sent by this mailer to the organizer")
    if reply.kind not in (Kind.CALENDAR, Kind.WRITTEN):
        return Unrouted(f"not a reply to an invitation ({reply.reason or reply.kind.value})")
    invitee = config.invitee_for(reply.sender) if reply.sender else None
    attendee = config.invitee_for(reply.attendee) if reply.attendee else invitee
    if reply.kind is Kind.CALENDAR and attendee != invitee:
        return Unrouted(
            f"calendar reply from {reply.sender or 'an unknown sender'} answers for "
            f"{reply.attendee}: a calendar reply counts only for its own sender, so no seat changed"
        )
    if invitee is None:
        return Unrouted(f"{reply.sender or 'an unknown sender'} is not on the invitee list")
    if reply.kind is Kind.CALENDAR:
        return _calendar_route(reply, config, invitee, invited)
    event = _which_event(reply, threads, open_events)
    if isinstance(event, Unrouted):
        return event
    return Routed(invitee, event)


def _calendar_route(
    reply: Reply, config: Config, invitee: Invitee, invited: Callable[[str, str], bool] | None
) -> Routed | Unrouted:
    """A calendar reply about an event we sent its sender: our UID, and their invitation."""
    event = event_from_uid(reply.calendar_uid, config.domain)
    if event is None or config.event(event) is None:
        # An answer to somebody else's calendar event must not seat anyone in ours.
        return Unrouted(f"a calendar reply about another event (UID {reply.calendar_uid})")
    if invited is not None and not invited(event, invitee.email):
        return Unrouted(
            f"calendar reply from {reply.sender} about {event}, whose invitation was never "
            "sent to them: no seat changed"
        )
    return Routed(invitee, event)


def _which_event(
    reply: Reply, threads: Mapping[str, str], open_events: Sequence[str]
) -> str | Unrouted:
    # The newest reference is the message they answered; older ones may belong to other threads.
    for message_id in reversed(reply.references):
        if message_id in threads:
            return threads[message_id]
    if len(open_events) == 1:
        return open_events[0]
    if not open_events:
        return Unrouted("no event is taking replies now")
    return Unrouted(f"several events are open ({', '.join(open_events)}) and the reply names none")
