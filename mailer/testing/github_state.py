"""The in-memory state behind `GitHubServer`: what GitHub would have stored.

Owns the dataclasses for the tokens the server accepts, each repository (collaborators, pending
invitations, issues with their reactions, comments and events, files on branches) and the faults
queued by the test controls, plus the vocabulary they use: `PERMISSIONS` (old and new role names)
and `REACTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# PUT .../collaborators takes the old names; invitations and permission checks show the new ones.
PERMISSIONS = {"pull": "read", "triage": "triage", "push": "write", "maintain": "maintain"}
PERMISSIONS |= {"admin": "admin", "read": "read", "write": "write"}
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")


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
class CommentState:
    id: int
    login: str
    body: str
    created_at: datetime


@dataclass
class EventState:
    id: int
    event: str  # "closed", "reopened", "labeled", "unlabeled"
    actor: str
    created_at: datetime
    label: str | None = None


@dataclass
class FileState:
    content: bytes
    sha: str  # the git blob id, as GitHub gives it
    commit: str


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
    comments: list[CommentState] = field(default_factory=list)
    events: list[EventState] = field(default_factory=list)

    def votes(self) -> int:
        return sum(1 for _, _, content in self.reactions if content == "+1")

    def updated_at(self) -> datetime:
        """The last change GitHub would stamp: creation, a comment or an event."""
        stamps = [c.created_at for c in self.comments] + [e.created_at for e in self.events]
        return max([self.created_at, *stamps])

    def closed(self) -> EventState | None:
        """The closing that stands: the last "closed" event of a closed issue."""
        if self.state != "closed":
            return None
        return next((e for e in reversed(self.events) if e.event == "closed"), None)


@dataclass
class RepoState:
    id: int
    full_name: str
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> permission
    invitations: dict[int, PendingInvitation] = field(default_factory=dict)
    issues: dict[int, IssueState] = field(default_factory=dict)
    files: dict[tuple[str, str], FileState] = field(default_factory=dict)  # (branch, path)
    branches: set[str] = field(default_factory=lambda: {"main"})

    def invitation_for(self, login: str) -> PendingInvitation | None:
        return next((i for i in self.invitations.values() if i.login == login), None)


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int
    match: str


def now() -> datetime:
    """The current moment as GitHub stamps it: UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)
