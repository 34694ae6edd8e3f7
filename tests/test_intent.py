"""Reading yes/no/maybe from a person's own words: whole phrases decide, doubt gives UNCLEAR."""

import pytest

from mailer.model import Intent
from mailer.reading.intent import Reading, read, read_intent

YES = [
    "Yes",
    "yes please",
    "Count me in",
    "Sorry for the slow reply, count me in",
    "No problem, I'll be there",
    "Can't wait!",
    "I'm in",
    "Sign me up",
    "Absolutely",
    "Looking forward",
    "Accept",
    "Accepted",
    "+1",
    "Wouldn't miss it",
    "I’d love to come!",
    "Yes! Is there parking nearby?",
    "Ja, ich komme gerne.",
]
NO = [
    "No",
    "Sorry, I can't make it",
    "Unfortunately I won't be able to attend",
    "Please count me out",
    "I have a conflict",
    "Not this time",
    "I need to cancel",
    "Something came up, I can't come after all",
    "Please give my seat to someone else",
    "take me off the list",
    "I don't think I can make it",
    "No, thanks.",
    "Looking forward to the next one, but I can’t make this one.",
    "Leider nicht, ich bin verreist.",
]
MAYBE = [
    "Maybe",
    "Not sure yet",
    "Tentatively yes",
    "I'll try to make it",
    "Probably",
    "Depends on my schedule",
    "not sure I can make it",
    "Let me check my calendar",
]
UNCLEAR = [
    "",
    "   \n",
    "Is it recorded?",
    "What time is it in CET?",
    "yes... actually no, wait",
    "Thanks for the note.",
    "I'm in London that week.",
    "Can I bring a colleague? Yes or no is fine.",
    "Yes I can come. No, sorry, I can't make it.",
]


@pytest.mark.parametrize("text", YES)
def test_acceptance_phrases_read_as_yes(text: str) -> None:
    """A phrase that accepts reads as YES, even when it contains "no" or "can't"."""
    assert read_intent(text) is Intent.YES


@pytest.mark.parametrize("text", NO)
def test_refusal_phrases_read_as_no(text: str) -> None:
    """A phrase that declines reads as NO; a weak "looking forward" does not outweigh it."""
    assert read_intent(text) is Intent.NO


@pytest.mark.parametrize("text", MAYBE)
def test_hedged_phrases_read_as_maybe(text: str) -> None:
    """A hedge, even around a yes, reads as MAYBE."""
    assert read_intent(text) is Intent.MAYBE


@pytest.mark.parametrize("text", UNCLEAR)
def test_doubtful_text_reads_as_unclear(text: str) -> None:
    """Empty text, questions, conflicting signals and no signal read as UNCLEAR."""
    assert read_intent(text) is Intent.UNCLEAR


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Accepted: Roundtable", Intent.YES),
        ("Declined: Roundtable", Intent.NO),
        ("Tentative: Roundtable", Intent.MAYBE),
        ("Event accepted: New Event", Intent.YES),
        ("Yes", Intent.YES),
        ("Re: Roundtable, will you join us? Reply yes", Intent.UNCLEAR),
        ("", Intent.UNCLEAR),
    ],
)
def test_subject_decides_only_when_body_is_empty(subject: str, expected: Intent) -> None:
    """With an empty body the subject may answer, but "Re: <our subject>" never does."""
    assert read_intent("", subject) is expected


def test_subject_is_ignored_when_body_has_words() -> None:
    """A body with words decides alone; an "Accepted:" subject does not override it."""
    assert read_intent("Sorry, I can't make it", "Accepted: Roundtable") is Intent.NO


