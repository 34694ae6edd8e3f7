"""Recognising an out-of-office reply by its words, when no header marks it as automatic.

Owns `out_of_office(text, subject)`: the phrases that made it one, or () for a person's mail. An
out-of-office speaks of the sender's absence from mail and work (out of the office, away until a
date, limited access to email, a reply on return, whom to contact for urgent matters, "this is an
automatic reply"), in English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Czech and Japanese. A person
writing "I'm on vacation that week, so I can't come" speaks of the meeting: that stays their no.
So the words decide only when they say nothing about coming once the absence phrases are set
aside, or when so many kinds of absence phrase stand together that only a responder writes so.
Pure: text in, phrases out.
"""

from __future__ import annotations

import re
from typing import Final

from mailer.model import Intent
from mailer.reading.intent import read

_UNTIL = (
    r"(?:until|till|til|through|thru|returning|back on|bis|jusqu'(?:au|à|a)|hasta|fino al?|"
    r"sino al?|tot(?: en met)?|t/m|até)"
)
_AWAY = (
    r"(?:away|absent|off|on (?:\w+ )?(?:leave|vacation|holidays?|pto|sabbatical)|travell?ing|"
    r"im urlaub|in urlaub|abwesend|verreist|nicht erreichbar|in elternzeit|absente?|en congés?|"
    r"en vacances|en déplacement|ausente|de vacaciones|de viaje|de permiso|assente|in ferie|"
    r"in vacanza|afwezig|met vakantie|op vakantie|niet aanwezig|de férias|em viagem|de licença)"
)
# Within one sentence; a dot after a digit is part of a date ("bis zum 3. März").
_SPAN = r"(?:[^.\n]|(?<=\d)\.){0,50}?"

