"""The only place that reads the wall clock; everything else takes `now` as an argument.

`MAILER_CLOCK` moves the clock for the demo and the benchmarks, never for real use: "START" (an
ISO-8601 time) makes the process start there, "START*SPEED" also runs it SPEED times as fast, so
a worker's week of ticks passes in a minute. The worker waits `real_seconds(span)` between ticks,
so its schedule follows the same clock.
"""

from __future__ import annotations

import functools
import os
import time
from datetime import UTC, datetime, timedelta

CLOCK_ENV = "MAILER_CLOCK"


def now() -> datetime:
    """The current time, timezone-aware, in UTC (moved and sped up by $MAILER_CLOCK if set)."""
    spec = os.environ.get(CLOCK_ENV, "")
    if not spec:
        return datetime.now(UTC)
    start, speed, origin = _moved(spec)
    return start + timedelta(seconds=(time.monotonic() - origin) * speed)


def speed() -> float:
    """How many clock seconds pass per real second: 1 unless $MAILER_CLOCK speeds it up."""
    spec = os.environ.get(CLOCK_ENV, "")
    return _moved(spec)[1] if spec else 1.0


def steady() -> float:
    """Real seconds from an arbitrary start that never jump (an NTP step, a changed time zone):
    what a schedule waits on, while `now()` is what a tick acts at."""
    return time.monotonic()


def real_seconds(span: timedelta) -> float:
    """How long `span` of clock time lasts in real seconds (for waiting on a schedule)."""
    return max(0.0, span.total_seconds() / speed())


def parse(text: str) -> datetime:
    """An ISO-8601 time from the command line (`--now`); a time without an offset is taken as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@functools.cache
def _moved(spec: str) -> tuple[datetime, float, float]:
    """(start, speed, the monotonic time the spec was first read): the clock runs from there."""
    start, _, factor = spec.partition("*")
    try:
        return parse(start), float(factor or 1), time.monotonic()
    except ValueError:
        raise SystemExit(
            f"Error: ${CLOCK_ENV} {spec!r} is not START or START*SPEED. Fix: unset it, or write 2026-01-05T09:00:00+00:00*600"
        ) from None
