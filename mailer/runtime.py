"""Wiring the real adapters (SQLite, IMAP, SMTP) to the tick; the one place that assembles them."""

from __future__ import annotations

import fcntl
import pwd
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

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


def open_lock(path: Path) -> IO[str]:
    """The lock file, created if need be; one made by another user (a `sudo mailer tick` beside
    the service's worker) is opened for reading, which is all flock needs."""
    try:
        return path.open("a")
    except PermissionError:
        if path.exists():
            try:
                return path.open("r")
            except OSError:
                pass
        raise DatabaseError(
            f"[database] path: cannot open {path}{_owner(path)}. Fix: run mailer as the user "
            "the worker runs as (sudo -u ...), or give that user the file and its folder"
        ) from None
    except OSError as exc:  # a missing folder: the database would fail alike
        raise DatabaseError(
            f"[database] path: cannot create {path} ({exc.strerror}). Fix: check that the folder exists and is writable"
        ) from exc


def _owner(path: Path) -> str:
    try:
        return f" (it belongs to {pwd.getpwuid(path.stat().st_uid).pw_name})"
    except (OSError, KeyError):
        return ""


@contextmanager
def exclusive(database: Path) -> Iterator[None]:
    """Hold the tick lock beside the database, or say that another tick is running.

    cron may start a tick while the last one still works through a backlog; the outbox keys
    would keep emails single, but both would fetch and classify the same mail for nothing.
    """
    lock_path = database.with_name(database.name + ".lock")
    handle = open_lock(lock_path)
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


def run_tick(
    config: Config,
    now: datetime,
    dry_run: bool = False,
    stopping: Callable[[], bool] = lambda: False,
) -> Summary:
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
                stopping=stopping,
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
