"""GitHub access end to end: `mailer tick --now` against real mail servers and the GitHub-shaped server.

PyGithub's own code talks HTTP to the server on 127.0.0.1; the scenarios are the ones people
meet: an invitation accepted a tick later, one expiring and renewed, a rate limit in the middle
of a batch, a 502, a username GitHub does not know, a username given by email.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer.cli import main
from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack
from mailer.testing.github_server import GitHubServer

from .scenario import GITHUB_TOKEN_ENV, STARTS, T0, Roundtable, board_config, github_board

TOKEN_ENV = GITHUB_TOKEN_ENV
LOGINS = {f"p{n:03d}@guests.test": f"p{n:03d}-gh" for n in range(1, 6)}


@pytest.fixture
def hub() -> Iterator[GitHubServer]:
    with github_board([*LOGINS.values(), "organizer-gh"]) as server:
        yield server


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path, hub: GitHubServer) -> Roundtable:
    """Five invitees with GitHub logins, three seats; p1-p3 say yes and are seated."""
    table = Roundtable(
        mail_stack, tmp_path, people=5, capacity=3, extra=board_config(hub), github=LOGINS
    )
    table.tick(0)
    for n in (1, 2, 3):
        table.reply(n, "yes", n)
    return table


def github_states(table: Roundtable) -> dict[str, str | None]:
    return {
        a["email"]: a["github"]
        for a in table.status()["events"][0]["attendees"]
        if a["state"] == "seated"
    }


def test_invitation_accepted_on_the_next_tick(table: Roundtable, hub: GitHubServer) -> None:
    """The seated are invited; once one accepts on GitHub, the next tick shows it."""
    table.tick(10)
    assert set(github_states(table).values()) == {"invited"}
    hub.accept("p001-gh")
    table.tick(20)
    assert github_states(table)["p001@guests.test"] == "accepted"
    assert github_states(table)["p002@guests.test"] == "invited"


def test_expired_invitation_is_renewed_once_and_the_person_told(
    table: Roundtable, hub: GitHubServer
) -> None:
    """An invitation GitHub let expire is sent again, once, and the person hears why."""
    table.tick(10)
    hub.expire("p002-gh")
    table.tick(8 * 24 * 60)
    table.tick(8 * 24 * 60 + 1)
    assert (
        table.subjects(2).count(
            "A fresh GitHub invitation: Peer-to-peer roundtable: Development Velocity"
        )
        == 1
    )
    assert github_states(table)["p002@guests.test"] == "invited"


def test_rate_limit_mid_batch_is_waited_out_and_nothing_done_twice(
    table: Roundtable, hub: GitHubServer
) -> None:
    """A rate limit stops the batch until GitHub's reset time; then the rest are invited, each once."""
    # The reset by the server's own (wall) clock: an hour after its answer, whatever our --now.
    reset = datetime.now(UTC) + timedelta(hours=1)
    hub.rate_limit("primary", reset=reset, match="collaborators/p002-gh")
    output = table.tick(10, expect=1)
    assert "rate limit" in output or "github" in output
    table.tick(20)  # before the reset: GitHub is left alone
    assert sum(1 for method, _ in hub.requests if method == "PUT") == 2  # p001, the refused p002
    table.tick(2 * 60)  # after it
    puts = [path for method, path in hub.requests if method == "PUT"]
    assert sorted(p.rsplit("/", 1)[1] for p in puts) == ["p001-gh", "p002-gh", "p002-gh", "p003-gh"]
    assert set(github_states(table).values()) == {"invited"}


def test_a_502_is_retried_on_a_later_tick(table: Roundtable, hub: GitHubServer) -> None:
    """A 502 from GitHub is tried again later; the invitation then goes out once."""
    hub.fail_next(502, match="collaborators/p001-gh")
    table.tick(10, expect=1)
    table.tick(20)
    assert github_states(table)["p001@guests.test"] == "invited"


