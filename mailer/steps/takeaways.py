"""The takeaways step of a tick: gather each ended meeting's takeaways, draft and send its digest.

Gathering reads the organizer's notes file and, with [github], the topics discussed during the
meeting and their comments; everything is stored once (the store ignores a takeaway gathered
before), so it runs at every tick until the digest is sent, and later takeaways still reach the
archive. The digest is recorded in the outbox in the same commit as its new state, before SMTP
sees it, like every other email. Takeaways and approvals by email come in through
`steps/messages.py`, which calls `from_email` and `approve`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from mailer.config import Config, Event
from mailer.decisions import takeaways as rules
from mailer.decisions.seats import seated
from mailer.errors import PermanentError, TransientError
from mailer.model import ORGANIZER, Attendance, OutboxKey, Outgoing, Reply, Takeaway
from mailer.steps import github_board
from mailer.steps.archive_publish import Publisher, publish
from mailer.store import Store, stamp, unstamp

log = logging.getLogger("mailer.takeaways")

GATHER_FOR = timedelta(days=30)  # after the end, comments and notes are still read this long
READ_EVERY = timedelta(hours=1)  # otherwise the board is read at most this often
READ_KEY = "takeaways.board_read.{}"
ADDENDUM_KEY = "digest.addendum.{}"  # "requested" by `mailer digest --addendum`, then "sent"  # after the end, comments and notes are still read this long


class MeetingBoard(Publisher, Protocol):
    """What gathering (and publishing the archive) needs from the GitHub adapter."""

    def discussed(
        self, label: str | None, since: datetime, until: datetime, discussed_label: str
    ) -> Sequence[Any]: ...

    def comments(self, number: int) -> Sequence[Any]: ...


def run(
    config: Config,
    store: Store,
    queue: Callable[[Outgoing], None],
    board: MeetingBoard | None,
    now: datetime,
) -> list[str]:
    """Gather and digest every meeting that has ended; the problem lines for the tick's summary."""
    problems: list[str] = []
    waiting = unstamp(store.meta(github_board.RETRY_KEY))
    if waiting is not None and now < waiting:
        board = None  # GitHub asked the board step to wait: its reads wait too
    for event in config.events:
        try:
            board = _one_event(config, store, queue, board, event, now, problems)
        except Exception as exc:  # one meeting's takeaways must never stop the tick's sending
            log.debug("takeaways of %s", event.id, exc_info=True)
            problems.append(f"takeaways of {event.id}: {type(exc).__name__}: {exc}")
    if board is not None and store.meetings():
        problems += publish(config, store, board, now)  # the archive, when it changed
    return problems


def _one_event(
    config: Config,
    store: Store,
    queue: Callable[[Outgoing], None],
    board: MeetingBoard | None,
    event: Event,
    now: datetime,
    problems: list[str],
) -> MeetingBoard | None:
    """One meeting's gathering and digest; the board to go on with (None after a rate limit)."""
    roster = store.roster(event.id) if not event.cancelled and now >= event.ends else {}
    if roster:  # held here: its invitations went out
        if now > event.ends + GATHER_FOR:
            _send_due(config, store, queue, event, roster, now)  # an approval may come late
            return board
        with store.atomic():
            store.save_meeting(event.id, event.title, event.theme, event.starts, event.timezone)
            _gather_notes(config, store, event, now)
        if board is not None and _board_due(config, store, event, now):
            try:
                _gather_board(config, store, board, event, roster, now)
                with store.atomic():
                    store.set_meta(READ_KEY.format(event.id), stamp(now))
            except TransientError as exc:  # a rate limit or an outage: wait as the board does
                problems.append(github_board.wait_out(store, exc, now))
                board = None
            except PermanentError as exc:
                problems.append(f"github (takeaways of {event.id}): {exc.detail}")
        _send_due(config, store, queue, event, roster, now)
        _tell_of_late_takeaways(store, event, now)
    return board


def _board_due(config: Config, store: Store, event: Event, now: datetime) -> bool:
    """Whether to read the board now: when the draft or the digest is due (so it is current), else
    at most every READ_EVERY, so a month of ticks costs GitHub little."""
    if rules.digest_due(event, config.takeaways, store.digest(event.id), now) is not None:
        return True
    last = unstamp(store.meta(READ_KEY.format(event.id)))
    return last is None or now >= last + READ_EVERY


