"""How fast we may write to people: the daily cap on automatic answers, and retry backoff; pure.

Guards rather than decisions about seats: two robots answering each other must not loop
forever, and a mail server that is down must not be hammered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mailer.model import ANSWER_KINDS, Outgoing


def within_daily_cap(outgoing: Outgoing, answers_in_last_day: int, cap: int) -> bool:
    """Automatic answers to one person stop at `cap` a day, so two robots cannot loop forever."""
    return outgoing.key.kind not in ANSWER_KINDS or answers_in_last_day < cap


def backoff(attempts: int, now: datetime) -> datetime:
    """When to retry a temporary SMTP failure: 1, 2, 4 ... minutes after `now`, at most an hour."""
    return now + timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))
