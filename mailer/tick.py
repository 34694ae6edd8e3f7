"""One pass of the worker, the only entry point that changes anything: ingest, decide, send, mark.

Every step is safe to repeat. New mail and the advanced IMAP cursor commit together; each
message's decision, its roster changes and the outbox rows it calls for commit together, before
SMTP sees anything; an outbox key is recorded once, so a repeated tick, or one after a crash,
decides nothing twice. Each email is marked `sending` before SMTP sees it and `sent` once the
server said 250; one a crash left between the two is settled by looking in the Sent folder
(sent_copies.py) before anything else is sent. A message that cannot be handled is set aside for
the organizer, never lost.
"""

from __future__ import annotations

import email.parser
import email.policy
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from mailer.adapters.github import GitHubRepo
from mailer.composing import compose
from mailer.config import Config, Event
from mailer.decisions import lifecycle, organizer
from mailer.decisions.decide import invitations_due, is_open
from mailer.decisions.pacing import backoff
from mailer.decisions.seats import Place, places
from mailer.errors import MailerError, ServerError
from mailer.model import ORGANIZER, Attendance, Cursor, InboundMail, OutboxKey, Outgoing, SendResult
from mailer.steps import forget, github_board, retention, sent_copies, takeaways
from mailer.steps.messages import Handler
from mailer.store import Store

log = logging.getLogger("mailer.tick")
# The worker's log turns these lines into events (daemon/logs.py): one wording, shared.
SENT = "send %s: %s %s"  # key, status, detail


class MailboxPort(Protocol):
    """What the tick needs from the IMAP adapter."""

    def fetch_since(self, cursor: Cursor | None) -> Any: ...

    def mark_handled(self, uids: Sequence[int]) -> None: ...

    def find_sent(self, message_ids: Sequence[str]) -> set[str]: ...

    @property
    def uidvalidity(self) -> int: ...


Mailbox = Callable[[], AbstractContextManager[MailboxPort]]
# (key, raw, recipient) batch, on_result, on_attempt: as smtp.send_batch.
Sender = Callable[
    [Sequence[tuple[str, bytes, str]], Callable[[SendResult], None], Callable[[str], None]], object
]


@dataclass
class Summary:
    """What one tick did, for the CLI's short report."""

    fetched: int = 0
    decided: int = 0
    queued: list[tuple[str, str, str]] = field(default_factory=list)  # key, recipient, subject
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)
    last_detail: str = ""
    # The servers asked that answered ("imap", "smtp", "github"): only these have recovered.
    reached: set[str] = field(default_factory=set)

    def count(self, result: SendResult) -> None:
        if result.status == "sent":
            self.sent += 1
        elif result.status == "retry":
            self.retrying += 1
            self.last_detail = result.detail
        else:
            self.failed += 1

    def lines(self) -> list[str]:
        lines = [
            f"read {self.fetched} new message(s), decided {self.decided}",
            f"queued {len(self.queued)} email(s); sent {self.sent}, retrying {self.retrying}, failed {self.failed}",
        ]
        return lines + [f"problem: {p}" for p in self.problems]


