"""The situation behind a message: what it is about, how serious it is, and what the customer asks.

``understand(result, text=..., subject=...)`` reads the matcher's *understanding* hits (cues whose
category has a ``role`` of ``situation``, ``ask``, ``severity`` or ``object`` in the pack) beside the
apology cues, and returns an :class:`Understanding`. Each label carries the customer's own words that
show it (:class:`Evidence`, spans into the cleaned text or subject), so an agent can see why, and a
reply is never built on a guess. Pure: no I/O.

Definitions follow ``shared/eval/SITUATION.md`` (the labelling guide used for the evaluation data):

- ``situation``: one of :data:`SITUATIONS`; the one the reply must deal with first.
- ``severity`` 0-3: 0 nothing wrong; 1 minor; 2 significant (money, travel, blocked, repeated, strong
  anger); 3 serious (safety, danger now, health, bereavement, hardship, legal, assault, discrimination).
- ``asks``: what the customer wants done, any of :data:`ASKS`.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .references import A_JOURNEY, BOOKING_CODE_ALONE, CODE_GIVEN

SITUATIONS = (
    "account_access", "billing_payment", "order_delivery", "travel_disruption", "product_fault",
    "service_outage", "service_conduct", "how_to", "change_or_cancel", "information", "feedback",
    "praise", "other",
)
ASKS = ("callback", "refund", "escalate", "status", "fix", "explain", "change", "contact")
# Kinds of serious matter (severity 3); the reply leads with care for these.
SERIOUS_KINDS = ("bereavement", "illness", "new_baby", "expecting", "hardship", "safety", "danger", "legal", "assault",
                 "discrimination", "vulnerable", "fraud")


class Evidence(NamedTuple):
    """The customer's own words that show a label: ``text[start:end]`` of the body or the subject."""

    words: str
    start: int
    end: int
    source: str = "body"     # "body": spans index Analysis.text; "subject": Analysis.subject
    why: str = ""            # the pack cue that found it ("situation.billing_charge")

    def to_dict(self) -> dict:
        return {"words": self.words, "start": self.start, "end": self.end, "source": self.source,
                "why": self.why}


class Hit(NamedTuple):
    """A match of an understanding cue (pack role situation, ask, severity, object or info)."""

    cue_id: str
    role: str
    tag: str          # the label it shows: a situation, an ask, a serious kind, an object's normal form
    strength: float
    matched: str
    start: int
    end: int
    source: str = "body"


@dataclass(frozen=True)
class Understanding:
    situation: str = "other"
    situation_evidence: tuple[Evidence, ...] = ()
    severity: int = 0
    severity_evidence: tuple[Evidence, ...] = ()
    serious_kind: str | None = None          # one of SERIOUS_KINDS when severity is 3
    asks: tuple[str, ...] = ()
    ask_evidence: tuple[tuple[str, tuple[Evidence, ...]], ...] = ()
    # Things the customer named, in their normal form ("refund", "flight", "order", "account",
    # "password", "card", "bill"), most salient first, with a detail when one was given
    # ("flight to Denver"): what a reply can restate safely.
    objects: tuple[str, ...] = ()
    # The customer's own word for each of ``objects`` (same order), lowercased as matched ("headphones" for
    # "device", "parcel" for "order"): a reply may say it when its templates allow that word.
    object_words: tuple[str, ...] = ()
    language: str = "en"                     # ISO 639-1 code of the message's language, "und" unknown
    language_covered: bool = True            # False: no pack for this language; the analysis says so
    rude: bool = False                       # insults or sarcasm aimed at the company or its staff
    info_given: tuple[Evidence, ...] = field(default=())  # "I already sent my details", "I know the status"
    # Nothing is left to put right: "what's done is done", "sorted it myself", "no need to rebook".
    settled: tuple[Evidence, ...] = field(default=())
    # The customer's own doing: "I dropped my phone", "my mistake, I booked the wrong date".
    own_doing: tuple[Evidence, ...] = field(default=())

    def evidence_for(self, ask: str) -> tuple[Evidence, ...]:
        for name, ev in self.ask_evidence:
            if name == ask:
                return ev
        return ()

    def to_dict(self) -> dict:
        return {
            "situation": self.situation,
            "situation_evidence": [e.to_dict() for e in self.situation_evidence],
            "severity": self.severity,
            "severity_evidence": [e.to_dict() for e in self.severity_evidence],
            "serious_kind": self.serious_kind,
            "asks": list(self.asks),
            "ask_evidence": {name: [e.to_dict() for e in ev] for name, ev in self.ask_evidence},
            "objects": list(self.objects),
            "object_words": list(self.object_words),
            "language": self.language,
            "language_covered": self.language_covered,
            "rude": self.rude,
            "info_given": [e.to_dict() for e in self.info_given],
            "settled": [e.to_dict() for e in self.settled],
            "own_doing": [e.to_dict() for e in self.own_doing],
        }


# Situations a reply deals with when something went wrong, first the ones that outrank the others when
# both show ("charged twice for a cancelled flight" is about the money).
_PROBLEM_SITUATIONS = ("account_access", "billing_payment", "travel_disruption", "order_delivery",
                       "service_outage", "product_fault", "service_conduct", "change_or_cancel", "how_to",
                       "information", "feedback")
_QUIET_SITUATIONS = ("change_or_cancel", "how_to", "information", "feedback", "praise")
# Situations that are something gone wrong, not a question or an opinion.
_FAILURES = frozenset({"account_access", "billing_payment", "travel_disruption", "order_delivery", "service_outage",
                       "product_fault", "service_conduct"})
_SIGNIFICANT_SITUATIONS = frozenset({"billing_payment", "travel_disruption", "account_access", "service_outage"})
_BLOCKED = frozenset({"struggle.unable"})   # "won't let me", "unable to", "locked out"
# Tried to put it right, and it still fails: repeated failures ("doesn't work, and I even tried reinstalling").
_TRIED = frozenset({"struggle.tried"})
_STILL_FAILING = frozenset({"problem.not_working", "repeat_contact.still_broken", "struggle.keeps_failing"})


def is_rude(hits) -> bool:
    """Insults or sarcasm (pack cues marked ``rude``) among the hits."""
    return any(h.role == "tone" and h.tag == "rude" for h in hits)


