"""The Cues page as plain data: matches per cue per week (the decision log), the agents' helpful rate
(feedback votes) and the cues turned off per account (the overrides file). Pure: the records are read
by the view and handed in."""
from __future__ import annotations

import time
from dataclasses import dataclass

WEEK = 7 * 86400
WEEKS = 6                                  # the page's period: the last six weeks, week by week


@dataclass(frozen=True)
class CueRow:
    cue_id: str
    category: str
    weekly: tuple[int, ...]                # matches per week, oldest first (one per ``week_starts``)
    total: int
    helpful: int = 0                       # feedback votes on notes whose decision named this cue
    unhelpful: int = 0
    candidate: bool = False                # enough "not helpful" votes to consider turning it off
    disabled_for: tuple[str, ...] = ()     # accounts where the overrides file turns it off

    @property
    def votes(self) -> int:
        return self.helpful + self.unhelpful

    @property
    def helpful_rate(self) -> float | None:
        return self.helpful / self.votes if self.votes else None


@dataclass(frozen=True)
class CuesView:
    week_starts: tuple[float, ...]
    rows: tuple[CueRow, ...]
    votes: int
    helpful: int

    @property
    def weekly_totals(self) -> tuple[int, ...]:
        """Cue matches of all cues together, week by week."""
        return tuple(sum(r.weekly[i] for r in self.rows) for i in range(len(self.week_starts)))


def period(now: float, weeks: int = WEEKS) -> tuple[float, tuple[float, ...]]:
    """(since, the start of each week): whole weeks as ``records.decisions.cue_matches`` buckets them."""
    current = int(now) // WEEK * WEEK
    starts = tuple(float(current - WEEK * n) for n in range(weeks - 1, -1, -1))
    return starts[0], starts


def cues_view(matches: dict[str, dict[int, int]], week_starts: tuple[float, ...], *, feedback=None,
              disabled: dict[str, frozenset[str]] | None = None) -> CuesView:
    """``matches``: ``cue_matches(records, since=..., bucket_seconds=WEEK)``; ``feedback`` a
    ``feedback.report.FeedbackReport`` (or None); ``disabled``: account -> cue ids turned off."""
    rates = {r.name: r for r in getattr(feedback, "by_cue", ())}
    candidates = {r.name for r in getattr(feedback, "candidates", ())}
    off: dict[str, list[str]] = {}
    for account, cue_ids in sorted((disabled or {}).items()):
        for cue_id in cue_ids:
            off.setdefault(cue_id, []).append(account)
    rows = []
    for cue_id in set(matches) | set(rates) | set(off):
        per = matches.get(cue_id, {})
        weekly = tuple(per.get(int(start), 0) for start in week_starts)
        rate = rates.get(cue_id)
        rows.append(CueRow(cue_id, cue_id.split(".")[0], weekly, sum(weekly),
                           rate.helpful if rate else 0, rate.unhelpful if rate else 0,
                           cue_id in candidates, tuple(off.get(cue_id, ()))))
    rows.sort(key=lambda r: (-r.total, -r.votes, r.cue_id))
    return CuesView(week_starts, tuple(rows), getattr(feedback, "votes", 0), getattr(feedback, "helpful", 0))


def week_label(start: float) -> str:
    return time.strftime("%d %b", time.gmtime(start))
