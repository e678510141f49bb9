"""From cue matches and a channel to a decision: apology, priority, response target, tags, reasons."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping, NamedTuple

from ..durations import minutes_text
from .matches import CueMatch, MatchResult
from .understand import Hit, Understanding, understand

# The category of the sentiment-lexicon cue (core/sentiment.py): a general sign that something went
# badly, which owes an apology like a clear cue but names no particular trouble.
GENERAL_WORDING = "negative_wording"

# Response targets in minutes. Social media customers expect a first answer within an hour, email
# customers within six; chat is live, so it gets the social target; the rest default to email's.
DEFAULT_RESPONSE_MINUTES: Mapping[str, int] = {
    "social": 60, "chat": 60, "email": 360, "web": 360, "phone": 360, "api": 360, "other": 360,
}


@dataclass(frozen=True)
class Policy:
    """Tag names and response targets: the settings the analyser and the manifests both read."""

    tag_apology: str = "empathy_apology"
    tag_priority: str = "empathy_priority"
    tag_polite: str = "empathy_polite"
    tag_cue: str = "empathy_cue_{category}"
    tag_respond: str = "empathy_respond_{target}"
    # Routing tags for triggers; an empty name turns one off.
    tag_situation: str = "empathy_situation_{situation}"
    tag_severity: str = "empathy_severity_{severity}"
    tag_language: str = "empathy_language_not_covered"
    response_minutes: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_RESPONSE_MINUTES))

    def respond_within(self, channel: str) -> int:
        return self.response_minutes.get(channel, self.response_minutes.get("other", 360))

    def respond_tag(self, minutes: int) -> str:
        return self.tag_respond.format(target=format_target(minutes))

    @classmethod
    def from_mapping(cls, data: Mapping) -> "Policy":
        """Build from a settings mapping (e.g. a TOML ``[tags]``/``[response_minutes]`` table)."""
        tags = dict(data.get("tags") or {})
        minutes = dict(DEFAULT_RESPONSE_MINUTES)
        for channel, value in (data.get("response_minutes") or {}).items():
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"response_minutes.{channel} must be a positive whole number of minutes")
            minutes[str(channel)] = value
        known = {"apology", "priority", "polite", "cue", "respond", "situation", "severity", "language"}
        unknown = set(tags) - known
        if unknown:
            raise ValueError(f"unknown tag setting(s): {', '.join(sorted(unknown))}")
        kwargs = {f"tag_{k}": str(v) for k, v in tags.items()}
        return cls(response_minutes=minutes, **kwargs)

    def all_tags(self, categories) -> list[str]:
        """Every tag this policy can produce for the given cue categories (for manifest checks)."""
        tags = [self.tag_apology, self.tag_priority, self.tag_polite]
        tags += [self.tag_cue.format(category=c) for c in categories]
        tags += sorted({self.respond_tag(m) for m in self.response_minutes.values()})
        if self.tag_situation:
            from .understand import SITUATIONS
            tags += [self.tag_situation.format(situation=s) for s in SITUATIONS]
        if self.tag_severity:
            tags += [self.tag_severity.format(severity=n) for n in range(4)]
        if self.tag_language:
            tags.append(self.tag_language)
        return tags


def format_target(minutes: int) -> str:
    """60 -> '60m', 360 -> '6h', 90 -> '90m', 1440 -> '24h'."""
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


@dataclass(frozen=True)
class Analysis:
    apology: bool
    priority: bool
    tags: tuple[str, ...]
    cues: tuple[CueMatch, ...]
    respond_within_minutes: int
    reasons: tuple[str, ...]
    channel: str
    text: str                      # the cleaned message the cue spans refer to
    subject: str
    polite: bool                   # positive-tone markers found (never cancels an apology)
    categories: frozenset[str]     # categories of the cues that imply an apology or priority
    understanding: Understanding = Understanding()   # situation, severity, asks, language
    # Earlier tickets of the requester about the same matter, (id, YYYY-MM-DD) oldest first (core/history.py).
    repeat_history: tuple[tuple[str, str], ...] = ()

    @property
    def situation(self) -> str:
        return self.understanding.situation

    @property
    def severity(self) -> int:
        return self.understanding.severity

    @property
    def asks(self) -> tuple[str, ...]:
        return self.understanding.asks

    def to_dict(self) -> dict:
        return {
            "apology": self.apology,
            "priority": self.priority,
            "tags": list(self.tags),
            "cues": [c.to_dict() for c in self.cues],
            "respond_within_minutes": self.respond_within_minutes,
            "reasons": list(self.reasons),
            "channel": self.channel,
            "polite": self.polite,
            **self.understanding.to_dict(),
        }


@dataclass(frozen=True)
class Thresholds:
    """How much evidence owes what (from the pack's `decision` section)."""

    apology_at: float = 1.0
    priority_at: float = 1.0
    distress_at: float = 3.0


def decide(result: MatchResult, *, text: str, subject: str, channel: str, policy: Policy,
           thresholds: Thresholds = Thresholds(), hits: tuple[Hit, ...] = (),
           language: str = "en", language_covered: bool = True,
           intensity_categories: frozenset[str] = frozenset({"intensity"})) -> Analysis:
    """Evidence adds up; tone is reported, never subtracted.

    Each cue carries evidence (its pack weight): a clear cue (1.0) owes an apology on its own, an
    ambiguous one (0.5: "still", "late") only beside another sign. A friendly or polite tone changes
    nothing in the sums: "Hi, awaiting an answer on my bill, thanks" owes what "Awaiting an answer on my
    bill" owes. A message in a language no pack covers owes nothing *as far as we can tell*, and says so.
    """
    cues = result.cues
    if not language_covered:
        return _uncovered(result, text=text, subject=subject, channel=channel, policy=policy,
                          hits=hits, language=language)
    apology, priority, distressed, intense, named = _weigh(cues, thresholds, intensity_categories)
    can_wait = ()
    if priority:
        # "Not urgent, just wondering": the customer sets the pace. The apology stands; a serious matter
        # still owes priority (below).
        can_wait = tuple(h for h in hits if h.role == "info" and h.tag == "no_rush" and h.source == "body")
        if can_wait:
            priority = distressed = False
    resolved = resolved_with_thanks(cues, hits, text) if apology else ()
    backdrop = praised_despite(cues, text) if apology and not resolved else ()
    if resolved or backdrop:
        apology = priority = distressed = named = False
    understanding = understand(cues, hits, apology=apology or priority, priority=priority, text=text,
                               named_trouble=named or priority,
                               subject=subject, language=language, language_covered=True)
    if backdrop and understanding.rude:
        # The praise beside the trouble was meant: it was the backdrop, not the target, of the praise.
        understanding = replace(understanding, rude=False)
    # A serious matter (bereavement, health, hardship, safety, legal) owes priority, and a priority
    # follow-up always comes with an apology.
    priority = priority or understanding.severity == 3
    apology = apology or priority
    # Friendly words are reported (agents like to know), unless the message is rude or sarcastic:
    # "thanks for nothing" is not a friendly tone.
    polite = not understanding.rude and any(c.category == "positive_tone" for c in cues)
    categories = frozenset(c.category for c in cues if (c.apology or c.priority))
    minutes = policy.respond_within(channel)
    verdict = _Verdict(apology, priority, polite, distressed, intense, minutes, resolved,
                       can_wait if not priority else (), backdrop)
    return Analysis(
        apology=apology,
        priority=priority,
        tags=_tags(verdict, categories, understanding, policy),
        cues=cues,
        respond_within_minutes=minutes,
        reasons=_reasons(verdict, result, understanding, channel),
        channel=channel,
        text=text,
        subject=subject,
        polite=polite,
        categories=categories,
        understanding=understanding,
    )


def _weigh(cues, thresholds: Thresholds, intensity_categories: frozenset[str]):
    """(apology, priority, distressed, intense cues, named: cues that name a trouble owe the apology on
    their own) from the evidence the cues carry."""
    apology_evidence = evidence([c for c in cues if c.apology])
    apology = apology_evidence >= thresholds.apology_at
    # Shouting and "!!!" show strength, not a problem: they raise priority only beside a problem.
    intense = [c for c in cues if c.category in intensity_categories]
    strength = evidence([c for c in cues if c.priority], toward_priority=True) + (
        evidence(intense, toward_priority=True) if apology else 0.0)
    # Many signs of trouble at once (a delay, a broken seat, no information) make a serious case even
    # when no single cue is strong.
    # Negative wording is the same trouble told in general words: it owes an apology, but is no extra
    # sign of trouble beside the cues that already name it, and names no trouble of its own.
    named_evidence = evidence([c for c in cues if c.apology and c.category != GENERAL_WORDING])
    distressed = named_evidence >= thresholds.distress_at
    named = named_evidence >= thresholds.apology_at
    return apology, strength >= thresholds.priority_at or distressed, distressed, intense, named


class _Verdict(NamedTuple):
    apology: bool
    priority: bool
    polite: bool
    distressed: bool
    intense: list
    minutes: int
    resolved: tuple = ()   # the words that tell of a trouble put right, with thanks
    can_wait: tuple = ()   # the words with which the customer said it can wait, lifting a priority
    backdrop: tuple = ()   # the trouble words told as the backdrop of praise


# Cues that keep a matter open however warmly it is told: chasing us, leaving, an urgent need, a life event.
_STILL_OPEN = frozenset({"repeat_contact", "churn_risk", "urgency", "life_event"})
# An ambiguous urgency word ("today", "gate") is where the trouble happened, not a need still open.
_WEAK_WHEN_PUT_RIGHT = frozenset({"urgency"})
_COURTESY_CUES = frozenset({"positive_tone.courtesy"})
# A story that trails off on "but..." is not over.
_TRAILING_BUT = re.compile(r"\b(but|however|though)\W*$", re.IGNORECASE)
# Cue categories that tell what went wrong (not when, how often or how it felt to wait).
_TOLD_WRONG = frozenset({"problem", "struggle", "frustration"})
# Credit given by name ("kudos to Sam for ...") is thanks in itself.
_CREDIT = frozenset({"info.credited", "info.credited_for"})
# Words that tell the trouble as the occasion of a good deed ("after", "when", "during"), or name the deed
# that put it right ("for fixing our broken boiler"), so the trouble is not the deed credited.
_OCCASION = re.compile(r"\b(after|when|during|despite|while|since|once|amid|with all|through|throughout"
                       r"|fix\w*|repair\w*|sort\w*|help\w*|replac\w*|rescu\w*|recover\w*|resolv\w*|handl\w*"
                       r"|find|found|finding|dealt with|deal\w* with)\b", re.IGNORECASE)
# Sarcasm that needs a trouble beside it to count ("gotta love" may be sincere, so it is not here).
_IRONY = frozenset({"frustration.knack", "frustration.sarcasm_near", "frustration.so_much_for",
                    "frustration.flat_praise", "frustration.sarcastic_thanks"})
_CONTRAST = re.compile(r"\b(but|however|though|although|except|now)\b", re.IGNORECASE)


_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def _sentence_finder(text: str):
    """A function from an offset in ``text`` to the index of the sentence it stands in."""
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]

    def sentence_of(at: int) -> int:
        return next((k for k, (a, b) in enumerate(sentences) if a <= at < b), len(sentences))

    return sentence_of


