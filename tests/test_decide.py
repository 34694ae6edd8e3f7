"""The decision core: seats, the waiting line and the emails each answer calls for."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from mailer.config import Event, Invitee
from mailer.decisions.decide import Answer, decide, invitations_due, is_open, mark_bounced
from mailer.decisions.pacing import backoff, within_daily_cap
from mailer.decisions.seats import Place, places
from mailer.model import Attendance, Intent

T0 = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
EVENT = Event(
    id="ev",
    title="Roundtable",
    theme="Velocity",
    starts=datetime(2026, 12, 10, 22, 0, tzinfo=UTC),
    duration_minutes=75,
    capacity=2,
    invite_at=T0,
)


def invited(*people: str) -> dict[str, Attendance]:
    return {p: Attendance(person=p, invited_at=T0) for p in people}


def say(person: str, intent: Intent, minutes: int, uid: int | None = None) -> Answer:
    uid = uid if uid is not None else minutes
    return Answer("ev", person, intent, T0 + timedelta(minutes=minutes), uid, source=uid)


def play(
    roster: dict[str, Attendance], *answers: Answer
) -> tuple[dict[str, Attendance], list[str]]:
    """Apply answers in order; returns the roster and the emails as 'person:kind'."""
    sent: list[str] = []
    for answer in answers:
        decision = decide(roster, EVENT, answer)
        roster = {**roster, **{a.person: a for a in decision.changed}}
        sent += [f"{o.key.person}:{o.key.kind}" for o in decision.outgoing]
    return roster, sent


def test_first_yes_takes_seat_one() -> None:
    """A yes while seats are free is seated, with a confirmation naming the seat."""
    roster, sent = play(invited("a", "b"), say("a", Intent.YES, 1))
    assert places(roster.values(), 2)["a"].state == "seated"
    assert sent == ["a:seated"]
    decision = decide(invited("a"), EVENT, say("a", Intent.YES, 1))
    assert decision.outgoing[0].context == {"seat": 1, "capacity": 2}


def test_yes_when_full_is_waitlisted_with_place() -> None:
    """A yes when every seat is taken joins the waiting line and is told its place."""
    roster, sent = play(
        invited("a", "b", "c", "d"), *(say(p, Intent.YES, n) for n, p in enumerate("abcd"))
    )
    seats = places(roster.values(), 2)
    assert (seats["c"], seats["d"]) == (Place("waitlisted", 1), Place("waitlisted", 2))
    assert sent[2:] == ["c:waitlisted", "d:waitlisted"]


def test_second_yes_changes_nothing_and_sends_nothing() -> None:
    """A repeated yes keeps the seat and sends no email."""
    roster, _ = play(invited("a"), say("a", Intent.YES, 1))
    decision = decide(roster, EVENT, say("a", Intent.YES, 5))
    assert decision.changed == () and decision.outgoing == ()


def test_no_from_seated_frees_seat_for_first_in_line() -> None:
    """A seated person's no frees the seat; the first in line is seated at once and told so."""
    roster, sent = play(
        invited("a", "b", "c", "d"),
        *(say(p, Intent.YES, n) for n, p in enumerate("abcd")),
        say("a", Intent.NO, 10),
    )
    seats = places(roster.values(), 2)
    assert seats["a"].state == "cancelled"
    assert seats["c"].state == "seated" and seats["d"].position == 1
    assert sent[-2:] == ["a:cancelled", "c:promoted"]


def test_no_from_waitlisted_leaves_the_line() -> None:
    """A waitlisted person's no takes them off the line, and nobody is promoted."""
    roster, sent = play(
        invited("a", "b", "c", "d"),
        *(say(p, Intent.YES, n) for n, p in enumerate("abcd")),
        say("c", Intent.NO, 10),
    )
    assert places(roster.values(), 2)["d"].position == 1
    assert sent[-1:] == ["c:left_waitlist"]


def test_first_no_is_declined_and_thanked() -> None:
    """A no as the first answer is a decline, with a thank-you."""
    roster, sent = play(invited("a"), say("a", Intent.NO, 1))
    assert places(roster.values(), 2)["a"].state == "declined"
    assert sent == ["a:declined"]


