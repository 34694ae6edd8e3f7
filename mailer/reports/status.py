"""The organizer's view of the roster: a plain dict for `--json` and a readable table; no I/O but reads.

Seats and places are derived here exactly as the tick derives them (`decide.places`), so what the
organizer sees is what the next decision will act on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mailer.config import Config, Event
from mailer.decisions.access import logins
from mailer.decisions.seats import places
from mailer.model import SEAT_KINDS, Attendance
from mailer.steps import forget
from mailer.store import Store, unstamp

STATE_ORDER = (
    "seated",
    "offered",
    "waitlisted",
    "undecided",
    "unconfirmed",
    "invited",
    "declined",
    "cancelled",
    "line_closed",
    "offer_expired",
    "bounced",
)


def report(config: Config, store: Store, event_id: str | None = None) -> dict[str, Any]:
    """The roster of each event (or of `event_id`), the mail nobody could be tied to, and what
    else needs a person: unclear replies, bounces, held-back answers, messages set aside."""
    events = [e for e in config.events if event_id in (None, e.id)]
    notices = store.notices()
    return {
        "events": [_event(config, store, e) for e in events],
        "unmatched": [_notice(n) for n in notices if n["kind"] == "unmatched"],
        "notices": [{"kind": n["kind"], **_notice(n)} for n in notices if n["kind"] != "unmatched"],
        "forgotten": [
            {"email": address, "tag": tag} for address, tag in forget.still_listed(store, config)
        ],
        "failed_sends": [
            {
                "key": r["key"],
                "to": r["recipient"],
                "subject": r["subject"],
                "status": r["status"],
                "code": r["code"],
                "detail": r["detail"],
            }
            for r in store.outbox()
            # sending: handed to SMTP when a crash struck; the next tick settles it
            if r["status"] in ("failed", "retry", "sending")
            and (event_id is None or r["event"] == event_id)
        ],
    }


def _notice(row: dict[str, Any]) -> dict[str, Any]:
    received = _iso(unstamp(row["received_at"]))
    return {
        "from": row["sender"],
        "subject": row["subject"],
        "received_at": received,
        "reason": row["reason"],
    }


def _event(config: Config, store: Store, event: Event) -> dict[str, Any]:
    roster = store.roster(event.id)
    seats = places(roster.values(), event.capacity)
    github = _github_access(config, store)
    # Told only when the notice actually went out (not merely queued, failed or withdrawn).
    outbox = store.outbox(event.id)
    # A notice folded into a seat email (decisions/welcome.py) was told when that email went out.
    seat_sent = {r["person"] for r in outbox if r["kind"] in SEAT_KINDS and r["status"] == "sent"}
    notified = {
        r["person"]
        for r in outbox
        if r["kind"] == "recording"
        and (r["status"] == "sent" or (r["status"] == "folded" and r["person"] in seat_sent))
    }
    attendees = []
    for person, attendance in roster.items():
        invitee = config.invitee_for(person)
        place = seats[person]
        attendees.append(
            {
                "email": person,
                "name": invitee.name if invitee else "",
                "state": place.state,
                "position": place.position,
                "responded_at": _iso(attendance.responded_at),
                "consent": _consent(config, attendance, place.state, person in notified),
                "github": github(person) if place.state == "seated" else None,
            }
        )
    attendees.sort(key=lambda a: (STATE_ORDER.index(a["state"]), a["position"] or 0, a["email"]))
    return {
        "id": event.id,
        "title": event.title,
        "starts": event.starts.isoformat(),
        "capacity": event.capacity,
        "attendees": attendees,
        "not_invited_yet": [
            i.email for i in forget.remembered(store, config.invitees) if i.email not in roster
        ],
    }


GITHUB_STATES = {
    "inviting": "invited",
    "renewing": "invited",
    "declined": "none",
    "unknown_user": "failed",
    "withdrawn": "none",
    "removed": "none",
}


def _github_access(config: Config, store: Store) -> Callable[[str], str | None]:
    """A person's access to the topic board: none | invited | accepted | expired | failed."""
    if config.github is None:
        return lambda person: None
    names, rows = logins(config.invitees, store.learned_logins()), store.access()

    def state(person: str) -> str:
        row = rows.get(names.get(person, ""))
        return "none" if row is None else GITHUB_STATES.get(row.state, row.state)

    return state


def _consent(config: Config, attendance: Attendance, state: str, notified: bool) -> str | None:
    """For the seated: whether they may be recorded, as far as we know."""
    if attendance.objected_at is not None:
        return "objected"
    if state != "seated":
        return None
    if not config.recording.enabled:
        return "none needed"
    return "notified" if notified else "not yet notified"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _short(iso: str | None) -> str:
    """An ISO time as a person scans it in a table: minutes, UTC."""
    if not iso:
        return "-"
    return f"{datetime.fromisoformat(iso).astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def table(data: dict[str, Any]) -> str:
    """The report as text for a terminal."""
    out: list[str] = []
    for event in data["events"]:
        seated = sum(1 for a in event["attendees"] if a["state"] == "seated")
        waiting = sum(1 for a in event["attendees"] if a["state"] == "waitlisted")
        out.append(f"{event['title']} [{event['id']}]")
        out.append(
            f"  starts {event['starts']} · {seated} of {event['capacity']} seats taken · {waiting} waiting"
        )
        if event["attendees"]:
            # The recording and GitHub columns appear only where they say something.
            extra = [c for c in ("consent", "github") if any(a[c] for a in event["attendees"])]
            heads = {"consent": "recording", "github": "github"}
            out.append(
                f"  {'state':<13} {'#':>3}  {'name':<24} {'email':<32} {'responded':<20}"
                + "".join(f"  {heads[c]:<16}" for c in extra).rstrip()
            )
            for a in event["attendees"]:
                position = str(a["position"]) if a["position"] else ""
                row = (
                    f"  {a['state']:<13} {position:>3}  {a['name'][:24]:<24} {a['email'][:32]:<32} "
                    f"{_short(a['responded_at']):<20}"
                    + "".join(f"  {a[c] or '':<16}" for c in extra)
                )
                out.append(row.rstrip())
        if event["not_invited_yet"]:
            out.append(f"  not invited yet: {', '.join(event['not_invited_yet'])}")
        out.append("")
    if data["failed_sends"]:
        out.append("Emails not delivered yet:")
        out += [
            f"  {f['status']:<6} {f['to']:<32} {f['subject'][:40]}  {f['code'] or ''} {f['detail'] or ''}"
            for f in data["failed_sends"]
        ]
        out.append("")
    if data["forgotten"]:
        out.append(
            "Asked to be forgotten, still in config.toml (remove them; they are not invited):"
        )
        out += [f"  {f['email']} (#{f['tag']})" for f in data["forgotten"]]
        out.append("")
    to_read = sorted(data["unmatched"] + data["notices"], key=lambda n: n["received_at"] or "")
    if to_read:
        out.append("Needs a person (all mail is kept in the mailbox):")
        out += [
            f"  {_short(n['received_at'])}  {n['from'] or '-':<30} {n['reason']}" for n in to_read
        ]
    return "\n".join(out).rstrip() + "\n"
