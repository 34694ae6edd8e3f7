"""The SQLite file: opening, migrating and transactions; the tables' methods come from mixins.

Thin on purpose: rows in, model dataclasses out, and `atomic()` so that a decision and the outbox
rows it calls for commit together, before SMTP sees anything. Times are stored as UTC text in one
fixed format, so that text order is time order (`stamp`/`unstamp`, from `tables`).

`Store` is composed from one mixin per group of tables: `mail` (IMAP cursor, inbound mail,
notices), `roster` (attendance, event snapshots), `outbox` (the outbox) and
`github` (GitHub access, learned logins, topics, meta), `forget` (tombstones, erasure).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from mailer.errors import ConfigError, DatabaseError
from mailer.store.forget import ForgetTables, register
from mailer.store.github import GitHubTables
from mailer.store.mail import MailTables
from mailer.store.outbox import OutboxTables
from mailer.store.roster import RosterTables
from mailer.store.schema import migrations
from mailer.store.tables import stamp, unstamp
from mailer.store.takeaways import TakeawayTables

__all__ = ["Store", "stamp", "unstamp"]


@contextmanager
def database_errors(path: Path) -> Iterator[None]:
    """SQLite's refusals (locked, read-only, not a database) as one line naming the file."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        reason = str(exc)
        if "locked" in reason or "busy" in reason:
            what = "is locked by another program. Fix: close the program that holds it (a database browser, sqlite3, another mailer) and run again"
        elif "readonly" in reason or "read-only" in reason:
            what = "is read-only. Fix: give the user running mailer write access to the file and its folder"
        else:
            what = f"cannot be used as the database ({reason}). Fix: check [database] path and the file's permissions"
        raise DatabaseError(f"[database] path {path} {what}") from exc


class Store(MailTables, RosterTables, OutboxTables, GitHubTables, TakeawayTables, ForgetTables):
    """The product's database, opened (and migrated) at `path`."""

    def __init__(self, path: Path | str, create: bool = True, busy_ms: int = 5000) -> None:
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise ConfigError(
                "[database] path",
                f"points into {self.path.parent}, which does not exist",
                "create that folder, or set path to a file in an existing one",
            )
        if not create and not self.path.exists():
            raise DatabaseError(
                f"there is no database at {self.path} yet. Fix: run mailer tick to create it, or check [database] path"
            )
        with database_errors(self.path):
            self.db = Database(self.path)
            register(self.db.conn)  # the SQL functions erasure matches addresses with
            # how long to wait for another program's lock before saying the file is locked
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            self.db.execute("PRAGMA user_version").fetchone()
            self.db.execute("PRAGMA journal_mode = WAL")
            # WAL with synchronous=NORMAL survives a crash of this process; a power cut may
            # lose the last commits, which the next tick re-derives from the server.
            self.db.execute("PRAGMA synchronous = NORMAL")
            # Deleted rows are overwritten, not left in free pages: erasure must reach the file.
            self.db.execute("PRAGMA secure_delete = ON")
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
