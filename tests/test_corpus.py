"""The classifier and the quote stripper against the shared corpus of 226 real emails.

Each MANIFEST.tsv row is one test id ("<kind>:<path>"). Rows we knowingly do not meet are listed in
KNOWN_MISMATCHES with the reason and run as strict xfails, so fixing one is noticed. The corpus
lives beside the clone (../shared/corpus) and is never copied into the project.
"""

from __future__ import annotations

import csv
import email
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from mailer.model import Intent, Kind
from mailer.reading.classify import classify
from mailer.reading.quotes import visible_body, visible_html, visible_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not (CORPUS / "MANIFEST.tsv").is_file():
    pytest.skip(
        "../shared/corpus not found: corpus tests need the shared folder beside the clone",
        allow_module_level=True,
    )

_TRIMMER_KEEPS_LEADING_QUOTE = (
    "discourse's trimmer keeps a leading '>' quote when text follows it; we drop every quoted "
    "line by design, so a 'yes' in a quote never counts"
)
_TOP_HEADER = (
    "the source treats text below a header block at the very top as the reply; we treat it as "
    "quoted/forwarded text, so a forwarded invitation never reads as an RSVP"
)
_CLOSER_KEPT = (
    "mail-parser-reply splits off the closing salutation as signature; we keep closers "
    "(discourse's trimmer expects them kept, e.g. 'Best regards\\n\\nSome One')"
)
KNOWN_MISMATCHES: dict[str, str] = {
    "replies/trimmer__quote_and_text.txt": _TRIMMER_KEEPS_LEADING_QUOTE,
    "replies/trimmer__quote_only.txt": _TRIMMER_KEEPS_LEADING_QUOTE,
    "replies/trimmer__embedded_email_16.txt": _TRIMMER_KEEPS_LEADING_QUOTE,
    "replies/trimmer__forwarded_message.txt": _TOP_HEADER,
    "replies/mpr__email_pl_1_1.txt": _TOP_HEADER,
    "replies/mpr__email_pl_1_2.txt": _TOP_HEADER,
    "replies/talon__reply-separated-by-hr.html": (
        "talon drops the whole element holding the <hr> (the name 'Bob' above it); we cut at "
        "the <hr> and keep the text before it"
    ),
    "replies/mpr__email_danish_1.txt": _CLOSER_KEPT,
    "replies/mpr__email_danish_2.txt": _CLOSER_KEPT,
    "replies/mpr__begins_with_signature.txt": (
        "the file is raw quoted-printable ('w=\\nrote:' soft break splits the header); real "
        "mail is QP-decoded by the email package before stripping"
    ),
    "bounces/flufl__qmail_08.txt": (
        "not a bounce: flufl's suite uses it only to check the qmail detector does not crash; it "
        "is a Spanish auto-reply (Precedence: auto_reply, Subject: Auto reply), so AUTOMATIC"
    ),
}

