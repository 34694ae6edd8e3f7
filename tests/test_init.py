"""`mailer init`: a commented config.toml, the templates to customise, and the next steps."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mailer.cli import main
from mailer.config import load

from .test_config_docs import _HEADER, _KEY, KNOWN


def init(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["init", *args])
    return result.exit_code, result.output


def documented(path: Path) -> set[tuple[str, str]]:
    """(table, key) for every key shown in a config file, set or commented out."""
    found, section = set(), ""
    for line in path.read_text().splitlines():
        if header := _HEADER.match(line):
            section = header[1]
        elif key := _KEY.match(line):
            found.add((section, key[1]))
    return found


def test_written_config_loads_and_uses_the_copied_templates(tmp_path: Path) -> None:
    """The config init writes is valid as written and points [templates] dir at its copies."""
    code, _ = init(str(tmp_path))
    assert code == 0
    config = load(tmp_path / "config.toml")
    assert config.templates_dir == (tmp_path / "templates").resolve()
    assert (tmp_path / "templates" / "participant" / "seated.txt.j2").is_file()
    assert not (tmp_path / "templates" / "sandbox").exists()


def test_written_config_documents_every_key(tmp_path: Path) -> None:
    """Every key is in the written config.toml with its comment, as in the project's example."""
    init(str(tmp_path))
    assert documented(tmp_path / "config.toml") == KNOWN
    assert (tmp_path / "config.toml").read_text().startswith("#:schema ./config.schema.json\n")
    assert (tmp_path / "config.schema.json").is_file()


def test_copied_templates_render(tmp_path: Path) -> None:
    """An email previews from the copied templates, so editing them changes the email."""
    init(str(tmp_path))
    seated = tmp_path / "templates" / "participant" / "seated.txt.j2"
    seated.write_text("Edited by the organizer.\n" + seated.read_text())
    config, html = str(tmp_path / "config.toml"), str(tmp_path / "seated.html")
    result = CliRunner().invoke(main, ["-c", config, "preview", "seated", "--html", html])
    assert result.exit_code == 0, result.output
    assert "Edited by the organizer." in result.output


def test_a_template_missing_from_the_copies_comes_from_the_shipped_ones(tmp_path: Path) -> None:
    """A folder made by an older release lacks a newer kind of email: the shipped one serves."""
    init(str(tmp_path))
    (tmp_path / "templates" / "participant" / "seated.txt.j2").unlink()
    config, html = str(tmp_path / "config.toml"), str(tmp_path / "seated.html")
    result = CliRunner().invoke(main, ["-c", config, "preview", "seated", "--html", html])
    assert result.exit_code == 0, result.output
    assert "your seat is confirmed" in result.output


def test_next_steps_are_printed(tmp_path: Path) -> None:
    """The output names the file to edit, then check, run and the service file."""
    _, output = init(str(tmp_path))
    config = tmp_path / "config.toml"
    assert f"edit {config}" in output
    assert f"mailer -c {config} check" in output
    assert f"mailer -c {config} run" in output
    assert "deploy/roundtable-mailer.service" in output


def test_existing_files_are_not_overwritten(tmp_path: Path) -> None:
    """A second init refuses in one line naming the file and --force, and changes nothing."""
    init(str(tmp_path))
    (tmp_path / "config.toml").write_text("# mine\n")
    code, output = init(str(tmp_path))
    assert code == 1
    assert output.startswith(f"Error: {tmp_path / 'config.toml'} already exists (and ")
    assert output.rstrip().endswith("Fix: choose another folder, or add --force to overwrite")
    assert len(output.splitlines()) == 1
    assert (tmp_path / "config.toml").read_text() == "# mine\n"


def test_force_overwrites(tmp_path: Path) -> None:
    """With --force the starter files are written again over the old ones."""
    init(str(tmp_path))
    (tmp_path / "config.toml").write_text("# mine\n")
    code, _ = init(str(tmp_path), "--force")
    assert code == 0
    assert "[organizer]" in (tmp_path / "config.toml").read_text()
