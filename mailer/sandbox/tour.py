"""`mailer sandbox`: the whole story on loopback with no accounts, as a tour for a new organizer.

Starts pymap (IMAP), aiosmtpd (SMTP) and the GitHub-shaped server on 127.0.0.1, writes a config
for them and twenty example people (people.py), plays a month through the product with explicit
times (story.py: invitations, a rush of replies, the line, a cancellation and a promotion, GitHub
access, the Zoom details and an objection to the recording, reminders, the takeaways and the
digest), shows the roster, builds the archive, then runs the real worker for a few seconds and
times one answer under IMAP IDLE (live.py). Every email the product sent is left as an .eml file.

`write_config` and the names the tests import from here live in loopback.py.
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime
from pathlib import Path

from mailer import config as config_module
from mailer.composing.compose import templates_dir
from mailer.reports import archive, status
from mailer.sandbox.display import Display
from mailer.sandbox.live import run_worker
from mailer.sandbox.loopback import (
    EVENT_ID,
    INVITE_AT,
    ORGANIZER,
    PASSWORD_ENV,
    STARTS,
    ZONE,
    write_config,
)
from mailer.sandbox.people import CAPACITY, LIVE_REPLY, PEOPLE
from mailer.sandbox.story import Month, zones
from mailer.store import Store
from mailer.testing import open_stack
from mailer.testing.github_server import GitHubServer

TOKEN_ENV = "MAILER_SANDBOX_GITHUB_TOKEN"
__all__ = [
    "EVENT_ID",
    "INVITE_AT",
    "ORGANIZER",
    "PASSWORD_ENV",
    "STARTS",
    "ZONE",
    "run",
    "write_config",
]
# The worker's part: next month's invitations are due the Monday after the digest.
NEXT_INVITE_AT = datetime(2026, 12, 14, 9, 0, tzinfo=ZONE)
MONTH_DAYS = 28
# What the seated get besides answers (the link, only for them, two days before; the recording
# notice), and next month's roundtable, which the real worker invites to.
MEETING = """
[zoom]
join_url = "https://zoom.example/j/5550001234"
meeting_id = "555 000 1234"
passcode = "lean-coffee"
send_details_before = "2d"

[recording]
enabled = true
purpose = "to summarise the outcome of the discussion afterwards"

[github]
repo = "{repo}"
api_url = "{api_url}"
token_env = "{token_env}"

[[events]]
id = "2027-01-hiring"
title = "Peer-to-peer roundtable: Hiring"
theme = "Hiring"
starts = "2027-01-14T12:00:00"
timezone = "America/New_York"
duration_minutes = 75
capacity = 12
invite_at = "{next_invite_at}"
description = "Finding, interviewing and keeping the engineers a team needs."
"""
START_FOR_REAL = """Start for real, with your own mailbox:
  mailer init ~/roundtable                  a commented config.toml and the email templates to make your own
  mailer -c ~/roundtable/config.toml check  validates it and logs in to SMTP, IMAP and GitHub, one line each
  mailer -c ~/roundtable/config.toml run    the worker: leave it running (deploy/ has a systemd unit and a Dockerfile)"""


def run(out: Path, display: Display | None = None) -> float:
    """Run the tour, leaving config.toml, mailer.db, emails/*.eml and archive/ in `out`; the
    latency of the real worker's answer in seconds."""
    started = time.perf_counter()
    _clean(out)
    display = display or Display(MONTH_DAYS)
    users = {ORGANIZER: "organizer-pw", **{p.address: f"pw-{n}" for n, p in enumerate(PEOPLE)}}
    with (
        open_stack("pymap", users) as stack,
        GitHubServer("roundtable/topics", users=[p.login for p in PEOPLE]) as hub,
    ):
        os.environ[TOKEN_ENV] = hub.token
        try:
            config_path = write_config(
                stack,
                out,
                [(p.name, p.address) for p in PEOPLE],
                extra=MEETING.format(
                    repo=hub.repo,
                    api_url=hub.api_url,
                    token_env=TOKEN_ENV,
                    next_invite_at=NEXT_INVITE_AT.replace(tzinfo=None).isoformat(),
                ),
                github={p.address: p.login for p in PEOPLE},
                zones=zones(),
            )
            config = config_module.load(config_path)
            display.say(
                f"On 127.0.0.1: IMAP {stack.imap_port} (pymap), SMTP {stack.smtp_port} (aiosmtpd), "
                f"GitHub {hub.api_url} ({hub.repo}); {len(PEOPLE)} invitees, {CAPACITY} seats"
            )
            with display:
                Month(stack, hub, config, ORGANIZER, INVITE_AT, display).play()
                display.day(MONTH_DAYS, "the month is over")
            _roster(config, display)
            display.heading("A few seconds of the real worker")
            measured = run_worker(
                stack,
                config_path,
                ORGANIZER,
                NEXT_INVITE_AT,
                [p.address for p in PEOPLE],
                LIVE_REPLY,
                display,
            )
        finally:
            os.environ.pop(TOKEN_ENV, None)
    display.say(
        f"answered in {measured.seconds:.2f} s under IMAP IDLE: {measured.subject!r}", "bold green"
    )
    display.say(f"SIGTERM: the worker finished the email in hand and exited {measured.exit_status}")
    _files(config, out, display)
    display.say(START_FOR_REAL)
    display.say(f"\nThe whole tour took {time.perf_counter() - started:.1f} s.", "bold")
    return measured.seconds


def _clean(out: Path) -> None:
    """Leftovers of an earlier tour, so the counts and files are this run's alone."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in [
        *(out / f"mailer.db{tail}" for tail in ("", "-wal", "-shm", ".worker")),
        out / "worker.log",
        *out.glob("emails/*.eml"),
    ]:
        stale.unlink(missing_ok=True)


def _roster(config: config_module.Config, display: Display) -> None:
    store = Store(config.database)
    try:
        data = status.report(config, store, EVENT_ID)
    finally:
        store.close()
    display.roster(data["events"][0], zones())
    waiting = data["unmatched"] + data["notices"]
    display.say(
        f"{len(waiting)} message(s) need the organizer (mailer status lists them); all mail is kept."
    )


def _files(config: config_module.Config, out: Path, display: Display) -> None:
    store = Store(config.database)
    try:
        written = _write_emails(store, out / "emails")
        archive.build(store, out / "archive", templates_dir(config))
    finally:
        store.close()
    display.heading("Where everything is")
    display.lines(
        [
            f"{written} emails the product sent: {out / 'emails'} (open them in any mail program)",
            f"the takeaways archive: {out / 'archive' / 'index.html'} (or search.html#q=flags)",
            f"the worker's log: {out / 'worker.log'}",
            f"the roster again: mailer -c {out / 'config.toml'} status",
            "",
        ]
    )


def _write_emails(store: Store, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    rows = store.raw_outbox()
    for n, row in enumerate(rows, 1):
        person = re.sub(r"[^a-z0-9]+", "-", row["recipient"].partition("@")[0].lower())
        (folder / f"{n:03d}-{row['kind']}-{person}.eml").write_bytes(row["raw"])
    return len(rows)