# Reviewer's cases: each group below was read wrongly (mostly UNCLEAR) before.
YES_PLAIN = [
    "I'll be attending.",
    "I will be joining.",
    "Would love to join!",
    "Happy to participate.",
    "I'd be glad to attend",
    "I'd like to attend.",
    "Will be there.",
    "I am going.",
    "Going to make it!",
    "Can do.",
    "Let's do it.",
    "Works for me, see you on the 10th.",
    "I accept",
    "yes, definitely",
]
YES_SEAT_REQUESTS = [
    "Please reserve a seat for me.",
    "Put me down for a seat.",
    "Please save me a spot.",
    "happy to take a seat.",
    "Please add me to the waitlist.",
    "No worries if it's full — I'd love a seat.",
]
YES_DESPITE_NEGATIVE_WORDS = [
    "I had a conflict but moved it, count me in.",
    "Yes, is there parking?",
]
YES_OTHER_LANGUAGES = ["Si, ci sarò.", "Sim, estarei lá."]
NO_BUT_CLAUSE = [
    "I'd love to come but I'm travelling that week.",
    "I would love to join, but I'm in Tokyo that week",
    "I'd love to attend but I have a board meeting.",
    "I'd love to, but I can't.",
]
NO_PLAIN = [
    "I will not be attending.",
    "I won't be joining this time.",
    "I'm afraid I can't.",
    "I'm afraid I won't be able to.",
    "I'll have to miss this one.",
    "Not this one, but please keep me on the list.",
    "Not going to make it this time.",
    "I can no longer make it.",
    "Sadly I can no longer attend.",
    "Sorry, I'm booked that day.",
    "Regrettably I'm unavailable.",
    "Not available that evening.",
    "That date doesn't work for me.",
    "Sorry, I'm on PTO that week.",
    "I have to drop out.",
    "I need to withdraw.",
    "I'm traveling that week, so I'll sit this one out.",
    "Unfortunately it's a no from me this time.",
    "Desculpe, não poderei ir.",
    "Sadly I'll miss it. Looking forward to hearing how it goes.",
]
NO_DESPITE_YES_WORDS = [
    "Unfortunately I cannot accept.",
    "I accepted another engagement that evening.",
    "I'm sure others will enjoy it; I'll skip.",
    "Definitely interested in future sessions, but not this one.",
    "I definitely want to come to the next one, but this one doesn't work for me.",
    "I won't be able to come, but my colleague Sam would like to attend.",
]
NO_CANCEL = ["cancel", "Please cancel.", "I would like to cancel.", "Cancel my seat", "no"]
NOT_YES_FUTURE = ["Happy to join next time!", "Count me in for the next one."]
WEAK_YES = [
    "Sounds good, thanks!",
    "sure",
    "Looking forward",
    "thanks, great",
    "I'm interested!",
    "Accept",
    "Accepted",
    "Absolutely",
    "Definitely",
]


@pytest.mark.parametrize("text", YES_PLAIN)
def test_future_tense_and_casual_acceptances_read_as_yes(text: str) -> None:
    """ "I'll be attending", "Will be there", "Can do" and the like accept the seat."""
    assert read_intent(text) is Intent.YES


@pytest.mark.parametrize("text", YES_SEAT_REQUESTS)
def test_asking_for_a_seat_or_the_waitlist_reads_as_yes(text: str) -> None:
    """Asking us to reserve, save or waitlist a seat is a yes."""
    assert read_intent(text) is Intent.YES


@pytest.mark.parametrize("text", YES_DESPITE_NEGATIVE_WORDS)
def test_resolved_conflict_and_yes_before_a_question_read_as_yes(text: str) -> None:
    """A conflict already moved is no refusal; a yes opening a question still answers."""
    assert read_intent(text) is Intent.YES


@pytest.mark.parametrize("text", YES_OTHER_LANGUAGES)
def test_italian_and_portuguese_acceptances_read_as_yes(text: str) -> None:
    """ "Si, ci sarò" and "Sim, estarei lá" accept."""
    assert read_intent(text) is Intent.YES


@pytest.mark.parametrize("text", NO_BUT_CLAUSE)
def test_wish_followed_by_but_reads_as_no(text: str) -> None:
    """ "I'd love to come, but ..." is a polite refusal, whatever the reason after "but"."""
    assert read_intent(text) is Intent.NO


@pytest.mark.parametrize("text", NO_PLAIN)
def test_absence_and_withdrawal_phrases_read_as_no(text: str) -> None:
    """Being booked, away, unavailable, or withdrawing declines the seat."""
    assert read_intent(text) is Intent.NO


@pytest.mark.parametrize("text", NO_DESPITE_YES_WORDS)
def test_yes_words_inside_a_refusal_read_as_no(text: str) -> None:
    """ "accept", "sure" or "definitely" inside a refusal, or about a later meeting, count less."""
    assert read_intent(text) is Intent.NO


@pytest.mark.parametrize("text", NO_CANCEL)
def test_cancel_as_our_emails_suggest_reads_as_no(text: str) -> None:
    """Our emails say 'reply "no" or "cancel"': both words alone decline."""
    assert read_intent(text) is Intent.NO


@pytest.mark.parametrize("text", NOT_YES_FUTURE)
def test_yes_to_a_later_meeting_is_not_a_yes(text: str) -> None:
    """A yes about "next time" or "the next one" is no yes to this meeting."""
    assert read_intent(text) in (Intent.NO, Intent.UNCLEAR)


