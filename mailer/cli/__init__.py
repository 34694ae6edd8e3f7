"""The `mailer` command: parse, call the library, print; results on stdout, logs on stderr.

One module per group of commands: worker (tick, run, check, status), explain, takeaways (digest,
archive), organizer (preview, announce), sandbox; base holds the group and what they share.
"""

from mailer.cli import (  # noqa: F401  (each registers its commands)
    explain,
    organizer,
    sandbox,
    takeaways,
    worker,
)
from mailer.cli.base import main

__all__ = ["main"]
