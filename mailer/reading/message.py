"""One inbound message parsed once, for the reply rules to share.

Owns `ParsedMail` (the message plus the fields every `Reply` carries, and `reply()` to build one),
`parse_mail(raw)`, and the header and MIME-walking helpers the rules in `classify`, `bounces` and
`calendar` read messages with. Pure: no I/O, no clock.
"""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from functools import cached_property

from mailer.model import Intent, Kind, Reply
from mailer.reading.quotes import visible_body
from mailer.reading.sender import from_address

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ParsedMail:
    """One parsed message and the fields every Reply carries."""

    msg: Message
    raw: bytes
    sender: str
    subject: str
    message_id: str | None
    references: tuple[str, ...]

    @cached_property
    def visible(self) -> str:
        """The sender's own words (quotes and signature removed), read once for every rule."""
        return visible_body(self.msg)

    def reply(
        self,
        kind: Kind,
        rule: str,
        reason: str,
        *,
        intent: Intent | None = None,
        attendee: str | None = None,
        calendar_uid: str | None = None,
        bounced: tuple[str, ...] = (),
        permanent: bool = True,
        text: str = "",
        evidence: tuple[str, ...] = (),
    ) -> Reply:
        """A Reply carrying this message's sender, subject and threading ids."""
        return Reply(
            kind=kind,
            rule=rule,
            sender=self.sender,
            subject=self.subject,
            message_id=self.message_id,
            references=self.references,
            intent=intent,
            attendee=attendee,
            calendar_uid=calendar_uid,
            bounced=bounced,
            permanent=permanent,
            text=text,
            reason=reason,
            evidence=evidence,
        )


def header(msg: Message, name: str) -> str:
    """A header as readable text (RFC 2047 decoded), "" when missing or undecodable."""
    value = msg.get(name)
    if value is None:
        return ""
    try:
        text = str(make_header(decode_header(str(value))))
    except (LookupError, UnicodeError, ValueError, TypeError, AttributeError, HeaderParseError):
        text = str(value)
    return " ".join(text.split())


def parse_mail(raw: bytes) -> ParsedMail:
    """The message in `raw`, with its sender, subject and threading ids read once."""
    if raw.startswith(_BOM):  # some Windows tools save .eml files with a UTF-8 byte order mark
        raw = raw[len(_BOM) :]
    msg = email.message_from_bytes(raw)
    sender = from_address(msg)
    message_id = header(msg, "Message-ID") or None
    ids: list[str] = []
    for name in ("References", "In-Reply-To"):  # newest last: In-Reply-To is the parent
        for found in _MESSAGE_ID.findall(header(msg, name)):
            if found not in ids:
                ids.append(found)
    subject = header(msg, "Subject")
    return ParsedMail(msg, raw, sender, subject, message_id, tuple(ids))


def walk_parts(msg: Message) -> Iterator[Message]:
    """Every part of the MIME tree, attached messages included, tolerating odd payloads."""
    yield msg
    if msg.is_multipart():
        payload = msg.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    yield from walk_parts(sub)
