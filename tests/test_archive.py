"""The archive: every meeting's takeaways as a static site and TAKEAWAYS.md, credited by name."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer.archive.meetings import arrange
from mailer.cli import main
from mailer.model import Takeaway
from mailer.reports import archive
from mailer.store import Store
from mailer.testing.archive_seed import KNOWN_TEXT, KNOWN_WORD, seed
from tests.test_cli import config_with_database

MARKUP = "<script>alert('x')</script> beats <b>bold</b>"
ATOM = "{http://www.w3.org/2005/Atom}"


class Page(HTMLParser):
    """An HTML page as the parser sees it: its elements (tag, attributes) and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())

    def links(self) -> list[str]:
        return [a["href"] or "" for tag, a in self.tags if tag == "a" and "href" in a]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "m.db")
    seed(store, extra=[("Eve Example", MARKUP), ("eve@example.org", "Read the runbook aloud")])
    return store


@pytest.fixture
def site(store: Store, tmp_path: Path) -> Path:
    archive.build(store, tmp_path / "site")
    return tmp_path / "site"


def test_the_index_lists_meetings_newest_first_with_counts(site: Path) -> None:
    """index.html links every meeting, newest first, with its date and its number of takeaways."""
    page = Page((site / "index.html").read_text())
    meetings = [link for link in page.links() if link.startswith("meetings/")]
    assert meetings == [
        "meetings/2026-12-velocity.html",
        "meetings/2026-10-kpis.html",
        "meetings/2026-09-velocity.html",
    ]
    assert "Thursday 10 December 2026" in page.text and "7 takeaways" in page.text


def test_a_meeting_page_shows_topics_most_votes_first_with_sponsor_and_issue(site: Path) -> None:
    """A meeting page has the theme, the topics by votes, each sponsor and its issue link."""
    page = Page((site / "meetings" / "2026-12-velocity.html").read_text())
    headings = [text for text in page.text if text.startswith(("Trunk", "Measuring", "Flaky"))]
    assert headings[:3] == [
        "Trunk-based development with 40 engineers",
        "Measuring velocity without gaming it",
        "Flaky tests: fix or quarantine?",
    ]
    assert "Development Velocity" in page.text and "sponsored by @ada-novak" in page.text
    assert "https://github.com/example/peer-to-peer/issues/12" in page.links()
    assert KNOWN_TEXT in page.text and "Lena Fischer" in page.text


def test_markup_in_a_takeaway_stays_text_on_every_page(site: Path) -> None:
    """A takeaway containing <script> is shown as text: no script or b element on any page."""
    for path in site.rglob("*.html"):
        page = Page(path.read_text())
        tags = {tag for tag, _ in page.tags}
        assert "b" not in tags
        assert [a for tag, a in page.tags if tag == "script" and not a.get("src")] == []
    assert MARKUP in Page((site / "meetings" / "2026-12-velocity.html").read_text()).text


def test_no_address_is_ever_printed(site: Path) -> None:
    """An author that is an address is credited as an attendee; no file holds an address."""
    for path in site.rglob("*"):
        if path.is_file():
            assert "@example.org" not in path.read_text(), path
    assert "an attendee" in (site / "meetings" / "2026-12-velocity.html").read_text()


def test_a_theme_page_gathers_the_meetings_sharing_it(site: Path) -> None:
    """themes/<theme>.html lists every meeting of that theme, newest first, and no other."""
    page = Page((site / "themes" / "development-velocity.html").read_text())
    assert [link for link in page.links() if "meetings/" in link] == [
        "../meetings/2026-12-velocity.html",
        "../meetings/2026-09-velocity.html",
    ]


def test_the_feed_is_atom_with_one_entry_per_meeting(site: Path) -> None:
    """feed.xml is an Atom feed: id, title, updated, author; an entry per meeting, escaped HTML."""
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Development Velocity (Thursday 10 December 2026)",
        "Engineering KPIs (Thursday 15 October 2026)",
        "Development Velocity (Thursday 17 September 2026)",
    ]
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 3
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert KNOWN_TEXT in content and "&lt;script&gt;" in content


def test_takeaways_md_holds_every_meeting_with_credited_takeaways(site: Path) -> None:
    """TAKEAWAYS.md: meetings newest first, topics as linked headings, markup escaped."""
    text = (site / "TAKEAWAYS.md").read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Development Velocity (Thursday 10 December 2026)",
        "## Engineering KPIs (Thursday 15 October 2026)",
        "## Development Velocity (Thursday 17 September 2026)",
    ]
    assert (
        "### [Trunk-based development with 40 engineers](https://github.com/example/peer-to-peer/issues/12)"
        in text
    )
    assert (
        "[Lena Fischer](https://github.com/example/peer-to-peer/issues/9#issuecomment-900)" in text
    )
    assert "\\<script\\>" in text and "<script>" not in text


