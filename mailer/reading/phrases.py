"""The phrase tables `intent` reads a person's words with: which phrases accept, decline or hedge.

Owns the compiled patterns only; the reading itself (sentences, questions, weighing) is in
`intent`. Patterns run on lower-cased text with straight apostrophes, in the order of `RULES`;
each match is blanked before the next pattern runs, so a phrase such as "no problem" or
"wouldn't miss it" is read once as a whole and its words cannot count again.
"""

from __future__ import annotations

import re
from typing import Final

from mailer.model import Intent
from mailer.reading.languages import LANGUAGES, joined

STRONG: Final = 2
WEAK: Final = 1  # "sounds good", "sure": a yes only from someone who has not answered yet
FINAL: Final = 3  # taking back an earlier yes: a no whatever yes-words stand beside it

# How a phrase counts. ANY: wherever it stands. LONE: only when the rest of its sentence says
# nothing else (else one step weaker: "Sure, Bitnami supports EC2" answers no invitation).
# PERSONAL: only when its subject is the sender ("I'm not available", not "the file is not").
ANY: Final = "any"
LONE: Final = "lone"
PERSONAL: Final = "personal"

_NEG = r"(?:can't|cannot|can not|won't|will not|wouldn't|would not|don't|do not|am not|i'm not)"
_COME = (
    r"(?:make (?:it|this(?: one| time)?|the (?:event|meeting|roundtable|date))|come|coming|"
    # "can't make the 10th", "won't make thursday": the date stands for the meeting.
    r"make (?:it (?:on )?)?(?:the )?(?:\d\d?(?:st|nd|rd|th)\b|(?:mon|tues|wednes|thurs|fri)day)|"
    r"attend(?:ing)?(?! to\b)|join(?:ing)?|be there|be present|participate|participating|"
    r"be (?:attending|joining|coming|participating)|"
    r"take (?:a|the|one of the) (?:seat|spot|place)s?|"
    r"go(?:ing)?(?: to make it)?)"
)


# Words that may stand between a verb and what it takes back: possessives, adverbs, articles.
_GAP = r"my|our|earlier|previous|prior|original|former|own|hereby|the|a"


def _either(verbs: str, nouns: str) -> str:
    """A verb and what it takes back in either order ("withdraw my RSVP", "Zusage zurückziehen")."""
    gap = rf"(?:\s+(?:{_GAP}))*\s+"
    return rf"\b(?:{verbs}){gap}(?:{nouns})\b|\b(?:{nouns}){gap}(?:{verbs})\b"


# Taking back an earlier yes in English (other languages: `languages`). Not an
# objection: "I withdraw my objection" is blanked by the consent table before these run.
_WITHDRAWAL = "|".join(
    (
        _either(
            r"withdraw\w*|retract\w*|rescind\w*|revok\w*|take back|taking back|cancel\w*",
            r"(?:acceptance|rsvp|yes|registration|attendance|participation|confirmation|"
            r"sign-?up|commitment)s?",
        ),
        r"\bchange my (?:answer|rsvp|reply|response) to (?:a )?no\b|\bun-?rsvp\b",
    )
)

