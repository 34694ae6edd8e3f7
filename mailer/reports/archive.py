"""The archive's shell: read the meetings and takeaways from the store, search them, and write
the static site (mailer/archive/ makes its files, purely) to a folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mailer.archive.meetings import arrange, credit
from mailer.archive.site import render_site
from mailer.composing.compose import environment, templates_dir
from mailer.steps.archive_publish import archive_meetings
from mailer.store import Store

meetings = archive_meetings  # every meeting held, newest first, with its topics and takeaways


def build(store: Store, out: Path, templates: Path | None = None) -> list[Path]:
    """Write the site and TAKEAWAYS.md under `out`; the files whose text changed, in order."""
    files = render_site(meetings(store), environment(templates or templates_dir()))
    written = []
    for name, text in sorted(files.items()):
        path = out / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue  # unchanged: its time stamp stays, so a sync or a commit sees nothing new
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def search(store: Store, words: str, limit: int = 20) -> list[dict[str, Any]]:
    """The takeaways matching every word, best first, each with its meeting's date and theme."""
    held = {row["event"]: arrange(row, [], []) for row in store.meetings()}  # dates and themes
    found = []
    for t in store.search_takeaways(words, limit):
        meeting = held.get(t.event)
        found.append(
            {
                "event": t.event,
                "date": meeting.starts.date().isoformat() if meeting else None,
                "theme": meeting.theme if meeting else t.event,
                "topic": t.topic,
                "topic_number": t.topic_number,
                "topic_url": t.topic_url,
                "author": credit(t.author),
                "text": t.text,
                "link": t.ref if t.ref.startswith(("https://", "http://")) else "",
            }
        )
    return found


def as_text(hit: dict[str, Any]) -> str:
    """One search result as a block of lines: meeting, topic, who said it, what."""
    meeting = f"{hit['date']}  {hit['theme']}" if hit["date"] else hit["theme"]
    number = f"#{hit['topic_number']} " if hit["topic_number"] is not None else ""
    topic = f"{number}{hit['topic']}" if hit["topic"] else "the meeting as a whole"
    lines = [meeting, f"  topic: {topic}", f"  {hit['author']}: {hit['text']}"]
    if hit["link"]:
        lines.append(f"  {hit['link']}")
    return "\n".join(lines)
