"""How `GitHubServer` answers HTTP: routing, authentication, faults, headers; the access and issue routes.

Owns `GitHubHandler` (one request: its injected fault, token, route and reply), the `ROUTES` table
of the endpoints our GitHub adapter reaches through PyGithub, and the headers every answer carries
(`X-RateLimit-*`, `X-OAuth-Scopes`, `X-GitHub-Request-Id`). The reply, error bodies and `Link`
pagination are in `github_http`; the comment, event and contents routes in `github_meeting`.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from .github_http import NOT_FOUND, Reply, error, invalid
from .github_meeting import MEETING_ROUTES, MeetingRoutes
from .github_state import PERMISSIONS, PendingInvitation, Token, now

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
        *MEETING_ROUTES,
    ]
]


class GitHubHandler(MeetingRoutes):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK wait

    def version_string(self) -> str:
        return "github.com"

    def log_message(self, format: str, *args: Any) -> None:  # the test output stays quiet
        pass

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
                # the query, sorted, takes part: match="?page=2" hits the second page of a listing
                asked = f"{path}?{urlencode(sorted(query.items()))}" if query else path
                fault = hub._fault(method, asked)
                if fault is not None:
                    raise Reply(fault.status, fault.body, fault.headers)
                token = self._token()
                for verb, pattern, name in ROUTES:
                    found = pattern.fullmatch(path)
                    if found and verb == method:
                        args = {k: unquote(v) for k, v in found.groupdict().items()}
                        body = json.loads(raw) if raw else {}
                        reply = getattr(self, f"route_{name}")(token, query, body, **args)
                        break
                else:
                    raise error(404, NOT_FOUND)
            except Reply as answer:
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
            raise error(401, "Bad credentials")
        return token

    def _send(self, reply: Reply) -> None:
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
    def route_me(self, token: Token, query: dict[str, str], body: Any) -> Reply:
        data = self.hub.user_json(token.login, full=True)
        data |= {"private_gists": 0, "total_private_repos": 1, "owned_private_repos": 1}
        data |= {"two_factor_authentication": True, "plan": {"name": "free", "space": 976562499}}
        return Reply(200, data)

    def route_user(self, token: Token, query: dict[str, str], body: Any, login: str) -> Reply:
        if self.hub._login(login) is None:
            raise error(404, NOT_FOUND, "/users/users#get-a-user")
        return Reply(200, self.hub.user_json(login, full=True))

    def route_repo(self, token: Token, query: dict[str, str], body: Any, repo: str) -> Reply:
        return Reply(200, self.hub.repo_json(self._repo(token, repo), token))

    def route_add(
        self, token: Token, query: dict[str, str], body: Any, repo: str, login: str
    ) -> Reply:
        """201 and a new (or the still pending) invitation; 204 for a collaborator.

        An expired invitation is replaced by a new one, with a new id.
        """
        hub, state = self.hub, self._repo(token, repo, admin=True)
        permission = (body or {}).get("permission", "push")
        if permission not in PERMISSIONS:
            message = f"{permission} is not a valid permission"
            raise invalid("Repository", "permission", "custom", ADD_DOC, message)
        name = hub._login(login)
        if name is None:
            raise error(404, NOT_FOUND, ADD_DOC)  # GitHub answers 404 for an unknown login
        if name in state.collaborators:
            state.collaborators[name] = PERMISSIONS[permission]
            return Reply(204)
        invitation = state.invitation_for(name)
        if invitation is not None and invitation.expired:
            del state.invitations[invitation.id]
            invitation = None
        if invitation is None:
            invitation = PendingInvitation(next(hub._ids), name, PERMISSIONS[permission], now())
            state.invitations[invitation.id] = invitation
        invitation.permission = PERMISSIONS[permission]
        return Reply(201, hub.invitation_json(state, invitation))

    def route_is_collab(
        self, token: Token, query: dict[str, str], body: Any, repo: str, login: str
    ) -> Reply:
        state = self._repo(token, repo)
        name = self.hub._login(login)
        if name is not None and name in state.collaborators:
            return Reply(204)
        raise error(
            404,
            NOT_FOUND,
            "/collaborators/collaborators#check-if-a-user-is-a-repository-collaborator",
        )

    def route_remove(
        self, token: Token, query: dict[str, str], body: Any, repo: str, login: str
    ) -> Reply:
        state = self._repo(token, repo, admin=True)
        state.collaborators.pop(self.hub._login(login) or login, None)
        return Reply(204)

    def route_invitations(self, token: Token, query: dict[str, str], body: Any, repo: str) -> Reply:
        state = self._repo(token, repo, admin=True)
        items = [
            self.hub.invitation_json(state, i)
            for i in sorted(state.invitations.values(), key=lambda i: i.id)
        ]
        return self._page(items, query, state, "invitations")

    def route_uninvite(
        self, token: Token, query: dict[str, str], body: Any, repo: str, id: str
    ) -> Reply:
        state = self._repo(token, repo, admin=True)
        if state.invitations.pop(int(id), None) is None:
            raise error(404, NOT_FOUND, "/collaborators/invitations#delete-a-repository-invitation")
        return Reply(204)

    def route_issues(self, token: Token, query: dict[str, str], body: Any, repo: str) -> Reply:
        """Newest first, as GitHub; `since` keeps issues updated at or after it."""
        state = self._repo(token, repo)
        wanted_state = query.get("state", "open")
        labels = {name for name in query.get("labels", "").split(",") if name}
        since = datetime.fromisoformat(query["since"]) if "since" in query else None
        issues = [
            i
            for i in sorted(state.issues.values(), key=lambda i: -i.number)
            if wanted_state in ("all", i.state)
            and labels <= set(i.labels)
            and (since is None or i.updated_at() >= since)
        ]
        items = [self.hub.issue_json(state, i) for i in issues]
        return self._page(items, query, state, "issues")

    def route_create_issue(
        self, token: Token, query: dict[str, str], body: Any, repo: str
    ) -> Reply:
        state = self._repo(token, repo)
        if not body.get("title"):
            raise invalid("Issue", "title", "missing_field", "/issues/issues#create-an-issue")
        number = self.hub.add_issue(
            body["title"],
            body.get("body") or "",
            token.login,
            body.get("labels") or [],
            body.get("assignees") or [],
            repo=state.full_name,
        )
        data = self.hub.issue_json(state, state.issues[number])
        return Reply(201, data, {"Location": data["url"]})

    def route_issue(
        self, token: Token, query: dict[str, str], body: Any, repo: str, number: str
    ) -> Reply:
        state = self._repo(token, repo)
        if int(number) not in state.issues:
            raise error(404, NOT_FOUND, "/issues/issues#get-an-issue")
        return Reply(200, self.hub.issue_json(state, state.issues[int(number)]))

    def route_reactions(
        self, token: Token, query: dict[str, str], body: Any, repo: str, number: str
    ) -> Reply:
        state = self._repo(token, repo)
        issue = state.issues.get(int(number))
        if issue is None:
            raise error(404, NOT_FOUND, "/reactions/reactions#list-reactions-for-an-issue")
        items = [
            self.hub.reaction_json(issue, reaction)
            for reaction in issue.reactions
            if query.get("content") in (None, reaction[2])
        ]
        return self._page(items, query, state, f"issues/{number}/reactions")