def understand(cues, hits, *, apology: bool, priority: bool, text: str, subject: str = "",
               language: str = "en", language_covered: bool = True,
               named_trouble: bool | None = None) -> Understanding:
    """The situation, severity and asks of one message, from its cue matches (``cues``: the pack's
    role "cue" matches) and understanding hits (``hits``: :class:`Hit`, the other roles), each label
    with the words that show it. ``named_trouble``: whether cues that name a particular trouble owe
    the apology (default: ``apology``); general negative wording says that it went badly, not what,
    so it sets the severity but does not turn a question into a problem report."""
    by_role: dict[str, list] = {}
    for h in hits:
        by_role.setdefault(h.role, []).append(h)
    severity, serious_kind, severity_evidence = _severity(cues, by_role.get("severity", ()),
                                                          apology=apology, priority=priority, text=text)
    asks: dict[str, list[Evidence]] = {}
    ask_hits = by_role.get("ask", ())
    # ("When you have your sale fares, why is there never a discount?": a when-clause that sets the scene for
    # another question asks no when.)
    when_asked = [m for m in _WHEN_QUESTION.finditer(text) if not _SCENE_THEN_QUESTION.search(m.group(0))]
    for m in when_asked:
        # "When is it going to work?", "When does the new schedule open?": asking when something will
        # happen asks how things stand (a status), whatever the words inside it.
        asks.setdefault("status", []).append(Evidence(m.group(1), m.start(1), m.end(1), "body", "status.when"))
    praised = [(c.start, c.end) for c in cues if c.category == "positive_tone" and c.source == "body"]
    # "Where is my popcorn in this box?": a part of what came is missing; where the order is, nobody asks.
    parts_missing = [(h.start, h.end, h.source) for h in by_role.get("situation", ()) if h.cue_id in _PART_MISSING]
    for h in ask_hits:
        if h.tag == "status" and any(a <= h.start < b and src == h.source for a, b, src in parts_missing):
            continue
        if h.source == "body" and any(a <= h.start and h.end <= b for a, b in praised):
            continue    # "What's not to love?": a question inside praise asks nothing
        if h.tag == "explain" and h.source == "body" and not _ASKS_WHY.match(h.matched) and any(
                m.start(1) <= h.start < m.end() for m in when_asked):
            continue    # "is it" inside "when is it going to work?" asks nothing more
        if h.tag == "explain" and _ASKS_LEAD_IN.fullmatch(h.matched.lower()) and any(
                o.tag in _DOING_ASKS and h.end <= o.start <= h.end + 12 for o in ask_hits):
            # "Can I move my flight to the 14th?" asks for the move, not for an explanation.
            continue
        if h.tag == "explain" and h.source == "body" and any(
                o.tag in _DOING_ASKS and h.start < o.start and _HOW_WILL_YOU.fullmatch(text[h.start:o.start])
                for o in ask_hits):
            continue    # "How do you compensate?", "how can you fix this?" ask for it done, not how it works
        if h.source == "body" and _PASSED_OVER.search(text, max(0, h.start - 24), h.start):
            continue    # "swap them rather than get a refund": the remedy passed over is no ask
        if h.tag == "explain" and h.source == "body" and _JAB.match(text, h.start):
            continue    # "why are you literally the worst?", "why are you so useless": a jab, not a question
        if h.tag == "change" and h.source == "body" and _DONE_BY_OTHERS.search(text, max(0, h.start - 40), h.start):
            continue    # "when your drivers cancel my ride": what others did to them, not a change asked
        if h.tag == "change" and h.source == "body" and _PRICE_OF_A_CHANGE.search(text, max(0, h.start - 80), h.start):
            continue    # "your absurd $400 change fee to switch my flight": what a change costs, none asked
        if h.tag in _DOING_ASKS and h.tag != "contact" and h.source == "body" and _THEIR_OWN_PLAN.search(
                text, max(0, h.start - 40), h.start):
            # "tomorrow I will go and update my details": what they will do themselves, not an ask ("I'll DM
            # you" still tells of details on their way)
            continue
        asks.setdefault(h.tag, []).append(_ev(h))
    situation, situation_evidence = _situation(cues, by_role.get("situation", ()), text=text,
                                               apology=apology if named_trouble is None else named_trouble,
                                               owed=apology, asks=asks)
    if severity == 1 and ((situation in _SIGNIFICANT_SITUATIONS
                           and any(c.category == "problem" and c.apology and c.weight >= 1.0
                                   and c.cue_id not in _LEFT_BEHIND for c in cues))
                          or any(c.cue_id in _BLOCKED and c.apology for c in cues)
                          or any(e.why in _SIGNIFICANT_ANYWAY for e in situation_evidence)
                          or (any(c.cue_id in _TRIED for c in cues)
                              and any(c.cue_id in _STILL_FAILING and c.apology for c in cues))):
        # Money at stake, travel disrupted, locked out, blocked from using the service ("it won't let
        # me"), work or data lost, someone else in their account, something in their food: significant
        # even when calmly put (SITUATION.md), once a clear problem is stated; a question or a mild
        # struggle about a fare or a booking is a minor matter.
        severity = 2
    if situation in _UNDER_WAY and asks.get("explain") and all(
            e.why == "explain.what_happened" and _GOING_ON.fullmatch(e.words.lower()) for e in asks["explain"]):
        # "Still not boarding, what is happening?": of a trip or an order under way, asking what is going on
        # asks how things stand now (a status); "what happened?" asks why. (Of a service that is down, it
        # asks what is causing it: the reply says that and when it will be back.)
        asks.setdefault("status", []).extend(asks.pop("explain"))
    if "change" in asks:
        # "If you cannot do so I will cancel my account": leaving held out as a threat, not asked for.
        asks["change"] = [e for e in asks["change"] if e.source != "body" or not _THREAT.search(
            text, *_sentence_bounds(text, e.start))]
        if not asks["change"]:
            del asks["change"]
    ordered_asks = tuple(a for a in ASKS if a in asks)
    objects = _salient_objects(by_role.get("object", ()), cues, text)
    return Understanding(
        situation=situation,
        situation_evidence=situation_evidence,
        severity=severity,
        severity_evidence=severity_evidence,
        serious_kind=serious_kind,
        asks=ordered_asks,
        ask_evidence=tuple((a, tuple(asks[a])) for a in ordered_asks),
        objects=tuple(objects),
        object_words=tuple(objects.values()),
        language=language,
        language_covered=language_covered,
        rude=is_rude(hits),
        info_given=tuple(_ev(h) for h in by_role.get("info", ()) if h.tag == "given") + _codes_given(text),
        settled=tuple(_ev(h) for h in by_role.get("info", ()) if h.tag == "settled"),
        own_doing=tuple(_ev(h) for h in by_role.get("info", ()) if h.tag == "own_doing"),
    )


# Words that pass a remedy over for another, right before it: "rather than (get) a refund", "instead of a
# refund".
_PASSED_OVER = re.compile(r"\b(?:rather than|instead of)(?:\s+(?:get|getting|have|having|a|an|any|the|my))*\s*$",
                          re.IGNORECASE)
# Someone else as the subject right before a change ("your drivers cancel my ride", "they keep changing my
# seat"), not asked of someone ("can the agent change my seat", "please have them move me").
# What a change costs, told just before it: "a $400 fee to switch my flight", "charged me $75 to change it".
_PRICE_OF_A_CHANGE = re.compile(r"\b(?:fees?|charges?|costs?|price|charged(?:\s+(?:me|us))?(?:\s+\$?\d+)?|"
                                r"pay(?:ing)?(?:\s+\$?\d+)?|\$\d+)\s+(?:just\s+)?to\s+$|"
                                # ... or how much it costs, said first: "it costs almost the same price as a
                                # full fare to only change", "why does it cost $547 to change" (not "what would it
                                # cost to change to the 4:30?": a change asked, with its price)
                                r"\bcosts?\s+(?:almost\s+|nearly\s+|about\s+|over\s+|more\s+than\s+)?(?:the\s+same|"
                                r"as\s+much|more|double|twice|a\s+fortune|\$\s?\d|\d+\s*(?:dollars|usd|bucks))"
                                r"[^.!?\n]{0,60}?\bto\s+(?:only\s+|just\s+)?$", re.IGNORECASE)
_DONE_BY_OTHERS = re.compile(
    r"(?<!\bcan )(?<!\bcould )(?<!\bwould )(?<!\bwill )(?<!\bplease )(?<!\bto )(?<!\bhave )(?<!\bget )(?<!\bmay )"
    r"\b(?:they|he|she|(?:your|the|their|his|her)\s+(?:drivers?|staff|agents?|airline|company|system|app|website|"
    r"site|bank|courier|rep|reps|people|team|guys|crew|pilot|manager|store|shop))"
    r"(?:\s+(?:keep|kept|always|just|then|randomly|suddenly|also|still))?\s+$", re.IGNORECASE)
# The customer's own plan right before a deed ("I will go and update my details", "I'll cancel it myself
# tomorrow"), not a request of us ("will you update it?", "I'd like you to cancel it").
_THEIR_OWN_PLAN = re.compile(r"\b(?:i|we)(?:'ll|\s+will|\s+am going to|'m going to|\s+are going to|'re going to|"
                             r"\s+shall|\s+plan to|\s+intend to)(?:\s+(?:go\s+(?:to|into|down to|round to)\s+"
                             r"(?:the\s+|a\s+|my\s+|your\s+)?\w+|go|just|then|now|probably|try|have to|need to|and|"
                             r"to|myself|ourselves))*\s+$", re.IGNORECASE)
# Something of theirs left on the way ("left my hat on the plane"): lost property to trace, no trip disrupted.
_LEFT_BEHIND = frozenset({"problem.left_behind"})
# Situations still under way, and the words that ask how they stand now.
_UNDER_WAY = frozenset({"travel_disruption", "order_delivery"})
_GOING_ON = re.compile(r"what(?:'s| is) (?:going on|happening)")
# A change held out as what will happen if we fail them: "if you can't fix it I'll cancel", "sort it or I
# will close my account".
_THREAT = re.compile(r"\bif\s+(?:you|u|this|it|they|that)\b[^.!?\n]{0,50}?(?:\bnot\b|n't\b|\bcannot\b|\bnever\b)"
                     r"[^.!?\n]{0,40}?\b(?:i|we)(?:'ll|\s+will|\s+am going to|\s+shall)\b"
                     r"|\b(?:or|otherwise|or else|else)\s+(?:i|we)(?:'ll|\s+will|\s+am going to)\b"
                     # the leaving first, its condition after: "I'm seriously going to cancel my subscription if
                     # you don't fix this", "we will leave unless you sort it"
                     r"|\b(?:i|we)(?:'ll|\s+will|'m\s+(?:\w+\s+)?(?:going\s+to|gonna)|\s+am\s+(?:\w+\s+)?going\s+to)\b"
                     r"[^.!?\n]{0,60}?\b(?:if\s+(?:you|u|this|it|they)\b[^.!?\n]{0,30}?(?:\bnot\b|n't\b|\bcannot\b|"
                     r"\bnever\b)|unless\b)", re.IGNORECASE)


def _sentence_bounds(text: str, at: int) -> tuple[int, int]:
    """The start and end of the sentence that holds ``text[at]``."""
    start = max(text.rfind(ch, 0, at) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, at) for ch in ".!?\n") if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


# Someone's instruction to the customer: "told me to", "telling us to", "was advised to".
_TOLD_TO = re.compile(r"\b(?:told|telling|tells|said|says|advised|advising|instructed|instructing)\s+"
                      r"(?:(?:me|us|him|her|them|my \w+)\s+)?to\b", re.IGNORECASE)

# A turn that ends a clause: what follows "but" or "so" is said in the customer's own voice again.
_CLAUSE_TURN = re.compile(r"[;:]|\b(?:but|however|yet|so)\b", re.IGNORECASE)


def _clause_end(text: str, at: int) -> int:
    """Where the clause going on at ``at`` ends: the sentence's end, or a turn ("but", "so", ";") before it."""
    end = _sentence_bounds(text, at)[1]
    turn = _CLAUSE_TURN.search(text, at, end)
    return turn.start() if turn else end


