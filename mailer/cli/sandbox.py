"""`mailer sandbox`: the whole loop on loopback servers, with no accounts."""

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
    help="Where to leave the sent emails (.eml) and the database.",
)
def sandbox(out_dir: str) -> None:
    """Try the whole loop with no accounts: local mail servers, example people, their replies.

    Example: mailer sandbox --out /tmp/roundtable-demo
    """
    from mailer.sandbox.tour import run

    with user_errors():
        run(Path(out_dir), click.echo)
