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


def vote_from(ticket: tuple[str, str, str], agent_id: str, vote: str, decision, *, now: float) -> Vote:
    """The record of one vote on ``ticket`` = (helpdesk, account, ticket id). Pure: ``decision`` is the
    ticket's logged Decision or None."""
    helpdesk, account, ticket_id = ticket
    base = dict(key=f"{helpdesk}:{account}:{ticket_id}:{vote}", at=now, helpdesk=helpdesk, account=account,
                ticket_id=ticket_id, agent_id=agent_id or "", vote=vote)
    if decision is None:
        return Vote(**base)
    return Vote(decision_key=decision.key, cue_ids=decision.cue_ids, situation=decision.situation,
                severity=decision.severity, reply_parts=decision.reply_parts, pack_version=decision.pack_version,
                **base)


def cast_vote(records, helpdesk: str, account: str, ticket_id: str, vote: str, *, agent_id: str = "",
              now: float) -> Vote | None:
    """Record one vote on a ticket against its logged decision, unless that ticket already has this vote.
    The new Vote, or None when it was already recorded. (The macros' path, and an admin page's.)"""
    if vote not in (HELPFUL, UNHELPFUL):
        raise ValueError(f"a vote is {HELPFUL!r} or {UNHELPFUL!r}, not {vote!r}")
    if records.get(KIND, f"{helpdesk}:{account}:{ticket_id}:{vote}") is not None:
        return None
    decision = decision_for_ticket(records, helpdesk, ticket_id, account=account)
    record = vote_from((helpdesk, account, str(ticket_id)), agent_id, vote, decision, now=now)
    return record if records.put(KIND, record.to_record(), replace=False) else None


def record_votes(records, event, *, helpful_tag: str, unhelpful_tag: str, now: float) -> list[Vote]:
    """Record the votes ``event``'s tags carry that were not recorded yet; returns the new ones."""
    new = []
    for vote in votes_on(event.tags, helpful_tag=helpful_tag, unhelpful_tag=unhelpful_tag):
        cast = cast_vote(records, event.helpdesk, event.account, event.ticket_id, vote,
                         agent_id=event.author_id or "", now=now)
        if cast is not None:
            new.append(cast)
    return new


def votes_since(records, since: float, until: float | None = None) -> list[Vote]:
    return [Vote.from_record(r) for r in records.since(KIND, since, until)]
