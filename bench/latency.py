"""Benchmark: how long a reply waits for its confirmation under `mailer run`, IDLE against polling.

Prints a table. A real `mailer run` process (default settings, [worker] tick_every "1m") works
against Dovecot and aiosmtpd on loopback. Its first tick invites everyone; then each person's
yes is delivered into the organizer's INBOX (IMAP APPEND) and the time until the confirmation
reaches the SMTP server is measured. With IDLE the replies come one every `--gap` seconds; with
`--no-idle` (the old polling way) they come at random moments over `--window` seconds, so each
waits for the next scheduled tick as a real one would.

Run: .venv/bin/python bench/latency.py [--replies 50] [--window 120] [--skip-polling]
Aims (IDLE): median under 2 s, p95 under 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from mailer import clock
from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER, ZONE
from mailer.testing import MailStack, available_backends, open_stack
from mailer.testing.worker_process import WorkerProcess, crowd_config, wait_until


def sent_to(stack: MailStack) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, recipients, _ in list(stack.smtp.envelopes):
        for address in recipients:
            counts[address] = counts.get(address, 0) + 1
    return counts


def measure(args: list[str], replies: int, schedule: list[float]) -> list[float]:
    """Latencies (s) of `replies` yeses delivered at `schedule` (seconds from the first)."""
    with open_stack("dovecot") as stack, tempfile.TemporaryDirectory() as folder:
        crowd, config = crowd_config(
            stack,
            Path(folder),
            replies,
            invite_at=datetime(2020, 1, 1, 9, 0, tzinfo=ZONE),
            starts=datetime(2099, 1, 1, 12, 0, tzinfo=ZONE),
        )
        worker = WorkerProcess(config, args)
        try:
            wait_until(lambda: len(sent_to(stack)) >= replies, 120, "the invitations", step=0.1)
            raws = [
                participants.written_reply(
                    participants.invitation_in(stack.messages(address)),
                    (name, address),
                    "Yes, I'll be there.",
                    clock.now(),
                )
                for name, address in crowd
            ]
            delivered: dict[str, float] = {}
            answered: dict[str, float] = {}
            start = time.monotonic()
            pending = sorted(zip(schedule, range(replies), strict=True))
            deadline = start + schedule[-1] + 180
            while len(answered) < replies and time.monotonic() < deadline:
                while pending and time.monotonic() - start >= pending[0][0]:
                    _, n = pending.pop(0)
                    stack.deliver(ORGANIZER, raws[n])
                    delivered[crowd[n][1]] = time.monotonic()
                counts = sent_to(stack)
                for address, at in delivered.items():
                    if address not in answered and counts.get(address, 0) >= 2:
                        answered[address] = time.monotonic() - at
                time.sleep(0.005)  # the measuring loop's resolution
        finally:
            worker.stop()
        if len(answered) < replies:
            raise SystemExit(f"only {len(answered)} of {replies} replies were answered")
        return list(answered.values())


def row(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{label:<34} {len(values):>7} {statistics.median(values):>8.2f} {p95:>8.2f} {max(values):>8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=50)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between replies (IDLE)")
    parser.add_argument("--window", type=float, default=120.0, help="polling: replies spread over")
    parser.add_argument("--skip-polling", action="store_true", help="only the IDLE run")
    options = parser.parse_args()
    if available_backends()["dovecot"]:
        raise SystemExit(f"needs Dovecot: {available_backends()['dovecot']}")
    results = [
        (
            "mailer run (IMAP IDLE)",
            measure([], options.replies, [n * options.gap for n in range(options.replies)]),
        )
    ]
    if not options.skip_polling:
        spread = random.Random(13)
        schedule = sorted(spread.uniform(0, options.window) for _ in range(options.replies))
        results.append(
            (
                "mailer run --no-idle (polling, 1m)",
                measure(["--no-idle"], options.replies, schedule),
            )
        )
    print(
        f"reply -> confirmation latency, seconds ({os.cpu_count()} cores, Dovecot + aiosmtpd on loopback)"
    )
    print(f"{'worker':<34} {'replies':>7} {'median':>8} {'p95':>8} {'worst':>8}")
    for label, values in results:
        print(row(label, values))


if __name__ == "__main__":
    main()