# (intent or None for "neutral", strength, scope, pattern), tried in this order; matches blanked.
_TABLE: Final[tuple[tuple[Intent | None, int, str, str], ...]] = (
    (Intent.NO, FINAL, ANY, _WITHDRAWAL),
    (Intent.NO, FINAL, ANY, joined("withdrawal")),
    # Phrases that contain a "no"/"not"/"sure"/"conflict" but mean something else.
    (
        None,
        0,
        ANY,
        r"\bno (?:problem|worries|doubt)\b|\bnot a problem\b|\byes(?: or |/)no\b|"
        r"\bno\.?\s*\d|\b(?:i'm|i am|we're|make|be|quite|pretty) sure\b|"
        r"\blooking forward to (?:hearing|reading|seeing the (?:notes|summary|recap))\b|"
        r"\bhad a (?:conflict|clash)\b.{0,40}?\b(?:moved|cleared|rescheduled|resolved|shifted|"
        r"cancell?ed|sorted|fixed)\b(?: (?:it|that))?|"
        r"\b(?:conflict|clash) (?:is |has been |got )?(?:resolved|cleared|moved|gone)\b|"
        r"\bno longer (?:have|has) (?:a |the |any )?(?:conflict|clash)\b|\bhate to miss\b|"
        r"\b(?:merge|git|version|dependency|package|edit|rebase) (?:conflict|clash)s?\b",
    ),
    (None, 0, ANY, joined("neutral")),
    (
        Intent.YES,
        STRONG,
        ANY,
        r"\b(?:wouldn't|would not|won't|will not|never|not going to|am not going to|"
        r"couldn't|could not) miss (?:it|this|that)\b|\b(?:don't|do not) want to miss (?:it|this)\b|"
        # "I won't miss it" in the other languages: a negation that means yes.
        r"\bno me lo (?:pierdo|perder[ée]|perder[íi]a)\b|\bnon me lo (?:perdo|perderei)\b|"
        r"\b(?:lasse|lass) (?:ich )?(?:es |das )?mir (?:das )?nicht entgehen\b|"
        r"\bje ne (?:le |la )?(?:manquerai|manquerais|rate(?:rai|rais)?) (?:pas|ça|cela|pour rien)\b|"
        r"\bnão (?:vou )?perder (?:isso|por nada)\b|\bdat laat ik (?:me )?niet schieten\b",
    ),
    (Intent.YES, WEAK, ANY, r"\b(?:can't|cannot) wait\b"),
    # Hedges, including hedged yeses and hedged noes.
    (
        Intent.MAYBE,
        STRONG,
        ANY,
        r"\b(?:not (?:yet )?sure|unsure|tentative(?:ly)?(?: yes| accept(?:ed)?)?|maybe|perhaps|"
        rf"possibly|probably(?: not)?|might(?: not)?(?: be able to)? {_COME}|may be able|hopefully|"
        r"i'll try|i will try|"
        r"(?:will|i'll) (?:let you know|confirm (?:later|closer))|"
        r"depends on|depending on|pencil me in|not certain|can't promise|cannot promise|tbc|tbd|"
        r"let me check(?: my)?(?: calendar| schedule| diary)?|"
        r"rather not commit|commit yet|not ready to commit)\b",
    ),
    (Intent.MAYBE, STRONG, ANY, joined("maybe")),
    # Refusals that always speak of the sender.
    (
        Intent.NO,
        STRONG,
        ANY,
        r"\bcount me out\b|\bi'm out\b|\bsit (?:this(?: one)?|it) out\b|\bafraid not\b|\ba no from me\b|\b(?:it's|it is|that's) "
        r"a (?:hard )?no\b|\b(?:doesn't|does not|won't|will not|don't|do not) work (?:for|with) "
        r"me\b|\bgive my (?:seat|spot|place) to\b|\btake me off\b|\bremove me from\b|"
        r"\bi'll pass\b|\bpass on this\b|\bno,? thanks?(?: you)?\b|"
        # The date clashes with the sender's own plans, whatever the subject ("the 10th clashes").
        r"(?<!n't )(?<!not )\b(?:clash(?:es|ed)?|conflicts?(?:ed)?) with (?:my|our)\b|"
        r"\bcancel (?:me|my (?:seat|spot|place|rsvp|registration|attendance))\b|"
        # Leaving the waiting line is a no from the line (decide: "left_waitlist").
        r"\b(?:leave|off|out of|drop me from|remove me from) the (?:wait ?list|waiting list|"
        r"wait-list|queue|line)\b",
    ),
    (Intent.NO, STRONG, ANY, joined("no")),
    # Refusals whose words could be about something else ("the file is not available").
    (
        Intent.NO,
        STRONG,
        PERSONAL,
        rf"\b{_NEG} (?:be able to |make it to |manage to )?{_COME}\b|"
        rf"\b(?:don't|do not) think i (?:can|will|could) {_COME}\b|"
        rf"\bunable to {_COME}\b|\bnot (?:be )?able to {_COME}\b|\bnot {_COME}\b|"
        r"\b(?:can't|cannot|can not|won't|will not|unable to|not able to) accept\b|"
        # "I'd love to come, but ...": the wish is a polite refusal whatever the reason.
        r"\b(?:i'd|i would|would|'d) (?:love|like|want) to\b[^.]{0,60}?\bbut\b|"
        r"\bi (?:can't|cannot|can not|won't|will not|couldn't|could not)(?: be able to)?\W*$|"
        r"\bbut i (?:can't|cannot|won't)\b|\bwish i could\b|"
        rf"\b(?:can|could|will) no longer {_COME}\b|"
        r"\bno longer (?:able|available|coming|attending|joining)\b|"
        r"\bmiss (?:it|this(?: one| time)?|the (?:event|meeting|roundtable|session|dinner))\b|"
        r"\bnot (?:for )?this one\b|\bskip (?:this|it)\b|"
        r"\b(?:i'll|i will|i'm going to|have to|need to|must|going to) skip\W*$|"
        r"\bdrop out\b|\bwithdraw\b|\bbow out\b|\bback out\b|"
        r"\b(?:i'm|i am|fully|already|double) booked\b|\bunavailable\b|\bnot available\b|"
        r"\bon (?:pto|leave|vacation|holiday|holidays|annual leave|parental leave|sabbatical)\b|"
        r"\b(?:another|other|a prior|prior|previous|existing) (?:engagement|commitment|"
        r"appointment)s?\b|\bnot interested\b|\bi have (?:a|another) (?:conflict|commitment)\b|"
        r"\b(?:conflicts?|clash(?:es)?)\b|\bnot this time\b|"
        r"^\W*(?:please\W+)?cancel\b|\b(?:like|want|wish|need|have|must|going) to cancel\b|"
        r"\bcancel\W*$|\bdeclined?\b|\bregretfully\b|\bregrettably\b|\bwill be away\b|"
        r"\babsolutely not\b|\bdefinitely not\b",
    ),
    (Intent.NO, STRONG, PERSONAL, joined("no_personal")),
    # Acceptances.
    (
        Intent.YES,
        STRONG,
        ANY,
        r"\bcount me in\b|"
        r"\bi(?:'m| am) in(?=\s*(?:$|[.!,;:)]|for\b|too\b|as well\b))|"
        r"\bi(?:'m| am) (?:going|coming|attending|joining)(?=\s*(?:$|[.!,;:)]|too\b|as well\b|"
        r"to (?:make it|be there|attend|join|come)\b))|"
        r"\bsign me up\b|\bi (?:happily |gladly |hereby )?accept\b|"
        r"\b(?:i'm|i am|i'll be|i will be) (?:still )?(?:available|free)(?= *(?:$|[.!,;]|then\b|"
        r"that (?:day|evening|night)\b|on the))|"
        r"\baccept(?:ed|ing)? (?:the|your|this)(?: [\w-]+){0,2} invit\w*|"
        r"\b(?:i'll|i will|will) be there\b|"
        rf"\bi(?:'ll| will| can| shall)(?: definitely| certainly| happily| gladly)? {_COME}\b|"
        # "I'd love to", or "Would love to" opening the sentence; not "Sam would like to".
        rf"(?:\bi'd |\bi would |^\W*(?:would )?)(?:love|like) to {_COME}\b|"
        rf"\b(?:happy|glad|delighted|pleased|thrilled) to {_COME}\b|\bdelighted to\b|"
        r"\bgoing to make it\b|\bgonna make it\b|"
        r"\bsee you (?:there|then|on\b|at the (?:roundtable|event|meeting|dinner)\b)|"
        r"\bi am coming\b|\bwith pleasure\b|\bcount on me\b|"
        r"\b(?:reserve|save|hold|keep|book|grab) (?:me )?(?:a|one|my) (?:seat|spot|place)\b|"
        r"\bput me down\b(?! as)|"
        r"\b(?:add|put) me (?:on|to) the (?:wait ?list|waiting list|wait-list)\b|"
        r"\b(?:love|like|take|want|have) (?:a|one) (?:seat|spot)\b|"
        r"^\W*can do\b|\blet's do (?:it|this)\b|(?:^|\s)\+1\b|"
        # "Definitely coming!": a sentence that is the answer alone, its subject left out.
        r"^\W*(?:(?:definitely|certainly|absolutely|sure|yes|yep|yeah)\W+){0,2}"
        r"(?:coming|attending|joining|will attend|will come|will join)\W*(?:$|[,.!])",
    ),
    (Intent.YES, STRONG, ANY, joined("yes")),
    # A bare yes answers only a sentence that says little else ("Yes, see you!", not "Yes, the
    # AMI runs on EC2").
    (
        Intent.YES,
        STRONG,
        LONE,
        r"\byes\b|\byep\b|\byup\b|\byeah\b",
    ),
    (Intent.YES, STRONG, LONE, joined("bare_yes")),
    (
        Intent.YES,
        WEAK,
        LONE,
        r"\blooking forward\b|\bsounds (?:good|great|perfect|fine)\b|\bsure\b|\binterested\b|"
        r"\babsolutely\b|\bdefinitely\b|\baccept(?:ed|ing)?\b|\bworks (?:for|with) me\b|"
        r"\b(?:i'd|i would|would|i'll|i will) be (?:happy|glad|delighted) to\W*$|"
        r"^\W*(?:(?:thanks?|thank you|many thanks)\W+)?(?:great|perfect|excellent|wonderful|"
        r"awesome|lovely|ok|okay|cool|fine)(?:\W+(?:thanks?|thank you|many thanks))?\W*$",
    ),
    # A bare "no" opens or ends a sentence; anywhere else it is too often "no idea", "no one".
    (
        Intent.NO,
        STRONG,
        ANY,
        r"(?:^|[,;:]|\b(?:actually|oh|um|hmm|sorry|well))\W*no\b(?!\s+(?:idea|one|rush|hurry))|"
        r"\bno\W*$|\bnope\b",
    ),
    (Intent.NO, STRONG, ANY, joined("bare_no")),
)