# Tried again and it worked ("no problems", "works fine"): it answers the trying told before it.
_FINE_NOW = frozenset({"info.resolved_fine"})


def resolved_with_thanks(cues, hits, text: str) -> tuple[Hit, ...]:
    """The words that tell of a trouble we put right, thanked for ("I was locked out but Sam got me back
    in within minutes. Brilliant!"), or () when the matter is still open.

    The trouble words tell a story that ended well; no apology is owed for it. It stays open when a
    question is asked, when a cue chases us, threatens to leave or is urgent, or when trouble is told
    after the resolution in a later sentence or after a "but" ("thanks for fixing it, but now it's broken
    again"). The thanks must be warm praise, or stand in the resolution's own sentence: a "thanks" that
    signs off a complaint is no thanks for a fix."""
    done = [h for h in hits if h.role == "info" and h.tag == "resolved" and h.source == "body"]
    if not done or "?" in text or any(c.cue_id in _IRONY for c in cues):
        return ()   # irony makes the credit ironic too: "you sure know how to strand someone. Props to you"
    sentence_of = _sentence_finder(text)

    # What went wrong, not when ("today") or how often: the deed a credit names is checked against it.
    trouble = sorted((c for c in cues if c.apology and c.source == "body" and c.category in _TOLD_WRONG),
                     key=lambda c: c.start)

    def credits_a_good_deed(h) -> bool:
        """False when the deed told right after the credit is the trouble itself, in irony: "kudos to you
        for losing my bag". Trouble told as the occasion ("for rerouting us when the flight was
        cancelled") keeps the credit."""
        if h.cue_id not in _CREDIT:
            return True
        later = next((c for c in trouble if c.start >= h.end and sentence_of(c.start) == sentence_of(h.start)),
                     None)
        return later is None or bool(_OCCASION.search(text[h.end:later.start]))

    done = [h for h in done if credits_a_good_deed(h)]
    if not done:
        return ()
    told = {sentence_of(h.start) for h in done}
    end = max(h.end for h in done)
    # Thanks in the resolution's sentence, or after it with nothing gone wrong since ("they tracked it
    # down and drove it to my hotel. that's service. thank you"): trouble told later reopens it below.
    thanked = any(h.cue_id in _CREDIT for h in done) or any(
        c.category == "positive_tone" and c.cue_id not in _COURTESY_CUES
        and (c.cue_id != "positive_tone.thanks" or sentence_of(c.start) in told or c.start >= end) for c in cues)
    # Put right, with only faint signs of a trouble beside it ("got it squared away. Should have tweeted
    # sooner"): nothing left that would owe an apology, thanks or none. (A clear trouble, "finally sorted
    # after three hours on hold", still needs the thanks to count as put right.)
    faint_only = all(c.weight < 1.0 for c in cues if c.apology)
    if not (thanked or faint_only):
        return ()
    if _TRAILING_BUT.search(text[end:]):
        return ()   # "you did make a nice offer... but...": the story is not over
    if faint_only:
        return tuple(done)
    for c in cues:
        if not c.apology:
            continue
        if c.source == "body" and any(h.start < c.end and c.start < h.end for h in done):
            continue    # the resolution's own words: "working again" chases nothing
        if c.source == "body" and any(h.cue_id in _FINE_NOW and c.end <= h.start
                                      and sentence_of(c.start) == sentence_of(h.start) for h in done):
            continue    # "tried it again today and no problems": the trying the good news answers
        if c.source != "body" or (c.category in _STILL_OPEN and not (c.category in _WEAK_WHEN_PUT_RIGHT
                                                                      and c.weight < 1.0)):
            return ()
        if c.start >= end and (sentence_of(c.start) not in told or _CONTRAST.search(text[end:c.start])):
            return ()
    return tuple(done)


