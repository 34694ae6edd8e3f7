"""Forgetting withdraws GitHub access: against real mail servers and the GitHub-shaped server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from mailer.testing import MailStack
from mailer.testing.github_server import GitHubServer
from tests.test_github_e2e import LOGINS, hub  # noqa: F401  (the GitHub fixture)

from .scenario import T0, Roundtable, board_config


def test_forgetting_removes_a_collaborator_and_cancels_an_invitation(
    mail_stack: MailStack,
    tmp_path: Path,
    hub: GitHubServer,  # noqa: F811
) -> None:
    """An accepted collaborator is removed and a pending invitation cancelled when they are forgotten."""
    table = Roundtable(
        mail_stack, tmp_path, people=3, capacity=2, extra=board_config(hub), github=LOGINS
    )
    table.tick(0)
    table.reply(1, "yes", 1)
    table.reply(2, "yes", 2)
    table.tick(10)
    hub.accept("p001-gh")
    table.tick(20)
    assert "p001-gh" in hub.collaborators
    assert any(i.login == "p002-gh" for i in hub.invitations.values())
    table.reply(1, "Please remove me from this list.", 25)
    table.run("forget", table.address(2), "--now", (T0 + timedelta(minutes=26)).isoformat())
    table.tick(30)
    assert "p001-gh" not in hub.collaborators
    assert not any(i.login == "p002-gh" for i in hub.invitations.values())