def _send_due(
    config: Config,
    store: Store,
    queue: Callable[[Outgoing], None],
    event: Event,
    roster: dict[str, Attendance],
    now: datetime,
) -> None:
    """The draft or the digest when due, and an addendum the organizer asked for."""
    _digest(config, store, queue, event, roster, now)
    if store.meta(ADDENDUM_KEY.format(event.id)) == "requested":
        addendum(config, store, queue, event)


def _tell_of_late_takeaways(store: Store, event: Event, now: datetime) -> None:
    """After the digest, new takeaways go to the archive; the organizer hears once per batch."""
    digest = store.digest(event.id)
    if digest is None or digest["state"] != "sent":
        return
    later = store.takeaways(event.id, undigested=True)
    newest = str(store.newest_takeaway(event.id))
    told = f"takeaways.told.{event.id}"
    if later and store.meta(told) != newest:
        reason = (
            f"{len(later)} takeaway(s) of {event.id} came after its digest: they are in the "
            f"archive; `mailer digest --event {event.id} --addendum` sends them to the attendees"
        )
        with store.atomic():
            store.add_notice(None, "", f"takeaways of {event.id}", now, reason, "takeaways")
            store.set_meta(told, newest)


def _gather_notes(config: Config, store: Store, event: Event, now: datetime) -> None:
    path = config.takeaways.notes_dir / f"{event.id}.md"
    if not path.is_file():
        return
    notes = [
        Takeaway(
            event.id,
            text,
            config.organizer_name,
            ORGANIZER,
            "notes",
            f"{path.name}#{topic}" if topic else path.name,
            topic,
        )
        for topic, text in rules.notes_of(path.read_text(encoding="utf-8", errors="replace"))
    ]
    store.replace_written(event.id, "notes", None, notes, now)


def _gather_board(
    config: Config,
    store: Store,
    board: MeetingBoard,
    event: Event,
    roster: dict[str, Attendance],
    now: datetime,
) -> None:
    until = min(now, event.ends + config.takeaways.digest_after)
    discussed = board.discussed(
        event.topic_label or None, event.starts, until, config.takeaways.discussed_label
    )
    speakers = _speakers(config, store, seated(roster.values(), event.capacity))
    gathered = [_topic_row(topic) for topic in discussed]
    comments = {topic.number: board.comments(topic.number) for topic in discussed}
    with store.atomic():
        store.save_meeting_topics(event.id, gathered)
        for topic in discussed:
            for comment in comments[topic.number]:
                if not event.starts <= comment.created_at <= event.ends + GATHER_FOR:
                    continue  # said at another meeting about the same topic
                credit = speakers.get(str(comment.author).lower())
                if credit is None:
                    continue  # only the seated and the organizer speak for the meeting
                said = [
                    Takeaway(
                        event.id,
                        text,
                        credit[1],
                        credit[0],
                        "comment",
                        comment.url,
                        topic.title,
                        topic.number,
                        topic.url,
                        comment.created_at,
                    )
                    for text in rules.lines_of(comment.body)
                ]
                store.replace_written(event.id, "comment", comment.url, said, now)


def _topic_row(topic: Any) -> dict[str, Any]:
    return {
        "number": topic.number,
        "title": topic.title,
        "url": topic.url,
        "votes": topic.votes,
        "sponsors": ", ".join(topic.sponsors),
        "author": topic.author,
    }


def _speakers(config: Config, store: Store, seats: Sequence[str]) -> dict[str, tuple[str, str]]:
    """GitHub login -> (person, name) for the seated at the start and the organizer."""
    learned = store.learned_logins()
    found: dict[str, tuple[str, str]] = {}
    for person in seats:
        invitee = config.invitee_for(person)
        login = (invitee.github if invitee else "") or learned.get(person, "")
        if invitee is not None and login:
            found[login.lower()] = (person, invitee.name)
    for login in config.github.keep if config.github else ():
        found[login.lower()] = (ORGANIZER, config.organizer_name)
    return found