# Words that make a trouble the backdrop of what is praised: "during the delays", "despite the cancellation",
# "through all the chaos", "a long day of delays made better by them".
_BACKDROP = re.compile(r"\b(?:during|despite|amid|amidst|throughout|through|in spite of|with all)"
                       r"(?:\s+[\w'-]+){0,3}\s*$", re.IGNORECASE)
# One trouble more in the same backdrop: "despite the delays and a missed connection".
_AND_MORE = re.compile(r"\s*(?:,|and|or|&|plus)\s+(?:(?:the|a|an|our|my|some|then|many|several|multiple|more|long|"
                       r"major)\s+)*", re.IGNORECASE)
# ... or that makes it what our people made better: "a long day of delays made better by them".
_MADE_BETTER = re.compile(r"\W*(?:\w+\W+){0,2}?(?:made|making|makes)\s+(?:it\s+|things\s+|that\s+|everything\s+)?"
                          r"(?:so\s+much\s+|much\s+|a lot\s+)?(?:better|bearable|easier|more bearable)\b",
                          re.IGNORECASE)
# ... or that our people stayed good through: "multiple delays and she is still pleasant with everyone".
_KEPT_UP = re.compile(r"[\s,]*(?:and|but|yet)\s+(?:she|he|they|the\s+crew|the\s+staff|your\s+staff|the\s+agents?|"
                      r"everyone|the\s+team)\s+(?:is|are|was|were|stayed|stays|remained|remains|kept)\s+"
                      r"(?:still\s+|so\s+|very\s+|always\s+|really\s+)*(?:pleasant|kind|polite|calm|patient|smiling|"
                      r"helpful|friendly|professional|lovely|great|amazing|positive|cheerful|wonderful|awesome)\b",
                      re.IGNORECASE)
