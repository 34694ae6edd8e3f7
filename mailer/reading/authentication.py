"""Whether the organizer's own receiving server vouches for a message's From (RFC 8601); pure.

Owns `held(headers, trusted_authserv_id)`: the reason to hold a message back, or None. Anyone
can write an Authentication-Results header into the mail they send, so only the header written
by the organizer's own server counts: the one whose authserv-id is `[imap] trusted_authserv_id`
("*.messagingengine.com" matches any host of that domain), and of those the topmost, the last
one added on the way in (RFC 8601 section 5: a receiving server adds its header above what
arrived, and should remove forged ones that claim its name).
authres parses the header; no regular expressions over its grammar.

Exchange Online (Microsoft 365) writes its header without an authserv-id, against RFC 8601
(OpenDKIM and OpenDMARC had to learn to read it). For it, `trusted_authserv_id = "microsoft365"`
trusts the topmost Authentication-Results when it has no authserv-id: Exchange prepends its stamp
on every delivery, so anything a sender planted sits below it.

A message is held when that header says dmarc=fail, or, where DMARC gave no verdict, SPF failed
and DKIM did not pass. Held means: no seat changes, no answer to the (possibly forged) sender,
the organizer told. Without the key, nothing is checked (documented in the README).
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import Message

import authres

MICROSOFT_365 = "microsoft365"
_FAILED_SPF = frozenset({"fail", "softfail"})
_DMARC_VERDICTS = frozenset({"pass", "fail"})


def held(headers: Message, trusted_authserv_id: str) -> str | None:
    """Why the trusted server's Authentication-Results make this message untrustworthy, or None."""
    if not trusted_authserv_id:
        return None
    results = _trusted_results(headers, trusted_authserv_id.lower())
    if results is None:
        return None
    dmarc = results.get("dmarc", "")
    if dmarc == "fail":
        return f"{trusted_authserv_id} says dmarc=fail: the From address may be forged"
    spf, dkim = results.get("spf", "none"), results.get("dkim", "none")
    if dmarc not in _DMARC_VERDICTS and spf in _FAILED_SPF and dkim != "pass":
        return (
            f"{trusted_authserv_id} says spf={spf} and dkim={dkim}: the From address may be forged"
        )
    return None


def trusted_share(messages: Sequence[Message], trusted_authserv_id: str) -> tuple[int, set[str]]:
    """How many of `messages` carry a header from the trusted server, and the names seen at all.

    For `mailer check`: a misspelt name would otherwise turn sender authentication off silently.
    """
    trusted = trusted_authserv_id.lower()
    seen: set[str] = set()
    carrying = 0
    for message in messages:
        if _trusted_results(message, trusted) is not None:
            carrying += 1
        for value in message.get_all("Authentication-Results") or []:
            seen.add(" ".join(str(value).split()).split(";", 1)[0].strip().lower())
    return carrying, seen


def _trusted_results(headers: Message, trusted: str) -> dict[str, str] | None:
    """method -> result of the topmost Authentication-Results written by the trusted server.

    Where a method appears more than once (several DKIM signatures), a pass wins: one valid
    signature is enough (RFC 6376 section 6.1).
    """
    values = [" ".join(str(v).split()) for v in headers.get_all("Authentication-Results") or []]
    if trusted == MICROSOFT_365:
        # Only the topmost header, and only when it opens with "method=result" (no authserv-id).
        top = values[:1]
        values = [f"{MICROSOFT_365}; {v}" for v in top if "=" in v.split(";", 1)[0]]
    for text in values:
        try:
            parsed = authres.AuthenticationResultsHeader.parse_value(text)
        except (
            Exception
        ):  # authres raises its own SyntaxError; a header we cannot read says nothing
            continue
        if not _names_trusted(str(parsed.authserv_id).lower(), trusted):
            continue
        found: dict[str, str] = {}
        for result in parsed.results:
            method, value_ = str(result.method).lower(), str(result.result).lower()
            if found.get(method) != "pass":
                found[method] = value_
        return found
    return None


def _names_trusted(authserv_id: str, trusted: str) -> bool:
    """Whether an authserv-id is the trusted one; "*.example.net" stands for any host in it.

    Fastmail, among others, writes the receiving host (mx1.messagingengine.com, mx2...) where the
    RFC asks for one name per domain.
    """
    if trusted.startswith("*."):
        return authserv_id.endswith(trusted[1:])
    return authserv_id == trusted
