"""The two shapes `mailer explain` prints: one JSON object per message, or labelled lines.

Owns `FIELDS` (the JSON interface, kept stable for scripts: a test pins it), `as_json` and
`as_text`. Pure: an `Explanation` in, a dict or a string out.
"""

from __future__ import annotations

from typing import Any

from mailer.model import Kind
from mailer.reports.explain import Change, Explanation

# The JSON object printed per message, in this order: the interface `mailer explain --json` keeps.
FIELDS = (
    "file",
    "kind",
    "rule",
    "intent",
    "weak",
    "consent",
    "permanent",
    "bounced",
    "sender",
    "subject",
    "message_id",
    "attendee",
    "calendar_uid",
    "evidence",
    "reason",
    "text",
    "invitee",
    "event",
    "routing",
    "action",
    "changes",
    "sends",
    "notices",
    "outcome",
    "note",
)


def as_json(file: str, result: Explanation) -> dict[str, Any]:
    """The JSON object for one message; its keys are `FIELDS`, in that order."""
    reply = result.reply
    bounce = reply.kind is Kind.BOUNCE
    data: dict[str, Any] = {
        "file": file,
        "kind": reply.kind.value,
        "rule": reply.rule,
        "intent": reply.intent.value if reply.intent else None,
        "weak": reply.weak,
        "consent": reply.consent,
        "permanent": reply.permanent if bounce else None,
        "bounced": list(reply.bounced),
        "sender": reply.sender,
        "subject": reply.subject,
        "message_id": reply.message_id,
        "attendee": reply.attendee,
        "calendar_uid": reply.calendar_uid,
        "evidence": list(reply.evidence),
        "reason": reply.reason,
        "text": reply.text,
        "invitee": result.invitee,
        "event": result.event,
        "routing": result.routing or None,
        "action": result.action,
        "changes": [_change_json(c) for c in result.changes],
        "sends": [{"kind": kind, "to": to} for kind, to in result.sends],
        "notices": list(result.notices),
        "outcome": result.outcome or None,
        "note": result.note or None,
    }
    return {name: data[name] for name in FIELDS}


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "person": change.person,
        "before": change.before.state,
        "before_position": change.before.position,
        "after": change.after.state,
        "after_position": change.after.position,
        "recording": change.objection or None,
        "bounced": change.bounced,
    }


def as_text(file: str, result: Explanation) -> str:
    """The same, as a few labelled lines for a person."""
    data = as_json(file, result)
    reading = data["kind"] + (f" {data['intent']}" if data["intent"] else "")
    if data["kind"] == Kind.WRITTEN.value and data["intent"] not in (None, "unclear"):
        reading += " (weak)" if data["weak"] else " (strong)"
    if data["permanent"] is not None:
        reading += " (permanent)" if data["permanent"] else " (temporary: the server keeps trying)"
    lines = [
        ("reading", f"{reading}, by the {data['rule']} rule"),
        ("consent", data["consent"] and f"{data['consent']} (recording)"),
        ("bounced", ", ".join(data["bounced"])),
        ("sender", data["sender"] or "(none)"),
        ("attendee", data["attendee"]),
        ("subject", data["subject"]),
        ("evidence", "; ".join(repr(e) for e in data["evidence"])),
        ("reason", data["reason"]),
        ("words", _excerpt(data["text"])),
        ("routing", data["routing"]),
        ("action", data["action"]),
        ("note", data["note"]),
    ]
    return "\n".join([f"== {file}", *(f"  {k + ':':<9} {v}" for k, v in lines if v)])


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…") if flat else ""
