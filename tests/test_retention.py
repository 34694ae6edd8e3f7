"""[privacy] keep_messages_days: message bodies dropped that long after their meeting, decisions kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from mailer.config import load
from mailer.model import Cursor, InboundMail
from mailer.steps import retention
from mailer.store import Store

ROOT = Path(__file__).resolve().parents[1]
CONFIG = replace(load(ROOT / "config.toml"), keep_messages_days=30)
EVENT = CONFIG.events[0]


def stored_reply(store: Store) -> int:
    raw = b"From: ada@example.com\r\nSubject: yes\r\n\r\nyes, gladly\r\n"
    arrived = EVENT.starts - timedelta(days=5)
    store.save_inbound([InboundMail(1, 1, arrived, raw)], Cursor(1, 1), ["<a@x>"])
    row = store.pending_inbound()[0]
    store.finish_inbound(row["id"], "done", event=EVENT.id, outcome="said yes")
    return int(row["id"])


def body(store: Store) -> bytes:
    return bytes(store.db.execute("SELECT raw FROM inbound").fetchone()[0])


def test_bodies_stay_until_the_days_have_passed(tmp_path: Path) -> None:
    """Before keep_messages_days have passed since the meeting ended, the body is kept."""
    store = Store(tmp_path / "m.db")
    stored_reply(store)
    assert retention.expire(CONFIG, store, EVENT.ends + timedelta(days=29)) == 0
    assert b"gladly" in body(store)


def test_bodies_go_after_the_days_the_decision_stays(tmp_path: Path) -> None:
    """Once they have passed, the body is blanked and the decision made from it stays."""
    store = Store(tmp_path / "m.db")
    stored_reply(store)
    assert retention.expire(CONFIG, store, EVENT.ends + timedelta(days=30)) == 1
    assert body(store) == b""
    assert store.db.execute("SELECT outcome FROM inbound").fetchone()[0] == "said yes"


def test_zero_keeps_everything(tmp_path: Path) -> None:
    """keep_messages_days = 0 (the default) keeps every body."""
    store = Store(tmp_path / "m.db")
    stored_reply(store)
    unset = replace(CONFIG, keep_messages_days=0)
    assert retention.expire(unset, store, EVENT.ends + timedelta(days=3650)) == 0
