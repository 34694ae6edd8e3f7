"""`mailer run` as a real process against Dovecot and aiosmtpd on loopback: the issue's "done when".

Each test starts the worker with `python -m mailer run`, talks to it only as a person would
(mail in the INBOX, signals, edits to config.toml) and reads its JSON log. Waits poll with
deadlines. The IMAP server is Dovecot (restartable under the worker); the tests skip without it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from mailer.sandbox.tour import ORGANIZER, PASSWORD_ENV, ZONE, write_config
from mailer.store import Store
from mailer.testing import DovecotStack, MailStack, available_backends, open_stack
from mailer.testing.worker_process import WorkerProcess, answer, wait_until

pytestmark = pytest.mark.skipif(
    bool(available_backends()["dovecot"]), reason=available_backends()["dovecot"] or "dovecot"
)

# Long, distinctive secrets, so that finding one in a log cannot be a coincidence.
SECRET = "Organizer-Secret-7f3a9c"
PEOPLE = [(f"Person {n}", f"p{n}@guests.test") for n in range(1, 4)]
CONFIRMS = "a confirmation within a few seconds"


@pytest.fixture
def stack() -> Iterator[MailStack]:
    with open_stack("dovecot", {ORGANIZER: SECRET}) as started:
        for _, address in PEOPLE:
            started.add_user(address, "guest-password")
        yield started


@pytest.fixture
def config(stack: MailStack, tmp_path: Path) -> Path:
    """Invitations long due and a meeting far ahead: the worker's first tick invites everyone."""
    return write_config(
        stack,
        tmp_path,
        PEOPLE,
        capacity=2,
        invite_at=datetime(2020, 1, 1, 9, 0, tzinfo=ZONE),
        starts=datetime(2099, 1, 1, 12, 0, tzinfo=ZONE),
    )


@pytest.fixture
def worker(config: Path, stack: MailStack) -> Iterator[WorkerProcess]:
    """A started worker whose first tick invited everyone."""
    process = WorkerProcess(config, ["--verbose"])
    try:
        wait_until(lambda: _sent_to(stack, PEOPLE[-1][1]) >= 1, 20, "the invitations")
        process.wait_event("idle", 10)
        yield process
    finally:
        if process.proc.poll() is None:
            process.stop()


def _sent_to(stack: MailStack, address: str) -> int:
    return sum(1 for _, to, _ in list(stack.smtp.envelopes) if address in to)


def _confirmed(stack: MailStack, n: int) -> None:
    wait_until(lambda: _sent_to(stack, PEOPLE[n][1]) >= 2, 5, f"{CONFIRMS} for {PEOPLE[n][1]}")


def test_a_reply_is_answered_within_seconds(worker: WorkerProcess, stack: MailStack) -> None:
    """A reply landing in the INBOX is answered at once (IDLE), not at the next scheduled tick."""
    answer(stack, ORGANIZER, PEOPLE[0], "Yes, I'll be there.")
    _confirmed(stack, 0)
    assert worker.wait_event("seated")[0]["person"] == PEOPLE[0][1]


def test_worker_recovers_after_the_imap_server_restarts(
    worker: WorkerProcess, stack: MailStack
) -> None:
    """Dovecot restarted under the worker: one "retrying", one "recovered", later replies answered."""
    assert isinstance(stack, DovecotStack)
    stack.restart_imap()
    worker.wait_event("recovered", 15)
    answer(stack, ORGANIZER, PEOPLE[1], "Count me in")
    _confirmed(stack, 1)
    assert len(worker.events("retrying")) == len(worker.events("recovered")) == 1


def test_sigterm_finishes_the_email_in_hand_and_exits_0(
    worker: WorkerProcess, stack: MailStack, config: Path
) -> None:
    """SIGTERM while the SMTP server holds back its 250: the email is recorded sent, exit 0."""
    stack.smtp.hold_next(1.0)
    answer(stack, ORGANIZER, PEOPLE[0], "Yes please")
    wait_until(stack.smtp.held.is_set, 5, "the confirmation handed to the SMTP server")
    assert worker.stop(signal.SIGTERM) == 0
    assert worker.events("stopped")[-1]["signal"] == "SIGTERM"
    store = Store(config.with_name("mailer.db"))
    try:
        seated = [r for r in store.outbox() if f"/{PEOPLE[0][1]}/seated/" in r["key"]]
    finally:
        store.close()
    assert [r["status"] for r in seated] == ["sent"]
    assert _sent_to(stack, PEOPLE[0][1]) == 2


def test_a_second_worker_is_refused_naming_the_first(worker: WorkerProcess, config: Path) -> None:
    """Two workers on one database: the second exits 1 and says which process holds it."""
    second = WorkerProcess(config)
    assert second.proc.wait(15) == 1
    second.stop()
    assert f"pid {worker.pid} since" in second.text()


def test_a_broken_config_edit_does_not_stop_the_worker(
    worker: WorkerProcess, stack: MailStack, config: Path
) -> None:
    """A broken edit is said once; the worker goes on with the last good config and answers."""
    good = config.read_text()
    config.write_text(good.replace("[limits]", "[limits]\nanswers_per_sender_per_dy = 3"))
    os.kill(worker.pid, signal.SIGHUP)
    broken = worker.wait_event("config_broken")
    assert "keeps the last good config" in broken[0]["message"]
    answer(stack, ORGANIZER, PEOPLE[2], "yes!")
    _confirmed(stack, 2)
    config.write_text(good)
    worker.wait_event("config_fixed")
    assert len(worker.events("config_broken")) == 1


def test_no_secret_is_ever_logged(worker: WorkerProcess, stack: MailStack) -> None:
    """A whole verbose session (replies, a server restart, a stop) never writes a password."""
    assert os.environ[PASSWORD_ENV] == SECRET
    answer(stack, ORGANIZER, PEOPLE[0], "Yes, I'll be there.")
    _confirmed(stack, 0)
    assert isinstance(stack, DovecotStack)
    stack.restart_imap()
    worker.wait_event("recovered", 15)
    assert worker.stop() == 0
    log = worker.text()
    assert "seated" in log and "recovered" in log
    for secret in (SECRET, "guest-password"):
        assert secret not in log
