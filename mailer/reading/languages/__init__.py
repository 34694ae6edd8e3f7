"""The languages replies are read in besides English, each a `Phrases` table in its own module.

Every reply is read with every language's rules at once, not with the rules of one language a
detector picked: the tables do not overlap much, an invitee mixing two languages ("Sorry, no
puedo this time") is read in both, and no model has to be loaded.
"""

from __future__ import annotations

from mailer.reading.languages.czech import CZECH
from mailer.reading.languages.dutch import DUTCH
from mailer.reading.languages.french import FRENCH
from mailer.reading.languages.german import GERMAN
from mailer.reading.languages.italian import ITALIAN
from mailer.reading.languages.japanese import JAPANESE
from mailer.reading.languages.polish import POLISH
from mailer.reading.languages.portuguese import PORTUGUESE
from mailer.reading.languages.spanish import SPANISH
from mailer.reading.languages.table import Phrases

LANGUAGES: tuple[Phrases, ...] = (
    GERMAN,
    FRENCH,
    SPANISH,
    ITALIAN,
    PORTUGUESE,
    DUTCH,
    POLISH,
    CZECH,
    JAPANESE,
)


def joined(slot: str) -> str:
    """One pattern for a slot: every language's patterns for it, as alternatives."""
    return "|".join(f"(?:{p})" for lang in LANGUAGES if (p := getattr(lang, slot)))
