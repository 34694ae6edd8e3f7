"""The nouns every module shares: what a message means, what arrived, what we owe, who holds a seat.

Only frozen dataclasses and enums live here, no behaviour beyond trivial helpers, so that the pure
core (replies, decide, compose) and the adapters (imap, smtp, store) can agree on shapes without
importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Intent(StrEnum):
    """What a person's answer says about coming."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"
    UNCLEAR = "unclear"
    FORGET = "forget"  # asks to be removed and their data erased (reading/removal.py)


class Kind(StrEnum):
    """What sort of message arrived, decided by the first classifier rule that matched."""

    BOUNCE = "bounce"  # a delivery failure (DSN or a classic bounce)
    AUTOMATIC = "automatic"  # out-of-office, auto-generated or list mail: never answered
    CALENDAR = "calendar"  # an iMIP METHOD:REPLY (RFC 6047)
    WRITTEN = "written"  # a person's own words
    OTHER = "other"  # anything else that is not an RSVP (an invitation, a read receipt, ...)


@dataclass(frozen=True)
class Reply:
    """The meaning of one inbound message, as far as the message alone can tell.

    `references` holds the Message-IDs from In-Reply-To and References, angle brackets kept,
    newest last; the tick uses them and `calendar_uid` to find the event.
    """

    kind: Kind
    rule: str  # the name of the classifier rule that decided, for the log
    sender: str  # the From address, lower-cased; "" when there is none
    subject: str = ""
    message_id: str | None = None
    references: tuple[str, ...] = ()
    intent: Intent | None = None  # for CALENDAR and WRITTEN
    weak: bool = False  # WRITTEN: the intent rests only on weak phrases ("sounds good", "sure")
    consent: str | None = None  # WRITTEN: "object" to the recording, or "withdraw" an objection
    attendee: str | None = None  # for CALENDAR: the ATTENDEE address, lower-cased
    calendar_uid: str | None = None  # for CALENDAR: the UID of the VEVENT
    bounced: tuple[str, ...] = ()  # for BOUNCE: the recipients that failed, lower-cased
    permanent: bool = True  # for BOUNCE: False for a delay warning (temporary failure)
    text: str = ""  # for WRITTEN: the sender's own words, quotes and signature removed
    reason: str = ""  # one line for the organizer: why the rule decided so
    # The words or header values the decision rested on ("can't make it", "Auto-Submitted:
    # auto-replied"), for `mailer explain` and the log.
    evidence: tuple[str, ...] = ()
    # WRITTEN: words asking to be removed, in a reply that answers something else too ("can't
    # come, take me off the list for this one"): not acted on, shown to the organizer.
    removal_aside: str = ""


@dataclass(frozen=True)
class InboundMail:
    """One message as the IMAP server holds it."""

    uidvalidity: int
    uid: int
    internaldate: datetime  # timezone-aware: when the message reached the server
    raw: bytes


@dataclass(frozen=True)
class Cursor:
    """How far the folder has been read: mail with a UID above `last_uid` is new."""

    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class OutboxKey:
    """Why an outgoing email exists; the outbox holds at most one email per key."""

    event: str
    person: str  # the invitee's primary address, lower-cased
    kind: str  # the template's name, e.g. "invitation", "seated"
    sequence: int = 0

    def __str__(self) -> str:
        return f"{self.event}/{self.person}/{self.kind}/{self.sequence}"


