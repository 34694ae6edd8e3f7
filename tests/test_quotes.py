"""Stripping quotes, quote headers and signatures, on small literal inputs."""

import email
from email import policy

import pytest

from mailer.reading.quotes import visible_body, visible_html, visible_text


def test_quoted_lines_are_removed() -> None:
    """Lines starting with ">" are someone else's words."""
    assert visible_text("Yes!\n> Reply yes to take a seat.\n> Thanks") == "Yes!"


def test_on_wrote_header_is_removed() -> None:
    """An "On ... wrote:" line introducing a quote is removed with the quote."""
    text = "Count me in\n\nOn Mon, 30 Nov 2026 at 18:00, Roundtable <r@x.org> wrote:\n> Reply yes"
    assert visible_text(text) == "Count me in"


def test_multi_line_on_wrote_header_is_removed() -> None:
    """A header wrapped over two lines is still a header."""
    text = "I get it\n\nOn Mon, Nov 30, 2026 at 6:00 PM, Some One <\nfoo@bar.com> wrote:\n> yes"
    assert visible_text(text) == "I get it"


@pytest.mark.parametrize(
    "header",
    [
        "Am 30.11.2026 um 18:00 schrieb Roundtable <r@x.org>:",
        "Le lun. 30 nov. 2026 à 18:00, Roundtable <r@x.org> a écrit :",
        "Op 30 nov. 2026 om 18:00 schreef Roundtable <r@x.org>:",
        "Den 30. nov. 2026 kl. 18.00 skrev Roundtable <r@x.org>:",
        "2026-11-30 18:00 GMT+01:00 Roundtable <r@x.org>:",
    ],
)
def test_localized_quote_headers_start_the_quote(header: str) -> None:
    """German, French, Dutch, Scandinavian and Gmail's dated headers start a quote."""
    assert visible_text(f"Ja, gerne.\n\n{header}\n\nReply yes to take a seat.") == "Ja, gerne."


def test_sentence_starting_with_on_is_not_a_header() -> None:
    """ "On your remote host you can run:" does not end in "wrote:", so it is kept."""
    text = "On your remote host you can run:\n\n  telnet 127.0.0.1 52698\n\nThat works."
    assert visible_text(text).startswith("On your remote host you can run:")


def test_outlook_header_block_starts_the_quote() -> None:
    """A From:/Sent:/To:/Subject: block starts an unmarked copy of the older message."""
    text = (
        "No, sorry.\n\n________________________________\nFrom: Roundtable <r@x.org>\n"
        "Sent: Monday, November 30, 2026 6:00 PM\nTo: Jo\nSubject: Roundtable\n\nReply yes."
    )
    assert visible_text(text) == "No, sorry."


def test_localized_outlook_header_block_starts_the_quote() -> None:
    """The German Von:/Gesendet:/An:/Betreff: block is a header block too."""
    text = (
        "Leider nicht.\n\nVon: Roundtable <r@x.org>\nGesendet: Montag\nAn: Jo\nBetreff: RT\n\nJa?"
    )
    assert visible_text(text) == "Leider nicht."


def test_original_message_separator_starts_the_quote() -> None:
    """ "-----Original Message-----" starts the quote."""
    assert visible_text("Maybe.\n-----Original Message-----\nReply yes") == "Maybe."


def test_header_followed_by_quote_keeps_bottom_posted_answer() -> None:
    """A header followed by ">" lines only introduces them; the answer below stays."""
    text = "On 04/02/2026 06:26 PM, Roundtable wrote:\n> Will you come?\nYes, see you there"
    assert visible_text(text) == "Yes, see you there"


def test_signature_after_dash_dash_is_removed() -> None:
    """Everything after a "-- " line is a signature."""
    assert visible_text("Yes\n\n-- \nAnn Lee\nACME Corp") == "Yes"


def test_phone_footer_is_removed() -> None:
    """ "Sent from my iPhone" and similar footers are not the sender's words."""
    assert visible_text("Count me in\n\nSent from my iPhone") == "Count me in"


def test_phone_footer_is_kept_when_asked() -> None:
    """keep_signature=True removes only quotes, as talon does."""
    assert visible_text("Hi\n\nSent from my iPhone\n> quoted", keep_signature=True) == (
        "Hi\n\nSent from my iPhone"
    )


def test_sent_from_sentence_is_not_a_footer() -> None:
    """A real sentence starting "Sent from my desk, ..." stays."""
    text = "Here it is\n\nSent from my desk, is much easier then my mobile phone."
    assert visible_text(text).endswith("mobile phone.")


def test_dash_in_the_middle_of_a_line_is_not_a_signature() -> None:
    """Only a line that is just "--" delimits a signature."""
    assert visible_text("Yes -- see you there") == "Yes -- see you there"


def test_quote_only_text_is_empty() -> None:
    """A yes that only appears in the quoted text leaves nothing visible."""
    assert visible_text("> Reply yes to take a seat") == ""


def test_html_blockquote_is_removed() -> None:
    """An HTML blockquote (Apple's type=cite too) is a quote."""
    html = '<div>Yes</div><blockquote type="cite"><div>Reply yes</div></blockquote>'
    assert visible_html(html) == "Yes"


def test_gmail_quote_is_removed() -> None:
    """Gmail's div.gmail_quote, with its "On ... wrote:" attribution, is a quote."""
    html = (
        '<div dir="ltr">No, sorry</div><div class="gmail_quote"><div class="gmail_attr">'
        "On Mon wrote:</div><blockquote>Reply yes</blockquote></div>"
    )
    assert visible_html(html) == "No, sorry"


def test_outlook_reply_marker_ends_the_text() -> None:
    """Outlook puts the old message after #appendonsend / #divRplyFwdMsg: reading stops there."""
    html = '<p>Maybe</p><div id="appendonsend"></div><hr><div id="divRplyFwdMsg">From: x</div>yes'
    assert visible_html(html) == "Maybe"


def test_html_entities_and_breaks_become_text() -> None:
    """Character references are decoded and <br> becomes a line break."""
    assert visible_html("I&#8217;m in<br>Ann") == "I’m in\nAnn"


def test_body_prefers_plain_text_part() -> None:
    """visible_body reads text/plain when the message has it."""
    raw = (
        b'Content-Type: multipart/alternative; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        b"Plain yes\n--b\nContent-Type: text/html\n\n<p>HTML yes</p>\n--b--\n"
    )
    assert visible_body(email.message_from_bytes(raw, policy=policy.default)) == "Plain yes"


def test_body_falls_back_to_html() -> None:
    """visible_body converts HTML when there is no text/plain part."""
    raw = b"Content-Type: text/html\n\n<p>HTML no</p><blockquote>yes</blockquote>\n"
    assert visible_body(email.message_from_bytes(raw)) == "HTML no"


def test_body_skips_attached_messages() -> None:
    """An attached message/rfc822 is not the sender's body."""
    raw = (
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: message/rfc822\n\n'
        b"Subject: old\n\nyes from the old mail\n--b--\n"
    )
    assert visible_body(email.message_from_bytes(raw)) == ""
