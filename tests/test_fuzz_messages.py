"""Whole hostile and broken messages, generated: reading never fails, and no one is seated by a lie.

CI runs a bounded number of examples; `FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_fuzz_messages.py`
runs a longer search. The count of messages tried and what they were read as is printed at the
end of the run (tests/conftest.py, `pytest_terminal_summary`).
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailer.composing import compose
from mailer.config import Config, load
from mailer.decisions.seats import places
from mailer.model import Attendance, Cursor, InboundMail
from mailer.reading.classify import classify
from mailer.reports.explain import Setting, explain
from mailer.steps.messages import Handler
from mailer.store import Store
from tests.message_strategies import INVITEES, messages
from tests.test_explain import write_config

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def bounded(ci_examples: int) -> settings:
    """A few seconds per test in CI; FUZZ_EXAMPLES sets the number of examples instead.

    The short run is the same sample every time (a suite that passes passes again); the long run
    draws afresh, to find what the fixed sample does not.
    """
    return settings(
        max_examples=EXAMPLES or ci_examples,
        derandomize=not EXAMPLES,
        deadline=timedelta(seconds=10),  # far above any honest message: catches runaway reading
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


EVENT = "2026-12-velocity"
CAPACITY = 2  # write_config's
INVITED = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)

ENV = compose.environment(compose.templates_dir())
# What the generated messages were read as and how they ended: printed at the end of the run.
TRIED: Counter[str] = Counter()
_ENCODED_WORD = re.compile(rb"=\?[^?\s]*\?[^?\s]*\?[^?\s]*(\?=)?")


def rfc5322_from(raw: bytes) -> tuple[str, bool]:
    """The From address email.headerregistry (policy.default) reads, and whether it read it cleanly.

    Clean: one address and no defects. On malformed headers the registry itself decodes encoded
    words in the address position, so there only the weaker rule (`literal_addresses`) is fair.
    """
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    try:
        header = msg["From"]
    except Exception:
        return "", False
    if header is None:
        return "", True
    found = [a.addr_spec.lower() for a in header.addresses]
    clean = len(found) == 1 and not header.defects and "@" in found[0]
    return (found[0] if found else ""), clean


def literal_addresses(raw: bytes) -> set[str]:
    """The invitee addresses written in the From header itself, outside any encoded-word."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = re.findall(rb"(?im)^from:(.*(?:\r?\n[ \t].*)*)", head)
    if not lines:
        return set()
    plain = _ENCODED_WORD.sub(b" ", lines[0]).decode("latin-1").lower()
    return {a for a in (*INVITEES, "ada.example@work.example") if a in plain}


@pytest.fixture(scope="module")
def config() -> Config:
    """The project's config.toml: Ada (and her alias), Grace, Linus; two seats."""
    with tempfile.TemporaryDirectory() as folder:
        return load(write_config(Path(folder)))


@bounded(300)
@given(raw=messages())
def test_classify_never_raises_and_returns(raw: bytes) -> None:
    """Any bytes at all are read as some Reply, without an exception, in bounded time."""
    reply = classify(raw)
    TRIED[f"read as {reply.kind.value}"] += 1
    assert reply.kind is not None and isinstance(reply.sender, str)


@bounded(300)
@given(raw=messages())
def test_from_is_the_rfc5322_address_never_a_display_name(raw: bytes) -> None:
    """Reply.sender is the address headerregistry parses, never one only in an encoded name."""
    reply = classify(raw)
    expected, clean = rfc5322_from(raw)
    if clean:
        assert reply.sender == expected
    if reply.sender in (*INVITEES, "ada.example@work.example"):
        assert reply.sender in literal_addresses(raw)


def _handle_all(config: Config, raws: list[bytes]) -> None:
    """Each message through the tick's Handler on a real SQLite file; the invariants per message."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "m.db")
        for person in INVITEES:
            store.save_attendance(EVENT, Attendance(person, INVITED))
        handler = Handler(config, store, ENV, NOW, [])
        for uid, raw in enumerate(raws, 1):
            arrived = NOW - timedelta(minutes=len(raws) - uid)
            store.save_inbound([InboundMail(1, uid, arrived, raw)], Cursor(1, uid), [None])
            before, stored = store.roster(EVENT), _rows(store)
            foreseen = explain(raw, Setting(config, store), arrived)
            assert (store.roster(EVENT), _rows(store)) == (before, stored), "explain changed it"
            pending = store.pending_inbound()
            for row in pending:
                handler.handle(row, [EVENT])  # an exception here fails the test
            after = store.roster(EVENT)
            if pending:  # explain foretells whose place moves (a duplicate is not decided)
                moved = {c.person for c in foreseen.changes if c.before.state != c.after.state}
                assert moved == _moved(before, after)
            sender = classify(raw).sender
            for person, row in after.items():
                if row.answer != before[person].answer:
                    invitee = config.invitee_for(person)
                    assert invitee is not None and sender in invitee.addresses, (
                        f"{person}'s answer changed by a message from {sender!r}"
                    )
        statuses = [r[0] for r in store.db.execute("SELECT status FROM inbound ORDER BY uid")]
        store.close()
    assert len(statuses) == len(raws), "a message was lost"
    assert set(statuses) <= {"done", "set_aside", "duplicate"}
    TRIED.update(f"handled: {s}" for s in statuses)


def _rows(store: Store) -> tuple[int, ...]:
    tables = ("inbound", "outbox", "notices", "topics", "github_logins")
    return tuple(store.db.table(name).count for name in tables)


def _moved(before: dict[str, Attendance], after: dict[str, Attendance]) -> set[str]:
    was, now = places(before.values(), CAPACITY), places(after.values(), CAPACITY)
    return {person for person in now if now[person].state != was[person].state}


@bounded(120)
@given(raws=st.lists(messages(), min_size=1, max_size=6))
def test_handling_ends_every_message_and_seats_only_its_sender(
    config: Config, raws: list[bytes]
) -> None:
    """Every message ends done or set aside, none is lost, only its sender's answer moves, and
    `mailer explain` foretold whose place moves without changing anything."""
    _handle_all(config, raws)


def test_calendar_accept_for_another_invitee_seats_no_one(config: Config) -> None:
    """An Accept from Ada naming Grace as ATTENDEE (found by this fuzz) changes no one's answer."""
    raw = (
        b"From: Ada <ada@example.com>\r\nSubject: Accepted: Roundtable\r\n"
        b"Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n"
        b"BEGIN:VEVENT\r\nUID:roundtable-2026-12-velocity@example.org\r\n"
        b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:grace@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    _handle_all(config, [raw])


def summary() -> str:
    """One line: how many generated messages were read, as what, and how handling ended."""
    read = {k.removeprefix("read as "): n for k, n in TRIED.items() if k.startswith("read as ")}
    handled = {
        k.removeprefix("handled: "): n for k, n in TRIED.items() if k.startswith("handled: ")
    }

    def counts(found: dict[str, int]) -> str:
        return ", ".join(f"{kind} {n}" for kind, n in sorted(found.items(), key=lambda i: -i[1]))

    return (
        f"fuzz: {sum(read.values())} messages read ({counts(read)}); "
        f"{sum(handled.values())} handled ({counts(handled)})"
    )
