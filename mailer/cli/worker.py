"""`mailer tick`, `run`, `check` and `status`: the worker, its checks, and the roster it keeps."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import timedelta

import click

from mailer import clock
from mailer import config as config_module
from mailer.cli.group import (
    CONTEXT,
    event_named,
    fail,
    load_config,
    main,
    parse_now,
    user_errors,
)
from mailer.config import ServerSettings
from mailer.config import events as config_events
from mailer.errors import ConfigError, MailerError, ServerError


@main.command(context_settings=CONTEXT)
@click.option(
    "--now",
    "now_text",
    metavar="ISO-8601",
    help="Act as if it were this time (default: the real clock).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be sent and change nothing.")
@click.pass_context
def tick(ctx: click.Context, now_text: str | None, dry_run: bool) -> None:
    """One pass: read new mail, update the roster, send what is due.

    Example: mailer tick --now 2026-11-25T14:00:00+00:00
    """
    cfg = load_config(ctx)
    now = parse_now(now_text)
    from mailer.runtime import run_tick

    with user_errors():
        summary = run_tick(cfg, now, dry_run=dry_run)
    if dry_run:
        click.echo(f"dry run at {now.isoformat()}: nothing was changed or sent")
        for key, recipient, subject in summary.queued:
            click.echo(f"would send {key} to {recipient}: {subject}")
    for line in summary.lines():
        click.echo(line)
    if summary.problems and not dry_run:
        sys.exit(1)  # so cron and systemd tell the organizer; what could be done was done


@main.command(context_settings=CONTEXT)
@click.option("--event", "event_id", metavar="ID", help="Only this event.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON document instead of a table.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: one row per person per event.")
@click.pass_context
def status(ctx: click.Context, event_id: str | None, as_json: bool, as_csv: bool) -> None:
    """Who is seated, who waits, who declined, who has not answered, what could not be read.

    Example: mailer status --event 2026-12-velocity --json   (or --csv > roster.csv)
    """
    from mailer.reports import status as status_module
    from mailer.store import Store, database_errors

    cfg = load_config(ctx)
    if event_id is not None:
        event_named(cfg, event_id)
    with user_errors(), database_errors(cfg.database):
        store = Store(cfg.database, create=False)  # status only reads: a typo'd path is named
        try:
            data = status_module.report(cfg, store, event_id)
        finally:
            store.close()
    if as_csv:
        from mailer.reports.status_csv import to_csv

        click.echo(to_csv(data), nl=False)
        return
    click.echo(json.dumps(data, indent=2) if as_json else status_module.table(data), nl=as_json)


@main.command(context_settings=CONTEXT)
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate config.toml and connect to SMTP and IMAP; one line per check.

    With [imap] sent_folder set, it also emails the organizer a probe and looks for its copy there.

    Example: mailer -c config.toml check
    """
    from mailer.adapters.imap import check_imap
    from mailer.adapters.smtp import check_smtp
    from mailer.runtime import github_repo

    try:
        cfg = config_module.load(ctx.obj)
    except ConfigError as exc:
        click.echo(f"config: FAILED {exc.message}")
        sys.exit(1)
    click.echo(f"config: OK {cfg.path} ({len(cfg.invitees)} invitees, {len(cfg.events)} events)")
    for warning in config_events.past(cfg.events, clock.now()):
        click.echo(f"config: WARNING {warning}")

    def server(settings: ServerSettings, connect: Callable[[ServerSettings], str]) -> str:
        settings.require_password()  # an unset variable is named, not met as a refused login
        return connect(settings)

    checks: list[tuple[str, Callable[[], str]]] = [
        ("database", lambda: _check_database(cfg)),
        ("smtp", lambda: server(cfg.smtp, check_smtp)),
        ("imap", lambda: server(cfg.imap, check_imap)),
    ]
    if cfg.imap.trusted_authserv_id:
        from mailer.reports.checks import trusted_server

        checks.append(("trusted_authserv_id", lambda: trusted_server(cfg)))
    if cfg.imap.sent_folder:
        from mailer.steps.sent_copies import probe

        checks.append(("sent_folder", lambda: probe(cfg, clock.now())))
    if cfg.github is not None:

        def github_check() -> str:
            repo = github_repo(cfg)
            assert repo is not None
            return repo.check()

        checks.append(("github", github_check))
    failed = False
    for name, run in checks:
        try:
            click.echo(f"{name}: OK {run()}")
        except ServerError as exc:
            click.echo(f"{name}: FAILED {exc.detail}")
            failed = True
        except MailerError as exc:
            click.echo(f"{name}: FAILED {exc}")
            failed = True
    if failed:
        sys.exit(1)


@main.command(context_settings=CONTEXT)
@click.option(
    "--every",
    default=None,
    help='Time-driven work at least this often, overriding [worker] tick_every (default "1m").',
)
@click.option(
    "--idle/--no-idle",
    default=True,
    show_default=True,
    help="Wait for mail with IMAP IDLE and tick as soon as it lands; --no-idle polls only.",
)
@click.option("--verbose", "-v", "loud", is_flag=True, help="Also log every tick and decision.")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object per line (time, level, event, message, fields) for log collectors.",
)
@click.pass_context
def run(ctx: click.Context, every: str | None, idle: bool, loud: bool, log_format: str) -> None:
    """Keep working on your own: answer replies as they arrive, send what is due on schedule.

    One worker per database; SIGTERM or Ctrl-C stop it after the email in hand; SIGHUP (or
    saving config.toml) re-reads the config.

    Example: mailer -c config.toml run --log-format json
    """
    from mailer.config.values import parse_duration
    from mailer.daemon import Options, Settings, WorkerRunning, only_worker, serve, setup_logs

    first = load_config(ctx)  # a broken config stops here, before the first tick
    span = None
    if every is not None:
        with user_errors():
            span = parse_duration(every, "--every", "--every")
        if span < timedelta(minutes=1):
            fail("--every must be at least 1m. Fix: use --every 1m")
    settings = Settings(ctx.obj, good=first)
    verbose = loud or logging.getLogger().getEffectiveLevel() <= logging.INFO
    setup_logs(log_format, verbose, settings.secrets)
    try:
        with only_worker(first.database, clock.now()):
            serve(ctx.obj, Options(every=span, idle=idle), settings=settings)
    except WorkerRunning as exc:
        fail(str(exc))
    except MailerError as exc:
        fail(str(exc))


def _check_database(cfg: config_module.Config) -> str:
    from mailer.steps.forget import still_listed
    from mailer.store import Store

    existed = cfg.database.exists()
    store = Store(cfg.database)
    try:
        listed = [f"{a} (#{tag})" for a, tag in still_listed(store, cfg)]
    finally:
        store.close()
    forgotten = (
        f"; asked to be forgotten, remove from config: {', '.join(listed)}" if listed else ""
    )
    return f"{cfg.database} ({'opened' if existed else 'created'}){forgotten}"
