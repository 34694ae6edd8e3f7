"""Polish: tak, nie, może, rezygnacja, sprzeciw wobec nagrywania, lista oczekujących.

Polish inflects: a refusal is "nie" before a first-person verb of coming or being able ("nie
będę mógł przyjść", "nie dam rady"), and nouns are matched by stem ("zgłoszenie", "zgłoszenia").
"""

from __future__ import annotations

from mailer.reading.languages.table import Phrases, either, near

_CAN = (
    r"mogę|będę|dam rady|dotrę|przyjdę|zdążę|zdołam|uda mi się|pojawię się|wezmę udziału|"
    r"biorę udziału|jestem w stanie|dołączę|zjawię się"
)

POLISH = Phrases(
    withdrawal=either(
        r"wycof\w*|anul\w*|odwoł\w*|rezygn\w*",
        r"zgłoszeni\w*|udział\w*|obecnoś\w*|rejestracj\w*|potwierdzeni\w*",
    )
    + "|"
    + near(r"muszę|musiał\w*|chcę|chciał\w*", r"zrezygnować|wycofać się", 20),
    maybe=(
        r"\b(?:jeszcze nie wiem|nie wiem jeszcze|nie jestem (?:jeszcze |do końca )?pew(?:ien|n\w*)|dam znać|dam znac|może|"
        r"być może|zależy od|postaram się)\b"
    ),
    no="|".join(
        (
            near(r"nie", _CAN, 15),
            r"\b(?:nie jestem zainteresowan\w*|inne zobowiązani\w*|inne plany|muszę odmówić|"
            r"odmawiam|rezygnuję)\b",
            near(r"odda\w*|zwolni\w*|przekaż\w*|przeka\w*", r"moje miejsce", 12),
            either(
                r"skreśl\w*|usu[nń]\w*|wypis\w*|wykreśl\w*", r"list\w* (?:oczekując|rezerwow)\w*"
            ),
        )
    ),
    yes=(
        r"\bbędę(?=\s*(?:$|[.,;!]|na pewno|obecn\w*|z przyjemnością|tam))|\bwezmę udział\b|"
        r"\bchętnie (?:wezmę udział|przyjdę|dołączę|będę)\b|\bprzyjdę\b|\bdołączę\b|"
        + either(r"potwierdzam", r"(?:swój |mój |moją |swoją )?(?:udział|obecność)", 12)
        + r"|\bzapisz\w* mnie\b|"
        r"\b(?:możesz|możecie) na mnie liczyć\b"
    ),
    bare_yes=r"\btak\b",
    bare_no=r"^\W*nie\s*(?:[,.!]|dziękuję\b|$)",
    withdraw_objection=near(r"wycofuję|cofam|odwołuję", r"sprzeciw\w*")
    + r"|\bnie mam nic przeciwko nagrywaniu\b",
    objection=(
        r"\bnie chcę być nagrywan\w*|\bnie nagrywaj\w* mnie\b|\bsprzeciwiam się nagrywani\w*|"
        r"\bsprzeciwiam się nagrani\w*|\bnie zgadzam się na nagrywanie\b|\bbez nagrywania\b"
    ),
    request=r"^\W*(?:czy )?(?:możesz|możecie|mógłby\w*|mogłaby\w*|moglibyście|może pan\w*)\b",
    filler="dziękuję dzięki za zaproszenie chętnie dzień dobry cześć",
)
