"""The archive in a real browser (Debian's chromium, headless): pages render at phone and
desktop width, and the offline search finds a known takeaway from file://."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailer.reports import archive
from mailer.store import Store
from mailer.testing import browser
from mailer.testing.archive_seed import KNOWN_TEXT, KNOWN_WORD, seed

pytestmark = pytest.mark.skipif(
    browser.chromium() is None,
    reason="chromium is not installed (./scripts/test installs it when run as root)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    store = Store(folder / "m.db")
    seed(store)
    archive.build(store, folder / "site")
    store.close()
    return folder / "site"


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize("page", ["index.html", "meetings/2026-12-velocity.html"])
def test_the_page_renders_at_phone_and_desktop_width(
    site: Path, tmp_path: Path, page: str, width: int
) -> None:
    """The index and a meeting page render to a PNG that is not blank."""
    png = browser.screenshot(site / page, tmp_path / "page.png", width, 800)
    assert browser.colours(png) > 8


def test_the_search_page_finds_a_known_takeaway_offline(site: Path) -> None:
    """search.html#q=<word>, opened from file://, lists the takeaway holding that word."""
    html = browser.dom(f"{(site / 'search.html').as_uri()}#q={KNOWN_WORD}")
    assert KNOWN_TEXT in html and "1 takeaway matches" in html
    assert 'href="meetings/2026-12-velocity.html"' in html
