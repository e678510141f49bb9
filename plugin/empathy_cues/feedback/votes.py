"""Feedback votes: a macro adds ``empathy_feedback_helpful`` or ``empathy_feedback_unhelpful`` (names in
[workflow_tags]) and the next webhook of that ticket carries the tag. The vote is recorded once per
ticket and vote (the tag stays on the ticket, so every later update carries it again), against the
decision logged for the ticket, with the agent who made that update. Nothing is removed from the ticket.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from ..records.decisions import decision_for_ticket

KIND = "vote"
HELPFUL = "helpful"
UNHELPFUL = "unhelpful"


@dataclass(frozen=True)
class Vote:
    key: str
    at: float
    helpdesk: str
    account: str
    ticket_id: str
    agent_id: str
    vote: str                              # HELPFUL | UNHELPFUL
    decision_key: str = ""                 # "" when no decision was logged for the ticket
    cue_ids: tuple[str, ...] = ()
    situation: str = ""
    severity: int = 0
    reply_parts: tuple[str, ...] = ()
    pack_version: str = ""

    def to_record(self) -> dict:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> "Vote":
        names = cls.__dataclass_fields__
        return cls(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in record.items() if k in names})


def votes_on(tags, *, helpful_tag: str, unhelpful_tag: str) -> tuple[str, ...]:
    """Which votes a ticket's tags carry: (), ("helpful",), ("unhelpful",) or both. Pure."""
    present = set(tags)
    return tuple(v for v, tag in ((HELPFUL, helpful_tag), (UNHELPFUL, unhelpful_tag)) if tag and tag in present)


def vote_from(event, vote: str, decision, *, now: float) -> Vote:
    """The record of one vote. Pure: ``decision`` is the ticket's logged Decision or None."""
    base = dict(key=f"{event.helpdesk}:{event.account}:{event.ticket_id}:{vote}", at=now, helpdesk=event.helpdesk,
                account=event.account, ticket_id=event.ticket_id, agent_id=event.author_id or "", vote=vote)
    if decision is None:
        return Vote(**base)
    return Vote(decision_key=decision.key, cue_ids=decision.cue_ids, situation=decision.situation,
                severity=decision.severity, reply_parts=decision.reply_parts, pack_version=decision.pack_version,
                **base)


def record_votes(records, event, *, helpful_tag: str, unhelpful_tag: str, now: float) -> list[Vote]:
    """Record the votes ``event``'s tags carry that were not recorded yet; returns the new ones."""
    new = []
    for vote in votes_on(event.tags, helpful_tag=helpful_tag, unhelpful_tag=unhelpful_tag):
        key = f"{event.helpdesk}:{event.account}:{event.ticket_id}:{vote}"
        if records.get(KIND, key) is not None:
            continue
        decision = decision_for_ticket(records, event.helpdesk, event.ticket_id, account=event.account)
        record = vote_from(event, vote, decision, now=now)
        if records.put(KIND, record.to_record(), replace=False):
            new.append(record)
    return new


def votes_since(records, since: float, until: float | None = None) -> list[Vote]:
    return [Vote.from_record(r) for r in records.since(KIND, since, until)]
