"""Broken configs through the real CLI: each is refused with one line naming the key and the fix.

Every case (tests/configs/broken.txt) is the example config.toml with one edit, as an organizer's
typo would make it. No server is needed: a config error stops `check`, `tick`, `status` and `run`
before any connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer.cli import main

ROOT = Path(__file__).resolve().parents[1]
EVENT = "[[events]] 2026-12-velocity"


@dataclass(frozen=True)
class Case:
    """One broken config: `old` in the example replaced by `new`, and the line expected."""

    name: str
    old: str
    new: str
    message: str


def cases() -> list[Case]:
    """The cases in tests/configs/broken.txt, in order."""
    found: list[Case] = []
    text = (ROOT / "tests" / "configs" / "broken.txt").read_text()
    for block in text.split("\n## ")[1:]:
        name, *lines = block.strip().splitlines()
        part = {mark: [line[2:] for line in lines if line.startswith(mark)] for mark in "-+="}
        message = part["="][0].replace("{event}", EVENT)
        found.append(Case(name, "\n".join(part["-"]), "\n".join(part["+"]), message))
    return found


CASES = cases()
ISSUE = CASES[:14]  # the typos the issue found accepted


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "config.toml").read_text()
    assert old in text, f"the example no longer has {old!r}"
    (tmp_path / "config.toml").write_text(text.replace(old, new, 1))
    return tmp_path / "config.toml"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_refuses_with_one_line(tmp_path: Path, case: Case) -> None:
    """`mailer check` prints one FAILED line naming the key and the fix, and exits 1."""
    config = broken(tmp_path, case.old, case.new)
    result = CliRunner().invoke(main, ["-c", str(config), "check"])
    assert result.exit_code == 1
    assert result.output == f"config: FAILED {case.message.format(dir=tmp_path)}\n"


@pytest.mark.parametrize("command", ["tick", "status", "run"])
@pytest.mark.parametrize("case", ISSUE, ids=[c.name for c in ISSUE])
def test_every_command_refuses_a_broken_file(tmp_path: Path, command: str, case: Case) -> None:
    """tick, status and run act on nothing from a broken file: one Error line, exit 1."""
    config = broken(tmp_path, case.old, case.new)
    result = CliRunner().invoke(main, ["-c", str(config), command])
    assert result.exit_code == 1
    assert result.output == f"Error: {case.message}\n"


def test_cases_are_enough() -> None:
    """The table holds at least 40 broken configs, each with its own name."""
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    """A TOML syntax error names the file and the line, in one line."""
    config = broken(tmp_path, "enabled = true", "enabled = yes")
    line = next(n for n, t in enumerate(config.read_text().splitlines(), 1) if "enabled = yes" in t)
    result = CliRunner().invoke(main, ["-c", str(config), "check"])
    assert result.exit_code == 1
    assert result.output == (
        f"config: FAILED {config} is not valid TOML (Invalid value (at line {line}, column 11))."
        " Fix: correct that line\n"
    )


def test_name_and_address_without_a_name_key_is_split(tmp_path: Path) -> None:
    """ "Name <addr>" for an invitee without `name` gives both: the invitee is matched by address."""
    from mailer.config import load

    example = (ROOT / "config.toml").read_text().replace('name = "Ada Example"', "", 1)
    config = tmp_path / "config.toml"
    config.write_text(
        example.replace('email = "ada@example.com"', 'email = "Ada L <ADA@example.com>"', 1)
    )
    ada = load(config).invitee_for("ada@example.com")
    assert ada is not None and ada.name == "Ada L"
