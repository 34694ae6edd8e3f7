"""Each classifier rule alone, on hand-written sample mails in tests/mails/ loaded by name."""

import logging
import time
from pathlib import Path

import pytest

from mailer.model import Intent, Kind
from mailer.reading.classify import classify
from mailer.reading.quotes import TEXT_LIMIT

MAILS = Path(__file__).parent / "mails"


def mail(name: str) -> bytes:
    """The raw bytes of one sample mail."""
    return (MAILS / name).read_bytes()


def test_written_yes_top_posted_reads_the_visible_text() -> None:
    """A Gmail top-posted "Yes, count me in!" is a WRITTEN yes; the quote is not in `text`."""
    reply = classify(mail("gmail_yes_top_posted.eml"))
    assert (reply.kind, reply.rule, reply.intent) == (Kind.WRITTEN, "written", Intent.YES)
    assert reply.text == "Yes, count me in!\n\nAnn"
    assert reply.sender == "ann.lee@gmail.com"


def test_threading_ids_are_kept_newest_last() -> None:
    """References then In-Reply-To, deduplicated, angle brackets kept, newest last."""
    reply = classify(mail("gmail_yes_top_posted.eml"))
    assert reply.message_id == "<CAF3xyz123@mail.gmail.com>"
    assert reply.references == (
        "<series-2026@roundtable.example.org>",
        "<invite-2026-12@roundtable.example.org>",
    )


def test_written_decline_from_apple_mail() -> None:
    """ "Sorry, I can't make it" above "Sent from my iPhone" and a quote is a WRITTEN no."""
    reply = classify(mail("apple_mail_decline.eml"))
    assert (reply.kind, reply.intent) == (Kind.WRITTEN, Intent.NO)
    assert "iPhone" not in reply.text and "yes" not in reply.text


def test_yes_only_in_quote_counts_for_nothing() -> None:
    """A "yes" that appears only in the quoted invitation leaves the intent UNCLEAR."""
    reply = classify(mail("yes_only_in_quote.eml"))
    assert (reply.kind, reply.intent) == (Kind.WRITTEN, Intent.UNCLEAR)


def test_html_only_reply_stops_at_outlook_marker() -> None:
    """An HTML-only Outlook reply is read up to #appendonsend: a NO, not the quoted "Yes!"."""
    reply = classify(mail("html_only_decline.eml"))
    assert (reply.kind, reply.intent) == (Kind.WRITTEN, Intent.NO)


def test_outlook_calendar_accept_is_a_calendar_yes() -> None:
    """An Outlook text/calendar METHOD:REPLY (base64) with PARTSTAT=ACCEPTED is a CALENDAR yes."""
    reply = classify(mail("outlook_accept.eml"))
    assert (reply.kind, reply.rule, reply.intent) == (Kind.CALENDAR, "calendar", Intent.YES)
    assert reply.attendee == "bob.stone@contoso.example"
    assert reply.calendar_uid == "rt-2026-12-10@roundtable.example.org"


def test_bare_ics_reply_reads_attendee_not_organizer() -> None:
    """A bare .ics REPLY: the ATTENDEE's TENTATIVE (EMAIL param) counts, not the ORGANIZER's."""
    reply = classify(mail("calendar_reply_tentative.ics"))
    assert (reply.kind, reply.intent, reply.attendee) == (
        Kind.CALENDAR,
        Intent.MAYBE,
        "kim@example.org",
    )


def test_broken_calendar_attachment_is_still_read() -> None:
    """A nested .ics attachment icalendar cannot parse is read line by line."""
    reply = classify(mail("calendar_reply_broken.eml"))
    assert (reply.kind, reply.intent, reply.attendee) == (
        Kind.CALENDAR,
        Intent.NO,
        "lee@example.com",
    )


def test_request_with_accepted_is_not_an_rsvp() -> None:
    """A METHOD:REQUEST whose organizer is ACCEPTED is an invitation: OTHER."""
    reply = classify(mail("request_with_accepted.eml"))
    assert (reply.kind, reply.rule, reply.intent) == (Kind.OTHER, "calendar", None)


