"""Email addresses in config.toml, checked as addresses (syntax only: no DNS, nothing sent).

email-validator does the RFC 5322/6531 syntax; this module words its refusals as one line naming
the key, and shows the right form: a near miss ("ada@example,com", "ada@@example.com") is shown
repaired, a "Name <addr>" is split (when the table has no name of its own) or refused with the
bare address to write.
"""

from __future__ import annotations

import email.utils
import re

from email_validator import EmailNotValidError, validate_email

from mailer.errors import ConfigError


def valid(text: str) -> str | None:
    """Why `text` is not an email address (one sentence, no final period), or None."""
    try:
        # test_environment: the reserved ".test" domain (RFC 2606) is what our tests and the
        # sandbox use; nothing is ever delivered there, so allowing it costs an organizer nothing.
        validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        reason = re.sub(r"\. (\w)", lambda m: ": " + m[1].lower(), str(exc).rstrip("."))
        return reason[:1].lower() + reason[1:]
    return None


def named(text: str) -> tuple[str, str] | None:
    """("Ada Example", "ada@example.com") for "Ada Example <ada@example.com>", else None."""
    if "<" not in text or not text.rstrip().endswith(">"):
        return None
    name, addr = email.utils.parseaddr(text)
    return (name.strip(), addr) if addr and valid(addr) is None else None


def _repaired(text: str) -> str | None:
    """The address a near miss was meant to be, when one obvious repair makes it valid."""
    guess = text.strip().strip("<>").removeprefix("mailto:")
    guess = re.sub(r"@+", "@", guess).replace(",", ".").replace(" ", "")
    guess = re.sub(r"\.+", ".", guess).strip(".")
    return guess if guess != text and valid(guess) is None else None


def address(
    value: object, where: str, key: str, example: str = "person@example.com", form: str = ""
) -> str:
    """The address in `value`, lower-cased; a ConfigError naming `where` `key` and the fix.

    `form` shows how the right value is written, "{}" standing for the address (default
    `key = "{}"`); a "Name <addr>" is refused here: the callers that can split it do so first.
    """
    form = form or f'{key} = "{{}}"'

    name = f"{where} {key}"
    if not isinstance(value, str) or not value.strip():
        return _missing(name, form.format(example), value)
    text = value.strip()
    reason = valid(text)
    if reason is None:
        return text.lower()
    pair = named(text)
    if pair is not None:
        raise ConfigError(
            name,
            f"holds a name and an address: {text!r}",
            f"set {form.format(pair[1])}; the name goes in its own key",
        )
    repaired = _repaired(text)
    right = f"set {form.format(repaired)}" if repaired else ""
    fix = right or f"write a whole address, e.g. {form.format(example)}"
    raise ConfigError(name, f"is not an email address: {text!r} ({reason})", fix)


def _missing(name: str, right: str, value: object) -> str:
    problem = (
        "is missing" if value in (None, "") else f"must be an address in quotes, got {value!r}"
    )
    raise ConfigError(name, problem, f"set {right}")


def looks_like_address(login: str) -> bool:
    """A server login that is meant as an address (has an @ and a dot after it); plain names
    such as "rsvp" are logins of their own and are left alone."""
    return "@" in login and "." in login.rpartition("@")[2]
