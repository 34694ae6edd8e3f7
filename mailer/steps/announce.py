"""`mailer announce`: a one-off note from the organizer to a group of one meeting's people.

Recorded in the outbox like every email, under (event, person, "announce", a number drawn from
the note's text), so running the command again with the same file sends nothing twice; a changed
note is a new one. A note that carries the meeting link goes only to the seated: the link never
reaches anyone without a seat.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from mailer.composing import compose
from mailer.config import Config, Event
from mailer.decisions.seats import places
from mailer.errors import ConfigError
from mailer.model import OutboxKey, Outgoing
from mailer.steps.messages import Handler
from mailer.store import Store

GROUPS = ("seated", "waiting", "invited")


def read_note(text: str) -> tuple[str, list[str]]:
    """A note's subject (its first line, "# " optional) and its paragraphs."""
    lines = text.replace("\r\n", "\n").strip().split("\n")
    subject = lines[0].lstrip("#").strip() if lines and lines[0].strip() else ""
    paragraphs = [" ".join(p.split()) for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    return subject, paragraphs


def group_of(store: Store, event: Event, group: str) -> list[str]:
    """The people of one group: the seated, those waiting, or everyone invited (bounced aside)."""
    roster = store.roster(event.id)
    where = places(roster.values(), event.capacity)
    if group == "seated":
        return sorted(p for p, place in where.items() if place.state == "seated")
    if group == "waiting":
        return sorted(p for p, place in where.items() if place.state == "waitlisted")
    return sorted(p for p, row in roster.items() if not row.bounced)


def announce(
    config: Config, store: Store, event: Event, group: str, text: str, now: datetime
) -> list[str]:
    """Record the note for each person of `group`; the people it was newly recorded for."""
    subject, paragraphs = read_note(text)
    if not subject or not paragraphs:
        raise ConfigError(
            "--file", "needs a subject line and a body", "start it with '# Subject', then the text"
        )
    link = config.zoom.join_url if config.zoom else ""
    if link and link in text and group != "seated":
        raise ConfigError(
            "--file",
            f"carries the meeting link, and --to {group} includes people without a seat",
            "send it --to seated, or take the link out",
        )
    sequence = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
    queued: list[tuple[str, str, str]] = []
    handler = Handler(
        config, store, compose.environment(compose.templates_dir(config)), now, queued
    )
    context = {"note_subject": subject, "paragraphs": paragraphs}
    with store.atomic():
        for person in group_of(store, event, group):
            handler.queue(Outgoing(OutboxKey(event.id, person, "announce", sequence), context))
    return [recipient for _, recipient, _ in queued]
