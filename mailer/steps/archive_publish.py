"""Publishing the takeaways archive where the group looks: TAKEAWAYS.md committed to the GitHub
repository ([archive] publish_path, branch), only when the archive changed since last time.

Also `archive_meetings`, every meeting held as the archive shows it, shared with `mailer
archive` (reports/archive.py).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from mailer.archive.meetings import Meeting, arrange
from mailer.archive.site import render_site
from mailer.composing import compose
from mailer.config import Config
from mailer.errors import PermanentError, TransientError
from mailer.model import Takeaway
from mailer.steps import github_board
from mailer.store import Store

log = logging.getLogger("mailer.takeaways")

PUBLISHED_KEY = "archive.published"


class Publisher(Protocol):
    """What publishing the archive needs from the GitHub adapter."""

    def publish(self, path: str, text: str, branch: str, message: str) -> bool: ...


def archive_meetings(store: Store) -> list[Meeting]:
    """Every meeting held, newest first, with its topics and takeaways, for the archive."""
    said: dict[str, list[Takeaway]] = {}
    for takeaway in store.takeaways():
        said.setdefault(takeaway.event, []).append(takeaway)
    return [
        arrange(row, store.meeting_topics(row["event"]), said.get(row["event"], []))
        for row in store.meetings()
    ]


def publish(config: Config, store: Store, board: Publisher, now: datetime) -> list[str]:
    """Commit TAKEAWAYS.md to [archive] publish_path when the archive changed since last time.

    What was published is remembered by what it was made of (meetings, takeaways, topics), so an
    unchanged archive costs no request; GitHub is asked to write only when the text differs.
    """
    path = config.archive.publish_path
    if not path:
        return []
    marker = store.archive_marker()
    if store.meta(PUBLISHED_KEY) == marker:
        return []
    env = compose.environment(compose.templates_dir(config))
    text = render_site(archive_meetings(store), env)["TAKEAWAYS.md"]
    try:
        changed = board.publish(
            path, text, config.archive.branch, "Takeaways: the archive, updated"
        )
    except TransientError as exc:
        return [github_board.wait_out(store, exc, now)]
    except PermanentError as exc:
        return [f"github (archive): {exc.detail}: check [archive] publish_path and branch"]
    with store.atomic():
        store.set_meta(PUBLISHED_KEY, marker)
    if changed:
        log.info("archive published to %s on %s", path, config.archive.branch)
    return []
