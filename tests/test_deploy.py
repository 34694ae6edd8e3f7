"""The deployment examples in deploy/: the systemd unit verifies, the Dockerfile builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "deploy" / "roundtable-mailer.service"
INSTALLED = "/opt/roundtable-mailer/.venv/bin/mailer"


def test_unit_runs_the_worker_unprivileged_and_hardened() -> None:
    """The unit restarts on failure, runs as its own user, reads secrets from a file, is confined."""
    lines = set(UNIT.read_text().splitlines())
    for setting in (
        "Restart=on-failure",
        "User=roundtable",
        "EnvironmentFile=/etc/roundtable-mailer/secrets.env",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "ReadWritePaths=/var/lib/roundtable-mailer",
        f"ExecStart={INSTALLED} -c /etc/roundtable-mailer/config.toml run",
    ):
        assert setting in lines


def test_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    """`systemd-analyze verify` accepts the unit without a warning (an unknown key is one)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd to run this check)")
    # verify insists that ExecStart exists: point it at this checkout's mailer.
    mailer = Path(sys.executable).with_name("mailer")
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text().replace(INSTALLED, str(mailer)))
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_dockerfile_builds(tmp_path: Path) -> None:
    """deploy/Dockerfile builds from the repository's root where a container engine answers."""
    docker = shutil.which("docker")
    answers = (
        docker is not None
        and subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode == 0
    )
    if not answers:
        pytest.skip("no container engine answers `docker info`: the Dockerfile build is not tried")
    assert docker is not None
    tag = "roundtable-mailer-test:latest"
    built = subprocess.run(
        [docker, "build", "-q", "-f", "deploy/Dockerfile", "-t", tag, "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    ran = subprocess.run(
        [docker, "run", "--rm", tag, "--version"], capture_output=True, text=True, timeout=120
    )
    user = subprocess.run(
        [docker, "run", "--rm", "--entrypoint", "id", tag, "-u"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    subprocess.run([docker, "rmi", tag], capture_output=True, timeout=120)
    assert ran.stdout.startswith("mailer ")
    assert user.stdout.strip() != "0"
