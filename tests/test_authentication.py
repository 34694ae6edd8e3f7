"""Sender authentication: only the organizer's own server's Authentication-Results count."""

from __future__ import annotations

import email

from mailer.reading.authentication import held

OURS = "mx.google.com"


def headers(*lines: str) -> email.message.Message:
    head = "".join(f"{line}\n" for line in lines)
    return email.message_from_string(head + "From: Ada <ada@x.test>\n\nyes\n")


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


def test_a_failure_in_our_run_of_headers_holds_even_under_a_pass() -> None:
    """A failure anywhere in our server's headers holds (a planted one can only hold its own
    sender's message); a pass clears only from the top."""
    message = headers(
        f"Authentication-Results: {OURS}; dmarc=pass header.from=x.test",
        f"Authentication-Results: {OURS}; dmarc=fail header.from=x.test",
    )
    assert held(message, OURS)


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


def test_passes_for_another_domain_do_not_vouch_for_the_from() -> None:
    """Without DMARC, SPF and DKIM passes for the sender's own domain prove nothing about From."""
    line = f"Authentication-Results: {OURS}; dkim=pass header.d=evil.test; spf=pass smtp.mailfrom=a@evil.test; dmarc=none"
    assert held(headers(line), OURS)


def test_an_aligned_dkim_pass_vouches_without_dmarc() -> None:
    """Without DMARC, a DKIM pass by the From domain (or its parent) is enough."""
    line = f"Authentication-Results: {OURS}; dkim=pass header.d=x.test; spf=softfail smtp.mailfrom=a@bounce.other.test"
    assert held(headers(line), OURS) is None


def test_our_header_authres_cannot_parse_still_counts() -> None:
    """A verdict our server wrote with a value authres refuses (an IPv6 address) is still read."""
    line = f"Authentication-Results: {OURS}; spf=fail smtp.remote-ip=2001:db8::25; dmarc=fail header.from=x.test"
    planted = f"Authentication-Results: {OURS}; dmarc=pass header.from=x.test"
    assert held(headers(line, planted), OURS)


def test_every_header_our_server_wrote_on_top_is_read() -> None:
    """OpenDKIM's header on top and OpenDMARC's under it: the dmarc=fail below still holds."""
    message = headers(
        f"Authentication-Results: {OURS}; dkim=pass header.d=evil.test",
        f"Authentication-Results: {OURS}; dmarc=fail header.from=x.test",
    )
    assert held(message, OURS)


def test_a_pass_planted_under_our_header_vouches_for_nothing() -> None:
    """Only our topmost header can clear a message: an aligned pass planted below it is not read."""
    message = headers(
        f"Authentication-Results: {OURS}; spf=fail smtp.mailfrom=a@evil.test",
        f"Authentication-Results: {OURS}; dkim=pass header.d=x.test; dmarc=pass",
    )
    assert held(message, OURS)
