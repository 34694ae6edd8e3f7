"""The worker: ticks at once and on its schedule; a failing tick does not stop it."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from mailer import daemon
from mailer.config import load
from mailer.daemon import Settings, serve, tick_once
from mailer.testing import MailStack

from .scenario import Roundtable

ROOT = Path(__file__).resolve().parents[1]


def test_worker_ticks_at_once(mail_stack: MailStack, tmp_path: Path) -> None:
    """Started, the worker ticks immediately (invitations due go out) and reports it."""
    table = Roundtable(mail_stack, tmp_path, people=2)
    text = table.config_path.read_text()
    table.config_path.write_text(
        text.replace('invite_at = "2025-10-06T09:00:00"', 'invite_at = "2020-01-01T09:00:00"')
    )
    table.config_path.write_text(
        table.config_path.read_text().replace(
            'starts = "2025-10-23T12:00:00"', 'starts = "2099-01-01T12:00:00"'
        )
    )
    lines: list[str] = []
    serve(table.config_path, timedelta(minutes=5), lines.append, stop=lambda: True)
    assert len(lines) == 1 and "queued 2 email(s)" in lines[0]
    assert [len(table.inbox(n)) for n in (1, 2)] == [1, 1]


def test_broken_config_is_reported_and_survived(tmp_path: Path) -> None:
    """A config error during a tick is one line; the worker does not crash."""
    (tmp_path / "config.toml").write_text("[organizer]\n")
    lines: list[str] = []
    serve(tmp_path / "config.toml", timedelta(minutes=5), lines.append, stop=lambda: True)
    assert "config.toml: [organizer] email is missing" in lines[0]


def test_broken_edit_keeps_the_last_good_config_and_is_said_once(tmp_path: Path) -> None:
    """A file broken after a good load is said once; the last good config is used meanwhile."""
    good = (ROOT / "config.toml").read_text()
    path = tmp_path / "config.toml"
    path.write_text(good)
    settings = Settings(path)
    lines: list[str] = []
    now = load(path).events[0].starts
    first = settings.current(lines.append, now)
    path.write_text(good.replace("capacity = 12", "capacty = 8"))
    assert [settings.current(lines.append, now) for _ in range(3)] == [first] * 3
    assert len(lines) == 1 and "capacty: no such key; did you mean capacity?" in lines[0]
    assert "keeps the last good config" in lines[0]
    path.write_text(good)
    assert settings.current(lines.append, now) == first
    assert lines[1].endswith("config.toml is valid again; the worker uses it")


def test_any_tick_error_is_one_line_and_the_worker_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A tick that dies of a bug is one ERROR line (traceback at DEBUG); the next tick runs."""
    calls: list[int] = []

    def failing(config: object, now: object) -> None:
        calls.append(1)
        raise KeyError("boom")

    monkeypatch.setattr(daemon, "run_tick", failing)  # a fault injected: a bug in a tick
    settings = Settings(ROOT / "config.toml")
    caplog.set_level(logging.DEBUG, logger="mailer.daemon")
    now = load(ROOT / "config.toml").events[0].starts
    for _ in range(2):
        tick_once(settings, now, timedelta(minutes=5), lambda line: None)
    assert len(calls) == 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [e.getMessage() for e in errors] == [
        "tick failed: KeyError: 'boom' (next try in 0:05:00)"
    ] * 2
    assert all(e.exc_info is None for e in errors)
    assert any(r.levelno == logging.DEBUG and r.exc_info for r in caplog.records)
