"""Composed emails: one recipient each, templates for text and HTML, a calendar that clients accept."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from mailer.composing import compose
from mailer.config import load
from mailer.model import ANSWER_KINDS, OutboxKey, Outgoing

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load(ROOT / "config.toml")
EVENT = CONFIG.events[0]
ADA = CONFIG.invitees[0]
NOW = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
ENV = compose.environment(compose.templates_dir(CONFIG))
CONTEXTS = {
    "seated": {"seat": 3, "capacity": 12},
    "promoted": {"seat": 12, "capacity": 12},
    "waitlisted": {"place": 2, "capacity": 12},
    "undecided": {"capacity": 12},
    "kept": {"state": "seated", "position": 3, "capacity": 12},
    "details": {"zoom": CONFIG.zoom},
    "recording": {"purpose": "to summarise the outcome", "kept_for": "30 days", "shared_with": ""},
    "reminder": {
        "zoom": CONFIG.zoom,
        "recording": True,
        "purpose": "to summarise",
        "soon": "tomorrow",
        "stage": "day",
        "objected": False,
    },
    "update": {"changes": ["time: earlier → later"], "seated": True},
    "seat_removed": {"place": 1, "capacity": 11},
    "event_cancelled": {"note": "Our host fell ill."},
    "offer_taken": {"seat": 12, "capacity": 12},
    "github_unknown": {"login": "ada-l"},
    "agenda": {
        "topics": [{"title": "Flaky tests", "url": "https://x/1", "votes": 3, "sponsors": "ada"}],
        "repo": "o/r",
    },
    "topic_created": {"title": "Flaky tests", "url": "https://x/1", "number": 1},
    "github_nudge": {"repo": "owner/board"},
    "github_renewed": {"repo": "owner/board"},
    "offer": {
        "seat": 12,
        "capacity": 12,
        "hours": 12,
        "expires": "Thu Dec 10, 05:00 America/New_York",
    },
    "organizer/recording_status": {"objectors": ["b@example.com"]},
    "organizer/objection": {"who": "b@example.com", "objected": True, "seated": True},
    "digest": {
        "digest": {
            "topics": [
                {
                    "title": "Deploying on Fridays",
                    "url": "https://x/1",
                    "votes": 5,
                    "sponsors": "ada-l",
                    "takeaways": [{"text": "Flags make it boring <script>", "by": "Ada"}],
                }
            ],
            "general": [{"text": "Hire for curiosity", "by": "Grace"}],
            "count": 2,
            "next": None,
        }
    },
}
CONTEXTS["digest_addendum"] = CONTEXTS["digest"]
CONTEXTS["announce"] = {"note_subject": "Room change", "paragraphs": ["We meet <online>."]}
TEMPLATES = ROOT / "templates"
KINDS = sorted(
    p.name.removesuffix(".txt.j2")
    for p in (TEMPLATES / "participant").glob("*.txt.j2")
    if not p.name.startswith("_") and p.name != "calendar_description.txt.j2"
)


def composed(kind: str) -> email.message.EmailMessage:
    outgoing = Outgoing(
        OutboxKey(EVENT.id, ADA.email, kind, 7), CONTEXTS.get(kind, {}), "<their@reply>"
    )
    raw = compose.render(outgoing, CONFIG, EVENT, ADA, ENV, NOW).raw
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def calendar_part(msg: email.message.EmailMessage) -> str:
    parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    return str(parts[0].get_content())


def test_invitation_has_text_html_and_calendar() -> None:
    """An invitation carries a plain and an HTML body, a text/calendar REQUEST and an .ics file."""
    msg = composed("invitation")
    types = [p.get_content_type() for p in msg.walk()]
    assert {"text/plain", "text/html", "text/calendar", "application/ics"} <= set(types)
    assert "first come, first served" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_invitation_goes_to_one_person() -> None:
    """Each email is addressed to one invitee only, with no Cc."""
    msg = composed("invitation")
    assert msg["To"] == "Ada Example <ada@example.com>" and msg["Cc"] is None


def test_invitation_calendar_fields() -> None:
    """The .ics has a stable UID, SEQUENCE, DTSTAMP, the organizer and one attendee asked to RSVP."""
    cal = icalendar.Calendar.from_ical(calendar_part(composed("invitation")))
    assert cal["METHOD"] == "REQUEST"
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"roundtable-{EVENT.id}@example.org"
    assert int(vevent["SEQUENCE"]) == 0 and "DTSTAMP" in vevent
    assert str(vevent["ORGANIZER"]) == "mailto:rsvp@example.org"
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:ada@example.com"
    assert attendee.params["RSVP"] == "TRUE" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert vevent.decoded("DTSTART") == EVENT.starts
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    assert EVENT.theme in str(vevent["DESCRIPTION"])


def test_invitation_calendar_parses_with_vobject() -> None:
    """A second, independent parser reads the same time and attendee."""
    cal = vobject.readOne(calendar_part(composed("invitation")))
    assert cal.method.value == "REQUEST"
    assert cal.vevent.dtstart.value == EVENT.starts
    assert cal.vevent.attendee.value == "mailto:ada@example.com"


def test_emails_say_they_are_automatic() -> None:
    """Our emails carry Auto-Submitted so vacation responders do not answer them."""
    assert composed("invitation")["Auto-Submitted"] == "auto-generated"
    assert composed("seated")["Auto-Submitted"] == "auto-replied"


def test_message_id_is_derived_from_the_key() -> None:
    """The same key always gives the same Message-ID; another key another one."""
    key = OutboxKey("ev", "a@x", "seated", 1)
    assert compose.message_id(key, "x.org") == compose.message_id(key, "x.org")
    assert compose.message_id(key, "x.org") != compose.message_id(
        OutboxKey("ev", "a@x", "seated", 2), "x.org"
    )


def test_answers_thread_under_the_reply() -> None:
    """An answer carries In-Reply-To the person's message."""
    assert composed("seated")["In-Reply-To"] == "<their@reply>"


