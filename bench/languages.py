"""Accuracy of reading replies in each language: the multilingual set, per language and category.

Classifies every reply of `tests/replies/languages.tsv` (hand-written in English, German, French,
Spanish, Italian, Portuguese, Dutch, Polish, Czech and Japanese, and a few mixing two) and prints
how many read as a person would, per language and per category, then the ones that did not. A
reply reads right when its outcome (yes, no, maybe, weak, unclear, auto) and its recording consent
(object, withdraw or nothing) are both the expected ones. "unsafe" counts the replies that would
take or free a seat wrongly; it must stay 0.

Run: .venv/bin/python bench/languages.py [--set languages.tsv] [--misses]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from mailer.reading.classify import classify
from mailer.testing.replies import Case, cases, outcome, safe


def _read(case: Case) -> tuple[str, str]:
    reply = classify(case.raw)
    return outcome(reply), reply.consent or ""


def _table(title: str, tally: dict[str, list[int]]) -> None:
    print(f"\n{title:18} {'right':>9} {'%':>6} {'unsafe':>7}")
    for key in sorted(tally):
        right, total, unsafe = tally[key]
        print(f"{key:18} {right:4}/{total:<4} {100 * right / total:6.1f} {unsafe:7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="languages.tsv", help="a file in tests/replies/")
    parser.add_argument("--misses", action="store_true", help="list every reply read wrongly")
    args = parser.parse_args()
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    start = time.perf_counter()
    all_cases = cases(args.set)
    for case in all_cases:
        got, consent = _read(case)
        right = got == case.expected and consent == case.consent
        unsafe = not safe(case.expected, got)
        for tally in (by_lang[case.lang], by_lang["all"], by_category[case.category]):
            tally[0] += right
            tally[1] += 1
            tally[2] += unsafe
        if not right:
            wanted = f"{case.expected}{'+' + case.consent if case.consent else ''}"
            found = f"{got}{'+' + consent if consent else ''}"
            misses.append(f"  {case.label!r}: expected {wanted}, got {found}")
    elapsed = (time.perf_counter() - start) * 1000 / max(len(all_cases), 1)
    _table("language", by_lang)
    _table("category", by_category)
    print(f"\n{len(all_cases)} replies, {elapsed:.2f} ms each on average")
    if args.misses and misses:
        print("\nread wrongly:\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
