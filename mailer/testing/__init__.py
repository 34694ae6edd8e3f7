"""Real mail servers on 127.0.0.1 for the tests, the sandbox tour and the benchmark.

A `MailStack` is an IMAP server plus an aiosmtpd SMTP server that delivers into it, with a set of
users (address -> password). Two backends share one interface: `DovecotStack` (Dovecot as a
subprocess, SMTP -> LMTP delivery, maildir in a temp dir) and `PymapStack` (pymap in-process,
in-memory). Faults are injected at the SMTP server (`stack.smtp.fail_next(451, "RCPT")`), so the
adapters are tested against real protocol behaviour. Recipes: /work/shared/docs/mail-test-stack.md.

    with open_stack("pymap", DEMO_USERS) as stack:
        settings = stack.imap_settings("alice@example.test")  # also sets the password env var

This package owns only the public names, re-exported here: `stack` (MailStack and the loopback
helpers), `smtp_server` (aiosmtpd with fault switches), `dovecot` and `pymap_stack` (the two
backends), `backends` (open_stack, available_backends).
"""

from .backends import BACKENDS, available_backends, open_stack
from .dovecot import DOVECOT, DovecotStack
from .pymap_stack import PymapStack
from .smtp_server import STAGES, SmtpServer
from .stack import (
    DEMO_USERS,
    HOST,
    MailStack,
    free_port,
    nodelay,
    sample_message,
    without_trace,
)

__all__ = [
    "BACKENDS",
    "DEMO_USERS",
    "DOVECOT",
    "HOST",
    "STAGES",
    "DovecotStack",
    "MailStack",
    "PymapStack",
    "SmtpServer",
    "available_backends",
    "free_port",
    "nodelay",
    "open_stack",
    "sample_message",
    "without_trace",
]
