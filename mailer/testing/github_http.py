"""What every route of `GitHubServer` shares: the reply, GitHub's error bodies, the handler base.

Owns `Reply` (raised inside a route to answer), GitHub's 404/403/422 bodies and
`GitHubRouteBase`: the server behind a request, the repository a route names (404 for a token
that cannot see it, 403 without admin rights) and one page of a listing with its `Link` header.
The routes themselves live in `github_routes` (access, issues) and `github_meeting` (comments,
events, contents).
"""

from __future__ import annotations

from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .github_shapes import DOCS
from .github_state import RepoState, Token

if TYPE_CHECKING:
    from .github_server import GitHubServer

NOT_FOUND = "Not Found"


class Reply(Exception):
    """Raised inside a route to answer with `status` and a JSON `body` (None: no content)."""

    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, dict(headers or {})


def error(status: int, message: str, doc: str = "") -> Reply:
    return Reply(
        status, {"message": message, "documentation_url": f"{DOCS}{doc}", "status": str(status)}
    )


def invalid(resource: str, field: str, code: str, doc: str, message: str = "") -> Reply:
    problem = {"resource": resource, "code": code, "field": field} | (
        {"message": message} if message else {}
    )
    body = {
        "message": "Validation Failed",
        "errors": [problem],
        "documentation_url": f"{DOCS}{doc}",
    }
    return Reply(422, body | {"status": "422"})


class GitHubRouteBase(BaseHTTPRequestHandler):
    """The handler's shared lookups; each `route_<name>` answers one row of the ROUTES table."""

    @property
    def hub(self) -> GitHubServer:
        hub: GitHubServer = self.server.hub  # type: ignore[attr-defined]
        return hub

    def _repo(self, token: Token, repo: str, admin: bool = False) -> RepoState:
        state = next((s for k, s in self.hub.repos.items() if k.lower() == repo.lower()), None)
        if state is None or not token.sees_repo:
            raise error(404, NOT_FOUND, "/repos/repos#get-a-repository")
        if admin and not self.hub.repo_json(state, token)["permissions"]["admin"]:
            raise error(403, "Must have admin rights to Repository.", "/collaborators")
        return state

    def _page(self, items: list[Any], query: dict[str, str], state: RepoState, rest: str) -> Reply:
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
        return Reply(200, items[(page - 1) * per_page : page * per_page], headers)
