"""`mailer explain`: how the product reads a message, why, and what it would do with it.

Owns `explain(raw, setting, now) -> Explanation` (the reading, the routing and the decision as
data), `setting(path)` (the config and database it is judged against, or why there are none) and
`read_message`; `explain_text` shapes what is printed.

The decision is the tick's own: the message goes through `reply_handling.Handler` inside
`Store.rolled_back()`, so what is explained is exactly what a tick would do at `now`, and nothing
stored changes. The reading and routing are pure; only the decision touches the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from mailer.composing import compose
from mailer.config import Config, Event, load
from mailer.decisions.decide import is_open
from mailer.decisions.route import Ignored, Routed, route
from mailer.decisions.seats import Place, places
from mailer.errors import ConfigError, MailerError
from mailer.model import ORGANIZER, Attendance, Kind, Reply
from mailer.reading.classify import classify
from mailer.steps.messages import Handler
from mailer.store import Store, stamp


@dataclass(frozen=True)
class Setting:
    """What a message is judged against: the config and the stored roster, when there are."""

    config: Config | None = None
    store: Store | None = None
    note: str = ""  # why there is no config or database; "" when both are there


@dataclass(frozen=True)
class Change:
    """One person's standing before and after the message: a state, with a position if any."""

    person: str
    before: Place
    after: Place
    capacity: int = 0  # the event's seats
    objection: str = ""  # "objects" | "withdraws" when the recording consent changed
    bounced: bool = False  # newly marked unreachable by a bounce


@dataclass(frozen=True)
class Explanation:
    """How a message is read, whom and which event it is about, and what a tick would do."""

    reply: Reply
    invitee: str | None = None
    event: str | None = None
    routing: str = ""  # who and which event, or why nobody
    action: str | None = None  # None: not decided (no config or no database; see note)
    changes: tuple[Change, ...] = ()
    sends: tuple[tuple[str, str], ...] = ()  # (kind, person or "organizer") per email queued
    notices: tuple[str, ...] = ()  # what the organizer would be told
    outcome: str = ""  # the tick's own one-line outcome, as it would be stored
    note: str = ""


@contextmanager
def setting(config_path: Path) -> Iterator[Setting]:
    """The config at `config_path` and its database, opened only if both exist."""
    try:
        config = load(config_path)
    except ConfigError as exc:
        yield Setting(note=f"the reading only, with no usable config: {exc.message}")
        return
    if not config.database.exists():
        yield Setting(
            config,
            note=f"no database at {config.database} (no tick has run yet): the reading and routing only",
        )
        return
    try:
        store = Store(config.database)
    except MailerError as exc:
        yield Setting(config, note=f"the database cannot be opened: {exc}")
        return
    try:
        yield Setting(config, store)
    finally:
        store.close()


def explain(raw: bytes, where: Setting, now: datetime) -> Explanation:
    """How `raw` is read and, given a config (and database), what a tick at `now` would do."""
    reply = classify(raw)
    config = where.config
    if config is None:
        return Explanation(reply, note=where.note)
    if where.store is None:
        open_events = [e.id for e in config.events if _takes_replies(e, now)]
        invitee, event, routing = _routing(reply, config, {}, open_events)
        return Explanation(reply, invitee, event, routing, note=where.note)
    try:
        return _decided(raw, reply, config, where.store, now)
    except sqlite3.OperationalError as exc:  # "database is locked": a tick holds it for long
        note = f"the database could not be read ({exc}): try again once the tick has finished"
        return Explanation(reply, note=note)


def _takes_replies(event: Event, now: datetime) -> bool:
    """Without a roster: whether the event's invitations would be out and it still ahead."""
    invited = event.invite_at is None or event.invite_at <= now
    return invited and now < event.starts and not event.cancelled


def _routing(
    reply: Reply, config: Config, threads: Mapping[str, str], open_events: list[str]
) -> tuple[str | None, str | None, str]:
    if reply.kind is Kind.BOUNCE:
        ours = [a for a in reply.bounced if config.invitee_for(a) is not None]
        failed = ", ".join(reply.bounced) or "no address we can tell"
        owner = config.invitee_for(ours[0]) if ours else None
        who = f"; invitee: {owner.email}" if owner else "; none of them is an invitee"
        return (owner.email if owner else None), None, f"a bounce for {failed}{who}"
    where = route(reply, config, threads, open_events)
    if isinstance(where, Routed):
        text = f"from {where.invitee.email} ({where.invitee.name}), about {where.event}"
        return where.invitee.email, where.event, text
    prefix = "ignored: " if isinstance(where, Ignored) else "nobody: "
    return None, None, prefix + where.reason