RULES: Final[tuple[tuple[Intent | None, int, str, re.Pattern[str]], ...]] = tuple(
    (intent, strength, scope, re.compile(pattern)) for intent, strength, scope, pattern in _TABLE
)

# Informal English, put right before the rules run: contractions typed without an apostrophe
# ("cant", "wont"; "ill" and "im" only before the words that make them "I'll" and "I'm", as "ill"
# is a word and "im" German) and common misspellings.
INFORMAL: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (
            r"\b(can|won|don|doesn|didn|isn|aren|wasn|weren|couldn|wouldn|shouldn|haven|hasn)t\b",
            r"\1't",
        ),
        (
            r"\bim(?= (?:in|out|not|going|coming|afraid|sorry|available|unable|busy|away|booked|"
            r"happy|glad|still|definitely|free|travell?ing|on|off|down)\b)",
            "i'm",
        ),
        (r"\bill(?= (?:be|come|attend|join|make|try|pass|skip|let|confirm|definitely)\b)", "i'll"),
        (r"\bid(?= (?:love|like|rather|prefer|be)\b)", "i'd"),
        (
            r"\bdefin(?:atel?y|etly|itly|tely|ately)\b|\bdef(?= (?:coming|going|in|there)\b)",
            "definitely",
        ),
        (r"\b(?:yse|yess|yeas)\b", "yes"),
        (r"\bunfortun(?:atly|etly|atelly|ally|ately)\b", "unfortunately"),
        (r"\b(?:thx|thnx|thanx|tnx)\b", "thanks"),
        (r"\b(?:pls|plz)\b", "please"),
        (r"\bsee u\b", "see you"),
        (r"\b(?:availible|avaliable|availabe)\b", "available"),
        (r"\b(?:calender|calandar)\b", "calendar"),
    )
)

