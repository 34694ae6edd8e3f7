"""`mailer digest` and `mailer archive`: a meeting's takeaway digest, and every meeting's archive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


@main.group(context_settings=CONTEXT)
def archive() -> None:
    """Every meeting's takeaways: search them, or build a static site and TAKEAWAYS.md.

    Example: mailer archive search deploy
    """


@contextmanager
def _archive_store(ctx: click.Context) -> Iterator[Any]:
    from mailer.store import Store, database_errors

    cfg = load_config(ctx)
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

    cfg = load_config(ctx)
    now = parse_now(now_text)
    event = event_named(cfg, event_id)
    if [preview, send, addendum].count(True) != 1:
        fail(
            "say one thing to do. Fix: add --preview (show it), --send (approve and send it) or"
            " --addendum (send the takeaways that came after it)"
        )
    if (send or addendum) and event.cancelled:
        fail(f"{event.id} was cancelled; it has no digest")
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
