"""The roster as CSV: one row per person per event, a header line; for a spreadsheet or a script."""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ("event", "email", "name", "state", "position", "responded_at", "consent", "github")


def to_csv(report: dict[str, Any]) -> str:
    """The `status.report` document's attendees, and those not invited yet, as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for event in report["events"]:
        for person in event["attendees"]:
            row = {**person, "event": event["id"], "consent": _flat(person["consent"])}
            row["github"] = _flat(person["github"])
            writer.writerow(["" if row.get(c) is None else row[c] for c in COLUMNS])
        for address in event["not_invited_yet"]:
            writer.writerow([event["id"], address, "", "not_invited_yet", "", "", "", ""])
    return out.getvalue()


def _flat(value: Any) -> str:
    """A nested field in one cell: a dict's values joined, None as empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v not in (None, ""))
    return str(value)
