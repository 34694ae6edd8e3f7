"""The SMTP adapter against a real server with scripted faults: one connection, one result each."""

from __future__ import annotations

import email
import threading
from dataclasses import replace

import pytest

from mailer.adapters.smtp import check_smtp, send_batch
from mailer.config import ServerSettings
from mailer.errors import PermanentError, ServerError, TransientError
from mailer.model import SendResult
from mailer.testing import MailStack, free_port, sample_message

ORGANIZER = "organizer@example.test"
ALICE, BOB = "alice@example.test", "bob@example.test"


def batch(*recipients: str) -> list[tuple[str, email.message.EmailMessage]]:
    return [
        (f"ev/{to}/invitation/{n}", sample_message(to, f"m{n}")) for n, to in enumerate(recipients)
    ]


def subjects(stack: MailStack, address: str) -> list[str]:
    return [str(email.message_from_bytes(raw)["Subject"]) for raw in stack.messages(address)]


def statuses(results: list[SendResult]) -> list[str]:
    return [r.status for r in results]


def test_a_batch_uses_one_connection(mail_stack: MailStack) -> None:
    """Every message of a batch travels over the same SMTP connection, each to its recipient."""
    results = send_batch(mail_stack.smtp_settings(ORGANIZER), batch(ALICE, BOB, ALICE), ORGANIZER)
    assert statuses(results) == ["sent", "sent", "sent"]
    assert [r.key for r in results] == [
        "ev/alice@example.test/invitation/0",
        "ev/bob@example.test/invitation/1",
        "ev/alice@example.test/invitation/2",
    ]
    assert mail_stack.smtp.connections == 1
    assert subjects(mail_stack, ALICE) == ["m0", "m2"]
    assert subjects(mail_stack, BOB) == ["m1"]


def test_only_the_to_addresses_receive_a_message(mail_stack: MailStack) -> None:
    """Cc and Bcc headers are not recipients: an outbox email goes to its To address only."""
    message = sample_message(ALICE, "just alice")
    message["Cc"] = BOB
    send_batch(mail_stack.smtp_settings(), [("k", message)], ORGANIZER)
    assert mail_stack.smtp.envelopes[0][:2] == (ORGANIZER, [ALICE])
    assert subjects(mail_stack, BOB) == []


def test_raw_bytes_with_a_recipient_are_sent_as_is(mail_stack: MailStack) -> None:
    """The outbox form (key, raw bytes, recipient) is delivered byte for byte to that recipient."""
    raw = sample_message(ALICE, "stored").as_bytes()
    (result,) = send_batch(mail_stack.smtp_settings(), [("k", raw, ALICE)], ORGANIZER)
    assert result.status == "sent"
    assert mail_stack.smtp.envelopes[0][2].replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")


def test_451_at_rcpt_retries_that_message_and_sends_the_rest(mail_stack: MailStack) -> None:
    """A 4xx for one recipient makes that email "retry"; the others in the batch are sent."""
    mail_stack.smtp.fail_next(451, "RCPT")
    results = send_batch(mail_stack.smtp_settings(), batch(ALICE, BOB), ORGANIZER)
    assert statuses(results) == ["retry", "sent"]
    assert results[0].code == 451
    assert subjects(mail_stack, ALICE) == []


@pytest.mark.parametrize("stage", ["MAIL", "DATA"])
def test_4xx_at_mail_or_data_is_retry(mail_stack: MailStack, stage: str) -> None:
    """A temporary refusal at MAIL FROM or after DATA is "retry" with the server's code."""
    mail_stack.smtp.fail_next(452, stage, message="4.3.1 Insufficient system storage")
    results = send_batch(mail_stack.smtp_settings(), batch(ALICE, BOB), ORGANIZER)
    assert statuses(results) == ["retry", "sent"]
    assert (results[0].code, results[0].detail) == (452, "4.3.1 Insufficient system storage")


