"""Reading and validating config.toml into a frozen `Config`; nothing here connects to anything.

Every problem is raised as a `ConfigError` that names the key (`[imap] host`) and says how to fix
it, so the CLI can print one line instead of a traceback.
"""

from __future__ import annotations

import csv
import os
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import config_meeting
from .config_meeting import GitHub, Recording, Reminders, Zoom
from .config_values import boolean, duration, integer, local_time, string
from .config_values import table as read_table
from .errors import ConfigError

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

    def password(self) -> str:
        """The secret from the environment variable named by `password_env` ("" if unset)."""
        return os.environ.get(self.password_env, "") if self.password_env else ""


@dataclass(frozen=True)
class Invitee:
    """A person on the invitation list; `email` is the primary address, lower-cased."""

    name: str
    email: str
    github: str = ""
    aliases: tuple[str, ...] = ()
    timezone: str = ""  # their own zone for reminders; "" uses the event's

    @property
    def addresses(self) -> tuple[str, ...]:
        return (self.email, *self.aliases)


@dataclass(frozen=True)
class Event:
    """One meeting; `starts` is timezone-aware in the event's own zone."""

    id: str
    title: str
    theme: str
    starts: datetime
    duration_minutes: int
    capacity: int
    invite_at: datetime | None  # None: at the first tick
    description: str = ""
    cancelled: bool = False
    cancel_note: str = ""
    rsvp_by: datetime | None = None  # after it the waiting line is closed
    # who has not answered hears again this long before rsvp_by
    nudge_before: timedelta = timedelta(days=2)
    offer_window_starts: timedelta = timedelta(
        hours=48
    )  # before the start: freed seats are offered
    offer_hours: int = 12  # how long an offered seat waits for its yes
    topic_label: str = ""  # only open issues with this label are this event's topics

    @property
    def offers_from(self) -> datetime:
        """From this moment a freed seat is offered to the first in line instead of given."""
        return self.starts - self.offer_window_starts

    def offer_expires(self, offered_at: datetime) -> datetime:
        return offered_at + timedelta(hours=self.offer_hours)

    @property
    def ends(self) -> datetime:
        return self.starts + timedelta(minutes=self.duration_minutes)

    @property
    def timezone(self) -> str:
        return str(self.starts.tzinfo)


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
    templates_dir: Path | None = None
    zoom: Zoom | None = None
    recording: Recording = field(default_factory=Recording)
    reminders: Reminders = field(default_factory=Reminders)
    github: GitHub | None = None

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
    organizer = read_table(data, "organizer")
    email = string(organizer, "organizer", "email", example='"rsvp@example.org"')
    if "@" not in email:
        raise ConfigError(
            "[organizer] email",
            f"is not an email address: {email!r}",
            'set email = "rsvp@example.org"',
        )
    db = read_table(data, "database", required=False)
    limits = read_table(data, "limits", required=False)
    templates = read_table(data, "templates", required=False)
    templates_dir = string(templates, "templates", "dir", default="")
    return Config(
        path=file.resolve(),
        organizer_name=string(organizer, "organizer", "name", default="Roundtable organizer"),
        organizer_email=email.lower(),
        smtp=_server(data, "smtp", default_port=587),
        imap=_server(data, "imap", default_port=993),
        database=base / string(db, "database", "path", default="mailer.db"),
        invitees=_invitees(data, base),
        events=_events(data),
        answers_per_sender_per_day=integer(
            limits, "limits", "answers_per_sender_per_day", default=10, minimum=1
        ),
        templates_dir=(base / templates_dir) if templates_dir else None,
        zoom=config_meeting.zoom(data),
        recording=config_meeting.recording(data),
        reminders=config_meeting.reminders(data),
        github=config_meeting.github(data),
    )


def _server(data: dict[str, Any], section: str, default_port: int) -> ServerSettings:
    table = read_table(data, section)
    host = string(table, section, "host", example='"mail.example.org"')
    if not host:
        raise ConfigError(f"[{section}] host", "is empty", f'set host = "{section}.example.org"')
    port = integer(table, section, "port", default=default_port, minimum=1)
    if port > 65535:
        raise ConfigError(
            f"[{section}] port", f"must be at most 65535, got {port}", f"set port = {default_port}"
        )
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
    password_env = string(table, section, "password_env", default="")
    if username and not password_env:
        raise ConfigError(
            f"[{section}] password_env",
            "is missing, so there is no password for the login",
            f'set password_env = "MAILER_{section.upper()}_PASSWORD" and put the password in that environment variable',
        )
    return ServerSettings(
        section=section,
        host=host,
        port=port,
        security=security,
        username=username,
        password_env=password_env,
        timeout_seconds=float(timeout),
        folder=string(table, section, "folder", default="INBOX") if section == "imap" else "INBOX",
        handled_folder=string(table, section, "handled_folder", default="")
        if section == "imap"
        else "",
    )