def tick(
    config: Config,
    store: Store,
    now: datetime,
    mailbox: Mailbox,
    send: Sender,
    dry_run: bool = False,
    github: GitHubRepo | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> Summary:
    """Read new mail, record decisions, act on GitHub and send what is due at `now`.

    `stopping()` turning true (the worker got SIGTERM) ends the sending between two emails: what
    is not handed over yet stays due for the next start, so a stop waits for one email at most.
    """
    summary = Summary()
    env = compose.environment(compose.templates_dir(config))
    handler = Handler(config, store, env, now, summary.queued)
    try:
        with mailbox() as box:
            summary.reached.add("imap")
            if dry_run:
                with store.rolled_back():
                    _ingest(box, store, summary)
                    _decide(config, store, handler, now, summary)
                return summary
            _ingest(box, store, summary)
            if github is not None:
                handler.outbox.agendas = github_board.agendas_due(
                    config, store, handler.roster, github, now
                )
            _decide(config, store, handler, now, summary)
            if github is not None:
                summary.problems += github_board.sync(
                    config,
                    store,
                    handler.roster,
                    handler.queue,
                    github,
                    now,
                    summary.reached,
                    handler.outbox.agendas,
                )
            summary.problems += takeaways.run(config, store, handler.queue, github, now)
            summary.problems += sent_copies.settle(store, box, config.imap.sent_folder, now)
            _send(config, store, send, now, summary, stopping)
            summary.problems += forget.settle(config, store, github, now)
            retention.expire(config, store, now)
            _mark(box, store)
    except ServerError as exc:
        # IMAP is down: what is already stored is still decided and sent; the mail waits on the server.
        summary.problems.append(f"{exc.server}: {exc.detail}")
        if dry_run:
            with store.rolled_back():
                _decide(config, store, handler, now, summary)
            return summary
        _decide(config, store, handler, now, summary)
        summary.problems += sent_copies.settle(store, None, config.imap.sent_folder, now)
        _send(config, store, send, now, summary, stopping)
    return summary


def _ingest(box: MailboxPort, store: Store, summary: Summary) -> None:
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    for batch in box.fetch_since(store.cursor()):
        mails: list[InboundMail] = list(batch)
        if not mails:
            continue
        ids = [_message_id(parser, m.raw) for m in mails]
        cursor = Cursor(mails[0].uidvalidity, max(m.uid for m in mails))
        summary.fetched += store.save_inbound(mails, cursor, ids)


def _message_id(parser: email.parser.BytesHeaderParser, raw: bytes) -> str | None:
    value = parser.parsebytes(raw).get("Message-ID")
    return str(value).strip() if value else None


def _decide(
    config: Config, store: Store, handler: Handler, now: datetime, summary: Summary
) -> None:
    invitees = forget.remembered(store, config.invitees)  # never those who asked to be forgotten
    for event in config.events:
        roster = handler.roster(event.id)
        for attendance in invitations_due(event, invitees, roster, now):
            _invite(handler, event.id, attendance)
    with store.atomic():
        # A stranger since added, or an address since fixed: their earlier mail counts now.
        store.reconsider_unmatched(organizer.invitee_fingerprint(config.invitees))
    open_events = [e.id for e in config.events if is_open(e, handler.roster(e.id), now)]
    for row in store.pending_inbound():
        summary.decided += handler.handle(row, open_events)
    settings = lifecycle.Settings(config.zoom, config.recording, config.reminders)
    for event in config.events:
        # After the replies, so that a seat taken in this tick gets its details in this tick.
        _plan_lifecycle(handler, store, event, settings, now)
    with store.atomic():
        glances = [
            organizer.glance(e, places(handler.roster(e.id).values(), e.capacity))
            for e in organizer.current(config.events, now)
        ]
        note = organizer.summary(store.notices_to_summarise(), glances)
        if note is not None:
            handler.queue(note)


def _plan_lifecycle(
    handler: Handler, store: Store, event: Event, settings: lifecycle.Settings, now: datetime
) -> None:
    roster = handler.roster(event.id)
    with store.atomic():
        plan = lifecycle.plan(
            event, roster, store.snapshot(event.id), store.recorded_keys(event.id), settings, now
        )
        for attendance in plan.changed:
            handler.save(event.id, attendance)
        for outgoing in plan.outgoing:
            handler.queue(outgoing)
        store.save_snapshot(event.id, plan.snapshot)


def _invite(handler: Handler, event_id: str, attendance: Attendance) -> None:
    with handler.store.atomic():
        handler.save(event_id, attendance)
        handler.queue(Outgoing(OutboxKey(event_id, attendance.person, "invitation", 0)))
    log.info("invited %s to %s", attendance.person, event_id)


class _Stopping(Exception):
    """Raised between two emails when the worker is asked to stop; never a MailerError."""


def _send(
    config: Config,
    store: Store,
    send: Sender,
    now: datetime,
    summary: Summary,
    stopping: Callable[[], bool] = lambda: False,
) -> None:
    due = []
    seats: dict[str, dict[str, Place]] = {}
    for row in store.due(now):
        reason = ""
        if row["event"]:
            event = config.event(row["event"])
            if event is not None and event.id not in seats:
                seats[event.id] = places(store.roster(event.id).values(), event.capacity)
            place_of = seats.get(row["event"], {})
            reason = lifecycle.still_due(event, row["kind"], row["person"], place_of, now)
        if reason:
            # Waited out an SMTP outage, and the world moved on: never send a stale seat's link.
            with store.atomic():
                store.record_sent(row["key"], "withdrawn", now, None, None, f"not sent: {reason}")
        else:
            due.append(row)
    if not due:
        return
    attempts = {row["key"]: row["attempts"] for row in due}
    recipients = {row["key"]: row["recipient"] for row in due}
    recorded: set[str] = set()
    handed: set[str] = set()

    def record(result: SendResult) -> None:
        # Each outcome commits as soon as the server answered: a crash repeats at most one email.
        status = result.status
        if status == "retry" and result.code is None and result.key in handed:
            # A timeout or a dropped connection after the message was handed over: the server
            # may have taken it. Left in doubt, the next tick settles it as after a crash.
            status = "sending"
        retry_at = backoff(attempts[result.key] + 1, now) if status == "retry" else None
        with store.atomic():
            store.record_sent(result.key, status, now, retry_at, result.code, result.detail)
            # No notice for a failed email to the organizer: it would only ask for another.
            if result.status == "failed" and result.key.split("/")[1] != ORGANIZER:
                reason = (
                    f"the mail server refused {result.key} for good: {result.code} {result.detail}"
                )
                store.add_notice(None, recipients[result.key], "", now, reason, "send_failed")
        recorded.add(result.key)
        log.info(SENT, result.key, result.status, result.detail)
        summary.count(result)
        if result.status == "sent":
            summary.reached.add("smtp")

    def attempt(key: str) -> None:
        if stopping():
            raise _Stopping  # before `sending` is recorded: the email stays due, untouched
        # Committed before the server sees the message: a crash after its 250 then leaves a row
        # that says "fate unknown", for the next tick to settle by looking, not guessing.
        with store.atomic():
            store.record_attempt(key, now)
        handed.add(key)

    try:
        send([(row["key"], row["raw"], row["recipient"]) for row in due], record, attempt)
    except _Stopping:
        log.info("stopping: %d email(s) left due for the next start", len(due) - len(recorded))
    except MailerError as exc:
        for row in due:
            if row["key"] not in recorded:
                record(SendResult(row["key"], "retry", None, str(exc)))
    if summary.failed:
        summary.problems.append(f"{summary.failed} email(s) refused for good: see mailer status")
    if summary.retrying:
        summary.problems.append(
            f"{summary.retrying} email(s) will be retried: {summary.last_detail}"
        )


def _mark(box: MailboxPort, store: Store) -> None:
    uidvalidity = box.uidvalidity
    uids = store.unmarked(uidvalidity)
    if uids:
        box.mark_handled(uids)
        store.set_marked(uidvalidity, uids)
