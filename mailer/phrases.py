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

STRONG: Final = 2
WEAK: Final = 1  # "sounds good", "sure": a yes only from someone who has not answered yet

_NEG = r"(?:can't|cannot|can not|won't|will not|wouldn't|would not|don't|do not|am not|i'm not)"
_COME = (
    r"(?:make (?:it|this(?: one| time)?|the (?:event|meeting|roundtable|date))|come|coming|"
    r"attend(?:ing)?|join(?:ing)?|be there|be present|participate|participating|"
    r"be (?:attending|joining|coming|participating)|"
    r"take (?:a|the|one of the) (?:seat|spot|place)s?|"
    r"go(?:ing)?(?: to make it)?)"
)

# (intent or None for "neutral", strength, pattern), tried in this order; each match is blanked.
_TABLE: Final[tuple[tuple[Intent | None, int, str], ...]] = (
    # Phrases that contain a "no"/"not"/"sure"/"conflict" but mean something else.
    (
        None,
        0,
        r"\bno (?:problem|worries|doubt)\b|\bnot a problem\b|\byes(?: or |/)no\b|"
        r"\bno\.?\s*\d|\b(?:i'm|i am|we're|make|be|quite|pretty) sure\b|"
        r"\blooking forward to (?:hearing|reading|seeing the (?:notes|summary|recap))\b|"
        r"\bhad a (?:conflict|clash)\b.{0,40}?\b(?:moved|cleared|rescheduled|resolved|shifted|"
        r"cancell?ed|sorted|fixed)\b(?: (?:it|that))?|"
        r"\b(?:conflict|clash) (?:is |has been |got )?(?:resolved|cleared|moved|gone)\b|"
        r"\bno longer (?:have|has) (?:a |the |any )?(?:conflict|clash)\b|\bhate to miss\b",
    ),
    (
        Intent.YES,
        STRONG,
        r"\b(?:wouldn't|would not) miss (?:it|this)\b|\b(?:don't|do not) want to miss (?:it|this)\b",
    ),
    (Intent.YES, WEAK, r"\b(?:can't|cannot) wait\b"),
    # Hedges, including hedged yeses and hedged noes.
    (
        Intent.MAYBE,
        STRONG,
        r"\b(?:not (?:yet )?sure|unsure|tentative(?:ly)?(?: yes| accept(?:ed)?)?|maybe|perhaps|"
        rf"possibly|probably(?: not)?|might(?: not)?(?: be able to)? {_COME}|may be able|hopefully|"
        r"i'll try|i will try|"
        r"(?:will|i'll) (?:let you know|confirm (?:later|closer))|"
        r"depends on|depending on|pencil me in|not certain|can't promise|cannot promise|tbc|tbd|"
        r"let me check(?: my)?(?: calendar| schedule| diary)?|vielleicht|peut-être|quizás|"
        r"misschien|rather not commit|commit yet|not ready to commit)\b",
    ),
    # Refusals.
    (
        Intent.NO,
        STRONG,
        rf"\b{_NEG} (?:be able to |make it to |manage to )?{_COME}\b|"
        rf"\b(?:don't|do not) think i (?:can|will|could) {_COME}\b|"
        rf"\bunable to {_COME}\b|\bnot (?:be )?able to {_COME}\b|\bnot {_COME}\b|"
        r"\b(?:can't|cannot|can not|won't|will not|unable to|not able to) accept\b|"
        # "I'd love to come, but ...": the wish is a polite refusal whatever the reason.
        r"\b(?:i'd|i would|would|'d) (?:love|like|want) to\b[^.]{0,60}?\bbut\b|"
        r"\bi (?:can't|cannot|can not|won't|will not|couldn't|could not)(?: be able to)?\W*$|"
        r"\bbut i (?:can't|cannot|won't)\b|\bafraid not\b|"
        rf"\b(?:can|could|will) no longer {_COME}\b|"
        r"\bno longer (?:able|available|coming|attending|joining)\b|"
        r"\bmiss (?:it|this(?: one| time)?|the (?:event|meeting|roundtable|session|dinner))\b|"
        r"\bnot (?:for )?this one\b|\bskip (?:this|it)\b|"
        r"\b(?:i'll|i will|i'm going to|have to|need to|must|going to) skip\W*$|"
        r"\bsit (?:this(?: one)?|it) out\b|\bdrop out\b|\bwithdraw\b|\bbow out\b|\bback out\b|"
        r"\b(?:i'm|i am|fully|already|double) booked\b|\bunavailable\b|\bnot available\b|"
        r"\b(?:doesn't|does not|won't|will not|don't|do not) work (?:for|with) me\b|"
        r"\bon (?:pto|leave|vacation|holiday|holidays|annual leave|parental leave|sabbatical)\b|"
        r"\b(?:another|other|a prior|prior|previous|existing) (?:engagement|commitment|"
        r"appointment)s?\b|"
        r"\b(?:it's|it is|that's) a (?:hard )?no\b|\ba no from me\b|\bnot interested\b|"
        r"\bcount me out\b|\bi'm out\b|\bi have (?:a|another) (?:conflict|commitment)\b|"
        r"\b(?:conflict|clash)\b|\bnot this time\b|"
        r"^\W*(?:please\W+)?cancel\b|\b(?:like|want|wish|need|have|must|going) to cancel\b|"
        r"\bcancel\W*$|\bcancel (?:me|my (?:seat|spot|place|rsvp|registration|attendance))\b|"
        r"\bgive my (?:seat|spot|place) to\b|\btake me off\b|\bremove me from\b|"
        r"\bdeclined?\b|\bregretfully\b|\bregrettably\b|\bwill be away\b|\bpass on this\b|"
        r"\bi'll pass\b|\babsolutely not\b|\bdefinitely not\b|\bno,? thanks?(?: you)?\b|"
        r"\bleider nicht\b|\babsage\b|\bkann (?:leider )?nicht\b|\bje ne (?:pourrai|peux) pas\b|"
        r"\bno puedo\b|\bno podré\b|\bhelaas niet\b|\bkan (?:helaas )?niet\b|"
        r"\bnão (?:poderei|posso|vou|consigo|conseguirei)\b|"
        r"\bnon (?:posso|potrò|riesco|ci sarò)\b",
    ),
    # Acceptances.
    (
        Intent.YES,
        STRONG,
        r"\byes\b|\byep\b|\byup\b|\byeah\b|\bcount me in\b|"
        r"\bi(?:'m| am) in(?=\s*(?:$|[.!,;:)]|for\b|too\b|as well\b))|"
        r"\bi(?:'m| am) (?:going|coming|attending|joining)(?=\s*(?:$|[.!,;:)]|too\b|as well\b|"
        r"to (?:make it|be there|attend|join|come)\b))|"
        r"\bsign me up\b|\bi (?:happily |gladly |hereby )?accept\b|"
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
        r"\bja\b|\bzusage\b|\bich komme\b|\bbin dabei\b|\boui\b|\bje viens\b|\bavec plaisir\b|"
        r"\bsí\b|\bik kom\b|\bik ben erbij\b|^\W*s[iì]\b(?=\s*[,.!]|\s*$)|\bci sarò\b|"
        r"\bsim\b|\bestarei (?:lá|presente)\b|\b(?:pode contar|conte) comigo\b",
    ),
    (
        Intent.YES,
        WEAK,
        r"\blooking forward\b|\bsounds (?:good|great|perfect|fine)\b|\bsure\b|\binterested\b|"
        r"\babsolutely\b|\bdefinitely\b|\baccept(?:ed|ing)?\b|\bworks (?:for|with) me\b|"
        r"^\W*(?:(?:thanks?|thank you|many thanks)\W+)?(?:great|perfect|excellent|wonderful|"
        r"awesome|lovely|ok|okay|cool|fine)(?:\W+(?:thanks?|thank you|many thanks))?\W*$",
    ),
    # A bare "no" opens or ends a sentence; anywhere else it is too often "no idea", "no one".
    (
        Intent.NO,
        STRONG,
        r"(?:^|[,;:]|\b(?:actually|oh|um|hmm|sorry|well))\W*no\b(?!\s+(?:idea|one|rush|hurry))|"
        r"\bno\W*$|\bnein\b|\bnope\b",
    ),
)

