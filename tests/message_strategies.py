"""Hypothesis strategies for whole hostile or broken messages, as the raw bytes a server holds.

Broken MIME (wrong, missing or absent boundaries, deep nesting, message/rfc822 inside), charsets
(unknown, mislabelled, Latin-1 bytes in headers, RFC 2047 words broken or lying), calendar parts
that lie (METHOD:REPLY for another ATTENDEE, several VEVENTs, huge lines, bad dates) and header
injection through display names and subjects (CR/LF, "Bcc:" in encoded words, an address inside
an encoded display name), and delivery reports real or forged. The people are the test config's: `INVITEES`, an alias, strangers.
"""

from __future__ import annotations

import base64
import quopri

from hypothesis import strategies as st

INVITEES = ("ada@example.com", "grace@example.com", "linus@example.com")
ALIAS = "ada.example@work.example"  # Ada's alias in the project's config.toml
STRANGERS = ("mallory@evil.test", "eve@elsewhere.test")
ADDRESSES = (*INVITEES, ALIAS, *STRANGERS)
OUR_UID = "roundtable-2026-12-velocity@example.org"

addresses = st.sampled_from(ADDRESSES)
WORDS = (
    "Yes, count me in!",
    "Sorry, I can't make it.",
    "Maybe, I'll know next week.",
    "OBJECT",
    "I withdraw my objection.",
    "Thanks! Who else is coming?",
    "Ja, ich bin dabei.",
    "Je ne pourrai pas venir.",
    "Topic: platform teams",
    "",
)
words = st.one_of(st.sampled_from(WORDS), st.text(max_size=200))


def encoded_word(text: str, charset: str = "utf-8", b64: bool = False) -> bytes:
    """An RFC 2047 encoded-word carrying `text` (as UTF-8 bytes, whatever `charset` claims)."""
    data = text.encode("utf-8", "surrogatepass")
    if b64:
        return b"=?" + charset.encode() + b"?b?" + base64.b64encode(data) + b"?="
    body = quopri.encodestring(data, header=True).replace(b"=\n", b"")
    return b"=?" + charset.encode() + b"?q?" + body.replace(b"\n", b"=0A") + b"?="


@st.composite
def header_texts(draw: st.DrawFn) -> bytes:
    """A display name or subject: plain, Latin-1 bytes, or encoded words that may inject."""
    other = draw(addresses)
    payload = draw(
        st.sampled_from(
            [
                other,
                f"<{other}>",
                f"Ada <{other}>",
                f"x\r\nBcc: {other}",
                f"{other},",
                "Re: Peer-to-peer roundtable",
                "Automatic reply: away",
                "Accepted: Roundtable",
            ]
        )
        | st.text(max_size=40)
    )
    charset = draw(st.sampled_from(["utf-8", "iso-8859-1", "x-unknown", "utf-16", "UTF-8*en"]))
    shape = draw(st.integers(0, 5))
    if shape == 0:
        return payload.encode("utf-8", "replace")
    if shape == 1:
        return "Ren\xe9 M\xfcller ".encode("latin-1") + payload.encode("latin-1", "replace")
    if shape == 2:
        return encoded_word(payload, charset, draw(st.booleans()))
    if shape == 3:  # broken: no end, bad base64, or a lying length
        return draw(st.sampled_from([b"=?utf-8?q?", b"=?utf-8?b?!!!", b"=?utf-8?b?YWRh"])) + (
            payload.encode("utf-8", "replace") + draw(st.sampled_from([b"", b"?=", b"?"]))
        )
    if shape == 4:  # two words, the second lying about its charset
        return encoded_word(payload[:10]) + b" " + encoded_word(payload[10:], "us-ascii", True)
    return b'"' + payload.encode("utf-8", "replace").replace(b'"', b"") + b'"'


@st.composite
def from_headers(draw: st.DrawFn) -> bytes | None:
    """A From header value, or None for a message without one."""
    address = draw(addresses).encode()
    name = draw(header_texts())
    shape = draw(st.integers(0, 5))
    if shape == 0:
        return None
    if shape == 1:
        return address
    if shape == 2:
        return address + b" (" + name.replace(b"(", b"").replace(b")", b"") + b")"
    return name + b" <" + address + b">"


