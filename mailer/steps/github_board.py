"""The GitHub step of a tick: carry out the calls `access.actions` decided, recording each first.

Record, then act: a login's row becomes "inviting" in its own commit before the invitation is
sent, so a crash in between is found by the next tick's check rather than forgotten. A rate limit
or a 5xx stops the step until the time GitHub names (stored, so later ticks wait it out too);
nothing decided is lost, and the next tick carries on where this one stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from mailer.adapters.github import GitHubRepo, Topic
from mailer.config import Config, Event
from mailer.decisions import access as access_module
from mailer.decisions import topics
from mailer.decisions.access import Action
from mailer.errors import PermanentError, TransientError
from mailer.model import Access, Attendance, OutboxKey, Outgoing
from mailer.store import Store, stamp, unstamp

log = logging.getLogger("mailer.github")
RETRY_KEY = "github.retry_after"


# 401 bad token, 403 no permission, 404 a repository the token cannot see (or a typo in repo).
REFUSALS = (401, 403, 404)


class StepRefused(Exception):
    """GitHub refused the token or its permission: the whole step stops, no row changes."""


def sync(
    config: Config,
    store: Store,
    rosters: Callable[[str], dict[str, Attendance]],
    queue: Callable[[Outgoing], None],
    repo: GitHubRepo,
    now: datetime,
    reached: set[str] | None = None,
    read: Mapping[str, tuple[list[dict[str, object]], str]] | None = None,
) -> list[str]:
    """Invite, check, renew, withdraw, remove; then plan the access emails. Returns problems;
    `reached` gets "github" when GitHub was asked and answered (the worker's "recovered")."""
    github = config.github
    if github is None:
        return []
    waiting = unstamp(store.meta(RETRY_KEY))
    events = [(event, rosters(event.id)) for event in config.events]
    names = access_module.logins(config.invitees, store.learned_logins())
    problems: list[str] = []
    reached = reached if reached is not None else set()
    if waiting is None or now >= waiting:
        try:
            _act(
                store,
                repo,
                access_module.actions(events, names, store.access(), github, now),
                events,
                queue,
                now,
            )
            problems += _board(config, store, repo, events, queue, now, read or {})
            reached.add("github")
        except TransientError as exc:
            problems.append(wait_out(store, exc, now))
        except StepRefused as exc:
            problems.append(f"github: {exc} (nothing was changed; run mailer check)")
    known = store.access()
    with store.atomic():
        for event, roster in events:
            for outgoing in access_module.emails(event, roster, names, known, github, now):
                queue(outgoing)
    return problems


def _board(
    config: Config,
    store: Store,
    repo: GitHubRepo,
    events: list[tuple[Event, dict[str, Attendance]]],
    queue: Callable[[Outgoing], None],
    now: datetime,
    read: Mapping[str, tuple[list[dict[str, object]], str]],
) -> list[str]:
    """Create the topics proposed by email, and send the agenda to the seated when it is due
    (from the board `agendas_due` already read this tick, else read now)."""
    github = config.github
    assert github is not None
    problems: list[str] = []
    boards: dict[str, list[Topic]] = {}  # one listing per label per tick
    for row in store.pending_topics():
        event = config.event(row["event"])
        label = event.topic_label if event else ""
        labels = [label] if label else []
        invitee = config.invitee_for(row["person"])
        body = topics.issue_body(
            row["body"], invitee.name if invitee else "a participant", _secrets(config)
        )
        try:
            # The same title already open on this event's board (proposed twice, or created
            # just before a crash kept us from recording it): point to it, do not open another.
            if label not in boards:
                boards[label] = repo.topics(label or None)
            same = [t for t in boards[label] if t.title.casefold() == row["title"].casefold()]
            created = same[0] if same else repo.create_topic(row["title"], body, labels)
            boards[label].append(created)
        except PermanentError as exc:
            if exc.code in REFUSALS:
                raise StepRefused(exc.detail) from None
            with store.atomic():
                store.finish_topic(row["inbound_id"], "failed", None, "", exc.detail)
                reason = f"topic {row['title']!r} could not be created on GitHub: {exc.detail}"
                store.add_notice(
                    row["inbound_id"], row["person"], row["title"], now, reason, "topic_failed"
                )
            continue
        with store.atomic():
            store.finish_topic(row["inbound_id"], "created", created.number, created.url)
            context = {"title": created.title, "url": created.url, "number": created.number}
            queue(
                Outgoing(
                    OutboxKey(row["event"], row["person"], "topic_created", row["inbound_id"]),
                    context,
                )
            )
    for event, roster in events:
        due = topics.agenda_due(event, roster, store.recorded_keys(event.id), github, now)
        if not due:
            continue
        try:
            board = read[event.id][0] if event.id in read else agenda_board(repo, event)
        except PermanentError as exc:
            problems.append(f"github: the agenda for {event.id} could not be read: {exc.detail}")
            continue
        with store.atomic():
            for person in due:
                queue(
                    Outgoing(
                        OutboxKey(event.id, person, "agenda", 0),
                        {"topics": board, "repo": repo.repo},
                    )
                )
    return problems


def agenda_board(repo: GitHubRepo, event: Event) -> list[dict[str, object]]:
    """The event's topics as the agenda shows them, most votes first (GitHub's order)."""
    return [
        {"title": t.title, "url": t.url, "votes": t.votes, "sponsors": ", ".join(t.sponsors)}
        for t in repo.topics(event.topic_label or None)
    ]


def agendas_due(
    config: Config,
    store: Store,
    rosters: Callable[[str], dict[str, Attendance]],
    repo: GitHubRepo,
    now: datetime,
) -> dict[str, tuple[list[dict[str, object]], str]]:
    """The boards of the events whose agenda is due at `now`, read before the reminders are
    written so that a reminder due with the agenda carries it. A board that cannot be read is
    left out: the reminder goes alone, and the agenda follows on its own once it can be read."""
    github = config.github
    waiting = unstamp(store.meta(RETRY_KEY))
    if github is None or (waiting is not None and now < waiting):
        return {}
    boards = {}
    for event in config.events:
        sent = store.recorded_keys(event.id)
        if topics.agenda_due(event, rosters(event.id), sent, github, now):
            try:
                boards[event.id] = (agenda_board(repo, event), repo.repo)
            except (PermanentError, TransientError) as exc:
                log.info("the agenda for %s is not read yet: %s", event.id, exc)
    return boards


def _act(
    store: Store,
    repo: GitHubRepo,
    due: list[Action],
    events: list[tuple[Event, dict[str, Attendance]]],
    queue: Callable[[Outgoing], None],
    now: datetime,
) -> None:
    rows = store.access()
    holders = access_module.seat_holders(events, now)
    for action in due:
        current = rows.get(action.login)
        told: Outgoing | None = None
        try:
            updated = _one(store, repo, action, current, now)
        except PermanentError as exc:
            if exc.code in REFUSALS:
                # A bad token, a missing permission or a repository it cannot see is the
                # organizer's to fix, not this person's: stop the step; no row is marked failed.
                raise StepRefused(exc.detail) from None
            updated = Access(
                action.login,
                action.person,
                "failed",
                current.invitation_id if current else None,
                current.renewals if current else 0,
                exc.detail,
            )
        renewed = current is not None and updated.renewals > current.renewals
        event = holders.get(action.person)  # the meeting the seat is for
        if renewed and event is not None:
            key = OutboxKey(event.id, action.person, "github_renewed", updated.renewals)
            told = Outgoing(key, {"repo": repo.repo})
        with store.atomic():  # the new state and the email about it, together
            store.save_access(updated, now)
            if told is not None:
                queue(told)
        rows[action.login] = updated
        log.info("github %s %s: %s", action.kind, action.login, updated.state)


def wait_out(store: Store, exc: TransientError, now: datetime) -> str:  # also the takeaways' reads
    """Remember until when GitHub asked us to wait (or five minutes), so later ticks wait too."""
    wait = getattr(exc, "retry_in", None)
    until = now + (wait if wait is not None else timedelta(minutes=5))
    with store.atomic():
        store.set_meta(RETRY_KEY, stamp(until))
    # The problem line it returns is what a person reads (once, through the worker's outages).
    log.debug("github: %s; waiting until %s", exc.detail, until)
    return f"github: {exc.detail} (will retry after {until:%Y-%m-%d %H:%M} UTC)"


def _one(
    store: Store, repo: GitHubRepo, action: Action, current: Access | None, now: datetime
) -> Access:
    login, person = action.login, action.person
    renewals = current.renewals if current else 0
    if action.kind == "invite":
        if not repo.user_exists(login):
            return Access(
                login, person, "unknown_user", None, renewals, "GitHub knows no such user"
            )
        with store.atomic():  # record, then act
            store.save_access(Access(login, person, "inviting", None, renewals), now)
        invitation = repo.invite(login)
        if invitation is None:
            return Access(
                login, person, "accepted", None, renewals, access_module.ALREADY_HAD_ACCESS
            )
        return Access(login, person, "invited", invitation.id, renewals)
    if action.kind == "check":
        state = repo.access(login)
        was = current.state if current else ""
        if state == "expired" or (state == "none" and was == "renewing"):
            # Expired after GitHub's seven days (or a renewal cut short between its withdraw and
            # its invite): a fresh invitation, counted, and the person told. Recorded first.
            with store.atomic():
                store.save_access(Access(login, person, "renewing", None, renewals), now)
            invitation = repo.renew(login) if state == "expired" else repo.invite(login)
            if invitation is None:
                return Access(login, person, "accepted", None, renewals)
            return Access(login, person, "invited", invitation.id, renewals + 1)
        if state == "none" and was == "inviting":  # a first invitation cut short: send it now
            invitation = repo.invite(login)
            if invitation is None:
                return Access(login, person, "accepted", None, renewals)
            return Access(login, person, "invited", invitation.id, renewals)
        if state == "none":
            # Declined on GitHub, or withdrawn by hand: their choice, not ours to undo.
            return Access(
                login,
                person,
                "declined",
                None,
                renewals,
                "the invitation was declined or withdrawn on GitHub",
            )
        return Access(login, person, state, current.invitation_id if current else None, renewals)
    if action.kind == "withdraw":
        repo.withdraw(login)
        return Access(login, person, "withdrawn", None, renewals)
    repo.remove(login)
    return Access(login, person, "removed", None, renewals)


def _secrets(config: Config) -> tuple[str, ...]:
    """What must never reach a GitHub issue, however a proposal quotes our emails."""
    zoom = config.zoom
    return tuple(x for x in (zoom.join_url, zoom.meeting_id, zoom.passcode) if x) if zoom else ()
