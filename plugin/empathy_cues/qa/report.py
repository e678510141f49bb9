"""The QA report, per agent and for the team: replies scored, average score, the rate of each criterion
(over the replies it applied to), the flags, a weekly trend, and the flagged tickets whose first agent
reply came within the target.

``build_report(records, since=..., until=..., agent=None)`` is pure over plain ``QaRecord``s; the
renderers (``render.py``: table, CSV, JSON, HTML with ``svg.py``'s charts) only draw what it built,
so the admin page reuses both.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .score import CRITERIA
from .scores import QaRecord

WEEK = 7 * 86400
_MONDAY = 4 * 86400            # 1970-01-05, the first Monday after the epoch: weeks start on Mondays (UTC)


def week_start(at: float) -> int:
    return int((at - _MONDAY) // WEEK * WEEK + _MONDAY)


@dataclass(frozen=True)
class Week:
    start: int                     # epoch seconds, a Monday 00:00 UTC
    replies: int
    average: float


@dataclass(frozen=True)
class Summary:
    """One agent, or the team (agent_id "team")."""

    agent_id: str
    replies: int
    average: float
    rates: dict[str, float | None]          # criterion -> share of the replies it applied to that met it
    apology_missing: int
    asks_unanswered: int
    process_first: int
    flagged_tickets: int                     # flagged tickets this agent replied to first
    within_target: int                       # ... within the first-reply target
    weekly: tuple[Week, ...] = field(default=())

    def to_dict(self) -> dict:
        data = {k: getattr(self, k) for k in ("agent_id", "replies", "average", "rates", "apology_missing",
                                              "asks_unanswered", "process_first", "flagged_tickets", "within_target")}
        data["weekly"] = [{"week": w.start, "replies": w.replies, "average": w.average} for w in self.weekly]
        return data


@dataclass(frozen=True)
class QaReport:
    since: float
    until: float
    team: Summary
    agents: tuple[Summary, ...]

    def to_dict(self) -> dict:
        return {"since": self.since, "until": self.until, "team": self.team.to_dict(),
                "agents": [a.to_dict() for a in self.agents]}


class _Tally:
    __slots__ = ("replies", "points", "met", "applied", "apology_missing", "asks", "process_first", "weeks",
                 "flagged", "within")

    def __init__(self) -> None:
        self.replies = self.points = self.apology_missing = self.asks = self.process_first = 0
        self.flagged = self.within = 0
        self.met = dict.fromkeys(CRITERIA, 0)
        self.applied = dict.fromkeys(CRITERIA, 0)
        self.weeks: dict[int, list[int]] = {}

    def add(self, r: QaRecord) -> None:
        self.replies += 1
        self.points += r.score
        for name, value in r.criteria.items():
            if value is not None and name in self.applied:
                self.applied[name] += 1
                self.met[name] += bool(value)
        self.apology_missing += r.apology_missing
        self.asks += bool(r.asks_unanswered)
        self.process_first += r.process_first
        week = self.weeks.setdefault(week_start(r.at), [0, 0])
        week[0] += 1
        week[1] += r.score

    def summary(self, agent_id: str) -> Summary:
        return Summary(
            agent_id=agent_id, replies=self.replies,
            average=round(self.points / self.replies, 1) if self.replies else 0.0,
            rates={c: (round(self.met[c] / self.applied[c], 3) if self.applied[c] else None) for c in CRITERIA},
            apology_missing=self.apology_missing, asks_unanswered=self.asks, process_first=self.process_first,
            flagged_tickets=self.flagged, within_target=self.within,
            weekly=tuple(Week(start, n, round(points / n, 1)) for start, (n, points) in sorted(self.weeks.items())))


def _first_replies(records: list[QaRecord]) -> dict[tuple[str, str, str], QaRecord]:
    """The first agent reply to each flagged ticket."""
    first: dict[tuple[str, str, str], QaRecord] = {}
    for r in records:
        if not r.flagged:
            continue
        ticket = (r.helpdesk, r.account, r.ticket_id)
        if ticket not in first or r.at < first[ticket].at:
            first[ticket] = r
    return first


def build_report(records: list[QaRecord], *, since: float, until: float, agent: str | None = None) -> QaReport:
    """The report over the records with ``since <= at < until`` (of one agent when ``agent`` is given)."""
    chosen = [r for r in records if since <= r.at < until and (agent is None or r.agent_id == agent)]
    team = _Tally()
    per_agent: dict[str, _Tally] = {}
    for r in chosen:
        team.add(r)
        per_agent.setdefault(r.agent_id, _Tally()).add(r)
    for r in _first_replies(chosen).values():
        on_time = r.minutes_since_flag is not None and r.target_minutes > 0 and r.minutes_since_flag <= r.target_minutes
        for tally in (team, per_agent[r.agent_id]):
            tally.flagged += 1
            tally.within += on_time
    agents = tuple(per_agent[a].summary(a) for a in sorted(per_agent, key=_agent_order))
    return QaReport(since=since, until=until, team=team.summary("team"), agents=agents)


def _agent_order(agent_id: str):
    return (0, int(agent_id), "") if agent_id.isdigit() else (1, 0, agent_id)