@st.composite
def calendars(draw: st.DrawFn) -> bytes:
    """An iCalendar object that may lie: another ATTENDEE, several VEVENTs, huge lines, bad dates."""
    method = draw(st.sampled_from(["REPLY", "REPLY", "REQUEST", "CANCEL", "reply", ""]))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    if method:
        lines.append(f"METHOD:{method}")
    for _ in range(draw(st.integers(0, 3))):
        uid = draw(st.sampled_from([OUR_UID, "board-sync@corp.test", ""]))
        partstat = draw(st.sampled_from(["ACCEPTED", "DECLINED", "TENTATIVE", "NEEDS-ACTION", ""]))
        start = draw(st.sampled_from(["20261210T220000Z", "20261345T990000", "yesterday", ""]))
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART:{start}"]
        for attendee in draw(st.lists(addresses, max_size=3)):
            lines.append(f"ATTENDEE;PARTSTAT={partstat};CN=Someone:mailto:{attendee}")
        if draw(st.booleans()):
            lines.append("DESCRIPTION:" + "x" * draw(st.sampled_from([10, 2_000, 120_000])))
        if draw(st.booleans()):
            lines.append("END:VEVENT")
    if draw(st.booleans()):
        lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode() + b"\r\n"


@st.composite
def leaves(draw: st.DrawFn) -> bytes:
    """One non-multipart part: headers, a blank line, a body in some charset and encoding."""
    kind = draw(st.sampled_from(["text/plain", "text/plain", "text/html", "text/calendar"]))
    if kind == "text/calendar":
        body = draw(calendars())
        extra = b'; method="REPLY"' if draw(st.booleans()) else b""
    else:
        text = draw(words)
        body = (f"<div>{text}</div>" if kind == "text/html" else text).encode("utf-8", "replace")
        extra = b""
    charset = draw(st.sampled_from([b"utf-8", b"iso-8859-1", b"x-unknown", b"utf-16", b""]))
    if charset == b"iso-8859-1" and draw(st.booleans()):
        body = body.decode("utf-8", "replace").encode("latin-1", "replace")
    encoding = draw(st.sampled_from([b"7bit", b"8bit", b"quoted-printable", b"base64", b"x-bad"]))
    if encoding == b"base64":
        body = base64.encodebytes(body)
        if draw(st.booleans()):
            body = body[: len(body) // 2] + b"!!"  # broken base64
    elif encoding == b"quoted-printable":
        body = quopri.encodestring(body)
    head = b"Content-Type: " + kind.encode() + extra
    head += b"; charset=" + charset if charset else b""
    return head + b"\r\nContent-Transfer-Encoding: " + encoding + b"\r\n\r\n" + body


def multipart(children: list[bytes], subtype: bytes, boundary: bytes, ending: int) -> bytes:
    """A multipart whose boundaries may be wrong, unclosed or missing from the body."""
    head = b"Content-Type: multipart/" + subtype + b'; boundary="' + boundary + b'"\r\n\r\n'
    used = boundary if ending != 2 else b"not-" + boundary
    body = b"".join(b"--" + used + b"\r\n" + child + b"\r\n" for child in children)
    closing = [b"--" + used + b"--\r\n", b"", b"--" + used + b"--\r\n", b"--wrong--\r\n"]
    return head + b"preamble\r\n" + body + closing[ending]


def attached(message: bytes) -> bytes:
    return b"Content-Type: message/rfc822\r\n\r\n" + message


def trees(leaf: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Leaves in multiparts and attached messages, a few levels deep."""

    def extend(inner: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
        return st.one_of(
            st.builds(
                multipart,
                st.lists(inner, min_size=0, max_size=4),
                st.sampled_from([b"mixed", b"alternative", b"report", b"related"]),
                st.sampled_from([b"B1", b"=_part", b"", b"a" * 80]),
                st.integers(0, 3),
            ),
            st.builds(attached, inner),
        )

    return st.recursive(leaf, extend, max_leaves=8)


@st.composite
def deep(draw: st.DrawFn) -> bytes:
    """A leaf nested inside hundreds of multiparts (each with its own boundary)."""
    part = draw(leaves())
    for level in range(draw(st.integers(20, 200))):
        part = multipart([part], b"mixed", b"L%d" % level, 0 if level % 7 else 1)
    return part


@st.composite
def broken_messages(draw: st.DrawFn) -> bytes:
    """A whole message: headers that may inject, over a body tree that may be broken."""
    headers = []
    sender = draw(from_headers())
    if sender is not None:
        headers.append(b"From: " + sender)
    headers.append(b"To: rsvp@example.org")
    headers.append(b"Subject: " + draw(header_texts()))
    headers.append(b"Message-ID: <" + draw(st.uuids()).hex.encode() + b"@fuzz.test>")
    for extra in draw(st.lists(st.sampled_from(_EXTRA_HEADERS), max_size=2, unique=True)):
        headers.append(extra)
    body = draw(st.one_of(trees(leaves()), deep(), st.binary(max_size=300)))
    if draw(st.booleans()):
        headers.append(b"MIME-Version: 1.0")
    return b"\r\n".join(headers) + b"\r\n" + body


_EXTRA_HEADERS = (
    b"Auto-Submitted: auto-replied",
    b"Return-Path: <>",
    b"In-Reply-To: <not-ours@example.org>",
    b"Precedence: bulk",
    b"Bcc: ada@example.com",
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=X",
)


@st.composite
def lying_calendar_replies(draw: st.DrawFn) -> bytes:
    """A well-formed iMIP REPLY from one person whose ATTENDEE is someone else (or several)."""
    sender = draw(addresses)
    attendees = draw(st.lists(addresses, min_size=1, max_size=2))
    partstat = draw(st.sampled_from(["ACCEPTED", "DECLINED", "TENTATIVE"]))
    ics = ["BEGIN:VCALENDAR", "METHOD:REPLY", "BEGIN:VEVENT", f"UID:{OUR_UID}"]
    ics += [f"ATTENDEE;PARTSTAT={partstat}:mailto:{a}" for a in attendees]
    ics += ["END:VEVENT", "END:VCALENDAR", ""]
    return (
        f"From: Someone <{sender}>\r\nTo: rsvp@example.org\r\nSubject: Accepted: Roundtable\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n"
    ).encode() + "\r\n".join(ics).encode()


@st.composite
def spoofed_replies(draw: st.DrawFn) -> bytes:
    """A plain yes or no whose display name carries an invitee's address; the real one differs."""
    victim = draw(st.sampled_from(INVITEES))
    real = draw(addresses).encode()
    name = draw(
        st.sampled_from(
            [
                encoded_word(victim),
                encoded_word(f"<{victim}>"),
                encoded_word(f"Ada <{victim}>", b64=True),
                encoded_word(f"{victim},"),
                b'"' + victim.encode() + b'"',
            ]
        )
    )
    sender = draw(st.sampled_from([name + b" <" + real + b">", name + b" " + real]))
    text = draw(st.sampled_from(["Yes, count me in!", "Sorry, I can't make it."]))
    return (
        b"From: " + sender + b"\r\nTo: rsvp@example.org\r\nSubject: Re: Roundtable\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + text.encode() + b"\r\n"
    )


@st.composite
def bounces(draw: st.DrawFn) -> bytes:
    """A delivery report, real or forged, naming any address as failed or delayed."""
    failed = draw(addresses)
    action = draw(st.sampled_from(["failed", "delayed", "delivered", "FAILED", ""]))
    status = draw(st.sampled_from(["5.1.1", "4.4.7", "2.0.0", "9.9.9", ""]))
    boundary = draw(st.sampled_from(["R", ""]))
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\nTo: rsvp@example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/plain\r\n\r\n<{failed}>: user unknown\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: {action}\r\nStatus: {status}\r\n"
        + draw(st.sampled_from([f"--{boundary}--\r\n", ""]))
    ).encode()


def messages() -> st.SearchStrategy[bytes]:
    """Broken or hostile messages of every sort above, the targeted lies among them."""
    return st.one_of(broken_messages(), lying_calendar_replies(), spoofed_replies(), bounces())
