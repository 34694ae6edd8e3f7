"""The people in config.toml: [[invitees]] tables, the invitees_file CSV, aliases and zones.

Separate from config.py (servers, files, the whole `Config`) so that who is invited, under which
addresses and in which time zone, is read and checked in one place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailer.config import keys as config_keys
from mailer.config.addresses import address, named
from mailer.config.schema import check_columns, row_label
from mailer.config.values import time_zone
from mailer.errors import ConfigError


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


def invitees(data: dict[str, Any], base: Path) -> tuple[Invitee, ...]:
    rows: list[tuple[str, dict[str, Any]]] = []
    listed = data.get("invitees", [])
    if not isinstance(listed, list):
        raise ConfigError(
            "[[invitees]]",
            "must be a list of tables",
            "write each person as [[invitees]] with name and email",
        )
    section = config_keys.section("invitees")
    rows += [
        (row_label(section, n, row) if isinstance(row, dict) else f"[[invitees]] #{n}", row)
        for n, row in enumerate(listed, 1)
    ]
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
        written, name = row.get("email"), str(row.get("name", "") or "").strip()
        pair = named(written) if isinstance(written, str) and not name else None
        if pair is not None:  # "Ada Example <ada@example.com>": the name and the address
            name, written = pair
        email = address(written, where, "email")
        aliases = row.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(
                f"{where} aliases",
                "must be a list of addresses",
                'write aliases = ["other@example.com"]',
            )
        form = 'aliases = ["{}"]'
        invitee = Invitee(
            name=name or email.partition("@")[0],
            email=email,
            github=str(row.get("github", "") or "").strip().lstrip("@"),
            aliases=tuple(address(a, where, "aliases", "other@example.com", form) for a in aliases),
            timezone=_zone_name(row, where),
        )
        for known in invitee.addresses:
            if known in owner and owner[known] != email:
                raise ConfigError(
                    f"{where} email",
                    f"{known} is listed for two people",
                    "keep each address for one person",
                )
            owner[known] = email
        people[email] = invitee  # a later row for the same address replaces the earlier one
    return tuple(people.values())


def _zone_name(row: dict[str, Any], where: str) -> str:
    name = str(row.get("timezone", "") or "").strip()
    if name:
        time_zone(name, where)
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
        if reader.fieldnames:
            check_columns(list(reader.fieldnames), "invitees_file column")
        if not reader.fieldnames or "email" not in reader.fieldnames:
            raise ConfigError(
                "invitees_file",
                f"{path} has no 'email' column",
                "start the file with the line name,email,github",
            )
        return [(f"invitees_file line {n}", dict(row)) for n, row in enumerate(reader, 2)]
