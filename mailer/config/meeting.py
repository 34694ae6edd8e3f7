"""The meeting's own settings in config.toml: [zoom], [recording], [reminders] and [github].

Separate from the servers, invitees and events (the package's __init__.py and its siblings) because these only shape what the seated are
sent; each is optional, with the defaults the README lists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from mailer.config.values import boolean, duration, integer, parse_duration, string, table
from mailer.errors import ConfigError


@dataclass(frozen=True)
class Zoom:
    """How to join; sent only to people who hold a seat."""

    join_url: str
    meeting_id: str = ""
    passcode: str = ""
    dial_in: str = ""
    send_details_before: timedelta | None = None  # None: with the seat confirmation


@dataclass(frozen=True)
class Recording:
    """Whether the meeting is recorded, and why; the seated may object."""

    enabled: bool = False
    purpose: str = "to summarise the outcome of the discussion afterwards"
    tell_organizer_before: timedelta = timedelta(days=1)
    kept_for: str = ""  # "30 days": said in the notice only when the organizer wrote it
    shared_with: str = ""  # "the participants": likewise


@dataclass(frozen=True)
class Reminders:
    """When the seated are reminded, before the start; and the alarm in their calendar copy."""

    before: tuple[timedelta, ...] = (timedelta(days=7), timedelta(days=1), timedelta(hours=1))
    alarm_minutes: int = 30


def zoom(data: dict[str, Any]) -> Zoom | None:
    section = table(data, "zoom", required=False)
    if not section:
        return None
    url = string(section, "zoom", "join_url", example='"https://zoom.us/j/1234567890"')
    if not url.startswith(("https://", "http://")):
        raise ConfigError(
            "[zoom] join_url",
            f"must be a web address, got {url!r}",
            'copy the "Join" link from Zoom',
        )
    passcode = string(section, "zoom", "passcode", default="")
    passcode_env = string(section, "zoom", "passcode_env", default="")
    if passcode_env:
        passcode = os.environ.get(passcode_env, "")
        if not passcode:
            raise ConfigError(
                "[zoom] passcode_env",
                f"names ${passcode_env}, which is not set",
                f"export {passcode_env}=<the passcode>",
            )
    before = section.get("send_details_before")
    return Zoom(
        join_url=url,
        meeting_id=string(section, "zoom", "meeting_id", default=""),
        passcode=passcode,
        dial_in=string(section, "zoom", "dial_in", default=""),
        send_details_before=None
        if before is None
        else parse_duration(before, "[zoom] send_details_before", "send_details_before"),
    )


def recording(data: dict[str, Any]) -> Recording:
    section = table(data, "recording", required=False)
    default = Recording()
    return Recording(
        enabled=boolean(section, "recording", "enabled", default.enabled),
        purpose=string(section, "recording", "purpose", default=default.purpose),
        tell_organizer_before=duration(section, "recording", "tell_organizer_before", "1d"),
        kept_for=string(section, "recording", "kept_for", default=""),
        shared_with=string(section, "recording", "shared_with", default=""),
    )


def reminders(data: dict[str, Any]) -> Reminders:
    section = table(data, "reminders", required=False)
    listed = section.get("before", ["7d", "1d", "1h"])
    if not isinstance(listed, list):
        raise ConfigError(
            "[reminders] before",
            f"must be a list, got {listed!r}",
            'write before = ["7d", "1d", "1h"]',
        )
    spans = [parse_duration(value, "[reminders] before", "before") for value in listed]
    return Reminders(
        before=tuple(sorted(set(spans), reverse=True)),
        alarm_minutes=integer(section, "reminders", "alarm_minutes", default=30, minimum=0),
    )


PERMISSIONS = ("pull", "triage", "push", "maintain", "admin")


@dataclass(frozen=True)
class GitHub:
    """The repository whose issues are the topic board; the seated are invited as collaborators."""

    repo: str  # owner/name
    token_env: str = "GITHUB_TOKEN"
    permission: str = "triage"  # enough to assign oneself as a topic's sponsor
    api_url: str = "https://api.github.com"
    remove_after_event: bool = False
    keep: tuple[str, ...] = ()  # logins never removed
    nudge_before: timedelta = timedelta(days=2)
    agenda_before: timedelta = timedelta(days=1)

    def token(self) -> str:
        """The token from the environment variable named by token_env ("" if unset)."""
        return os.environ.get(self.token_env, "")


def github(data: dict[str, Any]) -> GitHub | None:
    section = table(data, "github", required=False)
    if not section:
        return None
    repo = string(section, "github", "repo", example='"owner/name"')
    if repo.count("/") != 1 or not all(repo.split("/")):
        raise ConfigError(
            "[github] repo", f"must be owner/name, got {repo!r}", 'set repo = "profiq/peer-to-peer"'
        )
    permission = string(section, "github", "permission", default="triage")
    if permission not in PERMISSIONS:
        raise ConfigError(
            "[github] permission",
            f"must be one of {', '.join(PERMISSIONS)}, got {permission!r}",
            'set permission = "triage"',
        )
    keep = section.get("keep", [])
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise ConfigError(
            "[github] keep", "must be a list of GitHub logins", 'write keep = ["organizer-login"]'
        )
    return GitHub(
        repo=repo,
        token_env=string(section, "github", "token_env", default="GITHUB_TOKEN"),
        permission=permission,
        api_url=string(section, "github", "api_url", default="https://api.github.com").rstrip("/"),
        remove_after_event=boolean(section, "github", "remove_after_event", False),
        keep=tuple(k.strip().lstrip("@").lower() for k in keep),
        nudge_before=duration(section, "github", "nudge_before", "2d"),
        agenda_before=duration(section, "github", "agenda_before", "1d"),
    )
