"""The secret a mail server login needs: `[smtp]`/`[imap] password_command`'s output, or $password_env.

Owns running password_command, as msmtp's `passwordeval` and isync's `PassCmd` do: through
`/bin/sh -c`, so a line copied from either (pipes, `~`, `$HOME`) works unchanged, with the
worker's environment, no input, at most `COMMAND_TIMEOUT` seconds. Its stdout, minus the
trailing newline, is the password or OAuth2 access token; it is run at every login, because
tokens expire within the hour, and is never logged or kept. A failing command, a timeout or
empty output is a ServerError naming the key. Also the one wording of a refused login for both
adapters (`refused`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Callable

from mailer.config import ServerSettings
from mailer.errors import PermanentError, TransientError

COMMAND_TIMEOUT = 30.0  # seconds; a token helper refreshing over the network needs a few
# The last few values password_command printed, for the worker's log redactor alone: a token
# that expires hourly is a new secret each time, unknown to the config.
_RECENT: list[str] = []


def recent() -> tuple[str, ...]:
    """What password_command printed lately (for redaction only; never logged)."""
    return tuple(_RECENT)


def secret(settings: ServerSettings, timeout: float = COMMAND_TIMEOUT) -> str:
    """The password or token for `settings`' login: password_command's output, else $password_env."""
    if settings.password_command:
        return run_command(settings.password_command, settings.section, timeout)
    return settings.password()


def run_command(command: str, section: str, timeout: float = COMMAND_TIMEOUT) -> str:
    """Run `command` by /bin/sh and return its stdout without the trailing newline.

    A timeout is a TransientError (the helper's network may be back next tick); a failure or
    empty output is a PermanentError, since only the organizer can fix it. Neither carries
    stdout, which may hold half a secret; the last line of stderr says why.
    """
    key = f"[{section}] password_command"
    try:
        # A session of its own, so a timeout ends the pipeline's children too, not only sh.
        process = subprocess.Popen(
            ["/bin/sh", "-c", command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise PermanentError(section, f"{key} could not be started ({exc.strerror})") from exc
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise TransientError(
            section,
            f"{key} gave no answer within {timeout:g} s: run it by hand to see where it waits (it must not ask for input)",
        ) from exc
    if process.returncode != 0:
        why = _last_line(err) or "no message"
        raise PermanentError(
            section,
            f"{key} failed with exit status {process.returncode} ({why}): run it by hand and fix it",
        )
    value = out.decode("utf-8", "replace").removesuffix("\n").removesuffix("\r")
    if not value.strip():
        raise PermanentError(
            section,
            f"{key} printed nothing: it must print the password or token on stdout",
        )
    if value not in _RECENT:
        _RECENT[:] = [*_RECENT[-7:], value]
    return value


def refused(settings: ServerSettings) -> str:
    """Why a login was refused and what to check, naming where the secret came from."""
    s = settings
    where = f"[{s.section}] username"
    if s.auth == "xoauth2":
        return (
            f"XOAUTH2 login refused for {s.username}: check {where} and that {s.secret_source} "
            f"prints a fresh access token with the mail scope"
        )
    if s.password_command:
        return f"login refused for {s.username}: check {where} and what {s.secret_source} prints"
    unset = "" if s.password() else " (it is not set)"
    return f"login refused for {s.username}: check {where} and the password in {s.secret_source}{unset}"


def xoauth2_responder(user: str, token: str) -> Callable[[bytes], str]:
    """The IMAP AUTHENTICATE XOAUTH2 exchange (Google's and Microsoft's SASL profile of OAuth2)."""

    def respond(challenge: bytes) -> str:
        # A refusal comes as a challenge carrying an error (JSON); the empty answer lets the
        # server end with NO instead of waiting for one.
        return "" if challenge else f"user={user}\x01auth=Bearer {token}\x01\x01"

    return respond


def _last_line(err: bytes) -> str:
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
