"""One worker per database: a lock file beside it, held with flock for the worker's life.

The file holds the holder's pid and start time, so a second `mailer run` can say who runs
("pid 4242 since 2026-12-01 09:00:00") instead of a bare "locked". flock is released by the
kernel when the process dies, however it dies, so a stale file never blocks a new worker.
It is not the tick's own lock (runtime.exclusive): the worker's ticks take that one in turn.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from mailer.errors import DatabaseError, MailerError


class WorkerRunning(MailerError):
    """Another `mailer run` holds this database."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".worker")


@contextlib.contextmanager
def only_worker(database: Path, now: datetime) -> Iterator[None]:
    """Hold the worker lock of `database`, or raise WorkerRunning naming the holder."""
    path = lock_path(database)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        # Made by another user: flock needs only a descriptor; the pid is then not written.
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            raise DatabaseError(
                f"[database] path: cannot open {path}. Fix: run the worker as the user that owns "
                "it, or give that user the file and its folder"
            ) from None
    except OSError as exc:
        raise DatabaseError(
            f"[database] path: cannot create {path} ({exc.strerror}). Fix: check that the folder exists and is writable"
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise WorkerRunning(
                f"another worker runs on {database.name}: {holder} (lock {path}). Fix: stop that one first, or give this config its own [database] path"
            ) from None
        writable = os.access(path, os.W_OK)
        if writable:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()} since {now:%Y-%m-%d %H:%M:%S}\n".encode(), 0)
        try:
            yield
        finally:
            if writable:
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the flock
