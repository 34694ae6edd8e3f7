"""Invariants of the seating rules, checked on many random sequences of answers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mailer.config import Event
from mailer.decisions.decide import Answer, decide
from mailer.decisions.seats import places
from mailer.model import Attendance, Intent

T0 = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
PEOPLE = [f"p{n}@example.com" for n in range(8)]

answers = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(list(Intent)), st.integers(0, 500)),
    max_size=40,
)


def event(capacity: int) -> Event:
    return Event("ev", "T", "T", T0 + timedelta(days=10), 75, capacity, T0)


def run(capacity: int, script: list[tuple[str, Intent, int]]) -> dict[str, Attendance]:
    roster = {p: Attendance(person=p, invited_at=T0) for p in PEOPLE}
    ordered = sorted(enumerate(script), key=lambda item: (item[1][2], item[0]))
    for uid, (person, intent, minute) in ordered:
        answer = Answer("ev", person, intent, T0 + timedelta(minutes=minute), uid, uid)
        decision = decide(roster, event(capacity), answer)
        roster = {**roster, **{a.person: a for a in decision.changed}}
    return roster


def standing_yeses(script: list[tuple[str, Intent, int]]) -> list[str]:
    """The model answer: each person's last firm word; yeses ordered by when their run of yes began."""
    since: dict[str, tuple[int, int]] = {}
    ordered = sorted(enumerate(script), key=lambda item: (item[1][2], item[0]))
    for uid, (person, intent, minute) in ordered:
        if intent is Intent.YES and person not in since:
            since[person] = (minute, uid)
        elif intent is Intent.NO:
            since.pop(person, None)
    return sorted(since, key=lambda p: since[p])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), answers)
def test_never_more_than_capacity_seated(
    capacity: int, script: list[tuple[str, Intent, int]]
) -> None:
    """However answers arrive, no more than `capacity` people are seated."""
    seats = places(run(capacity, script).values(), capacity)
    assert sum(1 for s in seats.values() if s.state == "seated") <= capacity


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), answers)
def test_seated_are_the_earliest_standing_yeses(
    capacity: int, script: list[tuple[str, Intent, int]]
) -> None:
    """The seated are exactly the earliest yeses still standing, and the line follows in order."""
    seats = places(run(capacity, script).values(), capacity)
    expected = standing_yeses(script)
    seated = sorted(
        (p for p, s in seats.items() if s.state == "seated"), key=lambda p: seats[p].position or 0
    )
    waiting = sorted(
        (p for p, s in seats.items() if s.state == "waitlisted"),
        key=lambda p: seats[p].position or 0,
    )
    assert seated == expected[:capacity]
    assert waiting == expected[capacity:]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), answers)
def test_repeating_an_answer_changes_nothing(
    capacity: int, script: list[tuple[str, Intent, int]]
) -> None:
    """Deciding the last answer a second time changes no row and sends nothing but a clarification."""
    roster = run(capacity, script)
    if not script:
        return
    person, intent, _ = script[-1]
    again = Answer("ev", person, intent, T0 + timedelta(minutes=501), 10_000, 10_000)
    if intent in (Intent.YES, Intent.NO):
        decision = decide(roster, event(capacity), again)
        decision_twice = decide(
            {**roster, **{a.person: a for a in decision.changed}}, event(capacity), again
        )
        assert decision_twice.changed == () and decision_twice.outgoing == ()


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), answers, st.randoms(use_true_random=False))
def test_no_answer_takes_a_seat_from_someone_else(
    capacity: int, script: list[tuple[str, Intent, int]], rnd: random.Random
) -> None:
    """In any processing order, one person's answer never unseats another person."""
    roster = {p: Attendance(person=p, invited_at=T0) for p in PEOPLE}
    order = list(enumerate(script))
    rnd.shuffle(order)
    for uid, (person, intent, minute) in order:
        answer = Answer("ev", person, intent, T0 + timedelta(minutes=minute), uid, uid)
        before = places(roster.values(), capacity)
        decision = decide(roster, event(capacity), answer)
        roster = {**roster, **{a.person: a for a in decision.changed}}
        after = places(roster.values(), capacity)
        for other, place in before.items():
            if other != person and place.state == "seated":
                assert after[other].state == "seated"
