"""`mailer explain`: the reading, the routing and what a tick would do, on named sample mails."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mailer.cli import main
from mailer.model import Attendance, Intent, Kind, Reply
from mailer.reports.explain import Explanation
from mailer.reports.explain_text import FIELDS, as_json, as_text
from mailer.sandbox import participants
from mailer.store import Store
from mailer.testing import DEMO_USERS, open_stack
from tests.scenario import T0, Roundtable

ROOT = Path(__file__).resolve().parents[1]
MAILS = Path(__file__).parent / "mails"
EVENT = "2026-12-velocity"
INVITED = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
NOW = "2026-12-01T15:00:00+00:00"
ADA, GRACE, LINUS = "ada@example.com", "grace@example.com", "linus@example.com"

# The JSON interface, pinned: a change here is a change for every script that reads it.
PINNED_FIELDS = (
    "file kind rule intent weak consent permanent bounced sender subject message_id attendee "
    "calendar_uid evidence reason text invitee event routing action changes sends notices "
    "outcome note"
)


def write_config(folder: Path) -> Path:
    """The project's config.toml with two seats, a third invitee and a database in `folder`."""
    text = (
        (ROOT / "config.toml")
        .read_text()
        .replace('path = "mailer.db"', f'path = "{folder / "mailer.db"}"')
        .replace("capacity = 12 ", "capacity = 2 ")
        .replace(
            "# One [[events]] table per meeting.",
            '[[invitees]]\nname = "Linus Example"\nemail = "linus@example.com"\n\n[[events]]',
        )
        .replace("[[events]]\n[[events]]", "[[events]]")
    )
    path = folder / "config.toml"
    path.write_text(text)
    return path


def yes(person: str, minutes: int, seated: bool = True) -> Attendance:
    """A standing yes that arrived `minutes` after the invitations (told of a seat if `seated`)."""
    since = INVITED + timedelta(minutes=minutes)
    return Attendance(person, INVITED, "yes", since, minutes, True, confirmed=seated)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def roster(config: Path, *rows: Attendance) -> None:
    """A real database beside `config`: everyone invited, `rows` as given."""
    store = Store(config.parent / "mailer.db")
    given = {row.person: row for row in rows}
    for person in (ADA, GRACE, LINUS):
        store.save_attendance(EVENT, given.get(person, Attendance(person, INVITED)))
    store.close()


def explain(config: Path, *names: str, expect: int = 0) -> list[dict[str, Any]]:
    """`mailer -c config explain --json` on sample mails by name; one object per file."""
    files = [str(MAILS / name) if name.endswith(".eml") else name for name in names]
    result = CliRunner().invoke(
        main, ["-c", str(config), "explain", "--json", "--now", NOW, *files]
    )
    assert result.exit_code == expect, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_field_names_are_pinned(config: Path) -> None:
    """Every message is one JSON object with exactly the documented fields, in order."""
    assert " ".join(FIELDS) == PINNED_FIELDS
    (data,) = explain(config, "ada_yes_count_me_in.eml")
    assert " ".join(data) == PINNED_FIELDS


def test_yes_would_take_the_free_seat(config: Path) -> None:
    """A clear yes with a seat free says which seat and which email would follow."""
    roster(config, yes(LINUS, 5))
    (data,) = explain(config, "ada_yes_count_me_in.eml")
    assert (data["kind"], data["intent"], data["weak"]) == ("written", "yes", False)
    assert (data["invitee"], data["event"]) == (ADA, EVENT)
    assert data["action"] == "would seat ada@example.com (seat 2 of 2) and send `seated`"
    assert data["changes"] == [
        {
            "person": ADA,
            "before": "invited",
            "before_position": None,
            "after": "seated",
            "after_position": 2,
            "recording": None,
            "bounced": False,
        }
    ]


def test_yes_with_every_seat_taken_would_join_the_line(config: Path) -> None:
    """A yes when the seats are taken puts the person in the waiting line."""
    roster(config, yes(LINUS, 5), yes(ADA, 6))
    (data,) = explain(config, "grace_yes_see_you_there.eml")
    assert data["action"] == (
        "would put grace@example.com in the waiting line (place 1) and send `waitlisted`"
    )


def test_no_from_the_seated_would_promote_the_first_in_line(config: Path) -> None:
    """A seated person's no frees the seat, and the first in line moves up and is told."""
    roster(config, yes(LINUS, 5), yes(ADA, 6), yes(GRACE, 7, seated=False))
    (data,) = explain(config, "linus_cannot_make_it.eml")
    assert data["action"] == (
        "would free linus@example.com's seat 1; move grace@example.com from the waiting line "
        "to seat 2 of 2 and send `cancelled`, `promoted` to grace@example.com"
    )


def test_out_of_office_is_ignored(config: Path) -> None:
    """An automatic reply from an invitee changes nothing and is said to be ignored."""
    roster(config)
    (data,) = explain(config, "ada_out_of_office.eml")
    assert data["kind"] == "automatic" and data["intent"] is None
    assert data["action"] == (
        "ignored: automatic reply (RFC 3834: Auto-Submitted: auto-replied): never answered"
    )