def test_calendar_reply_without_attendee_keeps_sender() -> None:
    """A REPLY with no ATTENDEE is a CALENDAR reply with attendee None and UNCLEAR intent."""
    raw = (
        b"From: Ann <ann@example.org>\nContent-Type: text/calendar; method=REPLY\n\n"
        b"BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nUID:u1\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    reply = classify(raw)
    assert (reply.kind, reply.attendee, reply.intent) == (Kind.CALENDAR, None, Intent.UNCLEAR)
    assert reply.sender == "ann@example.org"


def test_out_of_office_is_automatic() -> None:
    """An Exchange out-of-office reply is AUTOMATIC, whatever its body says."""
    reply = classify(mail("out_of_office_exchange.eml"))
    assert (reply.kind, reply.rule) == (Kind.AUTOMATIC, "automatic")
    assert "Auto-Submitted" in reply.reason


def test_auto_reply_subject_alone_is_automatic() -> None:
    """Without any header, an "Automatic reply:" subject marks an auto-reply."""
    raw = b"From: a@example.org\nSubject: Automatic reply: Roundtable\n\nYes, I am away."
    assert classify(raw).kind is Kind.AUTOMATIC


def test_auto_submitted_no_is_a_person() -> None:
    """RFC 3834 "Auto-Submitted: no" means a person wrote it."""
    raw = b"From: a@example.org\nAuto-Submitted: no\nSubject: Re: RT\n\nYes"
    assert classify(raw).kind is Kind.WRITTEN


def test_dsn_failure_is_a_permanent_bounce() -> None:
    """A failed DSN is a permanent BOUNCE naming the original and final recipients."""
    reply = classify(mail("bounce_dsn_seated.eml"))
    assert (reply.kind, reply.rule, reply.permanent) == (Kind.BOUNCE, "bounce", True)
    assert reply.bounced == ("frank@example.org", "frank@old.example.com")


def test_bounce_is_checked_before_auto_reply() -> None:
    """A bounce carrying Auto-Submitted: auto-replied is still a BOUNCE."""
    raw = mail("bounce_dsn_seated.eml")
    assert b"Auto-Submitted: auto-replied" in raw
    assert classify(raw).kind is Kind.BOUNCE


def test_dsn_delay_is_a_temporary_bounce() -> None:
    """Action: delayed is a BOUNCE with permanent=False."""
    reply = classify(mail("bounce_dsn_delayed.eml"))
    assert (reply.kind, reply.permanent, reply.bounced) == (
        Kind.BOUNCE,
        False,
        ("frank@old.example.com",),
    )


def test_success_dsn_is_not_a_bounce() -> None:
    """A DSN whose Action is delivered is a report, OTHER."""
    reply = classify(mail("dsn_delivered.eml"))
    assert (reply.kind, reply.rule) == (Kind.OTHER, "report")


def test_classic_bounce_uses_flufl_detectors() -> None:
    """A qmail "failure notice" without a DSN is a BOUNCE with the failed address lower-cased."""
    reply = classify(mail("classic_bounce_qmail.eml"))
    assert (reply.kind, reply.bounced) == (Kind.BOUNCE, ("ivan.berg@example.net",))


def test_read_receipt_is_not_a_bounce() -> None:
    """An MDN (report-type=disposition-notification) with Final-Recipient is OTHER."""
    reply = classify(mail("mdn_read_receipt.eml"))
    assert (reply.kind, reply.rule) == (Kind.OTHER, "report")


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \x80",
        b"\r\n\r\n",
        b"From: <<<>>>\nContent-Type: multipart/x\n\n",
    ],
)
def test_malformed_bytes_never_raise(raw: bytes) -> None:
    """Garbage is classified, never raised on; with no headers it is OTHER with a reason."""
    reply = classify(raw)
    assert reply.kind in (Kind.OTHER, Kind.WRITTEN)
    assert reply.reason


def test_garbage_without_headers_is_other() -> None:
    """Bytes that are not an email at all become OTHER."""
    reply = classify(b"\x00\xff\xfe garbage \x80")
    assert (reply.kind, reply.rule) == (Kind.OTHER, "unreadable")


def test_subject_is_decoded() -> None:
    """An RFC 2047 encoded subject is decoded."""
    raw = b"From: a@example.org\nSubject: =?utf-8?q?R=C3=A9ponse?=\n\nOui"
    assert classify(raw).subject == "Réponse"


def test_thousand_messages_classify_quickly() -> None:
    """Classifying 1,000 sample messages takes well under two seconds."""
    raws = [p.read_bytes() for p in sorted(MAILS.iterdir())]
    classify(raws[0])  # warm up imports
    start = time.perf_counter()
    for i in range(1000):
        classify(raws[i % len(raws)])
    assert time.perf_counter() - start < 2.0


def test_person_replying_about_a_failure_is_not_a_bounce() -> None:
    """A "Re:" subject mentioning a delivery failure is a person writing, not a bounce."""
    raw = b"From: a@example.org\nSubject: Re: Mail delivery failed?\n\nYes, count me in"
    reply = classify(raw)
    assert (reply.kind, reply.intent) == (Kind.WRITTEN, Intent.YES)