def test_reluctance_to_commit_reads_as_maybe() -> None:
    """ "I'd rather not commit yet" hedges: MAYBE."""
    assert read_intent("I'd rather not commit yet.") is Intent.MAYBE


@pytest.mark.parametrize("text", WEAK_YES)
def test_weak_phrases_alone_give_a_weak_yes(text: str) -> None:
    """A yes that rests only on weak phrases (or a lone accept/absolutely) is marked weak."""
    assert (read(text).intent, read(text).weak) == (Intent.YES, True)


@pytest.mark.parametrize(
    "text",
    ["Yes", "I accept", "yes, definitely", "Absolutely, count me in", "Sounds good, I'll be there"],
)
def test_a_strong_phrase_makes_the_yes_strong(text: str) -> None:
    """One strong phrase beside weak ones makes the yes strong."""
    assert (read(text).intent, read(text).weak) == (Intent.YES, False)


@pytest.mark.parametrize("text", ["No", "Maybe", "", "Is it recorded?"])
def test_other_intents_are_not_weak(text: str) -> None:
    """Only a yes built on weak phrases is weak."""
    assert read(text).weak is False


def test_subject_verdict_is_strong() -> None:
    """A calendar client's "Accepted:" subject, read when the body is empty, is a strong yes."""
    reading = read("", "Accepted: Roundtable")
    assert (reading.intent, reading.weak) == (Intent.YES, False)
    assert reading.evidence == ("Subject: Accepted: Roundtable",)


def test_read_intent_is_the_intent_of_read() -> None:
    """read_intent returns read(...).intent, for the callers that need only the intent."""
    assert read_intent("Sounds good, thanks!") is read("Sounds good, thanks!").intent


@pytest.mark.parametrize(
    "text",
    [
        "Yes\n\nBest,\nAnn Lee\nNo. 1 in widgets",
        "Count me in.\n\nKind regards,\nBob Stone\nCTO, No 1 in widgets\nNo liability.",
        "Yes, see you there.\n\nThis email and any attachments are confidential. No liability "
        "is accepted for viruses.",
        "Yes\nThanks, Ann\nNo. 1 in widgets",
        "Yes\nAnn Lee\nNo. 1 in widgets",
    ],
)
def test_signature_and_disclaimer_after_a_closer_do_not_count(text: str) -> None:
    """After "Best,\nName", or from a confidentiality footer on, the words are not the answer."""
    assert read_intent(text) is Intent.YES


def test_closer_without_a_name_keeps_reading() -> None:
    """ "Thanks," followed by a sentence is not a signature: the sentence still counts."""
    assert read_intent("Hello\nThanks,\nI can't make it after all") is Intent.NO


# Consent to the recording: seated people are told to reply OBJECT, or "I withdraw my objection".
CONSENT_OBJECT = [
    ("OBJECT", Intent.UNCLEAR),
    ("object", Intent.UNCLEAR),
    ("I object", Intent.UNCLEAR),
    ("I object to the recording", Intent.UNCLEAR),
    ("I'd prefer not to be recorded", Intent.UNCLEAR),
    ("please don't record me", Intent.UNCLEAR),
    ("I do not consent to being recorded", Intent.UNCLEAR),
    ("no recording please", Intent.UNCLEAR),
    ("I don't want to be recorded", Intent.UNCLEAR),
    ("I’m not comfortable being recorded.", Intent.UNCLEAR),
    ("Count me in, but I object to the recording", Intent.YES),
    ("Yes, I'll be there. Please don't record me.", Intent.YES),
    ("Sorry, I can't make it. I object to the recording anyway.", Intent.NO),
]
CONSENT_WITHDRAW = [
    "I withdraw my objection",
    "withdraw objection",
    "recording is fine after all",
    "I'm OK with the recording now",
    "you can record me",
    "I no longer object",
]
CONSENT_NEITHER = [
    "No objection",
    "I have no objection to the recording",
    "no objections from me",
    "I don't object.",
    "Will the session be recorded?",
    "object-oriented design is one of my topics",
    "the objective is clear",
    "Yes, count me in",
    "",
]


@pytest.mark.parametrize(("text", "intent"), CONSENT_OBJECT)
def test_objection_phrases_read_as_object_without_changing_the_intent(
    text: str, intent: Intent
) -> None:
    """An objection reads as consent "object"; alone it leaves the intent UNCLEAR, never NO."""
    reading = read(text)
    assert (reading.consent, reading.intent) == ("object", intent)


