"""Three meetings' topics and takeaways in a real store, for the archive's tests, the browser
checks and the README screenshots (bench/screenshots.py); the people are invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from mailer.model import Takeaway
from mailer.store import Store

TITLE = "Peer-to-peer roundtable"
REPO = "https://github.com/example/peer-to-peer/issues"
KNOWN_WORD = "quarantine"  # one takeaway holds it: what the search tests look for
KNOWN_TEXT = (
    "Quarantine a flaky test the day it flakes; a test nobody owns after a week is deleted."
)

# event, theme, start (UTC), zone, topics as (number, title, votes, sponsors, [(author, text)])
MEETINGS = [
    (
        "2026-12-velocity",
        "Development Velocity",
        datetime(2026, 12, 10, 16, 0, tzinfo=UTC),
        "Europe/Prague",
        [
            (
                12,
                "Trunk-based development with 40 engineers",
                9,
                "ada-novak",
                [
                    (
                        "Ada Novak",
                        "Merge to main at least daily; branches older than two days are where velocity goes to die.",
                    ),
                    (
                        "Marcus Reed",
                        "Feature flags made trunk-based work for us, but every flag gets an expiry date when it is created.",
                    ),
                ],
            ),
            (
                15,
                "Measuring velocity without gaming it",
                7,
                "priya-raman, tomas-h",
                [
                    (
                        "Priya Raman",
                        "Track lead time from first commit to production, never story points: points get inflated within a quarter.",
                    ),
                    (
                        "Tomás Herrera",
                        "Show the team its own numbers first; a metric that reaches leadership before the team becomes a target.",
                    ),
                ],
            ),
            (
                9,
                "Flaky tests: fix or quarantine?",
                4,
                "lena-fischer",
                [
                    ("Lena Fischer", KNOWN_TEXT),
                ],
            ),
        ],
    ),
    (
        "2026-10-kpis",
        "Engineering KPIs",
        datetime(2026, 10, 15, 16, 0, tzinfo=UTC),
        "Europe/Prague",
        [
            (
                7,
                "Which DORA metric to start with",
                8,
                "jonas-berg",
                [
                    (
                        "Jonas Berg",
                        "Start with deployment frequency: it is the cheapest to measure and moves the other three.",
                    ),
                    (
                        "Grace Okafor",
                        "Change failure rate only means something once incidents are written up the same way.",
                    ),
                ],
            ),
            (
                5,
                "KPIs the board actually reads",
                5,
                "grace-okafor",
                [
                    (
                        "Grace Okafor",
                        "One page, four numbers, a trend line each; anything longer is not read.",
                    ),
                ],
            ),
        ],
    ),
    (
        "2026-09-velocity",
        "Development Velocity",
        datetime(2026, 9, 17, 15, 0, tzinfo=UTC),
        "Europe/Prague",
        [
            (
                3,
                "Code review turnaround",
                6,
                "marcus-reed",
                [
                    (
                        "Marcus Reed",
                        "A four-hour review SLA beat every tool we bought; reviewers pick from a shared queue.",
                    ),
                    (
                        "Ada Novak",
                        "Pull requests under 300 lines get reviewed the same day; large ones wait, so keep them small.",
                    ),
                ],
            ),
        ],
    ),
]


def seed(store: Store, extra: Sequence[tuple[str, str]] = ()) -> None:
    """Store the meetings, their topics and takeaways; `extra` adds (author, text) to the newest
    meeting's first topic (a test's own takeaway, such as one that contains markup)."""
    for event, theme, starts, zone, topics in MEETINGS:
        store.save_meeting(event, f"{TITLE}: {theme}", theme, starts, zone)
        store.save_meeting_topics(
            event,
            [
                {
                    "number": n,
                    "title": t,
                    "url": f"{REPO}/{n}",
                    "votes": v,
                    "sponsors": s,
                    "author": s.split(",")[0],
                }
                for n, t, v, s, _ in topics
            ],
        )
        for number, topic, _, _, said in topics:
            lines = (
                said + list(extra) if event == MEETINGS[0][0] and number == topics[0][0] else said
            )
            for index, (author, text) in enumerate(lines):
                store.add_takeaway(
                    Takeaway(
                        event,
                        text,
                        author,
                        f"{author.split()[0].lower()}@example.org",
                        "comment",
                        f"{REPO}/{number}#issuecomment-{number * 100 + index}",
                        topic,
                        number,
                        f"{REPO}/{number}",
                        starts + timedelta(minutes=20 + index),
                    ),
                    starts + timedelta(days=1),
                )