def _decided(raw: bytes, reply: Reply, config: Config, store: Store, now: datetime) -> Explanation:
    """Run the tick's own handling of the message inside a transaction that is rolled back."""
    queued: list[tuple[str, str, str]] = []
    env = compose.environment(compose.templates_dir(config))
    handler = Handler(config, store, env, now, queued)
    with store.rolled_back():
        open_events = [e.id for e in config.events if is_open(e, handler.roster(e.id), now)]
        threads = store.threads(list(reply.references))
        invitee, event, routing = _routing(reply, config, threads, open_events)
        before = {e.id: store.roster(e.id) for e in config.events}
        told = len(store.notices_to_summarise())
        # uidvalidity 0 is never a server's (RFC 3501 wants it nonzero): the row clashes with none.
        inbound = store.db.table("inbound")
        stored = {"uidvalidity": 0, "uid": 0, "internaldate": stamp(now), "raw": raw}
        row_id = inbound.insert(stored).last_pk
        assert row_id is not None  # the INTEGER PRIMARY KEY sqlite just assigned
        handler.handle(inbound.get(row_id), open_events)
        handled = inbound.get(row_id)
        changes = tuple(
            change
            for e in config.events
            for change in _changes(before[e.id], store.roster(e.id), e.capacity, invitee)
        )
        notices = tuple(n["reason"] for n in store.notices_to_summarise()[told:])
    sends = tuple(_kind_and_person(key) for key, _, _ in queued)
    outcome = str(handled["outcome"] or "")
    result = Explanation(
        reply, invitee, event, routing, None, changes, sends, notices, outcome, note=""
    )
    return _with_action(result, handled["status"], invitee)


def _kind_and_person(key: str) -> tuple[str, str]:
    """An outbox key's kind and person ("organizer" for the organizer): event/person/kind/seq."""
    head, kind, _ = key.rsplit("/", 2)
    return kind, head.rpartition("/")[2]


def _changes(
    before: Mapping[str, Attendance],
    after: Mapping[str, Attendance],
    capacity: int,
    answerer: str | None,
) -> Iterator[Change]:
    """Whose row or place changed (a seat number shifting up as others leave is no change)."""
    was, now = places(before.values(), capacity), places(after.values(), capacity)
    for person in sorted(after, key=lambda p: (p != answerer, p)):
        old, row = before.get(person), after[person]
        old_place = was.get(person, Place("not invited"))
        if old == row and old_place.state == now[person].state:
            continue
        objection = ""
        if old is not None and (old.objected_at is None) != (row.objected_at is None):
            objection = "objects" if row.objected_at else "withdraws"
        bounced = row.bounced and not (old and old.bounced)
        yield Change(person, old_place, now[person], capacity, objection, bounced)


def _with_action(result: Explanation, status: str, answerer: str | None) -> Explanation:
    """The one line for the organizer: 'would seat ... and send `seated`', 'ignored: ...'."""
    if status == "set_aside":
        return replace(result, action=f"would set it aside for the organizer: {result.outcome}")
    text = "; ".join(_phrase(c) for c in result.changes)
    if result.sends:
        sends = ", ".join(
            f"`{kind}`"
            + ("" if to == answerer else " to the organizer" if to == ORGANIZER else f" to {to}")
            for kind, to in result.sends
        )
        text = f"{text} and send {sends}" if text else f"send {sends}"
    for reason in result.notices:
        text += ("; " if text else "") + f"tell the organizer: {reason}"
    if text:
        action = f"would {text}"
    elif result.routing.startswith("ignored: "):
        action = result.routing
    else:
        action = f"would change nothing on the roster: {result.outcome}"
    return replace(result, action=action)


def _phrase(change: Change) -> str:
    """What happens to one person, in the organizer's words."""
    who, new = change.person, change.after
    parts = []
    if change.bounced:
        parts.append(f"mark {who} as bounced (unreachable)")
    if change.objection:
        verb = "objection to" if change.objection == "objects" else "withdrawn objection to"
        parts.append(f"record {who}'s {verb} the recording")
    if change.before.state != new.state and not (change.bounced and new.state == "bounced"):
        parts.append(_move(change))
    elif not parts:
        parts.append(f"keep {who} {_standing(new, change.capacity)}")
    return ", ".join(parts)


def _move(change: Change) -> str:
    who, old, new = change.person, change.before, change.after
    if new.state == "seated" and old.state == "waitlisted":
        return f"move {who} from the waiting line to seat {new.position} of {change.capacity}"
    if new.state == "seated":
        return f"seat {who} (seat {new.position} of {change.capacity})"
    if new.state == "cancelled" and old.state == "seated":
        return f"free {who}'s seat {old.position}"
    if new.state == "cancelled" and old.state == "waitlisted":
        return f"take {who} off the waiting line"
    words = {
        "offered": "offer {} the freed seat {}",
        "waitlisted": "put {} in the waiting line (place {})",
        "declined": "record {}'s no",
        "cancelled": "record {}'s no",
        "undecided": "record {}'s maybe",
        "line_closed": "tell {} the waiting line is closed",
        "bounced": "mark {} as bounced (unreachable)",
        "invited": "record {} as invited",
    }
    return words.get(new.state, "set {} to " + new.state).format(who, new.position)


def _standing(place: Place, capacity: int) -> str:
    if place.state == "seated":
        return f"in seat {place.position} of {capacity}"
    if place.state == "waitlisted":
        return f"in the waiting line (place {place.position})"
    return place.state


def read_message(path: str) -> bytes | str:
    """The bytes of the file at `path`, or one line saying why it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return f"{path}: no such file"
    except IsADirectoryError:
        return f"{path}: is a folder, not a message file"
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc})"
