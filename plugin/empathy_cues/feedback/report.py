"""The feedback report: helpful rate per cue, per situation and per reply part, with counts, and the cues
that enough agents found unhelpful (candidates to disable for an account, see overrides.py).

``build_feedback_report`` is pure over plain Vote records; ``render_feedback`` prints it as a table,
CSV or JSON.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from .votes import HELPFUL, Vote


@dataclass(frozen=True)
class Rate:
    name: str
    helpful: int
    unhelpful: int

    @property
    def votes(self) -> int:
        return self.helpful + self.unhelpful

    @property
    def rate(self) -> float:
        return self.helpful / self.votes if self.votes else 0.0

    def to_dict(self) -> dict:
        return {**asdict(self), "votes": self.votes, "helpful_rate": round(self.rate, 3)}


@dataclass(frozen=True)
class FeedbackReport:
    votes: int
    helpful: int
    by_cue: tuple[Rate, ...]
    by_situation: tuple[Rate, ...]
    by_part: tuple[Rate, ...]
    candidates: tuple[Rate, ...]           # cues to consider disabling
    without_decision: int                  # votes on tickets with no logged decision

    def to_dict(self) -> dict:
        return {"votes": self.votes, "helpful": self.helpful, "without_decision": self.without_decision,
                **{name: [r.to_dict() for r in getattr(self, name)]
                   for name in ("by_cue", "by_situation", "by_part", "candidates")}}


def _rates(counts: dict[str, list[int]]) -> tuple[Rate, ...]:
    rates = [Rate(name, h, u) for name, (h, u) in counts.items()]
    return tuple(sorted(rates, key=lambda r: (r.rate, -r.votes, r.name)))


def _count(counts: dict[str, list[int]], names, helpful: bool) -> None:
    for name in dict.fromkeys(names):
        pair = counts.setdefault(name, [0, 0])
        pair[0 if helpful else 1] += 1


def build_feedback_report(votes: list[Vote], *, min_votes: int = 5, max_rate: float = 0.5) -> FeedbackReport:
    """Rates, worst first. A cue is a candidate to disable with at least ``min_votes`` "not helpful"
    votes and a helpful rate at or below ``max_rate``."""
    cues: dict[str, list[int]] = {}
    situations: dict[str, list[int]] = {}
    parts: dict[str, list[int]] = {}
    helpful_total = without = 0
    for v in votes:
        helpful = v.vote == HELPFUL
        helpful_total += helpful
        if not v.decision_key:
            without += 1
            continue
        _count(cues, v.cue_ids, helpful)
        _count(situations, [v.situation or "other"], helpful)
        _count(parts, v.reply_parts, helpful)
    by_cue = _rates(cues)
    candidates = tuple(r for r in by_cue if r.unhelpful >= min_votes and r.rate <= max_rate)
    return FeedbackReport(len(votes), helpful_total, by_cue, _rates(situations), _rates(parts), candidates, without)


def render_feedback(report: FeedbackReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2)
    if fmt == "csv":
        return _csv(report)
    return _table(report)


def _csv(report: FeedbackReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "name", "helpful", "unhelpful", "votes", "helpful_rate", "candidate"])
    names = {r.name for r in report.candidates}
    for group in ("by_cue", "by_situation", "by_part"):
        for r in getattr(report, group):
            writer.writerow([group.removeprefix("by_"), r.name, r.helpful, r.unhelpful, r.votes, f"{r.rate:.3f}",
                             "yes" if group == "by_cue" and r.name in names else ""])
    return out.getvalue()


def _table(report: FeedbackReport) -> str:
    rate = f"{report.helpful / report.votes:.0%}" if report.votes else "-"
    lines = [f"Votes: {report.votes}   helpful: {report.helpful} ({rate})"
             + (f"   on tickets with no logged decision: {report.without_decision}" if report.without_decision else "")]
    for title, group in (("Per cue", report.by_cue), ("Per situation", report.by_situation),
                         ("Per reply part", report.by_part)):
        lines += ["", f"{title}:"]
        if not group:
            lines.append("  (no votes)")
        width = max((len(r.name) for r in group), default=0)
        lines += [f"  {r.name:<{width}}  {r.rate:>4.0%} helpful  ({r.helpful} of {r.votes})" for r in group]
    lines += ["", "Candidates to disable for an account (cue overrides):"]
    lines += [f"  {r.name}  {r.unhelpful} not helpful, {r.rate:.0%} helpful" for r in report.candidates] or ["  (none)"]
    return "\n".join(lines)
