"""The store's roster tables: who attends each event (`attendance`) and each event's snapshot.

The snapshot (`event_state`) is the event as it stood when last acted on, so that a change to the
meeting (time, title, capacity) can be noticed and told to the people on the roster.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mailer.model import Attendance, Snapshot
from mailer.store.tables import Tables, stamp, unstamp


class RosterTables(Tables):
    """`Store` methods for the `attendance` and `event_state` tables."""

    def roster(self, event: str) -> dict[str, Attendance]:
        return {
            row["person"]: Attendance(
                person=row["person"],
                invited_at=unstamp(row["invited_at"]) or datetime.min.replace(tzinfo=UTC),
                answer=row["answer"],
                yes_since=unstamp(row["yes_since"]),
                yes_uid=row["yes_uid"],
                yes_source=row["yes_source"],
                had_yes=bool(row["had_yes"]),
                bounced=bool(row["bounced"]),
                responded_at=unstamp(row["responded_at"]),
                objected_at=unstamp(row["objected_at"]),
                confirmed=bool(row["confirmed"]),
                offered_at=unstamp(row["offered_at"]),
                doubtful_since=unstamp(row["doubtful_since"]),
            )
            for row in self._rows("SELECT * FROM attendance WHERE event = ?", [event])
        }

    def save_attendance(self, event: str, attendance: Attendance) -> None:
        self.db.execute(
            """INSERT OR REPLACE INTO attendance
               (event, person, invited_at, answer, yes_since, yes_uid, had_yes, bounced, responded_at,
                objected_at, confirmed, offered_at, yes_source, doubtful_since)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                event,
                attendance.person,
                stamp(attendance.invited_at),
                attendance.answer,
                stamp(attendance.yes_since) if attendance.yes_since else None,
                attendance.yes_uid,
                int(attendance.had_yes),
                int(attendance.bounced),
                stamp(attendance.responded_at) if attendance.responded_at else None,
                stamp(attendance.objected_at) if attendance.objected_at else None,
                int(attendance.confirmed),
                stamp(attendance.offered_at) if attendance.offered_at else None,
                attendance.yes_source,
                stamp(attendance.doubtful_since) if attendance.doubtful_since else None,
            ],
        )

    # -- event snapshots -------------------------------------------------------------------

    def snapshot(self, event: str) -> Snapshot | None:
        rows = self._rows("SELECT * FROM event_state WHERE event = ?", [event])
        if not rows:
            return None
        row = rows[0]
        starts = unstamp(row["starts"])
        assert starts is not None
        return Snapshot(
            starts, row["duration_minutes"], row["title"], row["capacity"], row["revision"]
        )

    def save_snapshot(self, event: str, snapshot: Snapshot) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO event_state VALUES (?, ?, ?, ?, ?, ?)",
            [
                event,
                stamp(snapshot.starts),
                snapshot.duration_minutes,
                snapshot.title,
                snapshot.capacity,
                snapshot.revision,
            ],
        )