def from_email(
    config: Config, store: Store, event: Event, person: str, reply: Reply, now: datetime
) -> int:
    """Keep the "Takeaway:" lines of an attendee's email after the start; how many were new."""
    roster = store.roster(event.id)
    if person not in seated(roster.values(), event.capacity):
        return 0
    invitee = config.invitee_for(person)
    name = invitee.name if invitee else person.split("@")[0]  # a name, never an address
    return keep_lines(store, event, reply, name, person, now)


def keep_lines(
    store: Store, event: Event, reply: Reply, name: str, person: str, now: datetime
) -> int:
    """Keep the "Takeaway:" lines of one email, credited to `name`; how many were new."""
    ref = reply.message_id or f"{person}/{reply.subject}"
    return sum(
        store.add_takeaway(Takeaway(event.id, text, name, person, "email", ref), now)
        for text in rules.lines_of(reply.text)
    )


def latest_ended(config: Config, now: datetime) -> Event | None:
    """The meeting that ended last, if it is still gathering takeaways at `now`."""
    ended = [e for e in config.events if not e.cancelled and e.ends <= now <= e.ends + GATHER_FOR]
    return max(ended, key=lambda e: e.ends) if ended else None


def approve(store: Store, event_id: str, by: str, now: datetime) -> bool:
    """The organizer approved the digest; False when it was not drafted or is already sent."""
    digest = store.digest(event_id)
    if digest is None or digest["state"] != "drafted":
        return False
    store.set_digest(event_id, "approved", now, by=by)
    return True


def _digest(
    config: Config,
    store: Store,
    queue: Callable[[Outgoing], None],
    event: Event,
    roster: dict[str, Attendance],
    now: datetime,
) -> None:
    due = rules.digest_due(event, config.takeaways, store.digest(event.id), now)
    if due is None:
        return
    context = digest_context(config, store, event, roster)
    with store.atomic():
        if due.step == "draft":
            hold = (now + config.takeaways.digest_hold).astimezone(event.starts.tzinfo)
            queue(
                Outgoing(
                    OutboxKey(event.id, ORGANIZER, "digest_draft", 0),
                    {
                        **context,
                        "notes_file": str(config.takeaways.notes_dir / f"{event.id}.md"),
                        "auto_send": f"{hold:%A, %B} {hold.day}, {hold:%H:%M} {event.timezone}"
                        if config.takeaways.auto_send
                        else "",
                    },
                    template="organizer/digest_draft",
                )
            )
            store.set_digest(event.id, "drafted", now)
            log.info("digest of %s drafted for the organizer", event.id)
            return
        for person in context["to"]:
            queue(Outgoing(OutboxKey(event.id, person, "digest", 0), context))
        store.set_digest(event.id, "sent", now)
        store.mark_digested(event.id)
        log.info("digest of %s sent to %d people", event.id, len(context["to"]))


def addendum(config: Config, store: Store, queue: Callable[[Outgoing], None], event: Event) -> int:
    """Send the takeaways gathered since the digest to its recipients; how many there were."""
    later = store.takeaways(event.id, undigested=True)
    digest = store.digest(event.id)
    if not later or digest is None or digest["state"] != "sent":
        return 0
    context = digest_context(config, store, event)
    content = rules.content(event, store.meeting_topics(event.id), later, None)
    content["topics"] = [topic for topic in content["topics"] if topic["takeaways"]]
    context["digest"] = content
    newest = store.newest_takeaway(event.id)
    with store.atomic():
        for person in context["to"]:
            queue(Outgoing(OutboxKey(event.id, person, "digest_addendum", newest), context))
        store.mark_digested(event.id)
        store.set_meta(ADDENDUM_KEY.format(event.id), "sent")
    return len(later)


def digest_context(
    config: Config, store: Store, event: Event, roster: dict[str, Attendance] | None = None
) -> dict[str, Any]:
    """What the digest templates need: the content, its recipients and how they were chosen."""
    rows = roster if roster is not None else store.roster(event.id)
    to = rules.recipients(
        config.takeaways.digest_to,
        seated(rows.values(), event.capacity),
        rows.keys(),
        [p for p, a in rows.items() if a.bounced],
    )
    content = rules.content(
        event,
        store.meeting_topics(event.id),
        store.takeaways(event.id),
        rules.next_event(config.events, event),
    )
    return {
        "digest": content,
        "to": to,
        "recipients": len(to),
        "digest_to": config.takeaways.digest_to,
    }
