"""A few seconds of the real worker at the end of the tour: `mailer run` as a subprocess against
the tour's loopback servers, its clock moved (MAILER_CLOCK) to the morning next month's
invitations are due. It invites everyone, waits in IMAP IDLE; one reply is delivered and the
time until the answer reaches the SMTP server is measured; SIGTERM stops it.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from mailer.clock import CLOCK_ENV
from mailer.errors import MailerError
from mailer.sandbox import participants
from mailer.sandbox.display import Display
from mailer.testing import MailStack
from mailer.testing.worker_process import WorkerProcess, wait_until


@dataclass(frozen=True)
class Measured:
    """What the live part saw: the answer's latency, its subject, the worker's exit status."""

    seconds: float
    subject: str
    exit_status: int


def run_worker(
    stack: MailStack,
    config: Path,
    organizer: str,
    at: datetime,
    invitees: list[str],
    reply: tuple[tuple[str, str], str],
    display: Display,
) -> Measured:
    """Start `mailer run` with its clock at `at`, let it invite `invitees`, time one answer."""
    sender, text = reply
    before = {a: _received(stack, a) for a in invitees}
    started = time.monotonic()
    worker = WorkerProcess(
        config,
        ["--verbose"],
        env={CLOCK_ENV: at.isoformat()},
        log_path=config.with_name("worker.log"),
    )
    try:
        wait_until(
            lambda: all(_received(stack, a) > n for a, n in before.items()),
            30,
            "the worker's invitations for next month",
        )
        worker.wait_event("idle", 15)
        display.say(
            f"`mailer run` (pid {worker.pid}) sent next month's {len(invitees)} invitations "
            f"{time.monotonic() - started:.1f} s after it started, and waits in IMAP IDLE"
        )
        answered = _received(stack, sender[1])
        invitation = participants.invitation_in(stack.messages(sender[1]))
        when = at + timedelta(seconds=time.monotonic() - started)
        raw = participants.written_reply(invitation, sender, text, when)
        display.say(f"{sender[0]} replies: {text!r}", "dim")
        delivered = time.perf_counter()
        stack.deliver(organizer, raw, when)
        wait_until(lambda: _received(stack, sender[1]) > answered, 15, "the worker's answer")
        seconds = time.perf_counter() - delivered
    except AssertionError as exc:  # a deadline passed: say which, and where the worker's log is
        first = str(exc).splitlines()[0]
        raise MailerError(
            f"the tour's worker: {first}. Fix: read {worker.log_path}, then run ./scripts/demo again"
        ) from None
    finally:
        status = worker.stop(signal.SIGTERM)
    subject = str(participants.read(stack.messages(sender[1]))[-1]["Subject"])
    return Measured(seconds, subject, status)


def _received(stack: MailStack, address: str) -> int:
    """Emails the SMTP server accepted for `address` so far."""
    return sum(1 for _, to, _ in list(stack.smtp.envelopes) if address in to)