@dataclass(frozen=True)
class SendResult:
    """What the SMTP server said about one outgoing email."""

    key: str  # str(OutboxKey)
    status: str  # "sent" | "retry" | "failed"
    code: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class Notice:
    """Something the organizer should see in `status`: mail we could not tie to anyone, a bounce."""

    sender: str
    subject: str
    received_at: datetime
    reason: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Attendance:
    """One invitee's standing for one event, as stored."""

    person: str  # the invitee's primary address
    invited_at: datetime
    # The answer that stands: none | yes | no | maybe | closed (the RSVP deadline closed the line)
    # | passed (let a late offer of a seat expire)
    answer: str = "none"
    yes_since: datetime | None = None  # arrival of the yes that stands (INTERNALDATE)
    yes_uid: int = 0  # its UID, to order yeses that arrived in the same second
    had_yes: bool = False  # said yes at some point: a later no is a cancellation
    bounced: bool = False
    responded_at: datetime | None = None
    objected_at: datetime | None = None  # objected to the recording (and has not withdrawn)
    confirmed: bool = False  # was told they hold a seat (seated, promoted, or took an offer)
    offered_at: datetime | None = None  # offered a freed seat late (reply yes within offer_hours)
    # The stored message of the standing yes: names the seat in outbox keys (a UID can repeat).
    yes_source: int = 0
    # The arrival of a doubtful yes ("sounds good") we asked them to confirm; once they do, their
    # place counts from it (never ahead of a seat already given).
    doubtful_since: datetime | None = None


# The outbox person for emails to the organizer; their address comes from config.toml.
ORGANIZER = "organizer"


# The emails that tell someone they hold a seat now; each carries the calendar entry, and the
# link too once the details are due (see decisions/welcome.py).
SEAT_KINDS = frozenset({"seated", "promoted", "offer_taken", "seat_added"})


def carries_link(kind: str) -> bool:
    """Whether an email of this kind carries the Zoom link: only ever sent to a seat holder."""
    return kind in ("details", "update_seated") or kind.startswith("reminder")


# Answers to a person's own message; capped per sender per day as a guard against mail loops.
ANSWER_KINDS = frozenset(
    {
        "seated",
        "waitlisted",
        "declined",
        "cancelled",
        "left_waitlist",
        "undecided",
        "kept",
        "clarify",
        "confirm_yes",
        "objection_noted",
        "objection_withdrawn",
        "offer_taken",
    }
)


@dataclass(frozen=True)
class Outgoing:
    """An email the decision calls for; rendered by compose, stored in the outbox under `key`.

    `template` names the template (default `participant/<kind>`); an email to the organizer uses
    `organizer/<name>` and the organizer's address as `key.person`.
    """

    key: OutboxKey
    context: Mapping[str, object] = field(default_factory=dict)
    in_reply_to: str | None = None
    template: str = ""

    @property
    def template_name(self) -> str:
        return self.template or f"participant/{self.key.kind}"


@dataclass(frozen=True)
class Takeaway:
    """One takeaway of a meeting: what was learned, who said it, and where it was written.

    `author` is the name shown in the digest and the archive, never an address; `person` is the
    invitee's address (or ORGANIZER), kept for the consent rule and never printed. `source` is
    "comment" (its `ref` the comment's URL), "notes" (the notes file and section) or "email" (the
    Message-ID). `topic` is the discussed topic's title, "" for the meeting as a whole.
    """

    event: str
    text: str
    author: str
    person: str
    source: str
    ref: str
    topic: str = ""
    topic_number: int | None = None
    topic_url: str = ""
    said_at: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """The event as its people last heard of it; a difference from config.toml is a change."""

    starts: datetime
    duration_minutes: int
    title: str
    capacity: int
    revision: int = 0  # bumped by every change the people were told about


@dataclass(frozen=True)
class Access:
    """What we know of one login's access, as stored."""

    login: str
    person: str
    # inviting | invited | renewing | accepted | expired | declined | unknown_user | withdrawn |
    # removed | failed
    state: str
    invitation_id: int | None = None
    renewals: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Discussed:
    """A topic issue discussed at a meeting: closed, or given the discussed label, in its window."""

    number: int
    title: str
    url: str
    votes: int  # its 👍
    sponsors: tuple[str, ...]  # its assignees
    author: str
    closed_at: datetime | None = None  # when closed within the window
    labelled_at: datetime | None = None  # when it got the discussed label within the window


@dataclass(frozen=True)
class Comment:
    """One comment on a topic issue: `url` links to it on GitHub, `author` is a login."""

    id: int
    author: str
    body: str
    url: str
    created_at: datetime
