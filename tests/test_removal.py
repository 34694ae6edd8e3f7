"""Requests to be forgotten, in ten languages, and the replies that only look like them."""

from __future__ import annotations

import pytest

from mailer.model import Intent, Kind
from mailer.reading.classify import classify
from mailer.reading.removal import removal

ASKS = [
    "Please remove me from this list.",
    "Forget me, please.",
    "Could you delete my data? Thanks",
    "unsubscribe",
    "Please take me off your mailing list.",
    "Hi, I'd like to exercise my right to be forgotten.",
    "Bitte löschen Sie meine Daten.",
    "Bitte entfernen Sie mich aus dem Verteiler.",
    "Ich bitte Sie, meine Daten zu löschen.",
    "Merci de supprimer mes données.",
    "Retirez-moi de cette liste, s'il vous plaît.",
    "Je souhaite me désinscrire.",
    "Por favor, borren mis datos.",
    "Quiero darme de baja.",
    "Elimínenme de la lista de correo, por favor.",
    "Vi prego di cancellare i miei dati.",
    "Rimuovetemi dalla lista, grazie.",
    "Por favor, apaguem os meus dados.",
    "Por favor me remova da lista.",
    "Verwijder alstublieft mijn gegevens.",
    "Graag uitschrijven.",
    "Proszę usunąć moje dane.",
    "Wypiszcie mnie, proszę.",
    "Prosím smažte moje údaje.",
    "Odstraňte mě ze seznamu, děkuji.",
    "私のデータを削除してください。",
    "配信停止をお願いします。",
]

NOT_ASKS = [
    "Please remove me from the waiting list.",
    "Take me off the list, I can't make it after all.",
    "Bitte nehmen Sie mich von der Warteliste.",
    "Retirez-moi de la liste d'attente.",
    "Please don't delete my data, I will come next time.",
    "Bitte löschen Sie meine Daten nicht.",
    "Yes, I'll be there!",
    "Sorry, I can't make it.",
    "データを削除しないでください。",
    "Sáquenme de la lista de espera.",
]


@pytest.mark.parametrize("text", ASKS)
def test_a_request_to_be_forgotten_is_read_in_each_language(text: str) -> None:
    """A request to be removed or have one's data erased is read as one, in ten languages."""
    assert removal(text) is not None


@pytest.mark.parametrize("text", NOT_ASKS)
def test_leaving_the_line_or_a_negation_is_no_request(text: str) -> None:
    """Leaving the waiting line, a negated request and ordinary answers are not removal requests."""
    assert removal(text) is None


def test_the_unsubscribe_subject_alone_is_a_request() -> None:
    """A client's List-Unsubscribe email (subject "unsubscribe", empty body) is a request."""
    assert removal("", "unsubscribe") == ("Subject: unsubscribe",)


def _mail(body: str, subject: str = "Re: Invitation") -> bytes:
    return (
        f"From: Ada <ada@example.com>\r\nTo: rsvp@example.org\r\nSubject: {subject}\r\n"
        f"Message-ID: <r1@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}"
    ).encode()


def test_classify_reads_a_removal_request_as_forget() -> None:
    """classify gives a written reply the FORGET intent when it asks to be forgotten."""
    reply = classify(_mail("Hello,\r\n\r\nbitte löschen Sie meine Daten.\r\n\r\nGruß\r\n"))
    assert (reply.kind, reply.rule, reply.intent) == (Kind.WRITTEN, "removal", Intent.FORGET)


def test_a_quoted_request_does_not_count() -> None:
    """A removal request only in the quoted text is not the sender's own request."""
    body = "Yes, count me in!\r\n\r\nOn Mon, Bob wrote:\r\n> please remove me from this list\r\n"
    assert classify(_mail(body)).intent is Intent.YES


def test_a_list_unsubscribe_email_with_no_body_is_forget() -> None:
    """The email a client's unsubscribe button sends, with an empty body, asks to be forgotten."""
    assert classify(_mail("", subject="unsubscribe")).intent is Intent.FORGET


# Replies that mention removal but answer something else: an erasure cannot be taken back, so
# these are read as their answer, and the organizer is shown the removal words.
ANSWERS_TOO = [
    ("Yes, I will be there! How do I unsubscribe from the GitHub notifications?", Intent.YES),
    ("Count me in. I'll unsubscribe from the other meetup list, this one is better.", Intent.YES),
    ("はい、参加します。古いメールアドレスを削除してください。", Intent.YES),
    ("Please remove my address jane@work.example and use jane@home.example instead.", None),
    ("Can't make it this time, please take me off the invite list for this one.", Intent.NO),
    ("Please remove me from your list for this month's session, I'm travelling.", Intent.NO),
    ("Bitte nehmen Sie mich für diesen Termin von der Liste, ich bin leider verhindert.", None),
    ("Please stop emailing me about this one, I can't come, but do invite me next month.", None),
]


@pytest.mark.parametrize(("text", "intent"), ANSWERS_TOO)
def test_a_reply_that_answers_too_is_not_a_request(text: str, intent: Intent | None) -> None:
    """Removal words beside an answer, about one meeting, or changing an address erase no one."""
    reply = classify(_mail(text))
    assert reply.intent is not Intent.FORGET and reply.removal_aside
    assert intent is None or reply.intent is intent
