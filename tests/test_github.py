"""The GitHub adapter through PyGithub's own HTTP code against a GitHub-shaped server on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from mailer.adapters.github import GitHubRepo, GitHubTransientError, Invitation
from mailer.errors import PermanentError, ServerError, TransientError
from mailer.testing.github_server import GitHubServer
from mailer.testing.stack import free_port

TOKEN = "ghp_SECRET_roundtable_token_0123456789"


@pytest.fixture
def hub() -> Iterator[GitHubServer]:
    """A started server with repo roundtable/topics, users alice, bob and carol."""
    with GitHubServer("roundtable/topics", users=["alice", "bob", "carol"], token=TOKEN) as server:
        yield server


@pytest.fixture
def gh(hub: GitHubServer) -> GitHubRepo:
    return GitHubRepo(hub.api_url, hub.repo, TOKEN)


def calls(hub: GitHubServer) -> list[str]:
    return [f"{method} {path}" for method, path in hub.requests]


# access --------------------------------------------------------------------------------------
def test_invitation_accepted_on_a_later_call(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Access goes none -> invited when invited, -> accepted once the person accepts."""
    assert gh.access("alice") == "none"
    invitation = gh.invite("alice")
    assert isinstance(invitation, Invitation)
    assert invitation.login == "alice" and not invitation.expired
    assert invitation.html_url == "https://github.com/roundtable/topics/invitations"
    assert hub.invitations[invitation.id].permission == "triage"
    assert gh.access("alice") == "invited"
    hub.accept("alice")
    assert gh.access("alice") == "accepted"
    assert hub.collaborators["alice"] == "triage"