def test_unknown_username_is_asked_again(
    mail_stack: MailStack, tmp_path: Path, hub: GitHubServer
) -> None:
    """A username GitHub does not know shows as failed, and the person is asked kindly for the right one."""
    logins = {**LOGINS, "p001@guests.test": "no-such-person"}
    table = Roundtable(
        mail_stack, tmp_path, people=2, capacity=3, extra=board_config(hub), github=logins
    )
    table.tick(0)
    table.reply(1, "yes", 1)
    table.tick(10)
    table.tick(11)
    assert github_states(table)["p001@guests.test"] == "failed"
    assert sum("We could not find" in s for s in table.subjects(1)) == 1


def test_username_given_by_email_is_used(
    mail_stack: MailStack, tmp_path: Path, hub: GitHubServer
) -> None:
    """Someone with no username in the config is asked, answers in a reply, and is invited."""
    table = Roundtable(mail_stack, tmp_path, people=2, capacity=3, extra=board_config(hub))
    table.tick(0)
    table.reply(1, "yes", 1)
    table.tick(10)
    # Asked in the seat email itself, not in an email of its own.
    seat = table.inbox(1)[-1]
    assert "GitHub: your-name" in seat.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert not any(s.startswith("Your GitHub username, please") for s in table.subjects(1))
    table.reply(1, "my GitHub is @p001-gh", 20)
    table.tick(30)
    table.tick(40)
    assert github_states(table)["p001@guests.test"] == "invited"


def test_seat_given_up_withdraws_the_invitation(table: Roundtable, hub: GitHubServer) -> None:
    """A seated person who cancels has their pending invitation withdrawn."""
    table.tick(10)
    table.reply(3, "Sorry, I can't make it after all.", 60)
    table.tick(70)
    assert "DELETE" in {m for m, p in hub.requests if "invitations" in p}


def test_check_reports_the_token(table: Roundtable, hub: GitHubServer) -> None:
    """mailer check validates the token and repository in one line, and names the fix when wrong."""
    result = CliRunner().invoke(main, ["-c", str(table.config_path), "check"])
    assert "github: OK token for" in result.output
    os.environ[TOKEN_ENV] = "wrong"
    result = CliRunner().invoke(main, ["-c", str(table.config_path), "check"])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith("github:"))
    assert line.startswith("github: FAILED bad token") and "wrong" not in line


def test_topic_proposed_by_email_becomes_an_issue(table: Roundtable, hub: GitHubServer) -> None:
    """A "Topic:" email from a seated person becomes an issue naming them, and they get the link."""
    table.tick(10)
    raw = participants.new_message(
        table.people[0],
        ORGANIZER,
        "Topic: Flaky tests and velocity",
        "How do you keep CI green?",
        T0,
    )
    table.raw(raw, 30)
    table.tick(40)
    table.tick(41)
    assert [issue.title for issue in hub.issues.values()] == ["Flaky tests and velocity"]
    assert "Person 001" in hub.issues[1].body and "@" not in hub.issues[1].body.split("---")[-1]
    assert table.subjects(1)[-1] == "Your topic is on the board: Flaky tests and velocity"


def test_topic_from_a_stranger_is_ignored(table: Roundtable, hub: GitHubServer) -> None:
    """Only seated or invited people can add topics."""
    table.raw(
        participants.new_message(
            ("X", "x@elsewhere.test"), ORGANIZER, "Topic: Buy my product", "!", T0
        ),
        30,
    )
    table.tick(40)
    assert len(hub.issues) == 0