# A question that opens with "when" (after a greeting or a handle at most), or whose last clause does in
# a question's order ("if I ordered on Sunday, when should I expect it?"): it asks when, not how or why.
_WHEN_QUESTION = re.compile(r"(?:^|[.!?\n]\s*|^(?:@\w+\s+)+|\b(?:hi|hello|hey)\b,?\s+"
                            r"|,\s*(?=when\s+(?:should|will|would|can|could|do|does|is|are|might)\s))"
                            r"(when)\b[^.!?\n]{3,120}\?", re.IGNORECASE)
_ASKS_WHY = re.compile(r"(?:why|how)\b", re.IGNORECASE)
_SCENE_THEN_QUESTION = re.compile(r",\s*(?:why|how|what|where|who|which|is|are|do|does|did|can|could|will|would)\b",
                                  re.IGNORECASE)
# "How do/can/will you" and nothing more before what they should do.
_HOW_WILL_YOU = re.compile(r"how\s+(?:do|can|will|would|are)\s+you\s+(?:going\s+to\s+|plan\s+to\s+)?",
                           re.IGNORECASE)
# The opening of a request ("can I", "could you"), and the asks for something to be done that it leads into.
_ASKS_LEAD_IN = re.compile(r"(?:can|could|may|will|would) (?:i|we|you)")
_DOING_ASKS = frozenset({"change", "refund", "fix", "callback", "contact"})


def _codes_given(text: str) -> tuple[Evidence, ...]:
    found = list(CODE_GIVEN.finditer(text))
    if not found and A_JOURNEY.search(text):
        found = list(BOOKING_CODE_ALONE.finditer(text))
    return tuple(Evidence(m.group(0), m.start(), m.end(), "body", "info.code_given") for m in found)


def _salient_objects(object_hits, cues, text: str = "") -> dict[str, str]:
    """The objects' normal forms, each with the words the customer used for it (its first match), the
    thing said to have gone wrong first: an object inside the words
    of a cue that owes the apology ("my internet is broken") is what the customer is writing about,
    more than a stronger object named beside it ("the router"); then the nearest in the same sentence
    as such a cue ("your app has been crashing when I open the camera. I'm on an iPhone 13": the app,
    not the camera or the phone); then by the pack's strength."""
    object_hits = _not_compared(object_hits, text)
    # The apology cues in order, with the furthest end reached so far: an object lies inside one when a cue
    # starting at or before it reaches past its end.
    trouble = sorted((c.start, c.end) for c in cues if c.apology and c.source == "body")
    trouble_starts = [a for a, _ in trouble]
    trouble_reach = list(accumulate((b for _, b in trouble), max))

    def in_trouble(h) -> bool:
        i = bisect_right(trouble_starts, h.start)
        return h.source == "body" and i > 0 and trouble_reach[i - 1] >= h.end

    # Sentence breaks found once, and the failing cues of each sentence in order with the furthest end reached
    # so far: a message of thousands of objects and cues is placed by bisection, not read again for every pair.
    stops = [m.start() for m in _SENTENCE_END.finditer(text)]
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for c in cues:
        k = bisect_left(stops, c.start)
        if c.apology and c.source == "body" and c.category in _FAILING and k == bisect_left(stops, c.end - 1):
            by_sentence.setdefault(k, []).append((c.start, c.end))
    starts, reach = {}, {}
    for k, spans in by_sentence.items():
        spans.sort()
        starts[k] = [a for a, _ in spans]
        furthest, reach[k] = -1, []
        for _, b in spans:
            furthest = max(furthest, b)
            reach[k].append(furthest)

    def distance_in_sentence(h) -> float:
        """Characters from the object to the nearest cue of its sentence that says what fails (inf: none)."""
        k = bisect_left(stops, h.start)
        if h.source != "body" or k not in starts or k != bisect_left(stops, h.end - 1):
            return float("inf")
        i = bisect_left(starts[k], h.end)     # cues before i start before the object ends
        gaps = [starts[k][i] - h.end] if i < len(starts[k]) else []
        if i:
            gaps.append(max(h.start - reach[k][i - 1], 0))
        return min(gaps)

    ranked = sorted(object_hits, key=lambda h: (not in_trouble(h), distance_in_sentence(h), -h.strength))
    said: dict[str, str] = {}
    for h in ranked:
        # A context word the match took in ("my kettle", "our new dishwasher") is not the thing's name.
        said.setdefault(h.tag, _OWNED.sub("", " ".join(h.matched.lower().split())))
    if "bus" in said and "flight" in said:
        del said["bus"]     # "sat in a bus in front of the plane": the airport's bus, part of the flight
    return said


_SENTENCE_END = re.compile(r"[.!?\n]")


def _not_compared(hits, text: str) -> list:
    """``hits`` without those in what something is compared with ("your app is worse than flossing with orange
    juice", "slower than a burnt pizza": the juice and the pizza are not what the message is about) or in what
    they have ruled out ("my internet is fine")."""
    spans = [m.span(1) for m in _COMPARED_WITH.finditer(text)] + [
        m.span(1) if m.group(1) else m.span(2) for m in _RULED_OUT.finditer(text)]
    if not spans:
        return list(hits)
    return [h for h in hits if not (h.source == "body" and any(a <= h.start < b for a, b in spans))]


# A verdict by comparison ("worse than", "slower than"), and the words after it up to the clause's end (five
# at most). ("More than two hours", "a higher price than Expedia" count and compare what is at stake.)
_COMPARED_WITH = re.compile(r"\b(?:worse|better|slower|dumber|uglier|buggier|harder to use|less user friendly)\s+"
                            r"than\b((?:\s+[\w'-]+){1,5})", re.IGNORECASE)
# ... nor what they have ruled out ("it just buffers & my internet is fine?": the site, not their internet).
_RULED_OUT = re.compile(r"\b(?:my|our)\s+([\w'-]+(?:\s+[\w'-]+)?)\s+(?:is|are|seems|seem|was|were)\s+"
                        r"(?:fine|ok|okay|good|working(?:\s+fine)?|not\s+the\s+(?:problem|issue))\b"
                        # ... or only supposed before what failed: "could be my internet but the link doesn't work"
                        r"|\b(?:could|might|may)\s+be\s+(?:my|our)\s+([\w'-]+)\s+but\b", re.IGNORECASE)
_OWNED = re.compile(r"^(?:(?:my|our|new|brand)\s+)+")


def _sentence_of(text: str, at: int) -> int:
    """Which sentence of ``text`` the offset ``at`` stands in (0 for the first)."""
    return bisect_left(_sentence_stops(text), at)


@lru_cache(maxsize=16)
def _sentence_stops(text: str) -> list[int]:
    """Where ``text``'s sentences end, found once for the many offsets asked about (a long message holds
    thousands of hits)."""
    return [m.start() for m in _SENTENCE_END.finditer(text)]
# Cue categories that say what fails ("crashing", "can't log in"), not when or how often.
_FAILING = frozenset({"problem", "struggle"})


_SERIOUS_WITH_TROUBLE = frozenset({"vulnerable"})
_PRAISE_WORDS = frozenset({"positive_tone.warm", "positive_tone.kind", "positive_tone.thanks"})


# Someone called a racist (or the like), as what they are: "I forgot he's a racist", "their founder is a
# sexist" (an opinion of a person, often a rumour, no treatment told) ...
_CALLED = re.compile(r"\b(?:(?:he|she|they|hes|shes)(?:'s|'re|\s+is|\s+was|\s+are|\s+were)?|"
                     r"(?:founder|ceo|owner|president|chairman|designer|boss)\s+(?:is|was))"
                     r"\s+(?:a\s+|an\s+)?(?:total\s+|huge\s+|known\s+|massive\s+|complete\s+)?$", re.IGNORECASE)
_A_TRAIT = re.compile(r"racist|sexist|homophobic|transphobic|xenophobic|antisemitic|islamophobic", re.IGNORECASE)
# ... unless it was done to them or theirs: "he's racist to me", "she was sexist towards my daughter".
_DONE_TO_THEM = re.compile(r"\b(?:to|at|towards?|with|against)\s+(?:me|us|my|our|him|her)\b|"
                           r"\b(?:called|treated|refused|denied|profiled|abused|harassed|followed|stopped|"
                           r"searched|insulted|served|\w+ing|\w+ed)\s+(?:me|us|my|our)\b|"
                           r"\bbecause\s+(?:of\s+)?(?:my|our|i|we)\b",
                           re.IGNORECASE)


def _only_called(text: str, hit) -> bool:
    """The discrimination word only calls someone what they are, with nothing done to the customer or theirs
    in the sentence: an opinion, not an incident to care for."""
    stops = _sentence_stops(text)
    k = bisect_left(stops, hit.start)
    start = stops[k - 1] + 1 if k else 0
    end = stops[k] if k < len(stops) else len(text)
    return (_A_TRAIT.fullmatch(text, hit.start, hit.end) is not None
            and _CALLED.search(text, max(start, hit.start - 40), hit.start) is not None
            and not _DONE_TO_THEM.search(text, start, end))


