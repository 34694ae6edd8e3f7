"""The JSON `GitHubServer` answers with, following github/rest-api-description.

Owns `GitHubShapes`, the mixin that turns the state in `github_state` into GitHub's users,
repositories, invitations, issues, labels, reactions, comments, issue events, files and commits,
with the URLs GitHub puts in them.
"""

from __future__ import annotations

import base64
import hashlib
import textwrap
from datetime import UTC, datetime
from typing import Any

from .github_state import (
    REACTIONS,
    CommentState,
    EventState,
    FileState,
    IssueState,
    PendingInvitation,
    RepoState,
    Token,
)

WEB = "https://github.com"
DOCS = "https://docs.github.com/rest"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GitHubShapes:
    """JSON builders for `GitHubServer`: its `api_url`, `owner` and `users` go into the URLs."""

    owner: str
    users: dict[str, tuple[str, int]]  # lower-cased login -> (login, id)

    @property
    def api_url(self) -> str:
        raise NotImplementedError

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
            "created_at": iso(inv.created_at),
            "expired": inv.expired,
            "url": f"{self.api_url}/user/repository_invitations/{inv.id}",
            "html_url": f"{WEB}/{state.full_name}/invitations",
        }

    def issue_json(self, state: RepoState, issue: IssueState) -> dict[str, Any]:
        url = f"{self.api_url}/repos/{state.full_name}/issues/{issue.number}"
        kind = "pull" if issue.pull_request else "issues"
        rollup = {c: sum(1 for _, _, r in issue.reactions if r == c) for c in REACTIONS}
        closed = issue.closed()
        if closed is None and issue.state == "closed":  # seeded closed: no event to date it
            closed = EventState(0, "closed", issue.user, issue.created_at)
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
            "state_reason": "completed" if issue.state == "closed" else None,
            "title": issue.title,
            "body": issue.body,
            "user": self.user_json(issue.user),
            "labels": [self.label_json(state, name) for name in issue.labels],
            "assignee": self.user_json(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self.user_json(login) for login in issue.assignees],
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": len(issue.comments),
            "closed_at": iso(closed.created_at) if closed else None,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at()),
            "closed_by": self.user_json(closed.actor) if closed else None,
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

    def reaction_json(self, issue: IssueState, reaction: tuple[int, str, str]) -> dict[str, Any]:
        rid, login, content = reaction
        return {
            "id": rid,
            "node_id": f"REA_{rid}",
            "user": self.user_json(login),
            "content": content,
            "created_at": iso(issue.created_at),
        }

    def comment_json(
        self, state: RepoState, issue: IssueState, comment: CommentState
    ) -> dict[str, Any]:
        api = f"{self.api_url}/repos/{state.full_name}/issues"
        owner = comment.login.lower() == state.full_name.split("/")[0].lower()
        return {
            "url": f"{api}/comments/{comment.id}",
            "html_url": f"{WEB}/{state.full_name}/issues/{issue.number}#issuecomment-{comment.id}",
            "issue_url": f"{api}/{issue.number}",
            "id": comment.id,
            "node_id": f"IC_{comment.id}",
            "user": self.user_json(comment.login),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.created_at),
            "author_association": "OWNER" if owner else "COLLABORATOR",
            "body": comment.body,
            "reactions": {"url": f"{api}/comments/{comment.id}/reactions", "total_count": 0}
            | dict.fromkeys(REACTIONS, 0),
            "performed_via_github_app": None,
        }

    def event_json(self, state: RepoState, event: EventState) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": event.id,
            "node_id": f"{event.event[:2].upper()}E_{event.id}",
            "url": f"{self.api_url}/repos/{state.full_name}/issues/events/{event.id}",
            "actor": self.user_json(event.actor),
            "event": event.event,
            "commit_id": None,
            "commit_url": None,
            "created_at": iso(event.created_at),
            "performed_via_github_app": None,
        }
        if event.label is not None:
            data["label"] = {"name": event.label, "color": "ededed"}
        if event.event == "closed":
            data["state_reason"] = None
        return data

    def file_json(
        self, state: RepoState, branch: str, path: str, file: FileState | None, content: bool = True
    ) -> dict[str, Any]:
        """A file (or, with `file` None, a folder) as the contents API shows it."""
        api = f"{self.api_url}/repos/{state.full_name}"
        kind, tree = ("file", "blob") if file is not None else ("dir", "tree")
        sha = file.sha if file is not None else hashlib.sha1(path.encode()).hexdigest()
        links = {
            "self": f"{api}/contents/{path}?ref={branch}",
            "git": f"{api}/git/{tree}s/{sha}",
            "html": f"{WEB}/{state.full_name}/{tree}/{branch}/{path}",
        }
        data: dict[str, Any] = {
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": len(file.content) if file is not None else 0,
            "url": links["self"],
            "html_url": links["html"],
            "git_url": links["git"],
            "download_url": None,
            "type": kind,
            "_links": links,
        }
        if file is not None:
            raw = f"https://raw.githubusercontent.com/{state.full_name}/{branch}/{path}"
            data["download_url"] = raw
            if content:  # GitHub wraps the base64 at 60 columns
                encoded = base64.b64encode(file.content).decode()
                data |= {"content": "\n".join(textwrap.wrap(encoded, 60)) + "\n"}
                data |= {"encoding": "base64"}
        return data

    def commit_json(self, state: RepoState, sha: str, message: str, login: str) -> dict[str, Any]:
        person = {"name": login, "email": f"{login}@users.noreply.github.com"}
        person |= {"date": iso(datetime.now(UTC))}
        return {
            "sha": sha,
            "node_id": f"C_{sha}",
            "url": f"{self.api_url}/repos/{state.full_name}/git/commits/{sha}",
            "html_url": f"{WEB}/{state.full_name}/commit/{sha}",
            "author": person,
            "committer": person,
            "message": message,
            "tree": {
                "sha": sha[::-1],
                "url": f"{self.api_url}/repos/{state.full_name}/git/trees/{sha[::-1]}",
            },
            "parents": [],
            "verification": {"verified": False, "reason": "unsigned", "signature": None},
        }