# Words that leave a LONE phrase alone in its sentence: greetings, thanks, the meeting itself.
_FILLER_WORDS = (
    "yes yeah yep yup ja oui sí si sim sure ok okay absolutely definitely certainly indeed "
    "totally of course please thanks thank you much many very really so too as well and then "
    "thing sounds good great perfect fine lovely wonderful excellent awesome cool me for with it "
    "that this to the a all everyone everybody hi hello hey dear folks team guys works looking "
    "forward interested why not happy glad love like would i i'd i'm i'll we we'll we're count in "
    "be there see soon again roundtable event meeting session invite invitation dinner seat spot "
    "gerne danke merci gracias grazie obrigado obrigada bedankt graag volontiers claro certo "
    "natürlich bien sehr discussion conversation chat topic topics agenda evening night day date "
    "time december on at from inviting invited organising organizing including vielen dank für "
    "die einladung klar beaucoup pour l'invitation plaisir muchas por la invitación mille per "
    "l'invito volentieri pelo convite voor de uitnodiging natuurlijk"
)
FILLER: Final = frozenset(_FILLER_WORDS.split()) | {
    word for lang in LANGUAGES for word in lang.filler.split()
}
# The sender as a subject ("I", "we"), not a possessive: "our room is not available" is no no.
FIRST_PERSON: Final = re.compile(
    r"\b(?:i|i'm|i'll|i've|i'd|we|we're|we'll|we've|ich|wir|je|j'|nous|yo|nosotros|io|noi|eu|"
    r"nós|ik|wij)\b|^\W*j'"
)
# A subject that is a thing, not the sender: "the file", "it", "this link".
THING: Final = re.compile(
    r"\b(?:it|it's|its|this|that|these|those|the|a|an|there|file|files|link|page|room|feature|"
    r"document|version|build|update|service|server|site|website|app|der|die|das|le|la|les|el|"
    r"los|las|il|lo|het|de|een|o|os|as)\b"
)
CLAUSE_START: Final = re.compile(
    r"[,;:(]|\b(?:and|but|so|because|as|since|though|although|while|if|when|aber|und|weil|"
    r"mais|et|car|pero|porque|ma|perché|mas|maar|omdat|want)\b"
)

