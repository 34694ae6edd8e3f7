"""Routing: which invitee and which event a reply is about."""

from __future__ import annotations

from pathlib import Path

from mailer.config import load
from mailer.decisions.route import Ignored, Routed, Unrouted, calendar_uid, route
from mailer.model import Intent, Kind, Reply

CONFIG = load(Path(__file__).resolve().parents[1] / "config.toml")
EVENT = CONFIG.events[0].id


def reply(**fields: object) -> Reply:
    base: dict[str, object] = {
        "kind": Kind.WRITTEN,
        "rule": "written",
        "sender": "ada@example.com",
        "intent": Intent.YES,
    }
    return Reply(**{**base, **fields})  # type: ignore[arg-type]


def test_alias_routes_to_the_invitee() -> None:
    """An invitee's alias, in any case, is the invitee."""
    where = route(reply(sender="Ada.Example@WORK.example"), CONFIG, {}, [EVENT])
    assert isinstance(where, Routed) and where.invitee.email == "ada@example.com"


def test_thread_names_the_event() -> None:
    """A reference to one of our Message-IDs names the event, even with none open."""
    where = route(
        reply(references=("<x@y>", "<ours@example.org>")), CONFIG, {"<ours@example.org>": EVENT}, []
    )
    assert isinstance(where, Routed) and where.event == EVENT


def test_our_calendar_uid_names_the_event() -> None:
    """A calendar reply carrying our UID routes to that event."""
    uid = calendar_uid(EVENT, CONFIG.domain)
    where = route(reply(kind=Kind.CALENDAR, calendar_uid=uid), CONFIG, {}, [])
    assert isinstance(where, Routed) and where.event == EVENT


def test_foreign_calendar_reply_is_unrouted() -> None:
    """An Accept for somebody else's calendar event seats no one in ours."""
    where = route(
        reply(kind=Kind.CALENDAR, calendar_uid="board-sync@corp.test"), CONFIG, {}, [EVENT]
    )
    assert isinstance(where, Unrouted)


def test_stranger_is_unrouted() -> None:
    """Mail from an address on nobody's list is left for the organizer."""
    assert isinstance(route(reply(sender="who@else.test"), CONFIG, {}, [EVENT]), Unrouted)


def test_several_open_events_and_no_thread_is_unrouted() -> None:
    """With two events open and nothing naming one, the organizer decides."""
    assert isinstance(route(reply(), CONFIG, {}, [EVENT, "other"]), Unrouted)


def test_automatic_mail_is_ignored() -> None:
    """An out-of-office is ignored, never answered."""
    assert isinstance(route(reply(kind=Kind.AUTOMATIC), CONFIG, {}, [EVENT]), Ignored)


def accept(sender: str = "ada@example.com", attendee: str = "ada@example.com") -> Reply:
    """A calendar Accept of our event, sent by `sender` for `attendee`."""
    uid = calendar_uid(EVENT, CONFIG.domain)
    return reply(kind=Kind.CALENDAR, sender=sender, attendee=attendee, calendar_uid=uid)


def test_calendar_reply_for_someone_else_is_unrouted() -> None:
    """A stranger's calendar reply naming an invitee as ATTENDEE seats nobody."""
    assert isinstance(route(accept(sender="stranger@else.test"), CONFIG, {}, [EVENT]), Unrouted)


def test_invitee_answering_for_another_invitee_is_unrouted() -> None:
    """One invitee's calendar client cannot accept on behalf of another invitee."""
    other = next(i.email for i in CONFIG.invitees if i.email != "ada@example.com")
    where = route(accept(attendee=other), CONFIG, {}, [EVENT])
    assert isinstance(where, Unrouted) and other in where.reason


def test_calendar_reply_from_an_alias_counts_for_its_invitee() -> None:
    """ATTENDEE as the primary address and From as an alias of the same invitee is theirs."""
    where = route(accept(sender="ada.example@work.example"), CONFIG, {}, [EVENT])
    assert isinstance(where, Routed) and where.invitee.email == "ada@example.com"


def test_calendar_reply_about_an_invitation_never_sent_to_them_is_unrouted() -> None:
    """Our UID counts only from someone we sent that event's invitation to."""
    assert isinstance(route(accept(), CONFIG, {}, [EVENT], lambda e, p: False), Unrouted)
    assert isinstance(route(accept(), CONFIG, {}, [EVENT], lambda e, p: True), Routed)
