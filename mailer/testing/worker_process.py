"""`mailer run` as a real process, for the tests and the benchmarks: start, read its log, stop.

Owns `WorkerProcess` (the subprocess, its JSON log in a file, waiting on a condition with a
deadline) and `answer`, a participant's reply delivered into the organizer's INBOX as their
mail client would send it. Waiting polls with a deadline; nothing here sleeps a fixed time.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from mailer import clock
from mailer.sandbox import participants
from mailer.sandbox.loopback import ORGANIZER, write_config

from .stack import MailStack

T = TypeVar("T")


def wait_until(check: Callable[[], T], seconds: float, what: str, step: float = 0.02) -> T:
    """Poll `check` until it returns something true; an AssertionError naming `what` at the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(step)  # polling another process, bounded by the deadline


class WorkerProcess:
    """`python -m mailer -c CONFIG run --log-format json ARGS`, its log in `log_path`."""

    def __init__(
        self,
        config: Path,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.log_path = log_path or config.with_name(f"worker-{time.monotonic_ns()}.log")
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mailer",
                "-c",
                str(config),
                "run",
                "--log-format",
                "json",
                *args,
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def events(self, name: str = "") -> list[dict[str, Any]]:
        """The log's JSON objects (optionally only those of event `name`), in order."""
        found = []
        for line in self.text().splitlines():
            with contextlib.suppress(ValueError):
                data = json.loads(line)
                if isinstance(data, dict) and (not name or data.get("event") == name):
                    found.append(data)
        return found

    def wait_event(self, name: str, seconds: float = 10.0, count: int = 1) -> list[dict[str, Any]]:
        """Wait until the log holds `count` events called `name`; fails early if the worker died."""

        def seen() -> list[dict[str, Any]]:
            if self.proc.poll() is not None:
                raise AssertionError(f"the worker exited ({self.proc.returncode}):\n{self.text()}")
            found = self.events(name)
            return found if len(found) >= count else []

        return wait_until(seen, seconds, f"{count} {name!r} event(s) in the log:\n{self.text()}")

    def stop(self, sig: int = signal.SIGTERM, seconds: float = 15.0) -> int:
        """Send `sig` and wait for the exit status (killed if it does not end in time)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the worker did not stop within {seconds} s") from None
        finally:
            self._log.close()


def answer(stack: MailStack, organizer: str, person: tuple[str, str], text: str) -> None:
    """`person` (name, address) answers their invitation in words; delivered by IMAP APPEND."""
    invitation = participants.invitation_in(stack.messages(person[1]))
    raw = participants.written_reply(invitation, person, text, clock.now())
    stack.deliver(organizer, raw)


def crowd_config(
    stack: MailStack, folder: Path, count: int, invite_at: datetime, starts: datetime
) -> tuple[list[tuple[str, str]], Path]:
    """`count` invitees (name, address) with mailboxes on `stack`, and a config.toml for them."""
    crowd = [(f"Person {n:03d}", f"p{n:03d}@guests.test") for n in range(1, count + 1)]
    for _, address in crowd:
        stack.add_user(address, "guest-pw")
    if stack.user(ORGANIZER) is None:
        stack.add_user(ORGANIZER, "organizer-pw")
    config = write_config(stack, folder, crowd, capacity=12, invite_at=invite_at, starts=starts)
    return crowd, config
