"""The topic board by email; pure: what a "Topic:" email proposes, and who is due the agenda.

Topics are GitHub issues; a participant proposes one by email with a subject that starts with
"Topic:" (a reply or a new message), and the seated get the agenda, most votes first, a little
before the meeting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from mailer.config import Event
from mailer.config.meeting import GitHub
from mailer.decisions.seats import seated
from mailer.model import Attendance, OutboxKey

_TOPIC = re.compile(r"^\s*(?:(?:re|aw|fwd?)\s*:\s*)*topic\s*:\s*(?P<title>.+?)\s*$", re.I)


@dataclass(frozen=True)
class Proposal:
    title: str
    body: str


def proposal(subject: str, text: str) -> Proposal | None:
    """The topic a message proposes, if its subject starts with "Topic:"."""
    found = _TOPIC.match(subject or "")
    if found is None or not found.group("title"):
        return None
    return Proposal(found.group("title")[:200], text.strip())


def issue_body(text: str, proposer: str, secrets: tuple[str, ...]) -> str:
    """The issue's text: the proposal, its proposer by name (never an email address), and none of
    the meeting's secrets, should the proposal quote one of our emails."""
    for secret in secrets:
        text = text.replace(secret, "[removed]")
    return f"{text}\n\n---\nProposed by email by {proposer}."


def may_propose(roster_places: Mapping[str, str], person: str) -> bool:
    """Only people who hold a seat or were invited (and have not declined) may add topics."""
    return roster_places.get(person) in (
        "seated",
        "offered",
        "waitlisted",
        "invited",
        "unconfirmed",
        "undecided",
    )


def agenda_due(
    event: Event,
    roster: Mapping[str, Attendance],
    sent: frozenset[str],
    github: GitHub,
    now: datetime,
) -> list[str]:
    """The seated who are due the agenda at `now` and have not had it."""
    if event.cancelled or not event.starts - github.agenda_before <= now < event.starts:
        return []
    holders = seated(roster.values(), event.capacity)
    return [p for p in holders if str(OutboxKey(event.id, p, "agenda", 0)) not in sent]
