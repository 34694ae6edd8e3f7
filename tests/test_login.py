"""Login without a stored password: password_command and XOAUTH2, against the loopback servers."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mailer.adapters.imap import check_imap
from mailer.adapters.secrets import run_command
from mailer.adapters.smtp import send_batch
from mailer.config import ServerSettings, parse
from mailer.errors import PermanentError, TransientError
from mailer.testing import MailStack
from mailer.testing.stack import sample_message

from .scenario import T0, Roundtable
from .test_config import ROOT, error_for, example

ORGANIZER = "organizer@example.test"


def by_token(settings: ServerSettings, command: str) -> ServerSettings:
    """`settings` logging in by XOAUTH2 with what `command` prints."""
    return replace(settings, password_env="", password_command=command, auth="xoauth2")


def token_file(tmp_path: Path, token: str) -> str:
    """A token helper: a command printing the token kept in a file (a real one would refresh it)."""
    path = tmp_path / "token"
    path.write_text(token + "\n")
    return f"cat {path}"


def test_password_command_stands_in_for_password_env() -> None:
    """A login with password_command and no password_env is a valid config."""
    data: dict[str, Any] = example()
    del data["imap"]["password_env"]
    data["imap"]["password_command"] = "pass show mail/rsvp"
    config = parse(data, ROOT / "config.toml")
    assert config.imap.password_command == "pass show mail/rsvp"
    assert config.imap.secret_source == "[imap] password_command"


def test_both_sources_of_the_secret_are_refused() -> None:
    """password_env and password_command together are one line asking to keep one."""
    data: dict[str, Any] = example()
    data["smtp"]["password_command"] = "pass show mail/rsvp"
    assert error_for(data) == (
        "[smtp] password_command is set as well as password_env; the secret must come from one "
        "of them. Fix: remove one of the two keys"
    )


def test_unknown_auth_is_named() -> None:
    """auth takes password or xoauth2 only."""
    data: dict[str, Any] = example()
    data["imap"]["auth"] = "oauth"
    assert error_for(data).startswith("[imap] auth must be password or xoauth2, got 'oauth'.")


def test_xoauth2_needs_a_username() -> None:
    """XOAUTH2 names the mailbox the token is for, so an empty username is refused."""
    data: dict[str, Any] = example()
    data["smtp"].update(username="", auth="xoauth2")
    assert error_for(data).startswith('[smtp] username is empty, but auth = "xoauth2"')


def test_command_output_loses_only_its_trailing_newline() -> None:
    """The command runs through /bin/sh (pipes work) and its last newline is dropped."""
    assert run_command("printf ' s3cret x\\n\\n' | head -1", "imap") == " s3cret x"


def test_failing_command_is_one_line_naming_the_key() -> None:
    """A non-zero exit names the key, the status and the command's last stderr line."""
    with pytest.raises(PermanentError) as caught:
        run_command("echo half-a-secret; echo 'gpg: decryption failed' >&2; exit 2", "smtp")
    assert caught.value.detail == (
        "[smtp] password_command failed with exit status 2 (gpg: decryption failed): "
        "run it by hand and fix it"
    )


def test_empty_output_is_refused() -> None:
    """A command that prints nothing is an error, not an empty password."""
    with pytest.raises(PermanentError, match=r"\[imap\] password_command printed nothing"):
        run_command("true", "imap")


def test_hanging_command_times_out_with_its_children() -> None:
    """A command past its timeout is killed, pipeline and all, and is a TransientError."""
    started = time.monotonic()
    with pytest.raises(TransientError, match=r"gave no answer within 0.3 s"):
        run_command("sleep 30 | cat", "imap", timeout=0.3)
    assert time.monotonic() - started < 5


def test_imap_logs_in_by_xoauth2(mail_stack: MailStack, tmp_path: Path) -> None:
    """IMAP AUTHENTICATE XOAUTH2 with the token the command prints opens the mailbox."""
    token = mail_stack.add_token(ORGANIZER)
    settings = by_token(mail_stack.imap_settings(ORGANIZER), token_file(tmp_path, token))
    assert check_imap(settings).startswith(f"logged in as {ORGANIZER}")


def test_command_runs_at_each_login(mail_stack: MailStack, tmp_path: Path) -> None:
    """A token that expired and was replaced is picked up at the next login, with no restart."""
    first = mail_stack.add_token(ORGANIZER)
    settings = by_token(mail_stack.imap_settings(ORGANIZER), token_file(tmp_path, first))
    check_imap(settings)
    del mail_stack.tokens[first]  # it expires; the helper fetches a new one
    token_file(tmp_path, mail_stack.add_token(ORGANIZER))
    assert check_imap(settings).startswith("logged in")


def test_refused_token_names_the_command(mail_stack: MailStack, tmp_path: Path) -> None:
    """A token the server refuses is one line naming username and password_command."""
    settings = by_token(mail_stack.imap_settings(ORGANIZER), "echo expired-token")
    with pytest.raises(PermanentError) as caught:
        check_imap(settings)
    assert caught.value.detail == (
        f"XOAUTH2 login refused for {ORGANIZER}: check [imap] username and that "
        "[imap] password_command prints a fresh access token with the mail scope"
    )


def test_smtp_sends_by_xoauth2(mail_stack: MailStack, tmp_path: Path) -> None:
    """SMTP AUTH XOAUTH2 logs in as the token's owner and the message is delivered."""
    token = mail_stack.add_token(ORGANIZER)
    settings = by_token(mail_stack.smtp_settings(ORGANIZER), token_file(tmp_path, token))
    message = sample_message("alice@example.test")
    [result] = send_batch(settings, [("k1", message)], ORGANIZER)
    assert result.status == "sent"
    assert len(mail_stack.messages("alice@example.test")) == 1


def test_smtp_refused_token_retries_every_email(mail_stack: MailStack) -> None:
    """A refused SMTP token holds every email for retry, with the reason naming the command."""
    settings = by_token(mail_stack.smtp_settings(ORGANIZER), "echo expired-token")
    [result] = send_batch(settings, [("k1", sample_message("alice@example.test"))], ORGANIZER)
    assert result.status == "retry"
    assert "[smtp] password_command prints a fresh access token" in result.detail


def test_no_secret_reaches_the_output(mail_stack: MailStack, tmp_path: Path) -> None:
    """`mailer -vv check` and `tick` log in by token and print neither token nor password."""
    table = Roundtable(mail_stack, tmp_path, starts=T0.replace(year=2099))
    token = mail_stack.add_token("rsvp@roundtable.test")
    helper = token_file(tmp_path, token)
    text = table.config_path.read_text()
    text = text.replace(
        'password_env = "MAILER_SANDBOX_PASSWORD"',
        f'password_command = "{helper}"\nauth = "xoauth2"',
    )
    table.config_path.write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "MAILER_SANDBOX_PASSWORD"}
    base = [sys.executable, "-m", "mailer", "-vv", "-c", str(table.config_path)]
    check = subprocess.run([*base, "check"], capture_output=True, text=True, env=env, timeout=60)
    tick = subprocess.run(
        [*base, "tick", "--now", T0.isoformat()],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert tick.returncode == 0, tick.stdout + tick.stderr
    assert mail_stack.smtp.accepted == len(table.people)  # the invitations went out by token
    said = check.stdout + check.stderr + tick.stdout + tick.stderr
    auth = f"user=rsvp@roundtable.test\x01auth=Bearer {token}\x01\x01".encode()
    for secret in (token, base64.b64encode(auth).decode(), "organizer-pw"):
        assert secret not in said
