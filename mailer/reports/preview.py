"""`mailer preview`: any email the mailer sends, rendered with sample values, without sending it.

Reading only: the templates in use (templates/participant/, templates/organizer/) and the config's
event and invitee; nothing is stored. The sample values stand in for what a decision would put in
the email (a seat number, the changes, a topic), one superset that every template may draw from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import UndefinedError

from mailer.composing import compose
from mailer.config import Config, Event, Invitee
from mailer.decisions import lifecycle
from mailer.decisions.organizer import Glance
from mailer.decisions.welcome import welcome
from mailer.errors import MailerError
from mailer.model import ORGANIZER, SEAT_KINDS, Attendance, OutboxKey, Outgoing

_TOPIC = {"title": "Deploying on Fridays", "url": "https://github.com/o/r/issues/1", "votes": 5}


@dataclass(frozen=True)
class Rendered:
    """One previewed email: who it would go to, its subject, its two bodies."""

    to: str
    subject: str
    text: str
    html: str


def kinds(config: Config) -> list[str]:
    """Every email there is: participant kinds by name, organizer ones as organizer/<kind>."""
    folders = {compose.templates_dir(config), compose.templates_dir()}  # yours, then shipped
    found = []
    for audience in ("participant", "organizer"):
        names = {p.name for folder in folders for p in (folder / audience).glob("*.txt.j2")}
        for file_name in sorted(names):
            name = file_name.removesuffix(".txt.j2")
            if name.startswith("_") or name == "calendar_description":
                continue
            found.append(name if audience == "participant" else f"organizer/{name}")
    return found


def sample(config: Config, event: Event) -> dict[str, Any]:
    """Values for every template's blanks, as a decision would fill them."""
    digest = {
        "topics": [{**_TOPIC, "sponsors": "ada-l", "takeaways": [{"text": "Flags", "by": "Ada"}]}],
        "general": [{"text": "Hire for curiosity", "by": "Grace"}],
        "count": 2,
        "next": None,
    }
    glance = Glance(event.id, event.title, event.capacity - 1, event.capacity, 2)
    return {
        "seat": 3,
        "capacity": event.capacity,
        "place": 2,
        "state": "seated",
        "position": 3,
        "hours": 12,
        "expires": f"{event.starts:%a %b %d, %H:%M} {event.timezone}",
        "zoom": config.zoom,
        "purpose": config.recording.purpose,
        "kept_for": config.recording.kept_for,
        "shared_with": config.recording.shared_with,
        "recording": config.recording.enabled,
        "soon": "tomorrow",
        "note_subject": "A note from the organizer",
        "paragraphs": ["We start five minutes later this time.", "See you there."],
        "stage": "day",
        "changes": ["time: 17:00 → 18:00"],
        "seated": True,
        "note": "Our host fell ill.",
        "login": "ada-l",
        "repo": config.github.repo if config.github else "owner/board",
        "topics": [{**_TOPIC, "sponsors": "ada-l"}],
        **_TOPIC,
        "number": 1,
        "digest": digest,
        "objectors": ["b@example.org"],
        "who": "b@example.org",
        "objected": True,
        "items": [{"kind": "unmatched", "from": "c@example.org", "reason": "not an invitee"}],
        "glances": [glance],
        "headline": glance,
        "sent_folder": config.imap.sent_folder or "Sent",
        "to": [],
        "recipients": event.capacity,
        "digest_to": config.takeaways.digest_to,
        "notes_file": str(config.takeaways.notes_dir / f"{event.id}.md"),
        "auto_send": "",
    }


def render(config: Config, kind: str, event: Event, invitee: Invitee, now: datetime) -> Rendered:
    """`kind` (one of `kinds`) as `invitee` would get it for `event`; a KeyError for no such kind,
    a MailerError naming the blank when a template wants a value the samples lack."""
    if kind not in kinds(config):
        raise KeyError(kind)
    organizer = kind.startswith("organizer/")
    name = kind.split("/")[-1]
    to = Invitee(config.organizer_name, config.notify_address) if organizer else invitee
    template = kind if organizer else f"participant/{name}"
    key = OutboxKey(event.id, ORGANIZER if organizer else to.email, name, 0)
    outgoing = Outgoing(key, sample(config, event), template=template)
    if name in SEAT_KINDS:  # with the sections a seat email carries at `now`, as a tick would
        row = Attendance(to.email, now, answer="yes", confirmed=True, yes_source=1)
        settings = lifecycle.Settings(config.zoom, config.recording, config.reminders)
        login = to.github or None
        outgoing = welcome(
            outgoing, event, row, frozenset(), settings, config.github, login, now
        ).outgoing
    env = compose.environment(compose.templates_dir(config))
    try:
        composed = compose.render(outgoing, config, event, to, env, now)
    except UndefinedError as exc:  # a template of your own, or a new one, with a new blank
        raise MailerError(
            f"{kind} cannot be previewed: {exc.message}. Fix: run a tick instead"
        ) from exc
    text = composed.message.get_body(("plain",))
    html = composed.message.get_body(("html",))
    return Rendered(
        to.email,
        composed.subject,
        str(text.get_content()) if text is not None else "",
        str(html.get_content()) if html is not None else "",
    )
