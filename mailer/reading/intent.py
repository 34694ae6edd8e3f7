"""Reading whether a person's own words say yes, no or maybe to the roundtable.

Owns `read` (the intent and whether it rests only on weak phrases) and `read_intent`. Rule-based
on purpose: the phrase tables in `phrases`, read per sentence, so that a whole phrase decides and
not a single word ("No problem, I'll be there" is a yes, "can't wait" is not a refusal). Tricky
phrases are matched first and blanked out so the plain words inside them cannot count again.
Questions count for nothing, except an answer that opens them ("Yes, is there parking?"); a yes
about a later meeting ("happy to join next time") is no yes to this one; conflicting signals give
UNCLEAR, because a wrong seat costs more than asking the organizer to look.

Where a phrase stands matters too (`phrases` marks each): taking back an earlier yes ("withdraw my
acceptance", "Zusage zurückziehen") is a NO that no yes-word beside it outweighs; a refusal counts
only when its subject is the sender ("I'm not available", not "the file is not available"); and a
bare "yes"/"sure"/"ok" counts fully only when its sentence says little else, so "Sure, Bitnami
supports EC2" answers nothing and "Yes, the build is green" is at most a weak yes. `Reading.evidence`
keeps the phrases the intent rests on.

`read` also tells whether the words object to the recording or withdraw an objection (the
`CONSENT` table). Those phrases are blanked before the intent rules run, so they never change the
intent: "I don't want to be recorded" is no refusal to come, and a lone "OBJECT" stays UNCLEAR.

A reply typed without any accent ("nao vou conseguir ir") is read with every table folded the
same way (`accents`), as its writer's keyboard had no accents to leave out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from mailer.model import Intent
from mailer.reading.accents import fold, folded
from mailer.reading.consent_phrases import CONSENT
from mailer.reading.phrases import (
    CLAUSE_BREAK,
    CLAUSE_START,
    CLOSER,
    DISCLAIMER,
    FILLER,
    FINAL,
    FIRST_PERSON,
    FUTURE,
    INFORMAL,
    LONE,
    PERSONAL,
    QUESTION_CLAUSE,
    REPLY_PREFIX,
    REQUEST,
    RULES,
    SUBJECT_VERDICT,
    THING,
    WEAK,
)

# A dot after a one- or two-digit number is a date's ("am 10. Dezember", "do 6. ledna").
_SENTENCE_END: Final = re.compile(r"(?<=[.!?;])(?<!\b\d\.)(?<!\b\d\d\.)\s+|\n+|(?<=\?)")
# Straight apostrophes, and Japanese (full-width) punctuation as the sentence rules know it.
_PLAIN: Final = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "。": ". ", "！": "! ", "？": "? ", "、": ", ", "\u3000": " "}
)
_NUMBER_ABBREVIATION: Final = re.compile(r"\bno\.\s*(?=\d)")  # "No. 1 in widgets"
_WORD: Final = re.compile(r"[\w'+]+")
_Found = dict[Intent, tuple[int, list[str]]]  # per intent: the strongest signal, the phrases
_Rules = tuple[tuple[Intent | None, int, str, re.Pattern[str]], ...]
_Consent = tuple[tuple[str | None, re.Pattern[str]], ...]
# A bare word stays exact: unaccented "si" is Italian and Spanish for "if", not "sì"/"sí".
_FOLDED_RULES: Final[_Rules] = tuple(
    (i, s, scope, p if scope == LONE else folded(p)) for i, s, scope, p in RULES
)
_FOLDED_CONSENT: Final[_Consent] = tuple((consent, folded(p)) for consent, p in CONSENT)
_FILLER: Final = FILLER | {fold(word) for word in FILLER}


@dataclass(frozen=True)
class Reading:
    """What a person's words say, whether only weak phrases ("sounds good") say it, and consent.

    `consent` is "object" (to the recording), "withdraw" (an objection) or None (nothing said);
    `evidence` holds the phrases the intent rests on, lower-cased ("can't make it",).
    """

    intent: Intent
    weak: bool = False
    consent: str | None = None
    evidence: tuple[str, ...] = ()


def _consent(sentence: str, table: _Consent = CONSENT) -> tuple[set[str], str]:
    """The consent phrases in one sentence, and the sentence with them (and look-alikes) blanked."""
    found: set[str] = set()
    text = sentence
    for consent, pattern in table:
        if pattern.search(text) is None:
            continue
        if consent is not None:
            found.add(consent)
        text = pattern.sub(" ", text)
    return found, text


def _lone(rest: str, allowed: int) -> bool:
    """Whether the rest of a sentence says little besides greetings, thanks and the meeting."""
    return sum(1 for word in _WORD.findall(rest) if word not in _FILLER) <= allowed


def _personal(text: str, match: re.Match[str]) -> bool:
    """Whether a refusal's subject is the sender: "I'm not available", not "the file is not"."""
    if FIRST_PERSON.search(match.group(0)):
        return True
    clause = CLAUSE_START.split(text[: match.start()])[-1]
    if FIRST_PERSON.search(clause):
        return True
    return len(clause.split()) <= 2 and THING.search(clause) is None


