"""Forgetting a person, by their reply or by `mailer forget EMAIL`: the same steps either way.

Record, then act. `forget` commits in one transaction: a tombstone for each of their addresses
(a keyed hash, see store/forget.py), their seat or place freed as a "no" would free it (decide
promotes the first in line, or offers them the seat close to the start), every stored row that
names them erased, one confirmation queued, and a notice for the organizer naming only the
tombstone's tag. `settle`, every tick after sending, does what needs the outside world: GitHub
access withdrawn, and once the confirmation has gone, its body and their address dropped too,
the erasure run once more and the write-ahead log emptied. A crash anywhere repeats a step that
changes nothing the second time. After that, silence: their mail is erased unread and unanswered
(`silenced`), nothing is queued to them (`Handler.queue`), and they are never invited again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mailer.adapters.github import GitHubRepo
from mailer.composing import compose
from mailer.config import Config, Invitee
from mailer.decisions.decide import Answer, decide
from mailer.errors import MailerError, TransientError
from mailer.model import Intent, OutboxKey, Outgoing, Reply
from mailer.store import Store
from mailer.store.forget import FINAL, normal

if TYPE_CHECKING:
    from mailer.steps.messages import Handler

log = logging.getLogger("mailer.forget")
# What a message from (or about) a forgotten person keeps: its place in the folder, no words.
ERASED: dict[str, Any] = {"sender": "", "subject": "", "person": "", "raw": b""}


def forget(
    handler: Handler, address: str, arrived: datetime, via: str, reply_to: str | None = None
) -> str:
    """Forget the person who owns `address` (or the address alone, for a stranger)."""
    config, store, now = handler.config, handler.store, handler.now
    invitee = config.invitee_for(address)
    who = normal(invitee.email if invitee else address)
    addresses = [who, *(a for a in invitee.addresses if a != who)] if invitee else [who]
    with store.atomic():
        tag, new = store.add_tombstones(addresses, now, via, pending=who)
        freed = [e for e in config.events if _free(handler, e.id, who, tag, arrived)]
        if new:
            if invitee is not None:
                _confirm(handler, invitee, tag, reply_to)
            whom = "an invitee" if invitee is not None else "someone not on the list"
            how = "by their reply" if via == "reply" else "by mailer forget"
            store.add_notice(
                None,
                "",
                "",
                now,
                f"{whom} was forgotten (#{tag}, {how}): place freed, data erased; "
                "`mailer status` names them until you remove them from config.toml",
                "forgotten",
            )
        erased = sum(store.erase(a, tag) for a in addresses)
    seats = f"; freed their place in {', '.join(e.id for e in freed)}" if freed else ""
    log.info("forgot #%s (%s): %d row(s) erased%s", tag, via, erased, seats)
    return f"forgotten #{tag}: {erased} row(s) erased{seats}"


def by_reply(
    handler: Handler, reply: Reply, arrived: datetime
) -> tuple[str, dict[str, Any]] | None:
    """A reply asking to be forgotten (after sender authentication let it through), acted on."""
    if reply.intent is not Intent.FORGET or not reply.sender:
        return None
    if handler.config.is_organizer(reply.sender):
        return None  # the organizer's own "unsubscribe" test must not tombstone the mailbox
    return forget(handler, reply.sender, arrived, "reply", reply.message_id), ERASED


def silenced(store: Store, reply: Reply) -> tuple[str, dict[str, Any]] | None:
    """Mail from, or about, someone forgotten: erased on arrival and never answered."""
    for address in (reply.sender, reply.attendee or "", *reply.bounced):
        tag = store.forgotten_tag(address) if address else None
        if tag is not None:
            return f"from or about a forgotten person (#{tag}): erased, not answered", ERASED
    return None


def remembered(store: Store, invitees: Sequence[Invitee]) -> list[Invitee]:
    """The invitees nobody asked to forget: only they are invited."""
    return [i for i in invitees if not any(store.forgotten_tag(a) for a in i.addresses)]


def still_listed(store: Store, config: Config) -> list[tuple[str, str]]:
    """(address, tag) of each forgotten person still in config.toml, for status and check."""
    listed: list[tuple[str, str]] = []
    for invitee in config.invitees:
        tags = [t for t in map(store.forgotten_tag, invitee.addresses) if t is not None]
        if tags:
            listed.append((invitee.email, tags[0]))
    return listed


def _free(handler: Handler, event_id: str, who: str, tag: str, arrived: datetime) -> bool:
    """Their seat or place in one event freed as their "no" would; False if they held none."""
    roster = handler.roster(event_id)
    event = handler.config.event(event_id)
    if who not in roster or event is None:
        return False
    held = roster[who].answer == "yes"
    number = int(hashlib.sha256(tag.encode()).hexdigest()[:12], 16)  # stable outbox sequence
    answer = Answer(event_id, who, Intent.NO, arrived, 0, number)
    decision = decide(roster, event, answer, handler.now)
    for row in (a for a in decision.changed if a.person != who):
        handler.save(event_id, row)
    for outgoing in (o for o in decision.outgoing if o.key.person != who):
        handler.queue(outgoing)  # the promotion or the offer; nothing to the forgotten person
    roster.pop(who, None)
    return held


def _confirm(handler: Handler, invitee: Invitee, tag: str, reply_to: str | None) -> None:
    """The one email they get: keyed by the tag, so no outbox key names their address."""
    key = OutboxKey("", f"forgotten:{tag}", "forgotten", 0)
    outgoing = Outgoing(key, {"tag": tag}, reply_to, template="privacy/forgotten")
    composed = compose.render(
        outgoing, handler.config, None, invitee, handler.outbox.env, handler.now
    )
    store = handler.store
    if store.queue(
        key, composed.message_id, composed.recipient, composed.subject, composed.raw, handler.now
    ):
        handler.outbox.queued.append((str(key), composed.recipient, composed.subject))


def settle(config: Config, store: Store, github: GitHubRepo | None, now: datetime) -> list[str]:
    """Finish erasures: GitHub access withdrawn, the sent confirmation and the address dropped."""
    problems: list[str] = []
    finished = 0
    for row in store.unfinished_erasures():
        confirmation = store.confirmation(row["tag"])
        with store.atomic():
            store.erase(row["pending"], row["tag"])  # again: mail the organizer got since
            if confirmation is None or confirmation["status"] in FINAL:
                store.finish_erasure(row["hash"], row["tag"])
                finished += 1
    if github is not None and config.github is not None:
        problems += _withdraw(store, github, config.github.keep)
    if finished:
        store.checkpoint()
    return problems


def _withdraw(store: Store, github: GitHubRepo, keep: Sequence[str]) -> list[str]:
    """Withdraw a forgotten person's pending invitation and remove the access we gave them."""
    for row in store.access_to_withdraw():
        login = row["login"]
        try:
            github.withdraw(login)
            if login not in keep:
                github.remove(login)
        except TransientError as exc:
            return [f"github: access of {row['person']} not withdrawn yet: {exc.detail}"]
        except MailerError as exc:
            log.warning("github: could not withdraw %s: %s", row["person"], exc)
        with store.atomic():
            store.drop_access(login)
        log.info("github: access of %s withdrawn", row["person"])
    return []
