"""The meeting's side of `GitHubServer`: comments, closings, labels, issue events and files.

Owns the routes a digest reads and publishes through (issue comments, issue events, the contents
API: GET and PUT with GitHub's 404, 409 and 422) in `MeetingRoutes`, and the test controls that
play the people in the meeting in `MeetingControls`: `comment`, `close` (or reopen), `label` (or
take it off), each at a given moment, and `put_file` / `file` for the repository's files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from .github_http import NOT_FOUND, GitHubRouteBase, Reply, error, invalid
from .github_state import CommentState, EventState, FileState, IssueState, RepoState, Token, now

CONTENTS_DOC = "/repos/contents#create-or-update-file-contents"
MEETING_ROUTES = [
    ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/comments", "comments"),
    ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/events", "events"),
    ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/contents/(?P<path>.+)", "contents"),
    ("PUT", r"/repos/(?P<repo>[^/]+/[^/]+)/contents/(?P<path>.+)", "put_contents"),
]


def blob_sha(content: bytes) -> str:
    """The git blob id of `content`, which is what GitHub calls a file's sha."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


class MeetingRoutes(GitHubRouteBase):
    """Routes for comments, issue events and files; mixed into `GitHubHandler`."""

    def _issue(self, state: RepoState, number: str, doc: str) -> IssueState:
        issue = state.issues.get(int(number))
        if issue is None:
            raise error(404, NOT_FOUND, doc)
        return issue

    def route_comments(
        self, token: Token, query: dict[str, str], body: Any, repo: str, number: str
    ) -> Reply:
        """Oldest first, as GitHub; `since` keeps comments updated at or after it."""
        state = self._repo(token, repo)
        issue = self._issue(state, number, "/issues/comments#list-issue-comments")
        since = datetime.fromisoformat(query["since"]) if "since" in query else None
        items = [
            self.hub.comment_json(state, issue, comment)
            for comment in issue.comments
            if since is None or comment.created_at >= since
        ]
        return self._page(items, query, state, f"issues/{number}/comments")

    def route_events(
        self, token: Token, query: dict[str, str], body: Any, repo: str, number: str
    ) -> Reply:
        state = self._repo(token, repo)
        issue = self._issue(state, number, "/issues/events#list-issue-events")
        items = [self.hub.event_json(state, event) for event in issue.events]
        return self._page(items, query, state, f"issues/{number}/events")

    def route_contents(
        self, token: Token, query: dict[str, str], body: Any, repo: str, path: str
    ) -> Reply:
        """A file with its base64 content and sha, or a folder as a list of its entries."""
        state = self._repo(token, repo)
        branch = query.get("ref", "main")
        if branch not in state.branches:
            raise error(404, f"No commit found for the ref {branch}", "/repos/contents")
        file = state.files.get((branch, path))
        if file is not None:
            return Reply(200, self.hub.file_json(state, branch, path, file))
        inside = sorted(p for b, p in state.files if b == branch and p.startswith(f"{path}/"))
        if not inside:
            raise error(404, NOT_FOUND, "/repos/contents#get-repository-content")
        names = sorted({p[len(path) + 1 :].split("/")[0] for p in inside})
        entries = [
            (f"{path}/{name}", state.files.get((branch, f"{path}/{name}"))) for name in names
        ]
        return Reply(200, [self.hub.file_json(state, branch, p, f, False) for p, f in entries])

    def route_put_contents(
        self, token: Token, query: dict[str, str], body: Any, repo: str, path: str
    ) -> Reply:
        """201 for a new file, 200 for a change; 422 when `sha` is missing, 409 when it is stale."""
        state = self._repo(token, repo)
        if not self.hub.repo_json(state, token)["permissions"]["push"]:
            raise error(403, "Resource not accessible by personal access token", CONTENTS_DOC)
        for field in ("message", "content"):
            if field not in body:
                raise invalid("Contents", field, "missing_field", CONTENTS_DOC)
        try:
            content = base64.b64decode(body["content"], validate=True)
        except (binascii.Error, ValueError):
            raise invalid("Contents", "content", "invalid", CONTENTS_DOC) from None
        branch = body.get("branch") or "main"
        if branch not in state.branches:
            raise error(404, f"Branch {branch} not found", CONTENTS_DOC)
        old = state.files.get((branch, path))
        sha = body.get("sha")
        if old is not None and sha is None:
            raise error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', CONTENTS_DOC)
        if sha is not None and (old is None or old.sha != sha):
            raise error(409, f"{path} does not match {sha}", CONTENTS_DOC)
        commit = hashlib.sha1(f"{branch}:{path}:{blob_sha(content)}:{now()}".encode()).hexdigest()
        state.files[(branch, path)] = file = FileState(content, blob_sha(content), commit)
        made = {
            "content": self.hub.file_json(state, branch, path, file, content=False),
            "commit": self.hub.commit_json(state, commit, body["message"], token.login),
        }
        return Reply(201 if old is None else 200, made)


