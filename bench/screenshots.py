"""The README's pictures of the archive, made from a seeded store in headless chromium.

Builds the archive of the three seeded meetings (mailer/testing/archive_seed.py) in a temporary
folder, then writes docs/archive-index.png (desktop, 1280 px) and docs/archive-meeting-phone.png
(a meeting page at phone width, 390 px, at 2x for a sharp picture), and prints a table.

Run: .venv/bin/python bench/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from mailer.reports import archive
from mailer.store import Store
from mailer.testing import browser
from mailer.testing.archive_seed import seed

# file name, page, width, height (CSS pixels), scale
SHOTS = [
    ("archive-index.png", "index.html", 1280, 900, 1.0),
    ("archive-meeting-phone.png", "meetings/2026-12-velocity.html", 390, 844, 2.0),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-shots-") as folder:
        store = Store(Path(folder) / "m.db")
        seed(store)
        archive.build(store, Path(folder) / "site")
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
