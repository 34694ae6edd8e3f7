"""Recording an outgoing email: rendered once, stored under its key before SMTP sees it.

The one door every email of a tick goes through. It keeps silent towards whoever asked to be
forgotten, folds the organizer's small news into the next summary, holds back answers past the
daily cap, and lets a seat email or a reminder carry what is due with it (decisions/welcome.py),
recording what it carried so that nothing is sent twice or alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from jinja2 import Environment

from mailer.composing import compose
from mailer.config import Config, Invitee
from mailer.decisions import access, lifecycle, organizer
from mailer.decisions.pacing import within_daily_cap
from mailer.decisions.welcome import Welcome, welcome, with_agenda
from mailer.model import SEAT_KINDS, Attendance, Outgoing
from mailer.store import Store

log = logging.getLogger("mailer.decide")
QUEUED = "queued %s %s"  # key, Message-ID; an event of the worker's log (daemon/logs.py)


class Outbox:
    """Renders and records the tick's emails; `roster` gives an event's rows as they stand."""

    def __init__(
        self,
        config: Config,
        store: Store,
        env: Environment,
        now: datetime,
        queued: list[tuple[str, str, str]],
        roster: Callable[[str], dict[str, Attendance]],
    ):
        self.config = config
        self.store = store
        self.env = env
        self.now = now
        self.queued = queued
        self.roster = roster
        # Each event's topics, read from GitHub this tick when its agenda is due (github_board).
        self.agendas: dict[str, tuple[list[dict[str, object]], str]] = {}

    def queue(self, outgoing: Outgoing) -> None:
        """Render and record one email, unless its key exists or the daily cap holds it back."""
        key = outgoing.key
        event = self.config.event(key.event) if key.event else None  # "": about no one event
        invitee = self.config.invitee_for(key.person)
        if outgoing.template_name.startswith("organizer/"):
            invitee = Invitee(self.config.organizer_name, self.config.notify_address)
        if self.store.forgotten_tag(key.person):  # asked to be forgotten: silence
            log.info("not queued %s: the person asked to be forgotten", key)
            return
        if (key.event and event is None) or invitee is None:
            log.warning("no email for %s: the event or the person left config.toml", key)
            return
        if key.kind in organizer.FOLDED:  # a line of the next summary, not an email
            reason = organizer.folded_reason(outgoing, event.title if event else "")
            self.store.fold(key, compose.message_id(key, self.config.domain), self.now, reason)
            return
        if not within_daily_cap(
            outgoing,
            self.store.answers_in_last_day(key.person, self.now),
            self.config.answers_per_sender_per_day,
        ):
            log.warning(
                "not answering %s: %s reached the daily cap of automatic answers", key, key.person
            )
            self.store.add_notice(
                None, key.person, key.kind, self.now, f"daily cap reached: {key} not sent", "cap"
            )
            return
        carried = self._welcome(outgoing)
        outgoing = carried.outgoing
        references = tuple(self.store.threads_for(key.event, key.person))
        sequence = self.store.calendar_count(key.event, key.person)
        composed = compose.render(
            outgoing, self.config, event, invitee, self.env, self.now, references, sequence
        )
        calendar = key.kind in compose.CALENDAR_KINDS
        if self.store.queue(
            key,
            composed.message_id,
            composed.recipient,
            composed.subject,
            composed.raw,
            self.now,
            calendar,
        ):
            self.queued.append((str(key), composed.recipient, composed.subject))
            log.info(QUEUED, key, composed.message_id)
            for done in carried.carried:  # in the seat email: never sent alone
                self.store.fold(done, compose.message_id(done, self.config.domain), self.now, "")

    def _welcome(self, outgoing: Outgoing) -> Welcome:
        """A seat email with the recording notice, the details and the GitHub step it carries; a
        reminder with the agenda due at the same time."""
        key = outgoing.key
        if key.event in self.agendas:
            board, repo = self.agendas[key.event]
            merged = with_agenda(outgoing, board, repo, self.store.recorded_keys(key.event))
            if merged.carried:
                return merged
        event = self.config.event(key.event) if key.kind in SEAT_KINDS else None
        row = self.roster(event.id).get(key.person) if event else None
        if event is None or row is None:
            return Welcome(outgoing)
        github = self.config.github
        login = (
            access.logins(self.config.invitees, self.store.learned_logins()).get(key.person)
            if github
            else None
        )
        settings = lifecycle.Settings(
            self.config.zoom, self.config.recording, self.config.reminders
        )
        sent = self.store.recorded_keys(event.id)
        return welcome(outgoing, event, row, sent, settings, github, login, self.now)
