"""Our own reply set (tests/replies/): replies written the way people and machines write them.

`written.tsv` holds plain-text replies (lang, category, expected, text) sent as the body of a
reply; `mails.tsv` names .eml files where headers or HTML matter. Each message is classified and
its outcome compared with the expected one; the accuracy per language and per category is
printed (`pytest -s tests/test_reply_set.py`). Seat safety is the hard line: nothing unclear,
off-topic or automatic reads as a strong yes or as a no, and no yes reads as a no or back.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from mailer.reading.classify import classify
from mailer.testing.replies import outcome, safe, wrap

SET = Path(__file__).parent / "replies"


def _rows(name: str) -> list[dict[str, str]]:
    with (SET / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _cases() -> list[tuple[str, str, str, bytes]]:
    """(lang, category, expected, raw message) for every case in the set."""
    cases = [
        (row["lang"], row["category"], row["expected"], wrap(row["text"]))
        for row in _rows("written.tsv")
    ]
    for row in _rows("mails.tsv"):
        raw = (SET / "mails" / row["file"]).read_bytes()
        cases.append((row["lang"], row["category"], row["expected"], raw))
    return cases


CASES = _cases()


def test_reply_set_accuracy_per_language_and_category() -> None:
    """Print the accuracy per language and category; at least 95% of the set reads right."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong: list[str] = []
    for lang, category, expected, raw in CASES:
        got = outcome(classify(raw))
        for key in (f"lang {lang}", f"category {category}", "all"):
            tally[key][0] += got == expected
            tally[key][1] += 1
        if got != expected:
            wrong.append(f"  {lang} {category}: expected {expected}, got {got}: {raw[-80:]!r}")
    print("\nreply set accuracy")
    for key in sorted(tally):
        right, total = tally[key]
        print(f"  {key:22} {right:3}/{total:<3} {100 * right / total:5.1f}%")
    print("\n".join(wrong))
    right, total = tally["all"]
    assert right / total >= 0.95, "\n".join(wrong)


@pytest.mark.parametrize(
    ("lang", "category", "expected", "raw"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_no_reply_in_the_set_takes_or_frees_a_seat_wrongly(
    lang: str, category: str, expected: str, raw: bytes
) -> None:
    """Nothing doubtful reads as a strong yes or a no; no yes reads as a no, nor a no as a yes."""
    got = outcome(classify(raw))
    assert safe(expected, got), f"{lang} {category}: expected {expected}, got {got}"


@pytest.mark.parametrize("category", ["withdrawal", "ooo", "ooo-headers", "warning", "off-topic"])
def test_every_case_of_the_reading_rules_holds(category: str) -> None:
    """Withdrawals are no, out-of-office is automatic, warnings are delays, off-topic unclear."""
    for lang, cat, expected, raw in CASES:
        if cat == category:
            got = outcome(classify(raw))
            assert got == expected or (expected == "unclear" and got == "weak"), (lang, raw[-120:])
