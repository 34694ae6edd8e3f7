"""Forgetting a person, without servers: tombstones, erasure, silence, and List-Unsubscribe."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailer.composing import compose
from mailer.config import load
from mailer.model import Attendance, Cursor, InboundMail, OutboxKey, Outgoing
from mailer.steps import forget
from mailer.steps.messages import Handler
from mailer.store import Store

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load(ROOT / "config.toml")
EVENT = CONFIG.events[0]
ADA, GRACE = CONFIG.invitees[0], CONFIG.invitees[1]
NOW = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
ENV = compose.environment(compose.templates_dir(CONFIG))


# One seat, so that the second yes waits in line.
ONE_SEAT = replace(CONFIG, events=(replace(EVENT, capacity=1),))


def handler(store: Store, queued: list[tuple[str, str, str]] | None = None) -> Handler:
    return Handler(ONE_SEAT, store, ENV, NOW, queued if queued is not None else [])


def seated(store: Store, *people: str) -> None:
    for n, person in enumerate(people):
        since = NOW - timedelta(hours=10 - n)
        store.save_attendance(
            EVENT.id, Attendance(person, NOW - timedelta(days=1), "yes", since, n + 1, True)
        )


def test_invitations_carry_a_mailto_list_unsubscribe() -> None:
    """An invitation names the organizer's address as its List-Unsubscribe (RFC 2369, mailto)."""
    outgoing = Outgoing(OutboxKey(EVENT.id, ADA.email, "invitation", 0))
    raw = compose.render(outgoing, CONFIG, EVENT, ADA, ENV, NOW).raw
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["List-Unsubscribe"] == f"<mailto:{CONFIG.organizer_email}?subject=unsubscribe>"


def test_a_tombstone_is_a_keyed_hash_not_the_address(tmp_path: Path) -> None:
    """The tombstone matches the address in any case, holds no part of it, and differs per key."""
    first, second = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    forget.forget(handler(first), ADA.email, NOW, "command")
    forget.forget(handler(second), ADA.email, NOW, "command")
    assert first.forgotten_tag(ADA.email.upper()) is not None
    rows = first.tombstones()
    assert not {r["hash"] for r in rows} & {r["hash"] for r in second.tombstones()}
    local, domain = ADA.email.split("@")
    kept = str([r for r in rows if not r["pending"]])
    # The domain is no hex; a short local part ("ada") may well turn up in a hex digest by chance.
    assert domain not in kept and f"{local}@" not in kept


def test_forgetting_frees_the_seat_for_the_first_in_line(tmp_path: Path) -> None:
    """A forgotten seat holder's seat goes to the first in line, who is told; they hear nothing."""
    store = Store(tmp_path / "m.db")
    seated(store, ADA.email, GRACE.email)
    queued: list[tuple[str, str, str]] = []
    forget.forget(handler(store, queued), ADA.email, NOW, "reply")
    assert ADA.email not in store.roster(EVENT.id)
    kinds = {key.split("/")[2] for key, _, _ in queued}
    assert kinds == {"promoted", "forgotten"} or kinds == {"offer", "forgotten"}
    assert [r for _, r, _ in queued if r == ADA.email] == [ADA.email]  # the confirmation alone


def test_erasure_repeated_changes_nothing(tmp_path: Path) -> None:
    """Running the erasure again (after a crash) finds nothing more to change."""
    store = Store(tmp_path / "m.db")
    seated(store, ADA.email)
    raw = f"From: {ADA.email}\r\nSubject: yes\r\n\r\nyes\r\n".encode()
    store.save_inbound([InboundMail(1, 1, NOW, raw)], Cursor(1, 1), ["<a@x>"])
    forget.forget(handler(store), ADA.email, NOW, "command")
    tag = store.forgotten_tag(ADA.email)
    assert tag is not None
    assert store.erase(ADA.email, tag) == 0


def test_nothing_is_queued_to_a_forgotten_person(tmp_path: Path) -> None:
    """After forgetting, no email of any kind is queued to them (a reminder, a digest, a nudge)."""
    store = Store(tmp_path / "m.db")
    forget.forget(handler(store), GRACE.email, NOW, "command")
    queued: list[tuple[str, str, str]] = []
    handler(store, queued).queue(Outgoing(OutboxKey(EVENT.id, GRACE.email, "nudge", 0)))
    assert queued == []


def test_forgotten_invitees_are_not_invited(tmp_path: Path) -> None:
    """The invitation step skips an invitee whose address is in the tombstones."""
    store = Store(tmp_path / "m.db")
    forget.forget(handler(store), ADA.email, NOW, "command")
    assert ADA not in forget.remembered(store, CONFIG.invitees)
    assert forget.still_listed(store, CONFIG) == [(ADA.email, store.forgotten_tag(ADA.email))]


def test_the_address_is_kept_only_until_the_confirmation_went(tmp_path: Path) -> None:
    """A tick before the confirmation is sent (a crash, an SMTP outage) keeps the erasure open;
    once it is sent, its body and the address are dropped."""
    store = Store(tmp_path / "m.db")
    forget.forget(handler(store), ADA.email, NOW, "reply")
    forget.settle(ONE_SEAT, store, None, NOW)
    assert [r["pending"] for r in store.unfinished_erasures()] == [ADA.email]
    (row,) = [r for r in store.outbox() if r["kind"] == "forgotten"]
    store.record_sent(row["key"], "sent", NOW, None, 250)
    forget.settle(ONE_SEAT, store, None, NOW)
    assert store.unfinished_erasures() == []
    assert ADA.email not in str(store.raw_outbox()) + str(store.outbox())


def test_an_address_inside_another_is_not_erased(tmp_path: Path) -> None:
    """Forgetting an@corp.test leaves mail from jan@corp.test (and an@corp.test.au) alone."""
    store = Store(tmp_path / "m.db")
    others = [
        f"From: jan@corp.test\r\nSubject: yes\r\n\r\nyes, cc {who}\r\n".encode()
        for who in ("jan@corp.test", "an@corp.test.au")
    ]
    mails = [InboundMail(1, n + 1, NOW, raw) for n, raw in enumerate(others)]
    store.save_inbound(mails, Cursor(1, 2), ["<j1@x>", "<j2@x>"])
    for row in store.pending_inbound():
        store.finish_inbound(row["id"], "done", outcome="seated")
    forget.forget(handler(store), "an@corp.test", NOW, "command")
    kept = store.db.execute("SELECT raw FROM inbound ORDER BY uid").fetchall()
    assert [bytes(r[0]) for r in kept] == others
