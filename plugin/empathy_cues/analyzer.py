"""The public entry point: ``analyze(text)`` cleans, matches and decides. Pure after the pack loads."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache, partial

from .core.decision import Analysis, Policy, Thresholds, decide, evidence
from .core.event import Channel
from .core.language import detect_language
from .core.matches import CueMatch, MatchResult
from .core.matching import Matcher
from .core.packs import Pack, load_builtin_pack
from .core.sentiment import (NEGATIVE_AT, answer_spans, compound_by_sentence, find_negative_wording, headline_spans,
                             mask_spans, name_spans, number_abbreviation_spans, word_spans, words_of)
from .core.text import clean_text, quoted_post_spans
from .core.understand import Hit
from .resources import english_word_counts, english_words

_DEFAULT_POLICY = Policy()


@lru_cache(maxsize=8)
def matcher_for(pack: Pack | None = None) -> Matcher:
    """The compiled matcher of a pack (the built-in English pack when None), built once."""
    pack = pack if pack is not None else load_builtin_pack("en")
    if pack.language != "en":
        return Matcher(pack)
    return Matcher(pack, known_words=english_words(), word_counts=english_word_counts()[0])


def pack_version() -> str:
    """The cue pack the decisions are made with: language and the pack file's ``version``."""
    return f"en.v{matcher_for(None).pack.version}"


def analyze(
    text: str,
    *,
    subject: str = "",
    channel: str = "email",
    pack: Pack | None = None,
    policy: Policy | None = None,
    html: bool | None = None,
) -> Analysis:
    """Read one customer message and decide what the agent should know.

    ``text`` may be plain text or HTML and may carry a quoted thread: only the newest words are
    judged. The subject is read too (a subject often says "Still broken"), but its cues are kept
    apart from the body's spans. Never raises on any string.
    """
    matcher = matcher_for(pack)
    channel_name = Channel.parse(channel).value
    cleaned = clean_text(text or "", html=html)
    subject_clean = clean_text(subject or "", html=False)
    # The subject is matched on its own; its cues are marked source="subject" and their spans index
    # Analysis.subject, so body spans always index Analysis.text.
    result = _without_owned_slips(_without_quoted_feelings(matcher.find(cleaned), matcher, cleaned), matcher)
    result, not_told = _without_untold_disruptions(result, matcher, cleaned)
    result = _with_negative_wording(result, matcher, cleaned, not_told)
    if subject_clean:
        subject_result = matcher.find(subject_clean)
        result = _merge_subject(result, subject_result)
    p = matcher.pack
    # Cues of role "cue" are the signs of struggle shown to agents; the rest feed the understanding.
    by_id = matcher.cue_by_id
    cues, hits = [], []
    for c in result.cues:
        cue = by_id[c.cue_id]
        if cue.role == "cue":
            cues.append(c)
            if cue.serious:
                hits.append(Hit(c.cue_id, "severity", cue.serious, cue.strength, c.matched, c.start, c.end, c.source))
            if cue.rude:
                hits.append(Hit(c.cue_id, "tone", "rude", cue.strength, c.matched, c.start, c.end, c.source))
        else:
            hits.append(Hit(c.cue_id, cue.role, cue.tag, cue.strength, c.matched, c.start, c.end, c.source))
    language, covered = detect_language(cleaned if not subject_clean else subject_clean + "\n" + cleaned,
                                        matcher.vocabulary)
    return decide(MatchResult(tuple(cues), result.negated), text=cleaned, subject=subject_clean,
                  channel=channel_name, policy=policy or _DEFAULT_POLICY, hits=tuple(hits),
                  language=language, language_covered=covered,
                  thresholds=Thresholds(p.apology_at, p.priority_at, p.distress_at))


# Friendly words inside a post quoted from another account ('"@Airline: We love taking you flying!" Again
# next week!') are that account's tone, not the customer's. The rest stays: "we understand your
# frustration", "sorry for the delay" tell what the customer is answering.
_SPEAKERS_OWN = frozenset({"positive_tone"})
# Categories whose words a sentiment lexicon reads as negative though they voice no grievance.
_NOT_A_GRIEVANCE = frozenset({"positive_tone", "own_doing", "mourning"})


def _without_quoted_feelings(result: MatchResult, matcher: Matcher, text: str) -> MatchResult:
    quoted = quoted_post_spans(text)
    if not quoted:
        return result
    kept = tuple(c for c in result.cues if not (
        matcher.cue_by_id[c.cue_id].category in _SPEAKERS_OWN and any(a <= c.start < b for a, b in quoted)))
    return MatchResult(kept, result.negated)