def test_existing_collaborator_is_not_invited(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Someone who already has access gets no invitation (GitHub answers 204)."""
    hub.add_collaborator("bob", "push")
    assert gh.invite("bob") is None
    assert hub.invitations == {}
    assert gh.access("bob") == "accepted"


def test_expired_invitation_is_detected_and_renewed(hub: GitHubServer, gh: GitHubRepo) -> None:
    """An expired invitation shows as "expired"; renew replaces it with a new one."""
    first = gh.invite("alice")
    assert first is not None
    hub.expire("alice")
    assert gh.access("alice") == "expired"
    renewed = gh.renew("alice")
    assert renewed is not None and renewed.id != first.id and not renewed.expired
    assert list(hub.invitations) == [renewed.id]
    assert gh.access("alice") == "invited"


def test_withdraw_deletes_the_pending_invitation(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Withdrawing deletes a pending invitation; a second withdraw finds none."""
    gh.invite("carol")
    assert gh.withdraw("carol") is True
    assert hub.invitations == {}
    assert gh.access("carol") == "none"
    assert gh.withdraw("carol") is False


def test_remove_takes_collaborator_access_away(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Removing a collaborator ends their access."""
    hub.add_collaborator("bob")
    gh.remove("bob")
    assert "bob" not in hub.collaborators
    assert gh.access("bob") == "none"


def test_unknown_user_does_not_exist(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A login GitHub does not know is reported as not existing; a known one as existing."""
    assert gh.user_exists("alice") is True
    assert gh.user_exists("no-such-person") is False


def test_inviting_an_unknown_user_is_permanent(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Inviting a login GitHub does not know raises PermanentError with code 404."""
    with pytest.raises(PermanentError) as caught:
        gh.invite("no-such-person")
    assert caught.value.code == 404 and caught.value.server == "github"
    assert hub.invitations == {}


def test_invalid_permission_is_permanent(hub: GitHubServer) -> None:
    """A permission GitHub does not accept is a 422 PermanentError."""
    gh = GitHubRepo(hub.api_url, hub.repo, TOKEN, permission="owner")
    with pytest.raises(PermanentError) as caught:
        gh.invite("alice")
    assert caught.value.code == 422


def test_token_without_admin_cannot_invite(hub: GitHubServer) -> None:
    """A 403 that is not a rate limit (no admin rights) is permanent."""
    hub.add_token("ghp_reader", "bob", admin=False)
    with pytest.raises(PermanentError) as caught:
        GitHubRepo(hub.api_url, hub.repo, "ghp_reader").invite("alice")
    assert caught.value.code == 403 and not isinstance(caught.value, TransientError)


# faults --------------------------------------------------------------------------------------
def test_502_is_transient_after_one_request(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A 502 raises TransientError without retrying: the server sees exactly one request."""
    hub.fail_next(502, times=3)
    with pytest.raises(GitHubTransientError) as caught:
        gh.invite("alice")
    assert caught.value.code == 502 and caught.value.retry_after is None
    assert calls(hub) == ["PUT /repos/roundtable/topics/collaborators/alice"]


def test_502_while_checking_a_collaborator_is_not_read_as_no(
    hub: GitHubServer, gh: GitHubRepo
) -> None:
    """A failed collaborator check raises; it never says "none" for someone with access."""
    hub.add_collaborator("bob")
    hub.fail_next(502, match="/collaborators/bob")
    with pytest.raises(TransientError):
        gh.access("bob")
    assert gh.access("bob") == "accepted"


def test_primary_rate_limit_is_transient_until_reset(hub: GitHubServer, gh: GitHubRepo) -> None:
    """403 with X-RateLimit-Remaining 0 raises TransientError with retry_after = X-RateLimit-Reset."""
    reset = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    hub.rate_limit("primary", reset=reset)
    with pytest.raises(GitHubTransientError) as caught:
        gh.invite("alice")
    assert caught.value.code == 403 and caught.value.retry_after == reset
    assert len(hub.requests) == 1


def test_secondary_rate_limit_is_transient_with_retry_after(
    hub: GitHubServer, gh: GitHubRepo
) -> None:
    """429 with Retry-After raises TransientError with retry_after that many seconds on."""
    hub.rate_limit("secondary", retry_after=120)
    before = datetime.now(UTC).replace(microsecond=0)
    with pytest.raises(GitHubTransientError) as caught:
        gh.topics()
    assert caught.value.code == 429 and caught.value.retry_after is not None
    wait = caught.value.retry_after - before
    assert timedelta(seconds=119) <= wait <= timedelta(seconds=122)
    assert len(hub.requests) == 1


def test_rate_limit_mid_batch_leaves_the_rest_for_later(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A rate limit on the second invitation stops there; the first stands, the rest wait."""
    hub.rate_limit("primary", match="PUT /repos/roundtable/topics/collaborators/bob")
    assert gh.invite("alice") is not None
    with pytest.raises(TransientError):
        gh.invite("bob")
    assert [i.login for i in hub.invitations.values()] == ["alice"]
    assert gh.invite("bob") is not None


def test_unreachable_server_is_transient() -> None:
    """A refused connection raises TransientError."""
    gh = GitHubRepo(f"http://127.0.0.1:{free_port()}", "roundtable/topics", TOKEN)
    with pytest.raises(TransientError) as caught:
        gh.access("alice")
    assert caught.value.server == "github"


def test_no_call_sleeps(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Writes in a row and failing calls return at once (PyGithub's spacing and retries are off)."""
    hub.fail_next(502, times=5)
    hub.rate_limit("primary", reset=datetime(2031, 1, 1, tzinfo=UTC))
    started = time.monotonic()
    for _ in range(6):
        with pytest.raises(TransientError):
            gh.invite("alice")
    for login in ("alice", "bob", "carol"):
        gh.invite(login)
        gh.withdraw(login)
    assert time.monotonic() - started < 1.0  # default PyGithub waits 1 s between writes alone
    assert len(hub.requests) == 6 + 3 * 3


# pagination and topics -----------------------------------------------------------------------
def test_invitations_are_read_across_pages(hub: GitHubServer) -> None:
    """With more pending invitations than per_page, later pages are fetched via Link."""
    gh = GitHubRepo(hub.api_url, hub.repo, TOKEN, per_page=2)
    for n in range(5):
        hub.add_user(f"guest{n}")
        hub.invite(f"guest{n}")
    assert gh.access("guest4") == "invited"
    assert calls(hub).count("GET /repos/roundtable/topics/invitations") == 3


def test_topics_are_read_across_pages(hub: GitHubServer) -> None:
    """With more issues than per_page, every open issue is listed once."""
    gh = GitHubRepo(hub.api_url, hub.repo, TOKEN, per_page=3)
    for n in range(8):
        hub.add_issue(f"topic {n}")
    assert sorted(t.number for t in gh.topics()) == list(range(1, 9))
    assert calls(hub).count("GET /repos/roundtable/topics/issues") == 3


def test_topics_sorted_by_votes_with_sponsors(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Open issues come most 👍 first, then by number, with assignees as sponsors."""
    quiet = hub.add_issue("Quiet one", user="bob")
    popular = hub.add_issue("Popular", user="alice", assignees=["bob", "carol"])
    tied = hub.add_issue("Tied", user="carol")
    hub.add_issue("Closed", state="closed")
    hub.add_issue("A pull request", pull_request=True)
    for login in ("alice", "bob", "carol"):
        hub.react(popular, login, "+1")
    hub.react(popular, "alice", "heart")
    hub.react(quiet, "alice", "+1")
    hub.react(tied, "bob", "+1")
    hub.react(tied, "bob", "-1")
    topics = gh.topics()
    assert [(t.number, t.votes) for t in topics] == [(popular, 3), (quiet, 1), (tied, 1)]
    assert topics[0].sponsors == ("bob", "carol") and topics[0].author == "alice"
    assert topics[0].url == f"https://github.com/roundtable/topics/issues/{popular}"
    assert calls(hub) == ["GET /repos/roundtable/topics/issues"]  # votes come with the listing


def test_topics_filtered_by_label(hub: GitHubServer, gh: GitHubRepo) -> None:
    """With a label, only issues carrying it are topics."""
    hub.add_issue("May", labels=["2025-05"])
    june = hub.add_issue("June", labels=["2025-06", "idea"])
    assert [t.number for t in gh.topics("2025-06")] == [june]


def test_create_topic(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Creating a topic opens an issue with its labels and returns it as a Topic."""
    topic = gh.create_topic("Pricing", "Proposed by alice@example.test", ["2025-06"])
    issue = hub.issues[topic.number]
    assert (issue.title, issue.body, issue.labels) == (
        "Pricing",
        "Proposed by alice@example.test",
        ["2025-06"],
    )
    assert topic.votes == 0 and topic.sponsors == () and topic.author == "roundtable"
    assert topic.url.endswith(f"/roundtable/topics/issues/{topic.number}")
    assert [t.number for t in gh.topics("2025-06")] == [topic.number]


# check ---------------------------------------------------------------------------------------
def test_check_good_token(hub: GitHubServer, gh: GitHubRepo) -> None:
    """A token that administers the repo gets one line naming login, scopes and repo."""
    assert gh.check() == "token for roundtable, scopes repo, can administer roundtable/topics"


def test_check_fine_grained_token(hub: GitHubServer) -> None:
    """A fine-grained token (no X-OAuth-Scopes) that administers the repo passes."""
    hub.add_token("github_pat_fine", "roundtable", scopes=None)
    line = GitHubRepo(hub.api_url, hub.repo, "github_pat_fine").check()
    assert line == "token for roundtable, fine-grained, can administer roundtable/topics"


def test_check_bad_token(hub: GitHubServer) -> None:
    """A refused token is one line pointing at [github] token_env."""
    with pytest.raises(PermanentError) as caught:
        GitHubRepo(hub.api_url, hub.repo, "ghp_wrong").check()
    assert str(caught.value) == "github: bad token: check the variable named by [github] token_env"
    assert caught.value.code == 401


def test_check_token_without_admin(hub: GitHubServer) -> None:
    """A token that cannot administer the repo is one line naming the permission to grant."""
    hub.add_token("ghp_reader", "bob", admin=False)
    with pytest.raises(PermanentError) as caught:
        GitHubRepo(hub.api_url, hub.repo, "ghp_reader").check()
    assert caught.value.detail == (
        "the token cannot administer roundtable/topics: give it the repository permission "
        "'Administration: read and write' (fine-grained) or the 'repo' scope (classic)"
    )
    assert "\n" not in str(caught.value)


def test_check_classic_token_without_repo_scope(hub: GitHubServer) -> None:
    """A classic token lacking the 'repo' scope is told to add it."""
    hub.add_token("ghp_narrow", "roundtable", scopes=("read:user",))
    with pytest.raises(PermanentError) as caught:
        GitHubRepo(hub.api_url, hub.repo, "ghp_narrow").check()
    assert "the 'repo' scope" in caught.value.detail and "\n" not in str(caught.value)


def test_check_repo_the_token_cannot_see(hub: GitHubServer) -> None:
    """A repository the token cannot see (404) is one line naming [github] repo."""
    gh = GitHubRepo(hub.api_url, "roundtable/missing", TOKEN)
    with pytest.raises(PermanentError) as caught:
        gh.check()
    assert caught.value.detail.startswith("the token cannot see roundtable/missing: check [github]")
    assert "\n" not in str(caught.value)


def test_token_never_in_errors_or_repr(hub: GitHubServer, gh: GitHubRepo) -> None:
    """Neither the adapter's repr nor any error it raises contains the token."""
    errors: list[ServerError] = []
    hub.fail_next(502)
    hub.rate_limit("primary")
    hub.rate_limit("secondary")
    for _ in range(3):
        with pytest.raises(TransientError) as transient:
            gh.invite("alice")
        errors.append(transient.value)
    with pytest.raises(PermanentError) as permanent:
        gh.invite("no-such-person")
    errors.append(permanent.value)
    with pytest.raises(PermanentError) as refused:
        GitHubRepo(hub.api_url, hub.repo, TOKEN + "x").check()
    errors.append(refused.value)
    with pytest.raises(TransientError) as unreachable:
        GitHubRepo(f"http://127.0.0.1:{free_port()}", hub.repo, TOKEN).access("alice")
    errors.append(unreachable.value)
    texts = [repr(gh), str(gh)] + [f"{e!s} {e!r} {e.detail} {e.args}" for e in errors]
    assert all(TOKEN not in text for text in texts)
    assert all(e.__cause__ is None for e in errors)
