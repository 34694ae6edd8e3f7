"""Reading a request to be forgotten: "please remove me from this list", "delete my data".

Owns `removal(text, subject) -> evidence | None`. Pure. A removal request erases a person, so it
is read narrowly: the sender's own words only (quotes are gone before this runs), one sentence
must hold both halves of the request (a verb of removal and what is removed: me from a mailing
list, my data), and a negation in that sentence ("please don't delete my data") cancels it.
Leaving the waiting line is not this ("remove me from the waiting list" is a withdrawal, read by
the intent rules), nor is a bare "take me off the list", which the line uses too.

A mail client's unsubscribe button (List-Unsubscribe, RFC 2369, mailto:) sends a message whose
subject is "unsubscribe" and whose body is often empty: that subject alone is a request.
Languages: English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Czech, Japanese.
"""

from __future__ import annotations

import re

from mailer.model import Intent
from mailer.reading.intent import Reading

_SENTENCES = re.compile(r"(?<=[.!?。！？])\s*|\n")
_LIST_UNSUBSCRIBE = re.compile(
    r"^\s*(?:(?:re|aw|sv|antw|fwd?|wg)\s*:\s*)*(?:unsubscribe|abmelden|désabonner|desinscription|"
    r"baja|unsubscribe me|配信停止)\s*$",
    re.IGNORECASE,
)
# The waiting line, in each language: removal from it is a withdrawal, not a removal request.
_LINE = re.compile(
    r"wait\w*[ -]?(?:list|line)|\bqueue\b|warteliste|liste d'attente|file d'attente|"
    r"lista de espera|lista d'attesa|wachtlijst|list\w* (?:oczekuj|rezerw)|"
    r"čekací\w* (?:listin|seznam)|pořadník|キャンセル待ち|待機リスト|順番待ち",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:do not|don't|dont|never|not|nicht|kein\w*|ne pas|n'\w+ pas|pas de|no|non|nunca|"
    r"niet|geen|nie|ne|nechci|nemaž\w*|nemaz\w*|neodstra\w*|nesma\w*)\b"
    r"(?!\s+(?:more|longer|plus|mehr|más|più|mais|langer|meer|już|už))|"
    r"しないで|しないでください|不要です",
    re.IGNORECASE,
)
# Where the clause after a request ends: "delete my data and do not write again" asks twice.
_NEXT_CLAUSE = re.compile(r"[,;]|\b(?:and|und|et|y|e|i|en|a|oraz)\b", re.IGNORECASE)
# Phrases whose second half is a mailing list, the data held, or the sender themself.
_REQUESTS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # English
        r"\bforget (?:about )?me\b(?! (?:for|on|in|at|during|when))|right to (?:be forgotten|"
        r"erasure)|\bunsubscribe\b",
        r"\b(?:delete|erase|remove|purge|wipe|destroy)\b.{0,40}\bmy (?:personal )?"
        r"(?:data|details|information|info|record|records|address|e-?mail address|contact)",
        r"\b(?:remove|take|delete|drop|strike)\b.{0,12}\bme\b.{0,12}\b(?:from|off)\b.{0,20}"
        r"\b(?:this|your|the mailing|the distribution|the invit\w*|all|any|these|mailing|contact)"
        r"\s*(?:list|lists|mailings?|emails|e-mails|database|records)\b",
        r"\bstop (?:emailing|e-mailing|mailing|contacting|writing to) me\b|"
        r"\bdon'?t (?:e-?mail|contact|write to) me (?:ever )?again\b",
        # German
        r"\b(?:lösch|entfern|vernicht)\w*\b.{0,40}\bmeine[rn]? (?:personenbezogenen |persönlichen )?"
        r"(?:daten|angaben|e-mail|adresse|kontaktdaten)|\bmeine (?:personenbezogenen |persönlichen )?"
        r"(?:daten|e-mail-adresse|adresse)\b.{0,40}\b(?:lösch|entfern)",
        r"\bmich\b.{0,40}\b(?:aus|von)\b.{0,20}(?:verteiler|mailingliste|e-mail-liste|"
        r"einladungsliste|liste)\w*\b.{0,30}\b(?:entfern|austrag|streich|lösch|nehm|abmeld)",
        r"\b(?:entfern|trag|streich|lösch|nehm)\w*\b.{0,20}\bmich\b.{0,30}\b(?:aus|von)\b.{0,20}"
        r"(?:verteiler|mailingliste|e-mail-liste|einladungsliste|liste)",
        r"\bvergessen sie mich\b|\bvom (?:verteiler|newsletter)\b.{0,20}\babmeld",
        # French
        r"\b(?:supprim|effac|détrui)\w*\b.{0,30}\b(?:mes|toutes mes) (?:données|informations|"
        r"coordonnées)|\b(?:désinscri|désabonn)\w*|\boubliez[- ]moi\b|droit à l'oubli",
        r"\b(?:retir|supprim|enlev|ray)\w*[- ]moi\b.{0,30}\b(?:de|des) (?:cette|votre|la|vos|"
        r"toutes? les?) (?:liste|listes|envois|courriels|mails)",
        # Spanish
        r"\b(?:borr|elimin|supr|suprim)\w*\b.{0,30}\bmis datos\b|\bdarme de baja\b|\bden de baja\b"
        r"|\bolv[íi]d(?:en|ad)me\b|derecho al olvido|\bcancelar (?:mi )?suscripci[óo]n",
        r"\b(?:elim[íi]n|s[áa]qu|qu[íi]t|b[óo]rr)\w*me\b.{0,30}\b(?:de|del) (?:la|esta|su|sus|"
        r"vuestra) (?:lista|listas|correos|env[íi]os)",
        # Italian
        r"\b(?:cancell|elimin|rimuov)\w*\b.{0,30}\bi miei dati\b|\bdisiscriv\w*|"
        r"\bdimenticatemi\b|diritto all'oblio",
        r"\b(?:rimuovet|togliet|cancellat|eliminat)\w*mi\b.{0,30}\b(?:dalla|dalle|dai) "
        r"(?:lista|liste|mailing|invii)",
        # Portuguese
        r"\b(?:apag|elimin|exclu|remov)\w*\b.{0,30}\b(?:os )?meus dados\b|\bdescadastr\w*|"
        r"\b(?:esque[çc]am-me|me esque[çc]am)\b|direito ao esquecimento",
        r"\b(?:remov|tir|exclu)\w*-me\b.{0,30}\bda (?:lista|mailing)|\bme (?:remov|tir|exclu)\w*"
        r"\b.{0,30}\bda (?:lista|mailing)",
        # Dutch
        r"\b(?:verwijder|wis)\w*\b.{0,30}\bmijn (?:persoons)?gegevens\b|\bmijn (?:persoons)?"
        r"gegevens\b.{0,30}\b(?:verwijder|wissen)|\buitschrijv\w*|\bschrijf (?:me|mij) uit\b|"
        r"\bvergeet (?:me|mij)\b",
        r"\b(?:verwijder|haal)\w*\b.{0,10}\b(?:me|mij)\b.{0,20}\b(?:van|uit) (?:de|deze|jullie|"
        r"uw|je) (?:mailinglijst|verzendlijst|lijst)",
        # Polish
        r"\b(?:usu[ńn]|usun|wyma[żz]|skasuj|skasowa)\w*\b.{0,30}\bmoje dane\b|\bmoich danych\b"
        r".{0,30}\busuni|\bwypisz\w* mnie\b|\bwypisa[ćc] (?:mnie|się)\b|\bzapomnijcie o mnie\b|"
        r"prawo do bycia zapomnianym",
        r"\busu[ńn]\w* mnie\b.{0,30}\bz (?:listy|list|bazy)",
        # Czech
        r"\b(?:smaž|smaz|vymaž|vymaz|odstra[ňn])\w*\b.{0,30}\b(?:moje|mé|mých) (?:osobní )?"
        r"(?:údaje|data|údajů)|\bodhlas\w*\b.{0,20}\b(?:z|ze) (?:odběru|mailing|rozesílání|seznamu)"
        r"|\bzapome[ňn]te na mě\b|právo být zapomenut",
        r"\b(?:odstra[ňn]|vyřa[ďd]|smaž|vymaž)\w*\b.{0,10}\bmě\b.{0,20}\b(?:z|ze) "
        r"(?:seznamu|rozesílání|databáze)",
        # Japanese (no spaces between words)
        r"(?:個人情報|私の(?:データ|情報)|データ|メールアドレス|連絡先)を?(?:削除|消去)"
        r"|配信(?:を)?停止|登録(?:を)?解除|(?:メーリング)?リストから(?:削除|外し|除外)"
        r"|忘れてください",
    )
)


