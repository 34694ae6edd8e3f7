"""The key table is the one truth: the shipped schema, the example config.toml and the README agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from mailer.config import parse
from mailer.config.keys import SECTIONS, TOP_KEYS
from mailer.config.schema import markdown, schema_text

ROOT = Path(__file__).resolve().parents[1]
KNOWN = {(s.name, k.name) for s in SECTIONS for k in s.keys} | {("", k.name) for k in TOP_KEYS}
_HEADER = re.compile(r"^#?\s*\[\[?(\w+)\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^#?\s*(\w+)\s*=")


def documented_in_example() -> set[tuple[str, str]]:
    """(table, key) for every key in config.toml, set or shown commented out."""
    found: set[tuple[str, str]] = set()
    section = ""
    for line in (ROOT / "config.toml").read_text().splitlines():
        if header := _HEADER.match(line):
            section = header[1]
        elif key := _KEY.match(line):
            found.add((section, key[1]))
    return found


def test_shipped_schema_is_current() -> None:
    """config.schema.json is what `python -m mailer.config` writes from the key table."""
    assert (ROOT / "config.schema.json").read_text() == schema_text(), (
        "stale: run .venv/bin/python -m mailer.config > config.schema.json"
    )


def test_example_points_editors_at_the_schema() -> None:
    """config.toml opens with the #:schema line that Taplo and Even Better TOML read."""
    first = (ROOT / "config.toml").read_text().splitlines()[0]
    assert first == "#:schema ./config.schema.json"


def test_example_documents_exactly_the_known_keys() -> None:
    """Every key the validator knows is in the example config.toml, and nothing else is."""
    documented = documented_in_example()
    assert sorted(documented - KNOWN) == [], "documented in config.toml, unknown to the validator"
    assert sorted(KNOWN - documented) == [], "known to the validator, missing from config.toml"


def test_readme_names_only_known_keys() -> None:
    """Every `[table] key` the README mentions is a key the validator knows."""
    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"`\[\[?(\w+)\]\]?\s+(\w+)", readme))
    assert sorted(named - KNOWN) == []
    bare = set(re.findall(r"`(\w+) = ", readme))
    assert sorted(bare - {k for _, k in KNOWN}) == []


def test_readme_key_table_matches() -> None:
    """The README's key table, once merged, is the one the key table writes."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- config keys -->\n(.*?)<!-- /config keys -->", readme, re.S)
    if block is None:
        pytest.skip("README has no key table yet (python -m mailer.config --markdown)")
    assert block[1] == markdown()


def minimal() -> dict[str, Any]:
    """Only the required keys, with the optional [zoom] and [github] tables present."""
    return {
        "organizer": {"email": "rsvp@example.org"},
        "smtp": {"host": "smtp.example.org"},
        "imap": {"host": "imap.example.org"},
        "zoom": {"join_url": "https://zoom.us/j/1"},
        "github": {"repo": "owner/name"},
        "invitees": [{"email": "ada@example.com"}],
        "events": [{"id": "e", "title": "T", "starts": "2026-12-10T17:00:00", "timezone": "UTC"}],
    }


def test_defaults_in_the_table_are_the_readers_defaults(tmp_path: Path) -> None:
    """Writing every key's table default gives the same Config as writing none of them."""
    written = minimal()
    for section in SECTIONS:
        tables = written.setdefault(section.name, [{}] if section.many else {})
        for table in tables if section.many else [tables]:
            for key in section.keys:
                if key.default is not None:
                    table.setdefault(key.name, key.default)
    file = tmp_path / "config.toml"
    assert parse(written, file) == parse(minimal(), file)


def test_example_parses_as_toml_with_the_schema_line() -> None:
    """The #:schema line is a plain comment to TOML: the example still loads."""
    assert "organizer" in tomllib.loads((ROOT / "config.toml").read_text())
