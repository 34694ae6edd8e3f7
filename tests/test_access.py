"""Access to the topic board: who is invited, checked, withdrawn and removed, and the emails around it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from mailer.config import Event
from mailer.config.meeting import GitHub
from mailer.decisions.access import Action, actions, emails
from mailer.model import Access, Attendance

T0 = datetime(2026, 11, 1, 14, 0, tzinfo=UTC)
EVENT = Event("ev", "Roundtable", "Velocity", datetime(2026, 12, 10, 22, 0, tzinfo=UTC), 75, 2, T0)
GITHUB = GitHub("owner/board")
ROSTER = {
    "a": Attendance("a", T0, "yes", T0, 1, True, confirmed=True),
    "b": Attendance("b", T0, "yes", T0 + timedelta(minutes=1), 2, True, confirmed=True),
    "c": Attendance("c", T0, "yes", T0 + timedelta(minutes=2), 3, True),  # waiting
}
LOGINS = {"a": "ann", "b": "bob", "c": "cat"}


def plan(
    access: dict[str, Access],
    now: datetime = T0,
    github: GitHub = GITHUB,
    roster: dict[str, Attendance] = ROSTER,
) -> list[Action]:
    return actions([(EVENT, roster)], LOGINS, access, github, now)


def test_the_seated_are_invited_the_waiting_are_not() -> None:
    """Everyone holding a seat is invited; the waiting line is not."""
    assert plan({}) == [Action("invite", "ann", "a"), Action("invite", "bob", "b")]


def test_pending_invitations_are_checked_and_accepted_ones_left_alone() -> None:
    """A pending invitation is checked each tick; an accepted one needs nothing."""
    access = {"ann": Access("ann", "a", "invited", 7), "bob": Access("bob", "b", "accepted")}
    assert plan(access) == [Action("check", "ann", "a")]


def test_a_seat_given_up_withdraws_the_pending_invitation() -> None:
    """Someone who no longer holds a seat has their pending invitation withdrawn."""
    roster = {**ROSTER, "a": replace(ROSTER["a"], answer="no")}
    access = {"ann": Access("ann", "a", "invited", 7), "bob": Access("bob", "b", "accepted")}
    assert Action("withdraw", "ann", "a") in plan(access, roster=roster)


def test_access_is_removed_after_the_meeting_only_when_asked() -> None:
    """With remove_after_event, accepted collaborators lose access once the meeting is over (not those kept)."""
    after = EVENT.ends + timedelta(minutes=1)
    access = {"ann": Access("ann", "a", "accepted"), "bob": Access("bob", "b", "accepted")}
    assert plan(access, after) == []
    removing = replace(GITHUB, remove_after_event=True, keep=("bob",))
    assert plan(access, after, removing) == [Action("remove", "ann", "a")]


def test_seated_without_a_login_are_asked_for_it() -> None:
    """A seated person with no GitHub username is asked for it once."""
    out = emails(EVENT, ROSTER, {"a": "ann"}, {}, GITHUB, T0)
    assert [(o.key.person, o.key.kind) for o in out] == [("b", "github_ask")]


def test_an_unknown_login_is_answered_once_per_name() -> None:
    """A username GitHub does not know gets a kind email asking again."""
    out = emails(EVENT, ROSTER, LOGINS, {"ann": Access("ann", "a", "unknown_user")}, GITHUB, T0)
    assert [(o.key.person, o.key.kind) for o in out] == [("a", "github_unknown")]


def test_not_accepted_shortly_before_gets_one_nudge() -> None:
    """nudge_before the meeting, whoever has not accepted is nudged; not earlier."""
    access = {"ann": Access("ann", "a", "invited", 7), "bob": Access("bob", "b", "accepted")}
    assert emails(EVENT, ROSTER, LOGINS, access, GITHUB, EVENT.starts - timedelta(days=3)) == []
    out = emails(EVENT, ROSTER, LOGINS, access, GITHUB, EVENT.starts - timedelta(days=1))
    assert [(o.key.person, o.key.kind) for o in out] == [("a", "github_nudge")]
