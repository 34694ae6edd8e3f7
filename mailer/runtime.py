"""Wiring the real adapters (SQLite, IMAP, SMTP) to the tick; the one place that assembles them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from .config import Config
from .imap import Mailbox
from .model import SendResult
from .smtp import send_batch
from .store import Store
from .tick import Summary, tick


def run_tick(config: Config, now: datetime, dry_run: bool = False) -> Summary:
    """One tick against the servers and database named in `config`."""
    store = Store(config.database)

    def send(batch: Sequence[tuple[str, bytes, str]], record: Callable[[SendResult], None]) -> None:
        send_batch(config.smtp, batch, config.organizer_email, on_result=record)

    try:
        return tick(
            config, store, now, mailbox=lambda: Mailbox(config.imap), send=send, dry_run=dry_run
        )
    finally:
        store.close()