def test_reply_with_our_invite_attached_is_read_as_words() -> None:
    """A reply whose client attached our invite.ics (METHOD:REQUEST) again is a WRITTEN answer."""
    reply = classify(mail("reply_yes_with_invite_attached.eml"))
    assert (reply.kind, reply.rule, reply.intent) == (Kind.WRITTEN, "written", Intent.YES)
    assert reply.text.startswith("Yes, please reserve a seat")


def test_answer_above_a_forwarded_invitation_is_read_as_words() -> None:
    """A decline written above a forwarded invitation (with its REQUEST part) is a WRITTEN no."""
    reply = classify(mail("forwarded_invite_with_decline_above.eml"))
    assert (reply.kind, reply.intent) == (Kind.WRITTEN, Intent.NO)


def test_calendar_reply_inside_an_attached_message_is_ignored() -> None:
    """A METHOD:REPLY inside an attached message/rfc822 is someone else's; the words decide."""
    reply = classify(mail("decline_with_attached_calendar_reply.eml"))
    assert (reply.kind, reply.intent, reply.attendee) == (Kind.WRITTEN, Intent.NO, None)


def test_invitation_reply_without_words_is_other() -> None:
    """A reply carrying only an invitation's .ics, with no words of the sender's, stays OTHER."""
    raw = (
        b"From: Ann <ann@example.org>\nSubject: Re: Roundtable\nIn-Reply-To: <inv@example.org>\n"
        b"Content-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\nMETHOD:REQUEST\n"
        b"BEGIN:VEVENT\nUID:u1\nORGANIZER:mailto:rsvp@example.org\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    reply = classify(raw)
    assert (reply.kind, reply.rule) == (Kind.OTHER, "calendar")


def test_outlook_reply_with_suppress_header_is_a_person() -> None:
    """X-Auto-Response-Suppress asks others not to auto-reply; alone it is not AUTOMATIC."""
    reply = classify(mail("outlook_reply_with_suppress_header.eml"))
    assert (reply.kind, reply.rule) == (Kind.WRITTEN, "written")


def test_signature_title_and_disclaimer_do_not_spoil_a_yes() -> None:
    """ "No. 1 in widgets" and "No liability is accepted" under "Best regards,\nName" count not."""
    reply = classify(mail("outlook_reply_with_suppress_header.eml"))
    assert (reply.intent, reply.weak) == (Intent.YES, False)


def test_null_return_path_is_automatic() -> None:
    """A message from the null sender (Return-Path: <>) is an auto-reply (RFC 3834)."""
    raw = b"Return-Path: <>\nFrom: a@example.org\nSubject: Re: Roundtable\n\nI am away."
    assert classify(raw).kind is Kind.AUTOMATIC


def test_weak_written_yes_is_marked_weak() -> None:
    """A WRITTEN "Sounds good, thanks!" is a weak YES: the core ignores it after an answer."""
    raw = b"From: a@example.org\nSubject: Re: Roundtable\n\nSounds good, thanks!"
    reply = classify(raw)
    assert (reply.kind, reply.intent, reply.weak) == (Kind.WRITTEN, Intent.YES, True)


def test_strong_written_yes_is_not_weak() -> None:
    """A WRITTEN "Yes, count me in!" is a strong YES."""
    reply = classify(mail("gmail_yes_top_posted.eml"))
    assert (reply.intent, reply.weak) == (Intent.YES, False)


def test_written_object_reply_carries_the_objection() -> None:
    """A written reply "OBJECT" is Kind.WRITTEN with consent "object" and an UNCLEAR intent."""
    raw = b"From: Ann Lee <ann@example.org>\r\nSubject: Re: Roundtable\r\n\r\nOBJECT\r\n"
    reply = classify(raw)
    assert (reply.kind, reply.consent, reply.intent) == (Kind.WRITTEN, "object", Intent.UNCLEAR)


REPLY_SET = Path(__file__).parent / "replies" / "mails"


def reply_set_mail(name: str) -> bytes:
    """The raw bytes of one message of our reply set (tests/replies/mails/)."""
    return (REPLY_SET / name).read_bytes()


def _written(body: str, subject: str = "Re: Roundtable on 10 December") -> bytes:
    head = f"From: Ann <ann@example.org>\r\nSubject: {subject}\r\n"
    return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()


@pytest.mark.parametrize(
    "body",
    [
        "I am on annual leave until 3 March with limited access to email.",
        "Ich bin bis zum 3. März nicht im Büro.",
        "Je suis absente jusqu'au 3 mars.",
        "Estoy fuera de la oficina hasta el lunes.",
        "Sono fuori ufficio fino al 3 marzo.",
        "Ik ben afwezig tot 3 maart.",
        "Estou fora do escritório até dia 3.",
    ],
)
def test_out_of_office_words_without_headers_are_automatic(body: str) -> None:
    """An out-of-office recognised by its words alone is AUTOMATIC, with the words as evidence."""
    reply = classify(_written(body))
    assert (reply.kind, reply.rule, reply.intent) == (Kind.AUTOMATIC, "automatic", None)
    assert reply.evidence


def test_a_persons_vacation_that_week_stays_a_no() -> None:
    """ "I'm on vacation that week, so I can't come" is a person's NO, not an out-of-office."""
    reply = classify(reply_set_mail("person_vacation_no.eml"))
    assert (reply.kind, reply.intent) == (Kind.WRITTEN, Intent.NO)


@pytest.mark.parametrize(
    "name", ["ooo_exchange_rules_loop.eml", "ooo_exchange_generated_source.eml"]
)
def test_exchange_inbox_rule_headers_alone_mark_an_automatic_reply(name: str) -> None:
    """X-MS-Exchange-Inbox-Rules-Loop or -Generated-Message-Source alone make mail AUTOMATIC."""
    reply = classify(reply_set_mail(name))
    assert (reply.kind, reply.rule) == (Kind.AUTOMATIC, "automatic")
    assert reply.evidence[0].startswith("X-MS-Exchange-")


@pytest.mark.parametrize(
    "name",
    [
        "warning_postfix_delayed.eml",
        "warning_sendmail_text.eml",
        "warning_gmail_delay.eml",
        "warning_display_name_re.eml",
    ],
)
def test_delivery_warnings_are_never_final_bounces(name: str) -> None:
    """A delay or warning (DSN, text, subject, or a "Mail Delivery Warning" sender) is temporary."""
    reply = classify(reply_set_mail(name))
    assert (reply.kind, reply.permanent) == (Kind.BOUNCE, False)
    assert reply.evidence


def test_latin1_byte_in_a_bounce_from_logs_nothing_above_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """flufl.bounce's detector traceback never reaches the log above DEBUG; the bounce is read."""
    with caplog.at_level(logging.INFO):
        reply = classify(reply_set_mail("bounce_latin1_from.eml"))
    assert (reply.kind, reply.bounced) == (Kind.BOUNCE, ("ann@example.fr",))
    assert [r for r in caplog.records if r.levelno > logging.DEBUG] == []
    assert "Traceback" not in caplog.text


def test_a_detector_crash_is_demoted_to_one_debug_line(caplog: pytest.LogCaptureFixture) -> None:
    """A record flufl.bounce logs with a traceback becomes one DEBUG line without it."""
    with caplog.at_level(logging.DEBUG, logger="flufl.bounce"):
        try:
            raise AttributeError("'Header' object has no attribute 'lower'")
        except AttributeError:
            logging.getLogger("flufl.bounce").exception("Exception in detector: %s", "Sina")
    (record,) = caplog.records
    assert (record.levelno, record.exc_info) == (logging.DEBUG, None)
    assert "AttributeError" in record.getMessage()


def test_a_huge_body_is_read_only_from_the_top() -> None:
    """A 5 MB body is read from its first TEXT_LIMIT characters: the answer on top decides."""
    body = (
        "Sorry, I can't make it.\r\n\r\n" + "A line of a pasted log file, 0123456789.\r\n" * 125_000
    )
    reply = classify(_written(body))
    assert (reply.kind, reply.intent) == (Kind.WRITTEN, Intent.NO)
    assert len(reply.text) <= TEXT_LIMIT


def test_every_rule_gives_evidence() -> None:
    """Bounce, report, calendar, automatic and written replies each carry their evidence."""
    assert classify(mail("bounce_dsn_seated.eml")).evidence == ("Action: failed",)
    assert classify(mail("mdn_read_receipt.eml")).evidence[0].startswith("Content-Type:")
    assert classify(mail("outlook_accept.eml")).evidence == ("METHOD:REPLY", "PARTSTAT=ACCEPTED")
    assert classify(mail("out_of_office_exchange.eml")).evidence[0].startswith("Auto-Submitted:")
    assert classify(mail("apple_mail_decline.eml")).evidence == ("can't make it",)


def test_broken_encoded_subject_does_not_make_a_reply_unreadable() -> None:
    """A subject with an undecodable RFC 2047 word is kept as written; the words still count."""
    raw = b"From: ada@example.com\r\nSubject: =?utf-8?b?!!!broken?=\r\n\r\nYes, I will come\r\n"
    reply = classify(raw)
    assert (reply.kind, reply.sender, reply.intent) == (Kind.WRITTEN, "ada@example.com", Intent.YES)
