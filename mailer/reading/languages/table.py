"""The shape of one language's phrase table, and the helpers its patterns are built with.

Owns `Phrases` (the patterns of one language, one field per slot of the rule order in
`mailer.reading.phrases`) and the builders `near` and `either`, which say "these words in one
clause" rather than listing whole sentences: a German verb may stand at the end ("kann am 26.
März nicht teilnehmen"), a Czech or Polish word is matched by its stem. Patterns run on
lower-cased text with straight apostrophes; Japanese ones use no `\\b`, as Japanese has no spaces.
"""

from __future__ import annotations

from dataclasses import dataclass

# Words of the same clause: no sentence or clause mark between, except the dot of a date
# ("bis zum 3. März", "do 6. ledna").
CLAUSE = r"(?:[^.,;:!?\n]|(?<=\d)\.)"


def near(first: str, then: str, gap: int = 40) -> str:
    """`first`, then `then` later in the same clause, at most `gap` characters apart."""
    return rf"\b(?:{first})\b{CLAUSE}{{0,{gap}}}?\b(?:{then})\b"


def either(verbs: str, nouns: str, gap: int = 30) -> str:
    """A verb and what it acts on, in either order in one clause ("wycofać swoje zgłoszenie")."""
    return f"{near(verbs, nouns, gap)}|{near(nouns, verbs, gap)}"


@dataclass(frozen=True)
class Phrases:
    """One language's patterns, by the slot they fill in the rule order ("" for none).

    withdrawal: an earlier yes taken back (a NO nothing outweighs); neutral: look-alikes that
    mean nothing; maybe: hedges; no: refusals that speak of the sender wherever they stand
    (leaving the waiting line included); no_personal: refusals that count only when their
    subject is the sender; yes: acceptances; bare_yes: a yes-word that counts when its sentence
    says little else; bare_no: a lone no-word; withdraw_objection, no_objection, objection: the
    recording consent; request: a question that is a polite request ("could you take me off
    the waiting line?"), whose refusal counts; filler: words that leave a bare yes alone in its
    sentence.
    """

    withdrawal: str = ""
    neutral: str = ""
    maybe: str = ""
    no: str = ""
    no_personal: str = ""
    yes: str = ""
    bare_yes: str = ""
    bare_no: str = ""
    withdraw_objection: str = ""
    no_objection: str = ""
    objection: str = ""
    request: str = ""
    filler: str = ""
