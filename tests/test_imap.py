"""The IMAP adapter against real servers: incremental reads, UIDVALIDITY, marking, clear errors."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from mailer.adapters.imap import Mailbox, check_imap
from mailer.config import ServerSettings
from mailer.errors import PermanentError, ServerError, TransientError
from mailer.model import Cursor, InboundMail
from mailer.testing import MailStack, free_port

ALICE = "alice@example.test"
T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def fill(stack: MailStack, count: int, folder: str = "INBOX", first: int = 0) -> list[int]:
    """Deliver `count` small messages to Alice, a minute apart; their UIDs."""
    return stack.deliver_many(
        ALICE,
        [
            (b"Subject: n%d\r\n\r\nbody\r\n" % n, T0 + timedelta(minutes=n))
            for n in range(first, first + count)
        ],
        folder,
    )


def read(box: Mailbox, cursor: Cursor | None, batch_size: int = 500) -> list[InboundMail]:
    return [mail for batch in box.fetch_since(cursor, batch_size) for mail in batch]


def test_first_read_returns_everything_in_uid_order_with_utc_dates(mail_stack: MailStack) -> None:
    """With no cursor every message comes back, oldest UID first, INTERNALDATE aware in UTC."""
    uids = fill(mail_stack, 3)
    with Mailbox(mail_stack.imap_settings(ALICE)) as box:
        mails = read(box, None)
    assert [m.uid for m in mails] == uids
    assert [m.internaldate for m in mails] == [
        T0,
        T0 + timedelta(minutes=1),
        T0 + timedelta(minutes=2),
    ]
    assert mails[0].internaldate.tzinfo == UTC
    assert mails[1].raw.startswith(b"Subject: n1")
    assert {m.uidvalidity for m in mails} == {box.uidvalidity}


def test_fetch_since_returns_only_messages_after_the_cursor(mail_stack: MailStack) -> None:
    """A cursor at the last read UID yields exactly the messages that arrived since."""
    uids = fill(mail_stack, 2)
    with Mailbox(mail_stack.imap_settings(ALICE)) as box:
        cursor = Cursor(box.uidvalidity, uids[-1])
        later = fill(mail_stack, 2, first=2)
        assert [m.uid for m in read(box, cursor)] == later


def test_cursor_past_the_end_returns_nothing(mail_stack: MailStack) -> None:
    """`UID n:*` matches the newest message even when n is beyond it; that message is not new."""
    uids = fill(mail_stack, 2)
    with Mailbox(mail_stack.imap_settings(ALICE)) as box:
        assert read(box, Cursor(box.uidvalidity, uids[-1])) == []
        assert read(box, Cursor(box.uidvalidity, uids[-1] + 50)) == []


def test_nothing_new_costs_no_search_or_fetch(
    mail_stack: MailStack, caplog: pytest.LogCaptureFixture
) -> None:
    """An idle read is one STATUS, whatever the folder holds: UIDNEXT says nothing is new."""
    uids = fill(mail_stack, 20)
    with Mailbox(mail_stack.imap_settings(ALICE)) as box:
        with caplog.at_level(logging.DEBUG, logger="imapclient.imaplib"):
            assert read(box, Cursor(box.uidvalidity, uids[-1])) == []
        commands = " ".join(r.getMessage() for r in caplog.records).upper()
    assert "STATUS" in commands
    assert not any(word in commands for word in ("SELECT", "SEARCH", "FETCH"))


def test_messages_come_in_batches_of_the_requested_size(mail_stack: MailStack) -> None:
    """batch_size bounds each FETCH, so a huge backlog is read in pieces."""
    fill(mail_stack, 5)
    with Mailbox(mail_stack.imap_settings(ALICE)) as box:
        sizes = [len(batch) for batch in box.fetch_since(None, batch_size=2)]
    assert sizes == [2, 2, 1]


def test_reading_does_not_mark_mail_seen(mail_stack: MailStack) -> None:
    """Bodies are fetched with BODY.PEEK, so the organizer still sees the replies as unread."""
    uids = fill(mail_stack, 1)
    with Mailbox(mail_stack.imap_settings(ALICE)) as box:
        read(box, None)
    with mail_stack.imap(ALICE) as client:
        client.select_folder("INBOX", readonly=True)
        assert b"\\Seen" not in client.get_flags(uids)[uids[0]]


def test_new_uidvalidity_rescans_the_folder(mail_stack: MailStack) -> None:
    """A cursor from an older UIDVALIDITY is ignored: everything in the folder is read again."""
    fill(mail_stack, 2, folder="Replies")
    settings = mail_stack.imap_settings(ALICE, folder="Replies")
    with Mailbox(settings) as box:
        old = Cursor(box.uidvalidity, max(m.uid for m in read(box, None)))
    with mail_stack.imap(ALICE) as client:
        client.delete_folder("Replies")
        client.create_folder("Replies")
    fill(mail_stack, 1, folder="Replies", first=7)
    with Mailbox(settings) as box:
        assert box.uidvalidity != old.uidvalidity
        mails = read(box, old)
    assert [m.raw[:11] for m in mails] == [b"Subject: n7"]


def test_mark_handled_keeps_the_mail_and_flags_it(mail_stack: MailStack) -> None:
    """Handled mail stays in the folder, carrying the handled flag; other mail is untouched."""
    uids = fill(mail_stack, 3)
    with Mailbox(mail_stack.imap_settings(ALICE)) as box:
        box.mark_handled(uids[:2])
        flag = box.handled_flag.encode()
    with mail_stack.imap(ALICE) as client:
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(uids)
    assert sorted(flags) == uids
    assert [flag in flags[uid] for uid in uids] == [True, True, False]
    assert flag == (b"$RsvpHandled" if mail_stack.backend == "dovecot" else b"\\Seen")


def test_mark_handled_moves_into_the_handled_folder(mail_stack: MailStack) -> None:
    """With handled_folder set, handled mail moves there (created on demand); nothing is lost."""
    uids = fill(mail_stack, 3)
    with Mailbox(mail_stack.imap_settings(ALICE, handled_folder="RSVP/Done")) as box:
        box.mark_handled(uids[:2])
    assert [m[:11] for m in mail_stack.messages(ALICE)] == [b"Subject: n2"]
    assert [m[:11] for m in mail_stack.messages(ALICE, "RSVP/Done")] == [
        b"Subject: n0",
        b"Subject: n1",
    ]


@pytest.mark.parametrize("handled_folder", ["", "Done"])
def test_mark_handled_twice_is_harmless(mail_stack: MailStack, handled_folder: str) -> None:
    """Marking the same UIDs again (a tick repeated after a crash) neither fails nor loses mail."""
    uids = fill(mail_stack, 2)
    with Mailbox(mail_stack.imap_settings(ALICE, handled_folder=handled_folder)) as box:
        box.mark_handled(uids)
        box.mark_handled(uids)
    kept = mail_stack.messages(ALICE, handled_folder or "INBOX")
    assert [m[:11] for m in kept] == [b"Subject: n0", b"Subject: n1"]


def test_check_imap_describes_the_folder(mail_stack: MailStack) -> None:
    """A working configuration gives one line naming the user and the folder."""
    fill(mail_stack, 2)
    line = check_imap(mail_stack.imap_settings(ALICE))
    assert (
        line
        == f"logged in as {ALICE} at 127.0.0.1:{mail_stack.imap_port} (security none); folder 'INBOX' has 2 message(s)"
    )


def check_error(settings: ServerSettings) -> ServerError:
    with pytest.raises(ServerError) as raised:
        check_imap(settings)
    assert "\n" not in raised.value.detail
    return raised.value


def test_check_imap_wrong_password_names_the_env_var(
    mail_stack: MailStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused login is permanent and points at the username and the password variable."""
    settings = mail_stack.imap_settings(ALICE, password_env="TEST_IMAP_PW")
    monkeypatch.setenv("TEST_IMAP_PW", "stale")
    error = check_error(settings)
    assert isinstance(error, PermanentError)
    assert (
        error.detail
        == f"login refused for {ALICE}: check [imap] username and the password in $TEST_IMAP_PW"
    )


