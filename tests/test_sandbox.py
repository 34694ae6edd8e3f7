"""`mailer sandbox`, the README's first command: the whole story on loopback, run once through
the CLI (as `./scripts/demo` runs it) and checked for what it tells and leaves behind.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer import config as config_module
from mailer.cli import main
from mailer.reports import status
from mailer.sandbox.loopback import EVENT_ID
from mailer.store import Store


@dataclass(frozen=True)
class Tour:
    output: str
    out: Path
    roster: dict[str, str]  # name -> state at the end of the month


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Tour:
    out = tmp_path_factory.mktemp("tour")
    result = CliRunner().invoke(main, ["sandbox", "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    config = config_module.load(out / "config.toml")
    store = Store(config.database)
    try:
        event = status.report(config, store, EVENT_ID)["events"][0]
    finally:
        store.close()
    return Tour(result.output, out, {a["name"]: a["state"] for a in event["attendees"]})


def kinds(tour: Tour, kind: str) -> list[Path]:
    return sorted((tour.out / "emails").glob(f"*-{kind}-*.eml"))


def test_twenty_people_are_invited_and_twelve_seated_from_fifteen_yeses(tour: Tour) -> None:
    """Twenty invitees, a rush of 15 yeses for 12 seats: 12 seated, the rest in line or out."""
    states = sorted(tour.roster.values())
    assert len(states) == 20
    assert states.count("seated") == 12
    assert states.count("waitlisted") == 2  # three waited; one was promoted
    assert tour.roster["Ada Lovelace"] == "cancelled"


def test_a_cancellation_promotes_the_first_in_line(tour: Tour) -> None:
    """Ada gives her seat back; Niklaus, first in line, is promoted and told."""
    assert tour.roster["Niklaus Wirth"] == "seated"
    assert [p.name.split("-", 2)[2] for p in kinds(tour, "promoted")] == ["niklaus.eml"]


def test_the_seated_accept_github_and_one_objects_to_the_recording(tour: Tour) -> None:
    """The roster table shows GitHub access accepted by all twelve and Ken's objection."""
    rows = [line for line in tour.output.splitlines() if "│ seated " in line]
    assert len(rows) == 12 and all("accepted" in row for row in rows)
    assert "objected" in next(row for row in rows if "Ken Thompson" in row)


def test_the_month_ends_with_the_digest_and_the_archive(tour: Tour) -> None:
    """Reminders and details went to the seated; the digest went to all 12; the archive is built."""
    assert len(kinds(tour, "reminder-7d")) == len(kinds(tour, "details")) == 12
    digests = kinds(tour, "digest")
    assert len(digests) == 12
    digest = email.message_from_bytes(digests[0].read_bytes(), policy=email.policy.default)
    assert str(digest["Subject"]).startswith("Takeaways")
    assert (tour.out / "archive" / "index.html").is_file()


def test_the_real_worker_answers_under_idle_and_stops_on_sigterm(tour: Tour) -> None:
    """`mailer run` invites to next month, answers one reply in seconds, exits 0 on SIGTERM."""
    answered = re.search(r"answered in (\d+\.\d+) s under IMAP IDLE: 'You have a seat", tour.output)
    assert answered and float(answered[1]) < 5
    assert "exited 0" in tour.output
    assert len(kinds(tour, "invitation")) == 40  # this month's 20 and next month's 20


def test_the_tour_ends_with_where_things_are_how_to_start_and_its_time(tour: Tour) -> None:
    """The closing lines: the .eml folder, `mailer init`, `check`, `run`, the measured time."""
    assert f"emails the product sent: {tour.out / 'emails'}" in tour.output
    for command in ("mailer init", "check", "run"):
        assert command in tour.output
    took = re.search(r"The whole tour took (\d+\.\d) s\.", tour.output)
    assert took and float(took[1]) < 60


def test_off_a_terminal_the_output_is_plain_text(tour: Tour) -> None:
    """A pipe or CI gets no progress bar and no colour codes, only the lines."""
    assert "\x1b[" not in tour.output
