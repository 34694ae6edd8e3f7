"""Dutch: ja, nee, misschien, afmelding, bezwaar tegen de opname, wachtlijst.

Dutch, like German, puts a verb last ("ik kan er op 10 december niet bij zijn"): a refusal is a
finite verb, "niet" and what it denies in one clause.
"""

from __future__ import annotations

from mailer.reading.languages.table import CLAUSE, Phrases, either, near

_COME = r"komen|bij zijn|zijn|aanwezig|deelnemen|bij|aansluiten|erbij"

DUTCH = Phrases(
    withdrawal=(
        either(
            r"intrek\w*|in te trekken|annuleer\w*|annuleren",
            r"aanmelding|inschrijving|deelname|toezegging|bevestiging|aanwezigheid",
        )
        + r"|\btrek\w*\b.{0,30}?\b(?:aanmelding|inschrijving|deelname|toezegging)\s+(?:\w+\s+)?in\b"
        + r"|\bik meld me\b.{0,20}\baf\b|"
        + near(r"moet|wil|ga", r"me\b.{0,20}\bafmelden", 10)
    ),
    maybe=(
        r"\b(?:misschien|onder voorbehoud|weet (?:het )?nog niet|nog niet zeker)\b|"
        + near(r"laat", r"weten", 25)
        + "|"
        + near(r"hangt", r"af", 25)
    ),
    no="|".join(
        (
            near(r"kan|zal|ben|kom|lukt", rf"niet\b{CLAUSE}{{0,25}}?\b(?:{_COME})"),
            r"\b(?:afzeggen|verhinderd|geen tijd|al bezet|ben bezet)\b",
            either(r"haal|halen|verwijder\w*|schrap\w*", r"wachtlijst"),
            either(r"geef|geven|vergeef|weggeven", r"mijn (?:plek|plaats|stoel)", 15),
        )
    ),
    no_personal=(
        r"\bik kom (?:helaas )?niet\b|\bik (?:ben er|zal er) (?:helaas )?niet\b|\bhelaas niet\b|"
        r"\bkan (?:ik )?(?:helaas )?niet\b|"
        + near(r"gaat|zal", r"niet lukken", 20)
        + "|"
        + near(r"lukt", r"niet", 20)
    ),
    yes=(
        r"\bik kom\b|\bik ben erbij\b|\bik (?:doe (?:graag )?mee|zal er zijn|ben er (?:graag )?bij)\b|"
        r"\breken (?:maar )?op mij\b|\bik schuif (?:graag |zeker )?aan\b|\bben van de partij\b"
    ),
    bare_no=r"\bnee\b",
    withdraw_objection=(
        near(r"trek\w*", rf"bezwaar\b{CLAUSE}{{0,30}}?\bin")
        + r"|\bbezwaar in te trekken\b|\bgeen bezwaar meer\b"
    ),
    no_objection=r"\bgeen bezwaar\b",
    objection=(
        r"\bniet (?:opgenomen|gefilmd)\b|\bbezwaar tegen (?:de |het )?(?:opname|opnemen|filmen)\b|"
        r"\bgeen opname\b"
    ),
    request=r"^\W*(?:wil|wilt|kun|kunt|zou|zoudt) (?:je|jij|u|jullie)\b",
    filler="bedankt graag voor de uitnodiging natuurlijk leuk hoi",
)
