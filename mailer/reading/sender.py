"""Who sent a message: the From address, read the RFC 5322 way and never out of a display name.

Owns `from_address(msg)`. A display name is text for people; whatever it says ("ada@example.com",
"Bcc: mallory@…", an RFC 2047 encoded word hiding either), it names no one. So the header is
parsed before any encoded word is decoded: by the standard library's header registry (RFC 5322
and RFC 2047 in the right order), and where it finds the header malformed, by the one angle-addr
the header carries, which is what mail servers and clients treat as the address. A From that
still names no single address gives "" (nobody), so the message can seat no one. Pure.
"""

from __future__ import annotations

import re
from email import policy
from email.message import Message
from email.utils import getaddresses
from typing import Any

_FOLD = re.compile(r"\r?\n[ \t]")
# An angle-addr outside any encoded word: "<local@domain>".
_ANGLE_ADDR = re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_ADDR_SPEC = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+")


def from_address(msg: Message) -> str:
    """The one address in the From header, lower-cased; "" when there is none or several."""
    values = msg.get_all("From") or []
    if len(values) != 1:
        return ""  # none, or two From headers: which one a reader sees depends on the program
    value = values[0]
    raw = _FOLD.sub(" ", str(value)).replace("\r", " ").replace("\n", " ").strip()
    return _registry_address(raw) or _fallback_address(raw)


def _registry_address(raw: str) -> str:
    """The address the header registry reads, when the header is well formed and names one."""
    try:
        parsed = policy.default.header_factory("From", raw)
    except Exception:  # the registry refuses some malformed headers outright
        return ""
    addresses: tuple[Any, ...] = tuple(getattr(parsed, "addresses", ()))
    if getattr(parsed, "defects", ()) or len(addresses) != 1:
        return ""
    address = str(addresses[0].addr_spec).strip().lower()
    return address if _ADDR_SPEC.fullmatch(address) else ""


def _fallback_address(raw: str) -> str:
    """A malformed From: its single angle-addr, else its single bare address, else nobody."""
    # Encoded words and quoted strings are display text, never an address.
    opaque = _QUOTED.sub(" ", _ENCODED_WORD.sub(" ", raw))
    angles = {found.lower() for found in _ANGLE_ADDR.findall(opaque)}
    if angles:
        return angles.pop() if len(angles) == 1 else ""
    found = {a.lower() for _, a in getaddresses([opaque]) if _ADDR_SPEC.fullmatch(a)}
    return found.pop() if len(found) == 1 else ""
