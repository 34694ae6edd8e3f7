"""The worker's parts: ticks at once, config kept while broken, outages said once, one worker per
database, logs as text or JSON without secrets, the IDLE wait, the moved clock."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mailer import clock
from mailer.adapters.imap_idle import IdleWatch
from mailer.config import load
from mailer.daemon import (
    Bell,
    Options,
    Outages,
    Settings,
    WorkerRunning,
    only_worker,
    serve,
    setup_logs,
    tick_once,
)
from mailer.daemon import loop as daemon_loop
from mailer.daemon.logs import event
from mailer.daemon.outages import backoff
from mailer.runtime import run_tick
from mailer.testing import MailStack, sample_message
from mailer.testing.worker_process import wait_until

from .scenario import T0, Roundtable

ROOT = Path(__file__).resolve().parents[1]
MINUTE = timedelta(minutes=1)


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """The worker's log, as JSON lines, captured in memory."""
    stream = io.StringIO()
    handler = setup_logs("json", verbose=True, secrets=lambda: ["hunter2-secret"], stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def events(stream: io.StringIO, name: str = "") -> list[dict[str, str]]:
    found = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [e for e in found if not name or e["event"] == name]


def test_worker_ticks_at_once(mail_stack: MailStack, tmp_path: Path) -> None:
    """Started, the worker ticks immediately: the invitations due go out."""
    table = Roundtable(
        mail_stack,
        tmp_path,
        people=2,
        invite_at=datetime(2020, 1, 1, tzinfo=UTC),
        starts=datetime(2099, 1, 1, tzinfo=UTC),
    )
    bell = Bell()
    worker = threading.Thread(
        target=serve, args=(table.config_path, Options(idle=False)), kwargs={"bell": bell}
    )
    worker.start()
    try:
        wait_until(lambda: len(mail_stack.smtp.envelopes) >= 2, 10, "two invitations sent")
    finally:
        bell.ring(bell.stop)
        worker.join(10)
    assert [len(table.inbox(n)) for n in (1, 2)] == [1, 1]


def test_a_broken_file_at_start_is_said_and_waited_out(tmp_path: Path, logged: io.StringIO) -> None:
    """A config error before any good config is one line; there is nothing to act on yet."""
    (tmp_path / "config.toml").write_text("[organizer]\n")
    assert Settings(tmp_path / "config.toml").current() is None
    [line] = events(logged, "config_broken")
    assert "config.toml: [organizer] email is missing" in line["message"]
    assert "the worker waits until it is fixed" in line["message"]


def test_broken_edit_keeps_the_last_good_config_and_is_said_once(
    tmp_path: Path, logged: io.StringIO
) -> None:
    """A file broken after a good load is said once; the last good config is used meanwhile."""
    good = (ROOT / "config.toml").read_text()
    path = tmp_path / "config.toml"
    path.write_text(good)
    settings = Settings(path)
    first = settings.current()
    path.write_text(good.replace("capacity = 12", "capacty = 8"))
    assert [settings.current(force=True) for _ in range(3)] == [first] * 3
    [broken] = events(logged, "config_broken")
    assert "capacty: no such key; did you mean capacity?" in broken["message"]
    assert "keeps the last good config" in broken["message"]
    path.write_text(good)
    assert settings.current() == first
    assert (
        events(logged, "config_fixed")[0]["message"]
        == "config.toml is valid again; the worker uses it"
    )


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    """The config is re-read only when the file changed (or on SIGHUP's force)."""
    path = tmp_path / "config.toml"
    path.write_text((ROOT / "config.toml").read_text())
    settings = Settings(path)
    first = settings.current()
    assert settings.current() is first
    assert settings.current(force=True) is not first


def test_a_new_database_path_waits_for_a_restart(tmp_path: Path, logged: io.StringIO) -> None:
    """The worker's lock is on its first database: an edit of [database] path is said, and kept
    out until the worker restarts."""
    path = tmp_path / "config.toml"
    text = (ROOT / "config.toml").read_text()
    path.write_text(text)
    settings = Settings(path)
    first = settings.current()
    assert first is not None
    path.write_text(text.replace('path = "mailer.db"', 'path = "other.db"'))
    again = settings.current(force=True)
    assert again is not None and again.database == first.database
    assert "restart the worker" in events(logged, "problem")[0]["message"]


def test_a_failing_tick_is_said_once_per_outage(
    monkeypatch: pytest.MonkeyPatch, logged: io.StringIO
) -> None:
    """A tick dying of a bug again and again is one ERROR line, then one "recovered"."""
    calls: list[int] = []

    def failing(config: object, now: object, **options: object) -> None:
        calls.append(1)
        raise KeyError("boom")

    monkeypatch.setattr(daemon_loop, "run_tick", failing)  # a fault injected: a bug in a tick
    settings, outages = Settings(ROOT / "config.toml"), Outages()
    now = load(ROOT / "config.toml").events[0].starts
    assert all(tick_once(settings, now, outages) for _ in range(3))
    assert len(calls) == 3
    [line] = events(logged, "retrying")
    assert line["level"] == "error" and line["message"].startswith("tick: tick failed: KeyError")
    outages.up(["tick"])
    assert len(events(logged, "recovered")) == 1


def test_a_new_cause_during_an_outage_is_said_once_more(logged: io.StringIO) -> None:
    """The IDLE watch saw a closed connection; the tick then finds the real cause: said too."""
    from mailer.daemon.outages import Outages

    outages = Outages()
    outages.down("imap", "closed the connection")
    outages.down("imap", "password_command failed: run oama authorize")
    outages.down("imap", "password_command failed: run oama authorize")
    outages.up(["smtp"])  # another server answering says nothing of IMAP
    outages.up(["imap"])
    said = [e["message"] for e in events(logged) if e["event"] in ("retrying", "recovered")]
    assert said[1:] == [
        "imap: still failing, now: password_command failed: run oama authorize",
        said[2],
    ]
    assert len(said) == 3 and said[2].startswith("imap: recovered after")
    assert outages.recovered.is_set()  # the IDLE watch resumes at once


def test_backoff_doubles_from_a_second_up_to_its_cap() -> None:
    """Retries come after 1, 2, 4, 8 ... seconds, never more than the cap apart."""
    spans = [backoff(n, MINUTE).total_seconds() for n in range(1, 9)]
    assert spans == [1, 2, 4, 8, 16, 32, 60, 60]


def test_a_second_worker_on_one_database_is_refused(tmp_path: Path) -> None:
    """The worker lock names the process that holds it."""
    database = tmp_path / "mailer.db"
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with only_worker(database, now), pytest.raises(WorkerRunning) as refused:  # noqa: SIM117
        with only_worker(database, now):
            pass
    assert "since 2026-12-01 09:00:00" in str(refused.value) and "pid " in str(refused.value)
    with only_worker(database, now):  # released: the next worker may start
        pass


def test_json_log_lines_carry_the_event_and_never_a_secret(logged: io.StringIO) -> None:
    """One JSON object per line (time, level, event, message, fields); secrets become ***."""
    event(logging.WARNING, "retrying", "imap: login hunter2-secret refused", server="imap")
    logging.getLogger("mailer.tick").info("send %s: %s %s", "ev/ada@x.test/seated/1", "sent", "")
    retrying, sent = events(logged)
    assert retrying == {
        "time": retrying["time"],
        "level": "warning",
        "event": "retrying",
        "message": "imap: login *** refused",
        "server": "imap",
    }
    assert sent["event"] == "sent" and sent["person"] == "ada@x.test" and sent["kind"] == "seated"


def test_the_ticks_own_lines_become_events_a_person_cares_about(logged: io.StringIO) -> None:
    """Sent, seated, promoted, waitlisted, refused and bounced, from the tick's own log lines
    (the same format constants the tick writes with, so a new wording cannot lose an event)."""
    from mailer.steps.messages import DECIDED
    from mailer.steps.outgoing import QUEUED
    from mailer.tick import SENT

    tick, decide = logging.getLogger("mailer.tick"), logging.getLogger("mailer.decide")
    tick.info(SENT, "ev/ada@x.test/reminder-1d/9", "sent", "250 ok")
    tick.info(SENT, "ev/bob@x.test/seated/1", "failed", "550 no such user")
    for kind in ("seated", "promoted", "waitlisted", "declined"):
        decide.info(QUEUED, f"ev/ada@x.test/{kind}/1", "<m@x>")
    decide.info(DECIDED, "<b@x>", "bounce", "delivery to bob@x.test failed permanently: check")
    named = [e["event"] for e in events(logged) if e["event"] != "log"]
    assert named == ["sent", "failed", "seated", "promoted", "waitlisted", "bounced"]


def test_idle_wait_returns_as_soon_as_mail_arrives(mail_stack: MailStack) -> None:
    """IDLE times out quietly without mail, and returns True within seconds when mail lands."""
    settings = mail_stack.imap_settings("alice@example.test")
    with IdleWatch(settings) as watch:
        assert watch.supported
        assert watch.wait(0.2) is False
        timer = threading.Timer(
            0.2,
            mail_stack.deliver,
            ("alice@example.test", sample_message("alice@example.test").as_bytes()),
        )
        timer.start()
        assert watch.wait(10) is True
        timer.join()


def test_the_clock_can_be_moved_and_sped_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """MAILER_CLOCK="START*SPEED" starts the clock at START and runs it SPEED times as fast."""
    monkeypatch.setenv(clock.CLOCK_ENV, "2026-01-05T09:00:00+00:00*3600")
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    assert start <= clock.now() < start + timedelta(hours=1)
    assert clock.real_seconds(timedelta(hours=2)) == 2.0


def test_a_stop_between_emails_leaves_the_rest_due(mail_stack: MailStack, tmp_path: Path) -> None:
    """Asked to stop mid-batch, the tick hands over no further email; the next start sends the
    rest, each once."""
    table = Roundtable(mail_stack, tmp_path, people=4, capacity=3)
    config = load(table.config_path)
    asked: list[int] = []

    def stopping() -> bool:  # SIGTERM arrives while the first invitation is being handed over
        asked.append(1)
        return len(asked) > 1

    run_tick(config, T0, stopping=stopping)
    assert sum(len(mail_stack.messages(table.address(n))) for n in range(1, 5)) == 1
    run_tick(config, T0 + timedelta(minutes=1))
    assert [len(mail_stack.messages(table.address(n))) for n in range(1, 5)] == [1, 1, 1, 1]