def test_the_search_index_is_a_script_holding_every_takeaway(site: Path) -> None:
    """search-index.js sets window.ARCHIVE_INDEX (a script works on file://) with each takeaway."""
    text = (site / "search-index.js").read_text()
    prefix = "window.ARCHIVE_INDEX = "
    assert text.startswith(prefix)
    entries = json.loads(text[len(prefix) :].rstrip().rstrip(";"))
    assert len(entries) == 12
    known = next(e for e in entries if e["text"] == KNOWN_TEXT)
    assert known["page"] == "meetings/2026-12-velocity.html" and known["author"] == "Lena Fischer"
    assert '<script src="search-index.js">' in (site / "search.html").read_text()


def test_a_second_build_rewrites_only_what_changed(store: Store, site: Path) -> None:
    """Building again writes nothing; a new takeaway rewrites its pages, not the others."""
    assert archive.build(store, site) == []
    said = Takeaway(
        "2026-10-kpis",
        "Publish the KPIs monthly",
        "Jonas Berg",
        "j@x",
        "notes",
        "n",
        "KPIs the board actually reads",
    )
    store.add_takeaway(said, datetime(2026, 10, 20, tzinfo=UTC))
    written = {path.relative_to(site).as_posix() for path in archive.build(store, site)}
    assert "meetings/2026-10-kpis.html" in written
    assert "meetings/2026-09-velocity.html" not in written


def test_a_takeaway_on_an_unlisted_topic_gets_its_own_section() -> None:
    """A takeaway names a topic the board did not list: its own section; none: the whole meeting."""
    row = {
        "event": "e",
        "title": "T",
        "theme": "Velocity",
        "starts": datetime(2026, 1, 1, tzinfo=UTC),
        "timezone": "Nowhere/City",
    }
    meeting = arrange(
        row,
        [{"number": 1, "title": "Listed", "url": "u", "votes": 3, "sponsors": "", "author": "a"}],
        [
            Takeaway("e", "general", "Ada", "a@x", "email", "<m@x>"),
            Takeaway("e", "aside", "Ada", "a@x", "notes", "n", "Unlisted"),
            Takeaway("e", "on it", "Ada", "a@x", "comment", "https://c", "listed", 1),
        ],
    )
    assert [(t.title, [s.text for s in t.said]) for t in meeting.topics] == [
        ("Listed", ["on it"]),
        ("Unlisted", ["aside"]),
        ("The meeting as a whole", ["general"]),
    ]
    assert meeting.topics[0].said[0].link == "https://c" and meeting.topics[2].said[0].link == ""


def test_archive_search_prints_meeting_topic_who_and_what(store: Store, tmp_path: Path) -> None:
    """`archive search WORD` shows each match's meeting date and theme, topic, author and text."""
    config = config_with_database(tmp_path, store.path)
    result = CliRunner().invoke(main, ["-c", str(config), "archive", "search", KNOWN_WORD[:6]])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "2026-12-10  Development Velocity",
        "  topic: #9 Flaky tests: fix or quarantine?",
        f"  Lena Fischer: {KNOWN_TEXT}",
    ]


def test_archive_search_json_is_one_object_per_line(store: Store, tmp_path: Path) -> None:
    """--json prints one object per matching takeaway, best first, with no address in it."""
    config = config_with_database(tmp_path, store.path)
    result = CliRunner().invoke(main, ["-c", str(config), "archive", "search", "--json", "review"])
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert {h["author"] for h in hits} == {"Marcus Reed", "Ada Novak"}
    assert all(h["event"] == "2026-09-velocity" and "@" not in json.dumps(h) for h in hits)


def test_archive_search_without_a_match_says_so(store: Store, tmp_path: Path) -> None:
    """No match is one line saying so, exit status 0."""
    config = config_with_database(tmp_path, store.path)
    result = CliRunner().invoke(main, ["-c", str(config), "archive", "search", "kubernetes"])
    assert (result.exit_code, result.output) == (0, "No takeaway matches 'kubernetes'.\n")


def test_archive_build_writes_the_site(store: Store, tmp_path: Path) -> None:
    """`archive build --out DIR` writes the pages, search, feed and TAKEAWAYS.md, and says where."""
    config = config_with_database(tmp_path, store.path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["-c", str(config), "archive", "build", "--out", str(out)])
    assert result.exit_code == 0 and str(out / "index.html") in result.output
    for name in ("index.html", "search.html", "search.js", "feed.xml", "TAKEAWAYS.md"):
        assert (out / name).is_file()


@pytest.mark.parametrize("name", ["search", "build"])
def test_archive_commands_have_help_with_an_example(name: str) -> None:
    """Each archive command explains itself and shows one example."""
    result = CliRunner().invoke(main, ["archive", name, "--help"])
    assert result.exit_code == 0 and "Example: mailer archive" in result.output
