"""The command line: help for every command, one clear line for every user mistake."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mailer.cli import main
from mailer.store import Store

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    assert isinstance(main, click.Group)
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(name: str) -> None:
    """Each command explains itself and shows one example."""
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example: mailer" in result.output


def test_missing_config_is_one_line_with_the_fix(tmp_path: Path) -> None:
    """A missing config file gives one Error line naming the fix, exit status 1, no traceback."""
    result = CliRunner().invoke(main, ["-c", str(tmp_path / "none.toml"), "status"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: config file") and "Fix:" in result.output
    assert "Traceback" not in result.output


def test_broken_key_is_named(tmp_path: Path) -> None:
    """A wrong value names its key."""
    text = (ROOT / "config.toml").read_text().replace("port = 587", 'port = "abc"')
    (tmp_path / "config.toml").write_text(text)
    result = CliRunner().invoke(main, ["-c", str(tmp_path / "config.toml"), "tick"])
    assert result.exit_code == 1
    assert "Error: [smtp] port must be a number from 1 to 65535, got 'abc'. Fix:" in result.output


def test_bad_now_is_explained(tmp_path: Path) -> None:
    """--now must be ISO-8601, and the error says how to write it."""
    result = CliRunner().invoke(
        main, ["-c", str(ROOT / "config.toml"), "tick", "--now", "tomorrow"]
    )
    assert result.exit_code == 1 and "--now 'tomorrow' is not an ISO-8601 time" in result.output


def config_with_database(tmp_path: Path, database: Path) -> Path:
    text = (ROOT / "config.toml").read_text().replace('path = "mailer.db"', f'path = "{database}"')
    (tmp_path / "config.toml").write_text(text)
    return tmp_path / "config.toml"


def test_status_of_a_fresh_database_lists_nobody(tmp_path: Path) -> None:
    """Before any tick, status shows the event with everyone not invited yet."""
    Store(tmp_path / "m.db").close()
    config = config_with_database(tmp_path, tmp_path / "m.db")
    result = CliRunner().invoke(main, ["-c", str(config), "status", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["events"][0]["attendees"] == []
    assert data["events"][0]["not_invited_yet"] == ["ada@example.com", "grace@example.com"]


def test_status_without_a_database_says_so_and_creates_none(tmp_path: Path) -> None:
    """status on a missing database names the path and `mailer tick`, and creates nothing."""
    config = config_with_database(tmp_path, tmp_path / "m.db")
    result = CliRunner().invoke(main, ["-c", str(config), "status"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: there is no database at {tmp_path / 'm.db'} yet."
        " Fix: run mailer tick to create it, or check [database] path\n"
    )
    assert not (tmp_path / "m.db").exists()


def test_unknown_event_is_named(tmp_path: Path) -> None:
    """status --event with an unknown id lists the ids there are."""
    result = CliRunner().invoke(
        main, ["-c", str(ROOT / "config.toml"), "status", "--event", "nope"]
    )
    assert result.exit_code == 1 and "2026-12-velocity" in result.output


def test_run_refuses_a_bad_interval(tmp_path: Path) -> None:
    """run --every takes a span like 5m, and says so."""
    result = CliRunner().invoke(main, ["-c", str(ROOT / "config.toml"), "run", "--every", "often"])
    assert result.exit_code == 1 and 'must be a span like "7d", "1h" or "30m"' in result.output
