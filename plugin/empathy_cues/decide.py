"""From cue matches and a channel to a decision: apology, priority, response target, tags, reasons."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .matcher import CueMatch, MatchResult
from .understand import Understanding

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
        known = {"apology", "priority", "polite", "cue", "respond"}
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
    plain_apology_at: float = 0.5


def decide(result: MatchResult, *, text: str, subject: str, channel: str, policy: Policy,
           thresholds: Thresholds = Thresholds(),
           intensity_categories: frozenset[str] = frozenset({"intensity"})) -> Analysis:
    cues = result.cues
    owing = [c for c in cues if c.apology]
    strong = [c for c in cues if c.priority]
    # Each cue carries evidence (its pack weight): a clear cue alone (1.0) owes an apology; an
    # ambiguous one ("still", "late", "gate") needs a second before it counts.
    apology_evidence = evidence(owing)
    polite = any(c.category == "positive_tone" for c in cues)
    # A clear cue owes an apology whatever the tone. An ambiguous one ("still", "late") owes it when
    # nothing friendly in the message says all is well; politeness never cancels a clear cue.
    apology = apology_evidence >= thresholds.apology_at or (
        not polite and apology_evidence >= thresholds.plain_apology_at)
    # Shouting and "!!!" show strength, not a problem: they raise priority only beside a problem.
    intense = [c for c in cues if c.category in intensity_categories]
    strength = evidence(strong, toward_priority=True) + (
        evidence(intense, toward_priority=True) if apology else 0.0)
    # Many signs of trouble at once (a delay, a broken seat, no information) make a serious case even
    # when no single cue is strong.
    distressed = apology_evidence >= thresholds.distress_at
    priority = strength >= thresholds.priority_at or distressed
    if priority:
        apology = True  # a priority follow-up always comes with an apology
    if not apology:
        owing = []
    if not priority:
        strong = []
    categories = frozenset(c.category for c in cues if (c.apology or c.priority))
    minutes = policy.respond_within(channel)

    reasons: list[str] = []
    for c in owing:
        reasons.append(f"apology: {c.category.replace('_', ' ')} cue \"{c.matched}\"")
    for c in strong:
        reasons.append(f"priority: {c.category.replace('_', ' ')} cue \"{c.matched}\"")
    if intense and priority:
        reasons.append(f"priority: strong emphasis \"{intense[0].matched}\"")
    if distressed and not strong:
        reasons.append(f"priority: many signs of trouble together ({len(owing)} cues)")
    if apology and polite:
        reasons.append("politely worded: the tone is friendly, the struggle is real")
    for n in result.negated:
        reasons.append(f"ignored \"{n.matched}\": negated by \"{n.negator}\"")
    if apology or priority:
        reasons.append(f"{channel}: first reply within {_human_minutes(minutes)}")
    else:
        reasons.append("no sign of struggle: no apology or priority follow-up owed")

    tags: list[str] = []
    if apology:
        tags.append(policy.tag_apology)
    if priority:
        tags.append(policy.tag_priority)
    if apology or priority:
        tags += [policy.tag_cue.format(category=c) for c in sorted(categories)]
        if polite:
            tags.append(policy.tag_polite)
        tags.append(policy.respond_tag(minutes))
    return Analysis(
        apology=apology,
        priority=priority,
        tags=tuple(dict.fromkeys(tags)),
        cues=cues,
        respond_within_minutes=minutes,
        reasons=tuple(dict.fromkeys(reasons)),  # the same word twice is one reason
        channel=channel,
        text=text,
        subject=subject,
        polite=polite,
        categories=categories,
    )


def evidence(cues, *, toward_priority: bool = False) -> float:
    """Sum of the weights of distinct cue occurrences: the same word twice counts once."""
    seen: dict[tuple[str, str], float] = {}
    for c in cues:
        seen[(c.cue_id, c.matched.lower())] = c.priority_weight if toward_priority else c.weight
    return sum(seen.values())


def _human_minutes(minutes: int) -> str:
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"
