"""Recognizing machine reports: bounces (failure and delay DSNs, classic bounces) and the rest.

Owns two reply rules. `bounce`: a failure or delay DSN (RFC 3464), else a message that looks like a
bounce (daemon sender or bounce subject) read with flufl.bounce's detectors; it names the bounced
addresses and whether the failure is permanent. `report`: any other multipart/report, such as read
receipts (RFC 8098), abuse reports (RFC 5965) and success DSNs, which is never a person's answer.

A delivery warning (Action: delayed, "still being retried", "WARNING MESSAGE ONLY", a "Delivery
Status Notification (Delay)") is never a final failure: `permanent=False`, whatever addresses a
detector finds. flufl.bounce logs each detector's crash with a full traceback on its own logger;
`_QuietDetectors` demotes those records to one DEBUG line, and the crash becomes the reason.
"""

from __future__ import annotations

import base64
import email
import logging
import re
from email.message import Message
from email.parser import HeaderParser
from email.utils import parseaddr

from flufl.bounce import all_failures

from mailer.model import Kind, Reply
from mailer.reading.message import ParsedMail, header, walk_parts

# Who sends bounces, and what they call them (Postfix, Exim, Exchange, qmail, Gmail, localized).
_DAEMON_SENDER = re.compile(
    r"^(mailer-daemon|mailer_daemon|postmaster|poostmaster|mail-daemon|mdaemon|mail\.delivery)\b|"
    r"mail delivery (system|subsystem|warning|service|notification|failure)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|returned (mail|to sender)|delivery (status notification|failure|"
    r"failed|has failed|problem|report|notification: delivery has failed)|mail delivery failed|"
    r"failure (notice|delivery)|delivery failure|could not be delivered|not delivered|"
    r"mail system error|failed mail|delayed mail|message delayed|warning: message .* delayed|"
    r"could not send message|cannot send message|non remis|non recapitabile|unzustellbar|"
    r"nicht zustellbar|onbestelbaar|no entregado|mail failure|delivery status notification",
    re.IGNORECASE,
)
_DELAY_SUBJECT = re.compile(
    r"\b(delay|delayed|warning|still being retried|will be retried|not (yet )?delivered yet)\b|"
    r"could not send message for past",
    re.IGNORECASE,
)
# What a warning says at the top of its text: the server keeps trying, nothing has failed yet.
_WARNING_TEXT = re.compile(
    r"warning message only|this is a warning only|(?:do not|don't) need to resend|"
    r"(?<!not )\bwill (?:keep trying|retry|continue (?:to try|trying|to retry|to attempt))\b|"
    r"\bstill being retried\b|\bdelivery attempts will continue\b|\bhas not yet been delivered\b|"
    r"\bnot (?:been )?delivered yet\b|\bdelivery (?:has been|is|was) delayed\b|"
    r"\bhas been delayed\b|\bno action is required\b",
    re.IGNORECASE,
)
_REPLY_SUBJECT = re.compile(r"^\s*(re|aw|sv|antw|vs|odp)\s*:", re.IGNORECASE)
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/]{16,}={0,2}$", re.MULTILINE)


def _recipient(value: str) -> str:
    """The address in a DSN recipient field ("rfc822; ann@example.org"), lower-cased."""
    address = value.split(";", 1)[-1].strip().strip("<>").strip()
    return address.lower() if "@" in address else ""


def _dsn_blocks(part: Message) -> list[Message]:
    """The per-message and per-recipient field blocks of a message/delivery-status part."""
    payload = part.get_payload()
    blocks = [b for b in payload if isinstance(b, Message)] if isinstance(payload, list) else []
    if any(block.get("Action") for block in blocks):
        return blocks
    # Some MTAs base64-encode the per-recipient fields (MimeKit's Postfix sample declares the
    # encoding inside the first block): decode the base64 run and read its blocks.
    text = "\n".join(block.as_string() for block in blocks) if blocks else str(payload)
    encoded = "".join(_BASE64_LINE.findall(text))
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8", "replace")
    except ValueError:
        return blocks
    parser = HeaderParser()
    return blocks + [parser.parsestr(b.strip()) for b in re.split(r"\n\s*\n", decoded) if b]


def _read_dsn(msg: Message) -> tuple[list[str], list[str], set[str]] | None:
    """(failed, delayed, actions) of every delivery-status part; None when there is none."""
    parts = [p for p in walk_parts(msg) if p.get_content_type() == "message/delivery-status"]
    if not parts:
        return None
    failed: list[str] = []
    delayed: list[str] = []
    actions: set[str] = set()
    for part in parts:
        for block in _dsn_blocks(part):
            action = block.get("Action", "").strip().lower()
            if not action:
                continue
            actions.add(action.split()[0])
            # RFC 3464: failed is permanent; delayed is a warning; opensmtpd writes "error".
            target = failed if action.startswith(("fail", "error")) else None
            target = delayed if action.startswith("delay") else target
            if target is None:
                continue
            # Original-Recipient (ORCPT), when present, is the address we actually wrote to, the
            # one the caller can match; Final-Recipient (mandatory) may be a forwarding target.
            for field in ("Original-Recipient", "Final-Recipient"):
                address = _recipient(block.get(field, ""))
                if address and address not in target:
                    target.append(address)
    return failed, delayed, actions


