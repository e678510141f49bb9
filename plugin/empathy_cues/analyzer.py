"""The public entry point: ``analyze(text)`` cleans, matches and decides. Pure after the pack loads."""
from __future__ import annotations

from functools import lru_cache, partial

from .core.decision import Analysis, Policy, Thresholds, decide, evidence
from .core.event import Channel
from .core.language import detect_language
from .core.matches import CueMatch, MatchResult
from .core.matching import Matcher
from .core.packs import Pack, load_builtin_pack
from .core.sentiment import (NEGATIVE_AT, compound_by_sentence, find_negative_wording, headline_spans, mask_spans,
                             name_spans, word_spans, words_of)
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
    result = _with_negative_wording(result, matcher, cleaned)
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
_NOT_A_GRIEVANCE = frozenset({"positive_tone", "own_doing"})


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


def _with_negative_wording(result: MatchResult, matcher: Matcher, text: str) -> MatchResult:
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
    # their words are not the customer's feelings.
    scored = mask_spans(text, [(c.start, c.end) for c in polite] + word_spans(text, cue.ignore_words)
                        + name_spans(text, valences) + headline_spans(text))
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