def test_the_seated_get_the_agenda_sorted_by_votes(table: Roundtable, hub: GitHubServer) -> None:
    """A day before, each seated person gets the open topics, most votes first, once: in the
    day's reminder, due at the same time, rather than in an email of its own."""
    first = hub.add_issue("Hiring seniors")
    second = hub.add_issue("Measuring velocity")
    hub.react(second, "p001-gh", "+1")
    table.tick(10)
    day_before = (STARTS - T0).total_seconds() / 60 - 23 * 60
    table.tick(day_before)
    table.tick(day_before + 1)
    assert not [s for s in table.subjects(1) if s.startswith("Agenda")]
    agendas = [m for m in table.inbox(1) if "The agenda so far" in str(m.get_body(("plain",)))]
    assert [str(m["Subject"]).split(":")[0] for m in agendas] == ["Tomorrow"]
    text = agendas[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert text.index("Measuring velocity") < text.index("Hiring seniors")
    assert first != second


def test_the_token_is_never_written_down(
    table: Roundtable, hub: GitHubServer, caplog: pytest.LogCaptureFixture
) -> None:
    """After invitations, a rate limit and a failure, the token is in no log line, database byte or email."""
    hub.rate_limit(
        "primary", reset=datetime.now(UTC) + timedelta(minutes=30), match="collaborators/p002-gh"
    )
    with caplog.at_level("DEBUG"):
        table.tick(10, expect=1)
        table.tick(60)
    database = b"".join(path.read_bytes() for path in table.config_path.parent.glob("mailer.db*"))
    assert hub.token.encode() not in database
    assert hub.token not in caplog.text
    for n in range(1, 6):
        assert all(hub.token.encode() not in raw for raw in table.stack.messages(table.address(n)))


def test_an_unset_token_is_one_clear_line(table: Roundtable) -> None:
    """Without the token, tick says which variable to set, and the mail goes on regardless."""
    os.environ.pop(TOKEN_ENV)
    output = table.tick(10, expect=1)
    assert f"github: [github] token_env names ${TOKEN_ENV}, which is not set" in output
    assert table.states()[table.address(1)][0] == "seated"


def test_a_refused_token_changes_no_one(table: Roundtable, hub: GitHubServer) -> None:
    """A token GitHub refuses stops the GitHub step; nobody is marked failed, and fixing it resumes."""
    os.environ[TOKEN_ENV] = "revoked"
    assert "nothing was changed" in table.tick(10, expect=1)
    assert set(github_states(table).values()) == {"none"}
    os.environ[TOKEN_ENV] = hub.token
    table.tick(20)
    assert set(github_states(table).values()) == {"invited"}


def test_a_topic_already_on_the_board_is_not_opened_twice(
    table: Roundtable, hub: GitHubServer
) -> None:
    """A proposal whose title is already an open issue links to it instead of opening another."""
    hub.add_issue("Flaky tests and velocity")
    raw = participants.new_message(
        table.people[0], ORGANIZER, "Topic: Flaky tests and velocity", "Again!", T0
    )
    table.raw(raw, 30)
    table.tick(40)
    assert len(hub.issues) == 1
    assert table.subjects(1)[-1] == "Your topic is on the board: Flaky tests and velocity"


def test_not_accepted_shortly_before_gets_one_nudge(table: Roundtable, hub: GitHubServer) -> None:
    """Two days before, whoever has not accepted the invitation is nudged once; whoever has is not."""
    table.tick(10)
    hub.accept("p001-gh")
    two_days_before = (STARTS - T0).total_seconds() / 60 - 2 * 24 * 60
    table.tick(two_days_before)
    table.tick(two_days_before + 1)
    nudges = [
        sum(s.startswith("Please accept the GitHub invitation") for s in table.subjects(n))
        for n in (1, 2, 3)
    ]
    assert nudges == [0, 1, 1]


def test_access_ends_after_the_meeting_when_asked(
    mail_stack: MailStack, tmp_path: Path, hub: GitHubServer
) -> None:
    """With remove_after_event, accepted collaborators lose access once the meeting is over; kept logins stay."""
    extra = board_config(hub) + 'remove_after_event = true\nkeep = ["p002-gh"]\n'
    table = Roundtable(mail_stack, tmp_path, people=2, capacity=3, extra=extra, github=LOGINS)
    table.tick(0)
    table.reply(1, "yes", 1)
    table.reply(2, "yes", 2)
    table.tick(10)
    hub.accept("p001-gh")
    hub.accept("p002-gh")
    table.tick(20)
    after = (STARTS - T0).total_seconds() / 60 + 120
    table.tick(after)
    assert "p001-gh" not in hub.state().collaborators and "p002-gh" in hub.state().collaborators


def test_takeaways_from_discussed_topics_reach_the_digest(
    table: Roundtable, hub: GitHubServer
) -> None:
    """Topics closed during the meeting head the digest, most votes first, with the seated's
    "Takeaway:" comments; a comment by someone not seated is left out."""
    table.tick(10)
    ends = STARTS + timedelta(minutes=75)
    hiring = hub.add_issue("Hiring for curiosity", user="p002-gh", assignees=["p002-gh"])
    friday = hub.add_issue("Deploying on Fridays", user="p001-gh", assignees=["p001-gh"])
    untouched = hub.add_issue("Monorepos", user="p003-gh")
    for login in ("p001-gh", "p002-gh", "p003-gh"):
        hub.react(friday, login)
    hub.react(hiring, "p001-gh")
    during = STARTS + timedelta(minutes=30)
    hub.close(friday, at=during)
    hub.label(hiring, "discussed", at=during + timedelta(minutes=20))
    hub.comment(friday, "p001-gh", "Takeaway: Feature flags make Friday deploys boring", at=during)
    hub.comment(hiring, "p002-gh", "## Takeaways\n- Ask about the last thing they learned", at=ends)
    hub.comment(friday, "p005-gh", "Takeaway: not seated, not counted", at=during)
    hub.comment(untouched, "p003-gh", "Takeaway: an undiscussed topic", at=during)
    late = ends + timedelta(hours=24, minutes=1)
    table.tick((late - T0).total_seconds() / 60)
    send = ["digest", "--event", "2026-12-velocity", "--send"]
    table.run(*send, "--now", (late + timedelta(minutes=5)).isoformat())
    digest = next(m for m in table.inbox(1) if str(m["Subject"]).startswith("Takeaways:"))
    text = digest.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.index("## Deploying on Fridays") < text.index("## Hiring for curiosity")
    assert "3 votes · sponsored by p001-gh" in text
    assert "- Feature flags make Friday deploys boring (Person 001)" in text
    assert "- Ask about the last thing they learned (Person 002)" in text
    assert "not seated" not in text and "Monorepos" not in text


def test_rate_limit_while_reading_takeaways_is_waited_out(
    table: Roundtable, hub: GitHubServer
) -> None:
    """A rate limit on the comments stops the reading until GitHub's time; later ticks finish it."""
    table.tick(10)
    ends = STARTS + timedelta(minutes=75)
    topic = hub.add_issue("Deploying on Fridays", user="p001-gh")
    hub.close(topic, at=STARTS + timedelta(minutes=30))
    hub.comment(topic, "p001-gh", "Takeaway: Flags make it boring", at=ends)
    hub.rate_limit("secondary", retry_after=600, match="/comments")
    after = (ends - T0).total_seconds() / 60
    assert "github" in table.tick(after + 10, expect=1)
    table.tick(after + 30)
    store_path = table.config_path.parent / "mailer.db"
    from mailer.store import Store

    store = Store(store_path)
    try:
        assert [t.text for t in store.takeaways("2026-12-velocity")] == ["Flags make it boring"]
    finally:
        store.close()


def test_archive_is_published_to_the_repository_only_when_it_changed(
    mail_stack: MailStack, tmp_path: Path, hub: GitHubServer
) -> None:
    """With [archive] publish_path, TAKEAWAYS.md is committed once it has takeaways, and an
    unchanged archive costs GitHub nothing."""
    extra = board_config(hub) + '\n[archive]\npublish_path = "TAKEAWAYS.md"\n'
    table = Roundtable(mail_stack, tmp_path, people=2, capacity=2, extra=extra, github=LOGINS)
    table.tick(0)
    table.reply(1, "yes", 1)
    table.tick(10)
    ends = STARTS + timedelta(minutes=75)
    topic = hub.add_issue("Deploying on Fridays", user="p001-gh")
    hub.close(topic, at=STARTS + timedelta(minutes=30))
    hub.comment(topic, "p001-gh", "Takeaway: Flags make Friday deploys boring", at=ends)
    after = (ends - T0).total_seconds() / 60
    table.tick(after + 10)
    published = hub.file("TAKEAWAYS.md", "main")
    assert published is not None and "Flags make Friday deploys boring" in published
    asked = len(hub.requests)
    table.tick(after + 20)
    assert not [p for _, p in hub.requests[asked:] if "/contents/" in p]
