"""What the organizer is told by email, besides objections: one summary per tick of what needs a person.

Pure: given the notices recorded since the last summary, the summary email (or none). Its key
carries the newest notice it covers, so a repeated tick proposes the same key and the outbox
keeps one; the next summary starts after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mailer.model import ORGANIZER, OutboxKey, Outgoing

# A held-back answer (the daily cap) is a guard working as meant, not news for the organizer.
NOT_SUMMARISED = frozenset({"cap"})


def summary(notices: Sequence[dict[str, Any]]) -> Outgoing | None:
    """The organizer's summary of `notices` (rows with id, kind, sender, subject, reason), or None."""
    listed = [n for n in notices if n["kind"] not in NOT_SUMMARISED]
    if not listed:
        return None
    newest = max(n["id"] for n in notices)
    items = [{"kind": n["kind"], "from": n["sender"] or "-", "reason": n["reason"]} for n in listed]
    return Outgoing(
        OutboxKey("", ORGANIZER, "summary", newest), {"items": items}, template="organizer/summary"
    )
