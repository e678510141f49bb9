"""What matching finds: the cues in a message and the ones a negator or a resolution undid. Plain
values, shared by the matcher, the decision and the reply."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .cues import Cue


class CueMatch(NamedTuple):
    """One cue found in a message. A named tuple: immutable, and cheap to make on the hot path."""

    cue_id: str
    category: str
    matched: str      # text[start:end]: the customer's own words
    score: float      # 0..100, rapidfuzz ratio of the matched words against the phrase
    start: int
    end: int
    apology: bool
    priority: bool
    source: str = "body"   # "body": spans index Analysis.text; "subject": they index Analysis.subject
    weight: float = 1.0    # the cue's evidence (pack data): 1.0 alone owes an apology, 0.5 needs another
    priority_weight: float = 1.0  # its evidence toward a priority follow-up

    def to_dict(self) -> dict:
        return {"cue_id": self.cue_id, "category": self.category, "matched": self.matched,
                "score": round(self.score, 1), "start": self.start, "end": self.end, "source": self.source}


@dataclass(frozen=True)
class NegatedMatch:
    cue_id: str
    matched: str
    negator: str     # the word that undid it ("not", "never", "solved")
    start: int
    end: int


@dataclass(frozen=True)
class MatchResult:
    cues: tuple[CueMatch, ...]
    negated: tuple[NegatedMatch, ...]


def cue_match(cue: Cue, text: str, start: int, end: int, score: float) -> CueMatch:
    """The match of ``cue`` over ``text[start:end]``, carrying the cue's pack data."""
    return CueMatch(cue.id, cue.category, text[start:end], score, start, end, cue.apology, cue.priority,
                    weight=cue.weight, priority_weight=cue.priority_weight)
