"""The SQLite store: progress and mail commit together; keys and Message-IDs keep things once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailer.model import Cursor, InboundMail, OutboxKey
from mailer.store import Store, stamp

NOW = datetime(2025, 10, 6, 14, 0, tzinfo=UTC)


def mail(uidvalidity: int, uid: int) -> InboundMail:
    return InboundMail(uidvalidity, uid, NOW + timedelta(seconds=uid), b"Subject: x\r\n\r\nyes\r\n")


def test_cursor_advances_with_the_mail(tmp_path: Path) -> None:
    """Stored mail and the cursor past it are saved in one step."""
    store = Store(tmp_path / "m.db")
    store.save_inbound([mail(7, 1), mail(7, 2)], Cursor(7, 2), ["<a@x>", "<b@x>"])
    assert store.cursor() == Cursor(7, 2)
    assert [row["uid"] for row in store.pending_inbound()] == [1, 2]


def test_same_uid_twice_is_stored_once(tmp_path: Path) -> None:
    """Fetching the same UID again (a crash before the cursor moved) adds nothing."""
    store = Store(tmp_path / "m.db")
    store.save_inbound([mail(7, 1)], Cursor(7, 1), ["<a@x>"])
    assert store.save_inbound([mail(7, 1)], Cursor(7, 1), ["<a@x>"]) == 0
    assert len(store.pending_inbound()) == 1


def test_new_uidvalidity_does_not_decide_old_mail_again(tmp_path: Path) -> None:
    """After UIDVALIDITY changes, mail already held (same Message-ID) is kept as a duplicate only."""
    store = Store(tmp_path / "m.db")
    store.save_inbound([mail(7, 1)], Cursor(7, 1), ["<a@x>"])
    store.finish_inbound(store.pending_inbound()[0]["id"], "done")
    added = store.save_inbound([mail(9, 1), mail(9, 2)], Cursor(9, 2), ["<a@x>", "<new@x>"])
    assert added == 1
    assert [row["message_id"] for row in store.pending_inbound()] == ["<new@x>"]


def test_outbox_key_is_recorded_once(tmp_path: Path) -> None:
    """Queuing the same key twice keeps the first email and reports the second as not new."""
    store = Store(tmp_path / "m.db")
    key = OutboxKey("ev", "a@x", "seated", 3)
    assert store.queue(key, "<1@x>", "a@x", "s", b"raw", NOW)
    assert not store.queue(key, "<2@x>", "a@x", "s", b"other", NOW)
    assert [row["key"] for row in store.due(NOW)] == [str(key)]


def test_retry_waits_until_its_time(tmp_path: Path) -> None:
    """An email marked for retry is not due again before its next attempt time."""
    store = Store(tmp_path / "m.db")
    key = OutboxKey("ev", "a@x", "seated", 3)
    store.queue(key, "<1@x>", "a@x", "s", b"raw", NOW)
    store.record_sent(str(key), "retry", NOW, NOW + timedelta(minutes=2), 451, "busy")
    assert store.due(NOW + timedelta(minutes=1)) == []
    assert len(store.due(NOW + timedelta(minutes=2))) == 1


def test_stamps_sort_as_time(tmp_path: Path) -> None:
    """Stored times compare as text in time order, whatever zone they came in."""
    early = datetime(2025, 10, 6, 9, 0, tzinfo=UTC)
    later_elsewhere = datetime(2025, 10, 6, 10, 0, 0, 1, tzinfo=UTC).astimezone()
    assert stamp(early) < stamp(later_elsewhere)


def test_message_copied_back_is_not_decided_twice(tmp_path: Path) -> None:
    """The same Message-ID under a new UID of the same folder is a duplicate."""
    store = Store(tmp_path / "m.db")
    store.save_inbound([mail(7, 1)], Cursor(7, 1), ["<a@x>"])
    assert store.save_inbound([mail(7, 5)], Cursor(7, 5), ["<a@x>"]) == 0
    assert len(store.pending_inbound()) == 1


def test_message_without_id_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    """Mail with no Message-ID is recognised again by its content after a rescan."""
    store = Store(tmp_path / "m.db")
    store.save_inbound([mail(7, 1)], Cursor(7, 1), [None])
    assert store.save_inbound([mail(9, 1)], Cursor(9, 1), [None]) == 0
