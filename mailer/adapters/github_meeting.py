"""What a meeting leaves on GitHub, read and written through PyGithub: the topics it discussed,
their comments, and a published file.

Owns the three calls behind `GitHubRepo.discussed`, `.comments` and `.publish`: which topic
issues were closed or labelled within a window (from the issue listing and, for a labelled issue,
its events; `GitHubRepo` makes them `Discussed`, sorted), an issue's comments, and creating or
updating a file through the contents API only when its text changed. PyGithub's errors pass
through: `GitHubRepo` maps them with `_mapped`, as for every other call, so rate limits become
`GitHubTransientError` with `retry_after`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from github import GithubException
from github.GithubObject import NotSet
from github.Issue import Issue
from github.Repository import Repository

from mailer.errors import PermanentError
from mailer.model import Comment


def discussed(
    repo: Repository, label: str | None, since: datetime, until: datetime, discussed_label: str
) -> list[tuple[Issue, datetime | None, datetime | None]]:
    """Issues (with `label`, if given) closed, or given `discussed_label`, between `since` and
    `until` (inclusive), each with its closing and its labelling in that window; no pull requests.

    A closing counts only while the issue stays closed (a reopened issue has no `closed_at`), and
    a labelling only while the label stays on: taking it off undoes a mistake.
    """
    since, until = since.astimezone(UTC), until.astimezone(UTC)
    wanted = discussed_label.casefold()
    # `since` is GitHub's "updated at or after": a closing or a label in the window updates it.
    listed = repo.get_issues(state="all", since=since, labels=[label] if label else NotSet)
    found = []
    for issue in listed:
        if "/pull/" in issue.html_url:  # html_url, not `pull_request`: that would cost a GET
            continue
        closed = issue.closed_at
        closed_at = closed if closed is not None and since <= closed <= until else None
        labelled_at = None
        if any(name.name.casefold() == wanted for name in issue.labels):
            labelled_at = _labelled_at(issue, wanted, since, until)
        if closed_at is not None or labelled_at is not None:
            found.append((issue, closed_at, labelled_at))
    return found


def _labelled_at(issue: Issue, wanted: str, since: datetime, until: datetime) -> datetime | None:
    """When `issue` first got the label `wanted` within the window, from its events."""
    for event in issue.get_events():
        # `event.label` is read last: on any other kind of event PyGithub would fetch it again.
        labelled = event.event == "labeled" and since <= event.created_at <= until
        if labelled and event.label.name.casefold() == wanted:
            return event.created_at
    return None


def comments(repo: Repository, number: int) -> list[Comment]:
    """Every comment on issue `number`, oldest first, across pages."""
    # get_issue() makes no request on a lazy Github: only the comment pages are fetched.
    return [
        Comment(
            id=comment.id,
            author=comment.user.login,
            body=comment.body or "",
            url=comment.html_url,
            created_at=comment.created_at,
        )
        for comment in repo.get_issue(number).get_comments()
    ]


def publish(repo: Repository, path: str, text: str, branch: str, message: str) -> bool:
    """Create `path` on `branch` with `text`, or update it when its text differs; whether it
    changed. A concurrent change between the read and the write is GitHub's 409."""
    try:
        current = repo.get_contents(path, ref=branch)
    except GithubException as error:
        if error.status != 404:
            raise
        repo.create_file(path, message, text, branch=branch)
        return True
    if isinstance(current, list):
        detail = f"publish {path}: it is a folder on {branch}; choose a file path"
        raise PermanentError("github", detail, 422)
    # A file over 1 MB comes without its content (encoding "none"): write it again.
    if current.encoding == "base64" and current.decoded_content == text.encode():
        return False
    repo.update_file(path, message, text, current.sha, branch=branch)
    return True
