"""A meeting's takeaways and its digest: what counts as a takeaway, who may give one, when the
digest is drafted and sent, to whom, and what it says; pure, no I/O.

Takeaways are gathered where the group already writes: lines beginning "Takeaway:" (or the items
under a "## Takeaways" heading) in a discussed topic's comments and in an attendee's email after
the start, and every item of the organizer's notes file (a "## <topic>" section each). Each is
credited to the person who wrote it, by name; only the seated at the start and the organizer may
give one. The digest is drafted to the organizer `digest_after` the end, and goes to the
recipients once approved (or, with `auto_send`, `digest_hold` after the draft).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mailer.config.events import Event
from mailer.config.takeaways import Takeaways
from mailer.model import Takeaway

_LABELLED = re.compile(r"^\s*(?:[-*•]\s*)?\**takeaway\**\s*[:：]\s*(?P<text>\S.*)$", re.I)
_SECTION = re.compile(r"^\s*(?P<level>#{1,6})\s*(?P<title>.+?)\s*#*\s*$")
_TAKEAWAYS_HEADING = re.compile(r"^\s*#{1,6}\s*(key\s+)?takeaways?\s*[:：]?\s*#*\s*$", re.I)
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(?P<text>\S.*)$")
# APPROVE alone on the first line (a "thanks" may follow); "Approved? Not yet" is no approval.
_APPROVE = re.compile(r"^\W*approved?\W*(?:thanks?|thank you|please)?[\s.!]*$", re.I)
MAX_LENGTH = 600  # a takeaway is a line or two; longer is a pasted document


def lines_of(text: str) -> list[str]:
    """The takeaways in a comment or an email: "Takeaway: ..." lines, and the items (or lines)
    under a "## Takeaways" heading until the next heading."""
    found: list[str] = []
    under_heading = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if _TAKEAWAYS_HEADING.match(line):
            under_heading = True
            continue
        if _SECTION.match(line):
            under_heading = False
            continue
        labelled = _LABELLED.match(line)
        item = _ITEM.match(line)
        if labelled:
            found.append(labelled.group("text"))
        elif under_heading and item:
            found.append(item.group("text"))
        elif under_heading and found and not line.strip():
            under_heading = False  # the list is over: a signature may follow
    # A line with an address in it is a signature or a contact, never a takeaway to publish.
    return [_clean(t) for t in found if _clean(t) and "@" not in t]


def notes_of(markdown: str) -> list[tuple[str, str]]:
    """(topic title, takeaway) for each item of the organizer's notes file; "" before a heading."""
    found: list[tuple[str, str]] = []
    topic = ""
    for line in markdown.replace("\r\n", "\n").split("\n"):
        section = _SECTION.match(line)
        if section:
            # "# Notes" titles the file; "## <topic>" opens a topic; "## Takeaways" the general ones.
            plain = len(section.group("level")) == 1 or _TAKEAWAYS_HEADING.match(line)
            topic = "" if plain else section.group("title")
            continue
        labelled, item = _LABELLED.match(line), _ITEM.match(line)
        text = labelled.group("text") if labelled else item.group("text") if item else ""
        if _clean(text):
            found.append((topic, _clean(text)))
    return found


def _clean(text: str) -> str:
    return " ".join(text.split())[:MAX_LENGTH]


def is_approval(own_words: str) -> bool:
    """Whether the organizer's own words (quotes removed) open with APPROVE."""
    first = next((line for line in own_words.splitlines() if line.strip()), "")
    return bool(_APPROVE.match(first))


@dataclass(frozen=True)
class Due:
    """What the digest of one event calls for now: "draft" to the organizer, or "send"."""

    step: str


def digest_due(
    event: Event, settings: Takeaways, digest: Mapping[str, Any] | None, now: datetime
) -> Due | None:
    """Whether the digest is to be drafted or sent at `now` (None: nothing yet, or done)."""
    if event.cancelled:
        return None
    if digest is None:
        return Due("draft") if now >= event.ends + settings.digest_after else None
    if digest["state"] == "approved":
        return Due("send")
    drafted = digest.get("drafted_at")
    if (
        digest["state"] == "drafted"
        and settings.auto_send
        and isinstance(drafted, datetime)
        and now >= drafted + settings.digest_hold
    ):
        return Due("send")
    return None


def recipients(
    digest_to: str, seated_at_start: Sequence[str], invited: Iterable[str], bounced: Iterable[str]
) -> list[str]:
    """Who gets the digest: the seated at the start, or every invitee (of those, not a bounced
    address; a seated person is sent it whatever a bounce, perhaps forged, said of them)."""
    if digest_to == "attendees":
        return list(seated_at_start)
    unreachable = set(bounced) - set(seated_at_start)
    return [person for person in sorted(invited) if person not in unreachable]


def content(
    event: Event,
    topics: Sequence[Mapping[str, Any]],
    takeaways: Sequence[Takeaway],
    next_event: Event | None,
) -> dict[str, Any]:
    """The digest's context: the topics discussed (most votes first) with their takeaways, the
    takeaways about the meeting as a whole, and the next meeting. Names only, no addresses."""
    by_topic: dict[int | str | None, list[dict[str, str]]] = {}
    titled: dict[str, int] = {str(t["title"]).lower(): int(t["number"]) for t in topics}
    for takeaway in takeaways:
        # A notes section names its topic by title; one not on the board is a topic of its own.
        key: int | str | None = takeaway.topic_number
        if key is None and takeaway.topic:
            key = titled.get(takeaway.topic.lower(), takeaway.topic)
        by_topic.setdefault(key, []).append({"text": takeaway.text, "by": takeaway.author})
    listed = [
        {
            "title": t["title"],
            "url": t["url"],
            "votes": t["votes"],
            "sponsors": t["sponsors"],
            "takeaways": by_topic.pop(int(t["number"]), []),
        }
        for t in sorted(topics, key=lambda t: (-int(t["votes"]), int(t["number"])))
    ]
    listed += [
        {"title": key, "url": "", "votes": None, "sponsors": "", "takeaways": items}
        for key, items in list(by_topic.items())
        if isinstance(key, str)
    ]
    general = by_topic.get(None, [])
    return {
        "topics": listed,
        "general": general,
        "count": sum(len(t["takeaways"]) for t in listed) + len(general),
        "next": (
            {"title": next_event.title, "theme": next_event.theme, "starts": next_event.starts}
            if next_event is not None
            else None
        ),
    }


def next_event(events: Sequence[Event], after: Event) -> Event | None:
    """The first meeting after `after` that is not cancelled, for the digest's last line."""
    later = [e for e in events if e.starts > after.starts and not e.cancelled]
    return min(later, key=lambda e: e.starts) if later else None
