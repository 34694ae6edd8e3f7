"""The store's mail tables: the IMAP cursor, inbound mail and the notices for the organizer.

Inbound mail is stored with the advanced cursor in one commit, then decided, then flagged or moved
on the server (`marked`). Notices are what the organizer is told about in the next summary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from mailer.model import Cursor, InboundMail
from mailer.store.tables import Tables, stamp


class MailTables(Tables):
    """`Store` methods for the `inbound` and `notices` tables and the cursor kept in `meta`."""

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
            "SELECT id, kind, sender, subject, reason FROM notices WHERE id > ? AND resolved = 0 ORDER BY id",
            [row[0]],
        )

    def notices(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT kind, sender, subject, received_at, reason FROM notices WHERE resolved = 0"
            " ORDER BY received_at, id"
        )

    def reconsider_unmatched(self, fingerprint: str) -> int:
        """When the invitee list changed (`fingerprint` differs from the kept one), mail that no
        invitee sent is decided again, in arrival order with the rest; returns how many.

        Its notices are resolved, not deleted: a stranger since added, or an address since
        fixed, gets their earlier reply counted by its arrival time, and the notice goes away.
        """
        row = self.db.execute(
            "SELECT value FROM meta WHERE key = 'invitees.fingerprint'"
        ).fetchone()
        if row is not None and row[0] == fingerprint:
            return 0
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES ('invitees.fingerprint', ?)", [fingerprint]
        )
        ids = [
            r[0]
            for r in self.db.execute(
                """SELECT n.inbound_id FROM notices n JOIN inbound i ON i.id = n.inbound_id
                   WHERE n.kind = 'unmatched' AND n.resolved = 0 AND i.status = 'done'"""
            ).fetchall()
        ]
        for inbound_id in ids:
            self.db.execute(
                "UPDATE notices SET resolved = 1, inbound_id = NULL WHERE inbound_id = ?",
                [inbound_id],
            )
            self.db.execute("UPDATE inbound SET status = 'new' WHERE id = ?", [inbound_id])
        return len(ids)
