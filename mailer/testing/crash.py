"""The crash harness: `mailer tick` as a real process, SIGKILLed at seeded random moments.

A roundtable on a `MailStack`: invitations go out, then a burst of replies comes in, and each of
the two phases is run by `mailer tick` processes that are killed (SIGKILL) until the planned
kills are spent, then restarted until the work is done. Half the kills (on average) land in the
window that matters: the SMTP server holds its 250 after delivering (`hold_next`), and the tick
is killed while it waits. The others land at a random moment of the tick. Then the verdict is
read from what the servers hold: every participant's mailbox and the organizer's.

With `sent_copy` the SMTP server files the sender's copy in "Sent" (as Gmail does) and
`[imap] sent_folder = "Sent"` is set: no email may arrive twice. Without it, an email may arrive
twice only as an exact resend (same Message-ID, same bytes); each is counted. The ticks' output
is left in `ticks.log` beside the config.
"""

from __future__ import annotations

import collections
import contextlib
import email
import email.policy
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from mailer.sandbox import participants
from mailer.sandbox.tour import ORGANIZER, ZONE, write_config
from mailer.store import Store

from .stack import MailStack, without_trace

# In the past, as in the tests: Dovecot turns a future APPEND date into "now".
T0 = datetime(2025, 10, 6, 9, 0, tzinfo=ZONE)
STARTS = datetime(2025, 10, 23, 12, 0, tzinfo=ZONE)
SENT = "Sent"
YES, NO = "Yes, count me in!", "Sorry, I can't make it this time."
ONCE = frozenset({"invitation", "seated", "waitlisted", "declined"})  # one per person here
INVITATION, ANSWERS = frozenset({"invitation"}), frozenset({"seated", "waitlisted", "declined"})
HOLD_SECONDS = 30.0  # the harness kills at once; the hold only has to outlast that
CLEAN_TICKS = 6  # after the last kill: ticks allowed to finish the work
STARTUP = 0.6  # seconds to start a tick process, until one is measured
JITTER = 0.005  # seconds: a random kill lands this long at most after an acceptance


@dataclass
class Verdict:
    """What one harness run found on the servers."""

    sent_copy: bool
    kills: int = 0
    window_kills: int = 0  # of the kills, those inside the 250 window
    ticks: int = 0
    emails: int = 0  # outbox rows that should have arrived
    duplicates: int = 0  # arrivals beyond the first of one Message-ID
    exact_resends: int = 0  # of the duplicates, the same bytes under the same Message-ID
    double_decisions: int = 0  # a second email of a once-per-person kind, another Message-ID
    losses: int = 0  # an email due that never arrived
    seats_ok: bool = False  # the seated are the first yeses by arrival
    notes: list[str] = field(default_factory=list)


