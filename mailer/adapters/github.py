"""The GitHub adapter: collaborator access for the seated and the topic board, through PyGithub.

Owns talking to one repository: whether a user exists, their access (accepted / invited /
expired / none), inviting, renewing, withdrawing and removing, listing and creating topic issues,
what a meeting discussed, an issue's comments and publishing a file (the calls themselves in
`github_meeting`), and `check` for `mailer check`. It decides nothing (who is invited, when to renew): callers do.
PyGithub's errors become `GitHubTransientError` (a `TransientError`; rate limits, 5xx, network,
with `retry_after`) or `PermanentError`, server "github". No call ever sleeps: PyGithub's retries
and request spacing are off, so a rate limit is waited out by the caller on a later tick.
The token lives only inside PyGithub's `Auth.Token`: never in a repr, a log line or an error.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import requests
from github import Auth, Github, GithubException
from github.Invitation import Invitation as GhInvitation
from github.Issue import Issue
from github.Requester import Requester

from mailer import clock
from mailer.adapters import github_meeting as meeting
from mailer.errors import PermanentError, TransientError
from mailer.model import Comment, Discussed

Access = Literal["accepted", "invited", "expired", "none"]
NEEDS_ADMIN = (
    "give it the repository permission 'Administration: read and write' (fine-grained) "
    "or the 'repo' scope (classic)"
)


class GitHubTransientError(TransientError):
    """GitHub said "later"; `retry_after` is when a rate limit lifts by GitHub's clock, and
    `retry_in` how long that is from its answer (None: any later tick will do)."""

    def __init__(
        self,
        detail: str,
        code: int | None = None,
        retry_after: datetime | None = None,
        retry_in: timedelta | None = None,
    ):
        super().__init__("github", detail, code)
        self.retry_after = retry_after
        self.retry_in = retry_in


@dataclass(frozen=True)
class Invitation:
    """A pending invitation to the repository; `html_url` is where the invitee accepts it."""

    id: int
    login: str
    html_url: str
    expired: bool


@dataclass(frozen=True)
class Topic:
    """An open issue on the topic board; `votes` counts its 👍, `sponsors` are its assignees."""

    number: int
    title: str
    url: str
    votes: int
    sponsors: tuple[str, ...]
    author: str


class GitHubRepo:
    """One repository on a GitHub (or GitHub-shaped) API, as seen through `token`."""

    def __init__(
        self,
        api_url: str,
        repo: str,
        token: str,
        permission: str = "triage",
        timeout: int = 10,
        per_page: int = 100,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.repo = repo
        self.permission = permission
        # retry=None: requests' own 0 retries (PyGithub's default GithubRetry sleeps on 403/5xx);
        # seconds_between_*: PyGithub otherwise sleeps 0.25 s between calls and 1 s between writes;
        # lazy: get_repo() makes no request, so each method is exactly the calls it needs.
        self._gh = Github(
            auth=Auth.Token(token),
            base_url=self.api_url,
            timeout=timeout,
            per_page=per_page,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,
        )
        self._repo = self._gh.get_repo(repo)

    def __repr__(self) -> str:
        return f"GitHubRepo(api_url={self.api_url!r}, repo={self.repo!r}, permission={self.permission!r})"

    def user_exists(self, login: str) -> bool:
        """Whether `login` is a GitHub account."""
        try:
            with _mapped(f"look up user {login}"):
                self._gh.get_user(login)
        except PermanentError as error:
            if error.code == 404:
                return False
            raise
        return True

    def access(self, login: str) -> Access:
        """`login`'s access: "accepted", "invited", "expired" (invitation lapsed) or "none"."""
        # Repository.has_in_collaborators() reads any non-204 answer (a 502, a rate limit) as
        # "no"; asking through the requester lets us tell 404 from a failure.
        url = f"{self._repo.url}/collaborators/{quote(login, safe='')}"
        with _mapped(f"check collaborator {login}"):
            status, headers, body = self._gh.requester.requestJson("GET", url)
            if status >= 400 and status != 404:
                data = json.loads(body) if isinstance(body, str) and body.strip() else {}
                raise Requester.createException(status, headers, data)
        if status == 204:
            return "accepted"
        pending = self._pending(login)
        if pending is None:
            return "none"
        return "expired" if pending.expired else "invited"

    def invite(self, login: str) -> Invitation | None:
        """Invite `login` as a collaborator; None when they already are one."""
        with _mapped(f"invite {login}"):
            made = self._repo.add_to_collaborators(login, self.permission)
            return _invitation(made) if made is not None else None

    def renew(self, login: str) -> Invitation | None:
        """Delete `login`'s pending (expired) invitation and invite them again."""
        self.withdraw(login)
        return self.invite(login)

    def withdraw(self, login: str) -> bool:
        """Delete `login`'s pending invitation; whether there was one."""
        pending = self._pending(login)
        if pending is None:
            return False
        with _mapped(f"withdraw the invitation of {login}"):
            self._repo.remove_invitation(pending.id)
        return True

    def remove(self, login: str) -> None:
        """Remove `login`'s collaborator access (nothing happens if they had none)."""
        with _mapped(f"remove {login}"):
            self._repo.remove_from_collaborators(login)

    def topics(self, label: str | None = None) -> list[Topic]:
        """Open issues (with `label`, if given), most 👍 first, then by number; no pull requests."""
        with _mapped("list topics"):
            wanted: dict[str, Any] = {"labels": [label]} if label else {}
            found = self._repo.get_issues(state="open", **wanted)
            # An issue listing includes pull requests; `issue.pull_request` would cost one GET
            # per plain issue (PyGithub completes lazily when the key is absent), html_url not.
            topics = [_topic(issue) for issue in found if "/pull/" not in issue.html_url]
        return sorted(topics, key=lambda t: (-t.votes, t.number))

    def create_topic(self, title: str, body: str, labels: Iterable[str] = ()) -> Topic:
        """Open an issue on the board; the new topic."""
        with _mapped("create a topic"):
            return _topic(self._repo.create_issue(title=title, body=body, labels=list(labels)))

    def discussed(
        self, label: str | None, since: datetime, until: datetime, discussed_label: str
    ) -> list[Discussed]:
        """Topics (with `label`, if given) closed, or given `discussed_label`, between `since`
        and `until`, most 👍 first; see `github_meeting.discussed`."""
        with _mapped("list discussed topics"):
            found = [
                Discussed(**asdict(_topic(issue)), closed_at=closed_at, labelled_at=labelled_at)
                for issue, closed_at, labelled_at in meeting.discussed(
                    self._repo, label, since, until, discussed_label
                )
            ]
        return sorted(found, key=lambda d: (-d.votes, d.number))

    def comments(self, number: int) -> list[Comment]:
        """The comments on issue `number`, oldest first."""
        with _mapped(f"read the comments of #{number}"):
            return meeting.comments(self._repo, number)

    def publish(self, path: str, text: str, branch: str, message: str) -> bool:
        """Commit `text` to `path` on `branch` when it differs from what is there; whether it
        changed (a stale read is GitHub's 409, a PermanentError: read again on a later tick)."""
        with _mapped(f"publish {path}"):
            return meeting.publish(self._repo, path, text, branch, message)

    def check(self) -> str:
        """One line on the token and the repository, or PermanentError naming what is missing."""
        cannot_admin = f"the token cannot administer {self.repo}: {NEEDS_ADMIN}"
        try:
            with _mapped("reach GitHub and check the token"):
                login = self._gh.get_user().login
            scopes = self._gh.oauth_scopes  # None for a fine-grained token: no X-OAuth-Scopes
            if scopes is not None and "repo" not in scopes:
                raise PermanentError("github", cannot_admin, 403)
            with _mapped(f"read {self.repo}"):
                if not self._gh.get_repo(self.repo).permissions.admin:
                    raise PermanentError("github", cannot_admin, 403)
        except PermanentError as error:
            fix = {
                401: "bad token: check the variable named by [github] token_env",
                404: f"the token cannot see {self.repo}: check [github] repo, or {NEEDS_ADMIN}",
            }
            if error.code in fix:
                raise PermanentError("github", fix[error.code], error.code) from None
            raise
        kind = f"scopes {', '.join(scopes) or 'none'}" if scopes is not None else "fine-grained"
        return f"token for {login}, {kind}, can administer {self.repo}"

    def _pending(self, login: str) -> Invitation | None:
        with _mapped("list invitations"):
            for made in self._repo.get_pending_invitations():
                if made.invitee is not None and made.invitee.login.lower() == login.lower():
                    return _invitation(made)
        return None


