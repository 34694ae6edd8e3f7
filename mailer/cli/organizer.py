"""The organizer's tools: `preview` (any email, rendered, nothing sent) and `announce` (a one-off
note to a group, recorded and sent once like every email)."""

from __future__ import annotations

from pathlib import Path

import click

from mailer.cli.group import (
    CONTEXT,
    event_named,
    fail,
    load_config,
    main,
    parse_now,
    user_errors,
)


@main.command(context_settings=CONTEXT)
@click.argument("kind")
@click.option("--event", "event_id", metavar="ID", help="The event (default: the first).")
@click.option("--to", "to", metavar="EMAIL", help="The invitee (default: the first).")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Where to write the HTML body (default: preview-KIND.html).",
)
@click.option("--now", "now_text", metavar="TIME", help="Render as of this time.")
@click.pass_context
def preview(
    ctx: click.Context,
    kind: str,
    event_id: str | None,
    to: str | None,
    html_path: str | None,
    now_text: str | None,
) -> None:
    """Render any email with sample values: the text here, the HTML to a file; nothing is sent.

    Example: mailer preview seated --event 2026-12-velocity --to ada@example.org
    """
    from mailer.reports import preview as previews

    cfg = load_config(ctx)
    event = event_named(cfg, event_id)
    invitee = cfg.invitee_for(to) if to else (cfg.invitees[0] if cfg.invitees else None)
    if invitee is None:
        fail(f"--to {to!r} is not an invitee in {cfg.path.name}. Fix: use an address from it")
    assert invitee is not None
    with user_errors():
        try:
            shown = previews.render(cfg, kind, event, invitee, parse_now(now_text))
        except KeyError:
            fail(f"no email kind {kind!r}. Fix: use one of {', '.join(previews.kinds(cfg))}")
    out = Path(html_path or f"preview-{kind.replace('/', '-')}.html")
    out.write_text(shown.html, encoding="utf-8")
    click.echo(f"To: {shown.to}\nSubject: {shown.subject}\n\n{shown.text.rstrip()}\n")
    click.echo(f"HTML written to {out}", err=True)


@main.command(context_settings=CONTEXT)
@click.option("--event", "event_id", metavar="ID", required=True, help="The meeting.")
@click.option(
    "--to",
    "group",
    type=click.Choice(["seated", "waiting", "invited"]),
    required=True,
    help="Who gets it: the seated, those waiting, or everyone invited.",
)
@click.option(
    "--file",
    "note_path",
    type=click.Path(dir_okay=False, exists=True),
    required=True,
    help="The note: a '# Subject' line, then the text.",
)
@click.option("--now", "now_text", metavar="ISO-8601", help="Act as if it were this time.")
@click.pass_context
def announce(
    ctx: click.Context, event_id: str, group: str, note_path: str, now_text: str | None
) -> None:
    """Send a one-off note to a group of a meeting's people, once (running it again sends nothing).

    Example: mailer announce --event 2026-12-velocity --to seated --file note.md
    """
    from mailer.runtime import run_tick
    from mailer.steps.announce import announce as record
    from mailer.store import Store, database_errors

    cfg = load_config(ctx)
    now = parse_now(now_text)
    event = event_named(cfg, event_id)
    text = Path(note_path).read_text(encoding="utf-8")
    with user_errors(), database_errors(cfg.database):
        store = Store(cfg.database, create=False)
        try:
            recorded = record(cfg, store, event, group, text, now)
        finally:
            store.close()
        click.echo(f"recorded for {len(recorded)} people (--to {group}); sending now")
        summary = run_tick(cfg, now)
    click.echo("\n".join(summary.lines()))