# A yes in a sentence about a later meeting ("happy to join next time") is not a yes to this one.
FUTURE: Final = re.compile(
    r"\bnext (?:time|one|session|meeting|roundtable|event|edition)\b|"
    r"\bfuture (?:sessions?|events?|meetings?|roundtables?|editions?|ones?)\b|"
    r"\b(?:another|some other) time\b|\bin the future\b"
)

# The opening words of a question clause: "Yes, is there parking?" answers before it asks.
QUESTION_CLAUSE: Final = re.compile(
    r"^\W*(?:is|are|am|do|does|did|can|could|will|would|should|shall|may|might|what|when|"
    r"where|who|whom|whose|why|how|which|any|anything|have|has|was|were|isn't|aren't|don't|"
    r"doesn't|can't|won't)\b"
)
CLAUSE_BREAK: Final = re.compile(r"[,;:—–]|\s-\s|\bbut\b")
# A question that asks for something ("Could you take me off the list?"): its refusal counts.
REQUEST: Final = re.compile(r"^\W*(?:please )?(?:could|can|would|will) you\b|" + joined("request"))

SUBJECT_VERDICT: Final = (
    # Outlook, Apple Calendar and Google name the answer in the subject of a calendar reply.
    (Intent.YES, re.compile(r"^\s*(?:event )?(?:accepted|angenommen|zugesagt|accepté)\b", re.I)),
    (Intent.NO, re.compile(r"^\s*(?:event )?(?:declined|abgelehnt|abgesagt|refusé)\b", re.I)),
    (Intent.MAYBE, re.compile(r"^\s*(?:event )?(?:tentative|mit vorbehalt|provisoire)", re.I)),
)
REPLY_PREFIX: Final = re.compile(r"^\s*(?:re|aw|sv|vs|antw|réf|ref|wg|fw|fwd|tr)\s*:", re.I)

# A closing line ("Best,", "Kind regards") above a name ends the sender's words: what follows is
# a signature (titles such as "No. 1 in widgets", phone numbers, disclaimers).
CLOSER: Final = re.compile(
    r"^\s*(?:best|best regards|kind regards|warm regards|regards|warmly|best wishes|"
    r"all the best|thanks|thank you|many thanks|thanks again|cheers|sincerely|yours|"
    r"yours sincerely|cordially|viele grüße|liebe grüße|mit freundlichen grüßen|cordialement|"
    r"saludos|un saluto|cumprimentos|abraços|met vriendelijke groet|groeten)\s*[,.!]?"
    r"(?P<name>\s+[^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w.'-]*){0,3})?\s*$",
    re.I,
)
# The opening words of a legal footer that mail servers and firms append without a "-- " line.
DISCLAIMER: Final = re.compile(
    r"^\W*(?:this (?:e-?mail|message|communication|transmission)\b.{0,60}\b(?:confidential|"
    r"privileged|intended)|the (?:information|content)s? (?:contained |of |in )|"
    r"confidential(?:ity)? (?:notice|note|information|statement)|disclaimer\b|no liability\b|"
    r"if you (?:are not the intended|have received this)|privileged (?:and|&) confidential|"
    r"please consider the environment)",
    re.I,
)
