"""Reading and validating config.toml into a frozen `Config`; nothing here connects to anything.

Owns `load`, `parse`, the [organizer], [database], [limits] and [templates] keys and the [smtp] and
[imap] servers; the people are read in people.py, the meetings in events.py and the
[zoom], [recording], [reminders] and [github] tables in meeting.py. `Invitee` and `Event`
are re-exported, so `from mailer.config import Config, Event, Invitee` works.

Every problem is raised as a `ConfigError` that names the key (`[imap] host`) and says how to fix
it, so the CLI can print one line instead of a traceback.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from mailer.config import events as config_events
from mailer.config import meeting as config_meeting
from mailer.config import people as config_people
from mailer.config import schema as config_schema
from mailer.config import takeaways as config_takeaways
from mailer.config import worker as config_worker
from mailer.config.addresses import address, looks_like_address, named
from mailer.config.events import Event as Event  # re-exported: `from mailer.config import Event`
from mailer.config.keys import AUTH
from mailer.config.meeting import GitHub, Recording, Reminders, Zoom
from mailer.config.people import (
    Invitee as Invitee,
)  # re-exported: `from mailer.config import Invitee`
from mailer.config.takeaways import Archive, Takeaways
from mailer.config.values import integer, string
from mailer.config.values import table as read_table
from mailer.errors import ConfigError

SECURITY_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class ServerSettings:
    """How to reach one mail server (SMTP or IMAP)."""

    section: str  # "smtp" or "imap", for messages
    host: str
    port: int
    security: str  # "none" | "starttls" | "tls"
    username: str
    password_env: str
    timeout_seconds: float = 30.0
    folder: str = "INBOX"  # IMAP only: where replies arrive
    handled_folder: str = ""  # IMAP only: move handled mail here; "" keeps it and flags it
    # IMAP only: where the provider files the mail we submit over SMTP ("" = it does not, or we
    # do not know); after a crash an email whose fate is unknown is looked up there by Message-ID.
    sent_folder: str = ""
    # IMAP only: the authserv-id of the organizer's own receiving server (RFC 8601); only its
    # Authentication-Results headers are believed. "" = no sender authentication.
    trusted_authserv_id: str = ""
    # A shell command printing the secret, run at each login (tokens expire): instead of
    # password_env, as msmtp's passwordeval and isync's PassCmd. Run by adapters/secrets.py.
    password_command: str = ""
    auth: str = "password"  # "password" | "xoauth2" (the secret is an OAuth2 access token)

    @property
    def secret_source(self) -> str:
        """Where the login's secret comes from, as messages name it."""
        if self.password_command:
            return f"[{self.section}] password_command"
        return f"${self.password_env}"

    def password(self) -> str:
        """The secret from the environment variable named by `password_env` ("" if unset)."""
        return os.environ.get(self.password_env, "") if self.password_env else ""

    def require_password(self) -> None:
        """Before any connection: a login whose password variable is unset is named, with the fix."""
        if self.username and not self.password_command and not self.password():
            # A conventional name (MAILER_SMTP_PASSWORD) is shown; anything else may be the
            # password typed in the wrong place, and is not repeated on a terminal or in cron mail.
            named = self.password_env if _CONVENTIONAL.fullmatch(self.password_env) else ""
            raise ConfigError(
                f"[{self.section}] password_env",
                f"names {named}, which is not set"
                if named
                else "names an environment variable that is not set",
                f"export {named}=... (the password for {self.username})"
                if named
                else "set password_env to the name of the variable that holds the password "
                '(e.g. "MAILER_SMTP_PASSWORD") and export it',
            )


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    path: Path
    organizer_name: str
    organizer_email: str
    smtp: ServerSettings
    imap: ServerSettings
    database: Path
    invitees: tuple[Invitee, ...]
    events: tuple[Event, ...]
    answers_per_sender_per_day: int = 10
    max_message_kb: int = 2048  # larger inbound mail is set aside for the organizer, not read
    templates_dir: Path | None = None
    zoom: Zoom | None = None
    recording: Recording = field(default_factory=Recording)
    reminders: Reminders = field(default_factory=Reminders)
    github: GitHub | None = None
    takeaways: Takeaways = field(default_factory=Takeaways)
    archive: Archive = field(default_factory=Archive)
    # [privacy] keep_messages_days: stored message bodies dropped this long after their meeting
    # ends (0: kept); the decisions made from them stay.
    keep_messages_days: int = 0
    # Where summaries, objections and drafts for the organizer go ("" = organizer_email): kept
    # apart from the mailbox the worker reads, so nobody's mail is flagged there unseen.
    organizer_notify: str = ""
    # [worker] tick_every: how often `mailer run` does the time-driven work (mail wakes it sooner).
    tick_every: timedelta = timedelta(minutes=1)

    @property
    def notify_address(self) -> str:
        """The organizer's own inbox for the mailer's emails to them."""
        return self.organizer_notify or self.organizer_email

    def is_organizer(self, sender: str) -> bool:
        """Whether `sender` is the organizer: the mailbox address or the notify address."""
        wanted = sender.strip().lower()
        return wanted in (self.organizer_email.lower(), self.notify_address.lower())

    def invitee_for(self, address: str) -> Invitee | None:
        """The invitee who owns `address` (primary or alias), case-insensitive."""
        wanted = address.strip().lower()
        for invitee in self.invitees:
            if wanted in invitee.addresses:
                return invitee
        return None

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    @property
    def domain(self) -> str:
        return self.organizer_email.rpartition("@")[2] or "localhost"


