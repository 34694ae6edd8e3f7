"""The Sent folder: settling the emails a crash left in doubt, and `mailer check`'s probe of it.

An outbox row is marked `sending` before SMTP sees it; a crash between the server's 250 and our
"sent" leaves it so. The next tick settles it by looking, not guessing: with `[imap] sent_folder`
set (the providers that file submitted mail there: Gmail "[Gmail]/Sent Mail", Microsoft 365
"Sent Items", Fastmail "Sent"), a copy found there means it was sent; otherwise it is sent again,
the same bytes under the same Message-ID, which mail clients show once. `probe` checks that the
provider really files our mail in that folder.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from mailer.adapters.imap import Mailbox
from mailer.adapters.smtp import send_batch
from mailer.composing import compose
from mailer.config import Config, Invitee
from mailer.errors import PermanentError, TransientError
from mailer.model import ORGANIZER, OutboxKey, Outgoing
from mailer.store import Store

log = logging.getLogger("mailer.sent")

PROBE_TRIES = 10
PROBE_INTERVAL = 0.5  # seconds: a provider may file its copy a moment after the 250
PROVIDER_FOLDERS = 'Gmail "[Gmail]/Sent Mail", Microsoft 365 "Sent Items", Fastmail "Sent"'


class SentLookup(Protocol):
    """What settling needs from the IMAP adapter."""

    def find_sent(self, message_ids: Sequence[str]) -> set[str]: ...


def settle(store: Store, box: SentLookup | None, sent_folder: str, now: datetime) -> list[str]:
    """Settle every row a crash left `sending`; the problem lines for the tick's summary.

    Found in the Sent folder -> sent. Not found, or no Sent folder configured -> due again now,
    with the bytes and Message-ID it had. With a Sent folder but no IMAP session (the server is
    down) the rows wait: sending them again unseen could send them twice.
    """
    rows = store.in_doubt()
    if not rows:
        return []
    problems: list[str] = []
    found: set[str] = set()
    how = "no [imap] sent_folder to look in"
    if sent_folder:
        if box is None:
            return []
        try:
            found = box.find_sent([row["message_id"] for row in rows])
            how = f"not in '{sent_folder}'"
        except PermanentError as exc:
            problems.append(
                f"imap: {exc.detail} (so {len(rows)} email(s) a crash left in doubt went out again unseen)"
            )
            how = f"'{sent_folder}' cannot be searched"
    for row in rows:
        key, message_id = row["key"], row["message_id"]
        with store.atomic():
            if message_id in found:
                detail = f"found in '{sent_folder}' after a crash"
                store.record_sent(key, "sent", now, None, None, detail)
            else:
                detail = f"fate unknown after a crash ({how}): sent again, same Message-ID"
                store.record_sent(key, "retry", now, now, None, detail)
        log.warning("settled %s %s: %s", key, message_id, detail)
    return problems


def probe(
    config: Config, now: datetime, tries: int = PROBE_TRIES, interval: float = PROBE_INTERVAL
) -> str:
    """Email the organizer and look for the copy in [imap] sent_folder; one line, or a ServerError."""
    folder = config.imap.sent_folder
    env = compose.environment(compose.templates_dir(config))
    # A fresh key each time, so that every probe has a Message-ID of its own.
    key = OutboxKey("", ORGANIZER, "sent_probe", secrets.randbits(48))
    outgoing = Outgoing(key, {"sent_folder": folder}, template="organizer/sent_probe")
    organizer = Invitee(config.organizer_name, config.organizer_email)
    composed = compose.render(outgoing, config, None, organizer, env, now)
    (result,) = send_batch(
        config.smtp, [(str(key), composed.raw, config.organizer_email)], config.organizer_email
    )
    if result.status != "sent":
        raise TransientError(
            "smtp", f"the probe email was not accepted ({result.code} {result.detail})"
        )
    with Mailbox(config.imap) as box:
        for attempt in range(tries):
            if box.find_sent([composed.message_id]):
                return f"probe {composed.message_id} found in '{folder}': a crash while sending sends nothing twice"
            if attempt + 1 < tries:
                time.sleep(interval)
    raise PermanentError(
        "imap",
        f"probe {composed.message_id} not found in '{folder}' after {tries * interval:g} s: "
        f"set [imap] sent_folder to the folder your provider files sent mail in "
        f"({PROVIDER_FOLDERS}), or leave it empty",
    )