def test_every_answer_kind_has_a_template() -> None:
    """Each kind of answer the core can send has its templates."""
    assert set(ANSWER_KINDS) <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_text_and_html(kind: str) -> None:
    """Every email kind has a subject, a text body and an HTML body naming the event."""
    msg = composed(kind)
    assert msg["Subject"] and "\n" not in msg["Subject"]
    for subtype in ("plain", "html"):
        body = msg.get_body((subtype,))
        assert body is not None and EVENT.title in body.get_content()


@pytest.mark.parametrize("name", ["organizer/recording_status", "organizer/objection"])
def test_organizer_emails_render(name: str) -> None:
    """The organizer's emails render in text and HTML."""
    outgoing = Outgoing(
        OutboxKey(EVENT.id, "organizer", name.split("/")[1], 1), CONTEXTS[name], template=name
    )
    raw = compose.render(outgoing, CONFIG, EVENT, ADA, ENV, NOW).raw
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] and msg.get_body(("html",)) is not None


def test_only_the_seated_copy_carries_the_link() -> None:
    """The calendar of a details email has the Zoom link; an invitation's has none."""
    assert CONFIG.zoom is not None
    assert CONFIG.zoom.join_url in calendar_part(composed("details"))
    assert CONFIG.zoom.join_url not in composed("invitation").as_string()


def test_a_takeaway_is_text_in_the_digest_html() -> None:
    """A takeaway containing markup is shown as text in the digest's HTML, never as an element."""
    html = composed("digest").get_body(("html",)).get_content()
    assert "Flags make it boring &lt;script&gt;" in html
    assert "<script>" not in html


def test_invitation_html_has_yes_and_no_buttons_that_open_a_ready_reply() -> None:
    """The invitation's HTML has Yes and No mailto: buttons to the organizer's address."""
    html = composed("invitation").get_body(("html",)).get_content()
    assert f"mailto:{CONFIG.organizer_email}?subject=" in html
    assert "body=Yes%2C%20I%20will%20come." in html and "body=No%2C%20I%20cannot%20come" in html


def test_times_name_the_zone_as_people_do() -> None:
    """An email says "Eastern Time", not the raw zone id, beside the UTC time."""
    text = composed("invitation").get_body(("plain",)).get_content()
    assert "17:00–18:15 Eastern Time (22:00 UTC)" in text
    assert "America/New_York" not in text
