"""Benchmark: a burst of replies handled by one tick, and the cost of an idle tick.

Prints a table. (a) 1,000 yeses wait in the organizer's folder; one `mailer tick` (a separate
process, as the organizer runs it) reads, classifies, seats and answers them all. Beside it, the
raw floor measured in the same run over the same servers: fetching those 1,000 messages and sending
1,000 messages of the same size over one SMTP connection, with no logic. (b) An idle tick with 10
and with 10,000 already handled messages in the folder.

Run: .venv/bin/python bench/burst.py [--replies 1000] [--backend dovecot|pymap]
Aims: (a) within 3x of the floor; (b) within 1.5x of each other.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import aiosmtplib
from imapclient import IMAPClient

from mailer import config as config_module
from mailer.runtime import run_tick
from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER, ZONE, write_config
from mailer.store import Store
from mailer.testing import MailStack, available_backends, open_stack

# In the past, as in the tests: Dovecot turns a future APPEND date into "now".
T0 = datetime(2025, 10, 6, 9, 0, tzinfo=ZONE)
STARTS = datetime(2025, 10, 23, 12, 0, tzinfo=ZONE)
CHILD = """
import resource, sys
from mailer.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print("maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def people(count: int) -> list[tuple[str, str]]:
    return [(f"Guest {n:05d}", f"g{n:05d}@guests.test") for n in range(count)]


def setup(stack: MailStack, folder: Path, invitees: list[tuple[str, str]]) -> config_module.Config:
    for _, address in [("", ORGANIZER), *invitees]:
        stack.add_user(address, "pw")
    path = write_config(
        stack, folder, invitees, capacity=12, starts=STARTS, invite_at=T0, answers_per_day=10
    )
    return config_module.load(path)


def tick_in_child(config: config_module.Config, now: datetime) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of `mailer tick` run as its own process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "-c", str(config.path), "tick", "--now", now.isoformat()],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    seconds = time.perf_counter() - started
    rss = int(
        next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("maxrss_kib"))
    )
    return seconds, rss


def floor(stack: MailStack, raws: list[bytes], recipients: list[str]) -> tuple[float, float]:
    """Seconds to fetch every message in the organizer's folder, and to send `raws` with no logic."""
    started = time.perf_counter()
    client = IMAPClient("127.0.0.1", port=stack.imap_port, ssl=False)
    client.login(ORGANIZER, stack.users[ORGANIZER])
    client.select_folder("INBOX", readonly=True)
    uids = client.search(["ALL"])
    for start in range(0, len(uids), 500):
        client.fetch(uids[start : start + 500], ["INTERNALDATE", "BODY.PEEK[]"])
    client.logout()
    fetched = time.perf_counter() - started

    async def send() -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=stack.smtp_port, start_tls=False)
        await smtp.connect()
        for raw, recipient in zip(raws, recipients, strict=True):
            await smtp.sendmail(ORGANIZER, [recipient], raw)
        await smtp.quit()

    started = time.perf_counter()
    asyncio.run(send())
    return fetched, time.perf_counter() - started


def burst(backend: str, replies: int) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp, open_stack(backend) as stack:
        guests = people(replies)
        config = setup(stack, Path(tmp), guests)
        run_tick(config, T0)  # the invitations, not measured
        batch = [
            (
                participants.new_message(
                    guest,
                    ORGANIZER,
                    "Re: roundtable",
                    "Yes, count me in!",
                    T0 + timedelta(seconds=n),
                ),
                T0 + timedelta(seconds=n),
            )
            for n, guest in enumerate(guests)
        ]
        stack.deliver_many(ORGANIZER, batch)
        seconds, rss = tick_in_child(config, T0 + timedelta(hours=2))
        store = Store(config.database)
        answers = [row for row in store.raw_outbox() if row["kind"] != "invitation"]
        seated = sum(1 for row in answers if row["kind"] == "seated")
        store.close()
        fetch_s, send_s = floor(
            stack, [r["raw"] for r in answers], [r["recipient"] for r in answers]
        )
    raw_floor = fetch_s + send_s
    return [
        (
            f"(a) one tick, {replies} replies ({len(answers)} answers sent, {seated} seated)",
            f"{seconds:.2f} s",
        ),
        ("    peak memory of that tick (RSS)", f"{rss / 1024:.0f} MiB"),
        (f"    floor: fetch {replies} messages", f"{fetch_s:.2f} s"),
        (f"    floor: send {len(answers)} messages, one connection", f"{send_s:.2f} s"),
        ("    tick / floor (aim: within 3x)", f"{seconds / raw_floor:.2f}x"),
    ]


def idle(backend: str, handled: int, repeats: int = 15) -> float:
    """Median seconds of an idle tick with `handled` messages already handled in the folder."""
    with tempfile.TemporaryDirectory() as tmp, open_stack(backend) as stack:
        config = setup(stack, Path(tmp), people(1))
        run_tick(config, T0)
        stranger = ("Someone", "someone@elsewhere.test")
        batch = [
            (participants.new_message(stranger, ORGANIZER, "hello", f"note {n}", T0), T0)
            for n in range(handled)
        ]
        for start in range(0, handled, 1000):
            stack.deliver_many(ORGANIZER, batch[start : start + 1000])
        run_tick(config, T0 + timedelta(hours=1))  # handles them all
        times = []
        for n in range(repeats):
            started = time.perf_counter()
            run_tick(config, T0 + timedelta(hours=2, minutes=n))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument(
        "--backend", default="", help="dovecot or pymap (default: Dovecot where it runs)"
    )
    args = parser.parse_args()
    backend = args.backend or next(name for name, why in available_backends().items() if not why)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {os.cpu_count()} cores, {memory:.0f} GiB; IMAP server: {backend}; Python {sys.version.split()[0]}"
    )
    rows = burst(backend, args.replies)
    small, large = idle(backend, 10), idle(backend, 10_000)
    rows += [
        ("(b) idle tick, 10 handled messages in the folder", f"{small * 1000:.1f} ms"),
        ("    idle tick, 10,000 handled messages in the folder", f"{large * 1000:.1f} ms"),
        ("    10,000 / 10 (aim: within 1.5x)", f"{large / small:.2f}x"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(
        f"(bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
