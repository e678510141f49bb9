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
                 "discrimination", "vulnerable")


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