def test_550_fails_with_the_code_and_text(mail_stack: MailStack) -> None:
    """A 5xx is "failed" for that email only, keeping the server's code and text."""
    mail_stack.smtp.fail_next(550, "DATA", message="5.7.1 Message rejected as spam")
    results = send_batch(mail_stack.smtp_settings(), batch(ALICE, BOB), ORGANIZER)
    assert statuses(results) == ["failed", "sent"]
    assert (results[0].code, results[0].detail) == (550, "5.7.1 Message rejected as spam")


def test_unknown_recipient_fails_with_550(mail_stack: MailStack) -> None:
    """A recipient the server does not know is a permanent failure naming the address."""
    (result,) = send_batch(mail_stack.smtp_settings(), batch("ghost@example.test"), ORGANIZER)
    assert (result.status, result.code) == ("failed", 550)
    assert result.detail.startswith("ghost@example.test: 5.1.1")


def test_dropped_connection_reconnects_without_losing_or_doubling(mail_stack: MailStack) -> None:
    """A drop mid-batch: that email is "retry", the rest go out on a new connection, each once."""
    mail_stack.smtp.drop_next("DATA")
    settings = mail_stack.smtp_settings()
    results = send_batch(settings, batch(ALICE, BOB, ALICE), ORGANIZER)
    assert statuses(results) == ["retry", "sent", "sent"]
    assert mail_stack.smtp.connections == 2
    (again,) = send_batch(settings, [batch(ALICE)[0]], ORGANIZER)
    assert again.status == "sent"
    assert sorted(subjects(mail_stack, ALICE)) == ["m0", "m2"]
    assert subjects(mail_stack, BOB) == ["m1"]


def test_a_server_that_stops_answering_is_retry(mail_stack: MailStack) -> None:
    """A timeout is "retry"; the next email goes out on a fresh connection."""
    mail_stack.smtp.drop_next("DATA", stall=2.0)
    settings = replace(mail_stack.smtp_settings(), timeout_seconds=0.2)
    results = send_batch(settings, batch(ALICE, BOB), ORGANIZER)
    assert statuses(results) == ["retry", "sent"]
    assert "Timeout" in results[0].detail
    assert subjects(mail_stack, BOB) == ["m1"]


def test_connection_refused_makes_every_message_retry(mail_stack: MailStack) -> None:
    """No server: every email is "retry" with a detail that points at host and port."""
    port = free_port()
    settings = replace(mail_stack.smtp_settings(), port=port)
    results = send_batch(settings, batch(ALICE, BOB), ORGANIZER)
    assert statuses(results) == ["retry", "retry"]
    assert (
        results[0].detail
        == f"cannot connect to 127.0.0.1:{port} (connection refused): check [smtp] host and port"
    )


