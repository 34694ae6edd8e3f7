"""`mailer check`'s steps that read real mail: whether sender authentication is set up right.

Owns `trusted_server(config)`: the newest messages in the replies' folder are read (headers
only, nothing marked) to see whether the organizer's own server really writes Authentication-
Results under `[imap] trusted_authserv_id`; a misspelt name would otherwise switch the check off
without a word.
"""

from __future__ import annotations

import email.parser
import email.policy

from mailer.adapters.imap import Mailbox
from mailer.config import Config
from mailer.errors import PermanentError
from mailer.reading.authentication import trusted_share

RECENT = 20


def trusted_server(config: Config) -> str:
    """One line: how many recent messages carry the trusted header; a PermanentError if none."""
    trusted = config.imap.trusted_authserv_id
    with Mailbox(config.imap) as box:
        headers = box.recent_headers(RECENT)
    if not headers:
        return f"'{trusted}' not checked: the folder is empty"
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    carrying, seen = trusted_share([parser.parsebytes(h) for h in headers], trusted)
    if carrying == 0:
        names = ", ".join(sorted(seen)[:5]) or "none"
        raise PermanentError(
            "imap",
            f"none of the newest {len(headers)} messages carries Authentication-Results from "
            f"'{trusted}' (names seen: {names}): check [imap] trusted_authserv_id",
        )
    return f"'{trusted}' vouched for {carrying} of the newest {len(headers)} messages"
