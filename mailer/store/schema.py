"""The SQLite schema, as numbered migrations (sqlite-utils): each runs once, in a transaction with
the record that it ran, so a database of any age is brought up to date when the store opens.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("mailer")


@migrations()
def m001_initial(db: Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE inbound (
            id INTEGER PRIMARY KEY,
            uidvalidity INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            internaldate TEXT NOT NULL,
            message_id TEXT,
            raw BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'new',  -- new | done | duplicate | set_aside
            kind TEXT, rule TEXT, intent TEXT, sender TEXT, subject TEXT,
            event TEXT, person TEXT, outcome TEXT,
            marked INTEGER NOT NULL DEFAULT 0,   -- flagged or moved on the server
            UNIQUE (uidvalidity, uid))"""
    )
    db.execute("CREATE INDEX inbound_pending ON inbound (status, internaldate, uid)")
    db.execute("CREATE INDEX inbound_message_id ON inbound (message_id)")
    db.execute(
        """CREATE TABLE attendance (
            event TEXT NOT NULL, person TEXT NOT NULL,
            invited_at TEXT NOT NULL, answer TEXT NOT NULL DEFAULT 'none',
            yes_since TEXT, yes_uid INTEGER NOT NULL DEFAULT 0,
            had_yes INTEGER NOT NULL DEFAULT 0, bounced INTEGER NOT NULL DEFAULT 0,
            responded_at TEXT,
            PRIMARY KEY (event, person))"""
    )
    db.execute(
        """CREATE TABLE outbox (
            key TEXT PRIMARY KEY,
            event TEXT NOT NULL, person TEXT NOT NULL, kind TEXT NOT NULL, sequence INTEGER NOT NULL,
            message_id TEXT NOT NULL UNIQUE,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            raw BLOB NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued',  -- queued | retry | sent | failed
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            sent_at TEXT, code INTEGER, detail TEXT)"""
    )
    db.execute("CREATE INDEX outbox_due ON outbox (status, next_attempt_at)")
    db.execute("CREATE INDEX outbox_person ON outbox (person, created_at)")
    db.execute(
        """CREATE TABLE notices (
            id INTEGER PRIMARY KEY, inbound_id INTEGER UNIQUE,
            sender TEXT, subject TEXT, received_at TEXT NOT NULL, reason TEXT NOT NULL)"""
    )


@migrations()
def m002_unmarked_index(db: Database) -> None:
    # Each tick asks which decided messages still need flagging on the server; without this the
    # question scans every message ever received, and an idle tick grows with the mailbox.
    db.execute("CREATE INDEX inbound_unmarked ON inbound (uidvalidity, uid) WHERE marked = 0")


@migrations()
def m003_notice_kinds(db: Database) -> None:
    # unmatched: could not be tied to a person or event; the rest (unclear, bounce, cap, set_aside)
    # are tied to someone but still need a person to read them.
    db.execute("ALTER TABLE notices ADD COLUMN kind TEXT NOT NULL DEFAULT 'unmatched'")


@migrations()
def m004_lifecycle(db: Database) -> None:
    # How each event stood when its people were last told (a difference is a change to announce),
    # and which emails carried a calendar part (their count gives the next SEQUENCE).
    db.execute(
        """CREATE TABLE event_state (
            event TEXT PRIMARY KEY, starts TEXT NOT NULL, duration_minutes INTEGER NOT NULL,
            title TEXT NOT NULL, capacity INTEGER NOT NULL, revision INTEGER NOT NULL)"""
    )
    db.execute("ALTER TABLE outbox ADD COLUMN calendar INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE outbox SET calendar = 1 WHERE kind = 'invitation'")
    db.execute("ALTER TABLE attendance ADD COLUMN objected_at TEXT")


@migrations()
def m005_offers(db: Database) -> None:
    db.execute("ALTER TABLE attendance ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE attendance ADD COLUMN offered_at TEXT")
    # Those already told they hold a seat stay confirmed; nobody is offered a seat they have.
    db.execute(
        """UPDATE attendance SET confirmed = 1 WHERE EXISTS (SELECT 1 FROM outbox
           WHERE outbox.event = attendance.event AND outbox.person = attendance.person
           AND outbox.kind IN ('seated', 'promoted', 'seat_added'))"""
    )


@migrations()
def m006_github(db: Database) -> None:
    # Access to the topic board per GitHub login, and the logins people told us by email.
    db.execute(
        """CREATE TABLE github_access (
            login TEXT PRIMARY KEY, person TEXT NOT NULL, state TEXT NOT NULL,
            invitation_id INTEGER, renewals INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')"""
    )
    db.execute(
        "CREATE TABLE github_logins (person TEXT PRIMARY KEY, login TEXT NOT NULL, learned_at TEXT NOT NULL)"
    )


