"""The `mailer` command: parse, call the library, print; results on stdout, logs on stderr.

A user's mistake or a server's refusal ends in one line, `Error: what happened. Fix: what to do`,
and exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from mailer import clock
from mailer import config as config_module
from mailer.config import ServerSettings
from mailer.config import events as config_events
from mailer.errors import ConfigError, MailerError, ServerError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str) -> None:
    raise click.ClickException(message)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can meet into one clear line."""
    try:
        yield
    except ConfigError as exc:
        fail(f"{exc.message}")
    except ServerError as exc:
        fail(f"{exc.server}: {exc.detail}")
    except MailerError as exc:
        fail(str(exc))


@click.group(context_settings=CONTEXT)
@click.option(
    "--config",
    "-c",
    "config_path",
    default="config.toml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The config file.",
)
@click.option(
    "--verbose",
    "-v",
    count=True,
    help="Log every decision to stderr; -vv also the tracebacks of failed ticks.",
)
@click.pass_context
def main(ctx: click.Context, config_path: str, verbose: int) -> None:
    """Run a small invite-only roundtable over email: invitations, RSVPs, seats, a waiting line.

    Example: mailer -c config.toml tick
    """
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # aiosmtpd (sandbox) and flufl.bounce log library-internal warnings that say nothing to an organizer.
    for noisy in ("mail.log", "flufl.bounce"):
        logging.getLogger(noisy).setLevel(logging.INFO if verbose else logging.ERROR)
    ctx.obj = Path(config_path)


def _load(ctx: click.Context) -> config_module.Config:
    with user_errors():
        return config_module.load(ctx.obj)
    raise AssertionError  # unreachable: user_errors raised


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
    cfg = _load(ctx)
    now = _parse_now(now_text)
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


def _parse_now(text: str | None) -> Any:
    if text is None:
        return clock.now()
    try:
        return clock.parse(text)
    except ValueError:
        fail(
            f"--now {text!r} is not an ISO-8601 time. Fix: write it like 2026-11-25T14:00:00+00:00"
        )


@main.command(context_settings=CONTEXT)
@click.option("--event", "event_id", metavar="ID", help="Only this event.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON document instead of a table.")
@click.pass_context
def status(ctx: click.Context, event_id: str | None, as_json: bool) -> None:
    """Who is seated, who waits, who declined, who has not answered, what could not be read.

    Example: mailer status --event 2026-12-velocity --json
    """
    from mailer.reports import status as status_module
    from mailer.store import Store, database_errors

    cfg = _load(ctx)
    if event_id is not None and cfg.event(event_id) is None:
        fail(
            f"--event {event_id!r} is not in {cfg.path.name}. Fix: use one of {', '.join(e.id for e in cfg.events)}"
        )
    with user_errors(), database_errors(cfg.database):
        store = Store(cfg.database, create=False)  # status only reads: a typo'd path is named
        try:
            data = status_module.report(cfg, store, event_id)
        finally:
            store.close()
    click.echo(json.dumps(data, indent=2) if as_json else status_module.table(data), nl=as_json)


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

    now = _parse_now(now_text)
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
    default="5m",
    show_default=True,
    help='How often to tick: a span such as "5m" or "1h".',
)
@click.pass_context
def run(ctx: click.Context, every: str) -> None:
    """Keep ticking on a schedule, so invitations and reminders go out on their own.

    Example: mailer -c config.toml run --every 5m
    """
    from mailer.config.values import parse_duration
    from mailer.daemon import serve

    first = _load(ctx)  # a broken config stops here, before the first tick
    with user_errors():
        span = parse_duration(every, "--every", "--every")
    if span < timedelta(minutes=1):
        fail("--every must be at least 1m. Fix: use --every 5m")
    click.echo(f"ticking every {every}; Ctrl-C stops", err=True)
    serve(ctx.obj, span, click.echo, first=first)


def _check_database(cfg: config_module.Config) -> str:
    from mailer.store import Store

    existed = cfg.database.exists()
    Store(cfg.database).close()
    return f"{cfg.database} ({'opened' if existed else 'created'})"


@main.group(context_settings=CONTEXT)
def archive() -> None:
    """Every meeting's takeaways: search them, or build a static site and TAKEAWAYS.md.

    Example: mailer archive search deploy
    """


@contextmanager
def _archive_store(ctx: click.Context) -> Iterator[Any]:
    from mailer.store import Store, database_errors

    cfg = _load(ctx)
    with user_errors(), database_errors(cfg.database):
        store = Store(cfg.database, create=False)  # only reads: a typo'd path is named
        try:
            yield store
        finally:
            store.close()


