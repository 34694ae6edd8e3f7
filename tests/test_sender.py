"""The From address: read the RFC 5322 way, never out of a display name."""

from __future__ import annotations

import base64

import pytest

from mailer.reading.message import parse_mail

ADA = base64.b64encode(b"ada@example.com").decode()


@pytest.mark.parametrize(
    ("header", "sender"),
    [
        ("Ada Example <ADA@example.com>", "ada@example.com"),
        (f"=?utf-8?b?{ADA}?= <mallory@evil.test>", "mallory@evil.test"),
        ('"ada@example.com" <mallory@evil.test>', "mallory@evil.test"),
        ('"Ada <ada@example.com>" mallory@evil.test', "mallory@evil.test"),
        ("ada@example.com <mallory@evil.test>", "mallory@evil.test"),
        ("=?utf-8?q?Ada_Bcc:_mallory@evil.test?= <ada@example.com>", "ada@example.com"),
        ("ada@example.com, bob@example.com", ""),
        ("<>", ""),
    ],
)
def test_the_address_is_never_taken_from_display_text(header: str, sender: str) -> None:
    """Whatever a display name, quoted string or encoded word says, it names no one."""
    assert parse_mail(f"From: {header}\r\n\r\nyes\r\n".encode()).sender == sender


def test_two_from_headers_name_no_one() -> None:
    """With two From headers, which one a reader sees depends on the program: nobody's mail."""
    raw = b"From: ada@example.com\r\nFrom: mallory@evil.test\r\n\r\nyes\r\n"
    assert parse_mail(raw).sender == ""
