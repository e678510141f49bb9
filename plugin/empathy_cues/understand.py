"""The situation behind a message: what it is about, how serious it is, and what the customer asks.

``understand(result, text=..., subject=...)`` reads the matcher's *understanding* hits (cues whose
category has a ``role`` of ``situation``, ``ask``, ``severity`` or ``object`` in the pack) beside the
apology cues, and returns an :class:`Understanding`. Each label carries the customer's own words that
show it (:class:`Evidence`, spans into the cleaned text or subject), so an agent can see why, and a
reply is never built on a guess. Pure: no I/O.

Definitions follow ``shared/eval/SITUATION.md`` (the labelling guide used for the evaluation data):

- ``situation``: one of :data:`SITUATIONS`; the one the reply must deal with first.
- ``severity`` 0-3: 0 nothing wrong; 1 minor; 2 significant (money, travel, blocked, repeated, strong
  anger); 3 serious (safety, health, bereavement, hardship, legal, assault, discrimination).
- ``asks``: what the customer wants done, any of :data:`ASKS`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

SITUATIONS = (
    "account_access", "billing_payment", "order_delivery", "travel_disruption", "product_fault",
    "service_outage", "service_conduct", "how_to", "change_or_cancel", "information", "feedback",
    "praise", "other",
)
ASKS = ("callback", "refund", "escalate", "status", "fix", "explain", "change", "contact")
# Kinds of serious matter (severity 3); the reply leads with care for these.
SERIOUS_KINDS = ("bereavement", "illness", "new_baby", "hardship", "safety", "legal", "assault",
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
    language: str = "en"                     # ISO 639-1 code of the message's language, "und" unknown
    language_covered: bool = True            # False: no pack for this language; the analysis says so
    rude: bool = False                       # insults or sarcasm aimed at the company or its staff
    info_given: tuple[Evidence, ...] = field(default=())  # "I already sent my details", "I know the status"

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
            "language": self.language,
            "language_covered": self.language_covered,
            "rude": self.rude,
            "info_given": [e.to_dict() for e in self.info_given],
        }


# Situations a reply deals with when something went wrong, first the ones that outrank the others when
# both show ("charged twice for a cancelled flight" is about the money).
_PROBLEM_SITUATIONS = ("account_access", "billing_payment", "travel_disruption", "order_delivery",
                       "service_outage", "product_fault", "service_conduct", "change_or_cancel", "how_to",
                       "information", "feedback")
_QUIET_SITUATIONS = ("change_or_cancel", "how_to", "information", "feedback", "praise")
_SIGNIFICANT_SITUATIONS = frozenset({"billing_payment", "travel_disruption", "account_access", "service_outage"})


def is_rude(hits) -> bool:
    """Insults or sarcasm (pack cues marked ``rude``) among the hits."""
    return any(h.role == "tone" and h.tag == "rude" for h in hits)


def understand(cues, hits, *, apology: bool, priority: bool, text: str, subject: str = "",
               language: str = "en", language_covered: bool = True) -> Understanding:
    """The situation, severity and asks of one message, from its cue matches (``cues``: the pack's
    role "cue" matches) and understanding hits (``hits``: :class:`Hit`, the other roles), each label
    with the words that show it."""
    by_role: dict[str, list] = {}
    for h in hits:
        by_role.setdefault(h.role, []).append(h)

    # -- severity: serious matters first (they need strong evidence: a pack cue of role severity) ----
    serious = [h for h in by_role.get("severity", ()) if h.tag in SERIOUS_KINDS]
    serious_kind = None
    severity_evidence: list[Evidence] = []
    if serious:
        best = max(serious, key=lambda h: (h.strength, -h.start))
        serious_kind = best.tag
        severity = 3
        severity_evidence = [_ev(h) for h in serious if h.tag == serious_kind]
    elif priority:
        severity = 2
        severity_evidence = [_ev(c) for c in cues if c.priority][:3]
    elif apology:
        severity = 1
        severity_evidence = [_ev(c) for c in cues if c.apology][:3]
    else:
        severity = 0
    if severity == 3 and not apology:
        # A serious word in a message that reports no trouble ("my late father loved your shop") is
        # kept as care for the reply, but the case itself is not an emergency.
        severity, severity_evidence = (1 if any(h.role == "severity" for h in serious) else 0), severity_evidence

    # -- situation: the strongest situation shown; a problem situation when something went wrong ------
    scores: dict[str, float] = {}
    evidence: dict[str, list[Evidence]] = {}
    for h in by_role.get("situation", ()):
        weight = h.strength * (1.5 if h.source == "subject" else 1.0)
        scores[h.tag] = scores.get(h.tag, 0.0) + weight
        evidence.setdefault(h.tag, []).append(_ev(h))
    situation = _pick_situation(scores, apology=apology, text=text)
    if situation == "other" and not scores:
        # Nothing names what it is about: the kind of trouble the cues show is the best evidence left.
        situation, shown_by = _situation_from_cues(cues, apology=apology)
        if shown_by:
            evidence[situation] = [_ev(c) for c in shown_by]
    if severity == 1 and situation in _SIGNIFICANT_SITUATIONS:
        # Money at stake, travel disrupted, locked out: significant even when calmly put (SITUATION.md).
        severity = 2

    # -- asks ------------------------------------------------------------------------------------
    asks: dict[str, list[Evidence]] = {}
    for h in by_role.get("ask", ()):
        asks.setdefault(h.tag, []).append(_ev(h))
    ordered_asks = tuple(a for a in ASKS if a in asks)

    objects = tuple(dict.fromkeys(h.tag for h in sorted(by_role.get("object", ()), key=lambda h: -h.strength)))
    info = tuple(_ev(h) for h in by_role.get("info", ()))
    rude = is_rude(hits)
    return Understanding(
        situation=situation,
        situation_evidence=tuple(evidence.get(situation, ())),
        severity=severity,
        severity_evidence=tuple(severity_evidence),
        serious_kind=serious_kind if severity == 3 else None,
        asks=ordered_asks,
        ask_evidence=tuple((a, tuple(asks[a])) for a in ordered_asks),
        objects=objects,
        language=language,
        language_covered=language_covered,
        rude=rude,
        info_given=info,
    )




# Which cue categories point where when the message names no object or service: unanswered contact and
# anger at people point to service conduct, a thing that does not work to a product fault.
_CONDUCT_CUES = frozenset({"repeat_contact"})
_FAULT_CUES = frozenset({"problem", "struggle", "confusion"})


def _situation_from_cues(cues, *, apology: bool):
    if apology:
        conduct = [c for c in cues if c.category in _CONDUCT_CUES and c.weight >= 1.0]
        if conduct:
            return "service_conduct", conduct
        fault = [c for c in cues if c.category in _FAULT_CUES and c.weight >= 1.0]
        if fault:
            return "product_fault", fault
        return "other", []
    warm = [c for c in cues if c.category == "positive_tone"]
    if warm:
        return "praise", warm
    return "other", []


def _pick_situation(scores: dict[str, float], *, apology: bool, text: str) -> str:
    if apology:
        candidates = {s: v for s, v in scores.items() if s != "praise"}
        if candidates:
            top = max(candidates.values())
            # Among near-equals, the one the reply must deal with first.
            for s in _PROBLEM_SITUATIONS:
                if candidates.get(s, 0.0) >= top - 0.25 and candidates.get(s, 0.0) > 0:
                    return s
        return "other"
    quiet = {s: v for s, v in scores.items() if s in _QUIET_SITUATIONS}
    if quiet:
        top = max(quiet.values())
        for s in ("how_to", "change_or_cancel", "information", "feedback", "praise"):
            if quiet.get(s, 0.0) >= top - 0.25 and quiet.get(s, 0.0) > 0:
                return s
    if "?" in text:
        return "information"
    # No trouble was found, yet the message is plainly about something: say what.
    named = {s: v for s, v in scores.items() if s not in _QUIET_SITUATIONS}
    if named and max(named.values()) >= 1.5:
        top = max(named.values())
        return next(s for s in _PROBLEM_SITUATIONS if named.get(s, 0.0) >= top - 0.25 and named.get(s, 0.0) > 0)
    return "other"


def _ev(m) -> Evidence:
    return Evidence(m.matched, m.start, m.end, m.source, m.cue_id)
