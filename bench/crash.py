"""Benchmark: `mailer tick` SIGKILLed at seeded random moments, with and without a Sent copy.

Prints a table. Each mode runs the crash harness (mailer/testing/crash.py) `--runs` times with
`--kills` kills each, over invitations to `--people` people and a burst of their replies; about
half the kills land inside the window between the SMTP server's 250 and our commit (the server
holds its 250 and the tick is killed meanwhile), the others at a random point of the tick. Every
figure is read from what the servers hold.

Run: .venv/bin/python bench/crash.py [--runs 4] [--kills 20] [--people 30] [--backend dovecot|pymap]
Aims: with a Sent copy, 0 duplicates; without, duplicates only as exact resends (same Message-ID,
same bytes), at most one per kill; 0 losses and the right seats in both.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from mailer.testing import available_backends, open_stack
from mailer.testing.crash import Verdict, run

COLUMNS = (
    "mode",
    "runs",
    "kills",
    "in 250 window",
    "emails",
    "duplicates",
    "exact resends",
    "double decisions",
    "losses",
    "seats right",
    "seconds",
)


def mode(backend: str, sent_copy: bool, args: argparse.Namespace) -> list[str]:
    verdicts: list[Verdict] = []
    started = time.perf_counter()
    for n in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp, open_stack(backend) as stack:
            verdict = run(
                stack,
                Path(tmp),
                seed=args.seed + n,
                kills=args.kills,
                people=args.people,
                capacity=args.capacity,
                sent_copy=sent_copy,
            )
        verdicts.append(verdict)
        for note in verdict.notes:
            print(
                f"  run {n} ({'with' if sent_copy else 'without'} Sent copy): {note}",
                file=sys.stderr,
            )
    return [
        "with Sent copy" if sent_copy else "without Sent copy",
        str(args.runs),
        str(sum(v.kills for v in verdicts)),
        str(sum(v.window_kills for v in verdicts)),
        str(sum(v.emails for v in verdicts)),
        str(sum(v.duplicates for v in verdicts)),
        str(sum(v.exact_resends for v in verdicts)),
        str(sum(v.double_decisions for v in verdicts)),
        str(sum(v.losses for v in verdicts)),
        f"{sum(v.seats_ok for v in verdicts)}/{args.runs}",
        f"{time.perf_counter() - started:.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4, help="harness runs per mode")
    parser.add_argument("--kills", type=int, default=20, help="kills per run")
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--capacity", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--backend", default="", help="dovecot or pymap (default: Dovecot where it runs)"
    )
    args = parser.parse_args()
    backend = args.backend or next(name for name, why in available_backends().items() if not why)
    print(
        f"machine: {os.cpu_count()} cores; IMAP server: {backend}; Python {sys.version.split()[0]}; "
        f"{args.runs} run(s) x {args.kills} kills per mode, {args.people} people, "
        f"{args.capacity} seats, seeds {args.seed}..{args.seed + args.runs - 1}"
    )
    rows = [list(COLUMNS), *(mode(backend, sent, args) for sent in (True, False))]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for n, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))


if __name__ == "__main__":
    main()