def _strength(scope: str, strength: int, text: str, match: re.Match[str]) -> int:
    """What one match counts for where it stands; 0 for nothing."""
    if scope == PERSONAL:
        return strength if _personal(text, match) else 0
    if scope == LONE:
        rest = text[: match.start()] + " " + text[match.end() :]
        return strength if _lone(rest, 2 if strength > WEAK else 1) else strength - 1
    return strength


def _signals(sentence: str, rules: _Rules = RULES) -> _Found:
    """Strongest signal per intent in one sentence, with its phrases; tricky phrases first."""
    found: _Found = {}
    text = sentence
    for intent, strength, scope, pattern in rules:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        for match in matches:
            if intent is None:
                break
            counted = _strength(scope, strength, text, match)
            if counted:
                best, phrases = found.get(intent, (0, []))
                phrases.append(match.group(0).strip(" ,.;:!?\n"))
                found[intent] = (max(best, counted), phrases)
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


def _decide(found: _Found) -> Reading:
    yes, no, maybe = (found.get(i, (0, []))[0] for i in (Intent.YES, Intent.NO, Intent.MAYBE))

    def said(*intents: Intent) -> tuple[str, ...]:
        phrases = [p for i in intents for p in found.get(i, (0, []))[1]]
        return tuple(dict.fromkeys(phrases))

    if no >= FINAL:  # an earlier yes taken back: no yes-word beside it can stand
        return Reading(Intent.NO, evidence=said(Intent.NO))
    if yes and no:
        if yes == no:
            return Reading(Intent.UNCLEAR, evidence=said(Intent.YES, Intent.NO))
        if yes > no:
            return Reading(Intent.YES, yes == WEAK, evidence=said(Intent.YES))
        return Reading(Intent.NO, no == WEAK, evidence=said(Intent.NO))
    for intent, strength in ((Intent.MAYBE, maybe), (Intent.YES, yes), (Intent.NO, no)):
        if strength:
            return Reading(intent, strength == WEAK, evidence=said(intent))
    return Reading(Intent.UNCLEAR)


def _own_words(text: str) -> str:
    """The text above a closing line and name ("Best,\\nAnn") or a legal footer, if any."""
    lines = text.split("\n")
    seen_words = False  # a closer on the first lines with words is a greeting, not an ending
    for i, line in enumerate(lines):
        if not seen_words:
            seen_words = bool(line.strip())
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


def _plain(text: str) -> str:
    """Lower-cased text with plain punctuation and informal English spelled out."""
    lowered = _NUMBER_ABBREVIATION.sub("number ", text.lower().translate(_PLAIN))
    for pattern, replacement in INFORMAL:
        lowered = pattern.sub(replacement, lowered)
    return lowered


def _read_body(text: str) -> Reading:
    found: _Found = {}
    consents: set[str] = set()
    lowered = _plain(_own_words(text))
    unaccented = fold(lowered) == lowered
    rules, table = (_FOLDED_RULES, _FOLDED_CONSENT) if unaccented else (RULES, CONSENT)
    for sentence in _SENTENCE_END.split(lowered):
        asked = sentence.strip()
        sentence = _answer_part(asked).strip()
        signals: list[tuple[Intent, tuple[int, list[str]]]] = []
        if sentence != asked and REQUEST.search(asked):
            # "Could you take me off the waiting list?" asks for a no; nothing else in it counts.
            refusal = _signals(_consent(asked, table)[1], rules).get(Intent.NO)
            signals += [(Intent.NO, refusal)] if refusal else []
        if sentence:
            said, sentence = _consent(sentence, table)
            consents |= said
            signals += _signals(sentence, rules).items()
        for intent, (strength, phrases) in signals:
            best, seen = found.get(intent, (0, []))
            found[intent] = (max(best, strength), seen + phrases)
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
        verdict = pattern.match(subject)
        if verdict:
            return Reading(intent, evidence=(f"Subject: {subject}",))
    if not subject.strip() or REPLY_PREFIX.match(subject):
        return Reading(Intent.UNCLEAR)
    return _read_body(subject)


def read_intent(text: str, subject: str = "") -> Intent:
    """What the sender's own words say about coming: YES, NO, MAYBE, or UNCLEAR when in doubt."""
    return read(text, subject).intent
