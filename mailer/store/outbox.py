"""The store's outbox: every email we mean to send, under a key that makes queueing idempotent.

A row is queued inside the decision that calls for it and sent later; its status, attempts and the
server's last answer are recorded here, and its Message-ID ties replies back to their event.
Status: queued | retry -> sending (handed to SMTP, outcome unknown until the server answers)
-> sent | retry | failed; or withdrawn (no longer due); or folded (an organizer email told in
the next summary instead, kept so its key is not proposed again). A row left `sending` by a crash is
settled by the next tick (`in_doubt`, then `record_sent`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from mailer.model import ANSWER_KINDS, OutboxKey
from mailer.store.tables import Tables, stamp


class OutboxTables(Tables):
    """`Store` methods for the `outbox` table."""

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
        status: str = "queued",
    ) -> bool:
        """Record an email under its key; False if that key was recorded before (nothing changes)."""
        return bool(
            self.db.execute(
                """INSERT OR IGNORE INTO outbox
                   (key, event, person, kind, sequence, message_id, recipient, subject, raw, created_at, next_attempt_at, calendar, status)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                    status,
                ],
            ).rowcount
        )

    def fold(self, key: OutboxKey, message_id: str, now: datetime, reason: str) -> bool:
        """Record an email as folded into another (the organizer's summary, a seat email): never
        sent by itself. False when the key was recorded before; `reason` ("" = none) becomes a
        notice of its kind, for the organizer's summary.
        """
        added = self.queue(key, message_id, "", "", b"", now, status="folded")
        if added and reason:
            self.db.execute(
                "INSERT INTO notices (sender, subject, received_at, reason, kind) VALUES ('', '', ?, ?, ?)",
                [stamp(now), reason, key.kind],
            )
        return added

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

    def record_attempt(self, key: str, now: datetime) -> None:
        """Mark the row as handed to SMTP with its outcome unknown (commit it before sending)."""
        self.db.execute(
            "UPDATE outbox SET status = 'sending', handed_at = ? WHERE key = ?", [stamp(now), key]
        )

    def in_doubt(self) -> list[dict[str, Any]]:
        """Rows handed to SMTP whose outcome a crash left unknown, oldest first."""
        return self._rows(
            """SELECT key, kind, person, recipient, message_id, handed_at FROM outbox
               WHERE status = 'sending' ORDER BY handed_at, rowid"""
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
            "SELECT key, kind, recipient, status, raw FROM outbox WHERE status != 'folded' ORDER BY created_at, rowid"
        )
