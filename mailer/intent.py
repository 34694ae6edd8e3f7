"""Reading whether a person's own words say yes, no or maybe to the roundtable.

Owns `read_intent`. Rule-based on purpose: phrase lists compiled once, read per sentence, so that a
whole phrase decides and not a single word ("No problem, I'll be there" is a yes, "can't wait" is
not a refusal). Tricky phrases are matched first and blanked out so the plain words inside them
cannot count again. Signals inside questions count for nothing; conflicting signals give UNCLEAR,
because a wrong seat costs more than asking the organizer to look.
"""

from __future__ import annotations

import re
from typing import Final

from mailer.model import Intent

_STRONG: Final = 2
_WEAK: Final = 1

_NEG = r"(?:can't|cannot|can not|won't|will not|wouldn't|would not|don't|do not|am not|i'm not)"
_COME = (
    r"(?:make (?:it|this(?: one| time)?|the (?:event|meeting|roundtable|date))|come|coming|attend(?:ing)?|join(?:ing)?|be there|be present|participate|"
    r"go(?:ing)?(?: to make it)?)"
)

# (intent or None for "neutral", strength, pattern), tried in this order; each match is blanked.
_RULES: Final[tuple[tuple[Intent | None, int, re.Pattern[str]], ...]] = tuple(
    (intent, strength, re.compile(pattern))
    for intent, strength, pattern in (
        # Phrases that contain a "no"/"not"/"can't" but mean something else.
        (None, 0, r"\bno (?:problem|worries|doubt)\b|\bnot a problem\b|\byes(?: or |/)no\b"),
        (Intent.YES, _STRONG, r"\bwouldn't miss (?:it|this)\b|\bwould not miss (?:it|this)\b"),
        (Intent.YES, _WEAK, r"\b(?:can't|cannot) wait\b"),
        # Hedges, including hedged yeses and hedged noes.
        (
            Intent.MAYBE,
            _STRONG,
            r"\b(?:not (?:yet )?sure|unsure|tentative(?:ly)?(?: yes| accept(?:ed)?)?|maybe|perhaps|"
            rf"possibly|probably(?: not)?|might(?: not)?(?: be able to)? {_COME}|may be able|hopefully|"
            r"i'll try|i will try|"
            r"(?:will|i'll) (?:let you know|confirm (?:later|closer))|"
            r"depends on|depending on|pencil me in|not certain|can't promise|cannot promise|tbc|tbd|"
            r"let me check(?: my)?(?: calendar| schedule| diary)?|vielleicht|peut-être|quizás|"
            r"misschien)\b",
        ),
        # Refusals.
        (
            Intent.NO,
            _STRONG,
            rf"\b{_NEG} (?:be able to |make it to |manage to )?{_COME}\b|"
            rf"\b(?:don't|do not) think i (?:can|will|could) {_COME}\b|"
            rf"\bunable to {_COME}\b|\bnot (?:be )?able to {_COME}\b|"
            r"\bcount me out\b|\bi'm out\b|\bi have (?:a|another) (?:conflict|commitment)\b|"
            r"\b(?:conflict|clash)\b|\bnot this time\b|\bneed to cancel\b|\bhave to cancel\b|"
            r"\bmust cancel\b|\bcancel my (?:seat|spot|place|rsvp)\b|"
            r"\bgive my (?:seat|spot|place) to\b|\btake me off\b|\bremove me from\b|"
            r"\bdeclined?\b|\bregretfully\b|\bwill be away\b|\bpass on this\b|\bi'll pass\b|"
            r"\babsolutely not\b|\bdefinitely not\b|\bno,? thanks?(?: you)?\b|"
            r"\bleider nicht\b|\babsage\b|\bkann (?:leider )?nicht\b|\bje ne (?:pourrai|peux) pas\b|"
            r"\bno puedo\b|\bhelaas niet\b|\bkan (?:helaas )?niet\b",
        ),
        # Acceptances.
        (
            Intent.YES,
            _STRONG,
            r"\byes\b|\byep\b|\byup\b|\byeah\b|\bcount me in\b|"
            r"\bi(?:'m| am) in(?=\s*(?:$|[.!,;:)]|for\b|too\b|as well\b))|"
            r"\bsign me up\b|\babsolutely\b|\bdefinitely\b|"
            r"\baccept(?:ed|ing)?\b|\bi accept\b|\bi'll be there\b|\bi will be there\b|"
            rf"\bi(?:'ll| will| can| shall|'d love to| would love to|'d be happy to) {_COME}\b|\bsee you (?:there|then)\b|\bi'm coming\b|"
            r"\bi am coming\b|\bhappy to (?:come|join|attend)\b|\bdelighted to\b|\bglad to (?:come|join)\b|"
            r"\bwith pleasure\b|\bcount on me\b|\bsave me a seat\b|(?:^|\s)\+1\b|"
            r"\bja\b|\bzusage\b|\bich komme\b|\bbin dabei\b|\boui\b|\bje viens\b|\bavec plaisir\b|"
            r"\bsí\b|\bik kom\b|\bik ben erbij\b",
        ),
        (Intent.YES, _WEAK, r"\blooking forward\b|\bsounds (?:good|great)\b|\bsure\b"),
        # A bare "no" opens or ends a sentence; anywhere else it is too often "no idea", "no one".
        (
            Intent.NO,
            _STRONG,
            r"(?:^|[,;:]|\b(?:actually|oh|um|hmm|sorry|well))\W*no\b(?!\s+(?:idea|one|rush|hurry))|"
            r"\bno\W*$|\bnein\b",
        ),
    )
)

