"""The config the worker acts on: re-read when the file changes (or on SIGHUP), the last good one
kept while an edit has broken it.

A broken edit is said once, whatever the number of ticks until it is fixed; being fixed is said
once too. Reading is skipped while the file is unchanged (its mtime, size and inode), so a tick
a minute does not parse the file a minute.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from mailer import config as config_module
from mailer.adapters import secrets
from mailer.daemon.logs import event
from mailer.errors import ConfigError

DEFAULT_EVERY = timedelta(minutes=1)


@dataclass
class Settings:
    """The file's config, or the last good one while the file is broken."""

    path: Path
    good: config_module.Config | None = None
    broken: str = ""  # the problem last said about the file, so it is said once
    _seen: tuple[int, int, int] | None = None  # the file as last read

    def __post_init__(self) -> None:
        if self.good is not None:  # the CLI just read it: no need to read it again
            self._seen = _stamp(self.path)

    def current(self, force: bool = False) -> config_module.Config | None:
        """The config to act on; the file is read again when it changed, or when `force`d."""
        stamp = _stamp(self.path)
        if stamp == self._seen and not force:
            return self.good
        self._seen = stamp
        try:
            fresh = config_module.load(self.path)
        except ConfigError as exc:
            if exc.message != self.broken:
                self.broken = exc.message
                kept = "keeps the last good config" if self.good else "waits"
                event(
                    logging.WARNING,
                    "config_broken",
                    f"{self.path.name}: {exc.message} (the worker {kept} until it is fixed)",
                    file=str(self.path),
                )
            return self.good
        if self.broken:
            self.broken = ""
            event(
                logging.INFO,
                "config_fixed",
                f"{self.path.name} is valid again; the worker uses it",
                file=str(self.path),
            )
        elif self.good is not None and fresh != self.good:
            event(logging.INFO, "config_reloaded", f"{self.path.name} re-read", file=str(self.path))
        if self.good is not None and fresh.database != self.good.database:
            # The worker's lock is on the database it started with: a second worker could take
            # the new one. Kept until a restart, and said (once per edit).
            event(
                logging.WARNING,
                "problem",
                f"{self.path.name}: [database] path changed to {fresh.database}; the worker keeps "
                f"{self.good.database} until it is restarted. Fix: restart the worker",
                file=str(self.path),
            )
            fresh = replace(fresh, database=self.good.database)
        self.good = fresh
        return fresh

    def every(self) -> timedelta:
        """[worker] tick_every of the config in force."""
        return self.good.tick_every if self.good is not None else DEFAULT_EVERY

    def secrets(self) -> list[str]:
        """The passwords and tokens the config points at, and those password_command printed,
        for the log's redactor."""
        good = self.good
        if good is None:
            return []
        found = [good.smtp.password(), good.imap.password(), *secrets.recent()]
        if good.github is not None:
            found.append(good.github.token())
        return [s for s in found if s]


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)
