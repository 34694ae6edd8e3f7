"""`GitHubServer`: a GitHub-shaped REST server on 127.0.0.1 for the tests and the sandbox.

It holds one or more repositories (collaborators, pending invitations, issues with their
reactions, comments and events, files), the users that exist and the tokens it accepts, and answers the endpoints our GitHub
adapter reaches through PyGithub with GitHub's status codes, headers (`X-RateLimit-*`, `Link`,
`X-OAuth-Scopes`, `X-GitHub-Request-Id`) and JSON shapes (github/rest-api-description).
Test controls play the other people and GitHub itself: `accept`, `expire`, `react`, `fail_next`,
`rate_limit`, and for a meeting `comment`, `close`, `label`, `put_file` (from `github_meeting`);
`requests` records every (method, path) seen.

This module owns the server: its lifecycle, setting up its state, the test controls, the queued
faults and the rate-limit counters. Beside it: `github_state` (the dataclasses), `github_shapes`
(the JSON), `github_http` and `github_routes` (the HTTP handler) and `github_meeting` (comments,
events, files); their public names are re-exported here.

    with GitHubServer("roundtable/topics", users=["alice"]) as hub:
        repo = GitHubRepo(hub.api_url, hub.repo, hub.token)
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from http.server import ThreadingHTTPServer
from typing import Self

from .github_http import NOT_FOUND
from .github_meeting import MeetingControls
from .github_routes import ADD_DOC, ROUTES, GitHubHandler
from .github_shapes import DOCS, WEB, GitHubShapes
from .github_state import (
    PERMISSIONS,
    REACTIONS,
    Fault,
    IssueState,
    PendingInvitation,
    RepoState,
    Token,
    now,
)

__all__ = [
    "ADD_DOC",
    "DOCS",
    "HOST",
    "NOT_FOUND",
    "PERMISSIONS",
    "PRIMARY",
    "REACTIONS",
    "ROUTES",
    "SECONDARY",
    "WEB",
    "Fault",
    "GitHubServer",
    "IssueState",
    "PendingInvitation",
    "RepoState",
    "Token",
]

HOST = "127.0.0.1"
PRIMARY = "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID."
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


class GitHubServer(GitHubShapes, MeetingControls):
    """GitHub's REST API for a few repositories, in memory, on 127.0.0.1; use `with`."""

    def __init__(
        self,
        repo: str = "roundtable/topics",
        users: Iterable[str] = (),
        token: str = "ghp_roundtable_test_token",
        scopes: tuple[str, ...] | None = ("repo",),
    ) -> None:
        self._lock = threading.RLock()
        self._ids = itertools.count(1001)
        self.repo = repo
        self.owner = repo.split("/")[0]
        self.token = token
        self.users: dict[str, tuple[str, int]] = {}  # lower-cased login -> (login, id)
        self.tokens: dict[str, Token] = {}
        self.repos: dict[str, RepoState] = {}
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.rate_limit_total = 5000
        self.rate_used = 0
        self.rate_reset = int(time.time()) + 3600
        for login in [self.owner, *users]:
            self.add_user(login)
        self.add_token(token, self.owner, scopes=scopes)
        self.add_repo(repo)
        self._httpd: ThreadingHTTPServer | None = None

    # lifecycle ---------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        assert self._httpd is not None, "start the server first"
        return f"http://{HOST}:{self._httpd.server_address[1]}"

    def start(self) -> Self:
        if self._httpd is None:
            self._httpd = httpd = ThreadingHTTPServer((HOST, 0), GitHubHandler)
            httpd.daemon_threads = True
            httpd.hub = self  # type: ignore[attr-defined]
            # a short poll keeps stop() quick: shutdown() waits for the loop to look again
            serve = lambda: httpd.serve_forever(poll_interval=0.01)  # noqa: E731
            threading.Thread(target=serve, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # state -------------------------------------------------------------------------------
    def add_user(self, login: str) -> None:
        """Make `login` an existing GitHub account."""
        with self._lock:
            self.users.setdefault(login.lower(), (login, next(self._ids)))

    def add_token(
        self,
        token: str,
        login: str,
        scopes: tuple[str, ...] | None = ("repo",),
        admin: bool = True,
        sees_repo: bool = True,
    ) -> None:
        """Accept `token` as `login`'s; `admin` False: it can read the repos but not manage access."""
        self.add_user(login)
        self.tokens[token] = Token(self._login(login) or login, scopes, admin, sees_repo)

    def add_repo(self, full_name: str) -> RepoState:
        """A repository owned by its owner (an admin collaborator of it)."""
        with self._lock:
            owner = full_name.split("/")[0]
            self.add_user(owner)
            state = self.repos.setdefault(full_name, RepoState(next(self._ids), full_name))
            state.collaborators.setdefault(self._login(owner) or owner, "admin")
            return state

    def state(self, repo: str | None = None) -> RepoState:
        return self.repos[repo or self.repo]

    @property
    def collaborators(self) -> dict[str, str]:
        return self.state().collaborators

    @property
    def invitations(self) -> dict[int, PendingInvitation]:
        return self.state().invitations

    @property
    def issues(self) -> dict[int, IssueState]:
        return self.state().issues

    # the other people --------------------------------------------------------------------
    def invite(self, login: str, permission: str = "triage", repo: str | None = None) -> int:
        """Create a pending invitation as the organizer would on the website; its id."""
        with self._lock:
            state = self.state(repo)
            invitation = PendingInvitation(
                next(self._ids), self._login(login) or login, PERMISSIONS[permission], now()
            )
            state.invitations[invitation.id] = invitation
            return invitation.id

    def accept(self, login: str, repo: str | None = None) -> None:
        """`login` clicks "accept": their pending invitation becomes collaborator access."""
        with self._lock:
            state = self.state(repo)
            invitation = state.invitation_for(self._login(login) or login)
            if invitation is None or invitation.expired:
                raise ValueError(f"{login} has no invitation they could accept")
            del state.invitations[invitation.id]
            state.collaborators[invitation.login] = invitation.permission

    def expire(self, login: str, repo: str | None = None) -> None:
        """`login`'s pending invitation expires, as GitHub does after 7 days."""
        with self._lock:
            invitation = self.state(repo).invitation_for(self._login(login) or login)
            if invitation is None:
                raise ValueError(f"{login} has no pending invitation")
            invitation.expired = True

    def add_collaborator(
        self, login: str, permission: str = "triage", repo: str | None = None
    ) -> None:
        """`login` already has access (added by hand earlier)."""
        self.add_user(login)
        with self._lock:
            self.state(repo).collaborators[self._login(login) or login] = PERMISSIONS[permission]

    def add_issue(
        self,
        title: str,
        body: str = "",
        user: str | None = None,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        state: str = "open",
        pull_request: bool = False,
        repo: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """An issue (or, with `pull_request`, a pull request) on the board, opened at `at`; its
        number."""
        with self._lock:
            issues = self.state(repo).issues
            number = max(issues, default=0) + 1
            issues[number] = IssueState(
                number,
                title,
                body,
                user or self.owner,
                list(labels),
                list(assignees),
                state,
                pull_request,
            )
            if at is not None:
                issues[number].created_at = at
            return number

    def react(self, number: int, login: str, content: str = "+1", repo: str | None = None) -> None:
        """`login` reacts to issue `number` (one reaction of each kind per person, as GitHub)."""
        if content not in REACTIONS:
            raise ValueError(f"content must be one of {REACTIONS}")
        self.add_user(login)
        with self._lock:
            issue = self.state(repo).issues[number]
            if not any(who == login and c == content for _, who, c in issue.reactions):
                issue.reactions.append((next(self._ids), login, content))

    # faults and rate limits --------------------------------------------------------------
    def fail_next(
        self,
        status: int = 502,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
        message: str = "",
        match: str = "",
    ) -> None:
        """Answer `status` to the next `times` requests whose "METHOD /path?query" contains `match`."""
        text = message or {502: "Server Error"}.get(status, f"HTTP {status}")
        body = {"message": text, "documentation_url": DOCS}
        with self._lock:
            self.faults.append(Fault(status, body, dict(headers or {}), times, match))

    def rate_limit(
        self,
        kind: str = "primary",
        reset: datetime | None = None,
        retry_after: int = 60,
        times: int = 1,
        match: str = "",
    ) -> None:
        """Primary: 403 with X-RateLimit-Remaining 0 until `reset`; secondary: 429 with Retry-After."""
        if kind == "primary":
            epoch = int(reset.timestamp()) if reset else self.rate_reset
            headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(epoch)}
            self.fail_next(403, times, headers, PRIMARY, match)
        elif kind == "secondary":
            self.fail_next(429, times, {"Retry-After": str(retry_after)}, SECONDARY, match)
        else:
            raise ValueError("kind must be 'primary' or 'secondary'")

    def rate_headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.rate_limit_total),
            "X-RateLimit-Remaining": str(max(self.rate_limit_total - self.rate_used, 0)),
            "X-RateLimit-Reset": str(self.rate_reset),
            "X-RateLimit-Used": str(self.rate_used),
            "X-RateLimit-Resource": "core",
        }

    def _fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.match in f"{method} {path}":
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # lookups -----------------------------------------------------------------------------
    def _login(self, login: str) -> str | None:
        found = self.users.get(login.lower())
        return found[0] if found else None
