"""The Sent folder: `mailer check` probes it, and the probe never reaches anyone else."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mailer import config as config_module
from mailer.cli import main
from mailer.errors import PermanentError
from mailer.sandbox.tour import ORGANIZER
from mailer.steps.sent_copies import probe
from mailer.testing import MailStack

from .scenario import T0, Roundtable
from .test_crash_safety import with_sent_folder


def test_check_finds_the_probe_in_the_sent_folder(mail_stack: MailStack, tmp_path: Path) -> None:
    """With sent_folder set and the provider filing copies there, check says the guarantee holds."""
    table = Roundtable(mail_stack, tmp_path)
    with_sent_folder(table, "[Gmail]/Sent Mail")
    mail_stack.smtp.file_sent("[Gmail]/Sent Mail")
    result = CliRunner().invoke(main, ["-c", str(table.config_path), "check"])
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[-1]
    assert line.startswith("sent_folder: OK probe <sent_probe.")
    assert line.endswith("found in '[Gmail]/Sent Mail': a crash while sending sends nothing twice")


def test_a_probe_not_filed_names_the_folders_to_use(mail_stack: MailStack, tmp_path: Path) -> None:
    """A provider that files nothing in sent_folder: the probe says which folders to set, or none."""
    table = Roundtable(mail_stack, tmp_path)
    with_sent_folder(table, "Sent")
    mail_stack.deliver(ORGANIZER, b"Subject: old\r\n\r\nx\r\n", folder="Sent")
    with pytest.raises(PermanentError) as caught:
        probe(config_module.load(table.config_path), T0, tries=1)
    detail = caught.value.detail
    assert "not found in 'Sent' after 0.5 s: set [imap] sent_folder" in detail
    assert '"[Gmail]/Sent Mail"' in detail and detail.endswith("or leave it empty")


def test_the_probe_in_the_inbox_is_ignored(mail_stack: MailStack, tmp_path: Path) -> None:
    """The probe lands in the organizer's inbox; the next tick neither answers nor reports it."""
    table = Roundtable(mail_stack, tmp_path, people=1)
    with_sent_folder(table, "Sent")
    mail_stack.smtp.file_sent("Sent")
    probe(config_module.load(table.config_path), T0)
    table.tick(0)
    assert len(table.inbox(1)) == 1  # the invitation, nothing else
    status = table.status()
    assert (status["unmatched"], status["notices"]) == ([], [])
    assert [row["kind"] for row in table.outbox()] == ["invitation"]
    assert table.organizer_subjects() == ["Roundtable mailer: Sent folder check (safe to delete)"]
