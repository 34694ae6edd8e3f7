"""The in-memory state behind `GitHubServer`: what GitHub would have stored.

Owns the dataclasses for the tokens the server accepts, each repository (collaborators, pending
invitations, issues and their reactions) and the faults queued by the test controls, plus the
vocabulary they use: `PERMISSIONS` (old and new role names) and `REACTIONS`.
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


def now() -> datetime:
    """The current moment as GitHub stamps it: UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)
