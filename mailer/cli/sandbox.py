"""`mailer sandbox`: the whole story on loopback servers, with no accounts."""

from __future__ import annotations

from pathlib import Path

import click

from mailer.cli.group import CONTEXT, main, user_errors


@main.command(context_settings=CONTEXT)
@click.option(
    "--out",
    "out_dir",
    default="sandbox-output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to leave the sent emails (.eml), the archive and the database.",
)
def sandbox(out_dir: str) -> None:
    """Try the whole story with no accounts: local mail and GitHub servers, twenty example
    people, a month of their replies in seconds, then the real worker answering under IDLE.

    Example: mailer sandbox --out /tmp/roundtable-demo
    """
    from mailer.sandbox.tour import run

    with user_errors():
        run(Path(out_dir))
