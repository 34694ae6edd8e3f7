"""Reading yes/no/maybe from a person's own words: whole phrases decide, doubt gives UNCLEAR."""

import pytest

from mailer.intent import read_intent
from mailer.model import Intent

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
