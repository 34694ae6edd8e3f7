"""The takeaway rules: what counts as one, when the digest is drafted and sent, to whom, in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mailer.config import Event
from mailer.config.takeaways import Takeaways
from mailer.decisions.takeaways import (
    content,
    digest_due,
    is_approval,
    lines_of,
    notes_of,
    recipients,
)
from mailer.model import Takeaway

STARTS = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
EVENT = Event("ev", "Roundtable", "Velocity", STARTS, 60, 12, None)
ENDS = STARTS + timedelta(minutes=60)


def test_labelled_lines_and_a_takeaways_section_count() -> None:
    """ "Takeaway:" lines anywhere, and the items under "## Takeaways", are takeaways."""
    text = "Great chat.\nTakeaway: Ship small\n- takeaway: Pair on call\n## Takeaways\n- One\n## Next\nno"
    assert lines_of(text) == ["Ship small", "Pair on call", "One"]


def test_other_lines_are_not_takeaways() -> None:
    """Talk about takeaways is not one: only a line that starts with the label counts."""
    assert lines_of("My takeaway: none really.\nThe takeaways were good") == []


def test_notes_file_items_go_under_their_topic() -> None:
    """Each item of the notes file belongs to the "## topic" above it; "# Title" is no topic."""
    notes = "# Notes\n- general point\n## Flaky tests\n- Quarantine them\n1. Own them\n"
    assert notes_of(notes) == [
        ("", "general point"),
        ("Flaky tests", "Quarantine them"),
        ("Flaky tests", "Own them"),
    ]


def test_approval_is_the_first_word() -> None:
    """APPROVE (or Approved) opening the organizer's words approves; a mention does not."""
    assert is_approval("APPROVE") and is_approval("approved, thanks!")
    assert not is_approval("I cannot approve this yet")


def test_draft_is_due_digest_after_the_end() -> None:
    """The organizer gets the draft digest_after the end, not before."""
    settings = Takeaways()
    assert digest_due(EVENT, settings, None, ENDS + timedelta(hours=23)) is None
    due = digest_due(EVENT, settings, None, ENDS + timedelta(hours=24))
    assert due is not None and due.step == "draft"


def test_approved_digest_is_sent_and_a_sent_one_never_again() -> None:
    """Approved: send. Sent: nothing more."""
    now = ENDS + timedelta(days=2)
    sent = digest_due(EVENT, Takeaways(), {"state": "approved"}, now)
    assert sent is not None and sent.step == "send"
    assert digest_due(EVENT, Takeaways(), {"state": "sent"}, now) is None


def test_auto_send_waits_out_the_hold() -> None:
    """With auto_send, a draft nobody answered goes out digest_hold after it was drafted."""
    settings = Takeaways(auto_send=True)
    drafted = {"state": "drafted", "drafted_at": ENDS + timedelta(hours=24)}
    assert digest_due(EVENT, settings, drafted, ENDS + timedelta(hours=71)) is None
    due = digest_due(EVENT, settings, drafted, ENDS + timedelta(hours=72))
    assert due is not None and due.step == "send"
    assert digest_due(EVENT, Takeaways(), drafted, ENDS + timedelta(days=9)) is None


def test_recipients_are_the_seated_or_every_invitee() -> None:
    """attendees: the seated at the start, whatever a (perhaps forged) bounce said; invitees:
    everyone invited except a bounced address no one holds a seat with."""
    assert recipients("attendees", ["a", "b"], ["a", "b", "c"], ["b"]) == ["a", "b"]
    assert recipients("invitees", ["a"], ["c", "a", "b"], ["a", "c"]) == ["a", "b"]


def test_signature_lines_under_the_heading_are_not_takeaways() -> None:
    """Under "## Takeaways" only the list counts; a sign-off and an address never do."""
    text = (
        "## Takeaways\n- Ship small\n- Measure lead time\n\nCheers,\nBob Jones\nVP | bob@corp.test"
    )
    assert lines_of(text) == ["Ship small", "Measure lead time"]
    assert lines_of("Takeaway: mail me at bob@corp.test") == []


def test_a_question_that_mentions_approval_is_no_approval() -> None:
    """ "Approved? Not until Ada's line is fixed" approves nothing."""
    assert not is_approval("Approved? Not until Ada's line is fixed")
    assert is_approval("Approve\n\nThanks, looks great")


def test_topics_most_votes_first_with_their_takeaways() -> None:
    """Topics are listed by votes; a takeaway goes under its topic, by number or by title."""
    topics = [
        {"number": 1, "title": "Hiring", "url": "u1", "votes": 2, "sponsors": ""},
        {"number": 2, "title": "Flaky tests", "url": "u2", "votes": 7, "sponsors": "ada"},
    ]
    said = [
        Takeaway("ev", "Own them", "Ada", "a", "comment", "c1", "Flaky tests", 2),
        Takeaway("ev", "Curiosity", "Org", "organizer", "notes", "n", "hiring"),
        Takeaway("ev", "Good session", "Bo", "b", "email", "m"),
    ]
    digest = content(EVENT, topics, said, None)
    assert [t["title"] for t in digest["topics"]] == ["Flaky tests", "Hiring"]
    assert digest["topics"][1]["takeaways"] == [{"text": "Curiosity", "by": "Org"}]
    assert digest["general"] == [{"text": "Good session", "by": "Bo"}]
    assert digest["count"] == 3


def test_a_notes_topic_not_on_the_board_is_a_topic_of_its_own() -> None:
    """A "## topic" of the notes file that matches no board issue still heads its takeaways."""
    said = [Takeaway("ev", "Measure cycle time", "Org", "organizer", "notes", "n", "Velocity")]
    digest = content(EVENT, [], said, None)
    assert [(t["title"], t["url"]) for t in digest["topics"]] == [("Velocity", "")]
    assert digest["general"] == []
