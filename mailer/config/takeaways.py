"""[takeaways] and [archive]: when the digest of a meeting's takeaways goes out, to whom, and
where every meeting's takeaways are kept; read and checked here, nothing connects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from mailer.config.keys import DIGEST_TO
from mailer.config.values import boolean, duration, string, table
from mailer.errors import ConfigError


@dataclass(frozen=True)
class Takeaways:
    """The digest: drafted `digest_after` the end, sent on APPROVE (or after `digest_hold`)."""

    digest_after: timedelta = timedelta(hours=24)
    digest_hold: timedelta = timedelta(hours=48)
    auto_send: bool = False
    digest_to: str = "attendees"  # "attendees" (seated at the start) | "invitees"
    discussed_label: str = "discussed"
    notes_dir: Path = Path("takeaways")


@dataclass(frozen=True)
class Archive:
    """Where the archive is published: TAKEAWAYS.md committed to the GitHub repository."""

    publish_path: str = ""
    branch: str = "main"


def takeaways(data: dict[str, Any], base: Path) -> Takeaways:
    """The [takeaways] table; `notes_dir` is resolved against config.toml's folder."""
    section = table(data, "takeaways", required=False)
    digest_to = string(section, "takeaways", "digest_to", default="attendees")
    if digest_to not in DIGEST_TO:
        raise ConfigError(
            "[takeaways] digest_to",
            f"must be attendees or invitees, got {digest_to!r}",
            'set digest_to = "attendees" (the seated at the start) or "invitees" (everyone invited)',
        )
    return Takeaways(
        digest_after=duration(section, "takeaways", "digest_after", "24h"),
        digest_hold=duration(section, "takeaways", "digest_hold", "48h"),
        auto_send=boolean(section, "takeaways", "auto_send", False),
        digest_to=digest_to,
        discussed_label=string(section, "takeaways", "discussed_label", default="discussed"),
        notes_dir=base / string(section, "takeaways", "notes_dir", default="takeaways"),
    )


def archive(data: dict[str, Any]) -> Archive:
    section = table(data, "archive", required=False)
    return Archive(
        publish_path=string(section, "archive", "publish_path", default="").strip("/"),
        branch=string(section, "archive", "branch", default="main") or "main",
    )