def _severity(cues, serious_hits, *, apology: bool, priority: bool, text: str = ""):
    """0-3 with its evidence. 3 only from a pack cue marked ``serious`` (a clear word: "passed away",
    "locked out of my money"); then 2 for a priority, 1 for an apology, 0 for nothing wrong."""
    serious = [h for h in serious_hits if h.tag in SERIOUS_KINDS]
    if not (apology and any(c.apology and c.category != "life_event" for c in cues)):
        # A vulnerable customer thanking us for the help they got is praise: being vulnerable is serious
        # when something has gone wrong for them.
        serious = [h for h in serious if h.tag not in _SERIOUS_WITH_TROUBLE]
    if any(h.tag in _SERIOUS_WITH_TROUBLE for h in serious):
        # Told in praise ("the crew were great with my elderly mum"): the care they got was good, nothing to
        # lead with care for.
        praised = {_sentence_of(text, c.start) for c in cues
                   if c.source == "body" and c.cue_id in _PRAISE_WORDS}
        serious = [h for h in serious if not (h.tag in _SERIOUS_WITH_TROUBLE and h.source == "body"
                                              and _sentence_of(text, h.start) in praised)]
    if any(h.tag == "discrimination" for h in serious):
        serious = [h for h in serious if not (h.tag == "discrimination" and _only_called(text, h))]
    if serious:
        kind = max(serious, key=lambda h: (h.strength, -h.start)).tag
        return 3, kind, tuple(_ev(h) for h in serious if h.tag == kind)
    if priority:
        return 2, None, tuple(_ev(c) for c in cues if c.priority)[:3]
    if apology:
        return 1, None, tuple(_ev(c) for c in cues if c.apology)[:3]
    return 0, None, ()


