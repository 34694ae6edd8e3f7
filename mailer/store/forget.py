"""The store's tombstones and erasure: who asked to be forgotten, and their data wiped everywhere;
and the message bodies dropped when [privacy] keep_messages_days has passed.

A tombstone is an HMAC-SHA256 of the address (lower-cased, as invitees are compared) under a key
made once and kept in `meta`: it recognises the address when it comes again and cannot be read
back into one. `erase` removes or blanks every row that holds the address; it is idempotent, so
a tick after a crash simply runs it again. The store opens with `secure_delete` on, so what is
deleted is overwritten in the file rather than left in free pages.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from datetime import datetime
from typing import Any

from mailer.store.tables import Tables, stamp

_KEY = "forget.key"
# Text columns that may name a person in someone else's row: the address becomes the tag.
_MENTIONS = (("inbound", "outcome"), ("notices", "reason"), ("notices", "subject"))
FINAL = ("sent", "failed", "withdrawn", "folded")


def normal(address: str) -> str:
    """An address as invitees are compared: trimmed and lower-cased."""
    return address.strip().lower()


def _whole(who: str) -> re.Pattern[str]:
    # The address as a whole, never inside another: forgetting an@corp.com leaves jan@corp.com
    # and an@corp.com.au alone.
    return re.compile(rf"(?<![\w.%+-]){re.escape(who)}(?![\w-]|\.[\w])", re.IGNORECASE)


def _names(text: str | bytes | None, who: str) -> bool:
    if not text:
        return False
    value = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return _whole(who).search(value) is not None


def _unname(text: str | None, who: str, mark: str) -> str | None:
    return _whole(who).sub(mark, text) if text else text


def register(connection: sqlite3.Connection) -> None:
    """The SQL functions erasure matches with: names_address(text, who), unname(text, who, mark)."""
    connection.create_function("names_address", 2, _names, deterministic=True)
    connection.create_function("unname", 3, _unname, deterministic=True)


class ForgetTables(Tables):
    """`Store` methods for the `forgotten` table and the erasure of one address."""

    def _forget_key(self, create: bool) -> bytes | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [_KEY]).fetchone()
        if row is not None:
            return bytes.fromhex(row[0])
        if not create:
            return None
        key = secrets.token_bytes(32)
        self.db.execute("INSERT INTO meta VALUES (?, ?)", [_KEY, key.hex()])
        return key

    def tombstone_of(self, address: str, create: bool = False) -> str | None:
        """The keyed hash of `address` (None when no key exists yet and `create` is false)."""
        key = self._forget_key(create)
        if key is None:
            return None
        return hmac.new(key, normal(address).encode(), hashlib.sha256).hexdigest()

    def forgotten_tag(self, address: str) -> str | None:
        """The tag of the tombstone that holds `address`, or None if it was never forgotten."""
        digest = self.tombstone_of(address) if address else None
        if digest is None:
            return None
        row = self.db.execute("SELECT tag FROM forgotten WHERE hash = ?", [digest]).fetchone()
        return str(row[0]) if row else None

    def add_tombstones(
        self, addresses: list[str], now: datetime, via: str, pending: str
    ) -> tuple[str, bool]:
        """Tombstones for a person's addresses (the first is their own); their tag, and whether
        it is new (False: they were forgotten before)."""
        digests = [self.tombstone_of(a, create=True) or "" for a in addresses]
        tag = digests[0][:10]
        added = False
        for digest in digests:
            added |= bool(
                self.db.execute(
                    "INSERT OR IGNORE INTO forgotten VALUES (?, ?, ?, ?, ?)",
                    [digest, tag, stamp(now), via, pending if digest == digests[0] else ""],
                ).rowcount
            )
        return tag, added

    def tombstones(self) -> list[dict[str, Any]]:
        """Every tombstone: hash, tag, requested_at, via, pending."""
        return self._rows("SELECT * FROM forgotten ORDER BY requested_at, tag")

    def unfinished_erasures(self) -> list[dict[str, Any]]:
        return self._rows("SELECT hash, tag, pending FROM forgotten WHERE pending != ''")

    def erase(self, address: str, tag: str) -> int:
        """Remove or blank every row that holds `address`; returns how many rows changed."""
        who = normal(address)
        mark = f"forgotten #{tag}"
        run = self.db.execute
        changed = run("DELETE FROM attendance WHERE person = ?", [who]).rowcount
        changed += run(
            # Someone else's mail that is still to be decided is left to be decided: a later
            # run (the tick runs this again until the confirmation went) blanks it then.
            """UPDATE inbound SET raw = x'', subject = '', outcome = ?,
                 status = CASE WHEN status = 'new' THEN 'done' ELSE status END,
                 sender = CASE WHEN sender = ? THEN '' ELSE sender END,
                 person = CASE WHEN person = ? THEN '' ELSE person END
               WHERE sender = ? OR person = ?
                 OR (status != 'new' AND length(raw) > 0 AND names_address(raw, ?))""",
            [f"erased: {mark}", who, who, who, who, who],
        ).rowcount
        changed += run("DELETE FROM notices WHERE sender = ?", [who]).rowcount
        for table, column in _MENTIONS:
            changed += run(
                f"UPDATE {table} SET {column} = unname({column}, ?, ?)"
                f" WHERE names_address({column}, ?)",
                [who, mark, who],
            ).rowcount
        # Their own emails go; the organizer's that named them keep their record, not their body.
        changed += run("DELETE FROM outbox WHERE person = ?", [who]).rowcount
        marks = ", ".join("?" * len(FINAL))
        changed += run(
            f"""UPDATE outbox SET raw = x'' WHERE status IN ({marks}) AND length(raw) > 0
                AND names_address(raw, ?)""",
            [*FINAL, who],
        ).rowcount
        changed += run("DELETE FROM github_logins WHERE person = ?", [who]).rowcount
        changed += run("DELETE FROM topics WHERE person = ?", [who]).rowcount
        changed += self._forget_access(who, mark)
        changed += self._unattribute(who)
        return changed

    def _forget_access(self, who: str, mark: str) -> int:
        # Access we gave is kept, under the tag, until the GitHub step withdraws it; the rest goes.
        run = self.db.execute
        kept = run(
            """UPDATE github_access SET person = ?, state = 'forgetting'
               WHERE person = ? AND state IN ('inviting', 'invited', 'renewing', 'expired',
                 'accepted') AND detail != 'already a collaborator'""",
            [mark, who],
        ).rowcount
        return kept + run("DELETE FROM github_access WHERE person = ?", [who]).rowcount

    def _unattribute(self, who: str) -> int:
        """Their takeaways stay with the group, credited to nobody; the search index rebuilt."""
        changed = self.db.execute(
            "UPDATE takeaways SET author = 'a participant', person = '' WHERE person = ?", [who]
        ).rowcount
        if changed:
            self.db.execute("INSERT INTO takeaways_search (takeaways_search) VALUES ('rebuild')")
        return changed

    def access_to_withdraw(self) -> list[dict[str, Any]]:
        return self._rows("SELECT login, person FROM github_access WHERE state = 'forgetting'")

    def drop_access(self, login: str) -> None:
        self.db.execute("DELETE FROM github_access WHERE login = ?", [login])

    def confirmation(self, tag: str) -> dict[str, Any] | None:
        rows = self._rows(
            "SELECT key, status FROM outbox WHERE kind = 'forgotten' AND person = ?",
            [f"forgotten:{tag}"],
        )
        return rows[0] if rows else None

    def finish_erasure(self, digest: str, tag: str) -> None:
        """The confirmation went (or never will): its body and address go, then the pending one."""
        self.db.execute(
            "UPDATE outbox SET raw = x'', recipient = '', subject = '' WHERE person = ?",
            [f"forgotten:{tag}"],
        )
        self.db.execute("UPDATE forgotten SET pending = '' WHERE hash = ?", [digest])

    # -- [privacy] keep_messages_days --------------------------------------------------------

    def events_with_bodies(self) -> list[str]:
        """The events some stored message body still belongs to ("" for mail tied to none)."""
        marks = ", ".join("?" * len(FINAL))
        rows = self.db.execute(
            f"""SELECT DISTINCT COALESCE(event, '') FROM inbound
                WHERE status != 'new' AND length(raw) > 0
                UNION SELECT DISTINCT event FROM outbox WHERE status IN ({marks})
                AND length(raw) > 0""",
            list(FINAL),
        ).fetchall()
        return [row[0] for row in rows]

    def drop_bodies(self, event: str, before: datetime | None = None) -> int:
        """Blank the stored bodies of `event`'s decided mail and finished emails; for event ""
        only those that arrived, or were made, `before`. The rows and their decisions stay."""
        marks = ", ".join("?" * len(FINAL))
        since = "" if before is None else " AND internaldate < ?"
        made = "" if before is None else " AND created_at < ?"
        when = [] if before is None else [stamp(before)]
        dropped = self.db.execute(
            f"""UPDATE inbound SET raw = x'' WHERE COALESCE(event, '') = ? AND status != 'new'
                AND length(raw) > 0{since}""",
            [event, *when],
        ).rowcount
        return (
            dropped
            + self.db.execute(
                f"""UPDATE outbox SET raw = x'' WHERE event = ? AND status IN ({marks})
                AND length(raw) > 0{made}""",
                [event, *FINAL, *when],
            ).rowcount
        )

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and empty it: old pages leave the -wal too."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
