"""Our hand-written reply sets (tests/replies/*.tsv) as cases, and what a reply means to the seats.

Owns `cases` (one TSV file of replies -> `Case`s, each body wrapped in the headers of a reply to
our invitation), `outcome` (one word for a classified reply) and `safe` (whether an outcome can
neither take nor free a seat wrongly). Shared by the tests and `bench/languages.py`, so that the
figures the bench prints are the ones the tests hold.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from mailer.model import Intent, Kind, Reply

SETS = Path(__file__).resolve().parents[2] / "tests" / "replies"
_HEAD = (
    "From: Invitee <invitee@example.org>\r\nTo: Roundtable <rsvp@roundtable.example.org>\r\n"
    "Subject: Re: Roundtable on 10 December\r\nIn-Reply-To: <invite@roundtable.example.org>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
)
# Outcomes that hold no seat and free none: what anything doubtful must come out as.
SAFE = frozenset({"weak", "maybe", "unclear", "auto", "delay", "bounce", "other"})


@dataclass(frozen=True)
class Case:
    """One reply of a set: its language, category, expected outcome and consent, and its bytes.

    `consent` is "object", "withdraw" or "" (nothing said); `xfail` the reason the rules are not
    expected to read it, or "".
    """

    lang: str
    category: str
    expected: str
    consent: str
    raw: bytes
    xfail: str = ""

    @property
    def label(self) -> str:
        """A short name for the case: language, category and the start of the words."""
        words = self.raw.decode("utf-8").split("\r\n\r\n", 1)[1][:40]
        return f"{self.lang}-{self.category}: {words}"


def wrap(text: str) -> bytes:
    """A reply to our invitation whose plain-text body is `text` ("\\n" written as two chars)."""
    return (_HEAD + text.replace("\\n", "\r\n")).encode("utf-8")


def cases(name: str) -> list[Case]:
    """The cases of one set file in `tests/replies/` (columns lang, category, expected, text...)."""
    with (SETS / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Case(
            row["lang"],
            row["category"],
            row["expected"],
            row.get("consent") or "",
            wrap(row["text"]),
            row.get("xfail") or "",
        )
        for row in rows
    ]


def outcome(reply: Reply) -> str:
    """One word for what a reply means to the seats."""
    if reply.kind is Kind.AUTOMATIC:
        return "auto"
    if reply.kind is Kind.BOUNCE:
        return "bounce" if reply.permanent else "delay"
    if reply.kind not in (Kind.WRITTEN, Kind.CALENDAR):
        return "other"
    if reply.intent is Intent.YES and reply.weak:
        return "weak"
    return (reply.intent or Intent.UNCLEAR).value


def safe(expected: str, got: str) -> bool:
    """Whether an outcome is safe for the seats: no false seat and no false free."""
    if expected in SAFE:
        return got in SAFE
    return got in SAFE or got == expected
