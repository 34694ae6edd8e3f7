"""Italian: sì, no, forse, ritiro, opposizione alla registrazione, lista d'attesa.

A refusal is "non" before the verb of coming or being able ("non potrò esserci", "non ce la
faccio"), read in one clause.
"""

from __future__ import annotations

from mailer.reading.languages.table import Phrases, either, near

_CAN = (
    r"posso|potrò|potrei|riesco|riuscirò|ci sarò|ci sono|vengo|verrò|parteciperò|"
    r"ce la faccio|ce la farò"
)

ITALIAN = Phrases(
    withdrawal=either(
        r"ritir\w*|annull\w*|disdic\w*|disdir\w*|cancell\w*",
        r"adesione|partecipazione|iscrizione|conferma|presenza",
    )
    + "|"
    + near(
        r"devo|dovrò|dovrei|costrett[oa] a", r"disdire|rinunciare|ritirarmi|tirarmi indietro", 20
    ),
    neutral=r"\bnon vedo l'ora\b",
    maybe=(
        r"\b(?:forse|dipende|da confermare|non so ancora|ancora non so|"
        r"non (?:sono )?(?:ancora )?sicur[oa]|(?:ti|vi|le) (?:faccio|farò) sapere|(?:ti|vi|la) aggiorno)\b"
    ),
    no="|".join(
        (
            near(r"non", _CAN, 12),
            r"\b(?:già impegnat[oa]|altro impegno|altri impegni|declin\w*)\b",
            near(r"dare|date|dai|cedere|cedo|liberare|liberate|libera", r"(?:il )?mio posto", 12),
            either(r"togli\w*|toglie\w*|rimuov\w*|cancell\w*|lev\w*", r"lista d'attesa"),
        )
    ),
    no_personal=r"\bnon (?:posso|potrò|riesco|ci sarò)\b",
    yes=(
        r"\bci sarò\b|\bci vediamo (?:lì|là|il \d|al(?:la)? (?:cena|evento|riunione))|\bci sono\b(?=\s*(?:$|[.!,;]))|\b(?:parteciperò|verrò)\b|\bvengo\b(?! a (?:sapere|dire))|\bci sto\b|"
        r"\bconfermo (?:la )?(?:mia )?(?:partecipazione|presenza)\b|"
        r"\b(?:conta|contate|potete contare) su di me\b"
    ),
    bare_yes=r"^\W*s[iì]\b(?=\s*[,.!]|\s*$)|\bsì\b",
    withdraw_objection=(
        near(r"ritiro", r"opposizione|obiezione")
        + r"|\bnon mi oppongo più\b|\bla registrazione (?:va bene|mi sta bene)\b|"
        r"\b(?:va|sta) bene (?:essere registrat[oa]|che mi registri\w*)\b|\bpotete registrarmi\b"
    ),
    objection=(
        r"\bnon essere registrat[oa]\b|\bnon (?:voglio|desidero) essere registrat[oa]\b|"
        r"\bmi oppongo alla registrazione\b|\bnon registratemi\b|\bnessuna registrazione\b"
    ),
    request=r"^\W*(?:potete|potreste|puoi|potresti|può|potrebbe)\b",
    filler="grazie mille per l'invito dell'invito volentieri certo ciao",
)
