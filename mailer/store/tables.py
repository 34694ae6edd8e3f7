"""What the store's table modules share: the stored time format and the `Store` they mix into.

`stamp`/`unstamp` are the one way times go in and out of the database (UTC text, fixed width, so
text order is time order). `Tables` is the base of the table mixins in this package: it names, for
type checkers only, the parts of `mailer.store.Store` they use.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager


def stamp(moment: datetime) -> str:
    """A datetime as stored: UTC, fixed width, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def unstamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Tables:
    """A group of `Store` methods over some of the tables; `Store` supplies what is declared here."""

    db: Database

    if TYPE_CHECKING:

        def atomic(self) -> AbstractContextManager[None]: ...

        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...