def test_check_imap_closed_port_says_connection_refused(mail_stack: MailStack) -> None:
    """Nothing listening is a transient error that points at host and port."""
    port = free_port()
    settings = mail_stack.imap_settings(ALICE)
    error = check_error(replace(settings, port=port))
    assert isinstance(error, TransientError)
    assert (
        error.detail
        == f"cannot connect to 127.0.0.1:{port} (connection refused): check [imap] host and port"
    )


def test_check_imap_missing_folder_names_the_key(mail_stack: MailStack) -> None:
    """A folder that does not exist is permanent and points at [imap] folder."""
    error = check_error(mail_stack.imap_settings(ALICE, folder="RSVPs"))
    assert isinstance(error, PermanentError)
    assert error.detail == "folder 'RSVPs' does not exist: check [imap] folder"


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_check_imap_tls_mismatch_points_at_security(mail_stack: MailStack, security: str) -> None:
    """Asking for TLS from a plain-text server is permanent and points at [imap] security."""
    settings = mail_stack.imap_settings(ALICE)
    error = check_error(replace(settings, security=security))
    assert isinstance(error, PermanentError)
    assert "check [imap] security" in error.detail, error.detail


def sent(message_id: str) -> bytes:
    return b"Message-ID: %s\r\nSubject: ours\r\n\r\nbody\r\n" % message_id.encode()


def test_find_sent_answers_which_message_ids_are_in_the_sent_folder(mail_stack: MailStack) -> None:
    """A Message-ID filed in [imap] sent_folder is found; one that is not, is not."""
    mail_stack.deliver(ALICE, sent("<seated.3.abc@example.test>"), folder="[Gmail]/Sent Mail")
    settings = replace(mail_stack.imap_settings(ALICE), sent_folder="[Gmail]/Sent Mail")
    with Mailbox(settings) as box:
        found = box.find_sent(["<seated.3.abc@example.test>", "<seated.4.def@example.test>"])
    assert found == {"<seated.3.abc@example.test>"}


def test_find_sent_in_a_missing_folder_names_the_key(mail_stack: MailStack) -> None:
    """A sent_folder that does not exist is a PermanentError naming [imap] sent_folder."""
    settings = replace(mail_stack.imap_settings(ALICE), sent_folder="Sent Items")
    with Mailbox(settings) as box, pytest.raises(PermanentError) as caught:
        box.find_sent(["<a@example.test>"])
    assert caught.value.detail.startswith("[imap] sent_folder 'Sent Items' does not exist")


def test_marking_after_a_sent_lookup_marks_in_the_replies_folder(mail_stack: MailStack) -> None:
    """Looking in the Sent folder leaves marking to act on the replies' folder, not on Sent."""
    uids = fill(mail_stack, 2)
    mail_stack.deliver(ALICE, sent("<a@example.test>"), folder="Sent")
    settings = replace(mail_stack.imap_settings(ALICE, handled_folder="Done"), sent_folder="Sent")
    with Mailbox(settings) as box:
        read(box, None)
        box.find_sent(["<a@example.test>"])
        box.mark_handled(uids)
    assert len(mail_stack.messages(ALICE, "Done")) == 2
    assert len(mail_stack.messages(ALICE, "Sent")) == 1
