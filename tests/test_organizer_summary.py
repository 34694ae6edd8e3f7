"""The organizer's one email per tick: where it goes, what it opens with, how it counts."""

from __future__ import annotations

import email
import email.policy
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailer.composing import compose
from mailer.config import load, parse
from mailer.decisions.organizer import Glance, summary
from mailer.errors import ConfigError
from mailer.model import Outgoing
from mailer.sandbox.tour import ORGANIZER
from mailer.testing import MailStack
from tests.scenario import Roundtable

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load(ROOT / "config.toml")
ENV = compose.environment(compose.templates_dir(CONFIG))
NOW = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
GLANCE = Glance("e1", "Roundtable", 9, 12, 2)
BOSS = "boss@elsewhere.test"


def notice(n: int, kind: str = "unmatched") -> dict[str, object]:
    return {"id": n, "kind": kind, "sender": f"s{n}@x.test", "subject": "", "reason": f"reason {n}"}


def rendered(outgoing: Outgoing | None) -> tuple[str, str]:
    assert outgoing is not None
    organizer = CONFIG.invitee_for(CONFIG.invitees[0].email)
    assert organizer is not None
    composed = compose.render(outgoing, CONFIG, None, organizer, ENV, NOW)
    body = composed.message.get_body(("plain",))
    assert body is not None
    return composed.subject, str(body.get_content())


def test_subject_says_one_thing_needs_you() -> None:
    """One item: "1 thing needs you", with the seats at a glance in the subject."""
    subject, _ = rendered(summary([notice(1)], [GLANCE]))
    assert subject == "Roundtable: 1 thing needs you — 9 of 12 seats taken"


def test_subject_says_two_things_need_you() -> None:
    """Two items: "2 things need you"; no "thing(s)" anywhere."""
    subject, body = rendered(summary([notice(1), notice(2)], [GLANCE]))
    assert subject == "Roundtable: 2 things need you — 9 of 12 seats taken"
    assert "(s)" not in subject + body


def test_summary_opens_with_each_event_at_a_glance() -> None:
    """The body's first lines give each event's seats taken and waiting line, before the items."""
    other = Glance("e2", "Second", 1, 4, 0)
    subject, body = rendered(summary([notice(1)], [GLANCE, other]))
    assert subject == "Roundtable mailer: 1 thing needs you"
    lines = [line for line in body.splitlines() if line.strip()]
    assert lines[1:3] == [
        "Roundtable: 9 of 12 seats taken, 2 waiting.",
        "Second: 1 of 4 seats taken, 0 waiting.",
    ]
    assert body.index("2 waiting") < body.index("reason 1")


def config_with(notify: str) -> dict[str, object]:
    """The example config.toml, its [organizer] with `notify` ("": none written)."""
    parsed = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    parsed["organizer"] = {"email": "rsvp@example.org", **({"notify": notify} if notify else {})}
    return parsed


def test_notify_defaults_to_the_organizers_email() -> None:
    """Without [organizer] notify, the organizer's emails go to [organizer] email."""
    config = parse(config_with(""), ROOT / "config.toml")
    assert config.notify_address == "rsvp@example.org"


def test_replies_from_notify_count_as_the_organizers() -> None:
    """Both the mailbox address and the notify address are the organizer's."""
    config = parse(config_with("Me@Example.org"), ROOT / "config.toml")
    assert config.notify_address == "me@example.org"
    assert config.is_organizer("me@example.org") and config.is_organizer("rsvp@example.org")
    assert not config.is_organizer("ada@example.org")


def test_a_bad_notify_address_names_the_key() -> None:
    """A notify that is not an address is one error naming [organizer] notify."""
    with pytest.raises(ConfigError) as caught:
        parse(config_with("me-at-example"), ROOT / "config.toml")
    assert "[organizer] notify" in str(caught.value)


MEETING = """
[recording]
enabled = true
purpose = "to summarise the outcome afterwards"
"""


@pytest.fixture
def table(mail_stack: MailStack, tmp_path: Path) -> Roundtable:
    table = Roundtable(mail_stack, tmp_path, people=3, capacity=2, extra=MEETING)
    mail_stack.add_user(BOSS, "pw")
    text = table.config_path.read_text(encoding="utf-8")
    table.config_path.write_text(
        text.replace("[smtp]", f'notify = "{BOSS}"\n\n[smtp]', 1), encoding="utf-8"
    )
    return table


def subjects(stack: MailStack, address: str) -> list[str]:
    messages = [
        email.message_from_bytes(r, policy=email.policy.default) for r in stack.messages(address)
    ]
    return [str(m["Subject"]) for m in messages if ORGANIZER in str(m["From"])]


def test_an_objection_is_one_summary_sent_to_notify(table: Roundtable) -> None:
    """A tick with an objection and an unmatched mail sends the organizer one email, to notify."""
    table.tick(0)
    table.reply(1, "Yes, I'll come. I object to the recording.", 5)
    table.stranger("yes please", 6)
    table.tick(10)
    assert subjects(table.stack, ORGANIZER) == []
    sent = subjects(table.stack, BOSS)
    assert len(sent) == 1 and sent[0].endswith("2 things need you — 1 of 2 seats taken"), sent
