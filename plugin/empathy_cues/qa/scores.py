"""QA records: one per scored agent reply - ticket, agent, time, channel, each criterion, the flags and the
score. Never the reply's or the customer's words. ``context_for`` and ``qa_record_from`` are pure;
``record_qa`` and ``qa_since`` read and write any ``records.store.Records``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .pack import QaPack
from .score import CRITERIA, Context, Scorecard, content_words

KIND = "qa"


# Not frozen: a report reads a month of these at once, and a frozen dataclass sets each field through
# object.__setattr__, which made building them cost more than reading them. Treat them as values.
@dataclass(slots=True)
class QaRecord:
    key: str                         # the reply's event key (helpdesk:account:ticket:comment)
    at: float                        # when the reply was scored (epoch seconds)
    helpdesk: str
    account: str
    ticket_id: str
    agent_id: str
    channel: str
    criteria: dict                   # criterion -> True / False / None (does not apply)
    score: int
    apology_missing: bool = False
    asks_unanswered: tuple[str, ...] = ()
    process_first: bool = False
    flagged: bool = False            # the plugin had found an apology or a priority follow-up owed
    severity: int = 0
    minutes_since_flag: float | None = None   # from the plugin's decision to this reply (flagged tickets)
    target_minutes: int = 0                   # the first-reply target that decision set

    def to_record(self) -> dict:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> "QaRecord":
        # Reports read a month of these at once: only the one list field is converted.
        values = {k: v for k, v in record.items() if k in _FIELDS}
        values["asks_unanswered"] = tuple(values.get("asks_unanswered") or ())
        return cls(**values)


_FIELDS = frozenset(QaRecord.__dataclass_fields__)


def context_for(decision, subject: str, pack: QaPack) -> Context:
    """What the reply is judged against: the plugin's decision on the ticket (None: none logged) and the
    content words of the ticket's subject (kept in memory for this reply only)."""
    words = content_words(subject or "", pack)
    if decision is None:
        return Context(customer_words=words)
    return Context(apology_owed=decision.apology, severity=decision.severity, situation=decision.situation,
                   asks=decision.asks, objects=decision.objects, customer_words=words, tone=decision.tone)


def qa_record_from(event, card: Scorecard, decision, *, now: float, target_minutes: int = 0) -> QaRecord:
    """The stored form of one reply's scorecard. ``target_minutes`` 0: the decision's own target."""
    flagged = bool(decision is not None and (decision.apology or decision.priority))
    since = round((now - (decision.first_at or decision.at)) / 60, 1) if flagged else None
    target = target_minutes or (decision.respond_within_minutes if decision is not None else 0)
    return QaRecord(key=event.dedupe_key, at=now, helpdesk=event.helpdesk, account=event.account,
                    ticket_id=event.ticket_id, agent_id=event.author_id or "", channel=event.channel.value,
                    criteria={c: card.criteria.get(c) for c in CRITERIA}, score=card.score,
                    apology_missing=card.apology_missing, asks_unanswered=card.asks_unanswered,
                    process_first=card.process_first, flagged=flagged,
                    severity=decision.severity if decision is not None else 0,
                    minutes_since_flag=since, target_minutes=int(target or 0))


def record_qa(records, record: QaRecord) -> bool:
    """Store one reply's record; a redelivered reply keeps its first score. True when new."""
    return records.put(KIND, record.to_record(), replace=False)


def qa_since(records, since: float, until: float | None = None) -> list[QaRecord]:
    return [QaRecord.from_record(r) for r in records.since(KIND, since, until)]
