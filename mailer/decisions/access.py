"""Who should have access to the topic board's GitHub repository, and what to do about it; pure.

Everyone who holds a seat in a meeting still ahead is invited as a collaborator; a pending
invitation is checked each tick (accepted? expired?); a seat given up withdraws a pending
invitation; with remove_after_event, access ends once every meeting the person was in is over.
The emails around it (asking for a username, a nudge to accept) are keyed like every other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from mailer.config import Event, Invitee
from mailer.config.meeting import GitHub
from mailer.decisions.seats import places, seated
from mailer.model import Access, Attendance, OutboxKey, Outgoing

PENDING = ("inviting", "invited", "expired", "renewing")
ALREADY_HAD_ACCESS = "already a collaborator"


@dataclass(frozen=True)
class Action:
    """A call to make on GitHub: invite | check | withdraw | remove."""

    kind: str
    login: str
    person: str


def logins(invitees: Sequence[Invitee], learned: Mapping[str, str]) -> dict[str, str]:
    """Each invitee's GitHub login: from config.toml, else as they told us by email."""
    configured = {i.email: i.github.lower() for i in invitees if i.github}
    return {**{p: login for p, login in learned.items() if p not in configured}, **configured}


def seat_holders(
    events: Sequence[tuple[Event, Mapping[str, Attendance]]], now: datetime
) -> dict[str, Event]:
    """Each person holding a seat in a meeting not over yet, with the first such meeting."""
    holders: dict[str, Event] = {}
    for event, roster in sorted(events, key=lambda pair: pair[0].starts):
        if now >= event.ends or event.cancelled:
            continue
        for person, place in places(roster.values(), event.capacity).items():
            if place.state == "seated":
                holders.setdefault(person, event)
    return holders


def actions(
    events: Sequence[tuple[Event, Mapping[str, Attendance]]],
    logins: Mapping[str, str],
    access: Mapping[str, Access],
    github: GitHub,
    now: datetime,
) -> list[Action]:
    """The GitHub calls due at `now`: invitations, checks, withdrawals and removals."""
    holders = seat_holders(events, now)
    wanted = {logins[p]: p for p in holders if p in logins}
    due: list[Action] = []
    for login, person in sorted(wanted.items()):
        known = access.get(login)
        if known is None or known.state in ("withdrawn", "removed", "failed"):
            # "failed" is tried again each tick: the cause (a 422, a flaky answer) may be gone.
            due.append(Action("invite", login, person))
        elif known.state in PENDING:
            due.append(Action("check", login, person))
    for login, known in sorted(access.items()):
        if login in wanted:
            continue
        if known.state in PENDING:
            due.append(Action("withdraw", login, known.person))
        elif (
            known.state == "accepted"
            and github.remove_after_event
            and login not in github.keep
            and known.detail != ALREADY_HAD_ACCESS  # we never take away what we did not give
            and _all_over(known.person, events, now)
        ):
            due.append(Action("remove", login, known.person))
    return due


def _all_over(
    person: str, events: Sequence[tuple[Event, Mapping[str, Attendance]]], now: datetime
) -> bool:
    mine = [event for event, roster in events if person in roster]
    return bool(mine) and all(now >= event.ends for event in mine)


def emails(
    event: Event,
    roster: Mapping[str, Attendance],
    logins: Mapping[str, str],
    access: Mapping[str, Access],
    github: GitHub,
    now: datetime,
) -> list[Outgoing]:
    """Emails about access for the seated of `event`: ask for a username, say it was not found,
    and nudge shortly before the meeting those who have not accepted."""
    if now >= event.starts or event.cancelled:
        return []
    outgoing: list[Outgoing] = []
    for person in seated(roster.values(), event.capacity):
        login = logins.get(person)
        if login is None:
            outgoing.append(Outgoing(OutboxKey(event.id, person, "github_ask", 0)))
            continue
        known = access.get(login)
        if known is not None and known.state == "unknown_user":
            # Keyed by the login, so a second unknown name is answered too, but each only once.
            key = OutboxKey(event.id, person, "github_unknown", _number(login))
            outgoing.append(Outgoing(key, {"login": login}))
        elif (
            known is not None
            and known.state in ("invited", "expired")
            and now >= event.starts - github.nudge_before
        ):
            outgoing.append(
                Outgoing(OutboxKey(event.id, person, "github_nudge", 0), {"repo": github.repo})
            )
    return outgoing


def _number(login: str) -> int:
    """A stable number for a whole login (outbox key sequences are numbers)."""
    return int(hashlib.sha256(login.lower().encode()).hexdigest()[:12], 16)
