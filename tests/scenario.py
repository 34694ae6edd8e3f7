"""A roundtable on a real loopback mail stack, driven the way the organizer and participants drive it.

The organizer runs `mailer tick --now ...` and `mailer status --json` (through the real CLI);
participants read what reached their own mailbox and reply as their mail clients would.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from mailer.cli import main
from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER, ZONE, write_config
from mailer.store import Store
from mailer.testing import MailStack
from mailer.testing.github_server import GitHubServer

# A timeline in the past: Dovecot stores an APPEND date that lies in the future as "now", which
# would reorder the replies; `--now` makes the past as good as any other time for the product.
T0 = datetime(2025, 10, 6, 9, 0, tzinfo=ZONE)
STARTS = datetime(2025, 10, 23, 12, 0, tzinfo=ZONE)


GITHUB_TOKEN_ENV = "MAILER_TEST_GITHUB_TOKEN"


@contextmanager
def github_board(logins: Iterable[str]) -> Iterator[GitHubServer]:
    """A GitHub-shaped server whose repository is a roundtable's board, its token in the
    environment variable `board_config` names."""
    with GitHubServer("roundtable/topics", users=list(logins)) as server:
        os.environ[GITHUB_TOKEN_ENV] = server.token
        try:
            yield server
        finally:
            os.environ.pop(GITHUB_TOKEN_ENV, None)


def board_config(hub: GitHubServer) -> str:
    """The [github] table pointing a roundtable at `hub`."""
    return (
        f'\n[github]\nrepo = "{hub.repo}"\napi_url = "{hub.api_url}"\n'
        f'token_env = "{GITHUB_TOKEN_ENV}"\n'
    )


def person(n: int) -> tuple[str, str]:
    return (f"Person {n:03d}", f"p{n:03d}@guests.test")


class Roundtable:
    """One event with `people` invitees and `capacity` seats on `stack`; files in `folder`."""

    def __init__(
        self, stack: MailStack, folder: Path, people: int = 5, capacity: int = 3, **config: Any
    ) -> None:
        self.stack = stack
        self.people = [person(n) for n in range(1, people + 1)]
        for address, password in [
            *((a, "pw") for _, a in self.people),
            (ORGANIZER, "organizer-pw"),
        ]:
            if stack.user(address) is None:
                stack.add_user(address, password)
        config.setdefault("invite_at", T0)
        config.setdefault("starts", STARTS)
        self.config_path = write_config(stack, folder, self.people, capacity=capacity, **config)

    def address(self, n: int) -> str:
        return self.people[n - 1][1]

    def run(self, *args: str, expect: int = 0) -> str:
        result = CliRunner().invoke(main, ["-c", str(self.config_path), *args])
        assert result.exit_code == expect, result.output + repr(result.exception)
        return result.output

    def tick(self, minutes: float = 0, expect: int = 0) -> str:
        """`mailer tick --now T0+minutes`; `expect` 1 when a server is meant to refuse something."""
        return self.run(
            "tick", "--now", (T0 + timedelta(minutes=minutes)).isoformat(), expect=expect
        )

    def status(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.run("status", "--json"))
        return data

    def states(self) -> dict[str, tuple[str, int | None]]:
        """email -> (state, position) for the event."""
        return {
            a["email"]: (a["state"], a["position"]) for a in self.status()["events"][0]["attendees"]
        }

    def inbox(self, n: int) -> list[EmailMessage]:
        raws = self.stack.messages(self.address(n))
        return [email.message_from_bytes(r, policy=email.policy.default) for r in raws]  # type: ignore[misc]

    def subjects(self, n: int) -> list[str]:
        return [str(m["Subject"]) for m in self.inbox(n)]

    def _deliver(self, raw: bytes, minutes: float) -> None:
        self.stack.deliver(ORGANIZER, raw, T0 + timedelta(minutes=minutes))

    def _invitation(self, n: int) -> EmailMessage:
        return participants.invitation_in(self.stack.messages(self.address(n)))

    def reply(self, n: int, text: str, minutes: float) -> None:
        """Participant n answers their invitation in words."""
        when = T0 + timedelta(minutes=minutes)
        self._deliver(
            participants.written_reply(self._invitation(n), self.people[n - 1], text, when), minutes
        )

    def calendar(self, n: int, partstat: str, minutes: float) -> None:
        """Participant n clicks Accept / Decline / Tentative in their calendar."""
        when = T0 + timedelta(minutes=minutes)
        self._deliver(
            participants.calendar_reply(self._invitation(n), self.people[n - 1], partstat, when),
            minutes,
        )

    def away(self, n: int, minutes: float) -> None:
        """Participant n's vacation responder answers."""
        when = T0 + timedelta(minutes=minutes)
        self._deliver(
            participants.out_of_office(self._invitation(n), self.people[n - 1], when), minutes
        )

    def stranger(self, text: str, minutes: float) -> None:
        when = T0 + timedelta(minutes=minutes)
        self._deliver(
            participants.new_message(
                ("Someone", "someone@elsewhere.test"), ORGANIZER, "Roundtable", text, when
            ),
            minutes,
        )

    def raw(self, raw: bytes, minutes: float) -> None:
        self._deliver(raw, minutes)

    def outbox(self) -> list[dict[str, Any]]:
        store = Store(self.config_path.parent / "mailer.db")
        try:
            return store.outbox()
        finally:
            store.close()

    def organizer_inbox_size(self) -> int:
        """Messages in the organizer's mailbox from others (not the mailer's own summaries)."""
        messages = [
            email.message_from_bytes(r, policy=email.policy.default)
            for r in self.stack.messages(ORGANIZER)
        ]
        return sum(1 for m in messages if ORGANIZER not in str(m["From"]))

    def organizer_subjects(self) -> list[str]:
        """Subjects of the mailer's own emails to the organizer, in order."""
        messages = [
            email.message_from_bytes(r, policy=email.policy.default)
            for r in self.stack.messages(ORGANIZER)
        ]
        return [str(m["Subject"]) for m in messages if ORGANIZER in str(m["From"])]


def at(moment: datetime) -> float:
    """Minutes after the invitations for an absolute time."""
    return (moment - T0).total_seconds() / 60
