"""The `mailer` command group and what every command shares: loading the config, `--now`, and
turning a user's mistake or a server's refusal into one line, `Error: what happened. Fix: what to
do`, with exit status 1, never a traceback.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from mailer import __version__, clock
from mailer import config as config_module
from mailer.config import Event
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
@click.version_option(__version__, "--version", prog_name="mailer", message="%(prog)s %(version)s")
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


def load_config(ctx: click.Context) -> config_module.Config:
    with user_errors():
        return config_module.load(ctx.obj)
    raise AssertionError  # unreachable: user_errors raised


def parse_now(text: str | None) -> Any:
    if text is None:
        return clock.now()
    try:
        return clock.parse(text)
    except ValueError:
        fail(
            f"--now {text!r} is not an ISO-8601 time. Fix: write it like 2026-11-25T14:00:00+00:00"
        )


def event_named(cfg: config_module.Config, event_id: str | None) -> Event:
    """The event `--event` names (default: the first), or one line listing the ids there are."""
    if not cfg.events:
        fail(f"{cfg.path.name} has no [[events]]. Fix: add one, then run again")
    event = cfg.events[0] if event_id is None else cfg.event(event_id)
    if event is None:
        fail(
            f"--event {event_id!r} is not in {cfg.path.name}. Fix: use one of {', '.join(e.id for e in cfg.events)}"
        )
    assert event is not None
    return event
