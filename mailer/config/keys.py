"""Every key config.toml may hold: one table per section with its kind, default and a line of doc.

The single list the rest is checked against: the unknown-key check (schema.check_names),
the JSON Schema shipped as config.schema.json, the README's key table and the test that the
example config.toml documents exactly these keys. The readers (config.py and its siblings) still
read and check each value; a test parses a file with every default written out and one with none
written, and they must give the same `Config`, so the defaults here cannot drift from theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What a value must look like; each kind maps to a JSON Schema fragment in schema.py.
KINDS = (
    "text",
    "address",  # an email address, syntax checked
    "login",  # a username: checked as an address only when it looks like one
    "integer",
    "number",
    "boolean",
    "span",  # "7d", "1h", "30m", "1d12h"
    "time",  # a local date and time, "2026-12-10T17:00:00"
    "zone",  # an IANA time zone name
    "choice",
    "texts",  # a list of text
    "addresses",  # a list of email addresses
    "spans",  # a list of spans
)


PURPOSE = "to summarise the outcome of the discussion afterwards"
DIGEST_TO = ("attendees", "invitees")


@dataclass(frozen=True)
class Key:
    """One key of a section: `default` None means it has none (required, or computed)."""

    name: str
    kind: str
    doc: str
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Section:
    """A TOML table ([name]) or, when `many`, a list of tables ([[name]])."""

    name: str
    doc: str
    keys: tuple[Key, ...]
    required: bool = False
    many: bool = False

    @property
    def header(self) -> str:
        return f"[[{self.name}]]" if self.many else f"[{self.name}]"

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)


SECURITY = ("none", "starttls", "tls")
AUTH = ("password", "xoauth2")
PERMISSIONS = ("pull", "triage", "push", "maintain", "admin")


def _server(name: str, port: int, imap: bool) -> Section:
    keys = [
        Key("host", "text", "the server's host name", required=True),
        Key("port", "integer", "the server's port", port, minimum=1, maximum=65535),
        Key("security", "choice", '"tls" on ports 465 and 993, else "starttls"', choices=SECURITY),
        Key("username", "login", 'the login ("": none)', ""),
        Key("password_env", "text", "the environment variable holding the password", ""),
        Key(
            "password_command",
            "text",
            "a shell command printing the password or OAuth2 token, run at each login",
            "",
        ),
        Key(
            "auth",
            "choice",
            '"password", or "xoauth2" for an OAuth2 access token',
            "password",
            choices=AUTH,
        ),
        Key("timeout_seconds", "number", "how long to wait for the server", 30),
    ]
    if imap:
        keys += [
            Key("folder", "text", "where replies arrive", "INBOX"),
            Key("handled_folder", "text", 'move handled mail here ("": keep it, flagged)', ""),
            Key("sent_folder", "text", "where the provider files the mail we send", ""),
            Key("trusted_authserv_id", "text", "your receiving server's authserv-id", ""),
        ]
    what = "reading replies (IMAP)" if imap else "sending (SMTP)"
    return Section(name, f"the server for {what}", tuple(keys), required=True)


SECTIONS: tuple[Section, ...] = (
    Section(
        "organizer",
        "who sends the invitations and receives the replies",
        (
            Key("name", "text", "shown as the sender", "Roundtable organizer"),
            Key("email", "address", "From: of every email; replies reach [imap]", required=True),
            Key(
                "notify",
                "address",
                'where the organizer\'s own emails go ("": email)',
                "",
            ),
        ),
        required=True,
    ),
    _server("smtp", 587, imap=False),
    _server("imap", 993, imap=True),
    Section(
        "database",
        "where the roster is kept",
        (Key("path", "text", "the SQLite file, relative to config.toml's folder", "mailer.db"),),
    ),
    Section(
        "limits",
        "guards",
        (
            Key(
                "answers_per_sender_per_day",
                "integer",
                "answers to one person a day",
                10,
                minimum=1,
            ),
            Key("max_message_kb", "integer", "larger mail is set aside unread", 2048, minimum=16),
        ),
    ),
    Section(
        "worker",
        "`mailer run`, the worker",
        (
            Key(
                "tick_every",
                "span",
                "time-driven work at least this often (mail wakes it sooner)",
                "1m",
            ),
        ),
    ),
    Section(
        "templates",
        "your own email templates",
        (Key("dir", "text", 'a folder of templates replacing the shipped ones ("": none)', ""),),
    ),
    Section(
        "zoom",
        "how to join, sent only to the seated; leave the table out to send none",
        (
            Key("join_url", "text", "the Zoom join link", required=True),
            Key("meeting_id", "text", "the meeting ID", ""),
            Key("passcode", "text", "the passcode", ""),
            Key("passcode_env", "text", "an environment variable holding the passcode instead"),
            Key("dial_in", "text", "the dial-in number", ""),
            Key("send_details_before", "span", "hold the details until this long before"),
        ),
    ),
    Section(
        "recording",
        "whether the meeting is recorded; the seated may object",
        (
            Key("enabled", "boolean", "true: a notice, and objections are tracked", False),
            Key("purpose", "text", "why it is recorded, shown in the notice", PURPOSE),
            Key("tell_organizer_before", "span", "when the organizer hears who objects", "1d"),
            Key("kept_for", "text", 'how long it is kept, e.g. "30 days" ("": not said)', ""),
            Key("shared_with", "text", 'who sees it, e.g. "the participants" ("": not said)', ""),
        ),
    ),
    Section(
        "reminders",
        "when the seated are reminded",
        (
            Key("before", "spans", "spans before the start", ["7d", "1d", "1h"]),
            Key("alarm_minutes", "integer", "the calendar alarm; 0 for none", 30, minimum=0),
        ),
    ),
    Section(
        "github",
        "the topic board; leave the table out to skip GitHub",
        (
            Key("repo", "text", "owner/name", required=True),
            Key("token_env", "text", "the environment variable holding the token", "GITHUB_TOKEN"),
            Key("permission", "choice", "what the seated may do", "triage", choices=PERMISSIONS),
            Key("api_url", "text", "the API (GitHub Enterprise)", "https://api.github.com"),
            Key("remove_after_event", "boolean", "access ends after the meeting", False),
            Key("keep", "texts", "logins never removed", []),
            Key("nudge_before", "span", "who has not accepted hears this long before", "2d"),
            Key("agenda_before", "span", "when the seated get the agenda", "1d"),
        ),
    ),
    Section(
        "takeaways",
        "the digest of takeaways after each meeting",
        (
            Key(
                "digest_after",
                "span",
                "the organizer gets the draft this long after the end",
                "24h",
            ),
            Key("digest_hold", "span", "with auto_send, the draft goes out this long after", "48h"),
            Key(
                "auto_send",
                "boolean",
                "send without the organizer's APPROVE after digest_hold",
                False,
            ),
            Key("digest_to", "choice", "who gets the digest", "attendees", choices=DIGEST_TO),
            Key(
                "discussed_label",
                "text",
                "a topic labelled so (or closed) was discussed",
                "discussed",
            ),
            Key(
                "notes_dir", "text", "the organizer's notes: <notes_dir>/<event-id>.md", "takeaways"
            ),
        ),
    ),
    Section(
        "archive",
        "the takeaways of every meeting, kept and published",
        (
            Key(
                "publish_path",
                "text",
                'TAKEAWAYS.md in the GitHub repository ("": not published)',
                "",
            ),
            Key("branch", "text", "the branch it is committed to", "main"),
        ),
    ),
    Section(
        "privacy",
        "how long what people wrote is kept",
        (
            Key(
                "keep_messages_days",
                "integer",
                "stored message bodies are dropped this long after their meeting (0: kept)",
                0,
                minimum=0,
            ),
        ),
    ),
    Section(
        "invitees",
        "one table per person (or invitees_file)",
        (
            Key("name", "text", "their name (default: the part of the address before @)"),
            Key("email", "address", "their address", required=True),
            Key("github", "text", "their GitHub username", ""),
            Key("aliases", "addresses", "other addresses they may reply from", []),
            Key("timezone", "zone", "reminders also show the time in this zone", ""),
        ),
        many=True,
    ),
    Section(
        "events",
        "one table per meeting",
        (
            Key("id", "text", "short, no spaces; names the event in commands", required=True),
            Key("title", "text", "the meeting's title", required=True),
            Key("theme", "text", "the theme (default: the title)"),
            Key("starts", "time", "local date and time in `timezone`", required=True),
            Key("timezone", "zone", "an IANA time zone name", required=True),
            Key("duration_minutes", "integer", "how long it lasts", 75, minimum=1),
            Key("capacity", "integer", "seats, first come first served", 12, minimum=1),
            Key("invite_at", "time", "when the invitations go out (default: the first tick)"),
            Key("description", "text", "a paragraph for the invitation", ""),
            Key("offer_window_starts", "span", "from then a freed seat is offered", "48h"),
            Key("offer_hours", "integer", "how long an offered seat waits", 12, minimum=1),
            Key("rsvp_by", "time", "when the waiting line closes (default: never)"),
            Key("nudge_before", "span", "who never answered hears this long before rsvp_by", "2d"),
            Key("topic_label", "text", 'only issues with this label ("": all)', ""),
            Key("cancelled", "boolean", "true sends a cancellation, then nothing more", False),
            Key("cancel_note", "text", "a line for the cancellation email", ""),
        ),
        required=True,
        many=True,
    ),
)

# Keys at the top of the file, above the first [table].
TOP_KEYS: tuple[Key, ...] = (
    Key("invitees_file", "text", "a CSV of invitees, header line name,email,github,timezone"),
)

# The columns invitees_file may have.
CSV_COLUMNS = ("name", "email", "github", "timezone")


def section(name: str) -> Section:
    """The section called `name` ("smtp", "events"); a StopIteration for an unknown one."""
    return next(s for s in SECTIONS if s.name == name)
