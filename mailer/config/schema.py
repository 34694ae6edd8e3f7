"""What the key table (keys.py) gives: the unknown-name check, the JSON Schema and the README's table.

`check_names` runs before any value is read, so a typo ("capacty", "[zooom]", "[[invitee]]")
is named with the closest known name instead of being ignored while a default takes its place.
`json_schema()` is shipped as config.schema.json (regenerate it with
`python -m mailer.config > config.schema.json`; a test fails when the file is stale), so
editors that read `#:schema` (Taplo, VS Code's Even Better TOML) check keys while one types.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from mailer.config.addresses import valid
from mailer.config.keys import CSV_COLUMNS, SECTIONS, TOP_KEYS, Key, Section
from mailer.errors import ConfigError

_SPAN = r"^(?=.*\d)\s*(\d+\s*d)?\s*(\d+\s*h)?\s*(\d+\s*m)?\s*$"
_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$"


def _closest(name: str, known: list[str]) -> str | None:
    found = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return found[0] if found else None


def _home_of(name: str) -> str | None:
    """Where a known key really belongs, when it was written under the wrong table."""
    if any(k.name == name for k in TOP_KEYS):
        return "at the top of the file, above the first [table]"
    homes = [s.header for s in SECTIONS if s.key(name) is not None]
    return f"in {homes[0]}" if len(homes) == 1 else None


def unknown(where: str, name: str, known: list[str], what: str = "key") -> ConfigError:
    """The error for a name that is not in `known`: the closest one, or where it belongs."""
    place = f"{where} {name}:" if where else f"{name}:"
    guess = _closest(name, known)
    if guess is not None:
        return ConfigError(place, f"no such {what}; did you mean {guess}?", f"rename it to {guess}")
    home = _home_of(name) if what == "key" else None
    if home is not None:
        return ConfigError(place, f"no such {what} here; it belongs {home}", "move it there")
    takes = f"{where} takes" if where else "the known names are"
    return ConfigError(place, f"no such {what}", f"remove it; {takes} {', '.join(known)}")


def row_label(section: Section, n: int, row: dict[str, Any]) -> str:
    """How one table of a [[list]] is named in messages: by its id or email, else by number."""
    own = row.get("id" if section.name == "events" else "email")
    readable = section.name == "events" or (isinstance(own, str) and valid(own) is None)
    if isinstance(own, str) and own.strip() and len(own) < 80 and readable:
        return f"{section.header} {own.strip()}"
    return f"{section.header} #{n}"


def check_names(data: dict[str, Any]) -> None:
    """Raise a ConfigError for the first section or key that keys.py does not know."""
    by_name = {s.name: s for s in SECTIONS}
    top = [k.name for k in TOP_KEYS]
    for name, value in data.items():
        if name in top:
            continue
        section = by_name.get(name)
        if section is None:
            many = isinstance(value, list) and all(isinstance(v, dict) for v in value) and value
            if isinstance(value, dict) or many:
                shown = f"[[{name}]]" if many else f"[{name}]"
                headers = [s.header for s in SECTIONS]
                guess = _closest(shown, headers)
                fix = (
                    f"rename it to {guess}"
                    if guess
                    else f"remove it; the tables are {', '.join(headers)}"
                )
                hint = f"; did you mean {guess}?" if guess else ""
                raise ConfigError(f"{shown}:", f"no such table{hint}", fix)
            raise unknown("", name, top + [s.name for s in SECTIONS])
        rows = value if section.many and isinstance(value, list) else [value]
        for n, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                continue  # the section's reader says what shape it must have
            where = row_label(section, n, row) if section.many else section.header
            known = [k.name for k in section.keys]
            for key in row:
                if key not in known:
                    raise unknown(where, key, known)


def check_columns(columns: list[str], where: str) -> None:
    """invitees_file's header line may only name the columns keys.py lists."""
    for column in columns:
        if column.strip() not in CSV_COLUMNS:
            raise unknown(where, column.strip(), list(CSV_COLUMNS), what="column")


def _value_schema(key: Key) -> dict[str, Any]:
    kind = key.kind
    span: dict[str, Any] = {"type": "string", "pattern": _SPAN}
    simple: dict[str, dict[str, Any]] = {
        "text": {"type": "string"},
        "login": {"type": "string"},
        "zone": {"type": "string"},
        "address": {"type": "string", "format": "email"},
        "number": {"type": "number", "exclusiveMinimum": 0},
        "boolean": {"type": "boolean"},
        "span": span,
        "time": {"type": "string", "pattern": _TIME},
        "choice": {"type": "string", "enum": list(key.choices)},
        "texts": {"type": "array", "items": {"type": "string"}},
        "addresses": {"type": "array", "items": {"type": "string", "format": "email"}},
        "spans": {"type": "array", "items": span},
        "integer": {"type": "integer"},
    }
    schema = dict(simple[kind])
    if key.minimum is not None:
        schema["minimum"] = key.minimum
    if key.maximum is not None:
        schema["maximum"] = key.maximum
    schema["description"] = key.doc
    if key.default is not None:
        schema["default"] = key.default
    return schema


def _table_schema(doc: str, keys: tuple[Key, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": doc,
        "properties": {k.name: _value_schema(k) for k in keys},
        "required": [k.name for k in keys if k.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07, which Taplo reads) of config.toml, from config_keys."""
    properties: dict[str, Any] = {k.name: _value_schema(k) for k in TOP_KEYS}
    for section in SECTIONS:
        table = _table_schema(section.doc, section.keys)
        if section.many:
            properties[section.name] = {
                "type": "array",
                "description": section.doc,
                "items": table,
                "minItems": 1 if section.required else 0,
            }
        else:
            properties[section.name] = table
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "roundtable mailer config.toml",
        "type": "object",
        "properties": properties,
        "required": [s.name for s in SECTIONS if s.required],
        "additionalProperties": False,
    }


def schema_text() -> str:
    """config.schema.json as shipped: the schema, indented, with a final newline."""
    return json.dumps(json_schema(), indent=2) + "\n"


def markdown() -> str:
    """The README's table of every key: section, key, default, what it is."""
    lines = ["| table | key | default | what it is |", "| --- | --- | --- | --- |"]
    for section in SECTIONS:
        for key in section.keys:
            default = "required" if key.required else _shown(key.default)
            lines.append(f"| `{section.header}` | `{key.name}` | {default} | {key.doc} |")
    for key in TOP_KEYS:
        lines.append(f"| (top) | `{key.name}` | {_shown(key.default)} | {key.doc} |")
    return "\n".join(lines) + "\n"


def _shown(default: Any) -> str:
    return "-" if default is None else f"`{json.dumps(default)}`"
