"""A meeting as the archive shows it: its date in its own zone, its topics most votes first,
each with the takeaways said under it, credited by name; built from the store's rows, pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailer.model import Takeaway

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
WHOLE_MEETING = "The meeting as a whole"
SOMEONE = "an attendee"  # shown instead of an author that is an address, never the address


@dataclass(frozen=True)
class Said:
    """One takeaway as printed: the words, who said them, and a link to where (or "")."""

    text: str
    author: str
    link: str


@dataclass
class Topic:
    """A discussed topic and its takeaways; `number` is None for one known only by its title."""

    title: str
    url: str = ""
    votes: int | None = None
    sponsors: tuple[str, ...] = ()
    number: int | None = None
    said: list[Said] = field(default_factory=list)


@dataclass(frozen=True)
class Meeting:
    """One meeting held, ready to print."""

    event: str
    title: str
    theme: str
    starts: datetime  # in the meeting's own zone
    topics: tuple[Topic, ...]
    updated: datetime  # the start, or the latest takeaway said after it (the feed's <updated>)

    @property
    def slug(self) -> str:
        return slug(self.event)

    @property
    def theme_slug(self) -> str:
        return slug(self.theme)

    @property
    def date(self) -> str:
        return f"{self.starts:%A} {self.starts.day} {self.starts:%B %Y}"

    @property
    def count(self) -> int:
        return sum(len(topic.said) for topic in self.topics)

    @property
    def discussed(self) -> tuple[Topic, ...]:
        """The topics with a title of their own (not the meeting-as-a-whole section)."""
        return tuple(t for t in self.topics if t.title != WHOLE_MEETING)


def slug(text: str) -> str:
    """A file name from an event id or a theme: lowercase words joined by dashes."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-") or "untitled"


def site_name(title: str, theme: str) -> str:
    """The series' name: a title like "Roundtable: Velocity" without its theme."""
    if theme and title.endswith(theme) and title != theme:
        return title[: -len(theme)].rstrip(" :-–—") or title
    return title


def credit(author: str) -> str:
    """The name to print: an author that is an address (a gathering slip) is never printed."""
    name = author.strip()
    return SOMEONE if not name or "@" in name else name


def arrange(
    row: dict[str, Any], topics: Iterable[dict[str, Any]], takeaways: Iterable[Takeaway]
) -> Meeting:
    """The meeting from its stored row, its discussed topics (most votes first) and takeaways.

    A takeaway joins its topic by number, else by title; one naming a topic the board did not
    list gets a section of its own after the board's; one with no topic goes last.
    """
    sections = [
        Topic(
            title=t["title"],
            url=t["url"],
            votes=t["votes"],
            sponsors=tuple(s.strip() for s in t["sponsors"].split(",") if s.strip()),
            number=t["number"],
        )
        for t in topics
    ]
    by_number = {t.number: t for t in sections}
    by_title = {t.title.casefold(): t for t in sections}
    whole = Topic(WHOLE_MEETING)
    said_at = [row["starts"]]
    for takeaway in takeaways:
        section = by_number.get(takeaway.topic_number) or by_title.get(takeaway.topic.casefold())
        if section is None and takeaway.topic:
            section = Topic(takeaway.topic, url=takeaway.topic_url, number=takeaway.topic_number)
            sections.append(section)
            by_title[takeaway.topic.casefold()] = section
        link = takeaway.ref if takeaway.ref.startswith(("https://", "http://")) else ""
        (section or whole).said.append(Said(takeaway.text.strip(), credit(takeaway.author), link))
        if takeaway.said_at is not None:
            said_at.append(takeaway.said_at)
    if whole.said:
        sections.append(whole)
    return Meeting(
        event=row["event"],
        title=row["title"],
        theme=row["theme"] or row["title"],
        starts=row["starts"].astimezone(_zone(row["timezone"])),
        topics=tuple(sections),
        updated=max(said_at),
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
