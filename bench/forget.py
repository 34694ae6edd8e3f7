"""Benchmark: forgetting one person, by the number of messages stored.

Seeds a store with N decided inbound messages of about 3 KB (one in a hundred from the person
to forget) and as many sent emails, then times `forget` (tombstones, the seat freed, every row
that names them erased, in one commit) and the `settle` that follows (the erasure run again and
the write-ahead log emptied). The erasure reads every stored body once, looking for the address.

Run: .venv/bin/python bench/forget.py [--messages 1000,10000,50000]
Aim: well under a second for a year of a busy roundtable's mail (10,000 messages).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailer.composing import compose
from mailer.config import load
from mailer.model import OutboxKey
from mailer.steps import forget
from mailer.steps.messages import Handler
from mailer.store import Store, stamp

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
FILLER = "Thanks for the invitation, I will see whether I can move my other meeting. " * 40


def seed(store: Store, messages: int, victim: str) -> None:
    with store.db.conn:
        for n in range(messages):
            sender = victim if n % 100 == 0 else f"p{n}@example.com"
            raw = f"From: {sender}\r\nSubject: Re: x\r\n\r\n{FILLER}\r\n".encode()
            store.db.execute(
                """INSERT INTO inbound (uidvalidity, uid, internaldate, message_id, raw, status,
                   sender, outcome) VALUES (1, ?, ?, ?, ?, 'done', ?, 'said yes')""",
                [n + 1, stamp(NOW - timedelta(minutes=n)), f"<{n}@x>", raw, sender],
            )
            key = OutboxKey("e", sender, "seated", n)
            store.queue(key, f"<o{n}@x>", sender, "Seat", raw, NOW, status="sent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", default="1000,10000,50000")
    sizes = [int(n) for n in parser.parse_args().messages.split(",")]
    config = load(ROOT / "config.toml")
    victim = config.invitees[0].email
    env = compose.environment(compose.templates_dir(config))
    print(f"{'messages':>9} {'file MB':>8} {'forget s':>9} {'settle s':>9} {'rows erased':>12}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            store = Store(Path(folder) / "bench.db")
            seed(store, size, victim)
            megabytes = (Path(folder) / "bench.db").stat().st_size / 1e6
            started = time.perf_counter()
            note = forget.forget(Handler(config, store, env, NOW, []), victim, NOW, "command")
            forgot = time.perf_counter() - started
            started = time.perf_counter()
            forget.settle(config, store, None, NOW)
            settled = time.perf_counter() - started
            erased = note.split(": ", 1)[1].split(" ")[0]
            print(f"{size:>9} {megabytes:>8.1f} {forgot:>9.3f} {settled:>9.3f} {erased:>12}")
            store.close()


if __name__ == "__main__":
    main()
