"""`mailer explain`: how each saved message is read and what the next tick would do with it."""

from __future__ import annotations

import json
import sys

import click

from mailer.cli.group import CONTEXT, main, parse_now


@main.command(context_settings=CONTEXT)
@click.argument("messages", nargs=-1, required=True, metavar="MESSAGE.eml...")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message, one a line.")
@click.option(
    "--now",
    "now_text",
    metavar="ISO-8601",
    help="Decide as if the message arrived at this time (default: the real clock).",
)
@click.pass_context
def explain(
    ctx: click.Context, messages: tuple[str, ...], as_json: bool, now_text: str | None
) -> None:
    """How each message is read and why, and what a tick would do with it; changes nothing.

    Reads the config (-c) and, when there is one, the database, inside a transaction that is
    rolled back. A file that cannot be read is named, the others still explained, exit status 1.

    Example: mailer -c config.toml explain --json reply.eml
    """
    from mailer.reports import explain as explaining
    from mailer.reports import explain_text as printing

    now = parse_now(now_text)
    unreadable = 0
    with explaining.setting(ctx.obj) as where:
        for path in messages:
            raw = explaining.read_message(path)
            if isinstance(raw, str):
                unreadable += 1
                if as_json:
                    click.echo(json.dumps({"file": path, "error": raw}))
                else:
                    click.echo(f"Error: {raw}. Fix: check the path", err=True)
                continue
            result = explaining.explain(raw, where, now)
            if as_json:
                click.echo(json.dumps(printing.as_json(path, result)))
            else:
                click.echo(printing.as_text(path, result))
    if unreadable:
        sys.exit(1)
