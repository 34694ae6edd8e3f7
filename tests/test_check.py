"""`mailer check`: one line per check, and a clear reason for each way a server can refuse."""

from __future__ import annotations

import os
import re
import socket
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from mailer.cli import main
from mailer.sandbox.tour import PASSWORD_ENV
from mailer.testing import MailStack

from .scenario import Roundtable


def check(table: Roundtable, edit: tuple[str, str] | None = None) -> Result:
    if edit is not None:
        text = table.config_path.read_text()
        table.config_path.write_text(re.sub(edit[0], edit[1], text, count=1, flags=re.MULTILINE))
    return CliRunner().invoke(main, ["-c", str(table.config_path), "check"])


FUTURE = datetime(2099, 1, 1, 12, 0, tzinfo=UTC)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_all_checks_pass_against_working_servers(mail_stack: MailStack, tmp_path: Path) -> None:
    """With good settings every check says OK and the exit status is 0."""
    result = check(Roundtable(mail_stack, tmp_path, starts=FUTURE))
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        "config",
        "database",
        "smtp",
        "imap",
    ]
    assert all(": OK " in line for line in result.output.splitlines())


def test_wrong_password_is_one_line(mail_stack: MailStack, tmp_path: Path) -> None:
    """A refused login names the username and the environment variable to fix."""
    table = Roundtable(mail_stack, tmp_path)
    os.environ[PASSWORD_ENV] = "wrong"
    result = check(table)
    assert result.exit_code == 1
    imap = next(line for line in result.output.splitlines() if line.startswith("imap:"))
    assert imap.startswith("imap: FAILED login refused for rsvp@roundtable.test")
    assert f"${PASSWORD_ENV}" in imap
    assert "Traceback" not in result.output


def test_unreachable_host_is_one_line(mail_stack: MailStack, tmp_path: Path) -> None:
    """A port nobody listens on says it cannot connect and names host and port to check."""
    table = Roundtable(mail_stack, tmp_path)
    result = check(table, (rf"^port = {mail_stack.imap_port}$", f"port = {closed_port()}"))
    imap = next(line for line in result.output.splitlines() if line.startswith("imap:"))
    assert result.exit_code == 1
    assert "cannot connect" in imap and "check [imap] host and port" in imap


def test_missing_folder_is_one_line(mail_stack: MailStack, tmp_path: Path) -> None:
    """A folder that does not exist is named, with the key to fix."""
    table = Roundtable(mail_stack, tmp_path)
    result = check(table, (r'^folder = "INBOX"$', 'folder = "Replies"'))
    imap = next(line for line in result.output.splitlines() if line.startswith("imap:"))
    assert result.exit_code == 1
    assert imap == "imap: FAILED folder 'Replies' does not exist: check [imap] folder"


def test_broken_config_stops_before_connecting(tmp_path: Path) -> None:
    """A config error is reported on the config line, and no server is contacted."""
    (tmp_path / "config.toml").write_text("[organizer]\nemail = 'x@example.org'\n")
    result = CliRunner().invoke(main, ["-c", str(tmp_path / "config.toml"), "check"])
    assert result.exit_code == 1
    assert (
        result.output
        == "config: FAILED [smtp] is missing. Fix: add a [smtp] table as in the example config.toml\n"
    )


def test_trusted_server_seen_in_recent_mail_passes(mail_stack: MailStack, tmp_path: Path) -> None:
    """Recent mail carrying our server's Authentication-Results confirms trusted_authserv_id."""
    table = Roundtable(mail_stack, tmp_path, trusted_authserv_id="mx.organizer.test")
    stamp = "Authentication-Results: mx.organizer.test; spf=pass smtp.mailfrom=guests.test\r\n"
    table.stranger("hello", 1)
    table.raw(stamp.encode() + b"From: a@guests.test\r\nSubject: hi\r\n\r\nhi\r\n", 2)
    result = check(table)
    assert result.exit_code == 0, result.output
    assert (
        "trusted_authserv_id: OK 'mx.organizer.test' vouched for 1 of the newest 2" in result.output
    )


def test_misspelt_trusted_server_fails_the_check(mail_stack: MailStack, tmp_path: Path) -> None:
    """A name no recent message carries fails, naming the key and the names seen instead."""
    table = Roundtable(mail_stack, tmp_path, trusted_authserv_id="mx.organiser.test")
    stamp = "Authentication-Results: mx.organizer.test; spf=pass smtp.mailfrom=guests.test\r\n"
    table.raw(stamp.encode() + b"From: a@guests.test\r\nSubject: hi\r\n\r\nhi\r\n", 2)
    result = check(table)
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith("trusted_authserv_id"))
    assert "mx.organizer.test" in line and "check [imap] trusted_authserv_id" in line


def test_past_start_is_a_warning(mail_stack: MailStack, tmp_path: Path) -> None:
    """An event whose start has passed is a warning line; the checks still pass (exit 0)."""
    result = check(Roundtable(mail_stack, tmp_path))
    assert result.exit_code == 0, result.output
    warning = result.output.splitlines()[1]
    assert warning == (
        "config: WARNING [[events]] 2026-12-velocity starts 2025-10-23 12:00 EDT, which is in the"
        " past: nothing more is sent for it. Fix: set starts to the next meeting, or remove the event"
    )


def test_unset_password_variable_is_named_before_connecting(
    mail_stack: MailStack, tmp_path: Path
) -> None:
    """A login whose password variable is unset is named with the export to run, not tried."""
    table = Roundtable(mail_stack, tmp_path, starts=FUTURE)
    del os.environ[PASSWORD_ENV]
    result = check(table)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[2] == (
        f"smtp: FAILED [smtp] password_env names {PASSWORD_ENV}, which is not set."
        f" Fix: export {PASSWORD_ENV}=... (the password for rsvp@roundtable.test)"
    )
    assert lines[3].startswith(f"imap: FAILED [imap] password_env names {PASSWORD_ENV}")
