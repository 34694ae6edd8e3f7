"""GitHub usernames in replies: found where people write them, and not invented from ordinary words."""

from __future__ import annotations

import pytest

from mailer.reading.github_names import github_login


@pytest.mark.parametrize(
    "text",
    [
        "my GitHub is @ada-l",
        "My github username is ada-l",
        "GitHub: ada-l",
        "https://github.com/ada-l",
        "sure, github.com/Ada-L is me",
        "Thanks!\n@ada-l\n",
    ],
)
def test_a_username_is_found_where_people_write_it(text: str) -> None:
    """The usual ways of giving a username are understood."""
    assert github_login(text) == "ada-l"


def test_a_bare_name_counts_only_as_an_answer_to_our_question() -> None:
    """A bare word on its own line is a username only when we asked for one."""
    assert github_login("ada-l\n\nBest, Ada") is None
    assert github_login("ada-l\n\nBest, Ada", answering_our_question=True) == "ada-l"


@pytest.mark.parametrize(
    "text", ["yes", "Thanks, see you there", "I use GitHub daily", "github.com/orgs/acme"]
)
def test_ordinary_words_are_not_usernames(text: str) -> None:
    """Words that merely look like usernames are not taken as one."""
    assert github_login(text, answering_our_question=True) is None
