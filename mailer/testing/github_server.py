"""`GitHubServer`: a GitHub-shaped REST server on 127.0.0.1 for the tests and the sandbox.

Owns the in-memory state of one or more repositories (collaborators, pending invitations, issues
and their reactions), the users that exist and the tokens it accepts, and answers the endpoints our
GitHub adapter reaches through PyGithub with GitHub's status codes, headers (`X-RateLimit-*`,
`Link`, `X-OAuth-Scopes`, `X-GitHub-Request-Id`) and JSON shapes (github/rest-api-description).
Test controls play the other people and GitHub itself: `accept`, `expire`, `react`, `fail_next`,
`rate_limit`; `requests` records every (method, path) seen.

    with GitHubServer("roundtable/topics", users=["alice"]) as hub:
        repo = GitHubRepo(hub.api_url, hub.repo, hub.token)
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

HOST = "127.0.0.1"
WEB = "https://github.com"
DOCS = "https://docs.github.com/rest"
# PUT .../collaborators takes the old names; invitations and permission checks show the new ones.
PERMISSIONS = {"pull": "read", "triage": "triage", "push": "write", "maintain": "maintain"}
PERMISSIONS |= {"admin": "admin", "read": "read", "write": "write"}
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")
PRIMARY = "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID."
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


@dataclass
class Token:
    """A token the server accepts; `scopes` None is a fine-grained token (no X-OAuth-Scopes)."""

    login: str
    scopes: tuple[str, ...] | None = ("repo",)
    admin: bool = True
    sees_repo: bool = True


@dataclass
class PendingInvitation:
    id: int
    login: str
    permission: str  # "read", "triage", "write", "maintain" or "admin"
    created_at: datetime
    expired: bool = False


@dataclass
class IssueState:
    number: int
    title: str
    body: str
    user: str
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    state: str = "open"
    pull_request: bool = False
    reactions: list[tuple[int, str, str]] = field(default_factory=list)  # id, login, content
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def votes(self) -> int:
        return sum(1 for _, _, content in self.reactions if content == "+1")


@dataclass
class RepoState:
    id: int
    full_name: str
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> permission
    invitations: dict[int, PendingInvitation] = field(default_factory=dict)
    issues: dict[int, IssueState] = field(default_factory=dict)

    def invitation_for(self, login: str) -> PendingInvitation | None:
        return next((i for i in self.invitations.values() if i.login == login), None)


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int
    match: str


class GitHubServer:
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
            self._httpd = httpd = ThreadingHTTPServer((HOST, 0), _Handler)
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
                next(self._ids), self._login(login) or login, PERMISSIONS[permission], _now()
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
    ) -> int:
        """An issue (or, with `pull_request`, a pull request) on the board; its number."""
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

    # faults ------------------------------------------------------------------------------
    def fail_next(
        self,
        status: int = 502,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
        message: str = "",
        match: str = "",
    ) -> None:
        """Answer `status` to the next `times` requests whose "METHOD /path" contains `match`."""
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

    def _fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.match in f"{method} {path}":
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # JSON shapes -------------------------------------------------------------------------
    def _login(self, login: str) -> str | None:
        found = self.users.get(login.lower())
        return found[0] if found else None

    def user_json(self, login: str, full: bool = False) -> dict[str, Any]:
        name, uid = self.users.get(login.lower(), (login, 0))
        url = f"{self.api_url}/users/{name}"
        data: dict[str, Any] = {
            "login": name,
            "id": uid,
            "node_id": f"U_{uid}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": url,
            "html_url": f"{WEB}/{name}",
            "followers_url": f"{url}/followers",
            "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}",
            "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions",
            "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events",
            "type": "User",
            "user_view_type": "public",
            "site_admin": False,
        }
        if full:
            data |= {"name": name.title(), "company": None, "blog": "", "location": None}
            data |= {"email": None, "hireable": None, "bio": None, "twitter_username": None}
            data |= {"public_repos": 1, "public_gists": 0, "followers": 0, "following": 0}
            data |= {"created_at": "2020-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}
        return data

    def repo_json(self, state: RepoState, token: Token) -> dict[str, Any]:
        owner, name = state.full_name.split("/")
        url = f"{self.api_url}/repos/{state.full_name}"
        role = state.collaborators.get(token.login, "read")
        rank = ["read", "triage", "write", "maintain", "admin"].index(role)
        admin = token.admin and rank >= 4
        return {
            "id": state.id,
            "node_id": f"R_{state.id}",
            "name": name,
            "full_name": state.full_name,
            "private": True,
            "owner": self.user_json(owner),
            "html_url": f"{WEB}/{state.full_name}",
            "description": "Topics for the roundtable",
            "fork": False,
            "url": url,
            "collaborators_url": f"{url}/collaborators{{/collaborator}}",
            "issues_url": f"{url}/issues{{/number}}",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "pushed_at": "2024-01-01T00:00:00Z",
            "has_issues": True,
            "open_issues_count": sum(1 for i in state.issues.values() if i.state == "open"),
            "visibility": "private",
            "default_branch": "main",
            "permissions": {
                "admin": admin,
                "maintain": admin or (rank >= 3),
                "push": admin or rank >= 2,
                "triage": admin or rank >= 1,
                "pull": True,
            },
        }

    def invitation_json(self, state: RepoState, inv: PendingInvitation) -> dict[str, Any]:
        return {
            "id": inv.id,
            "node_id": f"RI_{inv.id}",
            "repository": {
                k: v
                for k, v in self.repo_json(state, Token(self.owner)).items()
                if k != "permissions"
            },
            "invitee": self.user_json(inv.login),
            "inviter": self.user_json(self.owner),
            "permissions": inv.permission,
            "created_at": _iso(inv.created_at),
            "expired": inv.expired,
            "url": f"{self.api_url}/user/repository_invitations/{inv.id}",
            "html_url": f"{WEB}/{state.full_name}/invitations",
        }

    def issue_json(self, state: RepoState, issue: IssueState) -> dict[str, Any]:
        url = f"{self.api_url}/repos/{state.full_name}/issues/{issue.number}"
        kind = "pull" if issue.pull_request else "issues"
        rollup = {c: sum(1 for _, _, r in issue.reactions if r == c) for c in REACTIONS}
        data: dict[str, Any] = {
            "id": 500000 + issue.number,
            "node_id": f"I_{state.id}_{issue.number}",
            "url": url,
            "repository_url": f"{self.api_url}/repos/{state.full_name}",
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{WEB}/{state.full_name}/{kind}/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": None,
            "title": issue.title,
            "body": issue.body,
            "user": self.user_json(issue.user),
            "labels": [self.label_json(state, name) for name in issue.labels],
            "assignee": self.user_json(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self.user_json(login) for login in issue.assignees],
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": 0,
            "closed_at": None,
            "created_at": _iso(issue.created_at),
            "updated_at": _iso(issue.created_at),
            "closed_by": None,
            "author_association": "COLLABORATOR",
            "reactions": {"url": f"{url}/reactions", "total_count": len(issue.reactions)} | rollup,
            "timeline_url": f"{url}/timeline",
        }
        if issue.pull_request:
            pulls = f"{self.api_url}/repos/{state.full_name}/pulls/{issue.number}"
            data["pull_request"] = {"url": pulls, "html_url": data["html_url"], "merged_at": None}
            data["pull_request"] |= {"diff_url": f"{data['html_url']}.diff", "patch_url": None}
        return data

    def label_json(self, state: RepoState, name: str) -> dict[str, Any]:
        return {
            "id": abs(hash(name)) % 10**9,
            "node_id": f"LA_{name}",
            "url": f"{self.api_url}/repos/{state.full_name}/labels/{name}",
            "name": name,
            "color": "ededed",
            "default": False,
            "description": None,
        }

    def rate_headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.rate_limit_total),
            "X-RateLimit-Remaining": str(max(self.rate_limit_total - self.rate_used, 0)),
            "X-RateLimit-Reset": str(self.rate_reset),
            "X-RateLimit-Used": str(self.rate_used),
            "X-RateLimit-Resource": "core",
        }


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Reply(Exception):
    """Raised inside a route to answer with `status` and a JSON `body` (None: no content)."""

    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, dict(headers or {})


def _error(status: int, message: str, doc: str = "") -> _Reply:
    return _Reply(
        status, {"message": message, "documentation_url": f"{DOCS}{doc}", "status": str(status)}
    )


def _invalid(resource: str, field: str, code: str, doc: str, message: str = "") -> _Reply:
    error = {"resource": resource, "code": code, "field": field} | (
        {"message": message} if message else {}
    )
    body = {"message": "Validation Failed", "errors": [error], "documentation_url": f"{DOCS}{doc}"}
    return _Reply(422, body | {"status": "422"})


NOT_FOUND = "Not Found"
ADD_DOC = "/collaborators/collaborators#add-a-repository-collaborator"
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (m, re.compile(p), name)
    for m, p, name in [
        ("GET", r"/user", "me"),
        ("GET", r"/users/(?P<login>[^/]+)", "user"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)", "repo"),
        ("PUT", r"/repos/(?P<repo>[^/]+/[^/]+)/collaborators/(?P<login>[^/]+)", "add"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/collaborators/(?P<login>[^/]+)", "is_collab"),
        ("DELETE", r"/repos/(?P<repo>[^/]+/[^/]+)/collaborators/(?P<login>[^/]+)", "remove"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/invitations", "invitations"),
        ("DELETE", r"/repos/(?P<repo>[^/]+/[^/]+)/invitations/(?P<id>\d+)", "uninvite"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/issues", "issues"),
        ("POST", r"/repos/(?P<repo>[^/]+/[^/]+)/issues", "create_issue"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)", "issue"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/reactions", "reactions"),
    ]
]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK wait

    def version_string(self) -> str:
        return "github.com"

    def log_message(self, format: str, *args: Any) -> None:  # the test output stays quiet
        pass

    @property
    def hub(self) -> GitHubServer:
        hub: GitHubServer = self.server.hub  # type: ignore[attr-defined]
        return hub

    def do_GET(self) -> None:
        self._serve("GET")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        hub = self.hub
        split = urlsplit(self.path)
        path = self._canonical(split.path.rstrip("/") or "/")
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with hub._lock:
            hub.requests.append((method, path))
            hub.rate_used += 1
            try:
                fault = hub._fault(method, path)
                if fault is not None:
                    raise _Reply(fault.status, fault.body, fault.headers)
                token = self._token()
                for verb, pattern, name in ROUTES:
                    found = pattern.fullmatch(path)
                    if found and verb == method:
                        args = {k: unquote(v) for k, v in found.groupdict().items()}
                        body = json.loads(raw) if raw else {}
                        reply = getattr(self, f"route_{name}")(token, query, body, **args)
                        break
                else:
                    raise _error(404, NOT_FOUND)
            except _Reply as answer:
                reply = answer
        self._send(reply)

    def _canonical(self, path: str) -> str:
        # Link headers point at /repositories/{id}/...; map them back to /repos/{owner}/{name}.
        found = re.match(r"/repositories/(\d+)(/.*)?$", path)
        if found:
            for state in self.hub.repos.values():
                if state.id == int(found.group(1)):
                    return f"/repos/{state.full_name}{found.group(2) or ''}"
        return path

    def _token(self) -> Token:
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        token = self.hub.tokens.get(value) if scheme.lower() in ("token", "bearer") else None
        if token is None:
            raise _error(401, "Bad credentials")
        return token

    def _send(self, reply: _Reply) -> None:
        hub = self.hub
        payload = b"" if reply.body is None else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        headers = hub.rate_headers() | {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-GitHub-Request-Id": uuid.uuid4().hex[:20].upper(),
            "Access-Control-Expose-Headers": "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset",
        }
        token = hub.tokens.get(self.headers.get("Authorization", "").partition(" ")[2])
        if token is not None and token.scopes is not None:
            headers["X-OAuth-Scopes"] = ", ".join(token.scopes)
            headers["X-Accepted-OAuth-Scopes"] = "repo"
        headers |= reply.headers
        if reply.status != 204:
            headers["Content-Type"] = "application/json; charset=utf-8"
            headers["Content-Length"] = str(len(payload))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if reply.status != 204:
            self.wfile.write(payload)

    # routes ------------------------------------------------------------------------------
    def _repo(self, token: Token, repo: str, admin: bool = False) -> RepoState:
        state = next((s for k, s in self.hub.repos.items() if k.lower() == repo.lower()), None)
        if state is None or not token.sees_repo:
            raise _error(404, NOT_FOUND, "/repos/repos#get-a-repository")
        if admin and not self.hub.repo_json(state, token)["permissions"]["admin"]:
            raise _error(403, "Must have admin rights to Repository.", "/collaborators")
        return state

    def _page(self, items: list[Any], query: dict[str, str], state: RepoState, rest: str) -> _Reply:
        """One page of `items` with GitHub's `Link` header (per_page at most 100)."""
        per_page = min(max(int(query.get("per_page", 30)), 1), 100)
        page = max(int(query.get("page", 1)), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        base = f"{self.hub.api_url}/repositories/{state.id}/{rest}"

        def link(n: int, rel: str) -> str:
            return f'<{base}?{urlencode(query | {"per_page": str(per_page), "page": str(n)})}>; rel="{rel}"'

        links = []
        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        headers = {"Link": ", ".join(links)} if links else {}
        return _Reply(200, items[(page - 1) * per_page : page * per_page], headers)

    def route_me(self, token: Token, query: dict[str, str], body: Any) -> _Reply:
        data = self.hub.user_json(token.login, full=True)
        data |= {"private_gists": 0, "total_private_repos": 1, "owned_private_repos": 1}
        data |= {"two_factor_authentication": True, "plan": {"name": "free", "space": 976562499}}
        return _Reply(200, data)

    def route_user(self, token: Token, query: dict[str, str], body: Any, login: str) -> _Reply:
        if self.hub._login(login) is None:
            raise _error(404, NOT_FOUND, "/users/users#get-a-user")
        return _Reply(200, self.hub.user_json(login, full=True))

    def route_repo(self, token: Token, query: dict[str, str], body: Any, repo: str) -> _Reply:
        return _Reply(200, self.hub.repo_json(self._repo(token, repo), token))

    def route_add(
        self, token: Token, query: dict[str, str], body: Any, repo: str, login: str
    ) -> _Reply:
        """201 and a new (or the still pending) invitation; 204 for a collaborator.

        An expired invitation is replaced by a new one, with a new id.
        """
        hub, state = self.hub, self._repo(token, repo, admin=True)
        permission = (body or {}).get("permission", "push")
        if permission not in PERMISSIONS:
            message = f"{permission} is not a valid permission"
            raise _invalid("Repository", "permission", "custom", ADD_DOC, message)
        name = hub._login(login)
        if name is None:
            raise _error(404, NOT_FOUND, ADD_DOC)  # GitHub answers 404 for an unknown login
        if name in state.collaborators:
            state.collaborators[name] = PERMISSIONS[permission]
            return _Reply(204)
        invitation = state.invitation_for(name)
        if invitation is not None and invitation.expired:
            del state.invitations[invitation.id]
            invitation = None
        if invitation is None:
            invitation = PendingInvitation(next(hub._ids), name, PERMISSIONS[permission], _now())
            state.invitations[invitation.id] = invitation
        invitation.permission = PERMISSIONS[permission]
        return _Reply(201, hub.invitation_json(state, invitation))

    def route_is_collab(
        self, token: Token, query: dict[str, str], body: Any, repo: str, login: str
    ) -> _Reply:
        state = self._repo(token, repo)
        name = self.hub._login(login)
        if name is not None and name in state.collaborators:
            return _Reply(204)
        raise _error(
            404,
            NOT_FOUND,
            "/collaborators/collaborators#check-if-a-user-is-a-repository-collaborator",
        )

    def route_remove(
        self, token: Token, query: dict[str, str], body: Any, repo: str, login: str
    ) -> _Reply:
        state = self._repo(token, repo, admin=True)
        state.collaborators.pop(self.hub._login(login) or login, None)
        return _Reply(204)

    def route_invitations(
        self, token: Token, query: dict[str, str], body: Any, repo: str
    ) -> _Reply:
        state = self._repo(token, repo, admin=True)
        items = [
            self.hub.invitation_json(state, i)
            for i in sorted(state.invitations.values(), key=lambda i: i.id)
        ]
        return self._page(items, query, state, "invitations")

    def route_uninvite(
        self, token: Token, query: dict[str, str], body: Any, repo: str, id: str
    ) -> _Reply:
        state = self._repo(token, repo, admin=True)
        if state.invitations.pop(int(id), None) is None:
            raise _error(
                404, NOT_FOUND, "/collaborators/invitations#delete-a-repository-invitation"
            )
        return _Reply(204)

    def route_issues(self, token: Token, query: dict[str, str], body: Any, repo: str) -> _Reply:
        state = self._repo(token, repo)
        wanted_state = query.get("state", "open")
        labels = {name for name in query.get("labels", "").split(",") if name}
        issues = [
            i
            for i in sorted(
                state.issues.values(), key=lambda i: -i.number
            )  # newest first, as GitHub
            if wanted_state in ("all", i.state) and labels <= set(i.labels)
        ]
        items = [self.hub.issue_json(state, i) for i in issues]
        return self._page(items, query, state, "issues")

    def route_create_issue(
        self, token: Token, query: dict[str, str], body: Any, repo: str
    ) -> _Reply:
        state = self._repo(token, repo)
        if not body.get("title"):
            raise _invalid("Issue", "title", "missing_field", "/issues/issues#create-an-issue")
        number = self.hub.add_issue(
            body["title"],
            body.get("body") or "",
            token.login,
            body.get("labels") or [],
            body.get("assignees") or [],
            repo=state.full_name,
        )
        data = self.hub.issue_json(state, state.issues[number])
        return _Reply(201, data, {"Location": data["url"]})

    def route_issue(
        self, token: Token, query: dict[str, str], body: Any, repo: str, number: str
    ) -> _Reply:
        state = self._repo(token, repo)
        if int(number) not in state.issues:
            raise _error(404, NOT_FOUND, "/issues/issues#get-an-issue")
        return _Reply(200, self.hub.issue_json(state, state.issues[int(number)]))

    def route_reactions(
        self, token: Token, query: dict[str, str], body: Any, repo: str, number: str
    ) -> _Reply:
        state = self._repo(token, repo)
        issue = state.issues.get(int(number))
        if issue is None:
            raise _error(404, NOT_FOUND, "/reactions/reactions#list-reactions-for-an-issue")
        items = [
            {
                "id": rid,
                "node_id": f"REA_{rid}",
                "user": self.hub.user_json(login),
                "content": content,
                "created_at": _iso(issue.created_at),
            }
            for rid, login, content in issue.reactions
            if query.get("content") in (None, content)
        ]
        return self._page(items, query, state, f"issues/{number}/reactions")
