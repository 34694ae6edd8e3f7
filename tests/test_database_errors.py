"""The database file: every way it cannot be used is one line naming [database] path and the fix."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer.cli import main
from mailer.errors import DatabaseError
from mailer.store import Store, database_errors

ROOT = Path(__file__).resolve().parents[1]


def config_at(tmp_path: Path, database: Path) -> Path:
    text = (ROOT / "config.toml").read_text().replace('path = "mailer.db"', f'path = "{database}"')
    (tmp_path / "config.toml").write_text(text)
    return tmp_path / "config.toml"


def test_locked_database_is_one_line(tmp_path: Path) -> None:
    """A database another program holds locked is named as locked, with what to do."""
    holder = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError) as caught:
            Store(tmp_path / "m.db", busy_ms=20)
    finally:
        holder.close()
    assert str(caught.value) == (
        f"[database] path {tmp_path / 'm.db'} is locked by another program. Fix: close the program"
        " that holds it (a database browser, sqlite3, another mailer) and run again"
    )


def test_read_only_database_is_one_line(tmp_path: Path) -> None:
    """SQLite's refusal to write is named as a read-only file, with the permission to give."""
    conn = sqlite3.connect(tmp_path / "m.db")
    conn.execute("PRAGMA query_only = 1")  # what a file without write access answers, even as root
    with pytest.raises(DatabaseError) as caught, database_errors(tmp_path / "m.db"):
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert str(caught.value).endswith(
        "is read-only. Fix: give the user running mailer write access to the file and its folder"
    )


@pytest.mark.parametrize("command", ["tick", "status"])
def test_database_path_that_is_a_folder_is_one_line(tmp_path: Path, command: str) -> None:
    """A [database] path that names a folder is refused in one line by tick and status alike."""
    (tmp_path / "db").mkdir()
    os.environ["MAILER_SMTP_PASSWORD"] = os.environ["MAILER_IMAP_PASSWORD"] = "x"
    try:
        result = CliRunner().invoke(
            main, ["-c", str(config_at(tmp_path, tmp_path / "db")), command]
        )
    finally:
        del os.environ["MAILER_SMTP_PASSWORD"], os.environ["MAILER_IMAP_PASSWORD"]
    assert result.exit_code == 1
    assert result.output == (
        f"Error: [database] path {tmp_path / 'db'} cannot be used as the database (unable to open"
        " database file). Fix: check [database] path and the file's permissions\n"
    )


def test_unset_password_variable_stops_tick_before_connecting(tmp_path: Path) -> None:
    """tick names the unset password variable and the export, before any server is tried."""
    os.environ.pop("MAILER_SMTP_PASSWORD", None)
    result = CliRunner().invoke(main, ["-c", str(config_at(tmp_path, tmp_path / "m.db")), "tick"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: [smtp] password_env names MAILER_SMTP_PASSWORD, which is not set."
        " Fix: export MAILER_SMTP_PASSWORD=... (the password for rsvp@example.org)\n"
    )
    assert not (tmp_path / "m.db").exists()


def test_a_password_typed_as_the_variable_name_is_not_repeated(tmp_path: Path) -> None:
    """password_env = "hunter2pass": the value may be the password itself, so it is not echoed."""
    path = config_at(tmp_path, tmp_path / "m.db")
    path.write_text(
        path.read_text().replace(
            'password_env = "MAILER_SMTP_PASSWORD"', 'password_env = "hunter2pass"'
        )
    )
    result = CliRunner().invoke(main, ["-c", str(path), "tick"])
    assert result.exit_code == 1
    assert "hunter2pass" not in result.output
    assert "[smtp] password_env names an environment variable that is not set" in result.output
