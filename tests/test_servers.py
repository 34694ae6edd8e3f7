"""The loopback mail stack itself: SMTP delivers into the recipient's IMAP INBOX, dates are kept."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime

import aiosmtplib
import pytest

from mailer.testing import DEMO_USERS, MailStack, open_stack, sample_message


def send(stack: MailStack, to: str, subject: str) -> None:
    message = sample_message(to, subject)
    asyncio.run(
        aiosmtplib.send(message, hostname="127.0.0.1", port=stack.smtp_port, start_tls=False)
    )


def test_smtp_delivers_into_the_recipients_inbox(mail_stack: MailStack) -> None:
    """A message sent over SMTP can be read back over IMAP by its recipient, and only by them."""
    send(mail_stack, "alice@example.test", "Hello Alice")
    (raw,) = mail_stack.messages("alice@example.test")
    assert b"Subject: Hello Alice" in raw
    assert mail_stack.messages("bob@example.test") == []
    assert mail_stack.smtp.accepted == 1
    assert mail_stack.smtp.envelopes[0][1] == ["alice@example.test"]


def test_unknown_recipient_is_refused_at_rcpt(mail_stack: MailStack) -> None:
    """RCPT to an address that is not a user of the stack gets 550 5.1.1."""
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
        send(mail_stack, "ghost@example.test", "Anyone?")
    assert refused.value.recipients[0].code == 550
    assert "5.1.1" in refused.value.recipients[0].message


def test_user_added_later_can_receive(mail_stack: MailStack) -> None:
    """add_user makes a working login and mailbox at once, even right after another login."""
    mail_stack.messages("alice@example.test")  # Dovecot re-reads a passwd-file once a second
    mail_stack.add_user("carol@example.test", "carol-pw")
    send(mail_stack, "carol@example.test", "Welcome")
    assert len(mail_stack.messages("carol@example.test")) == 1


def test_deliver_keeps_the_internaldate(mail_stack: MailStack) -> None:
    """deliver(when=...) stores that moment as the message's INTERNALDATE."""
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    uid = mail_stack.deliver("alice@example.test", b"Subject: dated\r\n\r\nbody\r\n", when)
    with mail_stack.imap("alice@example.test") as client:
        client.select_folder("INBOX", readonly=True)
        stored = client.fetch([uid], ["INTERNALDATE"])[uid][b"INTERNALDATE"]
    assert stored == when


def test_stopping_a_stack_leaves_no_server_running(mail_stack: MailStack) -> None:
    """After `with open_stack(...)` both ports are closed again; entering `with` starts nothing new."""
    stack = open_stack(mail_stack.backend, DEMO_USERS)
    ports = (stack.imap_port, stack.smtp_port)
    with stack:
        assert (stack.imap_port, stack.smtp_port) == ports
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