def _without_owned_slips(result: MatchResult, matcher: Matcher) -> MatchResult:
    """Feeling words inside the customer owning a slip ("my bad", "silly me", "my mistake") are that, not a
    bad experience to apologise for."""
    cat = matcher.cue_by_id
    owned = [(c.start, c.end) for c in result.cues if cat[c.cue_id].category == "own_doing"]
    if not owned:
        return result
    kept = tuple(c for c in result.cues if not (cat[c.cue_id].category == "frustration"
                                                and any(a <= c.start and c.end <= b for a, b in owned)))
    return MatchResult(kept, result.negated)


# A cancellation or a delay asked about ("Is flight 713 to Dallas cancelled for Monday?", "any word whether 3403
# is cancelled?", "are departures from Boston delayed?") has not been told as happening; a cancellation the
# customer made ("when I already cancelled the flight") is theirs: neither is a trouble to be sorry for.
_YES_NO_OPENING = re.compile(r"(?:\s*[@#][\w.]+[:,]?)*[\s\-,.]*(?:(?:so|and|but|hi|hey|hello|also|ok|okay)[\s,]+)?"
                             r"(?:is|are|was|were|has|have|will|did|does|do)\b", re.IGNORECASE)
_WHETHER_BEFORE = re.compile(r"\b(?:whether|if)\b[^.!?\n]{0,40}$", re.IGNORECASE)
# The cancellation is what is asked: said of the flight with "is", "be", "get" ("is flight 713 ... cancelled",
# "will be cancelled"), not a word for flights already cancelled ("rebook cancelled flights", "from a cancelled
# flight") nor a question put for effect ("are you telling me you're cancelling my flight??").
_CANCEL_PREDICATED = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\b(?:\s+[\w'%-]+){0,5}?"
                                r"\s+(?:definitely\s+|still\s+|now\s+|already\s+|\d+%\s+)?$"
                                # ... or of us, as what we will do: "will you cancel tonight's 7pm?"
                                r"|\b(?:will|would|are|do)\s+(?:you|u|they|y'all)\s+(?:be\s+|going\s+to\s+|"
                                r"plan(?:ning)?\s+to\s+|have\s+to\s+)?$", re.IGNORECASE)
# Any of them asked about: "are there any delays at Heathrow?" ("any" otherwise names ones that happened:
# "rebook any cancelled flights").
_ANY_ASKED = re.compile(r"\b(?:is|are)\s+(?:there|they)\s+any\s*$", re.IGNORECASE)
_NAMING_CANCELLED = frozenset({"a", "an", "the", "my", "our", "your", "their", "his", "her", "rebook", "reinstate",
                               "from", "of", "for", "on", "any", "all", "these", "those", "about", "with"})
# (A question put for effect tells it: "are you telling me you're cancelling my flight??", "is it normal that my
# flight is delayed 8 hours?")
_FOR_EFFECT = re.compile(r"\b(?:(?:are|is)\s+(?:you|u)\s+(?:telling|seriously|really|kidding|joking)|"
                         r"is\s+(?:it|this|that)\s+(?:normal|acceptable|ok|okay|fair|right|how|what)|"
                         r"is\s+there\s+a\s+reason)\b", re.IGNORECASE)
# The customer as the one who did it ("I", "we've already"), and the trips or orders that may be called off.
_THEY_DID = r"\b(?:i|we)(?:'ve|\s+have|\s+had)?(?:\s+(?:already|just|then|also))?"
_TRIPS = r"(?:flights?|trip|booking|reservation|ticket|order)"
_OWN_DOING_BEFORE = re.compile(r"(?<!after )(?<!since )(?<!though )(?<!despite )(?<!yet )" + _THEY_DID + r"\s*$",
                               re.IGNORECASE)     # ("charged after I cancelled": the charge is the trouble)
# Asked why it happened ("do you know why 4287 is delayed?"): the trouble is told, its reason asked.
_REASON_ASKED = re.compile(r"\b(?:why|how\s+come|what\s+caused|reason)\b", re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"[.!?\n]")
_A_TRIP_OR_ORDER = re.compile(r"\s+(?:\w+\s+)?(?:the|my|our|this|that|a|an)?\s*(?:\w+\s+)?"
                              r"(?:" + _TRIPS + r"|one)\b", re.IGNORECASE)
# The trip or order named first, then who called it off: "a flight I cancelled", "the booking we had cancelled".
_TRIP_THEN_THEM = re.compile(r"\b" + _TRIPS + r"\s+(?:that\s+|which\s+)?" + _THEY_DID + r"\s+$", re.IGNORECASE)
_WORD_REST = re.compile(r"\w*")
# A cancellation only supposed ("notice if cancelled?", "if my flight gets cancelled I want a refund", "in
# case of a cancellation"): none has happened. (Not "if you cancelled my flight, why ...": that one did.)
_SUPPOSED = re.compile(r"\b(?:if|in\s+case(?:\s+of)?|in\s+the\s+event\s+(?:of|that)|should\s+(?:it|my|the|our|this))"
                       r"(?:\s+[\w'-]+){0,5}?\s+(?:is|are|be|gets?|getting|becomes?)\s+(?:(?!already\b)\w+\s+)?$|"
                       r"\b(?:if|in\s+case(?:\s+of)?|in\s+the\s+event\s+of)\s+(?:a\s+|the\s+|any\s+)?$",
                       re.IGNORECASE)
# Only heard of: "I heard a rumor flight 898 was cancelled. Is this true?" (not "I heard at the gate it was
# cancelled", told by our people, unless they ask whether it is so).
_HEARD = re.compile(r"\b(?:heard|hearing|rumou?rs?|rumou?red)\b[^.!?\n]{0,50}$", re.IGNORECASE)
_RUMOUR = re.compile(r"\brumou?r", re.IGNORECASE)
_TRUE_ASKED = re.compile(r"\b(?:is|was)\s+(?:this|it|that)\s+true\b|\btrue\s+or\s+not\b", re.IGNORECASE)
_ASKED_REACH = 300
# A trip's state that may be asked about before anything went wrong ("is flt 1202 delayed?", "is it oversold?").
_ASKABLE_STATES = ("delay", "overbook", "over book", "oversold", "over sold")
_MONEY_TAKEN = re.compile(r"\b(?:charg\w*|bill\w*|debit\w*|taken|took|payments?|paid|fees?)\b", re.IGNORECASE)


def _without_untold_disruptions(result: MatchResult, matcher: Matcher,
                                text: str) -> tuple[MatchResult, list[tuple[int, int]]]:
    """The cues left when cancellations, delays and overbooking asked about or only supposed ("is my flight
    overbooked?"), and cancellations made by the customer, are taken out, and the spans taken out (kept from the
    sentiment lexicon's score too: "cancelled" reads negative to it)."""
    cat = matcher.cue_by_id
    if "ancel" not in text and "elay" not in text and "ver" not in text:
        return result, []

    stops = [m.start() for m in _SENTENCE_STOP.finditer(text)]     # found once: a message may hold many
    # A delay asked about beside a trouble told ("they rebooked us, will the new one be delayed too?") is part
    # of that trouble, still going on; only alone is it a question before anything went wrong.
    other_trouble = any(cat[c.cue_id].category == "problem" and c.apology and c.weight >= 1.0
                        and not any(w in c.matched.lower() for w in ("cancel",) + _ASKABLE_STATES)
                        for c in result.cues)

    def asked_or_own(c: CueMatch) -> bool:
        low = c.matched.lower()
        word = ("cancel" if "cancel" in low else None) or (
            next((w for w in _ASKABLE_STATES if w in low), None) if not other_trouble else None)
        # (A cancellation of ours asked about reads to the pack as them leaving us: "will you cancel the Leeds
        # flight?" is no churn; the trip named after it says whose cancelling it would be.)
        ours_asked = (cat[c.cue_id].category == "churn_risk" and word == "cancel"
                      and _A_TRIP_OR_ORDER.match(text, c.start + low.index(word) + len(word)) is not None)
        if c.source != "body" or word is None or not (
                cat[c.cue_id].category == "problem" or ours_asked
                or (cat[c.cue_id].role == "situation" and word != "cancel")):
            return False
        at = c.start + low.index(word)
        i = bisect_left(stops, at)
        start = stops[i - 1] + 1 if i else 0
        stop = text[stops[i]] if i < len(stops) else None
        # (The words before it in its sentence, as far back as a question could be put: a run-on message
        # of thousands of words is one sentence.)
        before = text[max(start, at - _ASKED_REACH):at]
        words_before = before[-60:].split()
        last = words_before[-1].lower() if words_before else ""
        asked = (stop == "?" and _CANCEL_PREDICATED.search(before) is not None
                 and (last not in _NAMING_CANCELLED or _ANY_ASKED.search(before) is not None)
                 and not _FOR_EFFECT.search(before) and not _REASON_ASKED.search(before)
                 and (_YES_NO_OPENING.match(text, start) is not None or _WHETHER_BEFORE.search(before) is not None))
        # (Only a cue that is the cancellation itself is theirs: "charged after I cancelled" is a charge.)
        # Nor one with money still taken ("I cancelled and I'm still getting charged"): the grievance itself.
        # And only a journey or an order they called off: a service they cancelled is them leaving us.
        # ("cancelled my flight" and "the flight I cancelled" alike: the trip named after the word or before them;
        # the cue no more than that, not "cancelled last week still shows": a fault that followed it.)
        word_end = _WORD_REST.match(text, at).end()
        named_after = _A_TRIP_OR_ORDER.match(text, word_end)
        named_first = _TRIP_THEN_THEM.search(text, max(start, at - 40), at)
        own = (word == "cancel" and _OWN_DOING_BEFORE.search(text[max(start, at - 30):at]) is not None
               and ((named_after is not None and c.start == at and c.end <= named_after.end())
                    or (named_first is not None and c.start in (at, named_first.start()) and c.end <= word_end))
               and not _MONEY_TAKEN.search(text))
        supposed = _SUPPOSED.search(text, max(start, at - 60), at) is not None or (
            _HEARD.search(text, max(start, at - 60), at) is not None
            and (_RUMOUR.search(text, max(start, at - 60), at) is not None or _TRUE_ASKED.search(text) is not None))
        if ours_asked and cat[c.cue_id].category != "problem":
            return asked or supposed    # ("could I cancel an order?": them leaving, asked for, still weighed)
        return asked or own or supposed

    dropped = [c for c in result.cues if asked_or_own(c)]
    if not dropped:
        return result, []
    # The same words read for the situation tell no trouble either: "is my flight overbooked?" was not bumped.
    dropped += [c for c in result.cues if cat[c.cue_id].role == "situation"
                and any(d.start <= c.start and c.end <= d.end for d in dropped)]
    gone = {id(c) for c in dropped}
    return (MatchResult(tuple(c for c in result.cues if id(c) not in gone), result.negated),
            [(c.start, c.end) for c in dropped])


@lru_cache(maxsize=1)
def _vader():
    """VADER's scorer and its word valences, emoji included (read from its package once)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer, negated

    scorer = SentimentIntensityAnalyzer()
    valences = dict(scorer.lexicon)
    for emoji, description in scorer.emojis.items():
        valence = sum(scorer.lexicon.get(w, 0.0) for w in description.lower().split())
        if valence:
            valences[emoji] = valence
    return partial(compound_by_sentence, scorer=scorer.polarity_scores), valences, (lambda w: negated([w]))


def _with_negative_wording(result: MatchResult, matcher: Matcher, text: str,
                           not_told: Sequence[tuple[int, int]] = ()) -> MatchResult:
    """Add the pack's negative-wording cue (detector ``negative_wording``) when the message reads as
    negative: the words a general sentiment lexicon knows and the pack does not."""
    cue = matcher.detector_cue("negative_wording")
    if cue is None or evidence([c for c in result.cues if c.apology]) >= matcher.pack.apology_at:
        # Off for this account, or the pack's own cues already owe the apology and name why: the
        # general sign would add nothing to the decision (it never adds to priority).
        return result
    compound, valences, is_negator = _vader()
    # Politeness formulas and praise the pack knows ("sorry to bother you", "couldn't have been nicer"), and
    # the customer owning a slip ("my bad", "silly me"), read as negative to a sentiment lexicon; they are
    # blanked out (offsets kept) before scoring. Only those: the friendly words of the message ("thanks",
    # "great") still count in its score.
    polite = [c for c in result.cues if matcher.cue_by_id[c.cue_id].category in _NOT_A_GRIEVANCE
              and (any(valences.get(w, 0.0) < 0 for w in words_of(c.matched)) or compound(c.matched) <= NEGATIVE_AT)]
    # And the plain service words the pack names (``ignore_words``): "Can I leave my bag here?" is no complaint.
    # And names and titles ("the new Star Wars ice cream"), and a headline shared with its source and link:
    # their words are not the customer's feelings; nor is "no" short for number ("my meter no") or said as an
    # answer ("No, I haven't"); nor a problem told as over ("the agent fixed the problem").
    over = [(n.start, n.end) for n in result.negated if n.negator.lower() in matcher.pack.resolved]
    scored = mask_spans(text, [(c.start, c.end) for c in polite] + word_spans(text, cue.ignore_words)
                        + name_spans(text, valences) + headline_spans(text) + number_abbreviation_spans(text)
                        + answer_spans(text) + list(not_told) + over)
    found = find_negative_wording(scored, compound=compound, lexicon=valences, is_negator=is_negator)
    if found is None:
        return result
    match = CueMatch(cue.id, cue.category, text[found.start:found.end], 100.0, found.start, found.end,
                     cue.apology, cue.priority, weight=cue.weight, priority_weight=cue.priority_weight)
    return MatchResult(result.cues + (match,), result.negated)


def _merge_subject(body, subject):
    from .core.matches import MatchResult

    body_ids = {c.cue_id for c in body.cues}
    extra = tuple(c._replace(source="subject") for c in subject.cues if c.cue_id not in body_ids)
    if not extra:
        return body
    return MatchResult(body.cues + extra, body.negated + subject.negated)
