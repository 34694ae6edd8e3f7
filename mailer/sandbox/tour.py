"""`mailer sandbox`: the whole loop on loopback with no accounts, as a tour for a new organizer.

Starts pymap (IMAP) and aiosmtpd (SMTP) on 127.0.0.1, writes a config for them, invites example
people, has them reply the way real clients do (typed yeses and noes, an Outlook Accept, an
out-of-office, a stranger, more yeses than seats, a seated person cancelling, an objection to the
recording), runs the ticks with explicit times up to the day before the meeting (Zoom details,
reminders), prints the roster, and leaves every email the product sent as an .eml file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from mailer import config as config_module
from mailer.composing.compose import environment, templates_dir
from mailer.reports import archive, status
from mailer.runtime import run_tick
from mailer.sandbox import participants
from mailer.store import Store
from mailer.testing import MailStack, open_stack

ORGANIZER = "rsvp@roundtable.test"
PASSWORD_ENV = "MAILER_SANDBOX_PASSWORD"
EVENT_ID = "2026-12-velocity"
ZONE = ZoneInfo("America/New_York")
INVITE_AT = datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)
STARTS = datetime(2026, 12, 10, 12, 0, tzinfo=ZONE)
CAPACITY = 4

PEOPLE = [
    ("Ada Lovelace", "ada@analytical.test"),
    ("Grace Hopper", "grace@cobol.test"),
    ("Linus Torvalds", "linus@kernel.test"),
    ("Margaret Hamilton", "margaret@apollo.test"),
    ("Barbara Liskov", "barbara@clu.test"),
    ("Ken Thompson", "ken@unix.test"),
    ("Donald Knuth", "donald@tex.test"),
    ("Frances Allen", "frances@ptran.test"),
    ("Edsger Dijkstra", "edsger@goto.test"),
]


@dataclass(frozen=True)
class Step:
    """One thing a participant does, `minutes` after the invitations went out."""

    minutes: int
    who: str
    how: str  # "text" | "accept" | "away" | "stranger"
    text: str = ""


SCRIPT = [
    Step(5, "ada@analytical.test", "text", "Yes, count me in!\n\nAda"),
    Step(7, "grace@cobol.test", "accept"),
    Step(
        9,
        "linus@kernel.test",
        "text",
        "Sorry, I can't make it this time, I'm travelling that week.",
    ),
    Step(11, "margaret@apollo.test", "away"),
    Step(12, "barbara@clu.test", "text", "Sign me up!"),
    Step(14, "ken@unix.test", "text", "No problem, I'll be there."),
    Step(15, "donald@tex.test", "text", "Yes please."),
    Step(20, "frances@ptran.test", "text", "Maybe, it depends on a customer visit that week."),
    Step(22, "edsger@goto.test", "text", "Can't wait!"),
    Step(
        25,
        "stranger@elsewhere.test",
        "stranger",
        "yes! I heard about this from a friend, count me in",
    ),
]
# Edsger's "Can't wait!" was a doubtful yes: asked "Did you mean you will come?", he confirms.
CONFIRM = Step(60, "edsger@goto.test", "text", "Yes, sorry for being vague: I will come.")
CANCEL = Step(
    2 * 24 * 60,
    "ada@analytical.test",
    "text",
    "Something came up and I can't come after all. Sorry!",
)
OBJECT = Step(
    3 * 24 * 60, "ken@unix.test", "text", "Happy to join, but I'd prefer not to be recorded."
)
# What the seated get besides answers: the link (only they ever see it) and the recording notice.
MEETING = """
[zoom]
join_url = "https://zoom.example/j/5550001234"
meeting_id = "555 000 1234"
passcode = "lean-coffee"

