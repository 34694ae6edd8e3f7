"""What the tour shows while it runs: a progress bar over the month on a terminal (rich), plain
lines when stdout is a file or a pipe, the roster as a table, and the closing notes.

Owns only presentation; the story (story.py) and the live worker (live.py) call `say` and `day`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

# Where a state sits in the roster table, and how it looks on a terminal.
STYLES = {
    "seated": "green",
    "offered": "green",
    "waitlisted": "yellow",
    "undecided": "cyan",
    "invited": "dim",
    "declined": "red",
    "cancelled": "red",
}


class Display:
    """The tour's screen: `say` a line, move the bar to `day`, show a `roster`; use `with`."""

    def __init__(self, days: int, console: Console | None = None) -> None:
        # Off a terminal (a pipe, CI, a test) lines stay plain and wide enough for the table.
        self.console = console or Console(
            highlight=False, width=None if sys.stdout.isatty() else 110
        )
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if self.console.is_terminal:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("day {task.completed:.0f} of {task.total:.0f}"),
                TimeElapsedColumn(),
                console=self.console,
            )
            self._task = self._progress.add_task("the month", total=days)

    def __enter__(self) -> Display:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.done()

    def done(self) -> None:
        """Stop the bar (it stays on screen, full); later lines print below it."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def say(self, text: str, style: str = "") -> None:
        """One line of the story (never read as rich markup: names may hold brackets)."""
        self.console.print(Text(text, style=style), soft_wrap=True)

    def heading(self, text: str) -> None:
        self.console.print(Text(f"\n{text}", style="bold"))

    def day(self, number: float, what: str) -> None:
        """Move the bar to `number` days into the month, labelled with what happens."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=number, description=what)

    def roster(self, event: Mapping[str, Any], zones: Mapping[str, str]) -> None:
        """The event's roster from `mailer status --json`'s shape, one row per person."""
        table = Table(title=f"{event['title']}: {_seated(event)} of {event['capacity']} seats")
        for column in ("state", "#", "name", "time zone", "recording", "GitHub"):
            table.add_column(column)
        for row in event["attendees"]:
            table.add_row(
                Text(row["state"], style=STYLES.get(row["state"], "")),
                str(row["position"] or ""),
                row["name"],
                zones.get(row["email"], ""),
                row["consent"] or "",
                row["github"] or "",
            )
        self.console.print(table)

    def lines(self, lines: Iterable[str], style: str = "") -> None:
        for line in lines:
            self.say(line, style)


def _seated(event: Mapping[str, Any]) -> int:
    return sum(1 for a in event["attendees"] if a["state"] == "seated")
