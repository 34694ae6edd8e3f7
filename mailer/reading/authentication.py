"""Whether the organizer's own receiving server vouches for a message's From (RFC 8601); pure.

Owns `held(headers, trusted_authserv_id)`: the reason to hold a message back, or None. Anyone
can write an Authentication-Results header into the mail they send, so only the headers written
by the organizer's own server count: the first run of headers whose authserv-id is `[imap]
trusted_authserv_id` ("*.messagingengine.com" matches any host of that domain), which that
server writes above everything that arrived (RFC 8601 section 5). A failure anywhere in that
run holds the message; a pass clears it only from the topmost header, which the server surely
wrote. authres parses the header; where it refuses a real value (an IPv6 address), the
method=result pairs are still read, so our own server's verdict is never ignored.

Exchange Online (Microsoft 365) writes its header without an authserv-id, against RFC 8601
(OpenDKIM and OpenDMARC had to learn to read it). For it, `trusted_authserv_id = "microsoft365"`
trusts the topmost Authentication-Results when it has no authserv-id: Exchange prepends its stamp
on every delivery, so anything a sender planted sits below it.

A message is held when those headers say dmarc=fail (or compauth=fail), or, where DMARC gave no
verdict, SPF failed or passed for another domain and no DKIM signature of the From domain (or
its parent) passed. Held means: no seat changes, no answer to the (possibly forged) sender, the
organizer told. Without the key, nothing is checked (documented in the README).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.message import Message

import authres

from mailer.reading.sender import from_address

MICROSOFT_365 = "microsoft365"
_FAILED_SPF = frozenset({"fail", "softfail"})
_DMARC_VERDICTS = frozenset({"pass", "fail"})
# The method=result pairs, for a trusted header authres cannot parse (it refuses some real
# property values, such as an IPv6 smtp.remote-ip): our own server's verdict is never ignored.
_PAIR = re.compile(r"(?:^|;)\s*([a-z][a-z0-9-]*)\s*=\s*([a-z]+)\b([^;]*)", re.I)
_PROPERTY = re.compile(r"\b(header\.d|header\.i|smtp\.mailfrom)\s*=\s*\"?([^\s;\"]+)", re.I)


def held(headers: Message, trusted_authserv_id: str) -> str | None:
    """Why the trusted server's Authentication-Results make this message untrustworthy, or None.

    Without a DMARC verdict, SPF and DKIM count only when they vouch for the From domain
    (aligned, as DMARC would require): a signature by the sender's own domain proves nothing
    about the organizer's address it claims.
    """
    if not trusted_authserv_id:
        return None
    found = _trusted_results(headers, trusted_authserv_id.lower())
    if found is None:
        return None
    top, run = found
    # A failure anywhere in our server's run of headers counts; a pass only from the topmost
    # one, which our server surely wrote (a header planted under it could claim anything).
    if any(m == "dmarc" and r == "fail" for m, r, _ in run):
        return f"{trusted_authserv_id} says dmarc=fail: the From address may be forged"
    if any(m == "compauth" and r == "fail" for m, r, _ in run):  # Microsoft 365's verdict
        return f"{trusted_authserv_id} says compauth=fail: the From address may be forged"
    verdicts = {method: result for method, result, _ in reversed(top)}  # the first wins
    if verdicts.get("dmarc") == "pass":
        return None
    domain = from_address(headers).rpartition("@")[2]

    def vouched(method: str) -> bool:  # one aligned pass is enough (RFC 6376 6.1 for DKIM)
        return any(m == method and r == "pass" and _aligned(d, domain) for m, r, d in top)

    spf = verdicts.get("spf", "none")
    if any(m == "spf" and r in _FAILED_SPF for m, r, _ in run):
        spf = "fail"
    failing_spf = spf in _FAILED_SPF or (spf == "pass" and not vouched("spf"))
    if failing_spf and not vouched("dkim"):
        return (
            f"{trusted_authserv_id} says spf={spf} and dkim={verdicts.get('dkim', 'none')},"
            f" neither for {domain or 'the From domain'}: the From address may be forged"
        )
    return None


def _aligned(vouched: str, sender: str) -> bool:
    """Relaxed alignment (RFC 7489 3.1): the same domain, or one inside the other."""
    a, b = vouched.lower().strip("."), sender.lower().strip(".")
    return bool(a and b) and (a == b or a.endswith("." + b) or b.endswith("." + a))


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


def _trusted_results(
    headers: Message, trusted: str
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]] | None:
    """(method, result, domain) of the topmost header the trusted server wrote, and of the whole
    run of its headers from there down; None when it wrote none.

    It writes its headers above everything that arrived (several, when OpenDKIM and OpenDMARC
    each write one), so the first run of headers with its name is read, and nothing below it.
    """
    values = [" ".join(str(v).split()) for v in headers.get_all("Authentication-Results") or []]
    if trusted == MICROSOFT_365:
        # Only the topmost header, and only when it opens with "method=result" (no authserv-id).
        values = [f"{MICROSOFT_365}; {v}" for v in values[:1] if "=" in v.split(";", 1)[0]]
    run: list[list[tuple[str, str, str]]] = []
    for text in values:
        if not _names_trusted(_name(text), trusted):
            if run:
                break  # the run of our server's headers is over: what lies below is not ours
            continue  # above ours: a later hop inside our own provider
        run.append(_results(text))
    return (run[0], [r for results in run for r in results]) if run else None


def _name(text: str) -> str:
    return text.split(";", 1)[0].strip().split(" ")[0].lower()


def _results(text: str) -> list[tuple[str, str, str]]:
    """(method, result, domain) of one header, by authres, else by its method=result pairs."""
    try:
        parsed = authres.AuthenticationResultsHeader.parse_value(text)
        return [
            (
                str(r.method).lower(),
                str(r.result).lower(),
                _domain(
                    " ".join(f"{p.type}.{p.name}={p.value}" for p in getattr(r, "properties", []))
                ),
            )
            for r in parsed.results
        ]
    except Exception:  # authres refuses some real values; the pairs still say what was decided
        body = text.split(";", 1)[1] if ";" in text else ""
        return [(m.lower(), r.lower(), _domain(rest)) for m, r, rest in _PAIR.findall(";" + body)]


def _domain(properties: str) -> str:
    """The domain a result vouches for: header.d (DKIM), else smtp.mailfrom's domain (SPF)."""
    found = {k.lower(): v.strip("<>").lower() for k, v in _PROPERTY.findall(properties)}
    value = found.get("header.d") or found.get("header.i") or found.get("smtp.mailfrom", "")
    return str(value).rpartition("@")[2]


def _names_trusted(authserv_id: str, trusted: str) -> bool:
    """Whether an authserv-id is the trusted one; "*.example.net" stands for any host in it.

    Fastmail, among others, writes the receiving host (mx1.messagingengine.com, mx2...) where the
    RFC asks for one name per domain.
    """
    if trusted.startswith("*."):
        return authserv_id.endswith(trusted[1:])
    return authserv_id == trusted
