"""Wiring the real adapters (SQLite, IMAP, SMTP) to the tick; the one place that assembles them."""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from mailer.adapters.github import GitHubRepo
from mailer.adapters.imap import Mailbox
from mailer.adapters.smtp import send_batch
from mailer.config import Config
from mailer.errors import ConfigError, DatabaseError, MailerError
from mailer.model import SendResult
from mailer.store import Store, database_errors
from mailer.tick import Summary, tick


class TickRunning(MailerError):
    """Another tick holds the database: two at once would read the same mail twice."""


@contextmanager
def exclusive(database: Path) -> Iterator[None]:
    """Hold the tick lock beside the database, or say that another tick is running.

    cron may start a tick while the last one still works through a backlog; the outbox keys
    would keep emails single, but both would fetch and classify the same mail for nothing.
    """
    lock_path = database.with_name(database.name + ".lock")
    try:
        handle = lock_path.open("a")
    except OSError as exc:  # a missing folder, no write access: the database would fail alike
        raise DatabaseError(
            f"[database] path: cannot create {lock_path} ({exc.strerror}). Fix: check that the folder exists and is writable"
        ) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TickRunning(
                f"another tick is running (it holds {lock_path}). Fix: let it finish; it is safe to run tick again afterwards"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_tick(config: Config, now: datetime, dry_run: bool = False) -> Summary:
    """One tick against the servers and database named in `config`."""

    def send(
        batch: Sequence[tuple[str, bytes, str]],
        record: Callable[[SendResult], None],
        attempt: Callable[[str], None],
    ) -> None:
        send_batch(config.smtp, batch, config.organizer_email, record, attempt)

    for server in (config.smtp, config.imap):
        server.require_password()  # named here, before any connection is tried
    try:
        github = github_repo(config)
        trouble = ""
    except ConfigError as exc:  # the mail goes on; only the GitHub step waits for the fix
        github, trouble = None, f"github: {exc.message}"
    with exclusive(config.database), database_errors(config.database):
        store = Store(config.database)
        try:
            summary = tick(
                config,
                store,
                now,
                mailbox=lambda: Mailbox(config.imap),
                send=send,
                dry_run=dry_run,
                github=github,
            )
        finally:
            store.close()
    if trouble:
        summary.problems.append(trouble)
    return summary


def github_repo(config: Config) -> GitHubRepo | None:
    """The topic board's repository, when [github] is configured."""
    gh = config.github
    if gh is None:
        return None
    if not gh.token():
        raise ConfigError(
            "[github] token_env",
            f"names ${gh.token_env}, which is not set",
            f"export {gh.token_env}=<a token for {gh.repo}> (see the README for the permissions it needs)",
        )
    return GitHubRepo(gh.api_url, gh.repo, gh.token(), gh.permission)