# Praise that credits how the trouble was met, not a thanks that signs off a request.
_WARM_PRAISE = frozenset({"positive_tone.warm", "positive_tone.kind", "positive_tone.happy", "positive_tone.best"})
_PRAISE_OR_IRONY = frozenset({"frustration.sarcasm_near"})


def praised_despite(cues, text: str) -> tuple:
    """The trouble words of a message that praises how a trouble was met ("During major delays she was
    owning it! Great crew"), or () when the trouble is still the matter.

    The message must praise warmly, and every clear sign of trouble stand as the backdrop of that praise:
    right after "during", "despite", "amid" or "through", or "made better" by someone; a faint sign may
    stand beside the praise itself. Nothing may chase us, threaten to leave, be urgent or be asked."""
    if "?" in text:
        return ()
    sentence_of = _sentence_finder(text)

    # Praise words beside trouble read as sarcasm ("great job losing my bag"), unless the trouble is only
    # the backdrop of the praise ("a great job keeping us informed during the delays"): settled below.
    praise_or_irony = [c for c in cues if c.cue_id in _PRAISE_OR_IRONY and c.source == "body"]
    praised = {sentence_of(c.start) for c in cues if c.cue_id in _WARM_PRAISE and c.source == "body"}
    praised |= {sentence_of(c.start) for c in praise_or_irony}
    # (An ambiguous urgency word, "right now", says when the praise is given, no need still open.)
    trouble = [c for c in cues if c.apology and c not in praise_or_irony
               and not (c.category in _WEAK_WHEN_PUT_RIGHT and c.weight < 1.0)]
    if not praised or not trouble or any(c.category in _STILL_OPEN or c.source != "body" for c in trouble):
        return ()
    backdrop = []
    told_before = 0    # where the trouble told before this one ends: "during the outage nobody answered"
    for c in sorted(trouble, key=lambda c: c.start):
        if (_BACKDROP.search(text, max(told_before, c.start - 40), c.start) or _MADE_BETTER.match(text, c.end)
                or _KEPT_UP.match(text, c.end)
                or (backdrop and _AND_MORE.fullmatch(text, backdrop[-1].end, c.start))):
            backdrop.append(c)
        told_before = max(told_before, c.end)
    if not backdrop:
        return ()
    if any(c not in backdrop and (c.weight >= 1.0 or sentence_of(c.start) not in praised) for c in trouble):
        return ()
    first_praise = min(c.end for c in cues if c.source == "body" and (c.cue_id in _WARM_PRAISE or c in praise_or_irony))
    if _CONTRAST.search(text, first_praise) and any(c not in backdrop for c in trouble):
        return ()   # "a cool trip booked, but I can't add my number": the praise is turned
    return tuple(backdrop)