class _QuietDetectors(logging.Filter):
    """Demotes flufl.bounce's records to one DEBUG line without a traceback.

    flufl logs every detector it runs at INFO and each detector's crash with log.exception, which
    would put a library traceback on the organizer's terminal during a plain `mailer tick`. We
    catch the crash ourselves and name it in the Reply's reason.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()}: {type(error).__name__}: {error}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


_FLUFL_LOG = logging.getLogger("flufl.bounce")
if not any(isinstance(f, _QuietDetectors) for f in _FLUFL_LOG.filters):
    _FLUFL_LOG.addFilter(_QuietDetectors())


def _looks_bounced(mail: ParsedMail) -> bool:
    """Signs of a bounce: a daemon sender, or a bounce subject that is no person's "Re: ..."."""
    display_name, _ = parseaddr(header(mail.msg, "From"))
    if _DAEMON_SENDER.search(mail.sender.split("@")[0]) or _DAEMON_SENDER.search(display_name):
        return True
    return not _REPLY_SUBJECT.match(mail.subject) and bool(_BOUNCE_SUBJECT.search(mail.subject))


def _ascii_headers(raw: bytes) -> Message:
    """The message again with every non-ASCII byte of its header block replaced by "?".

    A raw Latin-1 byte in a header makes the email package return a Header object where
    flufl's detectors expect a str, and the first detector to call .lower() on it crashes.
    """
    end = min((i for i in (raw.find(b"\n\n"), raw.find(b"\r\n\r\n")) if i >= 0), default=len(raw))
    head = bytes(b if b < 128 else 63 for b in raw[:end])
    return email.message_from_bytes(head + raw[end:])


def _flufl(mail: ParsedMail) -> tuple[list[str], list[str], str]:
    """flufl.bounce's (permanent, temporary) addresses, and why it gave none if it crashed."""
    try:
        temporary, permanent = all_failures(mail.msg)
    except Exception:
        try:
            temporary, permanent = all_failures(_ascii_headers(mail.raw))
        except Exception as exc:  # a detector crashing (e.g. Yale's on a missing From)
            return [], [], f"bounce detector failed ({type(exc).__name__})"

    def clean(found: frozenset[bytes]) -> list[str]:
        text = (a.decode("ascii", "replace").lower() for a in found)
        return sorted(a for a in text if re.fullmatch(r"[^@\s\"{}]+@[\w.-]+", a))

    return clean(permanent), clean(temporary), ""


def _warning(mail: ParsedMail) -> str | None:
    """The subject or words that make this a delivery warning, not a final failure."""
    found = _DELAY_SUBJECT.search(mail.subject)
    if found:
        return f"Subject: {mail.subject}"
    words = _WARNING_TEXT.search(mail.visible[:4000])
    return words.group(0) if words else None


def _verdict(
    mail: ParsedMail,
    source: str,
    failed: list[str],
    delayed: list[str],
    evidence: tuple[str, ...],
) -> Reply:
    """A failure for good if any address failed, else a delay warning (the server keeps trying)."""
    permanent = bool(failed)
    addresses = failed if permanent else delayed
    what = "failed" if permanent else "delayed"
    return mail.reply(
        Kind.BOUNCE,
        "bounce",
        f"{source}: delivery {what} for {', '.join(addresses)}",
        bounced=tuple(addresses),
        permanent=permanent,
        evidence=evidence,
    )


def bounce(mail: ParsedMail) -> Reply | None:
    """Rule 1: a failure or delay DSN, or a classic bounce; Kind.BOUNCE naming the addresses."""
    dsn = _read_dsn(mail.msg)
    if dsn is not None and (dsn[0] or dsn[1]):
        actions = tuple(f"Action: {action}" for action in sorted(dsn[2]))
        return _verdict(mail, "DSN", dsn[0], dsn[1], actions)
    if (dsn is not None and dsn[2]) or not _looks_bounced(mail):
        return None  # a success DSN (delivered, relayed, expanded) is left to the "report" rule
    warning = _warning(mail)
    evidence = (warning or f"Subject: {mail.subject}",)
    permanent, temporary, crashed = _flufl(mail)
    if warning:  # a warning names addresses still being tried, whatever the detector called them
        permanent, temporary = [], sorted(set(permanent) | set(temporary))
    if permanent or temporary:
        return _verdict(mail, "bounce", permanent, temporary, evidence)
    what = "delivery warning" if warning else "bounce"
    return mail.reply(
        Kind.BOUNCE,
        "bounce",
        f"{what} from {mail.sender or 'an unnamed sender'}, no address found"
        f"{f' ({crashed})' if crashed else ''}: {mail.subject!r}",
        permanent=warning is None,
        evidence=evidence,
    )


def report(mail: ParsedMail) -> Reply | None:
    """Rule 2: any other machine report (read receipt, abuse report, success DSN); Kind.OTHER."""
    for part in walk_parts(mail.msg):
        kind = part.get_content_type()
        if kind == "multipart/report":
            report_type = str(part.get_param("report-type", "") or "").lower()
            return mail.reply(
                Kind.OTHER,
                "report",
                f"multipart/report ({report_type or '?'})",
                evidence=(f"Content-Type: multipart/report; report-type={report_type or '?'}",),
            )
        if kind in ("message/disposition-notification", "message/feedback-report"):
            return mail.reply(Kind.OTHER, "report", kind, evidence=(f"Content-Type: {kind}",))
        if kind == "message/delivery-status":
            return mail.reply(
                Kind.OTHER,
                "report",
                "delivery-status without a failure",
                evidence=("Content-Type: message/delivery-status",),
            )
    return None