# Manifest rows whose expectation is prose (paraphrased from the source tests), restated as
# checks on our visible text: (startswith, must contain, must not contain).
_PROSE_CHECKS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "replies/gh-erp__correct_sig.txt": (
        "this is an email with a correct -- signature.",
        (),
        ("rick",),
    ),
    "replies/gh-erp__email_1_2.txt": (
        "Hi,",
        ("You can list the keys",),
        ("Abhishek", "riak-users"),
    ),
    "replies/gh-erp__email_1_5.txt": ("One: Here's what I've got.", ("This is a paragraph",), ()),
    "replies/gh-erp__email_1_8.txt": (
        "I will reply under this one",
        ("and under this.",),
        ("okay?", "Hey there, this is my signature"),
    ),
    "replies/gh-erp__email_long_quote.txt": ("Hi folks", (), ("Abhishek Kona",)),
    "replies/gh-erp__email_one_is_not_on.txt": (
        "",
        ("One outstanding question",),
        ("On Oct 1, 2012",),
    ),
    "replies/gh-erp__email_sig_delimiter_in_middle_of_line.txt": (
        "Hi there!",
        ("And here is a fix -- this is not a signature.", "kthxbai"),
        (),
    ),
    "replies/gh-erp__greedy_on.txt": ("On your remote host", (), ("On 9 Jan 2014",)),
    "replies/talon__reply-quotations-share-block.eml": ("", (), ("From",)),
    "replies/mpr__email_ja_1_2.txt": (
        "",
        ("お世話になっております。織田です。",),
        ("かしこまりました",),
    ),
    "replies/mpr__email_nl_1_1.txt": ("Hallo allemaal,", (), ("riak-gebruikers",)),
    # mail-parser-reply's first reply ends with Outlook's dash line; we drop it as a separator.
    "replies/mpr__email_nl_1_2.txt": ("Outlook met een antwoord", (), ("----", "Van:")),
    "replies/mpr__email_pl_1_2.txt": ("", (), ("Dnia 28 lutego 2023",)),
    "replies/mpr__email_3_1.txt": ("First reply.", (), ("schrieb", "second test reply")),
    "replies/mpr__multiline_on_de.txt": ("Am heutigen Tage", (), ("schrieb", "noreply@github.com")),
    "replies/mpr__outlook.txt": ("Dear Team,", (), ("From:", "Sent:")),
    "replies/mpr__forward.txt": ("FW: YYY Arrival Notice", ("Can I get 1 Arrival Notice",), ()),
    "replies/mpr__multi_header.txt": ("No problem. I’ll just start a new order.", (), ("wrote:",)),
    "replies/mpr__email_danish_1.txt": ("", ("Hej Peter,",), ("Med venlig hilsen",)),
    "replies/mpr__email_danish_2.txt": ("", ("Jeg har modtaget filerne.",), ("Hilsen\nSøren",)),
    "replies/mpr__email_pl_1_1.txt": ("", ("Czesc Anno",), ("Pozdrawiam,\nJan",)),
    "replies/mpr__begins_with_signature.txt": ("Thank you, Sonya Johnson.", (), ("Cody Hart",)),
}
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _rows() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _params() -> list[object]:
    params: list[object] = []
    for row in _rows():
        reason = KNOWN_MISMATCHES.get(row["path"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(row, id=f"{row['kind']}:{row['path']}", marks=marks))
    return params


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n")


def _visible(path: str) -> str:
    """Our visible text for a reply sample; talon's expectations keep signatures."""
    keep = Path(path).name.startswith("talon__")
    file = CORPUS / path
    if file.suffix == ".eml":
        return visible_body(email.message_from_bytes(file.read_bytes()), keep_signature=keep)
    text = file.read_text(encoding="utf-8", errors="replace")
    if file.suffix == ".html":
        return visible_html(text, keep_signature=keep)
    return visible_text(text, keep_signature=keep)


def _check_reply(row: dict[str, str]) -> None:
    path, expected = row["path"], row["expected"]
    if path.endswith(".eml"):
        assert classify((CORPUS / path).read_bytes()).kind is Kind.WRITTEN
    visible = _visible(path)
    if expected.startswith("visible-text-file:"):
        want = (CORPUS / expected.split(":", 1)[1].split()[0]).read_text(encoding="utf-8")
        if path.endswith(".html"):  # talon's HTML tests compare with all whitespace removed
            assert "".join(visible.split()) == "".join(want.split())
        else:
            assert visible.strip() == want.strip()
    elif expected.startswith("visible-startswith:"):
        assert visible.startswith(_unescape(_QUOTED.findall(expected)[0]))
    elif (
        expected.startswith(("visible-contains:", "visible-nonempty")) and path not in _PROSE_CHECKS
    ):
        # Quoted strings in the parenthesis or after "visible-not-contains" are not needles.
        for needle in _QUOTED.findall(expected.split(" (")[0].split("visible-not-contains")[0]):
            assert _unescape(needle) in visible
    if "first-reply-contains:" in expected:
        assert _unescape(_QUOTED.findall(expected.split("first-reply-contains:")[1])[0]) in visible
    if path in _PROSE_CHECKS:
        start, present, absent = _PROSE_CHECKS[path]
        assert visible.startswith(start)
        assert all(needle in visible for needle in present)
        assert not any(needle in visible for needle in absent)
    assert visible.strip() or path.endswith("trimmer__spam_1.txt")


def _check_bounce(row: dict[str, str]) -> None:
    reply = classify((CORPUS / row["path"]).read_bytes())
    assert (reply.kind, reply.rule) == (Kind.BOUNCE, "bounce")
    head = row["expected"].split()[0]
    assert reply.permanent is not head.startswith("bounce-delayed")
    if ":" in head:
        # Every expected address is reported; an Original-Recipient may add the address we wrote to.
        expected = {a.lower() for a in head.split(":", 1)[1].split(",")}
        assert expected <= set(reply.bounced)


def _check_imip(row: dict[str, str]) -> None:
    reply = classify((CORPUS / row["path"]).read_bytes())
    expected = row["expected"]
    if expected.startswith("no-calendar-part"):
        assert reply.kind is Kind.WRITTEN  # forwarded as an ordinary reply, as the server does
    elif "freebusy" in row["path"]:
        assert (reply.kind, reply.rule) == (Kind.OTHER, "calendar")
    elif "(no ATTENDEE)" in expected:
        assert (reply.kind, reply.attendee, reply.intent) == (Kind.CALENDAR, None, Intent.UNCLEAR)
    else:
        partstat, attendee = re.findall(r"PARTSTAT=([A-Z-]+):(\S+)", expected)[0]
        intents = {"ACCEPTED": Intent.YES, "DECLINED": Intent.NO, "TENTATIVE": Intent.MAYBE}
        assert (reply.kind, reply.intent, reply.attendee) == (
            Kind.CALENDAR,
            intents[partstat],
            attendee.lower(),
        )
        assert reply.calendar_uid


def _check_autoreply(row: dict[str, str]) -> None:
    reply = classify((CORPUS / row["path"]).read_bytes())
    assert (reply.kind, reply.rule) == (Kind.AUTOMATIC, "automatic")


def _check_other(row: dict[str, str]) -> None:
    """Invitations and reports must be OTHER; other negatives must at least not be an RSVP."""
    reply = classify((CORPUS / row["path"]).read_bytes())
    strict = re.search(r"METHOD=|MDN|ARF", row["expected"] + row["note"])
    if strict:
        assert reply.kind is Kind.OTHER
    else:
        assert reply.kind not in (Kind.BOUNCE, Kind.CALENDAR)
        assert reply.intent in (None, Intent.UNCLEAR)


_CHECKS: dict[str, Callable[[dict[str, str]], None]] = {
    "reply": _check_reply,
    "bounce": _check_bounce,
    "imip": _check_imip,
    "autoreply": _check_autoreply,
    "other": _check_other,
}


@pytest.mark.parametrize("row", _params())
def test_corpus_row_means_what_the_manifest_says(row: dict[str, str]) -> None:
    """A corpus message is classified (or stripped) as its manifest row expects."""
    _CHECKS[row["kind"]](row)