def _reasons(v: _Verdict, result: MatchResult, understanding: Understanding, channel: str) -> tuple[str, ...]:
    """Why, in the customer's words: every cue that counted, then what the tone and the channel add."""
    reasons = _evidence_reasons(v, result, understanding)
    if v.resolved:
        words = ", ".join(f'"{h.matched}"' for h in v.resolved[:2])
        reasons.append(f"a trouble put right ({words}): no apology owed for it")
    if v.backdrop:
        words = ", ".join(f'"{c.matched}"' for c in v.backdrop[:2])
        reasons.append(f"a trouble told as the backdrop of praise ({words}): no apology owed for it")
    if v.can_wait:
        reasons.append(f'the customer says it can wait ("{v.can_wait[0].matched}"): no priority follow-up')
    if v.apology and v.polite:
        reasons.append("politely worded: the tone is friendly, the struggle is real")
    if understanding.rude:
        reasons.append("rude or sarcastic wording: answer the problem, not the tone")
    reasons += [f"ignored \"{n.matched}\": negated by \"{n.negator}\"" for n in result.negated]
    if v.apology:
        reasons.append(f"{channel}: first reply within {minutes_text(v.minutes)}")
    else:
        reasons.append("no sign of struggle: no apology or priority follow-up owed")
    return tuple(dict.fromkeys(reasons))  # the same word twice is one reason