def _invitation(made: GhInvitation) -> Invitation:
    return Invitation(made.id, made.invitee.login, made.html_url, bool(made.expired))


def _topic(issue: Issue) -> Topic:
    return Topic(
        number=issue.number,
        title=issue.title,
        url=issue.html_url,
        votes=int(issue.reactions.get("+1", 0)),
        sponsors=tuple(user.login for user in issue.assignees),
        author=issue.user.login,
    )


@contextlib.contextmanager
def _mapped(doing: str) -> Iterator[None]:
    """Turn PyGithub and requests errors raised while `doing` into our two kinds."""
    try:
        yield
    except GithubException as error:
        raise _classify(doing, error.status, error.headers or {}, error.data) from None
    except requests.ConnectionError as error:
        # No answer at all: say so plainly, not with urllib3's pool and retry machinery.
        url = str(error.request.url or "") if error.request is not None else ""
        host = urlsplit(url).netloc
        where = f" {host}" if host else ""
        raise GitHubTransientError(
            f"{doing}: cannot reach GitHub{where} (no connection; check [github] api_url and the network)"
        ) from None
    except requests.RequestException as error:
        # The URL is in the text, never the token (it travels in a header).
        raise GitHubTransientError(f"{doing}: {type(error).__name__}: {error}") from None


