"""Benchmark: the worker's resident memory (RSS) over a week of ticks, on an accelerated clock.

Prints a table. A real `mailer run` process (IDLE on, tick_every "1m") runs against Dovecot and
aiosmtpd on loopback with $MAILER_CLOCK starting at the real now and running SPEED times as fast,
so its week of scheduled ticks (invitations, a rush of yeses, reminders, the meeting) passes in
`--seconds` real seconds. Its RSS is read from /proc once a simulated day, beside the ticks run.

Run: .venv/bin/python bench/memory.py [--people 20] [--seconds 120]
Aim: under 80 MB after the week.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from mailer import clock
from mailer.sandbox.tour import ORGANIZER
from mailer.testing import available_backends, open_stack
from mailer.testing.worker_process import WorkerProcess, answer, crowd_config, wait_until

WEEK = timedelta(days=7)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0, help="real seconds for the week")
    options = parser.parse_args()
    if available_backends()["dovecot"]:
        raise SystemExit(f"needs Dovecot: {available_backends()['dovecot']}")
    speed = WEEK.total_seconds() / options.seconds
    start = clock.now().replace(microsecond=0)
    rows = []
    with open_stack("dovecot") as stack, tempfile.TemporaryDirectory() as folder:
        crowd, config = crowd_config(
            stack,
            Path(folder),
            options.people,
            invite_at=start + timedelta(hours=1),
            starts=start + timedelta(days=5),
        )
        env = {clock.CLOCK_ENV: f"{start.isoformat()}*{speed:.0f}"}
        worker = WorkerProcess(config, ["--verbose"], env=env)
        began = time.monotonic()
        try:
            wait_until(lambda: len(stack.smtp.envelopes) >= options.people, 60, "the invitations")
            for person in crowd:  # the rush of yeses; the waiting line forms
                answer(stack, ORGANIZER, person, "Yes, I'll be there.")
            for day in range(8):
                wait_until(
                    lambda d=day: time.monotonic() - began >= d * options.seconds / 7,
                    options.seconds,
                    f"day {day}",
                    step=0.05,
                )
                rows.append(
                    (day, len(worker.events("tick")), len(stack.smtp.envelopes), rss_mb(worker.pid))
                )
        finally:
            worker.stop()
    print(
        f"worker RSS over a week of ticks at {speed:.0f}x ({os.cpu_count()} cores, Dovecot + aiosmtpd on loopback)"
    )
    print(f"{'day':>3} {'ticks':>7} {'emails':>7} {'RSS MB':>7}")
    for day, ticks, emails, rss in rows:
        print(f"{day:>3} {ticks:>7} {emails:>7} {rss:>7.1f}")


if __name__ == "__main__":
    main()