def load(path: str | os.PathLike[str]) -> Config:
    """Read and validate the config file at `path`."""
    file = Path(path)
    if not file.exists():
        raise ConfigError(
            "",
            f"config file {file} does not exist",
            "copy config.toml from the project's root and edit it, or pass --config PATH",
        )
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"{file} is not valid TOML ({exc})", "correct that line") from exc
    return parse(data, file)


def parse(data: dict[str, Any], file: Path) -> Config:
    """Validate already-parsed TOML `data`; relative paths are resolved against `file`'s folder."""
    base = file.resolve().parent
    config_schema.check_names(data)  # a typo is named before its default silently takes over
    organizer = read_table(data, "organizer")
    written = organizer.get("email")
    pair = named(written) if isinstance(written, str) and "name" not in organizer else None
    email = address(
        pair[1] if pair else written, "[organizer]", "email", example="rsvp@example.org"
    )
    default_name = pair[0] if pair and pair[0] else "Roundtable organizer"
    notify = string(organizer, "organizer", "notify", default="")
    if notify:
        notify = address(notify, "[organizer]", "notify", example="me@example.org")
    db = read_table(data, "database", required=False)
    limits = read_table(data, "limits", required=False)
    privacy = read_table(data, "privacy", required=False)
    templates = read_table(data, "templates", required=False)
    templates_dir = string(templates, "templates", "dir", default="")
    return Config(
        path=file.resolve(),
        organizer_name=string(organizer, "organizer", "name", default=default_name),
        organizer_email=email,
        smtp=_server(data, "smtp", default_port=587),
        imap=_server(data, "imap", default_port=993),
        database=_database(base / string(db, "database", "path", default="mailer.db")),
        invitees=config_people.invitees(data, base),
        events=config_events.events(data),
        answers_per_sender_per_day=integer(
            limits, "limits", "answers_per_sender_per_day", default=10, minimum=1
        ),
        max_message_kb=integer(limits, "limits", "max_message_kb", default=2048, minimum=16),
        templates_dir=_templates(base / templates_dir) if templates_dir else None,
        zoom=config_meeting.zoom(data),
        recording=config_meeting.recording(data),
        reminders=config_meeting.reminders(data),
        github=config_meeting.github(data),
        takeaways=config_takeaways.takeaways(data, base),
        archive=config_takeaways.archive(data),
        organizer_notify=notify,
        keep_messages_days=integer(privacy, "privacy", "keep_messages_days", default=0, minimum=0),
        tick_every=config_worker.tick_every(data),
    )