def _situation(cues, hits, *, apology: bool, text: str, owed: bool = False,
               asks: dict | None = None) -> tuple[str, tuple[Evidence, ...]]:
    """The strongest situation shown (a problem situation when something went wrong), with its words.
    ``asks``: the asks found, each with its evidence."""
    asks = asks or {}
    scores: dict[str, float] = {}
    evidence: dict[str, list[Evidence]] = {}
    hits = _not_compared(hits, text)
    if any(h.cue_id in _PRICE_OPINION for h in hits):
        # "Paying $40 for wifi is absurd": the sums and price words are what the opinion is about, not
        # a charge to put right.
        hits = [h for h in hits if h.cue_id not in _PRICE_WORDS]
    if any(h.tag == "travel_disruption" and h.source == "body" for h in hits) and not any(
            c.category == "problem" and c.apology for c in cues):
        # "No one is answering and I'm on a train": where they are as they write, not what went wrong with it
        # (unless a trouble is told: "I'm on the train and it's been sat outside York for an hour").
        hits = [h._replace(strength=h.strength * _WHERE_THEY_ARE)
                if h.tag == "travel_disruption" and h.source == "body"
                and _WHERE_I_AM.search(text, max(0, h.start - 20), h.start) else h for h in hits]
    travel = [h for h in hits if h.tag == "travel_disruption"]
    if travel and all(h.cue_id in _BAG_WORDS for h in travel) and _BOUGHT_A_BAG.search(text):
        # "I bought a bag from you on Sunday, the clasp is broken": a bag they bought is goods, not luggage, when
        # nothing else of a journey is named.
        hits = [h for h in hits if h.cue_id not in _BAG_WORDS]
    if any(c.cue_id in _CUSTOM_LOST for c in cues) and all(
            h.cue_id in _SUMS for h in hits if h.tag == "billing_payment"):
        # "That's another $1k you just lost": the sum is custom taken elsewhere, no payment of ours to look into.
        hits = [h for h in hits if h.tag != "billing_payment"]
    stakes = [h for h in hits if h.cue_id in _STAKES]
    if stakes and all(h.cue_id in _STAKES for h in hits if h.tag == "billing_payment") and any(
            h.tag in _PROBLEM_SITUATIONS and h.tag != "billing_payment" and h.strength >= 1.0 for h in hits):
        # "This 8:45 flight now leaves at 5pm. I paid money for this", "bought these a month ago and they're
        # falling apart": what they paid is what is at stake in a trouble named in other words, not a
        # billing matter of its own.
        hits = [h._replace(strength=h.strength * _STAKES_BESIDE) if h.cue_id in _STAKES else h for h in hits]
    if any(h.tag == "service_conduct" and h.source == "body" for h in hits) and _THANKED_FOR.search(text):
        # "Thanks for the customer service by the gate reps": the service thanked for is praise, not how someone
        # was treated, unless a trouble is told in the same sentence ("thanks for the 2 hour hold").
        troubled = {_sentence_of(text, c.start) for c in cues if c.apology and c.source == "body"}
        thanked = [m.span() for m in _THANKED_FOR.finditer(text) if _sentence_of(text, m.start()) not in troubled]
        hits = [h for h in hits if not (h.tag == "service_conduct" and h.source == "body"
                                        and any(a <= h.start < b for a, b in thanked))]
    trip_told = any(c.cue_id in _TRIP_TROUBLE and c.apology and c.weight >= 1.0 and c.source == "body" for c in cues)
    only_a_journey = any(h.cue_id in _JOURNEY for h in hits) and all(
        h.tag in ("billing_payment", "travel_disruption") for h in hits if h.role == "situation")
    if (trip_told or only_a_journey) and all(h.cue_id in _REMEDIES for h in hits if h.tag == "billing_payment"):
        # "Is there some compensation? We are now 3 hours delayed", "trying to get to my final destination, we need
        # compensation": the compensation is the journey's remedy, the journey what it is about.
        hits = [h._replace(tag="travel_disruption") if h.tag == "billing_payment" else h for h in hits]
    refunds = [h.start for h in hits if h.cue_id in _MONEY_BACK and h.source == "body"]
    if refunds:
        # "How do I get my money back?": the money owed is what it is about; the how is only the way to it.
        hits = [h for h in hits if not (h.tag == "how_to" and h.source == "body"
                                        and any(0 <= r - h.end <= _HOW_TO_REACH for r in refunds))]
    if any(h.tag == "how_to" and h.source == "body" for h in hits):
        # "Your people didn't know how to help me": the how that someone of ours lacked, no question of theirs;
        # "you sure know how to ruin a trip": a knack mocked.
        hits = [h for h in hits if not (h.tag == "how_to" and h.source == "body"
                                        and (_OTHERS_DID_NOT_KNOW.search(text, max(0, h.start - 60), h.start)
                                             or any(c.cue_id == _KNACK and c.start <= h.start < c.end
                                                    for c in cues)))]
    told_to = [(m.end(), _clause_end(text, m.end())) for m in _TOLD_TO.finditer(text)]
    if told_to:
        # "A rude woman told me to go to another airport and figure out how to get home": the how is what
        # someone told them to work out, not what they ask us.
        hits = [h for h in hits if not (h.tag == "how_to" and h.source == "body"
                                        and any(a <= h.start < b for a, b in told_to))]
    if any(h.tag == "how_to" for h in hits) and not any(
            h.tag == "product_fault" and h.cue_id not in _NAMED_THINGS for h in hits):
        # "How do I add a driver? I can't see it in the app": the app is where they looked, not what failed.
        hits = [h for h in hits if h.cue_id not in _NAMED_THINGS]
    if "?" in text:
        # "Is the store open on Sunday? Cheers, Will": thanks that sign off a question are no praise.
        asked = text.rindex("?")
        hits = [h for h in hits if not (h.tag == "praise" and h.source == "body" and h.start > asked
                                        and h.matched.lower() in _SIGN_OFF_THANKS
                                        and len(text[h.end:].split()) <= 3)]
    greetings = [m.span() for m in _OCCASION_GREETING.finditer(text)]
    if greetings:
        # "Happy Halloween!", "Merry Christmas": a greeting for the day praises nobody.
        hits = [h for h in hits if not (h.tag == "praise" and h.source == "body"
                                        and any(a <= h.start < b for a, b in greetings))]
    closings = [m.span() for m in _CLOSING.finditer(text)]
    if closings:
        # "Best wishes, Ruth", "Kind regards": how a letter ends, no compliment.
        hits = [h for h in hits if not (h.tag == "praise" and h.source == "body"
                                        and any(a <= h.start and h.end <= b for a, b in closings))]
    people = [(c.start, c.end) for c in cues if c.cue_id.startswith(_ABOUT_A_PERSON) and c.source == "body"]
    if people:
        # "I've broken my ankle": words inside a person's illness or loss are about them, not a thing.
        hits = [h for h in hits if not (h.source == "body" and any(a <= h.start and h.end <= b for a, b in people))]
    if any(h.cue_id in _STAY for h in hits) and not any(h.cue_id in _ONLINE_THINGS for h in hits):
        # "The air conditioning in our hotel room was broken", "the shower has been broken since we arrived":
        # what failed in a stay is the stay's to put right, not a product or a delivery.
        # (A website that fails while they book the stay is still the website's fault.)
        hits = [h for h in hits if h.tag not in ("product_fault", "order_delivery")]
    unreceived = {_sentence_of(text, c.start) for c in cues if c.cue_id in _NOT_RECEIVED and c.apology
                  and c.source == "body" and _NEVER_CAME.search(c.matched)}
    if unreceived and all(h.cue_id in _THINGS_ONLY for h in hits if h.tag == "product_fault"):
        # "Never received the charger", "still not received my new phone": a thing named where it has not
        # come is a delivery to chase; nothing about it has failed.
        hits = [h._replace(tag="order_delivery") if h.tag == "product_fault" and h.source == "body"
                and _sentence_of(text, h.start) in unreceived else h for h in hits]
    outages = [h for h in hits if h.tag == "service_outage"]
    if outages and any(h.cue_id in _JOURNEY for h in hits) and all(
            h.matched.lower().split()[-1] in _ON_BOARD for h in outages) and not any(
            h.cue_id in _PRICE_OPINION for h in hits):
        # "Old planes: no power ports, no wifi, no entertainment", "the wifi on my flight is down": what is
        # missing on board is the journey's, not a supply or a connection at home to restore. (What it
        # costs is an opinion of a price: "$40 for inflight wifi is absurd".)
        hits = [h._replace(tag="travel_disruption") if h.tag == "service_outage" else h for h in hits]
    if (any(c.cue_id in _BAG_DAMAGED and c.apology and c.source == "body" for c in cues)
            or any(h.cue_id in _LUGGAGE_DAMAGED for h in hits)) and not any(
            h.tag == "order_delivery" and h.cue_id not in _DAMAGE_WORDS for h in hits) and any(
            h.tag == "travel_disruption" and (h.cue_id not in _BAGS or h.matched.lower() in _CHECKED_IN) for h in hits):
        # "My luggage has been broken!! #brokenwheel": what broke is the bag the journey carried, a claim for
        # the trip, not a product's fault. (A suitcase bought and delivered broken is the order's.) So is luggage
        # named damaged where its policy is asked ("your policy for damaged luggage"): it came to harm on a trip.
        hits = [h for h in hits if h.cue_id not in _DAMAGE_WORDS]
    bag_not_here = any(c.cue_id in _BAG_TROUBLE | _BAG_NOT_HERE and c.apology for c in cues)
    if bag_not_here and any(h.cue_id in _BAGS for h in hits) and all(
            h.cue_id in _DELIVERY_WORDS for h in hits if h.tag == "order_delivery"):
        # "Told my bag made it to PHL but it still hasn't been delivered": the airline delivers the bag it
        # lost; no order of theirs is on its way.
        hits = [h for h in hits if h.tag != "order_delivery"]
    if any(c.cue_id in _NOT_MINE and c.apology for c in cues):
        # "Someone took £820 from my account via your app": money taken without their say; the app is how.
        hits = [h for h in hits if h.tag != "product_fault"]
    if any(h.cue_id in _CLAIMS for h in hits):
        # "My claim for a cracked phone screen": the damage is what the claim is for, not a fault to repair;
        # "flood claim open 6 weeks, living in one room": the room is their home, not a hotel stay.
        hits = [h for h in hits if h.tag != "product_fault" and h.cue_id not in _STAY]
    online = [h for h in hits if h.cue_id in _ONLINE_THINGS and h.source == "body"]
    if online and any(h.tag == "travel_disruption" for h in hits) and any(
            c.cue_id in _TRIP_TROUBLE and c.apology for c in cues):
        # "My train was cancelled and now the app keeps failing when I rebook": the trip is the trouble,
        # the app (and its failing) is where they tried to put it right.
        where = {_sentence_of(text, h.start) for h in online}
        hits = [h for h in hits if not (h.tag == "product_fault" and h.source == "body"
                                        and _sentence_of(text, h.start) in where)]
    food_gone_wrong = any(h.cue_id in _FOOD_GONE_WRONG for h in hits) and _FOOD_NAMED.search(text)
    if (food_gone_wrong or any(h.tag == "service_conduct" and h.strength >= 2 for h in hits)) and not any(
            (h.tag == "travel_disruption" and h.cue_id not in _JOURNEY) for h in hits) and not any(
            c.cue_id in _TRIP_TROUBLE and c.apology for c in cues):
        # "Never seen such incompetence from a gate agent in years of business travel", "the food served on
        # AA2402 was vile, the whole cabin left it": the journey's words say where our people or our food let
        # them down; with nothing gone wrong with the journey itself, they never outweigh it.
        hits = [h if h.cue_id not in _JOURNEY else h._replace(strength=h.strength * _JOURNEY_BESIDE_CONDUCT)
                for h in hits]
    cancelled = [(c.start, c.end) for c in cues if c.cue_id in _CANCELLED_TOLD and c.apology and c.source == "body"
                 and not c.matched.lower().startswith("cancellation")]    # (their own "cancellation" may be asked for)
    if cancelled:
        # "Ruined Christmas by canceling my order", "my flight was cancelled": a cancellation that happened
        # to them, not a change they ask for; the word is the trouble's, the order or the flight its object.
        hits = [h for h in hits if not (h.tag == "change_or_cancel" and h.source == "body"
                                        and any(a <= h.start and h.end <= b for a, b in cancelled))]
    # "Tomorrow I will go and update my details": a change they will make themselves is none to take care of.
    hits = [h for h in hits if not (h.tag == "change_or_cancel" and h.source == "body"
                                    and _THEIR_OWN_PLAN.search(text, max(0, h.start - 40), h.start))]
    devices = [h.end for h in hits if h.cue_id in _A_DEVICE and h.source == "body"]
    if devices:
        # "My printer won't connect to the wifi", "my laptop wifi": the network is what the device fails to
        # reach, or the device's own part, not a service down for many; the device is what failed.
        hits = [h for h in hits if not (h.tag == "service_outage" and h.source == "body" and (
            _CONNECTS_TO.search(text, max(0, h.start - 30), h.start)
            or (h.matched.lower() in _ITS_OWN_RADIO and any(0 < h.start - e <= 2 for e in devices))))]
    threats = [_sentence_bounds(text, m.start()) for m in _THREAT.finditer(text)]
    if threats:
        # "Sort out my bill or I'll close my account": the leaving is held out; the bill is the matter
        # (and with nothing named, "I'll cancel if you don't fix this", whatever "this" is).
        hits = [h for h in hits if not (h.tag == "change_or_cancel" and h.source == "body"
                                        and any(a <= h.start < b for a, b in threats))]
    troubled = {_sentence_of(text, c.start) for c in cues
                if c.apology and c.source == "body" and c.category in _FAILING}
    failing = [c for c in cues if c.apology and c.source == "body" and c.category in _FAILING]
    # In order, with the furthest end reached so far (failing) and the nearest end (clear failures): placed by
    # bisection, not compared with every hit.
    failing_spans = sorted((c.start, c.end) for c in failing)
    failing_starts = [a for a, _ in failing_spans]
    failing_reach = list(accumulate((b for _, b in failing_spans), max))
    clear_failures = sorted((c.start, c.end) for c in failing if c.weight >= 1.0)
    clear_starts = [a for a, _ in clear_failures]

    def inside_a_failure(h) -> bool:
        i = bisect_right(failing_starts, h.start)
        return i > 0 and failing_reach[i - 1] >= h.end

    def holds_a_clear_failure(h) -> bool:
        lo, hi = bisect_left(clear_starts, h.start), bisect_right(clear_starts, h.end)
        return any(b <= h.end for _, b in clear_failures[lo:hi])
    failed_tags = set()     # situations named by the words of a failure itself ("slow speeds")
    for h in hits:
        # (a weak word, "driver", "email", is not made a clear sign by where it stands)
        near_trouble = h.source == "body" and h.strength >= 1.0 and _sentence_of(text, h.start) in troubled
        # The words of the failure itself ("can't log in" to pay a bill) name what failed.
        # ("I have no water": a clear failure's words inside the situation's own are as much its words; a
        # faint one, "1.5 hours" inside "on the phone for over 1.5 hours", names nothing.)
        in_trouble = h.source == "body" and (inside_a_failure(h) or holds_a_clear_failure(h))
        if in_trouble:
            failed_tags.add(h.tag)
        scores[h.tag] = scores.get(h.tag, 0.0) + h.strength * (
            1.5 if h.source == "subject" else _IN_TROUBLE if in_trouble else _NEAR_TROUBLE if near_trouble else 1.0)
        evidence.setdefault(h.tag, []).append(_ev(h))
    # A bag lost is a harm too, when a trouble cue says so ("lost my bag and can't even deliver it").
    bag_lost = any(c.cue_id in _BAG_TROUBLE and c.apology for c in cues)
    treated = any(h.cue_id in _TREATED for h in hits)
    thing_named = any(h.cue_id in _A_THING for h in hits)
    harms = [h.tag for h in hits if (h.cue_id in _SIGNIFICANT_ANYWAY or (h.cue_id in _BAGS and bag_lost)
                                     or (h.cue_id in _FAILED_BEFORE_THE_CALLS and not treated
                                         and (h.tag != "product_fault" or thing_named)
                                         # ("Cancellations for snow are understandable, but answer your
                                         # phones": the harm conceded, the calls are the grievance.)
                                         and not _CONCEDED.search(text[slice(*_sentence_bounds(text, h.start))])))
             and h.tag in scores]
    if harms and "service_conduct" in scores:
        # "You wiped my hard drive, then kept me on hold when I rang about it": the harm is what the reply
        # deals with first; how the calls about it went comes after.
        scores["service_conduct"] = min(scores["service_conduct"], max(scores[t] for t in harms))
    rises = [c for c in cues if c.cue_id in _PRICE_RISES and c.apology and c.source == "body"]
    if rises and owed:
        # "My renewal came through at £612, up from £436": a price gone up is a billing matter, however many
        # questions come with it.
        scores["billing_payment"] = scores.get("billing_payment", 0.0) + _PRICE_RISE_STRENGTH
        evidence.setdefault("billing_payment", []).extend(_ev(c) for c in rises)
    unwanted = [c for c in cues if c.cue_id in _UNWANTED and c.apology and c.source == "body"]
    if unwanted:
        # "PLEASE STOP TAGGING MY NAME ON YOUR PRODUCTS": contact they never wanted is how we treat them,
        # whatever it is about.
        scores["service_conduct"] = scores.get("service_conduct", 0.0) + _UNWANTED_STRENGTH
        evidence.setdefault("service_conduct", []).extend(_ev(c) for c in unwanted)
    situation = _pick_situation(scores, apology=apology, text=text, owed=owed, asked=bool(asks),
                                failed=failed_tags)
    # A call for help and nothing else owed ("I need my ticket changed to my married name. Pls help!") tells
    # of nothing gone wrong either, unless what they ask for follows from trouble ("rebook us").
    nothing_wrong = not owed or (all(only_asks_for_help(c) for c in cues if c.apology)
                                 and not any(e.words.lower().startswith("rebook") for e in asks.get("change", ())))
    if (nothing_wrong and "change" in asks and situation not in ("how_to", "change_or_cancel", "feedback", "praise")
            and not any(h.cue_id in _RETURNS for h in hits)):
        # Nothing went wrong and they ask to change, cancel or move something ("I'd like to upgrade to
        # business class on my flight tomorrow"): the change is what the reply deals with, whatever it is
        # of. (A return or an exchange stays a matter of the order.)
        return "change_or_cancel", tuple(asks["change"])
    if (apology and situation != "how_to" and scores.get("how_to")
            and not any(c.apology and (c.category == "problem" or (c.weight >= 1.0 and not _asks_how(c, text)))
                        for c in cues)):
        # "How do I download my boarding pass?": only faint signs of struggle with how to do something,
        # nothing gone wrong with the trip the question is about.
        situation = "how_to"
    if apology and any(c.cue_id in _THING_BROKE and c.apology and c.source == "body"
                       and (situation == "how_to" or (situation == "feedback" and _BROKE.search(c.matched)))
                       for c in cues):
        # "My earphones are falling apart at the seams. How do I get this repaired?": the how is the way to
        # a fix for something that broke; the breakage is what it is about. So is a wish beside a thing that
        # broke ("wish I'd read the reviews first, now mine is broke"): an opinion, said of a concrete failure
        # (not of "inaccurate emails" or an account "deactivated": a way of doing things, which is feedback).
        from_cues, shown_by = _situation_from_cues(cues, apology=apology, text=text)
        if from_cues not in ("other", "how_to"):
            return from_cues, tuple(_ev(c) for c in shown_by)
    # (Praise words never name what an owed apology is about: "not happy", "thanks to your incompetence".)
    named = {s: v for s, v in scores.items() if s != "praise"} if apology else scores
    if (situation == "other" and not named) or (apology and max(named.values(), default=0.0) < _FAINT):
        # Nothing names what it is about, or only a faint word does ("the cartridges I bought weren't
        # full"): the kind of trouble the cues show is the better evidence.
        from_cues, shown_by = _situation_from_cues(cues, apology=apology, text=text)
        if from_cues != "other" or not scores:
            return from_cues, tuple(_ev(c) for c in shown_by)
    return situation, tuple(evidence.get(situation, ()))