def _classify(
    doing: str, status: int, headers: dict[str, Any], data: Any
) -> PermanentError | GitHubTransientError:
    headers = {k.lower(): str(v) for k, v in headers.items()}
    message = data.get("message", "") if isinstance(data, dict) else ""
    detail = f"{doing}: {status} {message}".rstrip()
    remaining = headers.get("x-ratelimit-remaining")
    signs = ("retry-after" in headers, remaining == "0", "rate limit" in message.lower())
    if status == 429 or (status == 403 and any(signs)):
        retry_after = _retry_after(headers)
        return GitHubTransientError(detail, status, retry_after, _wait(retry_after, headers))
    if status >= 500:
        return GitHubTransientError(detail, status)
    return PermanentError("github", detail, status)


def _wait(retry_after: datetime | None, headers: dict[str, str]) -> timedelta | None:
    """How long from GitHub's answer until `retry_after`, by GitHub's own clock (its Date), so
    the caller can add it to its own `now`, simulated or not."""
    if retry_after is None:
        return None
    try:
        answered = parsedate_to_datetime(headers["date"])
    except (KeyError, TypeError, ValueError):
        answered = clock.now()
    return max(retry_after - answered.astimezone(UTC), timedelta(0))


def _retry_after(headers: dict[str, str]) -> datetime | None:
    """When to try again: Retry-After (seconds, from the answer's Date) or X-RateLimit-Reset."""
    if headers.get("retry-after", "").strip().isdigit():
        try:
            sent = parsedate_to_datetime(headers["date"])
        except (KeyError, TypeError, ValueError):
            sent = clock.now()
        return sent.astimezone(UTC) + timedelta(seconds=int(headers["retry-after"]))
    if headers.get("x-ratelimit-reset", "").strip().isdigit():
        return datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), UTC)
    return None
