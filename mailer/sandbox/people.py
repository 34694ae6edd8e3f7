"""The tour's cast: twenty example people (names, addresses, time zones, GitHub logins) and
what each of them does during the month, in the order their answers reach the server.

Pure data: the tour (tour.py) plays it through the servers and the product.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """An invitee of the tour: how the config names them, where they live, their GitHub login."""

    name: str
    address: str
    zone: str
    login: str


@dataclass(frozen=True)
class Step:
    """One thing a person does, `minutes` after the invitations went out.

    `how` is "text" (typed in a mail program), "accept" (Outlook's Accept button), "away" (an
    out-of-office) or "stranger" (someone not invited writes in).
    """

    minutes: int
    who: str
    how: str
    text: str = ""


PEOPLE = [
    Person("Ada Lovelace", "ada@analytical.test", "Europe/London", "ada-l"),
    Person("Grace Hopper", "grace@cobol.test", "America/New_York", "grace-h"),
    Person("Linus Torvalds", "linus@kernel.test", "Europe/Helsinki", "linus-t"),
    Person("Margaret Hamilton", "margaret@apollo.test", "America/Chicago", "margaret-h"),
    Person("Barbara Liskov", "barbara@clu.test", "America/New_York", "barbara-l"),
    Person("Ken Thompson", "ken@unix.test", "America/Los_Angeles", "ken-t"),
    Person("Donald Knuth", "donald@tex.test", "America/Los_Angeles", "donald-k"),
    Person("Frances Allen", "frances@ptran.test", "America/New_York", "frances-a"),
    Person("Edsger Dijkstra", "edsger@goto.test", "Europe/Amsterdam", "edsger-d"),
    Person("Radia Perlman", "radia@spanning.test", "America/Denver", "radia-p"),
    Person("Tim Berners-Lee", "tim@www.test", "Europe/Zurich", "tim-bl"),
    Person("Yukihiro Matsumoto", "matz@ruby.test", "Asia/Tokyo", "matz-y"),
    Person("Guido van Rossum", "guido@python.test", "America/Los_Angeles", "guido-vr"),
    Person("Sophie Wilson", "sophie@arm.test", "Europe/London", "sophie-w"),
    Person("Bjarne Stroustrup", "bjarne@cpp.test", "Europe/Copenhagen", "bjarne-s"),
    Person("Karen Spärck Jones", "karen@idf.test", "Europe/London", "karen-sj"),
    Person("Niklaus Wirth", "niklaus@pascal.test", "Europe/Zurich", "niklaus-w"),
    Person("Hedy Lamarr", "hedy@hopping.test", "Europe/Vienna", "hedy-l"),
    Person("Alan Kay", "alan@smalltalk.test", "America/Los_Angeles", "alan-k"),
    Person("Shafi Goldwasser", "shafi@zk.test", "Asia/Jerusalem", "shafi-g"),
]
CAPACITY = 12

# The first morning: more yeses than seats, in the words and programs people really use.
RUSH = [
    Step(3, "ada@analytical.test", "text", "Yes, count me in!\n\nAda"),
    Step(4, "grace@cobol.test", "accept"),
    Step(6, "linus@kernel.test", "text", "Sorry, I can't make it this time, I'm travelling."),
    Step(7, "margaret@apollo.test", "away"),
    Step(9, "barbara@clu.test", "text", "Sign me up!"),
    Step(11, "ken@unix.test", "text", "No problem, I'll be there."),
    Step(12, "donald@tex.test", "text", "Yes please."),
    Step(14, "frances@ptran.test", "text", "Maybe, it depends on a customer visit that week."),
    Step(15, "radia@spanning.test", "text", "I'm in."),
    Step(17, "tim@www.test", "text", "Yes, I'd love to join."),
    Step(18, "matz@ruby.test", "accept"),
    Step(20, "guido@python.test", "text", "Count me in."),
    Step(23, "sophie@arm.test", "text", "Yes!"),
    Step(25, "bjarne@cpp.test", "text", "Ja, ich bin dabei."),
    Step(26, "karen@idf.test", "text", "Yes, I will attend."),
    Step(28, "niklaus@pascal.test", "text", "Yes, please reserve a seat for me."),
    Step(31, "hedy@hopping.test", "text", "Yes, sounds great."),
    Step(33, "alan@smalltalk.test", "text", "Yes, I'll come."),
    Step(35, "edsger@goto.test", "text", "Unfortunately I cannot attend. Next time!"),
    Step(40, "stranger@elsewhere.test", "stranger", "yes! I heard about this from a friend"),
]
# Shafi never answers. Two days on, a seated person gives the seat back; on day three another
# objects to the recording.
CANCEL = Step(
    2 * 24 * 60,
    "ada@analytical.test",
    "text",
    "Something came up and I can't come after all. Sorry!",
)
OBJECT = Step(
    3 * 24 * 60, "ken@unix.test", "text", "Happy to join, but I'd prefer not to be recorded."
)
# Everyone seated accepts the GitHub invitation except these two (they get a nudge).
SLOW_ON_GITHUB = ("karen-sj", "niklaus-w")
TAKEAWAY = "Takeaway: Pair every new hire with on-call from week two."
NOTES = """# Notes from the roundtable

## Deploying on Fridays
- Feature flags turn a Friday deploy into a non-event; the rollback must be one click.

## Measuring velocity
- Cycle time beats story points: measure from first commit to production.
"""
# The live part: the worker invites to next month's roundtable and one person answers.
LIVE_REPLY = ("Grace Hopper", "grace@cobol.test"), "Yes, count me in again!"


def person(address: str) -> tuple[str, str]:
    """(name, address) as a mail program writes the sender; a stranger has no name on the list."""
    found = next((p for p in PEOPLE if p.address == address), None)
    return (found.name if found else "A stranger", address)
