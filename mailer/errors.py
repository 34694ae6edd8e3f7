"""The exceptions the product raises, one root and a subclass per condition.

Adapters turn library errors into `TransientError` (try again later: 4xx, timeouts, a dropped
connection, a rate limit) or `PermanentError` (do not retry: 5xx, a refused login), so the tick
chooses retry or failed by type alone. `ConfigError` names the key and the fix for the organizer.
"""

from __future__ import annotations


class MailerError(Exception):
    """Root of every error this product raises on purpose."""


class ConfigError(MailerError):
    """config.toml is missing, unreadable or has a wrong value; `key` names it, `fix` says how."""

    def __init__(self, key: str, problem: str, fix: str = "") -> None:
        self.key = key
        self.problem = problem
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.key} {self.problem}" if self.key else self.problem
        if not self.fix:
            return text
        # "did you mean enabled?" ends a sentence already
        return f"{text}{'' if text.endswith(('?', '.')) else '.'} Fix: {self.fix}"


class DatabaseError(MailerError):
    """The SQLite file cannot be used: missing, locked by another program, read-only, damaged."""


class ServerError(MailerError):
    """A mail server refused or could not be reached; `server` is "smtp" or "imap"."""

    def __init__(self, server: str, detail: str, code: int | None = None) -> None:
        self.server = server
        self.detail = detail
        self.code = code
        super().__init__(f"{server}: {detail}")


class TransientError(ServerError):
    """Worth retrying later: a timeout, a dropped connection, a 4xx answer."""


class PermanentError(ServerError):
    """Retrying will not help: a 5xx answer, a refused login, a missing folder."""
