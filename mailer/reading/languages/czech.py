"""Czech: ano, ne, možná, zrušení účasti, nesouhlas s nahráváním, čekací listina.

Czech negates by a prefix on the verb ("nemohu", "nepřijdu", "nestihnu"): a refusal is "ne"
joined to a first-person verb of coming or being able; nouns are matched by stem.
"""

from __future__ import annotations

from mailer.reading.languages.table import Phrases, either, near

_CAN = (
    r"mohu|můžu|budu|zúčastn\w*|přijd\w*|doraz\w*|stihn\w*|zvládn\w*|dokáž\w*|půjd\w*|"
    r"účastn\w*|přijed\w*|mám čas"
)

CZECH = Phrases(
    withdrawal=either(
        r"zruš\w*|odvol\w*|stáhn\w*|stahuj\w*",
        r"účast\w*|přihlášk\w*|registrac\w*|potvrzení",
    )
    + "|"
    + near(r"musím|musel\w*|budu muset|chci", r"zrušit|odhlásit|odříct|vzdát", 20),
    maybe=(
        r"\b(?:ještě nevím|nevím(?: ještě)?|možná|dám vědět|záleží na|uvidím|"
        r"nejsem si jist\w*)\b"
    ),
    no="|".join(
        (
            rf"\bne(?:{_CAN})\b",
            r"\b(?:jinou schůzku|jiný závazek|jinou povinnost|musím odmítnout|odmítám)\b",
            near(r"uvoln\w*|předej\w*|dejte", r"(?:moje|mé|můj) místo", 12),
            either(
                r"vyřa\w*|odstra\w*|smaž\w*|vyškrt\w*|odeber\w*|odhlas\w*",
                r"čekací\w* (?:listin|seznam)\w*|pořadník\w*",
            ),
        )
    ),
    yes=(
        r"\b(?:rád|ráda|rádi) (?:se )?(?:zúčastním|přijdu|dorazím)\b|\bzúčastním se\b|"
        r"\bpřijdu\b|\bdorazím\b|\bbudu tam\b|\bpočítejte se mnou\b|"
        + either(r"potvrzuj\w*|potvrdím", r"(?:svou |svoji |mou |moji )?účast", 12)
    ),
    bare_yes=r"\bano\b",
    bare_no=r"^\W*ne\s*(?:[,.!]|děkuji\b|díky\b|$)",
    withdraw_objection=(
        either(r"beru zpět|odvolávám|stahuji", r"nesouhlas\w*|námitk\w*")
        + "|"
        + near(r"nahrávání|nahrávka|záznam", r"nevadí", 20)
        + r"|\bsouhlasím s nahráváním\b"
    ),
    objection=(
        r"\bnechci být nahráván\w*|\bnenahrávejte mě\b|"
        r"\bnesouhlasím s (?:nahráváním|nahrávkou|záznamem)\b|\bbez nahrávání\b"
    ),
    request=r"^\W*(?:prosím,? )?(?:můžete|mohl\w* (?:byste|bys)|můžeš)\b",
    filler="děkuji díky za pozvání dobrý den rád ráda určitě moc",
)