@migrations()
def m007_topics(db: Database) -> None:
    # A topic proposed by email: recorded when the email is decided, created on GitHub after.
    db.execute(
        """CREATE TABLE topics (
            inbound_id INTEGER PRIMARY KEY, event TEXT NOT NULL, person TEXT NOT NULL,
            title TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
            number INTEGER, url TEXT, detail TEXT NOT NULL DEFAULT '')"""
    )


@migrations()
def m008_yes_source(db: Database) -> None:
    # The stored message of the standing yes: outbox keys name a seat by it, since IMAP UIDs
    # start again after a UIDVALIDITY change. Existing seats keep their UID-based keys.
    db.execute("ALTER TABLE attendance ADD COLUMN yes_source INTEGER NOT NULL DEFAULT 0")


@migrations()
def m009_sending(db: Database) -> None:
    # status 'sending': handed to SMTP, outcome unknown. It is committed before the message goes
    # out, so a crash between the server's 250 and our "sent" leaves a row that says so, and the
    # next tick settles it by looking in [imap] sent_folder instead of guessing.
    db.execute("ALTER TABLE outbox ADD COLUMN handed_at TEXT")


@migrations()
def m010_doubtful_yes(db: Database) -> None:
    # A doubtful yes ("sounds good") takes no seat; we ask, and its arrival counts once confirmed.
    db.execute("ALTER TABLE attendance ADD COLUMN doubtful_since TEXT")


@migrations()
def m011_takeaways(db: Database) -> None:
    # Each meeting's takeaways, kept for good: one row per line a person wrote, wherever they
    # wrote it (UNIQUE: gathered twice, stored once), with a full-text index for the archive.
    db.execute(
        """CREATE TABLE takeaways (
            id INTEGER PRIMARY KEY, event TEXT NOT NULL, text TEXT NOT NULL,
            author TEXT NOT NULL, person TEXT NOT NULL, source TEXT NOT NULL, ref TEXT NOT NULL,
            topic TEXT NOT NULL DEFAULT '', topic_number INTEGER, topic_url TEXT NOT NULL DEFAULT '',
            said_at TEXT, gathered_at TEXT NOT NULL, digest_sent INTEGER NOT NULL DEFAULT 0,
            UNIQUE (event, source, ref, text))"""
    )
    db.execute(
        """CREATE VIRTUAL TABLE takeaways_search USING fts5(
            text, topic, author, content='takeaways', content_rowid='id')"""
    )
    db.execute(
        """CREATE TRIGGER takeaways_indexed AFTER INSERT ON takeaways BEGIN
            INSERT INTO takeaways_search (rowid, text, topic, author)
            VALUES (new.id, new.text, new.topic, new.author); END"""
    )
    db.execute(
        """CREATE TRIGGER takeaways_unindexed AFTER DELETE ON takeaways BEGIN
            INSERT INTO takeaways_search (takeaways_search, rowid, text, topic, author)
            VALUES ('delete', old.id, old.text, old.topic, old.author); END"""
    )
    # The meetings as they were held (the config may drop an old event), the topics they
    # discussed as gathered from the board, and each digest's progress.
    db.execute(
        """CREATE TABLE meetings (
            event TEXT PRIMARY KEY, title TEXT NOT NULL, theme TEXT NOT NULL,
            starts TEXT NOT NULL, timezone TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE meeting_topics (
            event TEXT NOT NULL, number INTEGER NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
            votes INTEGER NOT NULL, sponsors TEXT NOT NULL, author TEXT NOT NULL,
            PRIMARY KEY (event, number))"""
    )
    db.execute(
        """CREATE TABLE digests (
            event TEXT PRIMARY KEY, state TEXT NOT NULL,  -- drafted | approved | sent
            drafted_at TEXT, approved_at TEXT, approved_by TEXT, sent_at TEXT)"""
    )


@migrations()
def m012_resolved_notices(db: Database) -> None:
    # A notice whose message was decided again (the invitee list changed) is resolved: kept for
    # the record, detached from its message so that the new decision may leave a notice of its own.
    db.execute("ALTER TABLE notices ADD COLUMN resolved INTEGER NOT NULL DEFAULT 0")


@migrations()
def m013_forgotten(db: Database) -> None:
    # Tombstones of people who asked to be forgotten: a keyed hash of each address (HMAC-SHA256,
    # its key in meta 'forget.key'), never the address itself, so they are not invited again.
    # `pending` holds the address only until the erasure is finished (the confirmation sent).
    db.execute(
        """CREATE TABLE forgotten (
            hash TEXT PRIMARY KEY, tag TEXT NOT NULL, requested_at TEXT NOT NULL,
            via TEXT NOT NULL, pending TEXT NOT NULL DEFAULT '')"""
    )