_SENTENCE_END: Final = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=\?)")
_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_SUBJECT_VERDICT: Final = (
    # Outlook, Apple Calendar and Google name the answer in the subject of a calendar reply.
    (Intent.YES, re.compile(r"^\s*(?:event )?(?:accepted|angenommen|zugesagt|accepté)\b", re.I)),
    (Intent.NO, re.compile(r"^\s*(?:event )?(?:declined|abgelehnt|abgesagt|refusé)\b", re.I)),
    (Intent.MAYBE, re.compile(r"^\s*(?:event )?(?:tentative|mit vorbehalt|provisoire)", re.I)),
)
_REPLY_PREFIX: Final = re.compile(r"^\s*(?:re|aw|sv|vs|antw|réf|ref|wg|fw|fwd|tr)\s*:", re.I)


def _signals(sentence: str) -> dict[Intent, int]:
    """Strongest signal per intent in one sentence, tricky phrases first."""
    found: dict[Intent, int] = {}
    text = sentence
    for intent, strength, pattern in _RULES:
        if pattern.search(text) is None:
            continue
        if intent is not None:
            found[intent] = max(found.get(intent, 0), strength)
        text = pattern.sub(" ", text)
    return found


def _decide(found: dict[Intent, int]) -> Intent:
    yes, no, maybe = (found.get(i, 0) for i in (Intent.YES, Intent.NO, Intent.MAYBE))
    if yes and no:
        if yes == no:
            return Intent.UNCLEAR
        return Intent.YES if yes > no else Intent.NO
    if maybe:
        return Intent.MAYBE
    if yes:
        return Intent.YES
    if no:
        return Intent.NO
    return Intent.UNCLEAR


def _read_body(text: str) -> Intent:
    found: dict[Intent, int] = {}
    for sentence in _SENTENCE_END.split(text.lower().translate(_APOSTROPHES)):
        sentence = sentence.strip()
        if not sentence or sentence.endswith("?"):
            continue  # a question asks, it does not answer
        for intent, strength in _signals(sentence).items():
            found[intent] = max(found.get(intent, 0), strength)
    return _decide(found)


def read_intent(text: str, subject: str = "") -> Intent:
    """What the sender's own words say about coming: YES, NO, MAYBE, or UNCLEAR when in doubt.

    `text` is the visible text (quotes and signature already removed). The subject is read only
    when the body is empty, and never when it is just "Re: <our subject>".
    """
    if text.strip():
        return _read_body(text)
    for intent, pattern in _SUBJECT_VERDICT:
        if pattern.match(subject):
            return intent
    if not subject.strip() or _REPLY_PREFIX.match(subject):
        return Intent.UNCLEAR
    return _read_body(subject)