@pytest.mark.parametrize("text", CONSENT_WITHDRAW)
def test_withdrawal_phrases_read_as_withdraw_and_not_as_a_refusal(text: str) -> None:
    """Withdrawing an objection reads as "withdraw"; its "withdraw" is no withdrawal of the seat."""
    reading = read(text)
    assert (reading.consent, reading.intent) == ("withdraw", Intent.UNCLEAR)


@pytest.mark.parametrize("text", CONSENT_NEITHER)
def test_no_objection_questions_and_look_alikes_give_no_consent(text: str) -> None:
    """ "No objection", a question about recording, "object-oriented" say nothing on consent."""
    reading = read(text)
    assert reading.consent is None
    assert reading.intent is not Intent.NO


def test_objection_and_withdrawal_in_one_message_keep_the_objection() -> None:
    """Conflicting consent phrases keep the objection, the side that records no one unwilling."""
    assert read("You can record me. Actually no, I object.").consent == "object"


def test_consent_is_read_from_the_subject_when_the_body_is_empty() -> None:
    """An empty body with the subject "OBJECT" objects, like the intent read from a subject."""
    assert read("", "OBJECT") == Reading(Intent.UNCLEAR, consent="object")


# Taking back an earlier yes, in every language the phrase tables know.
WITHDRAWALS = [
    "I have to withdraw my acceptance, sorry.",
    "I have to retract my RSVP.",
    "Please take back my yes, something came up.",
    "Yes, I know I said yes, but I need to cancel my attendance.",
    "ich muss meine Zusage leider zurückziehen",
    "Ich ziehe meine Anmeldung zurück, ja, leider.",
    "Je dois retirer ma participation, oui, désolé.",
    "Annulo mi asistencia, sí, lo siento.",
    "Ritiro la mia adesione, sì, purtroppo.",
    "Ik moet mijn aanmelding intrekken, ja echt.",
    "Tenho de retirar a minha confirmação, sim.",
]


@pytest.mark.parametrize("text", WITHDRAWALS)
def test_withdrawing_an_earlier_yes_reads_as_no_whatever_yes_words_stand_beside(
    text: str,
) -> None:
    """A withdrawal of an acceptance is a strong NO, even beside "yes", "Zusage" or "sí"."""
    reading = read(text)
    assert (reading.intent, reading.weak) == (Intent.NO, False)
    assert reading.evidence


def test_withdrawing_an_objection_is_no_withdrawal_of_the_seat() -> None:
    """ "I withdraw my objection" is consent, not a no: the seat stays."""
    reading = read("I withdraw my objection, yes.")
    assert reading.consent == "withdraw"
    assert reading.intent is not Intent.NO


@pytest.mark.parametrize(
    "text",
    [
        "Sure, Bitnami supports EC2 in every region.",
        "Ok, the link in your last email seems broken.",
        "Definitely agree with your point about hiring managers, we saw the same.",
    ],
)
def test_a_lone_weak_word_opening_talk_about_something_else_is_unclear(text: str) -> None:
    """A "sure"/"ok" opening a sentence about something else answers no invitation."""
    assert read(text).intent is Intent.UNCLEAR


@pytest.mark.parametrize(
    "text",
    ["Yes, the build is green again after the timezone fix.", "Ja, die Rechnung ist angekommen."],
)
def test_a_bare_yes_before_talk_about_something_else_is_at_most_weak(text: str) -> None:
    """A bare "yes" followed by other talk in its sentence is never a strong yes."""
    reading = read(text)
    assert reading.intent is Intent.UNCLEAR or (reading.intent, reading.weak) == (Intent.YES, True)


@pytest.mark.parametrize(
    "text",
    [
        "The file is still not available.",
        "Our conference room is not available on Thursdays.",
        "Sorry, the old build server is unavailable this week.",
        "We have a merge conflict on the release branch.",
        "The recording from last time is not available anymore.",
        "Die Datei ist leider nicht verfügbar.",
    ],
)
def test_not_available_about_a_thing_is_no_refusal(text: str) -> None:
    """A no must be about the sender coming, not about a file, a room or a build."""
    assert read(text).intent is not Intent.NO


@pytest.mark.parametrize(
    "text",
    ["I'm not available that evening.", "Sorry, not available.", "Regrettably I'm unavailable."],
)
def test_not_available_about_the_sender_is_a_refusal(text: str) -> None:
    """ "I'm not available" (or with no subject at all) still declines."""
    assert read(text).intent is Intent.NO


def test_evidence_names_the_phrases_the_intent_rests_on() -> None:
    """A reading carries the phrases it rests on, lower-cased, as a tuple."""
    assert read("Sorry, I can't make it.").evidence == ("can't make it",)
    assert read("Is it recorded?").evidence == ()