@archive.command("search", context_settings=CONTEXT)
@click.argument("words", nargs=-1, required=True, metavar="WORD...")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per takeaway, one a line.")
@click.option("--limit", default=20, show_default=True, help="At most this many takeaways.")
@click.pass_context
def archive_search(ctx: click.Context, words: tuple[str, ...], as_json: bool, limit: int) -> None:
    """The takeaways of every meeting matching all the words (a word's start is enough), best first.

    Example: mailer archive search feature flag
    """
    from mailer.reports import archive as archiving

    with _archive_store(ctx) as store:
        hits = archiving.search(store, " ".join(words), limit)
    if not hits:  # with --json on stderr, so stdout stays one object per line
        click.echo(f"No takeaway matches {' '.join(words)!r}.", err=as_json)
    for hit in hits:
        click.echo(json.dumps(hit) if as_json else archiving.as_text(hit) + "\n")


@archive.command("build", context_settings=CONTEXT)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The folder for the site (index.html, a page per meeting and theme, search, feed.xml) and TAKEAWAYS.md.",
)
@click.pass_context
def archive_build(ctx: click.Context, out_dir: str) -> None:
    """Write the archive as a static site that works offline (file:// too) and one TAKEAWAYS.md.

    Example: mailer archive build --out site/
    """
    from mailer.reports import archive as archiving

    out = Path(out_dir)
    with _archive_store(ctx) as store:
        try:
            written = archiving.build(store, out)
        except OSError as exc:
            fail(
                f"--out {out_dir} cannot be written ({exc.strerror}). Fix: choose a folder you can write to"
            )
    done = f"{len(written)} file(s) written" if written else "nothing changed"
    click.echo(f"{done} in {out}; open {out / 'index.html'}")


@main.command(context_settings=CONTEXT)
@click.option("--event", "event_id", metavar="ID", required=True, help="The meeting.")
@click.option("--preview", is_flag=True, help="Show the digest as it stands; change nothing.")
@click.option(
    "--html",
    "html_path",
    metavar="FILE",
    help="With --preview: where to write the HTML (default digest-ID.html).",
)
@click.option("--send", is_flag=True, help="Approve the digest and send it now.")
@click.option(
    "--addendum", is_flag=True, help="After the digest: send the takeaways that came later."
)
@click.option(
    "--now", "now_text", metavar="ISO-8601", help="Act as if it were this time (default: now)."
)
@click.pass_context
def digest(
    ctx: click.Context,
    event_id: str,
    preview: bool,
    html_path: str | None,
    send: bool,
    addendum: bool,
    now_text: str | None,
) -> None:
    """A meeting's takeaway digest: preview it, or approve and send it.

    Example: mailer digest --event 2026-12-velocity --preview
    """
    from pathlib import Path

    from mailer.reports.digest import preview as render_preview
    from mailer.runtime import run_tick
    from mailer.steps.takeaways import ADDENDUM_KEY, approve
    from mailer.store import Store, database_errors

    cfg = _load(ctx)
    now = _parse_now(now_text)
    event = cfg.event(event_id)
    if event is None:
        fail(
            f"--event {event_id!r} is not in {cfg.path.name}. Fix: use one of {', '.join(e.id for e in cfg.events)}"
        )
    if [preview, send, addendum].count(True) != 1:
        fail(
            "say one thing to do. Fix: add --preview (show it), --send (approve and send it) or"
            " --addendum (send the takeaways that came after it)"
        )
    assert event is not None
    if send and now < event.ends:
        fail(f"{event.id} has not ended yet; the digest goes out after the meeting")
    with user_errors(), database_errors(cfg.database):
        store = Store(cfg.database, create=False)
        try:
            if preview:
                shown = render_preview(cfg, store, event, now)
                out = Path(html_path or f"digest-{event.id}.html")
                out.write_text(shown.html, encoding="utf-8")
                click.echo(f"Subject: {shown.subject}\n\n{shown.text}")
                click.echo(
                    f"[{shown.state}; to {len(shown.recipients)} people; HTML written to {out}]",
                    err=True,
                )
                return
            current = store.digest(event.id)
            if addendum:
                if current is None or current["state"] != "sent":
                    fail(f"the digest of {event.id} has not gone out yet. Fix: use --send")
                if not store.takeaways(event.id, undigested=True):
                    fail(f"no takeaway of {event.id} came after its digest; nothing to send")
                with store.atomic():
                    store.set_meta(ADDENDUM_KEY.format(event.id), "requested")
            elif current is not None and current["state"] == "sent":
                fail(
                    f"the digest of {event.id} was sent on {current['sent_at']:%B %d}; nothing to do"
                )
            else:
                with store.atomic():
                    if current is None:
                        store.set_digest(event.id, "drafted", now)
                    approve(store, event.id, cfg.organizer_email, now)
        finally:
            store.close()
        summary = run_tick(cfg, now)
    click.echo("\n".join(summary.lines()))


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


if __name__ == "__main__":  # pragma: no cover
    main()
