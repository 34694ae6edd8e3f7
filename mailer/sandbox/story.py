"""The tour's month, played through the real product: ticks at explicit times, the cast's
replies delivered into the organizer's mailbox over IMAP, the GitHub-shaped server's people
accepting their invitations and proposing topics.

Nov 16 invitations and a rush of replies (15 yeses for 12 seats), day 1 GitHub, day 2 a
cancellation and a promotion, day 3 an objection to the recording, a week before reminders,
two days before the Zoom details and a GitHub nudge, the day before the agenda, the meeting,
the takeaways, the draft, APPROVE and the digest.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from mailer import config as config_module
from mailer.runtime import run_tick
from mailer.sandbox import participants
from mailer.sandbox.display import Display
from mailer.sandbox.people import (
    CANCEL,
    NOTES,
    OBJECT,
    PEOPLE,
    RUSH,
    SLOW_ON_GITHUB,
    TAKEAWAY,
    Step,
    person,
)
from mailer.testing import MailStack
from mailer.testing.github_server import GitHubServer

DAY = timedelta(days=1)


class Month:
    """One event's month on `stack` and `hub`, from `invite_at` to the digest after `starts`."""

    def __init__(
        self,
        stack: MailStack,
        hub: GitHubServer,
        config: config_module.Config,
        organizer: str,
        invite_at: datetime,
        display: Display,
    ) -> None:
        self.stack = stack
        self.hub = hub
        self.config = config
        self.organizer = organizer
        self.display = display
        self.event = config.events[0]
        self.invite_at = invite_at
        self.starts = self.event.starts
        self.sent = 0

    def play(self) -> None:
        """The whole month, in order; each tick says what it read and sent."""
        self.tick(self.invite_at, "the invitations go out")
        for step in RUSH:
            self.act(step)
        self.tick(self.invite_at + timedelta(minutes=45), "the morning's replies are read")
        self.github_day(self.invite_at + DAY)
        self.act(CANCEL)
        self.tick(self.at(CANCEL) + timedelta(minutes=5), "a seat frees up")
        self.act(OBJECT)
        self.tick(self.at(OBJECT) + timedelta(minutes=5), "an objection to the recording")
        self.tick(self.starts - 7 * DAY, "a week before: reminders")
        self.tick(self.starts - 2 * DAY, "two days before: the Zoom details, GitHub nudges")
        for login in SLOW_ON_GITHUB:
            self.hub.accept(login)
        self.display.say(f"    nudged, {' and '.join(SLOW_ON_GITHUB)} accept on GitHub too", "dim")
        self.tick(self.starts - timedelta(hours=23), "the day before: reminders, the agenda")
        self.tick(self.starts - timedelta(minutes=50), "within the hour: the last reminder")
        self.after_the_meeting()

    def at(self, step: Step) -> datetime:
        return self.invite_at + timedelta(minutes=step.minutes)

    def tick(self, now: datetime, why: str) -> None:
        """`mailer tick --now` in-process: read, decide, send; one line with what went out."""
        self.display.day((now - self.invite_at) / DAY, why)
        summary = run_tick(self.config, now)
        self.sent += summary.sent
        kinds = Counter(key.split("/")[2] for key, _, _ in summary.queued)
        what = ", ".join(f"{kind} {n}" for kind, n in kinds.items()) or "nothing new"
        local = now.astimezone(self.starts.tzinfo)
        self.display.say(
            f"{local:%a %b %d %H:%M}  tick ({why}): read {summary.fetched}, sent {what}"
        )

    def act(self, step: Step) -> None:
        """`step.who` answers their invitation (or writes anew) as their mail program would."""
        when = self.at(step)
        sender = person(step.who)
        shown = f"{when.astimezone(self.starts.tzinfo):%a %b %d %H:%M}    {sender[0]}"
        if step.how == "stranger":
            raw = participants.new_message(sender, self.organizer, "Roundtable", step.text, when)
            line = f"{shown} ({step.who}, not invited) writes: {step.text!r}"
        else:
            invitation = participants.invitation_in(self.stack.messages(step.who))
            if step.how == "accept":
                raw = participants.calendar_reply(invitation, sender, "ACCEPTED", when)
                line = f"{shown} clicks Accept in Outlook"
            elif step.how == "away":
                raw = participants.out_of_office(invitation, sender, when)
                line = f"{shown}'s out-of-office answers"
            else:
                raw = participants.written_reply(invitation, sender, step.text, when)
                line = f"{shown} replies: {step.text.splitlines()[0]!r}"
        self.display.say(line, "dim")
        self.stack.deliver(self.organizer, raw, when)

    def github_day(self, when: datetime) -> None:
        """The seated accept their repository invitations on GitHub and propose topics."""
        pending = {i.login for i in self.hub.invitations.values()}
        accepted = sorted(login for login in pending if login not in SLOW_ON_GITHUB)
        for login in accepted:
            self.hub.accept(login)
        fridays = self.hub.add_issue("Deploying on Fridays", user="grace-h", at=when)
        velocity = self.hub.add_issue("Measuring velocity", user="tim-bl", at=when)
        for login in accepted[:6]:
            self.hub.react(fridays, login)
        for login in accepted[3:5]:
            self.hub.react(velocity, login)
        self.display.say(
            f"{when.astimezone(self.starts.tzinfo):%a %b %d %H:%M}    on GitHub: {len(accepted)} "
            f"of {len(pending)} accept the invitation to {self.hub.repo}; 2 topics proposed",
            "dim",
        )
        self.tick(when + timedelta(minutes=5), "GitHub access checked")

    def after_the_meeting(self) -> None:
        """The organizer's notes, an attendee's takeaway, the draft, APPROVE, the digest."""
        ends = self.event.ends
        notes = self.config.takeaways.notes_dir / f"{self.event.id}.md"
        notes.parent.mkdir(parents=True, exist_ok=True)
        notes.write_text(NOTES, encoding="utf-8")
        self.display.say(f"    the organizer writes their notes in {notes.name}", "dim")
        minutes = int((ends - self.invite_at) / timedelta(minutes=1)) + 30
        self.act(Step(minutes, "grace@cobol.test", "text", TAKEAWAY))
        draft_at = ends + self.config.takeaways.digest_after
        self.tick(draft_at, "a day after the meeting: the draft")
        draft = next(
            m
            for m in reversed(participants.read(self.stack.messages(self.organizer)))
            if str(m["Subject"]).startswith("Draft for your approval")
        )
        when = draft_at + timedelta(hours=2)
        organizer = ("Roundtable organizer", self.organizer)
        self.stack.deliver(
            self.organizer, participants.written_reply(draft, organizer, "APPROVE", when), when
        )
        local = when.astimezone(self.starts.tzinfo)
        self.display.say(f"{local:%a %b %d %H:%M}    the organizer replies APPROVE", "dim")
        self.tick(when + timedelta(minutes=5), "the digest goes out")


def zones() -> dict[str, str]:
    """address -> the person's time zone, for the config and the roster table."""
    return {p.address: p.zone for p in PEOPLE}
