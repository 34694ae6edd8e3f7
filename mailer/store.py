"""The SQLite file: inbound mail, the roster, the outbox, the IMAP cursor and notices.

Thin on purpose: rows in, model dataclasses out, and `atomic()` so that a decision and the outbox
rows it calls for commit together, before SMTP sees anything. Times are stored as UTC text in one
fixed format, so that text order is time order.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .access import Access
from .errors import ConfigError
from .lifecycle import Snapshot
from .model import ANSWER_KINDS, Attendance, Cursor, InboundMail, OutboxKey
from .schema import migrations


def stamp(moment: datetime) -> str:
    """A datetime as stored: UTC, fixed width, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def unstamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    """The product's database, opened (and migrated) at `path`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise ConfigError(
                "[database] path",
                f"points into {self.path.parent}, which does not exist",
                "create that folder, or set path to a file in an existing one",
            )
        try:
            self.db = Database(self.path)
            self.db.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                "[database] path",
                f"{self.path} cannot be opened as a database ({exc})",
                "check the path and its permissions",
            ) from exc
        self.db.execute("PRAGMA journal_mode = WAL")
        # WAL with synchronous=NORMAL survives a crash of this process; a power cut may
        # lose the last commits, which the next tick re-derives from the server.
        self.db.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Everything inside commits together or not at all (nested blocks are savepoints)."""
        with self.db.atomic():
            yield

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Run a block whose every change is thrown away at the end (for --dry-run)."""
        self.db.begin()
        try:
            yield
        finally:
            self.db.rollback()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- the IMAP cursor and inbound mail -------------------------------------------------

    def cursor(self) -> Cursor | None:
        rows = dict(
            self.db.execute("SELECT key, value FROM meta WHERE key LIKE 'cursor.%'").fetchall()
        )
        if "cursor.uidvalidity" not in rows:
            return None
        return Cursor(int(rows["cursor.uidvalidity"]), int(rows["cursor.last_uid"]))

    def save_inbound(
        self, mails: Iterable[InboundMail], cursor: Cursor, message_ids: Sequence[str | None]
    ) -> int:
        """Store fetched mail and the advanced cursor in one commit; returns how many were new.

        After a UIDVALIDITY change the same messages come again under new UIDs, and a message
        can be copied back into the folder: one whose Message-ID we already hold (or, without
        one, whose bytes we already hold) is stored as a duplicate, never decided twice.
        """
        added = 0
        with self.atomic():
            for mail, given_id in zip(mails, message_ids, strict=True):
                message_id = given_id or f"<sha256:{hashlib.sha256(mail.raw).hexdigest()}>"
                seen = self.db.execute(
                    "SELECT 1 FROM inbound WHERE message_id = ? AND NOT (uidvalidity = ? AND uid = ?) LIMIT 1",
                    [message_id, mail.uidvalidity, mail.uid],
                ).fetchone()
                inserted = self.db.execute(
                    """INSERT OR IGNORE INTO inbound (uidvalidity, uid, internaldate, message_id, raw, status)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    [
                        mail.uidvalidity,
                        mail.uid,
                        stamp(mail.internaldate),
                        message_id,
                        mail.raw,
                        "duplicate" if seen else "new",
                    ],
                ).rowcount
                added += inserted if not seen else 0
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('cursor.uidvalidity', ?), ('cursor.last_uid', ?)",
                [str(cursor.uidvalidity), str(cursor.last_uid)],
            )
        return added

    def pending_inbound(self) -> list[dict[str, Any]]:
        """Mail not decided yet, in the order it reached the server."""
        return self._rows("SELECT * FROM inbound WHERE status = 'new' ORDER BY internaldate, uid")

    def finish_inbound(self, inbound_id: int, status: str, **fields: Any) -> None:
        columns = ", ".join(f"{name} = ?" for name in fields)
        sql = f"UPDATE inbound SET status = ?{', ' if fields else ''}{columns} WHERE id = ?"
        self.db.execute(sql, [status, *fields.values(), inbound_id])

    def unmarked(self, uidvalidity: int) -> list[int]:
        """UIDs decided but not yet flagged or moved on the server."""
        rows = self.db.execute(
            "SELECT uid FROM inbound WHERE status != 'new' AND marked = 0 AND uidvalidity = ? ORDER BY uid",
            [uidvalidity],
        ).fetchall()
        return [row[0] for row in rows]

    def set_marked(self, uidvalidity: int, uids: Sequence[int]) -> None:
        with self.atomic():
            self.db.conn.executemany(
                "UPDATE inbound SET marked = 1 WHERE uidvalidity = ? AND uid = ?",
                [(uidvalidity, uid) for uid in uids],
            )

    # -- the roster ------------------------------------------------------------------------

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
            )
            for row in self._rows("SELECT * FROM attendance WHERE event = ?", [event])
        }

    def save_attendance(self, event: str, attendance: Attendance) -> None:
        self.db.execute(
            """INSERT OR REPLACE INTO attendance
               (event, person, invited_at, answer, yes_since, yes_uid, had_yes, bounced, responded_at,
                objected_at, confirmed, offered_at, yes_source)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
            ],
        )

    # -- the outbox ------------------------------------------------------------------------

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

    def recorded_keys(self, event: str) -> frozenset[str]:
        """Every outbox key recorded for the event: sent, waiting, failed or withdrawn."""
        return frozenset(
            row[0] for row in self.db.execute("SELECT key FROM outbox WHERE event = ?", [event])
        )

    def calendar_count(self, event: str, person: str) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) FROM outbox WHERE event = ? AND person = ? AND calendar = 1",
            [event, person],
        ).fetchone()
        return int(row[0])

    def queue(
        self,
        key: OutboxKey,
        message_id: str,
        recipient: str,
        subject: str,
        raw: bytes,
        now: datetime,
        calendar: bool = False,
    ) -> bool:
        """Record an email under its key; False if that key was recorded before (nothing changes)."""
        return bool(
            self.db.execute(
                """INSERT OR IGNORE INTO outbox
                   (key, event, person, kind, sequence, message_id, recipient, subject, raw, created_at, next_attempt_at, calendar)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    str(key),
                    key.event,
                    key.person,
                    key.kind,
                    key.sequence,
                    message_id,
                    recipient,
                    subject,
                    raw,
                    stamp(now),
                    stamp(now),
                    int(calendar),
                ],
            ).rowcount
        )

    def threads(self, message_ids: Sequence[str]) -> dict[str, str]:
        """Which event each of our Message-IDs belongs to."""
        if not message_ids:
            return {}
        marks = ", ".join("?" * len(message_ids))
        rows = self.db.execute(
            f"SELECT message_id, event FROM outbox WHERE message_id IN ({marks})", list(message_ids)
        )
        return dict(rows.fetchall())

    def threads_for(self, event: str, person: str) -> list[str]:
        """The Message-ID of the invitation a person got, so our answers stay in its thread."""
        rows = self.db.execute(
            "SELECT message_id FROM outbox WHERE event = ? AND person = ? AND kind = 'invitation'",
            [event, person],
        ).fetchall()
        return [row[0] for row in rows]

    def answers_in_last_day(self, person: str, now: datetime) -> int:
        kinds = sorted(ANSWER_KINDS)
        marks = ", ".join("?" * len(kinds))
        row = self.db.execute(
            f"SELECT COUNT(*) FROM outbox WHERE person = ? AND created_at > ? AND kind IN ({marks})",
            [person, stamp(now - timedelta(days=1)), *kinds],
        ).fetchone()
        return int(row[0])

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """Outgoing mail to send at `now`, oldest first."""
        return self._rows(
            """SELECT key, event, person, kind, recipient, raw, attempts FROM outbox
               WHERE status IN ('queued', 'retry') AND next_attempt_at <= ? ORDER BY created_at, rowid""",
            [stamp(now)],
        )

    def record_sent(
        self,
        key: str,
        status: str,
        now: datetime,
        next_attempt: datetime | None,
        code: int | None = None,
        detail: str = "",
    ) -> None:
        self.db.execute(
            """UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt_at = COALESCE(?, next_attempt_at),
               sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, code = ?, detail = ? WHERE key = ?""",
            [
                status,
                stamp(next_attempt) if next_attempt else None,
                status,
                stamp(now),
                code,
                detail,
                key,
            ],
        )

    def outbox(self, event: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE event = ?", [event]) if event else ("", [])
        return self._rows(
            f"SELECT key, event, person, kind, recipient, subject, created_at, status, attempts, code, detail "
            f"FROM outbox {where} ORDER BY created_at, rowid",
            params,
        )

    def raw_outbox(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT key, kind, recipient, status, raw FROM outbox ORDER BY created_at, rowid"
        )

    # -- GitHub access -----------------------------------------------------------------------

    def access(self) -> dict[str, Access]:
        return {
            row["login"]: Access(
                row["login"],
                row["person"],
                row["state"],
                row["invitation_id"],
                row["renewals"],
                row["detail"],
            )
            for row in self._rows("SELECT * FROM github_access")
        }

    def save_access(self, access: Access, now: datetime) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO github_access VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                access.login,
                access.person,
                access.state,
                access.invitation_id,
                access.renewals,
                stamp(now),
                access.detail,
            ],
        )

    def learned_logins(self) -> dict[str, str]:
        """GitHub logins people gave us by email, by person."""
        return dict(self.db.execute("SELECT person, login FROM github_logins").fetchall())

    def learn_login(self, person: str, login: str, now: datetime) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO github_logins VALUES (?, ?, ?)", [person, login, stamp(now)]
        )

    def propose_topic(
        self, inbound_id: int, event: str, person: str, title: str, body: str
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO topics (inbound_id, event, person, title, body) VALUES (?, ?, ?, ?, ?)",
            [inbound_id, event, person, title, body],
        )

    def pending_topics(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM topics WHERE state = 'pending' ORDER BY inbound_id")

    def finish_topic(
        self, inbound_id: int, state: str, number: int | None, url: str, detail: str = ""
    ) -> None:
        self.db.execute(
            "UPDATE topics SET state = ?, number = ?, url = ?, detail = ? WHERE inbound_id = ?",
            [state, number, url, detail, inbound_id],
        )

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # -- notices for the organizer -----------------------------------------------------------

    def add_notice(
        self,
        inbound_id: int | None,
        sender: str,
        subject: str,
        received_at: datetime,
        reason: str,
        kind: str = "unmatched",
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO notices (inbound_id, sender, subject, received_at, reason, kind) VALUES (?, ?, ?, ?, ?, ?)",
            [inbound_id, sender, subject, stamp(received_at), reason, kind],
        )

    def notices_to_summarise(self) -> list[dict[str, Any]]:
        """Notices newer than the last organizer summary (whose key carries the newest it covered)."""
        row = self.db.execute(
            "SELECT COALESCE(MAX(sequence), 0) FROM outbox WHERE kind = 'summary'"
        ).fetchone()
        return self._rows(
            "SELECT id, kind, sender, subject, reason FROM notices WHERE id > ? ORDER BY id",
            [row[0]],
        )

    def notices(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT kind, sender, subject, received_at, reason FROM notices ORDER BY received_at, id"
        )
