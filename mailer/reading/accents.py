"""Replies typed without their language's accents ("nao vou conseguir", "nemuzu prijit").

Owns `fold` (Latin letters with a diacritic to their base letters: "ã" to "a", "ł" to "l", "ß"
to "ss") and `folded` (a compiled pattern with its letters folded the same way). Someone writing
on a keyboard without their language's letters leaves out every accent, so the reader uses the
folded patterns only for a reply in which folding changes nothing; a reply with accents keeps the
exact ones, where "si" is not "sí" and "esta" not "está".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final


def _base(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0] if decomposed[0].isascii() else char


# Latin-1 Supplement and Latin Extended-A; letters with no decomposition spelled out by hand.
_FOLD: Final = str.maketrans(
    {chr(code): _base(chr(code)) for code in range(0xC0, 0x180) if _base(chr(code)) != chr(code)}
    | {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def fold(text: str) -> str:
    """The text with every accented Latin letter replaced by its base letter(s)."""
    return text.translate(_FOLD)


def folded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern, matching text typed without accents."""
    return re.compile(fold(pattern.pattern), pattern.flags)
