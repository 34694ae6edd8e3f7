"""The worker: ticks at once and on its schedule; a failing tick does not stop it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from mailer.daemon import serve
from mailer.testing import MailStack

from .scenario import Roundtable


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