# Cues that tell of a thing that broke or stopped working ("stopped charging", "came apart").
_THING_BROKE = frozenset({"problem.not_working", "problem.gave_way"})
# ... in words only a thing's breaking is told in ("breaks me that there's no app" is a feeling).
_BROKE = re.compile(r"\b(?:broke|broken|dead|died|stopped\s+working|not\s+working|(?:does|do|did)n'?t\s+work|"
                    r"won'?t\s+(?:turn\s+on|start|charge|work)|f[ae]ll\s+apart|falling\s+apart|came\s+apart|"
                    r"cracked|snapped|faulty|defective|crash(?:es|ed|ing)?|freez(?:es|ing)|froze|stutter(?:s|ing)?|"
                    r"judder(?:s|ing)?|glitch(?:es|ing|y)?|lag(?:s|ging|gy)|buffering|keeps\s+(?:crashing|freezing))\b",
                    re.IGNORECASE)


# Money asked back (pack situation cues), and how close after "how do I" it makes the question about the money.
_MONEY_BACK = frozenset({"billing_payment.refund"})
# Remedies named with money's words ("compensation", "voucher").
_REMEDIES = frozenset({"billing_payment.remedy"})
_HOW_TO_REACH = 12


# Life events told of a person's body or family ("broken my ankle", "lost my dad"), not of their money.
_ABOUT_A_PERSON = ("life_event.bereavement", "life_event.lost_family", "life_event.illness", "life_event.new_baby",
                   "life_event.injured", "life_event.condition")


# Words of what a message is about count more in a sentence that tells what failed ("I've been trying to
# log in for two days. I need to pay my bill": the login is the trouble, the bill why it matters).
_NEAR_TROUBLE = 1.3
_IN_TROUBLE = 1.5


# A question put as an insult: "why are you literally the worst?", "why is your service so useless?".
_JAB = re.compile(r"(?:why|how)\s+(?:are|is|do|does|can)\s+(?:you|u|your\s+\w+|y'?all|you\s+guys)\s+"
                  r"(?:\w+\s+){0,2}?(?:(?:the|so)\s+)?(?:worst|useless|incompetent|terrible|awful|pathetic|bad|rubbish|"
                  r"stupid|crap|shit|shitty|hopeless|clueless|inept)\b", re.IGNORECASE)
# Thanks for a service, up to where the service is named: "thanks for the quick customer service", "thank you
# for your staff".
_THANKED_FOR = re.compile(r"\b(?:thanks|thank\s+you|thx|ty)\s+(?:so\s+much\s+|again\s+)?for\s+"
                          r"(?:the|your|all\s+the|all\s+your)\s+(?:[\w-]+\s+){0,2}[\w-]+", re.IGNORECASE)
# Thanks that sign off a message, not thanks for something.
_SIGN_OFF_THANKS = frozenset({"thanks", "thank you", "many thanks", "cheers", "thx", "ty", "thank u",
                              "thanks in advance", "thanks so much", "thank you so much"})


# The formulas that close a letter.
_CLOSING = re.compile(r"\b(?:(?:best|kind|kindest|warm|warmest|good)\s+(?:wishes|regards)|all the best(?!\s+of)|"
                      r"yours (?:sincerely|faithfully|truly))\b", re.I)


# An opinion about a price (pack cues), and the plain money words it is about.
_PRICE_OPINION = frozenset({"feedback.price", "feedback.price_named"})
# Custom counted as gone elsewhere, and the words of a sum alone.
_CUSTOM_LOST = frozenset({"churn_risk.custom_lost"})
_SUMS = frozenset({"billing_payment.money", "billing_payment.money_word"})
_PRICE_WORDS = frozenset({"billing_payment.money", "billing_payment.paid", "billing_payment.remedy"})
# What was paid or bought, and how much it counts beside a trouble named in other words.
_STAKES = frozenset({"billing_payment.paid", "billing_payment.remedy", "billing_payment.paid_for",
                     "billing_payment.bought", "billing_payment.money_word"})
_STAKES_BESIDE = 0.4
# Someone else who did not know how ("your people didn't know how to", "the agent had no idea how to").
_OTHERS_DID_NOT_KNOW = re.compile(
    r"\b(?:they|he|she|people|staff|agents?|employees?|crew|team|rep|reps|nobody|no\s+one|noone)\b[^.!?]{0,24}?"
    r"(?:(?:didn't|did\s+not|don't|do\s+not|doesn't|does\s+not|never|couldn't|could\s+not)\s+(?:even\s+|seem\s+to\s+)?"
    r"know|knew|had\s+no\s+(?:idea|clue))\s*$", re.IGNORECASE)
# Words of luggage, and of buying goods: a bag bought from a shop is no luggage.
_BAG_WORDS = frozenset({"travel_disruption.bags", "travel_disruption.belongings", "travel_disruption.case"})
_BOUGHT_A_BAG = re.compile(r"\b(?:bought|purchased|ordered)\s+(?:(?:a|an|the|my|this|that|these|two|new)\s+)?"
                           r"(?:[\w-]+\s+)?(?:bag|bags|handbag|backpack|suitcase|case|luggage)\b", re.IGNORECASE)