RULES: Final[tuple[tuple[Intent | None, int, re.Pattern[str]], ...]] = tuple(
    (intent, strength, re.compile(pattern)) for intent, strength, pattern in _TABLE
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

# Consent to the recording, read in the sender's own words beside the intent (our emails say
# "reply OBJECT to object; reply 'I withdraw my objection' to withdraw"). Tried in this order,
# each match blanked before the next pattern and before the intent `RULES` run, so that "I don't
# want to be recorded" is no refusal to come and "I withdraw my objection" no withdrawal of the
# seat. None marks phrases that only look like consent ("no objection", "object-oriented").
_OBJECTION = r"(?:objections?|objecting|objection)"
_RECORDING = r"(?:the |any |a )?(?:recording|recordings|recorded|record|filming|filmed|video)"
_CONSENT_TABLE: Final[tuple[tuple[str | None, str], ...]] = (
    (
        "withdraw",
        rf"\b(?:withdraw(?:ing|n)?|retract(?:ing)?|rescind(?:ing)?|take back|drop(?:ping)?|"
        rf"cancel(?:l?ing)?) (?:my |the |our |that )?{_OBJECTION}\b|"
        rf"\b{_OBJECTION} (?:is |is hereby )?(?:withdrawn|retracted|rescinded|dropped)\b|"
        r"\bno longer object(?:ing)?\b|\b(?:don't|do not|won't) object any ?more\b|"
        r"\bnot object(?:ing)? any ?more\b|"
        r"\brecording(?:'s| is) (?:fine|ok|okay|alright|all right|no problem)\b|"
        r"\b(?:i'm|i am|we're|we are) (?:now )?(?:ok|okay|fine|happy|comfortable|good) "
        r"(?:with|about) (?:the |being |a )?(?:recording|recorded)\b|"
        r"\byou (?:can|may) (?:go ahead and )?record me\b|\bfeel free to record\b",
    ),
    (
        None,
        r"\bno objections?\b(?: (?:to|against|from|about) (?:the |being |me|us)?"
        r"(?:recording|recorded|record)?\b)?|"
        r"\b(?:don't|do not|doesn't|does not|wouldn't|would not|won't|will not|never|not) "
        r"object\b|\bobject-[\w-]+",
    ),
    (
        "object",
        rf"^\W*object\b|\b(?:i|we)(?:'d| \w+)? object\b|"
        rf"\b(?:object(?:ing)?|objections?) to (?:me |my )?(?:being )?{_RECORDING}\w*|"
        rf"\b(?:register|note|log|record) (?:my|an|our) {_OBJECTION}\b|"
        r"\b(?:prefer|rather) not (?:to )?be (?:recorded|filmed)\b|"
        r"\b(?:don't|do not|please not|never) (?:record|film) me\b|"
        r"\byou (?:can't|cannot|can not|may not|must not|mustn't) (?:record|film) me\b|"
        rf"\b(?:don't|do not) (?:consent|agree) to (?:me |my )?(?:being )?{_RECORDING}\w*|"
        r"\bno (?:recording|filming|video)s?(?: of me)?,? (?:please|for me)\b|"
        r"^\W*(?:please\W+)?no (?:recording|filming|video)s?(?: of me)?\W*"
        r"(?:please|thanks?|thank you)?\W*$|"
        r"\b(?:don't|do not|doesn't|does not) want (?:to be |being |me )?(?:recorded|filmed)\b|"
        rf"\b(?:don't|do not) want (?:to be )?(?:on|in) {_RECORDING}\b|"
        r"\b(?:not|un)\s?(?:comfortable|happy|ok|okay) (?:with )?(?:being |the |a )?"
        r"(?:recorded|recording|filmed)\b|"
        rf"\bopt(?:ing)? out of (?:being )?{_RECORDING}\w*",
    ),
)

CONSENT: Final[tuple[tuple[str | None, re.Pattern[str]], ...]] = tuple(
    (consent, re.compile(pattern)) for consent, pattern in _CONSENT_TABLE
)
