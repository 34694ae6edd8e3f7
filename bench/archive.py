"""Benchmark: building the archive and searching it, by the number of meetings held.

Seeds a store with N meetings (5 topics, 8 takeaways each: 40 a meeting), then times a first
`archive build` (every file written), a second one (nothing changed, nothing written) and
`archive search` of one word; prints the site's size and its search index's size.

Run: .venv/bin/python bench/archive.py [--meetings 10,50,200]
Aim: a build of 200 meetings (eight years of a six-weekly meeting) in a few seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailer.model import Takeaway
from mailer.reports import archive
from mailer.store import Store

WORDS = [
    "deploy",
    "review",
    "hiring",
    "incident",
    "metrics",
    "flags",
    "onboarding",
    "budget",
    "latency",
    "roadmap",
]


def seed(store: Store, meetings: int) -> None:
    start = datetime(2020, 1, 9, 16, 0, tzinfo=UTC)
    with store.db.conn:
        for m in range(meetings):
            event, starts = f"m{m:04d}", start + timedelta(weeks=6 * m)
            theme = f"Theme {m % 12}"
            store.save_meeting(event, f"Roundtable: {theme}", theme, starts, "Europe/Prague")
            topics = [
                {
                    "number": m * 10 + t,
                    "title": f"Topic {t} on {WORDS[t]}",
                    "url": f"https://x/{m * 10 + t}",
                    "votes": 9 - t,
                    "sponsors": "ada",
                    "author": "ada",
                }
                for t in range(5)
            ]
            store.save_meeting_topics(event, topics)
            for t in range(5):
                for k in range(8):
                    text = f"Takeaway {k} about {WORDS[(m + t + k) % len(WORDS)]} and {WORDS[k]}: keep it small."
                    said = Takeaway(
                        event,
                        text,
                        f"Person {k}",
                        f"p{k}@x",
                        "comment",
                        f"https://x/{m}/{t}/{k}",
                        topics[t]["title"],
                        m * 10 + t,
                    )
                    store.add_takeaway(said, starts)


def timed(run: Callable[..., object], *arguments: object) -> float:
    started = time.perf_counter()
    run(*arguments)
    return time.perf_counter() - started


def measure(count: int) -> str:
    """One row of the table: the archive of `count` meetings built twice and searched."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "m.db")
        seed(store, count)
        out = Path(folder) / "site"
        first = timed(archive.build, store, out)
        again = timed(archive.build, store, out)
        search = timed(archive.search, store, "deploy review")
        store.close()
        files = [p for p in out.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files) // 1024
        index = (out / "search-index.js").stat().st_size // 1024
    return f"{count:>8} {count * 40:>9} {first:>8.2f} {again:>8.2f} {search * 1000:>9.1f} {len(files):>6} {size:>8} {index:>8}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", default="10,50,200")
    args = parser.parse_args()
    print(
        f"{'meetings':>8} {'takeaways':>9} {'build s':>8} {'again s':>8} {'search ms':>9} {'files':>6} {'site KB':>8} {'index KB':>8}"
    )
    for count in args.meetings.split(","):
        print(measure(int(count)))


if __name__ == "__main__":
    main()
