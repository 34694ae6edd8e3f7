"""`mailer init [DIR]`: a place to start for real: config.toml, its schema, the templates, next steps.

Owns choosing the starter files and writing them. The config is the project's own commented
example (shipped in the wheel as mailer/config.example.toml), with `[templates] dir` pointing at
the copied templates; nothing that exists is overwritten without `--force`.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from mailer.cli.group import CONTEXT, fail, main
from mailer.composing.compose import templates_dir
from mailer.config.schema import schema_text

# The demo's own templates are not the organizer's to edit.
SKIPPED = ("sandbox",)
TEMPLATES_LINES = re.compile(r"^# \[templates\]\n# dir = .*$", re.MULTILINE)
TEMPLATES_TABLE = (
    "[templates]\n"
    'dir = "templates"                         # your copies of the email templates, beside this file;\n'
    "                                          # remove the table to use the shipped ones again"
)


def example_config() -> Path:
    """The commented example config.toml: packaged with the wheel, or the checkout's own."""
    package = Path(__file__).resolve().parents[1]  # mailer/
    packaged = package / "config.example.toml"
    return packaged if packaged.is_file() else package.parent / "config.toml"


def starter_files(directory: Path) -> dict[Path, bytes]:
    """Every file `init` writes into `directory`, with its content."""
    text = example_config().read_text(encoding="utf-8")
    config, found = TEMPLATES_LINES.subn(TEMPLATES_TABLE, text)
    if found != 1:
        raise RuntimeError("the example config.toml lost its commented [templates] table")
    files = {
        directory / "config.toml": config.encode(),
        directory / "config.schema.json": schema_text().encode(),
    }
    shipped = templates_dir()
    for source in sorted(shipped.rglob("*")):
        relative = source.relative_to(shipped)
        if source.is_file() and relative.parts[0] not in SKIPPED:
            files[directory / "templates" / relative] = source.read_bytes()
    return files


@main.command(context_settings=CONTEXT)
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def init(directory: str, force: bool) -> None:
    """Start for real: a commented config.toml, the email templates to customise, the next steps.

    Example: mailer init ~/roundtable
    """
    folder = Path(directory)
    files = starter_files(folder)
    taken = [path for path in files if path.exists()]
    if taken and not force:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        fail(
            f"{taken[0]} already exists{more}. Fix: choose another folder, or add --force to overwrite"
        )
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    config = folder / "config.toml"
    templates = len([p for p in files if "templates" in p.relative_to(folder).parts[:1]])
    click.echo(
        f"wrote {config}, {folder / 'config.schema.json'} and {templates} templates in {folder / 'templates'}"
    )
    click.echo("next:")
    click.echo(
        f"  1. edit {config}: the organizer, [smtp] and [imap] (password_env or password_command),"
        " the invitees and the event"
    )
    click.echo(f"  2. mailer -c {config} check      logs in to each server, one line per check")
    click.echo(f"  3. mailer -c {config} run        the worker; Ctrl-C stops it")
    click.echo(
        "  4. as a service: deploy/roundtable-mailer.service (systemd) or deploy/Dockerfile"
        " in the project's repository"
    )