def test_refused_login_makes_every_message_retry(
    mail_stack: MailStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong password is the organizer's fix, not the emails' fault: they wait, none is failed."""
    settings = mail_stack.smtp_settings(ORGANIZER, password_env="TEST_SMTP_PW")
    monkeypatch.setenv("TEST_SMTP_PW", "stale")
    results = send_batch(settings, batch(ALICE, BOB), ORGANIZER)
    assert statuses(results) == ["retry", "retry"]
    assert results[0].detail.startswith(f"login refused for {ORGANIZER}")
    assert mail_stack.smtp.accepted == 0


def check_error(settings: ServerSettings) -> ServerError:
    with pytest.raises(ServerError) as raised:
        check_smtp(settings)
    assert "\n" not in raised.value.detail
    return raised.value


def test_check_smtp_logs_in(mail_stack: MailStack) -> None:
    """A working configuration gives one line saying who logged in where."""
    line = check_smtp(mail_stack.smtp_settings(ORGANIZER))
    assert (
        line
        == f"127.0.0.1:{mail_stack.smtp_port} (security none): EHLO accepted, logged in as {ORGANIZER}"
    )


def test_check_smtp_wrong_password_names_the_env_var(
    mail_stack: MailStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused login is permanent and points at the username and the password variable."""
    settings = mail_stack.smtp_settings(ORGANIZER, password_env="TEST_SMTP_PW")
    monkeypatch.setenv("TEST_SMTP_PW", "stale")
    error = check_error(settings)
    assert isinstance(error, PermanentError)
    assert (
        error.detail
        == f"login refused for {ORGANIZER}: check [smtp] username and the password in $TEST_SMTP_PW"
    )


def test_check_smtp_closed_port_says_connection_refused(mail_stack: MailStack) -> None:
    """Nothing listening is a transient error that points at host and port."""
    port = free_port()
    error = check_error(replace(mail_stack.smtp_settings(), port=port))
    assert isinstance(error, TransientError)
    assert (
        error.detail
        == f"cannot connect to 127.0.0.1:{port} (connection refused): check [smtp] host and port"
    )


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_check_smtp_tls_mismatch_points_at_security(mail_stack: MailStack, security: str) -> None:
    """Asking for TLS from a plain-text server is permanent and points at [smtp] security."""
    error = check_error(replace(mail_stack.smtp_settings(), security=security, timeout_seconds=2))
    assert isinstance(error, PermanentError), error.detail
    assert "check [smtp] security" in error.detail, error.detail


def test_refused_sender_holds_the_batch_for_retry(mail_stack: MailStack) -> None:
    """A 5xx to MAIL FROM is the config's fault: every email waits for a retry, none fails."""
    mail_stack.smtp.fail_next(
        553, "MAIL", message="5.7.1 Sender address rejected: not owned by user"
    )
    results = send_batch(mail_stack.smtp_settings(), batch(ALICE, BOB), ORGANIZER)
    assert [r.status for r in results] == ["retry", "retry"]
    assert "check [organizer] email" in results[0].detail


def test_each_message_is_announced_before_its_result(mail_stack: MailStack) -> None:
    """on_attempt hears a key before the server sees its message, on_result after it answered."""
    heard: list[str] = []
    send_batch(
        mail_stack.smtp_settings(),
        batch(ALICE, BOB),
        ORGANIZER,
        on_result=lambda r: heard.append(f"{r.status} {r.key}"),
        on_attempt=lambda key: heard.append(f"attempt {key}"),
    )
    keys = [key for key, _ in batch(ALICE, BOB)]
    assert heard == [
        f"attempt {keys[0]}",
        f"sent {keys[0]}",
        f"attempt {keys[1]}",
        f"sent {keys[1]}",
    ]


def test_a_held_250_comes_after_the_delivery(mail_stack: MailStack) -> None:
    """hold_next delivers the message, then keeps the client waiting for its 250 until released."""
    mail_stack.smtp.hold_next(10, skip=1)
    results: list[SendResult] = []
    sender = threading.Thread(
        target=lambda: results.extend(
            send_batch(mail_stack.smtp_settings(), batch(ALICE, BOB), ORGANIZER)
        )
    )
    sender.start()
    assert mail_stack.smtp.held.wait(5)
    assert (len(subjects(mail_stack, BOB)), results) == (1, [])
    mail_stack.smtp.release()
    sender.join(5)
    assert statuses(results) == ["sent", "sent"]


def test_file_sent_files_the_senders_copy(mail_stack: MailStack) -> None:
    """With file_sent, the logged-in sender finds a copy of each accepted message in that folder."""
    mail_stack.smtp.file_sent("[Gmail]/Sent Mail")
    send_batch(mail_stack.smtp_settings(ORGANIZER), batch(ALICE, BOB), ORGANIZER)
    copies = mail_stack.messages(ORGANIZER, "[Gmail]/Sent Mail")
    assert [str(email.message_from_bytes(raw)["Subject"]) for raw in copies] == ["m0", "m1"]
