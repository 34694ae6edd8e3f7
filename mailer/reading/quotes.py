"""Finding a sender's own words in a reply: quotes, quote headers and signatures removed.

Owns `visible_text` (plain text), `visible_html` (HTML in, plain text out) and `visible_body`, which
picks the best body of a parsed message. Everything here is pure string work on one message; which
lines count as a quote or a signature follows what real clients write (Gmail, Outlook, Apple Mail,
Thunderbird, phones) in the languages of our sample corpus.

Only the top of a body is read (`TEXT_LIMIT` characters of text, `HTML_LIMIT` of HTML source): a
real answer is at the top, and a multi-megabyte body must cost no more than a short one.
"""

from __future__ import annotations

import re
from email.message import Message
from html.parser import HTMLParser

# "On <date>, <name> wrote:" in the languages seen in real mail; clients wrap it over 2-3 lines.
# Some languages put the verb before the name ("Am ... schrieb Max <max@x.de>:").
_WROTE = re.compile(
    r"((wrote|writes|a\s+écrit|escribió|ha\s+scritto|escreveu|yazdı|書きました|写道|a\s+scris|"
    r"het\s+volgende\s+geschreven|napsal(\(a\)|a)?|pisze|のメール)"
    r"\s*[:：]?|(schrieb|schreef|skrev|napisał\w*|napisan\w*|написал\w*|пише|kirjoitti)\b.*[:：])"
    r"\s*-*\s*$",
    re.IGNORECASE,
)
_HEADER_START = re.compile(
    r"^[\s-]*(on|am|le|op|el|il|em|den|dnia|w\s+dniu|в|у|at|\d+|\w+,\s*\d+)\b",
    re.IGNORECASE,
)
# Gmail and mail.ru in some locales: "2016-02-01 9:58 GMT+01:00 Some One <foo@bar.com>:", no verb.
_DATED_ADDRESS_HEADER = re.compile(r"^.{0,40}\d.*<[^<>@\s]+@[^<>\s]+>\s*[:：]\s*$")
# Outlook and friends: a block of "From:/Sent:/To:/Subject:" lines, sometimes *bold* in plain text.
_FIELD = (
    r"from|von|de|van|da|fra|från|od|от|от кого|lähettäjä|feladó|差出人|发件人|寄件者|"
    r"sent|date|datum|gesendet|envoyé|enviado|inviato|verzonden|skickat|sendt|wysłano|дата|"
    r"отправлено|to|an|à|para|a|aan|till|til|do|кому|subject|betreff|objet|asunto|oggetto|"
    r"onderwerp|ämne|emne|temat|тема|cc|kopie|件名|主题|主旨|odesláno|komu|předmět|送信日時|宛先|"
    r"assunto"
)
_FIELD_LINE = re.compile(rf"^\s*\**\s*({_FIELD})\s*\**\s*[:：]", re.IGNORECASE)
_FROM_LINE = re.compile(
    r"^\s*\**\s*(from|von|de|van|da|fra|från|od|от|lähettäjä|差出人|发件人|寄件者)\s*\**\s*[:：]",
    re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*(-{2,}|_{2,})?\s*(original message|ursprüngliche nachricht|message d'origine|"
    r"mensaje original|messaggio originale|oorspronkelijk bericht|oprindelig meddelelse|"
    r"ursprungligt meddelande|opprinnelig melding|wiadomość oryginalna|исходное сообщение|"
    r"forwarded message|weitergeleitete nachricht|message transféré|reply message|"
    r"begin forwarded message:|anfang der weitergeleiteten nachricht:|début du message réexpédié)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*(_{5,}|-{5,}\s*$|={5,}\s*$)")
_QUOTED = re.compile(r"^\s*>")
# "-- " (RFC 3676 sig delimiter) and the bare lines of symbols some clients put above signatures.
_SIG_DELIMITER = re.compile(r"^\s*(--\s*|—|-{3,}|_{3,}|\*{3,}|#{3,}|~{3,}|={3,}|\+{3,}|ᐧ)\s*$")
_MOBILE_SIGNATURE = re.compile(
    r"^\W*("
    r"(sent|envoyé|enviado|inviato|verzonden|verstuurd|skickat|sendt|wysłane|gesendet|odesláno)\s+"
    r"(from|by|via|with|using|depuis|de|desde|da|met|vanaf|från|fra|z|von)\s"
    r"[\w .'\-()\[\]<>:/?=&]{0,80}?(\s*[.,;]\s*(please\s+)?(excuse|pardon|apologies|sorry)\b.*)?"
    r"|von meinem .* gesendet.*|diese nachricht wurde von meinem .* gesendet.*"
    r"|get \[?(the )?outlook for .*|from my (iphone|ipad|android|mobile|phone|blackberry).*"
    r"|\w+ from (a |my )?(mobile|phone)( device)?|從我的 .* 傳送|iphoneから送信"
    r")\W*$",
    re.IGNORECASE,
)
# "-Abhishek": a one-line signature some people sign with, as the last line.
_DASH_NAME = re.compile(r"^-\s?\w[\w .'-]{0,30}$")
_CODE_FENCE = re.compile(r"^\s*(```|~~~)")
_DIGIT_OR_AT = re.compile(r"\d|@")

# How much of a body is read: an answer is at the top, and reading stays linear and bounded.
TEXT_LIMIT = 32_000
HTML_LIMIT = 128_000


def _quote_header_length(lines: list[str], i: int) -> int:
    """How many lines of quote header start at line `i`; 0 when none does."""
    line = lines[i]
    if _ORIGINAL_MESSAGE.match(line) or _DATED_ADDRESS_HEADER.match(line):
        return 1
    if _SEPARATOR.match(line) and _field_block_follows(lines, i + 1):
        return 1
    if _FROM_LINE.match(line) and _field_block_follows(lines, i):
        return 1
    if _HEADER_START.match(line) or _DIGIT_OR_AT.search(line):
        # A sentence starting with "On" is only a header when it ends in "wrote:" (greedy_on).
        joined = line
        for extra in range(3):
            if _WROTE.search(joined) and len(joined) < 300:
                return extra + 1
            nxt = i + extra + 1
            if nxt >= len(lines) or not lines[nxt].strip() or _QUOTED.match(lines[nxt]):
                break
            if _HEADER_START.match(lines[nxt]):
                break  # the header starts on the next line ("Am heutigen Tage\nAm So., ...")
            joined += " " + lines[nxt].strip()
    return 0


def _field_block_follows(lines: list[str], start: int) -> bool:
    """Whether an Outlook-style header block (From: plus another field) starts near `start`."""
    window = [ln for ln in lines[start : start + 8] if ln.strip()][:5]
    fields = [ln for ln in window if _FIELD_LINE.match(ln)]
    return len(fields) >= 2 and any(_FROM_LINE.match(ln) for ln in fields)


def _quote_follows(lines: list[str], start: int) -> bool:
    """Whether the next non-blank line after a header is `>`-quoted (bottom-posting)."""
    for line in lines[start:]:
        if line.strip():
            return bool(_QUOTED.match(line))
    return False


def strip_quotes(text: str) -> str:
    """Remove `>`-quoted lines and quote headers; keep signatures.

    A header followed by `>` lines only introduces them (the answer may come below, as Thunderbird
    users write); a header followed by plain text starts an unmarked copy of the older message
    (Outlook, phones), so everything from there on goes.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        header = _quote_header_length(lines, i)
        if header and not _quote_follows(lines, i + header):
            break
        if header:
            i += header
            continue
        if not _QUOTED.match(lines[i]):
            kept.append(lines[i])
        i += 1
    return "\n".join(kept).strip()


def strip_signature(text: str) -> str:
    """Remove a trailing signature: from a "-- " line on, phone footers, a "-Name" last line.

    Closing salutations ("Best regards,\nAnn") stay: they are the sender's own words.
    """
    lines = [ln.rstrip() for ln in text.split("\n")]
    in_code = False
    for i, line in enumerate(lines):
        if _CODE_FENCE.match(line):
            in_code = not in_code
        elif i > 0 and not in_code and _SIG_DELIMITER.match(line):
            lines = lines[:i]
            break
    while lines and (not lines[-1].strip() or _MOBILE_SIGNATURE.match(lines[-1])):
        lines.pop()
    if len(lines) > 1 and _DASH_NAME.match(lines[-1]):
        lines.pop()
    return "\n".join(lines).strip()


def visible_text(text: str, *, keep_signature: bool = False) -> str:
    """The sender's own words in a plain-text body: quotes and (unless kept) signature removed."""
    own = strip_quotes(text)
    return own if keep_signature else strip_signature(own)


# Elements whose content is someone else's words (quotes) or not text at all.
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "blockquote"})
_SKIP_CLASSES = frozenset(
    {"gmail_quote", "gmail_attr", "moz-cite-prefix", "yahoo_quoted", "gmail_extra_quote"}
)
# Outlook puts the quoted message after these markers, not inside them: stop reading there.
_STOP_IDS = frozenset({"divrplyfwdmsg", "appendonsend", "olk_src_body_section", "replyseparator"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "ul", "ol"}
)
_VOID_TAGS = frozenset(
    {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
)


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML body outside quotes, up to Outlook's reply separator."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.skipping = 0
        self.stopped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stopped:
            return
        attr = {k.lower(): (v or "") for k, v in attrs}
        classes = set(attr.get("class", "").lower().split())
        if attr.get("id", "").lower() in _STOP_IDS or (tag == "hr" and not self.skipping):
            self.stopped = True
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        skip = tag in _SKIP_TAGS or bool(classes & _SKIP_CLASSES)
        self.stack.append((tag, skip))
        self.skipping += skip

    def handle_endtag(self, tag: str) -> None:
        if self.stopped:
            return
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                for _, skip in self.stack[depth:]:
                    self.skipping -= skip
                del self.stack[depth:]
                break
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.stopped and not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML body, without blockquotes and client quote containers."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except AssertionError:  # html.parser asserts on some broken markup; keep what was read
        pass
    text = "".join(extractor.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def visible_html(html: str, *, keep_signature: bool = False) -> str:
    """The sender's own words in an HTML body, as plain text."""
    return visible_text(html_to_text(html), keep_signature=keep_signature)


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name in the wild: utf-8 is the best guess
        return payload.decode("utf-8", errors="replace")


def _body_parts(msg: Message) -> list[Message]:
    """Inline text parts of `msg` in order, not descending into attached messages."""
    if msg.is_multipart():
        found: list[Message] = []
        for sub in msg.get_payload():
            if isinstance(sub, Message) and sub.get_content_maintype() != "message":
                found.extend(_body_parts(sub))
        return found
    if msg.get_content_maintype() != "text" or msg.get_content_disposition() == "attachment":
        return []
    return [msg]


def best_body(msg: Message) -> tuple[str, bool]:
    """The body a person reads: (text, is_html), text/plain preferred over HTML."""
    parts = _body_parts(msg)
    for part in parts:
        if part.get_content_subtype() == "plain":
            return _decoded(part), False
    for part in parts:
        if part.get_content_subtype() == "html":
            return _decoded(part), True
    return "", False


def _top(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, cut at a line end when one is near."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", limit // 2, limit)
    return text[: cut if cut > 0 else limit]


def visible_body(msg: Message, *, keep_signature: bool = False) -> str:
    """The sender's own words in a parsed message (an `EmailMessage` or compat32 `Message`).

    Only the top of the body is read: `HTML_LIMIT` characters of HTML, `TEXT_LIMIT` of text.
    """
    text, is_html = best_body(msg)
    if is_html:
        text = html_to_text(_top(text, HTML_LIMIT))
    return visible_text(_top(text, TEXT_LIMIT), keep_signature=keep_signature)
