"""Handling one stored inbound message: classify, route, decide, and record it all in one commit.

The shell around the pure core for a single message. One bad message rolls back only itself and
is set aside for the organizer with the reason; it is never deleted and never answered.
"""

from __future__ import annotations

import email.parser
import email.policy
import logging
from datetime import datetime
from typing import Any

from jinja2 import Environment

from mailer.composing import compose
from mailer.config import Config, Invitee
from mailer.decisions.decide import Answer, decide, mark_bounced
from mailer.decisions.route import Ignored, Routed, route
from mailer.decisions.seats import places
from mailer.decisions.takeaways import is_approval, lines_of
from mailer.decisions.topics import Proposal, may_propose, proposal
from mailer.model import ORGANIZER, Attendance, Intent, Kind, Outgoing, Reply
from mailer.reading.authentication import held
from mailer.reading.classify import classify
from mailer.reading.github_names import github_login
from mailer.steps import forget, takeaways
from mailer.steps.outgoing import Outbox
from mailer.store import Store, unstamp

log = logging.getLogger("mailer.decide")
# Message-ID, rule, outcome; an event of the worker's log (daemon/logs.py).
DECIDED = "decided %s rule=%s: %s"
_HEADERS = email.parser.BytesHeaderParser(policy=email.policy.compat32)


