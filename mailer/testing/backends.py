"""Choosing a mail stack backend: which ones run on this machine, and starting one by name.

Owns `BACKENDS` (name -> stack class), `available_backends()` (checked once per process, with a
one-line reason for each that cannot run) and `open_stack()`, the usual way to get a started stack.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping

from .dovecot import DOVECOT, DovecotStack
from .pymap_stack import PymapStack
from .stack import MailStack

BACKENDS: dict[str, type[MailStack]] = {"dovecot": DovecotStack, "pymap": PymapStack}


def open_stack(backend: str = "", users: Mapping[str, str] | None = None) -> MailStack:
    """A started stack ("dovecot", "pymap", or "" for the best that runs here); use `with`."""
    if not backend:
        backend = next(name for name, why in available_backends().items() if not why)
    return BACKENDS[backend](users).start()


@functools.cache
def available_backends() -> dict[str, str]:
    """Backend name -> "" if it runs here, else a one-line reason; checked once per process."""
    reasons = {"dovecot": "", "pymap": ""}  # best first: Dovecot is what people really run
    try:
        import pymap.backend.dict  # noqa: F401
    except ImportError:
        reasons["pymap"] = "pymap not installed: pip install 'roundtable-mailer[sandbox]'"
    if not os.path.exists(DOVECOT):
        reasons["dovecot"] = (
            f"dovecot not installed ({DOVECOT}): apt-get install dovecot-imapd dovecot-lmtpd"
        )
    else:
        try:
            DovecotStack().start().stop()
        except Exception as exc:
            reasons["dovecot"] = f"dovecot cannot start here: {str(exc).splitlines()[0]}"
    return reasons
