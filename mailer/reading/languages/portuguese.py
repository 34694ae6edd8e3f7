"""Portuguese (Portugal and Brazil): sim, não, talvez, desistência, gravação, lista de espera.

A refusal is "não" before the verb of coming or being able ("não vou conseguir participar",
"desta vez não dá"), read in one clause.
"""

from __future__ import annotations

from mailer.reading.languages.table import Phrases, either, near

_CAN = (
    r"poderei|posso|vou|consigo|conseguirei|estarei|irei|participarei|comparecerei|"
    r"vai dar|vai ser possível"
)

PORTUGUESE = Phrases(
    withdrawal=either(
        r"an?nul\w*|cancel\w*|retir\w*",
        r"participação|inscrição|confirmação|presença",
    )
    + "|"
    + near(r"preciso|vou ter que|tenho que|terei que", r"desmarcar|cancelar|desistir", 15),
    maybe=(
        r"\b(?:talvez|depende|a confirmar|não tenho (?:a )?certeza|ainda não sei|"
        r"não sei (?:ainda|se))\b|\b(?:te|vos|lhe|vou) avis\w*\b|\baviso (?:até|depois|amanhã)\b"
    ),
    no="|".join(
        (
            near(r"não", _CAN, 12),
            near(r"passar|liberar|libere|dar|ceder", r"(?:a )?(?:minha )?vaga", 12),
            # "não dá" only side by side: typed unaccented, "dá" is "da" (of the).
            r"\bnão (?:me |nos )?(?:dá|daria)\b",
            r"\b(?:outro compromisso|recus\w*|declin\w*)\b",
            either(r"tir\w*|remov\w*|retir\w*", r"lista de espera"),
        )
    ),
    no_personal=r"\bnão estarei\b|\bnão (?:poderei|posso|vou|consigo|conseguirei)\b",
    yes=(
        r"\b(?:participarei|irei)\b|\bestarei (?:lá|presente)\b|\b(?:pode contar|conte) comigo\b|"
        r"\bvou sim\b|\bsim,? vou\b|\bvou\b(?=\s*(?:$|[.!,;]))|"
        r"\bvou (?:participar|estar|comparecer|lá)\b|"
        r"\bconfirmo (?:a )?(?:minha )?(?:presença|participação)\b"
    ),
    bare_yes=r"\bsim\b",
    withdraw_objection=(
        near(r"retiro", r"objeção|oposição") + r"|\b(?:já não|não) me oponho(?: mais)?\b"
    ),
    objection=(
        r"\bnão ser gravad[oa]\b|\bnão (?:quero|desejo) ser gravad[oa]\b|"
        r"\b(?:me )?oponho(?:-me)? à gravação\b|\bsem gravação\b"
    ),
    request=r"^\W*(?:você |vocês )?(?:pode|podem|poderia|poderiam)\b",
    filler="obrigado obrigada pelo convite claro certo olá",
)
