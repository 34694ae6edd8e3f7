"""What a meeting left on GitHub, read and published by the adapter through PyGithub's own HTTP
code against the GitHub-shaped server on 127.0.0.1: discussed topics, comments, a published file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from github import Auth, Github, GithubException

from mailer.adapters.github import GitHubRepo, GitHubTransientError
from mailer.errors import PermanentError
from mailer.model import Comment, Discussed
from mailer.testing.github_server import GitHubServer

TOKEN = "ghp_roundtable_meeting_token"
START = datetime(2025, 6, 12, 17, 0, tzinfo=UTC)  # the meeting starts
UNTIL = START + timedelta(hours=26)  # two hours of meeting and a day after
OPENED = START - timedelta(days=10)
TOPIC = "2025-06"


@pytest.fixture
def hub() -> Iterator[GitHubServer]:
    """A started server with repo roundtable/topics, users alice, bob and carol."""
    with GitHubServer("roundtable/topics", users=["alice", "bob", "carol"], token=TOKEN) as server:
        yield server


@pytest.fixture
def gh(hub: GitHubServer) -> GitHubRepo:
    return GitHubRepo(hub.api_url, hub.repo, TOKEN)


def topic(hub: GitHubServer, title: str, labels: tuple[str, ...] = (TOPIC,), **kw: object) -> int:
    """A topic issue opened well before the meeting."""
    return hub.add_issue(title, labels=labels, at=OPENED, **kw)  # type: ignore[arg-type]


def discussed(gh: GitHubRepo, label: str | None = TOPIC) -> list[Discussed]:
    return gh.discussed(label, START, UNTIL, "discussed")


def calls(hub: GitHubServer) -> list[str]:
    return [f"{method} {path}" for method, path in hub.requests]


# discussed ------------------------------------------------------------------------------------
def test_topic_closed_in_the_window_was_discussed(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A topic closed between the start and the end of the window is discussed, with its votes,
    sponsors, author, link and closing time."""
    number = topic(hub, "Hiring seniors", user="alice", assignees=["bob"])
    hub.react(number, "bob")
    hub.react(number, "carol")
    hub.close(number, at=START + timedelta(minutes=40), by="alice")
    assert discussed(gh) == [
        Discussed(
            number=number,
            title="Hiring seniors",
            url=f"https://github.com/roundtable/topics/issues/{number}",
            votes=2,
            sponsors=("bob",),
            author="alice",
            closed_at=START + timedelta(minutes=40),
        )
    ]


