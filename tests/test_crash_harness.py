"""The crash harness, bounded: `mailer tick` processes SIGKILLed over invitations and a burst of
replies, judged from what the servers hold. The longer run is bench/crash.py.

Runs on one backend (the best here: Dovecot where it runs); each test takes a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mailer.testing import MailStack, open_stack
from mailer.testing.crash import Verdict, run

VERDICTS: list[Verdict] = []  # printed at the end of the run by conftest


def summary() -> str:
    """One line: kills, kills in the 250 window, duplicates, exact resends, losses per mode."""
    parts = [
        f"{'with' if v.sent_copy else 'without'} Sent copy: {v.kills} kills "
        f"({v.window_kills} in the 250 window), {v.emails} emails, {v.duplicates} duplicates "
        f"({v.exact_resends} exact resends), {v.double_decisions} double decisions, "
        f"{v.losses} losses"
        for v in VERDICTS
    ]
    return "crash harness: " + "; ".join(parts)


@pytest.fixture
def stack() -> Iterator[MailStack]:
    with open_stack() as started:
        yield started


def test_killed_ticks_with_a_sent_copy_send_nothing_twice(stack: MailStack, tmp_path: Path) -> None:
    """With the provider's Sent copy, kills (some inside the 250 window) double and lose nothing,
    and the seated are the first yeses by arrival."""
    verdict = run(stack, tmp_path, seed=7, kills=4, people=6, sent_copy=True)
    VERDICTS.append(verdict)
    assert verdict.window_kills >= 1, verdict
    assert (verdict.duplicates, verdict.double_decisions, verdict.losses) == (0, 0, 0), verdict
    assert verdict.seats_ok, verdict


def test_killed_ticks_without_a_sent_copy_only_resend_the_same_email(
    stack: MailStack, tmp_path: Path
) -> None:
    """Without a Sent folder a kill repeats at most the email in flight: same bytes, same Message-ID."""
    verdict = run(stack, tmp_path, seed=7, kills=4, people=6, sent_copy=False)
    VERDICTS.append(verdict)
    assert verdict.window_kills >= 1, verdict
    assert 1 <= verdict.duplicates == verdict.exact_resends <= verdict.kills, verdict
    assert (verdict.double_decisions, verdict.losses) == (0, 0), verdict
    assert verdict.seats_ok, verdict
