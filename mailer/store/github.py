"""The store's GitHub tables: repository access, logins people gave us, topics, and `meta`.

`meta` is the small key-value table that also holds GitHub's wait-until times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mailer.model import Access
from mailer.store.tables import Tables, stamp


class GitHubTables(Tables):
    """`Store` methods for `github_access`, `github_logins`, `topics` and `meta`."""

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
