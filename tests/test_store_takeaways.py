"""The store's takeaways: kept once however often gathered, searchable across meetings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mailer.model import Takeaway
from mailer.store import Store

NOW = datetime(2026, 12, 11, 12, 0, tzinfo=UTC)


def takeaway(
    text: str, event: str = "2026-12", ref: str = "https://x/1#c1", **more: str
) -> Takeaway:
    return Takeaway(event, text, "Ada Example", "ada@example.com", "comment", ref, **more)  # type: ignore[arg-type]


def test_a_takeaway_gathered_twice_is_kept_once(tmp_path: Path) -> None:
    """The same line from the same place is stored once."""
    store = Store(tmp_path / "m.db")
    assert store.add_takeaway(takeaway("Ship small batches"), NOW)
    assert not store.add_takeaway(takeaway("Ship small batches"), NOW)
    assert [t.text for t in store.takeaways("2026-12")] == ["Ship small batches"]


def test_search_finds_words_and_prefixes_across_meetings(tmp_path: Path) -> None:
    """A word, or its start, finds takeaways of every meeting; others stay out."""
    store = Store(tmp_path / "m.db")
    store.add_takeaway(takeaway("Deploy on Fridays with feature flags", ref="a"), NOW)
    store.add_takeaway(takeaway("Hire for curiosity", event="2027-02", ref="b"), NOW)
    assert [t.text for t in store.search_takeaways("deploy")] == [
        "Deploy on Fridays with feature flags"
    ]
    assert [t.event for t in store.search_takeaways("curio")] == ["2027-02"]


def test_search_words_are_never_query_syntax(tmp_path: Path) -> None:
    """Quotes, parentheses and operators in a search are plain words, never an error."""
    store = Store(tmp_path / "m.db")
    store.add_takeaway(takeaway("Flags AND toggles"), NOW)
    assert store.search_takeaways('flags" OR (NEAR') == []
    assert [t.text for t in store.search_takeaways("AND toggles")] == ["Flags AND toggles"]


def test_digest_progress_is_recorded(tmp_path: Path) -> None:
    """A digest moves drafted -> approved -> sent, each with its time, and who approved."""
    store = Store(tmp_path / "m.db")
    assert store.digest("2026-12") is None
    store.set_digest("2026-12", "drafted", NOW)
    store.set_digest("2026-12", "approved", NOW, by="organizer@example.org")
    digest = store.digest("2026-12")
    assert digest is not None and digest["state"] == "approved"
    assert digest["drafted_at"] and digest["approved_by"] == "organizer@example.org"


def test_meetings_are_kept_newest_first(tmp_path: Path) -> None:
    """Each meeting held is kept with its title, theme and start, newest first."""
    store = Store(tmp_path / "m.db")
    store.save_meeting("2026-10", "Roundtable", "Hiring", datetime(2026, 10, 1, tzinfo=UTC), "UTC")
    store.save_meeting("2026-12", "Roundtable", "Velocity", NOW, "Europe/Prague")
    assert [(m["event"], m["theme"]) for m in store.meetings()] == [
        ("2026-12", "Velocity"),
        ("2026-10", "Hiring"),
    ]
    assert store.meetings()[0]["starts"] == NOW


def test_an_edited_notes_file_replaces_its_lines(tmp_path: Path) -> None:
    """A corrected line of the notes file replaces the old one; the search forgets the old."""
    store = Store(tmp_path / "m.db")
    note = Takeaway("2026-12", "Ship deplys small", "Org", "organizer", "notes", "n.md")
    store.replace_written("2026-12", "notes", None, [note], NOW)
    fixed = Takeaway("2026-12", "Ship deploys small", "Org", "organizer", "notes", "n.md")
    store.replace_written("2026-12", "notes", None, [fixed], NOW)
    assert [t.text for t in store.takeaways("2026-12")] == ["Ship deploys small"]
    assert store.search_takeaways("deplys") == []
