"""French: oui, non, peut-être, désistement, opposition à l'enregistrement, liste d'attente.

A French negation wraps the verb ("je ne pourrai pas venir", "je n'y serai pas"): a refusal is
"je ne/n'" and "pas/plus" in one clause, once hedges ("je ne sais pas encore") are read.
"""

from __future__ import annotations

from mailer.reading.languages.table import Phrases, either, near

FRENCH = Phrases(
    withdrawal=(
        either(
            r"retir\w*|annul\w*", r"participation|inscription|confirmation|présence|réponse|venue"
        )
        + r"|\bje (?:dois )?me (?:désiste|retire)\b|\bme désinscrire\b|\bme désist\w*"
    ),
    neutral=r"\bne (?:le |la |l')?(?:manquerai|raterai)s? pas\b",
    maybe=(
        r"\b(?:peut-être|pas (?:encore )?sûre?|sous réserve|à confirmer|ça dépend|cela dépend|"
        r"je verrai|je ne sais pas (?:encore|trop)|je vous (?:redis|redirai|tiens au courant))\b|"
        r"\bje (?:vous )?(?:confirme(?:rai)?|dirai) (?:ça |cela )?(?:plus tard|d'ici|bientôt|"
        r"la semaine|demain|lundi|mardi|mercredi|jeudi|vendredi)\b"
    ),
    no="|".join(
        (
            near(
                r"je",
                r"(?:ne\s+|n')(?:y\s+|me\s+)?(?:pourrai|pourrais|peux|serai|serais|viendrai|vais|"
                r"pense|crois|participerai|assisterai)\b[^.,;]{0,25}?\b(?:pas|plus)",
                4,
            ),
            r"\bje n'y serai pas\b|\bje ne suis pas disponible\b|\bd[ée]clin\w*|"
            r"\bindisponible\b|\bnon merci\b",
            either(r"retir\w*|enlev\w*|sort\w*|ray\w*|désinscri\w*", r"liste d'attente"),
            near(r"donn\w*|laiss\w*|libér\w*|céd\w*", r"ma place", 12),
        )
    ),
    no_personal=r"\bpas (?:encore )?dispo(?:nible)?s?\b|\bje ne viendrai pas\b|\bje ne serai pas\b|\bje ne (?:pourrai|peux) pas\b",
    yes=(
        r"\bje viens\b|\bavec (?:grand |un grand )?plaisir\b|\bje serai (?:là|présente?)\b|"
        r"\bj'y serai\b|\bje (?:participerai|viendrai)\b|\bcomptez sur moi\b|"
        r"\bje (?:serai|suis) (?:des vôtres|partante?)\b|\bje m'inscris\b|"
        r"\bje confirme (?:ma )?(?:présence|participation|venue)\b"
    ),
    bare_yes=r"\boui\b|\bvolontiers\b",
    bare_no=r"^\W*non\s*(?:[,.!]|merci\b|$)",
    withdraw_objection=(
        near(r"retire|lève", r"opposition|objection")
        + r"|\bje ne m'oppose plus\b|\bplus d'objection\b|\bvous pouvez m'enregistrer\b|\bl'enregistrement (?:me convient|ne me dérange pas)\b"
    ),
    objection=(
        r"\bne pas être (?:enregistrée?|filmée?)\b|\bn(?:e |')\w+ pas (?:à )?être (?:enregistr|film)\w*|\bm'oppose à (?:l'enregistrement|être)\b|"
        r"\b(?:pas|aucun) d'enregistrement\b|\bne m'enregistrez pas\b|"
        r"\brefuse (?:d'être enregistrée?|l'enregistrement)\b"
    ),
    request=r"^\W*(?:pourriez|pouvez|pourrais|peux|voudriez|voulez)[- ](?:vous|tu)\b",
    filler="merci beaucoup pour l'invitation bien bonjour plaisir",
)