def run(
    stack: MailStack,
    folder: Path,
    seed: int,
    kills: int,
    people: int = 8,
    capacity: int = 3,
    sent_copy: bool = True,
    window_share: float = 0.5,
) -> Verdict:
    """One harness run on a fresh `stack`, its files in `folder`; the verdict."""
    rng = random.Random(seed)
    guests = [(f"Guest {n:03d}", f"g{n:03d}@guests.test") for n in range(people)]
    for address in [ORGANIZER, *(a for _, a in guests)]:
        if stack.user(address) is None:
            stack.add_user(address, "pw")
    config = write_config(stack, folder, guests, capacity=capacity, starts=STARTS, invite_at=T0)
    if sent_copy:
        text = config.read_text().replace(
            'folder = "INBOX"', f'folder = "INBOX"\nsent_folder = "{SENT}"'
        )
        config.write_text(text)
    stack.smtp.file_sent(SENT if sent_copy else "")
    verdict = Verdict(sent_copy)
    with (folder / "ticks.log").open("ab") as log:
        ticks = _Ticks(stack, config, rng, window_share, verdict, log)
        unspent = ticks.phase(T0, kills // 2, INVITATION, people)
        arrivals = _reply(stack, guests, rng)
        later = T0 + timedelta(hours=2)
        unspent = ticks.phase(later, kills - kills // 2 + unspent, ANSWERS, len(arrivals))
    if unspent:
        verdict.notes.append(f"{unspent} planned kill(s) found no work left to interrupt")
    _judge(stack, config, guests, arrivals, capacity, verdict)
    return verdict


class _Ticks:
    """Starts `mailer tick` processes for one config and kills them as planned."""

    def __init__(
        self,
        stack: MailStack,
        config: Path,
        rng: random.Random,
        window_share: float,
        verdict: Verdict,
        log: BinaryIO,
    ) -> None:
        self.stack, self.config, self.rng = stack, config, rng
        self.window_share, self.verdict, self.log = window_share, verdict, log
        self.shortest = STARTUP  # the quickest whole tick seen: about the cost of starting up

    def phase(self, now: datetime, kills: int, kinds: frozenset[str], expected: int) -> int:
        """Tick at `now` (a minute later each restart), killing up to `kills` times, until the
        `expected` emails of `kinds` are sent and nothing waits; the kills left unspent."""
        accepted, killed = self.stack.smtp.accepted, 0
        for restart in range(kills * 3 + CLEAN_TICKS):
            at = now + timedelta(minutes=restart)
            remaining = max(1, expected - (self.stack.smtp.accepted - accepted))
            if killed < kills and not self._done(kinds, expected):
                # Spread the kills over the work: each within its share of what remains.
                killed += self._killed_tick(at, max(1, remaining // (kills - killed)))
            elif self._whole_tick(at) == 0 and self._done(kinds, expected):
                return kills - killed
        self.verdict.notes.append(f"the work at {now:%H:%M} was not done after the last tick")
        return kills - killed

    def _killed_tick(self, at: datetime, share: int) -> int:
        """One tick killed in the 250 window or at a random moment; 1 if it was killed.

        The kill comes after `skip` emails, drawn from the first `share` of those left: in the
        window of the next one, or a few milliseconds after the server accepted the last of them
        (for skip 0, at a random time before the first: while it starts, reads and decides).
        """
        smtp = self.stack.smtp
        in_window = self.rng.random() < self.window_share
        skip = self.rng.randrange(share)
        if in_window:
            smtp.hold_next(HOLD_SECONDS, skip=skip)
        accepted = smtp.accepted
        process = self._start(at)
        if in_window:
            while not smtp.held.wait(0.002) and process.poll() is None:
                pass  # the tick reaches the hold, or ends having sent fewer emails
        elif skip == 0:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=self.rng.uniform(0, self.shortest))
        else:
            while smtp.accepted < accepted + skip and process.poll() is None:
                time.sleep(0.001)
            time.sleep(self.rng.uniform(0, JITTER))
        hit = process.poll() is None
        what = "in the 250 window" if in_window else "at a random moment"
        self.log.write(f"== killed: {hit}, {what}, after {skip} email(s)\n".encode())
        self.log.flush()
        if hit:
            process.send_signal(signal.SIGKILL)
        process.wait()
        smtp.release()
        self.verdict.kills += hit
        self.verdict.window_kills += hit and in_window
        return int(hit)

    def _whole_tick(self, at: datetime) -> int:
        started = time.perf_counter()
        code = self._start(at).wait()
        self.shortest = min(self.shortest, time.perf_counter() - started)
        return code

    def _start(self, at: datetime) -> subprocess.Popen[bytes]:
        self.verdict.ticks += 1
        command = ["-m", "mailer", "-c", str(self.config), "tick", "--now", at.isoformat()]
        return subprocess.Popen([sys.executable, *command], stdout=self.log, stderr=self.log)

    def _done(self, kinds: frozenset[str], expected: int) -> bool:
        store = Store(self.config.parent / "mailer.db")
        try:
            rows = store.outbox()
            sent = sum(1 for r in rows if r["kind"] in kinds and r["status"] == "sent")
            waiting = [r for r in rows if r["status"] in ("queued", "retry", "sending")]
            return sent >= expected and not waiting and not store.pending_inbound()
        finally:
            store.close()


def _reply(
    stack: MailStack, guests: list[tuple[str, str]], rng: random.Random
) -> list[tuple[str, bool]]:
    """Every guest answers their invitation, yes or no; (address, yes) in order of arrival."""
    order = rng.sample(range(len(guests)), len(guests))
    arrivals: list[tuple[str, bool]] = []
    burst = []
    for place, n in enumerate(order):
        name, address = guests[n]
        yes = rng.random() < 0.75
        when = T0 + timedelta(minutes=30, seconds=place)
        invitation = participants.invitation_in(stack.messages(address))
        raw = participants.written_reply(invitation, (name, address), YES if yes else NO, when)
        burst.append((n, raw, when))
        arrivals.append((address, yes))
    # Delivered in guest order, arriving in another: seats follow arrival, not UIDs.
    stack.deliver_many(
        ORGANIZER, [(raw, when) for _, raw, when in sorted(burst, key=lambda b: b[0])]
    )
    return arrivals


def _judge(
    stack: MailStack,
    config: Path,
    guests: list[tuple[str, str]],
    arrivals: list[tuple[str, bool]],
    capacity: int,
    verdict: Verdict,
) -> None:
    """Count duplicates, losses and seats from what the servers hold."""
    store = Store(config.parent / "mailer.db")
    try:
        rows = [r for r in store.raw_outbox() if r["status"] != "withdrawn"]
    finally:
        store.close()
    ours = {_message_id(r["raw"]): r for r in rows}
    verdict.emails = len(rows)
    arrived: dict[str, list[bytes]] = collections.defaultdict(list)
    kinds: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for address in [ORGANIZER, *(a for _, a in guests)]:
        for raw in stack.messages(address):
            mid = _message_id(raw)
            if mid not in ours:
                continue  # a reply in the organizer's mailbox
            arrived[mid].append(without_trace(raw))
            kinds[(address, ours[mid]["kind"])].add(mid)
    for mid, copies in arrived.items():
        verdict.duplicates += len(copies) - 1
        same = _crlf(ours[mid]["raw"])
        verdict.exact_resends += sum(1 for copy in copies[1:] if _crlf(copy) == same)
    verdict.double_decisions = sum(
        len(mids) - 1 for (_, kind), mids in kinds.items() if kind in ONCE
    )
    verdict.losses = sum(
        1 for mid, row in ours.items() if not arrived[mid] or row["status"] != "sent"
    )
    verdict.losses += sum(1 for _, a in guests if not kinds[(a, "invitation")])
    verdict.losses += sum(1 for a, _ in arrivals if not any(kinds[(a, k)] for k in ANSWERS))
    first_yeses = set([a for a, yes in arrivals if yes][:capacity])
    seated = {a for (a, kind), mids in kinds.items() if kind == "seated" and mids}
    verdict.seats_ok = seated == first_yeses


def _message_id(raw: bytes) -> str:
    headers = email.message_from_bytes(raw.split(b"\r\n\r\n", 1)[0], policy=email.policy.compat32)
    return str(headers.get("Message-ID", "")).strip()


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")
