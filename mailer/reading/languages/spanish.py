"""Spanish: sí, no, quizás, retirada, oposición a la grabación, lista de espera.

A refusal is "no" before the verb of coming or being able ("no podré ir", "esta vez no me va a
ser posible asistir"), read in one clause.
"""

from __future__ import annotations

from mailer.reading.languages.table import Phrases, either, near

_CAN = (
    r"puedo|podré|podría|voy|iré|estaré|asistiré|llego|llegaré|alcanzo|me va a ser posible|"
    r"me será posible|me es posible|me viene bien|me cuadra|participaré"
)

SPANISH = Phrases(
    withdrawal=(
        either(
            r"an?nul\w*|cancel\w*|retir\w*",
            r"asistencia|participación|inscripción|confirmación",
        )
        + r"|\bme (?:retiro|doy de baja)\b"
    ),
    maybe=(
        r"\b(?:quizás?|tal vez|a lo mejor|depende|no (?:estoy )?segur[oa]|no lo tengo claro|"
        r"(?:todavía|aún) no (?:lo )?sé|no (?:lo )?sé (?:todavía|aún)|es posible que)\b|"
        r"\b(?:te|les|os) (?:confirmo|aviso|digo)\b(?! que (?:sí|voy|asistiré))"
    ),
    no="|".join(
        (
            near(r"no", _CAN, 12),
            r"\b(?:esta vez paso|paso esta vez|declin\w*|otro compromiso|no cuenten conmigo)\b",
            either(r"sáca\w*|saca\w*|quíta\w*|quita\w*|bórra\w*|borra\w*", r"lista de espera"),
        )
    ),
    no_personal=r"\bno voy a poder\b|\bno estaré\b|\bno puedo\b|\bno podré\b",
    yes=(
        r"\b(?:ahí|allí|ahi|alli) estaré\b|\bestaré (?:allí|ahí|presente)\b|\basistiré\b|"
        r"\bconfirmo (?:mi )?(?:asistencia|participación|presencia)\b|\bme apunto\b|"
        r"\bcuent\w* conmigo\b|\b(?:ahí|allí) voy\b|\bvoy\b(?=\s*(?:$|[.!,;]))|\biré\b|"
        r"\bparticiparé\b|\bclaro que sí\b|"
        r"\b(?:(?:allí|ahí) nos vemos|nos vemos (?:allí|ahí|el (?:día )?\d|el jueves))\b"
    ),
    bare_yes=r"\bsí\b|^\W*si\b(?=\s*[,.!]|\s*$)",
    withdraw_objection=(
        near(r"retiro", r"objeción|oposición")
        + r"|\bya no me opongo\b|\bno me importa que me graben\b"
    ),
    objection=(
        r"\bno me graben\b|\bno (?:quiero|deseo) (?:ser grabad[oa]|que me graben)\b|"
        + near(r"me opongo", r"grab\w*")
        + r"|\bsin grabación\b"
    ),
    request=r"^\W*(?:me )?(?:puedes|podrías|puede|podría|podéis|pueden|podrían)\b",
    filler="gracias muchas por la invitación claro hola",
)