def test_topic_closed_before_or_after_the_window_was_not(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A closing before the start or after the window's end does not make a topic discussed."""
    hub.close(topic(hub, "Too early"), at=START - timedelta(minutes=1))
    hub.close(topic(hub, "Too late"), at=UNTIL + timedelta(seconds=1))
    assert discussed(gh) == []


def test_reopened_topic_was_not_discussed_by_its_closing(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A topic closed in the window and reopened has no standing closing: not discussed."""
    number = topic(hub, "Closed by mistake")
    hub.close(number, at=START + timedelta(minutes=5))
    hub.close(number, at=START + timedelta(minutes=6), reopen=True)
    assert discussed(gh) == []


def test_topic_labelled_discussed_in_the_window_was_discussed(
    hub: GitHubServer, gh: GitHubRepo
) -> None:
    """A topic given the discussed label within the window is discussed, with when it got it."""
    number = topic(hub, "On-call pay")
    hub.label(number, "idea", at=START + timedelta(minutes=10))
    hub.label(number, "Discussed", at=START + timedelta(hours=1))
    [found] = discussed(gh)
    assert (found.number, found.labelled_at, found.closed_at) == (
        number,
        START + timedelta(hours=1),
        None,
    )


def test_topic_labelled_discussed_before_the_window_was_not(
    hub: GitHubServer, gh: GitHubRepo
) -> None:
    """A discussed label from an earlier meeting does not count again, even if touched since."""
    number = topic(hub, "Last month's topic")
    hub.label(number, "discussed", at=START - timedelta(days=2))
    hub.comment(number, "bob", "Still relevant", at=START + timedelta(minutes=3))
    assert discussed(gh) == []


def test_topic_closed_and_labelled_carries_both_times(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A topic closed and labelled discussed in the window is listed once, with both times."""
    number = topic(hub, "Both")
    hub.label(number, "discussed", at=START + timedelta(minutes=30))
    hub.close(number, at=START + timedelta(minutes=31))
    [found] = discussed(gh)
    assert (found.number, found.labelled_at, found.closed_at) == (
        number,
        START + timedelta(minutes=30),
        START + timedelta(minutes=31),
    )


def test_discussed_label_taken_off_does_not_count(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A discussed label put on in the window and taken off again was a mistake: not discussed."""
    number = topic(hub, "Labelled by mistake")
    hub.label(number, "discussed", at=START + timedelta(minutes=20))
    hub.label(number, "discussed", at=START + timedelta(minutes=21), off=True)
    assert discussed(gh) == []


def test_topic_label_filters_the_discussed(hub: GitHubServer, gh: GitHubRepo) -> None:
    """With the event's topic label only its issues count; without one, every issue does."""
    june = topic(hub, "June topic")
    may = topic(hub, "May topic", labels=("2025-05",))
    for number in (june, may):
        hub.close(number, at=START + timedelta(minutes=30))
    assert [d.number for d in discussed(gh)] == [june]
    assert sorted(d.number for d in discussed(gh, label=None)) == [june, may]


def test_discussed_most_votes_first_without_pull_requests(
    hub: GitHubServer, gh: GitHubRepo
) -> None:
    """Discussed topics come most 👍 first, then by number; a pull request is never a topic."""
    quiet, loud, tied = (topic(hub, title) for title in ("Quiet", "Loud", "Tied"))
    pull = topic(hub, "A pull request", pull_request=True)
    for login in ("alice", "bob"):
        hub.react(loud, login)
    hub.react(tied, "carol")
    hub.react(quiet, "carol")
    for number in (quiet, loud, tied, pull):
        hub.close(number, at=START + timedelta(minutes=50))
    assert [(d.number, d.votes) for d in discussed(gh)] == [(loud, 2), (quiet, 1), (tied, 1)]


def test_topics_untouched_since_the_start_cost_no_request(
    hub: GitHubServer, gh: GitHubRepo
) -> None:
    """One listing asks for issues updated since the start; only a labelled one costs its events."""
    for n in range(5):
        hub.label(topic(hub, f"Old {n}"), "discussed", at=START - timedelta(days=3))
    fresh = topic(hub, "Fresh")
    hub.label(fresh, "discussed", at=START + timedelta(minutes=15))
    assert [d.number for d in discussed(gh)] == [fresh]
    assert calls(hub) == [
        "GET /repos/roundtable/topics/issues",
        f"GET /repos/roundtable/topics/issues/{fresh}/events",
    ]


def test_rate_limit_while_reading_events_is_transient(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A primary rate limit on the events after the listing is a TransientError until the reset."""
    hub.label(topic(hub, "Labelled"), "discussed", at=START + timedelta(minutes=15))
    reset = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    hub.rate_limit("primary", reset=reset, match="/events")
    with pytest.raises(GitHubTransientError) as caught:
        discussed(gh)
    assert caught.value.code == 403 and caught.value.retry_after == reset
    assert len(hub.requests) == 2


# comments ------------------------------------------------------------------------------------
def test_comments_are_read_across_pages(hub: GitHubServer) -> None:
    """Every comment comes once, oldest first, with its author, body, link and time."""
    gh = GitHubRepo(hub.api_url, hub.repo, TOKEN, per_page=2)
    number = topic(hub, "Hiring seniors")
    ids = [
        hub.comment(number, login, f"Takeaway: {n}", at=START + timedelta(minutes=n))
        for n, login in enumerate(["alice", "bob", "carol", "alice", "bob"])
    ]
    found = gh.comments(number)
    assert [c.id for c in found] == ids
    assert found[1] == Comment(
        id=ids[1],
        author="bob",
        body="Takeaway: 1",
        url=f"https://github.com/roundtable/topics/issues/{number}#issuecomment-{ids[1]}",
        created_at=START + timedelta(minutes=1),
    )
    assert calls(hub).count(f"GET /repos/roundtable/topics/issues/{number}/comments") == 3


def test_rate_limit_on_a_later_page_of_comments_is_transient(hub: GitHubServer) -> None:
    """A secondary rate limit on the second page raises TransientError with retry_after."""
    gh = GitHubRepo(hub.api_url, hub.repo, TOKEN, per_page=2)
    number = topic(hub, "Hiring seniors")
    for n in range(3):
        hub.comment(number, "alice", f"comment {n}")
    hub.rate_limit("secondary", retry_after=90, match="?page=2")
    before = datetime.now(UTC).replace(microsecond=0)
    with pytest.raises(GitHubTransientError) as caught:
        gh.comments(number)
    assert caught.value.code == 429 and caught.value.retry_after is not None
    assert timedelta(seconds=89) <= caught.value.retry_after - before <= timedelta(seconds=92)
    assert len(hub.requests) == 2


def test_comments_of_a_missing_issue_are_permanent(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Reading the comments of an issue that does not exist is a 404 PermanentError."""
    with pytest.raises(PermanentError) as caught:
        gh.comments(99)
    assert caught.value.code == 404


# publish -------------------------------------------------------------------------------------
def test_publish_creates_a_missing_file_on_the_branch(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Publishing a file that is not there creates it on the given branch only."""
    hub.state().branches.add("archive")
    assert gh.publish("TAKEAWAYS.md", "# Takeaways\n", "archive", "Takeaways of June") is True
    assert hub.file("TAKEAWAYS.md", "archive") == "# Takeaways\n"
    assert hub.file("TAKEAWAYS.md", "main") is None


def test_publish_updates_a_changed_file(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Publishing different text updates the file (with its current sha)."""
    hub.put_file("docs/TAKEAWAYS.md", "# Takeaways\n\nMay\n")
    text = "# Takeaways\n\nMay\n\nJune: pairing 🍐\n"
    assert gh.publish("docs/TAKEAWAYS.md", text, "main", "Takeaways of June") is True
    assert hub.file("docs/TAKEAWAYS.md") == text


def test_publish_leaves_an_unchanged_file_alone(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Publishing the text already there writes nothing and returns False."""
    hub.put_file("TAKEAWAYS.md", "# Takeaways\n" * 40)
    assert gh.publish("TAKEAWAYS.md", "# Takeaways\n" * 40, "main", "again") is False
    assert calls(hub) == ["GET /repos/roundtable/topics/contents/TAKEAWAYS.md"]


def test_publish_to_a_folder_is_permanent(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A path that is a folder is a PermanentError naming it, and nothing is written."""
    hub.put_file("takeaways/2025-06.md", "notes")
    with pytest.raises(PermanentError) as caught:
        gh.publish("takeaways", "text", "main", "oops")
    assert "takeaways" in caught.value.detail and "\n" not in str(caught.value)
    assert hub.file("takeaways") is None


def test_publish_to_a_missing_branch_is_permanent(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A branch that does not exist is a 404 PermanentError."""
    with pytest.raises(PermanentError) as caught:
        gh.publish("TAKEAWAYS.md", "text", "no-such-branch", "oops")
    assert caught.value.code == 404


def test_contents_api_refuses_stale_and_missing_sha(hub: GitHubServer) -> None:
    """As GitHub, the server answers 409 to a stale sha and 422 to a missing one."""
    hub.put_file("TAKEAWAYS.md", "old")
    stale = hub.put_file("TAKEAWAYS.md", "newer")
    hub.put_file("TAKEAWAYS.md", "newest")
    repo = Github(auth=Auth.Token(TOKEN), base_url=hub.api_url, retry=None).get_repo(hub.repo)
    with pytest.raises(GithubException) as conflict:
        repo.update_file("TAKEAWAYS.md", "update", "mine", stale, branch="main")
    with pytest.raises(GithubException) as unsupplied:
        repo.create_file("TAKEAWAYS.md", "create", "mine", branch="main")
    assert (conflict.value.status, unsupplied.value.status) == (409, 422)
    assert hub.file("TAKEAWAYS.md") == "newest"
