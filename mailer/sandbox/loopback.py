"""A config.toml for servers on loopback, shared by the tour, the tests and the benchmarks:
the organizer's mailbox, the tour's event and its times, `write_config`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mailer.composing.compose import environment, templates_dir
from mailer.sandbox.people import CAPACITY
from mailer.testing import MailStack

ORGANIZER = "rsvp@roundtable.test"
PASSWORD_ENV = "MAILER_SANDBOX_PASSWORD"
EVENT_ID = "2026-12-velocity"
ZONE = ZoneInfo("America/New_York")
INVITE_AT = datetime(2026, 11, 16, 9, 0, tzinfo=ZONE)
STARTS = datetime(2026, 12, 10, 12, 0, tzinfo=ZONE)


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
    zones: Mapping[str, str] | None = None,
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
            zones=zones or {},
            trusted_authserv_id=trusted_authserv_id,
            max_message_kb=max_message_kb,
        )
    )
    path.write_text(text + extra, encoding="utf-8")
    return path