[recording]
enabled = true
purpose = "to summarise the outcome of the discussion afterwards"
"""


def run(out: Path, say: Callable[[str], None]) -> None:
    """Run the tour, leaving config.toml, mailer.db and emails/*.eml in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in [
        out / "mailer.db",
        out / "mailer.db-wal",
        out / "mailer.db-shm",
        *out.glob("emails/*.eml"),
    ]:
        stale.unlink(missing_ok=True)
    users = {
        ORGANIZER: "organizer-pw",
        **{address: f"pw-{n}" for n, (_, address) in enumerate(PEOPLE)},
    }
    with open_stack("pymap", users) as stack:
        config_path = write_config(stack, out, PEOPLE, extra=MEETING)
        config = config_module.load(config_path)
        say(
            f"Mail servers on 127.0.0.1: IMAP {stack.imap_port}, SMTP {stack.smtp_port} (pymap + aiosmtpd)"
        )
        say(f"{len(PEOPLE)} invitees, {CAPACITY} seats; config written to {config_path}\n")

        _tick(config, INVITE_AT, "invitations go out", say)
        for step in SCRIPT:
            _act(stack, step, say)
        _tick(config, INVITE_AT + timedelta(minutes=30), "the replies are read", say)
        _act(stack, CONFIRM, say)
        _tick(config, INVITE_AT + timedelta(minutes=CONFIRM.minutes + 5), "a confirmation", say)
        _act(stack, CANCEL, say)
        _tick(config, INVITE_AT + timedelta(minutes=CANCEL.minutes + 5), "a seat frees up", say)
        _tick(
            config,
            INVITE_AT + timedelta(minutes=CANCEL.minutes + 10),
            "an idle tick changes nothing",
            say,
        )
        _act(stack, OBJECT, say)
        _tick(config, INVITE_AT + timedelta(minutes=OBJECT.minutes + 5), "an objection", say)
        _tick(config, STARTS - timedelta(days=7), "a week before: reminders", say)
        _tick(config, STARTS - timedelta(hours=23), "the day before", say)
        _after_the_meeting(stack, config, out, say)

    store = Store(config.database)
    try:
        say(status.table(status.report(config, store)))
        written = _write_emails(store, out / "emails")
        archive.build(store, out / "archive", templates_dir(config))
    finally:
        store.close()
    say(
        f"{written} emails sent by the product are in {out / 'emails'} (open them in any mail program)."
    )
    say(f"The takeaways archive is in {out / 'archive'}: open index.html, or search.html#q=flags.")
    say(f"See the roster again with: mailer -c {config_path} status")


def write_config(
    stack: MailStack,
    out: Path,
    people: list[tuple[str, str]],
    capacity: int = CAPACITY,
    starts: datetime = STARTS,
    invite_at: datetime = INVITE_AT,
    answers_per_day: int = 10,
    extra: str = "",
    github: Mapping[str, str] | None = None,
    trusted_authserv_id: str = "",
    max_message_kb: int = 2048,
) -> Path:
    """A config.toml in `out` for `stack`, with the organizer's IMAP password in $MAILER_SANDBOX_PASSWORD."""
    os.environ[PASSWORD_ENV] = stack.users[ORGANIZER]
    path = out / "config.toml"
    text = (
        environment(templates_dir())
        .get_template("sandbox/config.toml.j2")
        .render(
            path=path,
            organizer=ORGANIZER,
            smtp_port=stack.smtp_port,
            imap_port=stack.imap_port,
            password_env=PASSWORD_ENV,
            people=people,
            event_id=EVENT_ID,
            starts=starts.astimezone(ZONE).replace(tzinfo=None).isoformat(),
            invite_at=invite_at.astimezone(ZONE).replace(tzinfo=None).isoformat(),
            capacity=capacity,
            answers_per_day=answers_per_day,
            github=github or {},
            trusted_authserv_id=trusted_authserv_id,
            max_message_kb=max_message_kb,
        )
    )
    path.write_text(text + extra, encoding="utf-8")
    return path


def _tick(
    config: config_module.Config, now: datetime, why: str, say: Callable[[str], None]
) -> None:
    summary = run_tick(config, now)
    say(f"tick at {now:%b %d %H:%M %Z} ({why}): " + "; ".join(summary.lines()))
    for _, recipient, subject in summary.queued:
        say(f"    -> {recipient}: {subject}")


def _act(stack: MailStack, step: Step, say: Callable[[str], None]) -> None:
    when = INVITE_AT + timedelta(minutes=step.minutes)
    name = next((n for n, a in PEOPLE if a == step.who), "A stranger")
    sender = (name, step.who)
    if step.how == "stranger":
        raw = participants.new_message(sender, ORGANIZER, "Roundtable", step.text, when)
        say(f"  {when:%b %d %H:%M} {step.who} (not invited) writes: {step.text!r}")
    else:
        invitation = participants.invitation_in(stack.messages(step.who))
        if step.how == "accept":
            raw = participants.calendar_reply(invitation, sender, "ACCEPTED", when)
            say(f"  {when:%b %d %H:%M} {step.who} clicks Accept in Outlook")
        elif step.how == "away":
            raw = participants.out_of_office(invitation, sender, when)
            say(f"  {when:%b %d %H:%M} {step.who}'s out-of-office answers")
        else:
            raw = participants.written_reply(invitation, sender, step.text, when)
            say(f"  {when:%b %d %H:%M} {step.who} replies: {step.text.splitlines()[0]!r}")
    stack.deliver(ORGANIZER, raw, when)


NOTES = """# Notes from the roundtable

## Deploying on Fridays
- Feature flags turn a Friday deploy into a non-event; the rollback must be one click.

## Measuring velocity
- Cycle time beats story points: measure from first commit to production.
"""
TAKEAWAY = Step(
    0, "grace@cobol.test", "text", "Takeaway: Pair every new hire with on-call from week two."
)


def _after_the_meeting(
    stack: MailStack, config: config_module.Config, out: Path, say: Callable[[str], None]
) -> None:
    """The takeaways: the organizer's notes, an attendee's email, the draft, APPROVE, the digest."""
    ends = STARTS + timedelta(minutes=75)
    notes = config.takeaways.notes_dir / f"{EVENT_ID}.md"
    notes.parent.mkdir(parents=True, exist_ok=True)
    notes.write_text(NOTES, encoding="utf-8")
    say(f"  the organizer writes their notes in {notes.name}")
    _act(stack, replace(TAKEAWAY, minutes=int((ends - INVITE_AT).total_seconds() // 60) + 30), say)
    draft_at = ends + config.takeaways.digest_after
    _tick(config, draft_at, "a day after the meeting: the draft", say)
    draft = next(
        m
        for m in reversed(participants.read(stack.messages(ORGANIZER)))
        if str(m["Subject"]).startswith("Draft for your approval")
    )
    when = draft_at + timedelta(hours=2)
    stack.deliver(
        ORGANIZER,
        participants.written_reply(draft, ("Roundtable organizer", ORGANIZER), "APPROVE", when),
        when,
    )
    say(f"  {when:%b %d %H:%M} the organizer replies APPROVE")
    _tick(config, when + timedelta(minutes=5), "the digest goes out", say)


def _write_emails(store: Store, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    rows = store.raw_outbox()
    for n, row in enumerate(rows, 1):
        person = re.sub(r"[^a-z0-9]+", "-", row["recipient"].partition("@")[0].lower())
        (folder / f"{n:02d}-{row['kind']}-{person}.eml").write_bytes(row["raw"])
    return len(rows)
