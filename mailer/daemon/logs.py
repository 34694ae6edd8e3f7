"""The worker's log: one line per thing a person cares about, as text or as JSON, never a secret.

At INFO a person sees what happened to people and to the servers: sent, seated, promoted,
waitlisted, bounced, failed, retrying, recovered, and the config being re-read. The tick's own
records (queued, decided, send ...) are turned into those events here, so the tick stays unaware
of how the worker reports; the rest of its chatter shows only with --verbose. `--log-format json`
writes one object per line (time, level, event, message, then the event's fields) for collectors.
Every line passes through the redactor: any known secret is replaced by *** before it is written.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from mailer import clock
from mailer.steps.messages import DECIDED
from mailer.steps.outgoing import QUEUED
from mailer.tick import SENT

log = logging.getLogger("mailer.worker")

FORMATS = ("text", "json")
# Kinds of answer whose queuing says what became of the person who wrote.
_STANDING = {"seated": "seated", "promoted": "promoted", "waitlisted": "waitlisted"}
_BOUNCE = ("delivery to ", "delivery failure", "delivery delayed")


def event(level: int, name: str, message: str, **fields: Any) -> None:
    """Log one worker event: `name` for collectors, `message` for people, `fields` for both."""
    log.log(level, message, extra={"event": name, "fields": fields})


def setup(
    fmt: str = "text",
    verbose: bool = False,
    secrets: Callable[[], Iterable[str]] = lambda: (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Send every log record to `stream` (stderr) in `fmt`, replacing what the CLI set up."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(_Events(verbose))
    handler.setFormatter(_Json(secrets) if fmt == "json" else _Text(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # Libraries' own debug logs carry protocol traffic (message bodies): never in ours.
    for chatty in ("imapclient", "github", "urllib3", "asyncio", "mail.log", "flufl.bounce"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return handler


class _Events(logging.Filter):
    """Names each record's event; drops the tick's chatter unless verbose."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "event", None):
            return True
        if _translate(record):
            return True
        record.event, record.fields = "log", {"logger": record.name}
        return self.verbose or record.levelno >= logging.WARNING


def _translate(record: logging.LogRecord) -> bool:
    """Turn a tick record a person cares about into its event, in place; False for the rest."""
    args = record.args if isinstance(record.args, tuple) else ()
    if record.msg == SENT and len(args) == 3:
        key, status, detail = (str(a) for a in args)
        if status == "sent":
            return _named(record, "sent", _about(key), "sent {kind} to {person} ({meeting})")
        if status == "failed":
            fields = {**_about(key), "detail": detail}
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            return _named(record, "failed", fields, "{kind} to {person} refused for good: {detail}")
    if record.msg == QUEUED and len(args) == 2:
        fields = _about(str(args[0]))
        name = _STANDING.get(fields["kind"])
        if name:
            return _named(record, name, fields, "{person} " + name + " ({meeting})")
    if record.msg == DECIDED and len(args) == 3:
        outcome = str(args[2])
        if outcome.startswith(_BOUNCE):
            fields = {"message_id": str(args[0]), "outcome": outcome}
            return _named(record, "bounced", fields, "bounce {message_id}: {outcome}")
    return False


def _about(key: str) -> dict[str, str]:
    event_id, person, kind, _ = ([*key.split("/"), "", "", ""])[:4]
    return {"meeting": event_id or "-", "person": person, "kind": kind, "key": key}


def _named(record: logging.LogRecord, name: str, fields: dict[str, str], text: str) -> bool:
    record.event, record.fields = name, fields
    record.msg, record.args = text.format(**fields), ()
    if record.levelno < logging.INFO:
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


class _Redacting(logging.Formatter):
    def __init__(self, secrets: Callable[[], Iterable[str]]) -> None:
        super().__init__()
        self.secrets = secrets

    def redact(self, text: str) -> str:
        # Short values would blank out ordinary words; real passwords and tokens are longer.
        for secret in sorted((s for s in self.secrets() if len(s) >= 4), key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        fields: dict[str, Any] = dict(getattr(record, "fields", {}) or {})
        if record.exc_info and record.levelno <= logging.DEBUG:
            fields["traceback"] = self.formatException(record.exc_info)
        return fields


class _Text(_Redacting):
    def format(self, record: logging.LogRecord) -> str:
        line = f"{clock.now():%Y-%m-%d %H:%M:%S} {record.levelname} {record.getMessage()}"
        trace = self.fields(record).get("traceback")
        return self.redact(line + (f"\n{trace}" if trace else ""))


class _Json(_Redacting):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": clock.now().isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", "log"),
            "message": record.getMessage(),
            **self.fields(record),
        }
        # Redacted before encoding: JSON escapes would hide a secret holding a quote or a backslash.
        clean = {k: self.redact(v) if isinstance(v, str) else v for k, v in data.items()}
        return self.redact(json.dumps(clean, ensure_ascii=False, default=str))