def removal(text: str, subject: str = "") -> tuple[str, ...] | None:
    """The words that ask to be forgotten, or None: `text` is the sender's own words."""
    if _LIST_UNSUBSCRIBE.match(subject or ""):
        return (f"Subject: {subject.strip()}",)
    for sentence in _SENTENCES.split(text[:4000]):
        found = _request_in(sentence)
        if found:
            return (found,)
    return None


def _request_in(sentence: str) -> str | None:
    if _LINE.search(sentence):
        return None
    for pattern in _REQUESTS:
        match = pattern.search(sentence)
        if match is None:
            continue
        # A negation just before the request, or just after it in the same clause ("löschen Sie
        # meine Daten nicht", "削除しないで"), cancels it; "… e di non contattarmi più" does not.
        after = _NEXT_CLAUSE.split(sentence[match.end() : match.end() + 8], maxsplit=1)[0]
        window = sentence[max(0, match.start() - 25) : match.start()] + match.group(0) + after
        if not _NEGATION.search(window):
            return match.group(0).strip()
    return None


# "For this one", "this time", "für diesen Termin": a request about one meeting is an answer to
# it, not a wish to be forgotten.
_ONE_MEETING = re.compile(
    r"\b(?:this|that) (?:one|time|meeting|session|month|round|date|event)\b|\bnext (?:one|time|"
    r"month|meeting)\b|\bfor now\b|\bdiese[nms]? (?:termin|treffen|mal|runde|monat|sitzung)\b|"
    r"\bdiesmal\b|\bcette (?:fois|session|réunion|séance)\b|\bce mois\b|\besta (?:vez|sesi[óo]n|"
    r"reuni[óo]n)\b|\beste mes\b|\bquesta (?:volta|sessione|riunione)\b|\bquesto mese\b|"
    r"\b(?:desta|esta) (?:vez|sess[ãa]o|reuni[ãa]o)\b|\bdeze (?:keer|sessie|bijeenkomst|maand)\b|"
    r"\btym razem\b|\btego (?:spotkania|miesiąca)\b|\btentokrát\b|\btohoto (?:setkání|měsíce)\b"
    r"|今回|今月",
    re.IGNORECASE,
)
# Another address, or "instead": a change of address for the organizer, not an erasure.
_CHANGE = re.compile(
    r"@|\binstead\b|\bstattdessen\b|\bà la place\b|\ben su lugar\b|\binvece\b|\bem vez\b|"
    r"\bin plaats\b|\bzamiast\b|\bmísto\b|代わりに",
    re.IGNORECASE,
)


def answers_too(reading: Reading, text: str, asked: tuple[str, ...]) -> bool:
    """Whether a reply that asks to be removed also answers something else, so that it is read
    as that answer (and the organizer told) rather than erasing its sender: a yes, a maybe or a
    word on the recording; a no about one meeting ("take me off the list for this one"); a
    change of address. The List-Unsubscribe subject alone is always a request."""
    if asked[0].startswith("Subject:"):
        return False
    if reading.consent is not None or reading.intent in (Intent.YES, Intent.MAYBE):
        return True
    return bool(_ONE_MEETING.search(text) or _CHANGE.search(text))
