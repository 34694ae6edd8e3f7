"""Reading whether a person's own words say yes, no or maybe to the roundtable.

Owns `read` (the intent and whether it rests only on weak phrases) and `read_intent`. Rule-based
on purpose: the phrase tables in `phrases`, read per sentence, so that a whole phrase decides and
not a single word ("No problem, I'll be there" is a yes, "can't wait" is not a refusal). Tricky
phrases are matched first and blanked out so the plain words inside them cannot count again.
Questions count for nothing, except an answer that opens them ("Yes, is there parking?"); a yes
about a later meeting ("happy to join next time") is no yes to this one; conflicting signals give
UNCLEAR, because a wrong seat costs more than asking the organizer to look.

`read` also tells whether the words object to the recording or withdraw an objection (the
`CONSENT` table). Those phrases are blanked before the intent rules run, so they never change the
intent: "I don't want to be recorded" is no refusal to come, and a lone "OBJECT" stays UNCLEAR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from mailer.model import Intent
from mailer.phrases import (
    CLAUSE_BREAK,
    CLOSER,
    CONSENT,
    DISCLAIMER,
    FUTURE,
    QUESTION_CLAUSE,
    REPLY_PREFIX,
    RULES,
    SUBJECT_VERDICT,
    WEAK,
)

_SENTENCE_END: Final = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=\?)")
_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_NUMBER_ABBREVIATION: Final = re.compile(r"\bno\.\s*(?=\d)")  # "No. 1 in widgets"


@dataclass(frozen=True)
class Reading:
    """What a person's words say, whether only weak phrases ("sounds good") say it, and consent.

    `consent` is "object" (to the recording), "withdraw" (an objection) or None (nothing said).
    """

    intent: Intent
    weak: bool = False
    consent: str | None = None


def _consent(sentence: str) -> tuple[set[str], str]:
    """The consent phrases in one sentence, and the sentence with them (and look-alikes) blanked."""
    found: set[str] = set()
    text = sentence
    for consent, pattern in CONSENT:
        if pattern.search(text) is None:
            continue
        if consent is not None:
            found.add(consent)
        text = pattern.sub(" ", text)
    return found, text


def _signals(sentence: str) -> dict[Intent, int]:
    """Strongest signal per intent in one sentence, tricky phrases first."""
    found: dict[Intent, int] = {}
    text = sentence
    for intent, strength, pattern in RULES:
        if pattern.search(text) is None:
            continue
        if intent is not None:
            found[intent] = max(found.get(intent, 0), strength)
        text = pattern.sub(" ", text)
    if Intent.YES in found and FUTURE.search(sentence):
        del found[Intent.YES]
    return found


def _answer_part(sentence: str) -> str:
    """The clauses of a sentence that answer: all of a statement, those before a question."""
    if not sentence.endswith("?"):
        return sentence
    kept: list[str] = []
    for clause in CLAUSE_BREAK.split(sentence):
        if QUESTION_CLAUSE.match(clause) or clause.rstrip().endswith("?"):
            break
        kept.append(clause)
    return ",".join(kept)


def _decide(found: dict[Intent, int]) -> Reading:
    yes, no, maybe = (found.get(i, 0) for i in (Intent.YES, Intent.NO, Intent.MAYBE))
    if yes and no:
        if yes == no:
            return Reading(Intent.UNCLEAR)
        return Reading(Intent.YES, yes == WEAK) if yes > no else Reading(Intent.NO, no == WEAK)
    if maybe:
        return Reading(Intent.MAYBE, maybe == WEAK)
    if yes:
        return Reading(Intent.YES, yes == WEAK)
    if no:
        return Reading(Intent.NO, no == WEAK)
    return Reading(Intent.UNCLEAR)


def _own_words(text: str) -> str:
    """The text above a closing line and name ("Best,\\nAnn") or a legal footer, if any."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i == 0 or not "".join(lines[:i]).strip():
            continue
        if DISCLAIMER.match(line) or (CLOSER.match(line) and _name_follows(line, lines[i + 1 :])):
            return "\n".join(lines[:i])
    return text


def _name_follows(closer: str, rest: list[str]) -> bool:
    """Whether a closing line carries a name ("Thanks, Ann") or the next line is one."""
    match = CLOSER.match(closer)
    if match and match.group("name"):
        return _is_name(match.group("name"))
    following = next((line for line in rest if line.strip()), "")
    return _is_name(following)


def _is_name(line: str) -> bool:
    words = line.strip().lstrip("-–— ").split()
    return 1 <= len(words) <= 4 and all(w[0].isupper() and not _has_digit(w) for w in words)


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _read_body(text: str) -> Reading:
    found: dict[Intent, int] = {}
    consents: set[str] = set()
    lowered = _NUMBER_ABBREVIATION.sub("number ", _own_words(text).lower().translate(_APOSTROPHES))
    for sentence in _SENTENCE_END.split(lowered):
        sentence = _answer_part(sentence.strip()).strip()
        if not sentence:
            continue
        said, sentence = _consent(sentence)
        consents |= said
        for intent, strength in _signals(sentence).items():
            found[intent] = max(found.get(intent, 0), strength)
    # An objection and a withdrawal in one message: keep the objection, the safer side.
    consent = "object" if "object" in consents else "withdraw" if consents else None
    return replace(_decide(found), consent=consent)


def read(text: str, subject: str = "") -> Reading:
    """What the sender's own words say about coming, and whether they say it only weakly.

    `text` is the visible text (quotes and signature already removed); a closing line with a
    name under it ("Best,\\nAnn") and a legal footer end it. The subject is read only when the
    body is empty, and never when it is just "Re: <our subject>". `weak` is True when the intent
    rests only on weak phrases ("sounds good", "sure", "looking forward", a lone "absolutely").
    `consent` is "object", "withdraw" or None; an objection beside a withdrawal wins.
    """
    if text.strip():
        return _read_body(text)
    for intent, pattern in SUBJECT_VERDICT:
        if pattern.match(subject):
            return Reading(intent)
    if not subject.strip() or REPLY_PREFIX.match(subject):
        return Reading(Intent.UNCLEAR)
    return _read_body(subject)


def read_intent(text: str, subject: str = "") -> Intent:
    """What the sender's own words say about coming: YES, NO, MAYBE, or UNCLEAR when in doubt."""
    return read(text, subject).intent