def _invitees(data: dict[str, Any], base: Path) -> tuple[Invitee, ...]:
    rows: list[tuple[str, dict[str, Any]]] = []
    listed = data.get("invitees", [])
    if not isinstance(listed, list):
        raise ConfigError(
            "[[invitees]]",
            "must be a list of tables",
            "write each person as [[invitees]] with name and email",
        )
    rows += [(f"[[invitees]] #{n}", row) for n, row in enumerate(listed, 1)]
    if "invitees_file" in data:
        rows += _invitees_csv(data["invitees_file"], base)
    if not rows:
        raise ConfigError(
            "[[invitees]]",
            "is missing",
            "add at least one [[invitees]] table with name and email, or invitees_file",
        )
    people: dict[str, Invitee] = {}
    owner: dict[str, str] = {}
    for where, row in rows:
        if not isinstance(row, dict):
            raise ConfigError(where, "must be a table", "give it name and email keys")
        email = str(row.get("email", "")).strip().lower()
        if "@" not in email:
            raise ConfigError(
                f"{where} email",
                f"is missing or not an address: {row.get('email')!r}",
                'set email = "person@example.com"',
            )
        aliases = row.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(
                f"{where} aliases",
                "must be a list of addresses",
                'write aliases = ["other@example.com"]',
            )
        invitee = Invitee(
            name=str(row.get("name", "")).strip() or email.partition("@")[0],
            email=email,
            github=str(row.get("github", "") or "").strip().lstrip("@"),
            aliases=tuple(a.strip().lower() for a in aliases),
            timezone=_zone_name(row, where),
        )
        for address in invitee.addresses:
            if address in owner and owner[address] != email:
                raise ConfigError(
                    f"{where} email",
                    f"{address} is listed for two people",
                    "keep each address for one person",
                )
            owner[address] = email
        people[email] = invitee  # a later row for the same address replaces the earlier one
    return tuple(people.values())


def _zone_name(row: dict[str, Any], where: str) -> str:
    name = str(row.get("timezone", "") or "").strip()
    if name:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"{where} timezone",
                f"is not a known time zone: {name!r}",
                'use an IANA name such as "Europe/Prague"',
            ) from exc
    return name


def _invitees_csv(value: Any, base: Path) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(value, str):
        raise ConfigError(
            "invitees_file", f"must be a path, got {value!r}", 'set invitees_file = "invitees.csv"'
        )
    path = base / value
    if not path.exists():
        raise ConfigError(
            "invitees_file",
            f"{path} does not exist",
            "create it with a header line name,email,github",
        )
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "email" not in reader.fieldnames:
            raise ConfigError(
                "invitees_file",
                f"{path} has no 'email' column",
                "start the file with the line name,email,github",
            )
        return [(f"invitees_file line {n}", dict(row)) for n, row in enumerate(reader, 2)]


def _events(data: dict[str, Any]) -> tuple[Event, ...]:
    listed = data.get("events")
    if not listed:
        raise ConfigError(
            "[[events]]",
            "is missing",
            "add an [[events]] table with id, title, starts and timezone",
        )
    if not isinstance(listed, list):
        raise ConfigError(
            "[[events]]", "must be a list of tables", "write each meeting as [[events]]"
        )
    events: list[Event] = []
    for n, row in enumerate(listed, 1):
        where = f"[[events]] #{n}"
        if not isinstance(row, dict):
            raise ConfigError(where, "must be a table", "give it id, title, starts and timezone")
        event_id = string(row, where, "id", example='"2026-12-velocity"')
        if not event_id or any(c in event_id for c in "/ <>@"):
            raise ConfigError(
                f"{where} id",
                f"must be a short name without spaces, / or @, got {event_id!r}",
                'set id = "2026-12-velocity"',
            )
        if any(e.id == event_id for e in events):
            raise ConfigError(
                f"{where} id", f"{event_id!r} is used twice", "give every event its own id"
            )
        where = f"[[events]] {event_id}"
        zone_name = string(row, where, "timezone", example='"America/New_York"')
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"{where} timezone",
                f"is not a known time zone: {zone_name!r}",
                'use an IANA name such as "Europe/Prague"',
            ) from exc
        title = string(row, where, "title", example='"Peer-to-peer roundtable"')
        events.append(
            Event(
                id=event_id,
                title=title,
                theme=string(row, where, "theme", default=title),
                starts=local_time(row, where, "starts", zone),
                duration_minutes=integer(row, where, "duration_minutes", default=75, minimum=1),
                capacity=integer(row, where, "capacity", default=12, minimum=1),
                invite_at=local_time(row, where, "invite_at", zone) if "invite_at" in row else None,
                description=string(row, where, "description", default=""),
                cancelled=boolean(row, where, "cancelled", False),
                cancel_note=string(row, where, "cancel_note", default=""),
                rsvp_by=local_time(row, where, "rsvp_by", zone) if "rsvp_by" in row else None,
                nudge_before=duration(row, where, "nudge_before", "2d"),
                offer_window_starts=duration(row, where, "offer_window_starts", "48h"),
                offer_hours=integer(row, where, "offer_hours", default=12, minimum=1),
                topic_label=string(row, where, "topic_label", default=""),
            )
        )
    return tuple(events)
