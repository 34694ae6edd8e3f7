"""Finding a GitHub username in a person's own words; pure.

People write "my GitHub is @ada-l", paste github.com/ada-l, or answer our question with the bare
name on a line of its own. A bare word counts only in an answer to that question, because "yes"
or "Thanks" are valid usernames too.
"""

from __future__ import annotations

import re

# GitHub: letters, digits and single inner hyphens, at most 39 characters.
_LOGIN = r"([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})"
_PROFILE = re.compile(rf"(?:https?://)?(?:www\.)?github\.com/{_LOGIN}(?![A-Za-z0-9/-])", re.I)
_SAID = re.compile(
    rf"\b(?:github|gh)(?:\s+(?:username|user\s*name|user|handle|login|account|id|name))?"
    # a separator is required ("is", ":", "@"): "I use GitHub daily" names no one
    rf"(?:\s+is\s+@?|\s*[:=-]\s*@?|\s+@){_LOGIN}\b",
    re.I,
)
_AT_LINE = re.compile(rf"^\s*@{_LOGIN}\s*$", re.M)
_BARE_LINE = re.compile(rf"^\s*{_LOGIN}\s*$", re.M)
_NOT_NAMES = frozenset(
    {
        "is",
        "it",
        "me",
        "my",
        "the",
        "a",
        "an",
        "and",
        "yes",
        "no",
        "thanks",
        "thank",
        "ok",
        "okay",
        "sure",
    }
)


def github_login(text: str, answering_our_question: bool = False) -> str | None:
    """The GitHub username the text gives, lower-cased, or None."""
    for pattern in (_PROFILE, _SAID, _AT_LINE):
        for found in pattern.finditer(text):
            login = found.group(1)
            if login.lower() not in _NOT_NAMES and login.lower() not in (
                "orgs",
                "settings",
                "login",
            ):
                return login.lower()
    if answering_our_question:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        bare = _BARE_LINE.match(lines[0]) if lines else None
        if bare is not None and bare.group(1).lower() not in _NOT_NAMES:
            return bare.group(1).lower()
    return None