def _evidence_reasons(v: _Verdict, result: MatchResult, understanding: Understanding) -> list[str]:
    owing = [c for c in result.cues if c.apology] if v.apology else []
    strong = [c for c in result.cues if c.priority] if v.priority else []
    reasons = [f"apology: {c.category.replace('_', ' ')} cue \"{c.matched}\"" for c in owing]
    reasons += [f"priority: {c.category.replace('_', ' ')} cue \"{c.matched}\"" for c in strong]
    if v.intense and v.priority:
        reasons.append(f"priority: strong emphasis \"{v.intense[0].matched}\"")
    if v.distressed and not strong:
        reasons.append(f"priority: many signs of trouble together ({len(owing)} cues)")
    if understanding.severity == 3:
        words = ", ".join(f'"{e.words}"' for e in understanding.severity_evidence[:2])
        reasons.append(f"priority: serious matter ({understanding.serious_kind.replace('_', ' ')}): {words}")
    return reasons


def _tags(v: _Verdict, categories: frozenset[str], understanding: Understanding, policy: Policy) -> tuple[str, ...]:
    if not v.apology:
        return ()
    tags = [policy.tag_apology] + ([policy.tag_priority] if v.priority else [])
    tags += [policy.tag_cue.format(category=c) for c in sorted(categories)]
    if v.polite:
        tags.append(policy.tag_polite)
    tags.append(policy.respond_tag(v.minutes))
    if policy.tag_situation:
        tags.append(policy.tag_situation.format(situation=understanding.situation))
    if policy.tag_severity:
        tags.append(policy.tag_severity.format(severity=understanding.severity))
    return tuple(dict.fromkeys(tags))


def _uncovered(result: MatchResult, *, text: str, subject: str, channel: str, policy: Policy, hits,
               language: str) -> Analysis:
    """No pack covers this language: no cue can be trusted, so none is reported, and the reasons and
    a tag say why instead of a confident "no sign of struggle"."""
    understanding = Understanding(language=language, language_covered=False)
    tags = (policy.tag_language,) if policy.tag_language else ()
    named = "a language it could not name" if language == "und" else language
    reason = (f"language not covered ({named}): no phrase pack reads it, so no cue was looked for;"
              " an agent should read this message")
    return Analysis(apology=False, priority=False, tags=tags, cues=(), respond_within_minutes=policy.respond_within(channel),
                    reasons=(reason,), channel=channel, text=text, subject=subject, polite=False,
                    categories=frozenset(), understanding=understanding)


def evidence(cues, *, toward_priority: bool = False) -> float:
    """Sum of the weights of distinct cue occurrences: the same word twice counts once, in the singular or
    the plural ("a 28 day return policy ... back within 28 days")."""
    seen: dict[tuple[str, str], float] = {}
    for c in cues:
        said = " ".join(w.rstrip("s") for w in c.matched.lower().split())
        seen[(c.cue_id, said)] = c.priority_weight if toward_priority else c.weight
    return sum(seen.values())