def _database(path: Path) -> Path:
    """The database file; its folder must exist (the file itself is created by the first tick)."""
    if not path.parent.is_dir():
        raise ConfigError(
            "[database] path",
            f"points into {path.parent}, which does not exist",
            "create that folder, or set path to a file in an existing one",
        )
    return path


def _templates(folder: Path) -> Path:
    """Your own templates' folder: it must exist, or every email would fail at its first send."""
    if not folder.is_dir():
        raise ConfigError(
            "[templates] dir",
            f"names {folder}, which is not a folder",
            "create it with your templates, or remove dir to use the shipped ones",
        )
    return folder


def _server(data: dict[str, Any], section: str, default_port: int) -> ServerSettings:
    table = read_table(data, section)
    host = string(table, section, "host", example='"mail.example.org"')
    if not host:
        raise ConfigError(f"[{section}] host", "is empty", f'set host = "{section}.example.org"')
    port = integer(table, section, "port", default=default_port, minimum=1, maximum=65535)
    security = string(
        table, section, "security", default="tls" if port in (465, 993) else "starttls"
    ).lower()
    if security not in SECURITY_MODES:
        raise ConfigError(
            f"[{section}] security",
            f"must be one of none, starttls, tls, got {security!r}",
            'set security = "starttls" (or "tls" for ports 465 and 993)',
        )
    timeout = table.get("timeout_seconds", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(
            f"[{section}] timeout_seconds",
            f"must be a positive number, got {timeout!r}",
            "set timeout_seconds = 30",
        )
    username = string(table, section, "username", default="")
    if looks_like_address(username):
        address(username, f"[{section}]", "username", example="rsvp@example.org")
    password_env, password_command, auth = _login(table, section, username)
    return ServerSettings(
        section=section,
        host=host,
        port=port,
        security=security,
        username=username,
        password_env=password_env,
        password_command=password_command,
        auth=auth,
        timeout_seconds=float(timeout),
        folder=string(table, section, "folder", default="INBOX") if section == "imap" else "INBOX",
        handled_folder=string(table, section, "handled_folder", default="")
        if section == "imap"
        else "",
        sent_folder=string(table, section, "sent_folder", default="") if section == "imap" else "",
        trusted_authserv_id=string(table, section, "trusted_authserv_id", default="").lower()
        if section == "imap"
        else "",
    )


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONVENTIONAL = re.compile(r"[A-Z_][A-Z0-9_]*")  # how environment variables are named


def _login(table: dict[str, Any], section: str, username: str) -> tuple[str, str, str]:
    """password_env, password_command and auth: exactly one source of the secret for a login."""
    password_env = string(table, section, "password_env", default="")
    command = string(table, section, "password_command", default="")
    auth = string(table, section, "auth", default="password").lower()
    if auth not in AUTH:
        raise ConfigError(
            f"[{section}] auth",
            f"must be password or xoauth2, got {auth!r}",
            'set auth = "password" (or "xoauth2" when the secret is an OAuth2 access token)',
        )
    if password_env and not _ENV_NAME.fullmatch(password_env):
        # Never echoed: what was typed here is most likely the password itself.
        raise ConfigError(
            f"[{section}] password_env",
            "must name an environment variable (letters, digits and _), and its value does not; "
            "it looks like the password itself",
            f'set password_env = "MAILER_{section.upper()}_PASSWORD", put the password in that '
            "environment variable, and change the password if the file was shared",
        )
    if password_env and command:
        raise ConfigError(
            f"[{section}] password_command",
            "is set as well as password_env; the secret must come from one of them",
            "remove one of the two keys",
        )
    if auth == "xoauth2" and not username:
        raise ConfigError(
            f"[{section}] username",
            'is empty, but auth = "xoauth2" logs in as someone',
            f'set username = "rsvp@example.org" (the mailbox the token is for) under [{section}]',
        )
    if username and not (password_env or command):
        raise ConfigError(
            f"[{section}] password_env",
            "is missing, so there is no password for the login",
            f'set password_env = "MAILER_{section.upper()}_PASSWORD" and put the password in that environment variable, or set password_command',
        )
    return password_env, command, auth
