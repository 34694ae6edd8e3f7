"""The README's pictures of the archive, made from a seeded store in headless chromium.

Builds the archive of the three seeded meetings (mailer/testing/archive_seed.py) in a temporary
folder, then writes docs/archive-index.png (desktop, 1280 px) and docs/archive-meeting-phone.png
(a meeting page at phone width, 390 px, at 2x for a sharp picture), and docs/digest-phone.png (the
digest email of the newest meeting as an attendee's phone shows it), docs/seat-email-phone.png (the
seat email, as `mailer preview seated` renders it for the example config.toml), and prints a table.

Run: .venv/bin/python bench/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from mailer.composing import compose
from mailer.config import Event, load
from mailer.decisions import takeaways
from mailer.reports import archive, preview
from mailer.store import Store
from mailer.testing import browser
from mailer.testing.archive_seed import seed

# file name, page, width, height (CSS pixels), scale
SHOTS = [
    ("archive-index.png", "index.html", 1280, 900, 1.0),
    ("archive-meeting-phone.png", "meetings/2026-12-velocity.html", 390, 844, 2.0),
    ("digest-phone.png", "digest.html", 390, 844, 2.0),
    ("seat-email-phone.png", "seat.html", 390, 960, 2.0),
]
ROOT = Path(__file__).resolve().parents[1]


def _digest_html(store: Store) -> str:
    """The digest email's HTML for the newest seeded meeting, as an attendee gets it."""
    held = store.meetings()[0]
    event = Event(
        held["event"], "Peer-to-peer roundtable", held["theme"], held["starts"], 75, 12, None
    )
    later = Event(
        "2027-02",
        "Peer-to-peer roundtable",
        "Engineering KPIs",
        held["starts"] + timedelta(days=56),
        75,
        12,
        None,
    )
    digest = takeaways.content(
        event, store.meeting_topics(event.id), store.takeaways(event.id), later
    )
    env = compose.environment(compose.templates_dir())
    return env.get_template("participant/digest.html.j2").render(
        event=event,
        when=compose.when(event),
        organizer={"name": "Roundtable organizer", "email": "rsvp@roundtable.example"},
        first_name="Ada",
        digest=digest,
    )


def _seat_html() -> str:
    """The seat email of the example config, a fortnight before its meeting."""
    config = load(ROOT / "config.toml")
    event = config.events[0]
    invitee = config.invitees[0]
    return preview.render(config, "seated", event, invitee, event.starts - timedelta(days=14)).html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-shots-") as folder:
        store = Store(Path(folder) / "m.db")
        seed(store)
        archive.build(store, Path(folder) / "site")
        (Path(folder) / "site" / "digest.html").write_text(_digest_html(store), encoding="utf-8")
        (Path(folder) / "site" / "seat.html").write_text(_seat_html(), encoding="utf-8")
        store.close()
        print(f"{'file':<28} {'page':<34} {'size':>10} {'KB':>6} {'s':>5}")
        for name, page, width, height, scale in SHOTS:
            started = time.perf_counter()
            png = browser.screenshot(
                Path(folder) / "site" / page, args.out / name, width, height, scale
            )
            took = time.perf_counter() - started
            size = f"{width}x{height}@{scale:g}"
            print(f"{name:<28} {page:<34} {size:>10} {png.stat().st_size // 1024:>6} {took:>5.1f}")


if __name__ == "__main__":
    main()
