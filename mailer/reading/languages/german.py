"""German: Zusage, Absage, Vorbehalt, Rückzug, Widerspruch gegen die Aufzeichnung, Warteliste.

German puts the verb last ("ich kann am 26. März leider nicht teilnehmen") and splits it
("ich nehme gern teil"), so refusals and acceptances are a finite verb and its complement in
one clause (`near`), not fixed strings.
"""

from __future__ import annotations

from mailer.reading.languages.table import CLAUSE, Phrases, either, near

_FINITE = r"kann|könnte|werde|schaffe|komme|bin|nehme|klappt"
_COME = (
    r"teilnehmen|teil|kommen|dabei sein|dabei|da sein|vorbeikommen|vorbei|schaffen|mitmachen|"
    r"erscheinen|hinkommen"
)

GERMAN = Phrases(
    withdrawal="|".join(
        (
            either(
                r"zurück\w*|storn\w*|widerruf\w*|absagen",
                r"zusage|anmeldung|teilnahme|teilnahmebestätigung|registrierung",
            ),
            r"\b(?:sage|melde)\b.{0,30}\b(?:teilnahme|zusage|anmeldung|mich)\s+(?:\w+\s+)?ab\b",
        )
    ),
    maybe=(
        r"\b(?:vielleicht|eventuell|unter vorbehalt|mal sehen|je nachdem|noch unklar|"
        r"(?:noch )?nicht sicher|versuche es|noch nicht (?:fest |sicher )?zusagen)\b|\bwei(?:ß|ss) (?:ich )?(?:es )?noch nicht\b|"
        + near(r"hängt|hängen", r"ab|davon")
        + "|"
        + near(r"melde", r"(?:bis|nochmal|noch|später|morgen|freitag|montag)")
    ),
    no="|".join(
        (
            near(_FINITE, rf"nicht\b{CLAUSE}{{0,30}}?\b(?:{_COME})"),
            near(r"schaffe|komme|kann|klappt", r"nicht(?=\s*(?:$|[.,;!]))"),
            r"\b(?:verplant|verhindert|keine zeit|anderen termin|anderweitig \w+)\b",
            near(r"würde|wäre", r"aber|leider"),
            either(r"streich\w*|nehm\w*|lösch\w*|entfern\w*|austrag\w*", r"warteliste"),
            either(r"gebt|geben|gib|weitergeben|vergeben|vergebt", r"meinen platz", 20),
        )
    ),
    no_personal=(
        r"\bleider nicht\b|\babsag\w*|\bkann (?:ich )?(?:leider )?nicht\b|"
        r"\bkomme (?:leider )?nicht\b|\bnicht (?:kommen|teilnehmen|dabei sein)\b"
    ),
    yes="|".join(
        (
            r"\bzusage\b|\bich komme\b|\bkomme ich\b|\bbin dabei\b",
            near(r"nehme|komme|bin|werde", r"teil|teilnehmen|kommen|dabei|vorbei", 30),
        )
    ),
    bare_yes=r"\bja\b|\bklar\b|\bjawohl\b",
    bare_no=r"\bnein\b",
    withdraw_objection=(
        either(r"zurück\w*|widerruf\w*", r"widerspruch|einwand")
        + r"|\b(?:aufzeichnung|aufnahme) ist (?:ok|in ordnung|kein problem)\b"
    ),
    no_objection=r"\bkein(?:en)? (?:widerspruch|einwand)\b",
    objection=(
        near(r"nicht|keine?", r"aufgezeichnet|aufgenommen|gefilmt")
        + "|"
        + near(r"widerspreche|widerspruch|einwand", r"aufzeichnung|aufnahme|mitschnitt")
        + r"|\bkeine (?:aufzeichnung|aufnahme)\b"
    ),
    request=r"^\W*(?:können|könnten|würden|kannst|könntest|würdest) (?:sie|du|ihr)\b",
    filler="gerne gern danke vielen dank für die einladung klar natürlich sehr hallo",
)
