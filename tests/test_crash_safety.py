"""A tick killed at any point: the next one finishes the work, and nothing is done twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer import config as config_module
from mailer.cli import main
from mailer.imap import Mailbox
from mailer.model import SendResult
from mailer.runtime import exclusive, run_tick
from mailer.smtp import send_batch
from mailer.store import Store
from mailer.testing import MailStack
from mailer.tick import tick

from .scenario import T0, Roundtable


class Killed(BaseException):
    """Stands for the process being killed: not an Exception, so nothing catches it."""


def killing_sender(config: config_module.Config, after: int) -> Callable[..., None]:
    """A real SMTP sender that dies once `after` outcomes have been recorded."""

    def send(batch: Sequence[tuple[str, bytes, str]], record: Callable[[SendResult], None]) -> None:
        seen = 0

        def record_then_maybe_die(result: SendResult) -> None:
            nonlocal seen
            record(result)
            seen += 1
            if seen == after:
                raise Killed

        if after == 0:
            raise Killed
        send_batch(config.smtp, batch, config.organizer_email, on_result=record_then_maybe_die)

    return send


def crashing_tick(table: Roundtable, minutes: float, after: int) -> None:
    config = config_module.load(table.config_path)
    store = Store(config.database)
    try:
        with pytest.raises(Killed):
            tick(
                config,
                store,
                T0 + timedelta(minutes=minutes),
                lambda: Mailbox(config.imap),
                killing_sender(config, after),
            )
    finally:
        store.close()


@pytest.mark.parametrize("after", [0, 1, 3])
def test_killed_while_sending_sends_each_email_once(
    mail_stack: MailStack, tmp_path: Path, after: int
) -> None:
    """Killed before or between sends, the next tick sends the rest and repeats none."""
    table = Roundtable(mail_stack, tmp_path, people=5)
    crashing_tick(table, 0, after)
    run_tick(config_module.load(table.config_path), T0 + timedelta(minutes=1))
    assert [len(table.inbox(n)) for n in range(1, 6)] == [1] * 5


def test_killed_while_answering_replies_answers_each_once(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A tick killed after deciding a backlog but before sending answers each reply once, later."""
    table = Roundtable(mail_stack, tmp_path, people=4, capacity=2)
    table.tick(0)
    for n in range(1, 5):
        table.reply(n, "yes", n)
    crashing_tick(table, 10, after=0)
    table.tick(11)
    table.tick(12)
    assert [len(table.inbox(n)) for n in range(1, 5)] == [2] * 4
    assert [s for s, _ in table.states().values()].count("seated") == 2


def test_unreadable_message_is_set_aside_and_the_rest_decided(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A message that cannot be handled is kept, shown to the organizer, and holds nothing up."""
    table = Roundtable(mail_stack, tmp_path, people=2)
    table.tick(0)
    table.raw(b"\xff\xfe\x00garbage without headers\r\n", 3)
    table.reply(1, "yes", 5)
    table.tick(10)
    assert table.states()[table.address(1)][0] == "seated"
    assert table.organizer_inbox_size() == 2
    assert len(table.status()["unmatched"]) == 1


def test_second_tick_at_once_is_refused_clearly(mail_stack: MailStack, tmp_path: Path) -> None:
    """While one tick holds the database, another says so in one line and changes nothing."""
    table = Roundtable(mail_stack, tmp_path, people=1)
    config = config_module.load(table.config_path)
    with exclusive(config.database):
        result = CliRunner().invoke(
            main, ["-c", str(table.config_path), "tick", "--now", T0.isoformat()]
        )
    assert result.exit_code == 1
    assert result.output.startswith("Error: another tick is running")
    assert table.inbox(1) == []
