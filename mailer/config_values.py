"""Reading single values out of parsed TOML, each problem a ConfigError naming the key and the fix.

Shared by config.py (servers), config_people.py, config_events.py and config_meeting.py, so
every key in config.toml is checked and reported the same way.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError


def table(data: dict[str, Any], name: str, required: bool = True) -> dict[str, Any]:
    value = data.get(name)
    if value is None:
        if required:
            raise ConfigError(
                f"[{name}]", "is missing", f"add a [{name}] table as in the example config.toml"
            )
        return {}
    if not isinstance(value, dict):
        raise ConfigError(
            f"[{name}]", "must be a table", f"write it as [{name}] followed by its keys"
        )
    return value


def where_of(section: str) -> str:
    """How a table is named in messages: "[imap]", or "[[events]] 2026-12-velocity" as given."""
    return section if section.startswith("[") else f"[{section}]"


def string(
    table: dict[str, Any], section: str, key: str, default: str | None = None, example: str = ""
) -> str:
    value = table.get(key, default)
    where = where_of(section)
    if value is None:
        raise ConfigError(
            f"{where} {key}", "is missing", f"add {key} = {example or '...'} under {where}"
        )
    if not isinstance(value, str):
        raise ConfigError(
            f"{where} {key}",
            f"must be text, got {value!r}",
            f'put the value in quotes: {key} = "..."',
        )
    return value.strip()


def integer(
    table: dict[str, Any], section: str, key: str, default: int | None = None, minimum: int = 0
) -> int:
    value = table.get(key, default)
    where = where_of(section)
    if value is None:
        raise ConfigError(f"{where} {key}", "is missing", f"add {key} = <number> under {where}")
    if isinstance(value, bool) or not isinstance(value, int):
        shown = default if default is not None else minimum
        raise ConfigError(
            f"{where} {key}", f"must be a number, got {value!r}", f"set {key} = {shown}"
        )
    if value < minimum:
        raise ConfigError(
            f"{where} {key}",
            f"must be at least {minimum}, got {value}",
            f"set {key} = {max(minimum, 1)}",
        )
    return value


def local_time(row: dict[str, Any], where: str, key: str, zone: ZoneInfo) -> datetime:
    value = row.get(key)
    if value is None:
        raise ConfigError(
            f"{where} {key}",
            "is missing",
            f'add {key} = "2026-12-10T17:00:00" (local time in the event\'s timezone)',
        )
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ConfigError(
                f"{where} {key}",
                f"is not a date and time: {value!r}",
                f'write it as {key} = "2026-12-10T17:00:00"',
            ) from exc
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed.astimezone(zone)


_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")


def duration(table: dict[str, Any], section: str, key: str, default: str) -> timedelta:
    """A span written like "7d", "1h", "30m" or "1d12h"."""
    return parse_duration(table.get(key, default), f"{where_of(section)} {key}", key)


def parse_duration(value: Any, name: str, key: str) -> timedelta:
    found = _DURATION.match(value) if isinstance(value, str) else None
    if found is None or not any(found.groups()):
        raise ConfigError(
            name,
            f'must be a span like "7d", "1h" or "30m", got {value!r}',
            f'write it as {key} = "1d"',
        )
    days, hours, minutes = (int(part or 0) for part in found.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def time_zone(name: str, where: str) -> ZoneInfo:
    """An IANA time zone by name, or a ConfigError naming `where`'s timezone key."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"{where} timezone",
            f"is not a known time zone: {name!r}",
            'use an IANA name such as "Europe/Prague"',
        ) from exc


def boolean(table: dict[str, Any], section: str, key: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(
            f"{where_of(section)} {key}",
            f"must be true or false, got {value!r}",
            f"set {key} = {str(default).lower()}",
        )
    return value
