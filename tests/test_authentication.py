"""Sender authentication: only the organizer's own server's Authentication-Results count."""

from __future__ import annotations

import email

from mailer.reading.authentication import held

OURS = "mx.google.com"


def headers(*lines: str) -> email.message.Message:
    return email.message_from_string("".join(f"{line}\n" for line in lines) + "\nyes\n")


def test_nothing_is_checked_without_a_trusted_server() -> None:
    """Without [imap] trusted_authserv_id no message is held."""
    assert held(headers(f"Authentication-Results: {OURS}; dmarc=fail"), "") is None


def test_dmarc_fail_at_our_server_holds() -> None:
    """dmarc=fail written by our server holds the message."""
    reason = held(headers(f"Authentication-Results: {OURS}; dmarc=fail header.from=x.test"), OURS)
    assert reason is not None and "dmarc=fail" in reason


def test_dmarc_pass_outweighs_a_failing_spf() -> None:
    """A DMARC pass (aligned DKIM) stands even when SPF failed, as after a forwarder."""
    line = f"Authentication-Results: {OURS}; spf=fail smtp.mailfrom=x.test; dkim=pass header.i=@x.test; dmarc=pass"
    assert held(headers(line), OURS) is None


def test_spf_fail_without_dkim_and_without_dmarc_holds() -> None:
    """No DMARC verdict, SPF failed and no DKIM signature passed: held."""
    assert held(headers(f"Authentication-Results: {OURS}; spf=fail smtp.mailfrom=x.test"), OURS)


def test_one_passing_dkim_signature_is_enough() -> None:
    """Of several DKIM results, one pass counts (RFC 6376)."""
    line = f"Authentication-Results: {OURS}; dkim=fail header.i=@a.test; dkim=pass header.i=@x.test; spf=fail smtp.mailfrom=x.test"
    assert held(headers(line), OURS) is None


def test_headers_from_other_servers_are_ignored() -> None:
    """Anyone can write an Authentication-Results header; only our server's name counts."""
    assert held(headers("Authentication-Results: mx.evil.test; dmarc=fail"), OURS) is None


def test_only_the_topmost_header_of_our_server_counts() -> None:
    """A header planted below ours with our name cannot overturn what our server wrote."""
    message = headers(
        f"Authentication-Results: {OURS}; dmarc=pass header.from=x.test",
        f"Authentication-Results: {OURS}; dmarc=fail header.from=x.test",
    )
    assert held(message, OURS) is None


def test_the_authserv_id_is_matched_without_case() -> None:
    """MX.Google.COM and mx.google.com are the same server."""
    assert held(headers("Authentication-Results: MX.Google.COM; dmarc=fail"), OURS)


def test_an_unreadable_header_says_nothing() -> None:
    """A header authres cannot parse neither holds nor clears the message."""
    assert held(headers(f"Authentication-Results: {OURS}; ;;; ==="), OURS) is None


EXCHANGE = (
    "Authentication-Results: spf=fail (sender IP is 192.0.2.1) smtp.mailfrom=x.test; "
    "dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=x.test;"
    "compauth=fail reason=000"
)


def test_microsoft_365_header_without_an_authserv_id_is_read_on_top() -> None:
    """Exchange Online's id-less header, topmost, is ours when the key says microsoft365."""
    reason = held(headers(EXCHANGE), "microsoft365")
    assert reason is not None and "dmarc=fail" in reason


def test_microsoft_365_trusts_no_header_below_the_top() -> None:
    """An id-less header a sender planted below Exchange's own stamp is not read."""
    ours = "Authentication-Results: spf=pass (sender IP is 192.0.2.9) smtp.mailfrom=x.test; dmarc=pass action=none header.from=x.test"
    assert held(headers(ours, EXCHANGE), "microsoft365") is None


def test_a_wildcard_names_every_receiving_host_of_a_domain() -> None:
    """ "*.messagingengine.com" trusts mx4.messagingengine.com, not messagingengine.com.evil."""
    trusted = "*.messagingengine.com"
    assert held(headers("Authentication-Results: mx4.messagingengine.com; dmarc=fail"), trusted)
    planted = "Authentication-Results: messagingengine.com.evil.test; dmarc=fail"
    assert held(headers(planted), trusted) is None