# A knack said in irony beside a trouble (the pack's cue): "you sure know how to ruin a trip".
_KNACK = "frustration.knack"
# The vehicle or place the customer writes from ("I'm on a train", "we're at the airport"), and how much it says
# of what the message is about.
_WHERE_I_AM = re.compile(r"\b(?:i'm|im|i am|we're|we are)\s+(?:now\s+|still\s+|currently\s+)?(?:on|at|in)\s+"
                         r"(?:a|an|the|my|our)\s+$", re.IGNORECASE)
_WHERE_THEY_ARE = 0.5
# The struggle of asking how to do something ("how do I change my email?"): the question itself.
_HOW_QUESTION = frozenset({"struggle.how_do_i"})
# A struggle that is about how to do something: "I can't work out how to export", "can't figure out where
# to change it".
_HOW_AFTER = re.compile(r"\W*(?:\w+\W+){0,2}?(?:how|where) (?:to|do|can|should)\b", re.I)


def _asks_how(c, text: str) -> bool:
    """The cue asks how to do something: a how-to question, or a struggle followed by "how to"."""
    if c.cue_id in _HOW_QUESTION:
        return True
    return c.category == "struggle" and c.source == "body" and bool(_HOW_AFTER.match(text, c.end))
# Sending an order back, or exchanging it (a pack cue).
_RETURNS = frozenset({"order_delivery.return"})
_PART_MISSING = frozenset({"order_delivery.wrong"})
# Product cues that only name a thing (an app, a phone), not that it failed.
_NAMED_THINGS = frozenset({"product_fault.software", "product_fault.game", "product_fault.software_application",
                           "product_fault.update", "product_fault.thing"})
# Things named, with nothing said of how they fail.
_THINGS_ONLY = frozenset({"product_fault.thing", "product_fault.phone"})
_NOT_RECEIVED = frozenset({"problem.not_received", "problem.forgot"})
# ... said as never come ("never received", "didn't get"), not as come short ("were half empty").
_NEVER_CAME = re.compile(r"receiv|\bgot\b|\bget\b|gotten|arriv|\bcame\b|\bcome\b|deliver", re.IGNORECASE)
# Work or data lost, someone else in the account, something in food that should never be there:
# significant however calmly told.
_SIGNIFICANT_ANYWAY = frozenset({"product_fault.data_lost", "product_fault.food_object", "account_access.compromised"})
# Money taken twice, a thing named that does not work ("brand new dishwasher doesn't work"): the failure the
# calls were about, dealt with before the hold or the runaround on the way (not before staff who treated
# them badly: _TREATED).
_FAILED_BEFORE_THE_CALLS = frozenset({"billing_payment.twice", "billing_payment.overcharged", "product_fault.broken",
                                      "billing_payment.points",
                                      "billing_payment.points_missing", "billing_payment.points_lost",
                                      # a journey ended: "cancelled, and two hours on hold to rebook"
                                      "travel_disruption.cancelled", "travel_disruption.cancelled_flight",
                                      "travel_disruption.stranded"})
_A_THING = frozenset({"product_fault.thing"})
# A harm the customer accepts: "totally understandable", "cancellations happen", "not your fault".
# (Not "I don't understand why it was cancelled", nor "what happens to my bag?".)
_CONCEDED = re.compile(r"\b(?:understandable|understandably|(?<!n't\s)(?<!not\s)i\s+understand(?!\s+(?:why|how|what))|"
                       r"i\s+get\s+(?:it|that)|(?:it|that|things|stuff|cancell?ations|delays)\s+happens?|"
                       r"not\s+your\s+fault|fair\s+enough|can'?t\s+be\s+helped|no\s+one'?s\s+fault|"
                       r"nobody'?s\s+fault)\b", re.IGNORECASE)
_TREATED = frozenset({"service_conduct.treatment", "service_conduct.hung_up", "service_conduct.treat",
                      "service_conduct.customers", "service_conduct.people_judged", "service_conduct.damage"})
# A bag, and the trouble cues that tell of it lost or not come: a harm that comes before the service around it.
_BAGS = frozenset({"travel_disruption.bags"})
_BAG_TROUBLE = frozenset({"problem.bag_missing", "problem.bag_needed", "problem.not_received", "problem.forgot"})
# A bag still not brought to them, and the words of delivering it (not of an order).
_BAG_NOT_HERE = frozenset({"repeat_contact.ambiguous", "problem.waiting"})
_DELIVERY_WORDS = frozenset({"order_delivery.delivered", "order_delivery.courier"})
# A bag damaged on the way (a pack cue), and the words of damage it makes no fault of a product or an order.
_BAG_DAMAGED = frozenset({"problem.bag_damaged"})
# Luggage named as damaged, even where no harm to it is told as such ("what's your policy for damaged luggage?").
_LUGGAGE_DAMAGED = frozenset({"travel_disruption.luggage_damaged"})
# Bags that are checked in for a journey by their very name (a "bag" may be a handbag bought in a shop).
_CHECKED_IN = frozenset({"luggage", "baggage", "suitcase", "suitcases", "checked bag", "checked bags", "carry on"})
_DAMAGE_WORDS = frozenset({"product_fault.broken", "order_delivery.damaged"})
# Money taken that the customer says was not theirs to pay (a pack cue).
_NOT_MINE = frozenset({"problem.not_mine"})
# A hotel stay, and what broke in it.
_STAY = frozenset({"travel_disruption.stay", "travel_disruption.room"})
# An insurance or warranty claim: the matter, whatever damage it is for.
_CLAIMS = frozenset({"billing_payment.claim"})
# Where things are done online, and a trip gone wrong that outranks them.
_ONLINE_THINGS = frozenset({"product_fault.software", "product_fault.game", "product_fault.software_application",
                            "product_fault.online_failing"})
_TRIP_TROUBLE = frozenset({"problem.cancelled", "problem.bumped", "problem.bumped_off", "problem.delay",
                           "problem.delay_stuck", "problem.delay_still",
                           "problem.day_late", "problem.hours_late", "problem.hours_delayed",
                           "problem.disrupted"})
# A journey's context words ("flight", "gate", "crew"), and what they weigh beside a complaint about our people.
_JOURNEY = frozenset({"travel_disruption.travel", "travel_disruption.train", "travel_disruption.arrival"})
_JOURNEY_BESIDE_CONDUCT = 0.5
# Food gone wrong, named as food ("the meal served on AA2402 was vile"; not "mold on my flight", the cabin's).
_FOOD_GONE_WRONG = frozenset({"product_fault.food", "product_fault.food_object"})
_FOOD_NAMED = re.compile(r"\b(?:food|meals?|snacks?|sandwich(?:es)?|breakfast|lunch|dinner|chicken|drinks?|coffee|"
                         r"pizza|burgers?|fries|chips|salad)\b", re.IGNORECASE)
# What a journey offers on board (the last word of an outage's words): missing, it is the trip's trouble.
_ON_BOARD = frozenset({"wifi", "wi-fi", "internet", "power", "signal", "entertainment", "streaming", "outlets",
                       "outlet", "ports", "plugs", "tv", "screens"})
_PRICE_RISES = frozenset({"problem.price_rise", "problem.price_rise_named", "problem.price_rise_from"})
_PRICE_RISE_STRENGTH = 2.0
_CANCELLED_TOLD = frozenset({"problem.cancelled"})
_BARE_DELAY = re.compile(r"(?:the |a |this |another )?delay", re.I)
# What a journey's delays are told by, right before the word: the weather, the plane's repairs, its length,
# one more of them ("a 6 hour mechanical delay", "another weather delay", "our newest delay").
_DELAY_OF_A_JOURNEY = re.compile(r"\b(?:weather|mechanical|maintenance|atc|tarmac|ground|crew|de-?icing|"
                                 r"\d+\s*(?:hours?|hrs?|h|minutes?|mins?)|newest|latest|another|further|more)"
                                 r"[\s'\"-]*(?:\w+[\s'\"-]+)?$", re.IGNORECASE)


# Which cues point where when the message names no object or service: contacting us again or being kept
# waiting points to service conduct, a thing that does not work (or is "still broken", "the same fault")
# to a product fault.
_CONDUCT_CUES = frozenset({"repeat_contact"})
CANT_REACH_US = frozenset({"struggle.cant_dm"})   # "my DMs aren't going through": how we can be reached
_KEPT_WAITING = frozenset({"problem.waiting", "problem.hours_counted"})   # on hold, in a queue, hours counted
# Told nothing, told different things, promised what never came or left with nothing done, by our people: how
# they were answered.
_HOW_ANSWERED = frozenset({"problem.told_nothing", "confusion.told_otherwise", "problem.promised", "problem.inaction"})
# Contact from us they never wanted ("stop texting me"): how we treat them, no fault of a product.
_UNWANTED = frozenset({"problem.unwanted_contact", "problem.unwanted_sent"})
_UNWANTED_STRENGTH = 2.0
_FAULT_CUES = frozenset({"problem", "struggle", "confusion"})
_STILL_BROKEN = frozenset({"repeat_contact.still_broken", "repeat_contact.how_long"})
# How long a matter has gone on ("in the shop for repairs for more than 42 days", "stuck here for more than
# 24 hours"): long unresolved, but of contacting us only with a way of reaching us in its sentence ("trying to
# call you for days").
_HOW_LONG_ONLY = frozenset({"repeat_contact.duration"})
_REACHING_US = re.compile(r"\b(?:call(?:s|ed|ing)?|phon(?:e|ed|ing)|ring(?:ing)?|rang|reach(?:ed|ing)?|"
                          r"contact(?:ed|ing)?|e-?mail(?:s|ed|ing)?|dm(?:s|ed|ing)?|messag(?:e|es|ed|ing)|hold|"
                          r"repl(?:y|ies|ied)|"
                          r"respon(?:se|d|ded)|answer(?:ed)?|hear|chat(?:ting)?|get through|got through)\b",
                          re.IGNORECASE)
