"""A tick killed at any point: the next one finishes the work, and nothing is done twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer import config as config_module
from mailer.adapters.imap import Mailbox
from mailer.adapters.smtp import send_batch
from mailer.cli import main
from mailer.model import SendResult
from mailer.runtime import exclusive, run_tick
from mailer.store import Store
from mailer.testing import MailStack, without_trace
from mailer.tick import tick

from .scenario import T0, Roundtable


class Killed(BaseException):
    """Stands for the process being killed: not an Exception, so nothing catches it."""


def killing_sender(
    config: config_module.Config, after: int, in_window: bool = False
) -> Callable[..., None]:
    """A real SMTP sender that dies once `after` outcomes have been recorded.

    `in_window`: it dies when the server has said 250 to the `after`-th email, before that
    outcome is recorded (the window between the server's acceptance and our commit).
    """

    def send(
        batch: Sequence[tuple[str, bytes, str]],
        record: Callable[[SendResult], None],
        attempt: Callable[[str], None],
    ) -> None:
        seen = 0

        def record_then_maybe_die(result: SendResult) -> None:
            nonlocal seen
            seen += 1
            if in_window and seen == after:
                raise Killed
            record(result)
            if seen == after:
                raise Killed

        if after == 0:
            raise Killed
        send_batch(config.smtp, batch, config.organizer_email, record_then_maybe_die, attempt)

    return send


def crashing_tick(table: Roundtable, minutes: float, after: int, in_window: bool = False) -> None:
    config = config_module.load(table.config_path)
    store = Store(config.database)
    try:
        with pytest.raises(Killed):
            tick(
                config,
                store,
                T0 + timedelta(minutes=minutes),
                lambda: Mailbox(config.imap),
                killing_sender(config, after, in_window),
            )
    finally:
        store.close()


def with_sent_folder(table: Roundtable, folder: str) -> None:
    """Set [imap] sent_folder in the table's config."""
    text = table.config_path.read_text()
    table.config_path.write_text(
        text.replace('folder = "INBOX"', f'folder = "INBOX"\nsent_folder = "{folder}"', 1)
    )


def message_ids(table: Roundtable, n: int) -> list[str]:
    return [str(m["Message-ID"]) for m in table.inbox(n)]


@pytest.mark.parametrize("after", [0, 1, 3])
def test_killed_while_sending_sends_each_email_once(
    mail_stack: MailStack, tmp_path: Path, after: int
) -> None:
    """Killed before or between sends, the next tick sends the rest and repeats none."""
    table = Roundtable(mail_stack, tmp_path, people=5)
    crashing_tick(table, 0, after)
    run_tick(config_module.load(table.config_path), T0 + timedelta(minutes=1))
    assert [len(table.inbox(n)) for n in range(1, 6)] == [1] * 5


def test_killed_in_the_250_window_with_a_sent_copy_sends_nothing_twice(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """Killed after the server's 250 but before "sent" was recorded, the email found in the
    Sent folder is marked sent, not sent again."""
    table = Roundtable(mail_stack, tmp_path, people=3)
    with_sent_folder(table, "Sent")
    mail_stack.smtp.file_sent("Sent")
    crashing_tick(table, 0, after=2, in_window=True)
    assert [row["status"] for row in table.outbox()] == ["sent", "sending", "queued"]
    table.tick(1)
    assert [len(table.inbox(n)) for n in range(1, 4)] == [1, 1, 1]
    assert table.outbox()[1]["detail"] == "found in 'Sent' after a crash"


def test_killed_in_the_250_window_without_a_sent_folder_resends_the_same_message(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """Without a Sent folder the email in doubt is sent again: the same bytes, the same Message-ID."""
    table = Roundtable(mail_stack, tmp_path, people=3)
    crashing_tick(table, 0, after=2, in_window=True)
    table.tick(1)
    first, again = message_ids(table, 2)
    assert first == again
    assert [len(table.inbox(n)) for n in (1, 3)] == [1, 1]
    ours = [without_trace(raw) for raw in mail_stack.messages(table.address(2))]
    assert ours[0] == ours[1]


def test_a_missing_sent_folder_is_one_problem_line_then_a_resend(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A sent_folder that does not exist is named in one problem line; the email in doubt goes again."""
    table = Roundtable(mail_stack, tmp_path, people=2)
    with_sent_folder(table, "Sent Items")
    crashing_tick(table, 0, after=1, in_window=True)
    output = table.tick(1, expect=1)
    problems = [line for line in output.splitlines() if line.startswith("problem:")]
    assert problems == [
        "problem: imap: [imap] sent_folder 'Sent Items' does not exist: set it to the folder your "
        "provider files sent mail in, or leave it empty (so 1 email(s) a crash left in doubt went out again unseen)"
    ]
    assert len(table.inbox(1)) == 2


def test_email_in_doubt_waits_while_the_sent_folder_cannot_be_read(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """With a Sent folder configured but IMAP down, the email in doubt is neither resent nor dropped."""
    table = Roundtable(mail_stack, tmp_path, people=2)
    with_sent_folder(table, "Sent")
    crashing_tick(table, 0, after=1, in_window=True)
    text = table.config_path.read_text()
    table.config_path.write_text(text.replace(f"port = {mail_stack.imap_port}", "port = 1", 1))
    table.tick(1, expect=1)
    assert [len(table.inbox(n)) for n in (1, 2)] == [1, 1]
    assert [row["status"] for row in table.outbox()] == ["sending", "sent"]
    assert table.status()["failed_sends"][0]["status"] == "sending"


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


def test_timeout_after_the_message_was_taken_looks_in_sent_before_resending(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A 250 that never came (the client timed out) is settled in the Sent folder, not resent."""
    table = Roundtable(mail_stack, tmp_path, people=2)
    with_sent_folder(table, "Sent")
    text = table.config_path.read_text()
    table.config_path.write_text(text.replace("[smtp]\n", "[smtp]\ntimeout_seconds = 1\n", 1))
    mail_stack.smtp.file_sent("Sent")
    mail_stack.smtp.hold_next(3)
    table.tick(0, expect=1)
    mail_stack.smtp.release()
    assert "sending" in [row["status"] for row in table.outbox()]
    table.tick(1)
    assert [len(table.inbox(n)) for n in (1, 2)] == [1, 1]
    assert {row["status"] for row in table.outbox()} == {"sent"}
