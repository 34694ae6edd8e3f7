"""The `mailer` command: parse, call the library, print; results on stdout, logs on stderr.

One module per group of commands: worker (tick, run, check, status), explain, takeaways (digest,
archive), organizer (preview, announce), forget, sandbox, setup (init); group.py holds the
command group and what every command shares.
"""

from mailer.cli import (  # noqa: F401  (each registers its commands)
    explain,
    forget,
    organizer,
    sandbox,
    setup,
    takeaways,
    worker,
)
from mailer.cli.group import main

__all__ = ["main"]