# Chasing promised from now on ("I will tweet each day until I hear from you"): beside a fault told, the
# fault is the matter; it says nothing yet of how we answered (nor is it contact made before: reply/plan.py).
CHASING_TO_COME = frozenset({"repeat_contact.until_answered"})
_COURTESY = frozenset({"positive_tone.courtesy"})   # "Hi", "please": friendly, not praise
_OCCASION_GREETING = re.compile(
    r"\b(?:happy|merry)\s+(?:halloween|christmas|xmas|holidays?|thanksgiving|easter|new\s+year|birthday|friday|"
    r"monday|weekend|anniversary|hanukkah|diwali|eid|valentine'?s|mother'?s\s+day|father'?s\s+day|4th|fourth|"
    r"st\.?\s+patrick'?s|independence\s+day|canada\s+day|boxing\s+day|pi\s+day)\b|\bseason'?s\s+greetings\b",
    re.IGNORECASE)
# "Please help", "can you help me?": a struggle with nothing said of what failed, so no fault to assume
# ("#FixIt" asks for a fault to be fixed).
_ASKING_FOR_HELP = frozenset({"struggle.need_help", "struggle.any_help", "struggle.help_me"})
_HELP_WORD = re.compile(r"\b(?:help|assist|assistance|sos|look\s+into)\b", re.IGNORECASE)


def only_asks_for_help(c) -> bool:
    """The cue is a call for help and nothing else ("please help", "can you help me")."""
    return c.cue_id in _ASKING_FOR_HELP and bool(_HELP_WORD.search(c.matched))


def _situation_from_cues(cues, *, apology: bool, text: str = ""):
    if not apology:
        greetings = [m.span() for m in _OCCASION_GREETING.finditer(text)]
        warm = [c for c in cues if c.category == "positive_tone" and c.cue_id not in _COURTESY
                and not any(a <= c.start < b for a, b in greetings)]
        return ("praise", warm) if warm else ("other", [])
    clear = [c for c in cues if c.weight >= 1.0]
    contact = [c for c in clear if (c.category in _CONDUCT_CUES
                                    or c.cue_id in _KEPT_WAITING | _HOW_ANSWERED | _UNWANTED | CANT_REACH_US)
               and c.cue_id not in _STILL_BROKEN
               and (c.cue_id not in _HOW_LONG_ONLY
                    or _REACHING_US.search(text[slice(*_sentence_bounds(text, c.start))]))
               and not (c.cue_id in _COUNTED and _FAILURE_COUNTED.search(text, max(0, c.start - 30), c.start))]
    fault = [c for c in clear if (c.category in _FAULT_CUES and not only_asks_for_help(c)
                                  and c.cue_id not in _HOW_OFTEN_ONLY)
             or c.cue_id in _STILL_BROKEN]
    if contact and not (fault and all(c.cue_id in CHASING_TO_COME for c in contact)):
        return "service_conduct", contact
    # ("Why the delay?" alone may be a film's or a parcel's: the noun says less than "delayed". Delays,
    # one after another, are a journey's.)
    bare = [c for c in clear if c.cue_id in _TRIP_TROUBLE and _BARE_DELAY.fullmatch(c.matched)
            and not (c.source == "body" and _DELAY_OF_A_JOURNEY.search(text, max(0, c.start - 24), c.start))]
    trip = [c for c in clear if c.cue_id in _TRIP_TROUBLE and (len(bare) > 1 or c not in bare)]
    if trip:
        # "Is the 14:05 actually running? The board says delayed": with nothing else named, a delay or a
        # cancellation is a journey's.
        return "travel_disruption", trip
    return ("product_fault", fault) if fault else ("other", [])


# A count right after a failure counts the failure, not contacts with us ("we just got delayed for a 3rd
# time", "cancelled for the second time").
_COUNTED = frozenset({"repeat_contact.repeated"})
# Cues that say how often trouble came ("twice this month"), not what it was: no fault of a thing.
_HOW_OFTEN_ONLY = frozenset({"problem.again_lately"})
_FAILURE_COUNTED = re.compile(r"\b(?:delayed|cancell?ed|diverted|bumped|rebooked|broken?|crashed|failed|declined|"
                              r"missed|lost|late|down)\b(?:\s+(?:again|now|for|a|the|this|it|yet))*\s*$", re.I)


# A device named, and the words just before a network it fails to join ("won't connect to any").
_A_DEVICE = frozenset({"product_fault.thing", "product_fault.phone"})
_ITS_OWN_RADIO = frozenset({"wifi", "wi-fi", "bluetooth", "network", "signal", "connection", "internet"})
_CONNECTS_TO = re.compile(r"\bconnect(?:s|ing|ed)?\s+(?:\w+\s+)?to\s+(?:the\s+|any\s+|my\s+|our\s+|a\s+|your\s+)?"
                          r"(?:\w+\s+)?$", re.IGNORECASE)


# A situation word this faint alone ("bought") says less than the kind of trouble the cues show.
_FAINT = 0.75


# What a question owed an apology must score to be about a matter of its own rather than a neutral question.
_PLAINLY_ABOUT = 2.0


# Untroubled messages: among near-equals, a question how to do something comes first.
_QUIET_ORDER = ("how_to", "change_or_cancel", "information", "feedback", "praise")


def _first_near_top(scores: dict[str, float], order, *, at_least: float = 0.0) -> str | None:
    """The first situation of ``order`` within a quarter of the top score (near-equals are settled by
    what a reply must deal with first), or None when nothing scores ``at_least``."""
    if not scores or max(scores.values()) < at_least:
        return None
    top = max(scores.values())
    return next((s for s in order if scores.get(s, 0.0) >= top - 0.25 and scores.get(s, 0.0) > 0), None)


def _pick_situation(scores: dict[str, float], *, apology: bool, text: str, owed: bool = False,
                    asked: bool = False, failed: frozenset[str] | set[str] = frozenset()) -> str:
    """``failed``: the situations named by the words of a failure itself ("slow speeds": an outage)."""
    if apology:
        picked = _first_near_top({s: v for s, v in scores.items() if s != "praise"}, _PROBLEM_SITUATIONS) or "other"
        if picked in ("feedback", "how_to"):
            # An opinion or a how-to that names a plain failure is about the failure ("why not fix the slow
            # speeds in my area instead of advertising?", "my parcel never arrived, how do I find out where it
            # went?"): feedback and how-to are what is said without one.
            named = {s: v for s, v in scores.items() if s in _FAILURES and s in failed}
            return _first_near_top(named, _PROBLEM_SITUATIONS, at_least=_PLAINLY_ABOUT) or picked
        return picked
    if owed:
        scores = {s: v for s, v in scores.items() if s != "praise"}   # an apology owed is never praise
    quiet = _first_near_top({s: v for s, v in scores.items() if s in _QUIET_SITUATIONS}, _QUIET_ORDER)
    if quiet and owed:
        # "I've been charged a £25 fee for a payment made on time. Can you remove it?": what the message
        # is plainly about outweighs the form of its question.
        named = {s: v for s, v in scores.items() if s not in _QUIET_SITUATIONS}
        top = _first_near_top(named, _PROBLEM_SITUATIONS, at_least=max(2.0, 2 * scores[quiet]))
        if top:
            return top
    if quiet:
        return quiet
    if "?" in text:
        # "Where is your customer service?", "Anyone there? An hour on hold": a question about how we answer
        # asks about us, it is no neutral question.
        if scores.get("service_conduct", 0.0) >= 2.0:
            return "service_conduct"
        # "Any word on hotels for the passengers of the diverted flight?": owed an apology and plainly about
        # a matter of its own, the question asks about that matter.
        named = {s: v for s, v in scores.items() if s not in _QUIET_SITUATIONS}
        return (_first_near_top(named, _PROBLEM_SITUATIONS, at_least=_PLAINLY_ABOUT) if owed else None) or "information"
    # No trouble was found, yet the message is plainly about something: say what. An apology owed in
    # general words ("the receipt shows the wrong amount"), or a request ("I'd like to return the
    # jacket"): one clear word of what it is about is enough.
    named = {s: v for s, v in scores.items() if s not in _QUIET_SITUATIONS}
    return _first_near_top(named, _PROBLEM_SITUATIONS, at_least=1.0 if owed or asked else 1.2) or "other"


def _ev(m) -> Evidence:
    return Evidence(m.matched, m.start, m.end, m.source, m.cue_id)
