"""The phrase table `intent` reads consent to the recording with: objecting, and withdrawing one.

Owns the compiled `CONSENT` patterns only. They run on lower-cased text with straight apostrophes,
before the intent `RULES` of `phrases`, and each match is blanked, so consent words never count
as an answer about coming.
"""

from __future__ import annotations

import re
from typing import Final

from mailer.reading.languages import joined

# Consent to the recording, read in the sender's own words beside the intent (our emails say
# "reply OBJECT to object; reply 'I withdraw my objection' to withdraw"). Tried in this order,
# each match blanked before the next pattern and before the intent `RULES` run, so that "I don't
# want to be recorded" is no refusal to come and "I withdraw my objection" no withdrawal of the
# seat. None marks phrases that only look like consent ("no objection", "object-oriented").
_OBJECTION = r"(?:objections?|objecting|objection)"
_RECORDING = r"(?:the |any |a )?(?:recording|recordings|recorded|record|filming|filmed|video)"
_CONSENT_TABLE: Final[tuple[tuple[str | None, str], ...]] = (
    (
        "withdraw",
        rf"\b(?:withdraw(?:ing|n)?|retract(?:ing)?|rescind(?:ing)?|take back|drop(?:ping)?|"
        rf"cancel(?:l?ing)?) (?:my |the |our |that )?{_OBJECTION}\b|"
        rf"\b{_OBJECTION} (?:is |is hereby )?(?:withdrawn|retracted|rescinded|dropped)\b|"
        r"\bno longer object(?:ing)?\b|\b(?:don't|do not|won't) object any ?more\b|"
        r"\bnot object(?:ing)? any ?more\b|"
        r"\brecording(?:'s| is) (?:fine|ok|okay|alright|all right|no problem)\b|"
        r"\b(?:i'm|i am|we're|we are) (?:now )?(?:ok|okay|fine|happy|comfortable|good) "
        r"(?:with|about) (?:the |being |a )?(?:recording|recorded)\b|"
        r"\byou (?:can|may) (?:go ahead and )?record me\b|\bfeel free to record\b",
    ),
    ("withdraw", joined("withdraw_objection")),
    (
        None,
        r"\bno objections?\b(?: (?:to|against|from|about) (?:the |being |me|us)?"
        r"(?:recording|recorded|record)?\b)?|"
        r"\b(?:don't|do not|doesn't|does not|wouldn't|would not|won't|will not|never|not) "
        r"object\b|\bobject-[\w-]+",
    ),
    (None, joined("no_objection")),
    (
        "object",
        rf"^\W*object\b|\b(?:i|we)(?:'d| \w+)? object\b|"
        rf"\b(?:object(?:ing)?|objections?) to (?:me |my )?(?:being )?{_RECORDING}\w*|"
        rf"\b(?:register|note|log|record) (?:my|an|our) {_OBJECTION}\b|"
        r"\b(?:prefer|rather) not (?:to )?be (?:recorded|filmed)\b|"
        r"\b(?:don't|do not|please not|never) (?:record|film) me\b|"
        r"\byou (?:can't|cannot|can not|may not|must not|mustn't) (?:record|film) me\b|"
        rf"\b(?:don't|do not) (?:consent|agree) to (?:me |my )?(?:being )?{_RECORDING}\w*|"
        r"\bno (?:recording|filming|video)s?(?: of me)?,? (?:please|for me)\b|"
        r"^\W*(?:please\W+)?no (?:recording|filming|video)s?(?: of me)?\W*"
        r"(?:please|thanks?|thank you)?\W*$|"
        r"\b(?:don't|do not|doesn't|does not) want (?:to be |being |me )?(?:recorded|filmed)\b|"
        rf"\b(?:don't|do not) want (?:to be )?(?:on|in) {_RECORDING}\b|"
        r"\b(?:not|un)\s?(?:comfortable|happy|ok|okay) (?:with )?(?:being |the |a )?"
        r"(?:recorded|recording|filmed)\b|"
        rf"\bopt(?:ing)? out of (?:being )?{_RECORDING}\w*",
    ),
    ("object", joined("objection")),
)

CONSENT: Final[tuple[tuple[str | None, re.Pattern[str]], ...]] = tuple(
    (consent, re.compile(pattern)) for consent, pattern in _CONSENT_TABLE
)
