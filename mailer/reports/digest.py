"""`mailer digest --preview`: a meeting's digest as its attendees would get it; changes nothing.

Renders the participant template for the first recipient (or, before anyone holds a seat, for a
stand-in), so what the organizer reads is exactly what goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mailer.composing import compose
from mailer.config import Config, Event, Invitee
from mailer.model import OutboxKey, Outgoing
from mailer.steps.takeaways import digest_context
from mailer.store import Store


@dataclass(frozen=True)
class Preview:
    """The digest as text and HTML, with who would get it and where it stands."""

    subject: str
    text: str
    html: str
    recipients: list[str]
    state: str  # "not drafted" | drafted | approved | sent


def preview(config: Config, store: Store, event: Event, now: datetime) -> Preview:
    """The digest of `event` as it stands in the store at `now`."""
    context = digest_context(config, store, event)
    to = list(context["to"])
    invitee = (config.invitee_for(to[0]) if to else None) or Invitee(
        "Attendee", "attendee@example.org"
    )
    composed = compose.render(
        Outgoing(OutboxKey(event.id, invitee.email, "digest", 0), context),
        config,
        event,
        invitee,
        compose.environment(compose.templates_dir(config)),
        now,
    )
    text = composed.message.get_body(("plain",))
    html = composed.message.get_body(("html",))
    digest = store.digest(event.id)
    return Preview(
        composed.subject,
        text.get_content() if text is not None else "",
        html.get_content() if html is not None else "",
        to,
        digest["state"] if digest else "not drafted",
    )
