"""The SQLite file: opening, migrating and transactions; the tables' methods come from mixins.

Thin on purpose: rows in, model dataclasses out, and `atomic()` so that a decision and the outbox
rows it calls for commit together, before SMTP sees anything. Times are stored as UTC text in one
fixed format, so that text order is time order (`stamp`/`unstamp`, from `store_base`).

`Store` is composed from one mixin per group of tables: `store_mail` (IMAP cursor, inbound mail,
notices), `store_roster` (attendance, event snapshots), `store_outbox` (the outbox) and
`store_github` (GitHub access, learned logins, topics, meta).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .errors import ConfigError
from .schema import migrations
from .store_base import stamp, unstamp
from .store_github import GitHubTables
from .store_mail import MailTables
from .store_outbox import OutboxTables
from .store_roster import RosterTables

__all__ = ["Store", "stamp", "unstamp"]


class Store(MailTables, RosterTables, OutboxTables, GitHubTables):
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
