"""Reading single values out of parsed TOML, each problem a ConfigError naming the key and the fix.

Shared by the package (servers), people.py, events.py and meeting.py, so
every key in config.toml is checked and reported the same way.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailer.errors import ConfigError


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
        shown = f'"{value}"' if isinstance(value, int | float) else '"..."'
        raise ConfigError(
            f"{where} {key}", f"must be text, got {value!r}", f"put it in quotes: {key} = {shown}"
        )
    return value.strip()


def integer(
    table: dict[str, Any],
    section: str,
    key: str,
    default: int | None = None,
    minimum: int = 0,
    maximum: int | None = None,
) -> int:
    """A whole number; each mistake's fix keeps the user's meaning when it is clear."""
    value = table.get(key, default)
    name = f"{where_of(section)} {key}"
    if value is None:
        raise ConfigError(name, "is missing", f"add {key} = <number> under {where_of(section)}")
    span = f"a number from {minimum} to {maximum}" if maximum else "a whole number"
    if isinstance(value, bool) or not isinstance(value, int):
        meant = _meant_integer(value)
        if meant is not None:
            fix = f"set {key} = {max(meant, minimum)}"
        elif maximum is not None:  # a port: any example would be someone else's number
            fix = f"write your server's {key} as a number, without quotes"
        else:
            fix = f"write a number, e.g. {key} = {default if default is not None else minimum}"
        raise ConfigError(name, f"must be {span}, got {value!r}", fix)
    if value < minimum or (maximum is not None and value > maximum):
        limit = f"from {minimum} to {maximum}" if maximum else f"at least {minimum}"
        fix = f"use a number {limit}" if maximum else f"set {key} = {minimum}"
        raise ConfigError(name, f"must be {limit}, got {value}", fix)
    return value


def _meant_integer(value: Any) -> int | None:
    """The whole number a quoted "12", a 12.0 or a 12.5 (seats, minutes: 12) stands for."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return None


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
    elif isinstance(value, date) or (isinstance(value, str) and _DATE_ONLY.match(value)):
        # "2026-12-10" alone would silently mean midnight
        raise ConfigError(
            f"{where} {key}",
            f"has a date but no time of day: {str(value)!r}",
            f'write it as {key} = "{value}T17:00:00" with the time you mean',
        )
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


_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
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


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def boolean(table: dict[str, Any], section: str, key: str, default: bool) -> bool:
    """true or false; "yes" or 1 is refused, with the fix that keeps what was meant."""
    value = table.get(key, default)
    if isinstance(value, bool):
        return value
    said = str(value).strip().lower() if isinstance(value, str | int) else ""
    if said in _TRUE or said in _FALSE:
        fix = f"set {key} = {'true' if said in _TRUE else 'false'} (no quotes)"
    else:
        fix = f"set {key} = true or {key} = false"
    raise ConfigError(f"{where_of(section)} {key}", f"must be true or false, got {value!r}", fix)