def test_maybe_is_undecided_and_holds_no_seat() -> None:
    """A maybe holds no seat; the person is told seats go to firm yeses."""
    roster, sent = play(invited("a"), say("a", Intent.MAYBE, 1))
    assert places(roster.values(), 2)["a"].state == "undecided"
    assert sent == ["a:undecided"]


def test_maybe_from_seated_keeps_the_seat() -> None:
    """A tentative answer from someone seated keeps their seat and reminds them how to give it up."""
    roster, sent = play(invited("a"), say("a", Intent.YES, 1), say("a", Intent.MAYBE, 2))
    assert places(roster.values(), 2)["a"].state == "seated"
    assert sent == ["a:seated", "a:kept"]


def test_unclear_asks_for_yes_or_no_and_changes_nothing() -> None:
    """An unclear reply changes nothing and asks one short question."""
    roster, sent = play(invited("a"), say("a", Intent.UNCLEAR, 1))
    assert roster == invited("a")
    assert sent == ["a:clarify"]


def test_reply_after_start_changes_nothing() -> None:
    """A reply that reached the server after the start changes nothing and sends nothing."""
    late = Answer("ev", "a", Intent.YES, EVENT.starts, 1, 1)
    decision = decide(invited("a"), EVENT, late)
    assert decision.changed == () and decision.outgoing == ()


def test_uninvited_person_is_ignored() -> None:
    """An answer from someone not on the roster seats no one."""
    assert decide(invited("a"), EVENT, say("z", Intent.YES, 1)).outgoing == ()


def test_same_second_yeses_are_ordered_by_uid() -> None:
    """Two yeses with the same INTERNALDATE are ordered by their UID."""
    roster, _ = play(
        invited("a", "b", "c"),
        say("b", Intent.YES, 1, uid=8),
        say("a", Intent.YES, 1, uid=7),
        say("c", Intent.YES, 1, uid=9),
    )
    assert places(roster.values(), 2)["c"].state == "waitlisted"


def test_yes_again_after_no_joins_at_the_back() -> None:
    """Someone who gave up a seat and says yes again queues behind those already waiting."""
    roster, _ = play(
        invited("a", "b", "c"),
        *(say(p, Intent.YES, n) for n, p in enumerate("abc")),
        say("a", Intent.NO, 10),
        say("a", Intent.YES, 11),
    )
    seats = places(roster.values(), 2)
    assert seats["c"].state == "seated" and seats["a"] == Place("waitlisted", 1)


def test_invitations_wait_for_invite_at() -> None:
    """No invitation goes out before invite_at."""
    people = [Invitee("A", "a@x.org")]
    assert invitations_due(EVENT, people, {}, T0 - timedelta(seconds=1)) == []
    assert [a.person for a in invitations_due(EVENT, people, {}, T0)] == ["a@x.org"]


def test_invitations_go_once_per_invitee() -> None:
    """Someone already invited is not invited again; a newcomer is."""
    people = [Invitee("A", "a@x.org"), Invitee("B", "b@x.org")]
    due = invitations_due(EVENT, people, invited("a@x.org"), T0 + timedelta(days=1))
    assert [a.person for a in due] == ["b@x.org"]


def test_no_invitations_once_the_event_started() -> None:
    """An invitee added after the start is not invited."""
    assert invitations_due(EVENT, [Invitee("A", "a@x.org")], {}, EVENT.starts) == []


def test_event_is_open_between_invitation_and_start() -> None:
    """Replies are taken once invitations went out and until the start."""
    assert not is_open(EVENT, {}, T0)
    assert is_open(EVENT, invited("a"), T0)
    assert not is_open(EVENT, invited("a"), EVENT.starts)


def test_daily_cap_holds_back_answers_not_invitations() -> None:
    """The cap stops automatic answers to one sender, never an invitation."""
    answer = decide(invited("a"), EVENT, say("a", Intent.UNCLEAR, 1)).outgoing[0]
    assert within_daily_cap(answer, 9, 10) and not within_daily_cap(answer, 10, 10)


