"""The organizer's summary: one email covering the notices since the last one."""

from __future__ import annotations

from mailer.decisions.organizer import summary


def notice(n: int, kind: str = "unmatched") -> dict[str, object]:
    return {"id": n, "kind": kind, "sender": f"s{n}@x.test", "subject": "", "reason": f"reason {n}"}


def test_no_news_no_summary() -> None:
    """Nothing new needs a person: no email."""
    assert summary([]) is None


def test_summary_key_carries_the_newest_notice() -> None:
    """The key names the newest notice covered, so a repeated tick proposes the same email."""
    outgoing = summary([notice(3), notice(5, "unclear")])
    assert (
        outgoing is not None and outgoing.key.sequence == 5 and len(outgoing.context["items"]) == 2
    )  # type: ignore[arg-type]


def test_held_back_answers_are_not_summarised() -> None:
    """The daily cap doing its job is not news for the organizer."""
    assert summary([notice(4, "cap")]) is None