class Handler:
    """Decides stored messages one by one, keeping each event's roster in memory for the tick."""

    def __init__(
        self,
        config: Config,
        store: Store,
        env: Environment,
        now: datetime,
        queued: list[tuple[str, str, str]],
    ):
        self.config = config
        self.store = store
        self.now = now
        self._rosters: dict[str, dict[str, Attendance]] = {}
        self.outbox = Outbox(config, store, env, now, queued, self.roster)

    def roster(self, event_id: str) -> dict[str, Attendance]:
        if event_id not in self._rosters:
            self._rosters[event_id] = self.store.roster(event_id)
        return self._rosters[event_id]

    def save(self, event_id: str, attendance: Attendance) -> None:
        self.store.save_attendance(event_id, attendance)
        self.roster(event_id)[attendance.person] = attendance

    def queue(self, outgoing: Outgoing) -> None:
        """Render and record one email (see outgoing.Outbox.queue)."""
        self.outbox.queue(outgoing)

    def handle(self, row: dict[str, Any], open_events: list[str]) -> int:
        """Decide one stored message; returns 1 when it was decided, 0 when it was set aside."""
        received = unstamp(row["internaldate"]) or self.now
        size_kb = len(row["raw"]) // 1024
        if size_kb > self.config.max_message_kb:
            self._set_aside(
                row,
                received,
                f"{size_kb} KB, above [limits] max_message_kb = {self.config.max_message_kb}: "
                "set aside unread; read it in the mailbox",
            )
            return 0
        try:
            with self.store.atomic():
                reply = classify(row["raw"])
                outcome, fields = self._decide(row, reply, received, open_events)
                columns = {"sender": reply.sender, "subject": reply.subject, **fields}
                self.store.finish_inbound(
                    row["id"],
                    "done",
                    kind=reply.kind.value,
                    rule=reply.rule,
                    intent=reply.intent.value if reply.intent else None,
                    outcome=outcome,
                    **columns,
                )
            log.info(
                DECIDED,
                reply.message_id or f"uid {row['uid']}",
                reply.rule,
                outcome,
            )
            return 1
        except Exception as exc:  # any failure sets this one message aside
            log.debug("set aside uid %s", row["uid"], exc_info=True)
            self._rosters.clear()  # the rolled-back transaction may have touched cached rows
            self._set_aside(row, received, f"could not be handled: {exc}")
            return 0

    def _set_aside(self, row: dict[str, Any], received: datetime, reason: str) -> None:
        """Keep the message (never deleted, never answered) and tell the organizer why."""
        log.warning("set aside uid %s: %s", row["uid"], reason)
        with self.store.atomic():
            self.store.finish_inbound(row["id"], "set_aside", outcome=reason)
            self.store.add_notice(
                row["id"],
                "",
                f"message uid {row['uid']}",
                received,
                f"set aside, {reason}",
                "set_aside",
            )

    def _decide(
        self, row: dict[str, Any], reply: Reply, received: datetime, open_events: list[str]
    ) -> tuple[str, dict[str, Any]]:
        if (erased := forget.silenced(self.store, reply)) is not None:
            return erased
        if reply.kind is Kind.BOUNCE:
            return self._bounce(row, reply, received, open_events), {}
        if reply.kind in (Kind.CALENDAR, Kind.WRITTEN):
            headers = _HEADERS.parsebytes(row["raw"])
            forged = held(headers, self.config.imap.trusted_authserv_id)
            if forged is not None:
                reason = f"held, not acted on: {forged} ({reply.sender or 'no sender'})"
                self.store.add_notice(
                    row["id"], reply.sender, reply.subject, received, reason, "held"
                )
                return reason, {}
        if (forgotten := forget.by_reply(self, reply, received)) is not None:
            return forgotten
        threads = self.store.threads(list(reply.references))
        if reply.kind is Kind.WRITTEN and self.config.is_organizer(reply.sender or ""):
            answered = self._organizer_on_digest(reply, threads, received)
            if answered is not None:
                return answered, {}
        where = route(reply, self.config, threads, open_events, self._invited)
        if isinstance(where, Ignored):
            return where.reason, {}
        if not isinstance(where, Routed):
            self.store.add_notice(row["id"], reply.sender, reply.subject, received, where.reason)
            return where.reason, {}
        person = where.invitee.email
        event = self.config.event(where.event)
        assert event is not None
        if reply.kind is Kind.WRITTEN and lines_of(reply.text):
            # "Takeaway:" lines are about a meeting that took place: this one if it started,
            # else the latest that ended (a new message is routed to the next open event).
            held_at = (
                event if received >= event.starts else takeaways.latest_ended(self.config, received)
            )
            if held_at is not None:
                kept = takeaways.from_email(
                    self.config, self.store, held_at, person, reply, self.now
                )
                return f"{kept} new takeaway(s) from {person} for {held_at.id}", {
                    "event": held_at.id,
                    "person": person,
                }
        intent = reply.intent or Intent.UNCLEAR
        answer = Answer(
            where.event,
            person,
            intent,
            received,
            row["uid"],
            row["id"],
            reply.message_id,
            weak=reply.weak,
            consent=reply.consent,
            confirms=any(
                compose.kind_of(m) == "confirm_yes" and threads.get(m) == where.event
                for m in reply.references
            ),
        )
        topic = proposal(reply.subject, reply.text) if self.config.github else None
        if topic is not None:
            return self._propose(row, where.event, person, topic), {
                "event": where.event,
                "person": person,
            }
        learned = self._learn_github_login(where.invitee, reply)
        decision = decide(self.roster(where.event), event, answer, self.now)
        for attendance in decision.changed:
            self.save(where.event, attendance)
        for outgoing in decision.outgoing:
            self.queue(outgoing)
        if (
            not learned
            and reply.consent is None
            and (intent is Intent.UNCLEAR or (reply.weak and not decision.changed))
        ):
            asked = any(o.key.kind == "clarify" for o in decision.outgoing)
            excerpt = " ".join(reply.text.split())[:120]
            lead = "unclear reply, asked for yes or no" if asked else "a reply that changes nothing"
            self.store.add_notice(
                row["id"], reply.sender, reply.subject, received, f"{lead}: {excerpt!r}", "unclear"
            )
        if reply.removal_aside:
            reason = (
                f"{person} asks to be removed ({reply.removal_aside!r}) in a reply that answers "
                f"something else too: read as {intent}, nothing erased; if they meant it, run "
                f"mailer forget {person}"
            )
            self.store.add_notice(
                row["id"], reply.sender, reply.subject, received, reason, "unclear"
            )
        for objection in (o for o in decision.outgoing if o.key.kind == "objection"):
            # Also in the organizer's summary and status, beside the email sent at once.
            verb = "objects to" if objection.context["objected"] else "no longer objects to"
            reason = f"{person} {verb} the recording of {where.event}"
            self.store.add_notice(
                row["id"], reply.sender, reply.subject, received, reason, "objection"
            )
        return decision.note, {"event": where.event, "person": person}

    def _organizer_on_digest(
        self, reply: Reply, threads: dict[str, str], received: datetime
    ) -> str | None:
        """The organizer's answer to a digest draft: "Takeaway:" lines kept, APPROVE recorded.

        Only a reply to the draft counts, in the organizer's own words (quotes removed), and
        only after sender authentication let it through; None for any other mail of theirs.
        """
        drafts = [m for m in reply.references if compose.kind_of(m) == "digest_draft"]
        event_id = next((threads[m] for m in reversed(drafts) if m in threads), None)
        event = self.config.event(event_id) if event_id else None
        if event is None:
            return None
        kept = takeaways.keep_lines(
            self.store, event, reply, self.config.organizer_name, ORGANIZER, self.now
        )
        if is_approval(reply.text) and takeaways.approve(
            self.store, event.id, reply.sender, received
        ):
            return f"the organizer approved the digest of {event.id} ({kept} new takeaway(s))"
        return f"the organizer answered the digest draft of {event.id}: {kept} new takeaway(s)"

    def _invited(self, event_id: str, person: str) -> bool:
        """Whether this person was sent the event's invitation (its calendar UID is theirs)."""
        return bool(self.store.threads_for(event_id, person))

    def _propose(self, row: dict[str, Any], event_id: str, person: str, topic: Proposal) -> str:
        """Record a topic proposed by email; the GitHub step creates the issue and answers."""
        event = self.config.event(event_id)
        assert event is not None
        standing = {
            p: place.state
            for p, place in places(self.roster(event_id).values(), event.capacity).items()
        }
        if not may_propose(standing, person):
            return f"topic from {person}, who is not seated or invited: ignored"
        self.store.propose_topic(row["id"], event_id, person, topic.title, topic.body)
        return f"topic proposed by {person}: {topic.title!r}"

    def _learn_github_login(self, invitee: Invitee, reply: Reply) -> bool:
        """Keep a GitHub username the person gave us, when we need one for them."""
        if self.config.github is None or invitee.github:
            return False
        asked = any(
            compose.kind_of(m) in ("github_ask", "github_unknown") for m in reply.references
        )
        login = github_login(reply.text, answering_our_question=asked)
        if login is None:
            return False
        self.store.learn_login(invitee.email, login, self.now)
        log.info("learned GitHub login %s for %s", login, invitee.email)
        return True

    def _bounce(
        self, row: dict[str, Any], reply: Reply, received: datetime, open_events: list[str]
    ) -> str:
        failed = [a for a in reply.bounced if self.config.invitee_for(a) is not None]
        if not reply.permanent:
            reason = f"delivery delayed to {', '.join(reply.bounced) or 'an unknown address'} (the server keeps trying)"
            self.store.add_notice(
                row["id"], reply.sender, reply.subject, received, reason, "bounce"
            )
            return reason
        if not failed:
            reason = f"delivery failure for {', '.join(reply.bounced) or 'an address we cannot tell'}, not an invitee"
            self.store.add_notice(row["id"], reply.sender, reply.subject, received, reason)
            return reason
        for address in failed:
            invitee = self.config.invitee_for(address)
            assert invitee is not None
            for event_id in open_events:
                bounced = mark_bounced(self.roster(event_id), invitee.email)
                if bounced is not None:
                    self.save(event_id, bounced)
        reason = (
            f"delivery to {', '.join(failed)} failed permanently: check the address in config.toml"
        )
        self.store.add_notice(row["id"], reply.sender, reply.subject, received, reason, "bounce")
        return reason
