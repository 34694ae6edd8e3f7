"""What a seat email carries with it, so that taking a seat is one email and not four; pure.

When someone gets a seat (a yes, a freed seat, an offer taken, more seats), the same moment owes
them the recording notice, the Zoom details when they are already due, the GitHub step, and a
reminder whose moment has already come (a seat given two days out needs no "in a week" after it). The
seat email carries each as a short section, and their own keys are recorded as carried, so the
lifecycle and the GitHub step, which would otherwise send them alone, find them already done. What
is not due yet (the link before `send_details_before`) still comes later, as one email of its own.
The same holds for the agenda and the reminder due with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from mailer.config import Event
from mailer.config.meeting import GitHub
from mailer.decisions.lifecycle import Settings, link_due, seat_number
from mailer.decisions.reminders import reminder_key, reminders_due
from mailer.model import SEAT_KINDS, Attendance, OutboxKey, Outgoing


@dataclass(frozen=True)
class Welcome:
    outgoing: Outgoing  # the seat email, its context grown by the sections it carries
    carried: tuple[OutboxKey, ...] = field(default=())  # recorded as done, never sent alone


def welcome(
    outgoing: Outgoing,
    event: Event,
    row: Attendance,
    sent: frozenset[str],
    settings: Settings,
    github: GitHub | None,
    login: str | None,
    now: datetime,
) -> Welcome:
    """The seat email `outgoing` with what is due to its seat holder at `now` folded in.

    `row` is the person's stored row after the seat was given, `sent` the event's recorded keys,
    `login` their GitHub username where one is known.
    """
    key = outgoing.key
    if key.kind not in SEAT_KINDS:
        return Welcome(outgoing)
    seat = seat_number(row, sent, event.id)
    carried: list[OutboxKey] = []
    context: dict[str, object] = {"zoom": None, "recording": None, "github": None}
    recording = settings.recording
    if recording.enabled:
        context["recording"] = {
            "purpose": recording.purpose,
            "kept_for": recording.kept_for,
            "shared_with": recording.shared_with,
            "objected": row.objected_at is not None,
        }
        carried.append(OutboxKey(event.id, key.person, "recording", seat))
    details_later = settings.zoom is not None
    if link_due(event, settings.zoom, now):
        context["zoom"] = settings.zoom
        details_later = False
        carried.append(OutboxKey(event.id, key.person, "details", seat))
    context["details_later"] = details_later
    # A reminder whose moment came before the seat: the seat email says all it would.
    carried += [
        reminder_key(event, key.person, s) for s in reminders_due(event, settings.reminders, now)
    ]
    if github is not None:
        context["github"] = {"repo": github.repo, "login": login or ""}
        if login is None:
            carried.append(OutboxKey(event.id, key.person, "github_ask", 0))
    grown = replace(outgoing, context={**outgoing.context, **context})
    return Welcome(grown, tuple(k for k in carried if str(k) not in sent))


def with_agenda(
    outgoing: Outgoing, board: list[dict[str, object]], repo: str, sent: frozenset[str]
) -> Welcome:
    """A reminder due when the agenda is (the day before, by default) carries the agenda too:
    one email that day, not two in the same minute. `board` is the topics as read from GitHub."""
    key = outgoing.key
    agenda = OutboxKey(key.event, key.person, "agenda", 0)
    if not key.kind.startswith("reminder-") or str(agenda) in sent:
        return Welcome(outgoing)
    grown = replace(outgoing, context={**outgoing.context, "agenda": board, "repo": repo})
    return Welcome(grown, (agenda,))
