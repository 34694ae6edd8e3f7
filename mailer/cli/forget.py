"""`mailer forget EMAIL`: the organizer's way to do what a reply asking to be forgotten does."""

from __future__ import annotations

import click

from mailer.cli.group import CONTEXT, fail, load_config, main, parse_now, user_errors


@main.command(context_settings=CONTEXT)
@click.argument("address", metavar="EMAIL")
@click.option("--now", "now_text", metavar="ISO-8601", help="Act as if it were this time.")
@click.pass_context
def forget(ctx: click.Context, address: str, now_text: str | None) -> None:
    """Forget a person: no more invitations, their seat freed, their stored data erased (a keyed
    hash kept so they are never invited again), GitHub access withdrawn, one confirmation sent.

    Example: mailer forget ada@example.com
    """
    from mailer.composing import compose
    from mailer.config.addresses import looks_like_address
    from mailer.runtime import TickRunning, exclusive, run_tick
    from mailer.steps import forget as forgetting
    from mailer.steps.messages import Handler
    from mailer.store import Store, database_errors

    if not looks_like_address(address):
        fail(
            f"EMAIL {address!r} is not an email address. Fix: give the address, e.g. ada@example.com"
        )
    cfg = load_config(ctx)
    now = parse_now(now_text)
    with user_errors(), database_errors(cfg.database):
        # Under the tick lock: a worker's tick in hand must not decide on rows erased under it.
        with exclusive(cfg.database):
            store = Store(cfg.database)
            try:
                env = compose.environment(compose.templates_dir(cfg))
                handler = Handler(cfg, store, env, now, [])
                note = forgetting.forget(handler, address, now, "command")
            finally:
                store.close()
        click.echo(f"{note}; sending the confirmation now")
        try:
            summary = run_tick(cfg, now)
        except TickRunning:
            click.echo("The worker's tick is running: it sends the confirmation.")
            return
    click.echo("\n".join(summary.lines()))
    if cfg.invitee_for(address) is not None:
        click.echo(f"Remove {address} from {cfg.path.name}: they are no longer invited.")