# One pattern per kind of phrase; how many kinds stand together says how sure the reading is.
_KINDS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "office",
            r"\bout of (?:the )?office\b|\bnot in the office\b|\baway from (?:the|my) (?:office|desk)\b|"
            r"\bnicht im büro\b|\bau(?:ß|ss)er haus\b|\bnicht am arbeitsplatz\b|"
            r"\babsente? du bureau\b|\bhors du bureau\b|\bpas au bureau\b|"
            r"\bfuera de la oficina\b|\bausente de la oficina\b|\bno estoy en la oficina\b|"
            r"\bfuori (?:ufficio|sede)\b|\bassente dall'ufficio\b|\bnon sono in ufficio\b|"
            r"\bniet op kantoor\b|\bbuiten kantoor\b|\bfora do escritório\b|"
            r"\bausente do escritório\b|\bpoza biurem\b|\bmimo (?:kancelář|kancelar|úřad)\w*|"
            r"不在に(?:して|いたして)|不在です",
        ),
        (
            "away until",
            rf"\b{_AWAY}\b{_SPAN}\b{_UNTIL}(?=\W)|\b{_UNTIL}\b{_SPAN}\b{_AWAY}\b|"
            # Polish and Czech: "do 7 stycznia" (until) on either side of the absence.
            rf"\b(?:na urlopie|na zwolnieniu|w podróży|na dovolené|na služební cestě|nepřítomn\w*)"
            rf"{_SPAN}\bdo \d|\bdo \d{_SPAN}\b(?:na urlopie|na dovolené|nepřítomn\w*)|"
            r"\d+月\d+日(?:\(.\))?まで\w{0,12}?(?:休暇|不在|出張|休み)",
        ),
        (
            "mail access",
            r"\b(?:limited|no|intermittent|restricted|sporadic|occasional|reduced) access to "
            r"(?:my |the )?(?:e-?mails?|inbox|mail|messages)\b|\bchecking (?:my )?e-?mails? "
            r"(?:only )?(?:intermittently|occasionally|sporadically|infrequently|periodically)\b|"
            r"\b(?:keinen|eingeschränkten|begrenzten|nur eingeschränkt(?:en)?) zugriff auf\b|"
            r"\bacc[eè]s (?:limité|restreint|réduit|limitado|restringido|restrito) (?:à|a|al|ao|"
            r"aux)\b|\bsans accès à (?:mes|ma)\b|\baccesso limitato alla?\b|"
            r"\bbeperkte? toegang tot\b|\bacesso limitado\b|\bn'ai pas accès à (?:mes|ma)\b|"
            r"\b(?:nie mam|ograniczony) dostęp\w* do (?:poczty|e-?maila|skrzynki)\b|"
            r"\b(?:nemám|omezený) přístup k (?:e-?mailu|poště)\b|メールを?(?:確認|拝見)(?:でき|出来)",
        ),
        (
            "on return",
            r"\b(?:upon|on|after) my return\b|\bwhen i (?:am |get )?back\b|\bwhen i return\b|"
            r"\bwill (?:respond|reply|get back to you|answer|read)\b[^.\n]{0,40}?\b(?:return|"
            r"back)\b|\bnach meiner rückkehr\b|\bwieder (?:im büro|erreichbar|da)\b|"
            r"\b(?:à|dès) mon retour\b|\bde retour le\b|\ba mi (?:regreso|vuelta|retorno)\b|"
            r"\bcuando regrese\b|\bregresaré el\b|\bal mio (?:rientro|ritorno)\b|\brientrerò\b|"
            r"\bna mijn (?:terugkomst|terugkeer|vakantie)\b|\bbij (?:mijn )?terugkomst\b|"
            r"\bweer (?:aanwezig|bereikbaar|op kantoor)\b|\bpo (?:moim |mém )?powrocie\b|"
            r"\bpo (?:mém |svém )?návratu\b|戻り次第|復帰後|帰社後|\b(?:no|ao|após o) meu "
            r"(?:regresso|retorno)\b|\bquando (?:regressar|retornar|voltar)\b|\bestarei de volta\b",
        ),
        (
            "urgent",
            r"\b(?:for|in case of|if (?:this|it|your (?:matter|request|message)) is) (?:an? )?"
            r"(?:urgent|anything urgent|emergenc(?:y|ies)|immediate assistance)\b|"
            r"\burgent (?:matters|requests|issues|enquiries|inquiries|questions)\b|"
            r"\bin my absence\b|\bwhile i(?:'m| am) away\b|\bduring my absence\b|"
            r"\bin dringenden fällen\b|\bbei dringenden\b|\bin eiligen fällen\b|"
            r"\ben cas d'urgence\b|\bpour toute (?:demande )?urgen|\ben mon absence\b|"
            r"\ben caso de urgencia\b|\b(?:asuntos|temas|consultas) urgentes\b|"
            r"\bper (?:urgenze|questioni urgenti|comunicazioni urgenti)\b|"
            r"\bin caso di urgenza\b|\bvoor dringende (?:zaken|vragen)\b|\bin dringende gevallen\b|"
            r"\bbij spoed\b|\bem caso de urgência\b|\b(?:assuntos|questões) urgentes\b|"
            r"\bw (?:pilnych|naglących) sprawach\b|\bw sprawach pilnych\b|"
            r"\bv (?:naléhavých|urgentních) (?:případech|záležitostech)\b|"
            r"お急ぎの(?:場合|方|ご用件)|緊急の(?:場合|ご用件)",
        ),
        (
            "automatic",
            r"\b(?:an? )?automatic(?:ally generated)? (?:reply|response|message|notification)\b|"
            r"\bauto-?reply\b|\bautoresponder\b|\bautomatische (?:antwort|nachricht)\b|"
            r"\babwesenheitsnotiz\b|\b(?:réponse|message) automatique\b|"
            r"\b(?:respuesta|mensaje) automátic[oa]\b|\b(?:risposta|messaggio) automatic[oa]\b|"
            r"\bautomatisch (?:antwoord|bericht)\b|\b(?:resposta|mensagem) automática\b|"
            r"\bautomatyczna odpowiedź\b|\bautomatická odpověď\b|自動(?:返信|応答)",
        ),
    )
)
_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def out_of_office(text: str, subject: str = "") -> tuple[str, ...]:
    """The phrases that make `text` an out-of-office reply; () when a person wrote it.

    One kind of absence phrase is enough when the rest says nothing about coming; two when the
    rest says it only weakly; three kinds (say away until, limited access, urgent contact)
    outweigh anything else, as no person answers an invitation that way.
    """
    lowered = text.lower().translate(_APOSTROPHES)
    found: list[str] = []
    kinds = 0
    for _, pattern in _KINDS:
        matches = [m.group(0).strip() for m in pattern.finditer(lowered)]
        if matches:
            kinds += 1
            found.extend(matches)
            lowered = pattern.sub(" ", lowered)
    if not kinds:
        return ()
    rest = read(lowered, subject)
    if kinds >= 3 or rest.intent is Intent.UNCLEAR or (kinds >= 2 and rest.weak):
        return tuple(dict.fromkeys(found))
    return ()
