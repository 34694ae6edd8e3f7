"""Shared fixtures: real mail servers on 127.0.0.1, one fresh stack per test.

`mail_stack` runs each test once per backend ("dovecot", "pymap"). Stacks are function-scoped:
starting one takes ~15 ms (pymap) or ~60 ms (Dovecot), cheaper than the care needed to share one
(fault scripts, counters, UIDs and folders would leak between tests). Users: `DEMO_USERS`
(organizer@, alice@, bob@example.test); add more with `mail_stack.add_user(address, password)`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from mailer.testing import BACKENDS, DEMO_USERS, MailStack, available_backends, open_stack


def _backend_params() -> list[object]:
    reasons = available_backends()
    return [
        pytest.param(name, id=name, marks=[pytest.mark.skip(reason=reasons[name])])
        if reasons[name]
        else pytest.param(name, id=name)
        for name in BACKENDS
    ]


@pytest.fixture(params=_backend_params())
def mail_stack(request: pytest.FixtureRequest) -> Iterator[MailStack]:
    """A started IMAP + SMTP stack with DEMO_USERS; stopped after the test."""
    with open_stack(request.param, DEMO_USERS) as stack:
        yield stack


def pytest_report_header() -> list[str]:
    missing = [f"{name}: {why}" for name, why in available_backends().items() if why]
    if any(name.startswith("dovecot") for name in missing):
        return [
            "mail servers: dovecot not available, end-to-end tests ran on pymap only: "
            + "; ".join(missing)
        ]
    return [
        "mail servers: " + ", ".join(name for name, why in available_backends().items() if not why)
    ]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The counts of the fuzz (messages tried, what they were read as) and of the crash harness."""
    fuzz = sys.modules.get("tests.test_fuzz_messages")
    if fuzz is not None and fuzz.TRIED:
        terminalreporter.write_line(fuzz.summary())
    harness = sys.modules.get("tests.test_crash_harness")
    if harness is not None and harness.VERDICTS:
        terminalreporter.write_line(harness.summary())
