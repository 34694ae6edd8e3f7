"""The organizer's commands: --version, status --csv, preview."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer import __version__
from mailer.cli import main
from mailer.config import load
from mailer.reports.preview import kinds
from mailer.reports.status_csv import COLUMNS, to_csv

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config.toml"
NOW = "2026-11-25T14:00:00+00:00"


def run(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(main, ["-c", str(CONFIG), *args])
    assert result.exit_code == expect, result.output + repr(result.exception)
    return result.output


def test_version_prints_the_version() -> None:
    """`mailer --version` prints the program and its version."""
    assert run("--version") == f"mailer {__version__}\n"


@pytest.mark.parametrize("kind", kinds(load(CONFIG)))
def test_preview_renders_every_kind(kind: str, tmp_path: Path) -> None:
    """Every email kind renders: the subject and text on stdout, the HTML to the file."""
    html = tmp_path / "out.html"
    output = run("preview", kind, "--now", NOW, "--html", str(html))
    assert output.startswith("To: ") and "\nSubject: " in output
    assert "<html" in html.read_text(encoding="utf-8")


def test_preview_of_an_unknown_kind_lists_the_kinds() -> None:
    """A kind that does not exist is one line naming the kinds there are."""
    output = run("preview", "nosuch", expect=1)
    assert output.count("\n") == 1 and "seated" in output and "organizer/summary" in output


def test_status_csv_has_a_header_and_a_row_per_person_per_event() -> None:
    """One row per person per event under a header line."""
    report = {
        "events": [
            {
                "id": "e1",
                "attendees": [
                    {
                        "email": "a@x.test",
                        "name": "A, Jr.",
                        "state": "seated",
                        "position": 1,
                        "responded_at": "2026-11-25T14:00:00+00:00",
                        "consent": "objected",
                        "github": None,
                    }
                ],
                "not_invited_yet": ["b@x.test"],
            }
        ]
    }
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert rows[0] == list(COLUMNS)
    assert rows[1][:5] == ["e1", "a@x.test", "A, Jr.", "seated", "1"]
    assert rows[2][:4] == ["e1", "b@x.test", "", "not_invited_yet"]
