"""config.toml: the example loads, and every mistake names the key and the fix."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from mailer.config import load, parse
from mailer.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def example() -> dict[str, Any]:
    return tomllib.loads((ROOT / "config.toml").read_text())


def error_for(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(data, ROOT / "config.toml")
    return caught.value.message


def test_example_config_loads() -> None:
    """The config.toml at the project's root is valid as shipped."""
    config = load(ROOT / "config.toml")
    event = config.events[0]
    assert event.capacity == 12 and event.starts.utcoffset() is not None
    assert config.invitee_for("ADA.example@work.example") is not None


def test_missing_host_is_named() -> None:
    """A missing [imap] host names the key."""
    data = example()
    del data["imap"]["host"]
    assert error_for(data).startswith("[imap] host is missing")


def test_port_must_be_a_number() -> None:
    """A port written as text is named, with the fix."""
    data = example()
    data["smtp"]["port"] = "abc"
    assert error_for(data) == (
        "[smtp] port must be a number from 1 to 65535, got 'abc'."
        " Fix: write your server's port as a number, without quotes"
    )


def test_unknown_security_mode_is_named() -> None:
    """security accepts none, starttls or tls only."""
    data = example()
    data["imap"]["security"] = "ssl"
    assert "[imap] security must be one of none, starttls, tls" in error_for(data)


def test_unknown_time_zone_is_named() -> None:
    """An event's timezone must be an IANA name."""
    data = example()
    data["events"][0]["timezone"] = "Mars/Olympus"
    assert "timezone is not a known time zone" in error_for(data)


def test_bad_start_time_is_named() -> None:
    """starts must be an ISO date and time."""
    data = example()
    data["events"][0]["starts"] = "next Tuesday"
    assert "starts is not a date and time" in error_for(data)


def test_address_listed_for_two_people_is_refused() -> None:
    """One address cannot belong to two invitees."""
    data = example()
    data["invitees"][1]["aliases"] = ["ADA@example.com"]
    assert "listed for two people" in error_for(data)


def test_missing_config_file_says_how_to_start() -> None:
    """A missing file says to copy the example or pass --config."""
    with pytest.raises(ConfigError) as caught:
        load(ROOT / "no-such.toml")
    assert "--config" in caught.value.message


def test_invitees_file_is_read(tmp_path: Path) -> None:
    """invitees_file adds people from a CSV with name,email,github."""
    (tmp_path / "people.csv").write_text("name,email,github\nLin Example,LIN@example.com,lin\n")
    data = example()
    data["invitees_file"] = "people.csv"
    config = parse(data, tmp_path / "config.toml")
    lin = config.invitee_for("lin@example.com")
    assert lin is not None and lin.github == "lin"


def test_event_keys_are_named_with_the_event() -> None:
    """A missing key of an event names the event table and the key."""
    data = example()
    del data["events"][0]["title"]
    assert error_for(data).startswith("[[events]] 2026-12-velocity title is missing")
    del data["events"][0]["id"]
    assert error_for(data).startswith("[[events]] #1 id is missing")


def test_login_without_password_env_is_refused() -> None:
    """A username without password_env names the key to add."""
    data = example()
    del data["imap"]["password_env"]
    assert error_for(data).startswith("[imap] password_env is missing")


def test_invitees_file_unknown_column_is_named(tmp_path: Path) -> None:
    """A misspelt column in invitees_file is named with the closest known column."""
    (tmp_path / "people.csv").write_text("name,email,timezon\nLin,lin@example.com,UTC\n")
    data = example()
    data["invitees_file"] = "people.csv"
    with pytest.raises(ConfigError) as caught:
        parse(data, tmp_path / "config.toml")
    assert caught.value.message == (
        "invitees_file column timezon: no such column; did you mean timezone?"
        " Fix: rename it to timezone"
    )