class MeetingControls:
    """Test controls on `GitHubServer` for what people do in and after a meeting."""

    _lock: threading.RLock
    _ids: Iterator[int]

    def state(self, repo: str | None = None) -> RepoState:
        raise NotImplementedError

    def add_user(self, login: str) -> None:
        raise NotImplementedError

    def _stamp(
        self,
        number: int,
        event: str,
        by: str | None,
        at: datetime | None,
        repo: str | None,
        label: str | None = None,
    ) -> IssueState:
        """Record `event` on issue `number` (by the owner unless `by`, at `at`); the issue."""
        state = self.state(repo)
        issue = state.issues[number]
        actor = by or state.full_name.split("/")[0]
        issue.events.append(EventState(next(self._ids), event, actor, at or now(), label))
        return issue

    def comment(
        self,
        number: int,
        login: str,
        body: str,
        at: datetime | None = None,
        repo: str | None = None,
    ) -> int:
        """`login` comments `body` on issue `number` at `at`; the comment's id."""
        self.add_user(login)
        with self._lock:
            issue = self.state(repo).issues[number]
            comment = CommentState(next(self._ids), login, body, at or now())
            issue.comments.append(comment)
            return comment.id

    def close(
        self,
        number: int,
        at: datetime | None = None,
        by: str | None = None,
        reopen: bool = False,
        repo: str | None = None,
    ) -> None:
        """Issue `number` is closed (or reopened: then GitHub shows no `closed_at`) at `at`, by
        the owner unless `by`."""
        event, state = ("reopened", "open") if reopen else ("closed", "closed")
        with self._lock:
            self._stamp(number, event, by, at, repo).state = state

    def label(
        self,
        number: int,
        name: str,
        at: datetime | None = None,
        by: str | None = None,
        off: bool = False,
        repo: str | None = None,
    ) -> None:
        """Issue `number` gets label `name` (or, `off`, loses it) at `at`, with its event."""
        with self._lock:
            issue = self._stamp(number, "unlabeled" if off else "labeled", by, at, repo, name)
            issue.labels = [n for n in issue.labels if n != name] + ([] if off else [name])

    def put_file(self, path: str, text: str, branch: str = "main", repo: str | None = None) -> str:
        """A file in the repository (its branch made if new), as if pushed; its sha."""
        content = text.encode()
        with self._lock:
            state = self.state(repo)
            state.branches.add(branch)
            sha = blob_sha(content)
            state.files[(branch, path)] = FileState(content, sha, blob_sha(sha.encode()))
            return sha

    def file(self, path: str, branch: str = "main", repo: str | None = None) -> str | None:
        """The text of `path` on `branch`, None when there is no such file."""
        with self._lock:
            found = self.state(repo).files.get((branch, path))
            return found.content.decode() if found is not None else None
