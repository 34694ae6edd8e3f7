"""The store's takeaway tables: meetings held, their takeaways (searchable), topics and digest.

A takeaway is stored once however often it is gathered (UNIQUE source, ref, text), so gathering
can run at every tick. The full-text index (SQLite FTS5, kept by a trigger) serves
`mailer archive search`, ranked by bm25.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from mailer.model import Takeaway
from mailer.store.tables import Tables, stamp, unstamp

_WORD = re.compile(r"\w+", re.UNICODE)


class TakeawayTables(Tables):
    """`Store` methods for `takeaways`, `meeting_topics` and `digests`."""

    def add_takeaway(self, takeaway: Takeaway, now: datetime) -> bool:
        """Keep one takeaway; False when it was gathered before (nothing changes)."""
        t = takeaway
        return bool(
            self.db.execute(
                """INSERT OR IGNORE INTO takeaways (event, text, author, person, source, ref, topic,
                   topic_number, topic_url, said_at, gathered_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    t.event,
                    t.text,
                    t.author,
                    t.person,
                    t.source,
                    t.ref,
                    t.topic,
                    t.topic_number,
                    t.topic_url,
                    stamp(t.said_at) if t.said_at else None,
                    stamp(now),
                ],
            ).rowcount
        )

    def replace_written(
        self, event: str, source: str, ref: str | None, said: Iterable[Takeaway], now: datetime
    ) -> None:
        """A text as it reads now (the notes file, ref None: all of it; a comment, by its URL):
        its lines not yet in a digest are replaced, so a corrected line does not stand beside
        its old spelling."""
        where = "event = ? AND source = ? AND digest_sent = 0"
        params: list[str] = [event, source]
        if ref is not None:
            where, params = f"{where} AND ref = ?", [*params, ref]
        self.db.execute(f"DELETE FROM takeaways WHERE {where}", params)
        for takeaway in said:
            self.add_takeaway(takeaway, now)

    def takeaways(self, event: str | None = None, undigested: bool = False) -> list[Takeaway]:
        """The takeaways of one meeting (or all), in the order they were said; with
        `undigested`, only those gathered after its digest went out."""
        where, params = ("WHERE event = ?", [event]) if event else ("WHERE 1", [])
        if undigested:
            where += " AND digest_sent = 0"
        rows = self._rows(
            f"SELECT * FROM takeaways {where} ORDER BY event, COALESCE(said_at, gathered_at), id",
            params,
        )
        return [_takeaway(row) for row in rows]

    def search_takeaways(self, words: str, limit: int = 20) -> list[Takeaway]:
        """The takeaways matching every word (prefixes too), best first (bm25)."""
        terms = _WORD.findall(words)
        if not terms:
            return []
        query = " ".join(f'"{term}"*' for term in terms)  # quoted: no FTS5 syntax from users
        rows = self._rows(
            """SELECT takeaways.* FROM takeaways_search JOIN takeaways
               ON takeaways.id = takeaways_search.rowid
               WHERE takeaways_search MATCH ? ORDER BY bm25(takeaways_search) LIMIT ?""",
            [query, limit],
        )
        return [_takeaway(row) for row in rows]

    def save_meeting(self, event: str, title: str, theme: str, starts: datetime, zone: str) -> None:
        """The meeting as it was held, kept for the archive after the config moves on."""
        self.db.execute(
            "INSERT OR REPLACE INTO meetings (event, title, theme, starts, timezone) VALUES (?, ?, ?, ?, ?)",
            [event, title, theme, stamp(starts), zone],
        )

    def meetings(self) -> list[dict[str, Any]]:
        """Every meeting held (event, title, theme, starts as a datetime, timezone), newest first."""
        rows = self._rows("SELECT * FROM meetings ORDER BY starts DESC")
        return [{**row, "starts": unstamp(row["starts"])} for row in rows]

    def archive_marker(self) -> str:
        """What the archive is made of (meetings, takeaways, votes), cheap to compare: it changes
        whenever the archive's text could."""
        made_of = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM meetings), (SELECT MAX(id) FROM takeaways), "
            "(SELECT COUNT(*) FROM takeaways), (SELECT SUM(votes) FROM meeting_topics)"
        ).fetchone()
        return "/".join(str(value) for value in made_of)

    def newest_takeaway(self, event: str) -> int:
        """The id of the newest takeaway of the event (0: none): names an addendum's emails."""
        row = self.db.execute("SELECT MAX(id) FROM takeaways WHERE event = ?", [event]).fetchone()
        return int(row[0] or 0)

    def mark_digested(self, event: str) -> None:
        """Every takeaway of the event gathered so far went out in its digest."""
        self.db.execute("UPDATE takeaways SET digest_sent = 1 WHERE event = ?", [event])

    def save_meeting_topics(self, event: str, topics: Iterable[dict[str, Any]]) -> None:
        """The discussed topics as last read from the board (number, title, url, votes, ...)."""
        for topic in topics:
            self.db.execute(
                """INSERT OR REPLACE INTO meeting_topics
                   (event, number, title, url, votes, sponsors, author) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    event,
                    topic["number"],
                    topic["title"],
                    topic["url"],
                    topic["votes"],
                    topic["sponsors"],
                    topic["author"],
                ],
            )

    def meeting_topics(self, event: str) -> list[dict[str, Any]]:
        """The discussed topics of a meeting, most votes first."""
        return self._rows(
            "SELECT * FROM meeting_topics WHERE event = ? ORDER BY votes DESC, number", [event]
        )

    def digest(self, event: str) -> dict[str, Any] | None:
        """The digest's progress: state drafted | approved | sent, with the times; None before."""
        rows = self._rows("SELECT * FROM digests WHERE event = ?", [event])
        if not rows:
            return None
        times = ("drafted_at", "approved_at", "sent_at")
        return {k: unstamp(v) if k in times else v for k, v in rows[0].items()}

    def set_digest(self, event: str, state: str, now: datetime, by: str | None = None) -> None:
        column = {"drafted": "drafted_at", "approved": "approved_at", "sent": "sent_at"}[state]
        self.db.execute(
            "INSERT INTO digests (event, state) VALUES (?, ?) ON CONFLICT (event) DO UPDATE SET state = ?",
            [event, state, state],
        )
        self.db.execute(f"UPDATE digests SET {column} = ? WHERE event = ?", [stamp(now), event])
        if by is not None:
            self.db.execute("UPDATE digests SET approved_by = ? WHERE event = ?", [by, event])


def _takeaway(row: dict[str, Any]) -> Takeaway:
    return Takeaway(
        event=row["event"],
        text=row["text"],
        author=row["author"],
        person=row["person"],
        source=row["source"],
        ref=row["ref"],
        topic=row["topic"],
        topic_number=row["topic_number"],
        topic_url=row["topic_url"],
        said_at=unstamp(row["said_at"]),
    )