def test_backoff_doubles_up_to_an_hour() -> None:
    """Retries wait 1, 2, 4 ... minutes, never more than an hour."""
    assert [int((backoff(n, T0) - T0).total_seconds() // 60) for n in (1, 2, 3, 10)] == [
        1,
        2,
        4,
        60,
    ]


def test_late_found_early_yes_does_not_take_a_confirmed_seat() -> None:
    """A yes decided later, whatever its INTERNALDATE, queues behind the seats already given."""
    roster, _ = play(invited("a", "b", "c"), say("b", Intent.YES, 5), say("c", Intent.YES, 6))
    roster, sent = play(roster, say("a", Intent.YES, 1, uid=99))
    seats = places(roster.values(), 2)
    assert (seats["b"].state, seats["c"].state, seats["a"].state) == (
        "seated",
        "seated",
        "waitlisted",
    )
    assert sent == ["a:waitlisted"]


def weak(person: str, minutes: int, confirms: bool = False) -> Answer:
    at = T0 + timedelta(minutes=minutes)
    return Answer("ev", person, Intent.YES, at, minutes, minutes, weak=True, confirms=confirms)


def test_weak_yes_changes_nothing_for_someone_who_answered() -> None:
    """ "Sounds good" from a decliner changes nothing and asks nothing."""
    roster, _ = play(invited("a"), say("a", Intent.NO, 1))
    assert decide(roster, EVENT, weak("a", 9)).changed == ()
    assert decide(roster, EVENT, weak("a", 9)).outgoing == ()


def test_weak_yes_takes_no_seat_and_asks_to_confirm() -> None:
    """A doubtful yes from someone who never answered seats no one; they are asked to confirm."""
    roster, sent = play(invited("a"), weak("a", 1))
    assert places(roster.values(), 2)["a"].state == "unconfirmed"
    assert sent == ["a:confirm_yes"]


def test_second_weak_yes_does_not_ask_again() -> None:
    """Asked once is enough: another doubtful yes waits for the answer to the first question."""
    _, sent = play(invited("a"), weak("a", 1), weak("a", 2))
    assert sent == ["a:confirm_yes"]


def test_weak_yes_answering_our_question_seats() -> None:
    """ "Sure" in reply to "Did you mean you will come?" is a yes."""
    roster, sent = play(invited("a"), weak("a", 1), weak("a", 5, confirms=True))
    assert places(roster.values(), 2)["a"].state == "seated"
    assert sent == ["a:confirm_yes", "a:seated"]


def test_confirmed_doubtful_yes_keeps_its_place_in_line() -> None:
    """Once confirmed, the first reply's arrival counts: ahead of yeses that came after it."""
    roster, _ = play(
        invited("a", "b", "c", "d"),
        say("a", Intent.YES, 1),
        say("b", Intent.YES, 2),
        weak("c", 3),
        say("d", Intent.YES, 4),
        say("c", Intent.YES, 10),
    )
    where = places(roster.values(), 2)
    assert (where["c"].state, where["c"].position) == ("waitlisted", 1)
    assert (where["d"].state, where["d"].position) == ("waitlisted", 2)


def test_confirmed_doubtful_yes_never_takes_a_given_seat() -> None:
    """A confirmation queues behind every seat already given, whatever its first arrival."""
    roster, _ = play(
        invited("a", "b", "c"),
        say("a", Intent.YES, 1),
        weak("c", 2),
        say("b", Intent.YES, 3),
        say("c", Intent.YES, 10),
    )
    where = places(roster.values(), 2)
    assert where["a"].state == where["b"].state == "seated"
    assert (where["c"].state, where["c"].position) == ("waitlisted", 1)


def test_unclear_note_from_someone_who_answered_asks_nothing() -> None:
    """A question from someone already seated goes to the organizer, not back as 'are you coming?'."""
    roster, _ = play(invited("a"), say("a", Intent.YES, 1))
    decision = decide(roster, EVENT, say("a", Intent.UNCLEAR, 2))
    assert decision.changed == () and decision.outgoing == ()


def test_bounce_marks_once_and_keeps_the_seat() -> None:
    """A bounce marks the person; a seated person keeps the seat for the organizer to decide."""
    roster, _ = play(invited("a"), say("a", Intent.YES, 1))
    marked = mark_bounced(roster, "a")
    assert marked is not None and marked.bounced and marked.answer == "yes"
    assert mark_bounced({"a": marked}, "a") is None
    assert mark_bounced(roster, "nobody") is None


def test_yes_after_the_deadline_takes_a_free_seat_but_not_a_place_in_line() -> None:
    """After rsvp_by a yes is seated if a seat is free; with none free the line is closed to it."""
    event = replace(EVENT, rsvp_by=T0 + timedelta(minutes=10))
    roster = invited("a", "b", "c")
    decision = decide(roster, event, say("a", Intent.YES, 11))
    assert [o.key.kind for o in decision.outgoing] == ["seated"]
    roster, _ = play(roster, say("a", Intent.YES, 1), say("b", Intent.YES, 2))
    decision = decide(roster, event, say("c", Intent.YES, 12))
    assert [o.key.kind for o in decision.outgoing] == ["line_closed"]
    assert places({**roster, "c": decision.changed[0]}.values(), 2)["c"].state == "line_closed"


LATE = replace(EVENT, offer_window_starts=timedelta(days=30))  # every answer below is "late"


def test_late_cancellation_offers_the_seat_instead_of_giving_it() -> None:
    """Inside the offer window a freed seat is offered to the first in line, who must reply yes."""
    roster, _ = play(invited("a", "b", "c"), *(say(p, Intent.YES, n) for n, p in enumerate("abc")))
    decision = decide(roster, LATE, say("a", Intent.NO, 10))
    assert sorted(f"{o.key.person}:{o.key.kind}" for o in decision.outgoing) == [
        "a:cancelled",
        "c:offer",
    ]
    roster = {**roster, **{a.person: a for a in decision.changed}}
    assert places(roster.values(), 2)["c"].state == "offered"


def test_yes_in_time_takes_the_offered_seat() -> None:
    """A yes within offer_hours turns the offer into a seat."""
    roster, _ = play(invited("a", "b", "c"), *(say(p, Intent.YES, n) for n, p in enumerate("abc")))
    roster = {
        **roster,
        **{a.person: a for a in decide(roster, LATE, say("a", Intent.NO, 10)).changed},
    }
    decision = decide(roster, LATE, say("c", Intent.YES, 20))
    assert [o.key.kind for o in decision.outgoing] == ["offer_taken"]
    assert places({**roster, "c": decision.changed[0]}.values(), 2)["c"].state == "seated"


def test_yes_after_the_offer_expired_takes_nothing() -> None:
    """A yes that arrives after offer_hours changes nothing; the offer passes on."""
    roster, _ = play(invited("a", "b", "c"), *(say(p, Intent.YES, n) for n, p in enumerate("abc")))
    roster = {
        **roster,
        **{a.person: a for a in decide(roster, LATE, say("a", Intent.NO, 10)).changed},
    }
    assert decide(roster, LATE, say("c", Intent.YES, 10 + 13 * 60)).outgoing == ()


def test_a_cancelled_event_takes_no_replies() -> None:
    """Once the organizer cancels, a yes seats no one and gets no answer."""
    decision = decide(invited("a"), replace(EVENT, cancelled=True), say("a", Intent.YES, 1))
    assert decision.changed == () and decision.outgoing == ()


def test_an_offer_runs_from_when_it_is_sent() -> None:
    """A seat freed by a reply read hours late is offered for offer_hours from now, not from that reply."""
    roster, _ = play(invited("a", "b", "c"), *(say(p, Intent.YES, n) for n, p in enumerate("abc")))
    read_late = T0 + timedelta(hours=20)
    decision = decide(roster, LATE, say("a", Intent.NO, 10), now=read_late)
    offered = next(a for a in decision.changed if a.person == "c")
    assert offered.offered_at == read_late


def test_a_maybe_ends_a_doubtful_yes() -> None:
    """After "sounds good" then "maybe", a later yes counts from its own arrival."""
    roster, _ = play(
        invited("a", "b", "c"),
        weak("a", 1),
        say("b", Intent.YES, 2),
        say("c", Intent.YES, 3),
        say("a", Intent.MAYBE, 4),
        say("a", Intent.YES, 20),
    )
    where = places(roster.values(), 2)
    assert where["a"].state == "waitlisted" and where["a"].position == 1
    assert roster["a"].yes_since == T0 + timedelta(minutes=20)