def test_unclear_reply_would_ask_and_tell_the_organizer(config: Path) -> None:
    """An unclear first answer asks for yes or no and is shown to the organizer."""
    roster(config)
    (data,) = explain(config, "ada_thanks_unclear.eml")
    assert data["intent"] == "unclear"
    assert data["sends"] == [{"kind": "clarify", "to": ADA}]
    assert data["action"].startswith(
        "would send `clarify`; tell the organizer: unclear reply, asked for yes or no:"
    )


def test_stranger_is_nobody_and_goes_to_the_organizer(config: Path) -> None:
    """Mail from someone not invited names why nobody, and only the organizer hears of it."""
    roster(config)
    (data,) = explain(config, "gmail_yes_top_posted.eml")
    assert data["invitee"] is None
    assert data["routing"] == "nobody: ann.lee@gmail.com is not on the invitee list"
    assert data["action"] == (
        "would tell the organizer: ann.lee@gmail.com is not on the invitee list"
    )


def test_bounce_is_permanent_and_marks_the_invitee(config: Path) -> None:
    """A failure DSN for an invitee is permanent and would mark them bounced."""
    roster(config)
    (data,) = explain(config, "grace_bounce_dsn.eml")
    assert (data["kind"], data["permanent"], data["bounced"]) == ("bounce", True, [GRACE])
    assert data["action"].startswith(
        "would mark grace@example.com as bounced (unreachable); tell the organizer: "
        "delivery to grace@example.com failed permanently"
    )


def test_explaining_changes_nothing_stored(config: Path) -> None:
    """The database holds the same rows after explain as before, whatever it decided."""
    roster(config, yes(LINUS, 5), yes(ADA, 6), yes(GRACE, 7, seated=False))

    def dump() -> list[str]:
        with sqlite3.connect(config.parent / "mailer.db") as db:
            return list(db.iterdump())

    before = dump()
    explain(config, "linus_cannot_make_it.eml", "ada_thanks_unclear.eml", "grace_bounce_dsn.eml")
    assert dump() == before


def test_without_a_database_it_reads_and_routes_only(config: Path) -> None:
    """With no database, the action is null, a note says why, and no database is created."""
    (data,) = explain(config, "ada_yes_count_me_in.eml")
    assert (data["invitee"], data["event"], data["action"]) == (ADA, EVENT, None)
    assert data["note"].startswith("no database at ")
    assert not (config.parent / "mailer.db").exists()


def test_without_a_config_it_reads_only(tmp_path: Path) -> None:
    """With no config, the reading is still printed and the note names the missing file."""
    (data,) = explain(tmp_path / "none.toml", "ada_yes_count_me_in.eml")
    assert (data["intent"], data["routing"], data["action"]) == ("yes", None, None)
    assert "none.toml does not exist" in data["note"]


def test_unreadable_file_is_one_error_line_and_status_1(config: Path, tmp_path: Path) -> None:
    """A missing file is a line with "error", in its place; the others are explained; exit 1."""
    missing = str(tmp_path / "gone.eml")
    lines = explain(
        config, "ada_yes_count_me_in.eml", missing, "linus_cannot_make_it.eml", expect=1
    )
    assert [line.get("error") for line in lines] == [None, f"{missing}: no such file", None]
    assert lines[1] == {"file": missing, "error": f"{missing}: no such file"}


def test_text_output_names_the_missing_file_without_a_traceback(config: Path) -> None:
    """Without --json a missing file is one Error line on stderr; the rest is still explained."""
    result = CliRunner().invoke(
        main,
        [
            "-c",
            str(config),
            "explain",
            "--now",
            NOW,
            "gone.eml",
            str(MAILS / "ada_out_of_office.eml"),
        ],
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == "Error: gone.eml: no such file. Fix: check the path\n"
    assert "reading:  automatic, by the automatic rule" in result.stdout


def test_evidence_is_shown_when_present() -> None:
    """The words a rule rested on are printed in both shapes."""
    reply = Reply(
        Kind.WRITTEN, "written", ADA, intent=Intent.NO, evidence=("can't make it",), text="x"
    )
    result = Explanation(reply)
    assert as_json("r.eml", result)["evidence"] == ["can't make it"]
    assert '  evidence: "can\'t make it"' in as_text("r.eml", result)


def test_prediction_is_what_the_tick_then_does(tmp_path: Path) -> None:
    """On a real mail stack, explain foretells the next tick's seat and email, and changes nothing."""
    with open_stack("pymap", DEMO_USERS) as stack:
        table = Roundtable(stack, tmp_path, people=2, capacity=1)
        table.tick(0)
        when = T0 + timedelta(minutes=30)
        raw = participants.written_reply(
            participants.invitation_in(stack.messages(table.address(2))),
            table.people[1],
            "Yes, I'd love to come.",
            when,
        )
        (tmp_path / "reply.eml").write_bytes(raw)
        result = CliRunner().invoke(
            main,
            [
                "-c",
                str(table.config_path),
                "explain",
                "--json",
                "--now",
                when.isoformat(),
                str(tmp_path / "reply.eml"),
            ],
        )
        data = json.loads(result.stdout)
        assert data["action"] == f"would seat {table.address(2)} (seat 1 of 1) and send `seated`"
        assert table.states()[table.address(2)] == ("invited", None)
        table.raw(raw, 30)
        table.tick(30)
        assert table.states()[table.address(2)] == ("seated", 1)
        assert any(
            row["kind"] == "seated" and row["person"] == table.address(2) for row in table.outbox()
        )
