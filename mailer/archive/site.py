"""The static site and TAKEAWAYS.md from the meetings, pure: {relative path: text}.

index.html (newest first), meetings/<event>.html, themes/<theme>.html, search.html with its
index as a script (search-index.js: a <script src> works from file://, where fetch() of JSON is
blocked) and search.js, feed.xml (Atom, RFC 4287) and TAKEAWAYS.md. HTML and XML are
autoescaped, so a takeaway is always text, never markup.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, select_autoescape

from mailer.archive.meetings import Meeting, site_name

# Stable ids for the feed and its entries, derived from the event ids (RFC 4122 name-based).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/roundtable-mailer/archive")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&])")
_SPACE = re.compile(r"\s+")
EMPTY_FEED = datetime(2026, 1, 1, tzinfo=UTC)  # a fixed <updated> while nothing was held


def render_site(meetings: Sequence[Meeting], env: Environment) -> dict[str, str]:
    """Every file of the archive, keyed by its path relative to the output folder."""
    env = env.overlay(autoescape=select_autoescape(enabled_extensions=("html.j2", "xml.j2")))
    meetings = sorted(meetings, key=lambda m: m.starts, reverse=True)
    themes: dict[str, list[Meeting]] = {}
    for meeting in meetings:
        themes.setdefault(meeting.theme_slug, []).append(meeting)
    common = {
        "site_title": site_name(meetings[0].title, meetings[0].theme) if meetings else "Roundtable",
        "meetings": meetings,
        "themes": themes,
    }

    def page(name: str, root: str = "", **context: Any) -> str:
        return env.get_template(f"archive/{name}").render({**common, "root": root, **context})

    files = {
        "index.html": page("index.html.j2"),
        "search.html": page("search.html.j2"),
        "search.js": _source(env, "archive/search.js"),
        "search-index.js": search_index(meetings),
        "feed.xml": page("feed.xml.j2", **_feed(meetings)),
        "TAKEAWAYS.md": page("takeaways.md.j2", md=markdown_text),
    }
    for meeting in meetings:
        files[f"meetings/{meeting.slug}.html"] = page("meeting.html.j2", "../", meeting=meeting)
    for key, shared in themes.items():
        files[f"themes/{key}.html"] = page(
            "theme.html.j2", "../", theme=shared[0].theme, shared=shared
        )
    return files


def search_index(meetings: Sequence[Meeting]) -> str:
    """The search page's data: one entry per takeaway, as a script that sets a global."""
    entries = [
        {
            "text": said.text,
            "author": said.author,
            "topic": topic.title,
            "theme": meeting.theme,
            "date": meeting.date,
            "page": f"meetings/{meeting.slug}.html",
        }
        for meeting in meetings
        for topic in meeting.topics
        for said in topic.said
    ]
    # ensure_ascii: the file is plain ASCII whatever charset the browser assumes for file://
    return f"window.ARCHIVE_INDEX = {json.dumps(entries, ensure_ascii=True, indent=0)};\n"


def markdown_text(text: str) -> str:
    """One line of Markdown that shows `text` as typed: no markup, no HTML, no line breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text).strip())


def _feed(meetings: Sequence[Meeting]) -> dict[str, Any]:
    updated = max((m.updated for m in meetings), default=EMPTY_FEED)
    return {
        "feed_id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed')}",
        "updated": _atom_time(updated),
        "entries": [
            {
                "meeting": m,
                "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, m.event)}",
                "updated": _atom_time(m.updated),
                "published": _atom_time(m.starts),
            }
            for m in meetings
        ],
    }


def _source(env: Environment, name: str) -> str:
    """A file kept as it is (plain JavaScript is no template)."""
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


def _atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
