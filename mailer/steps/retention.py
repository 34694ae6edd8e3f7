"""[privacy] keep_messages_days: stored message bodies dropped that long after their meeting.

What people wrote (inbound mail) and what we sent them (the outbox) is kept as raw bytes so that
a crash can be settled and a reply explained; after the meeting it only holds personal words.
Each tick, once `keep_messages_days` have passed since a meeting ended (config.toml's end, or
its start as the archive kept it when the event has left the file), the bodies of its decided
mail and finished emails are blanked; the rows, and every decision made from them, stay. Mail
tied to no meeting (a stranger's, an out-of-office) goes that long after it arrived.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from mailer.config import Config
from mailer.store import Store

log = logging.getLogger("mailer.retention")


def expire(config: Config, store: Store, now: datetime) -> int:
    """Blank the bodies past their time; returns how many rows were blanked."""
    if config.keep_messages_days <= 0:
        return 0
    keep = timedelta(days=config.keep_messages_days)
    held: dict[str, datetime] = {row["event"]: row["starts"] for row in store.meetings()}
    dropped = 0
    with store.atomic():
        for event_id in store.events_with_bodies():
            if not event_id:
                dropped += store.drop_bodies("", before=now - keep)
                continue
            event = config.event(event_id)
            ended = event.ends if event is not None else held.get(event_id)
            if ended is not None and now >= ended + keep:
                dropped += store.drop_bodies(event_id)
    if dropped:
        log.info("dropped %d stored message bodies older than %s", dropped, keep)
    return dropped
