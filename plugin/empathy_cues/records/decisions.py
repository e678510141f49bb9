"""The decision log: what the worker decided for each event, and what became of it.

One record per event (its dedupe key), rewritten as its status moves on: ``retrying`` ->
``applied`` or ``dead_letter``; ``nothing_owed`` when no note was owed; ``dry_run`` when the worker
wrote nothing by configuration; ``duplicate`` when the same customer words on the ticket had reached it
through another webhook and were handled under that event's key (core/same_words.py). It names the cues, the understanding (situation, severity, asks),
the tags written, the reply's phrasings (template variant keys, ``reply.compose.Note.parts``) and the
pack version, so feedback and QA can be read against it. It holds no words of the customer or of the
note: ``objects`` are the pack's normal forms of the things named ("refund", "flight"), not quotes.

``decision_from`` is pure; the read API (``recent_decisions``, ``decision_for_ticket``,
``cue_matches``) works on any ``records.store.Records``.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

APPLIED = "applied"
RETRYING = "retrying"
DEAD_LETTER = "dead_letter"
NOTHING_OWED = "nothing_owed"
DRY_RUN = "dry_run"
DUPLICATE = "duplicate"          # the same words on the ticket were handled under another event's key
STATUSES = (APPLIED, RETRYING, DEAD_LETTER, NOTHING_OWED, DRY_RUN, DUPLICATE)

KIND = "decision"


@dataclass(frozen=True)
class Decision:
    key: str                      # the event's dedupe key (helpdesk:account:ticket:comment)
    helpdesk: str
    account: str
    ticket_id: str
    delivery_id: str
    at: float                     # when this status was recorded (epoch seconds)
    channel: str
    apology: bool
    priority: bool
    status: str
    cue_ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    situation: str = "other"
    severity: int = 0
    asks: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()          # normal forms from the pack, for QA's restatement check
    tags: tuple[str, ...] = ()             # tags this event added to the ticket
    reply_parts: tuple[str, ...] = ()      # template variant keys of the suggested reply, in order
    answered: tuple[str, ...] = ()         # the asks the suggested reply answers
    respond_within_minutes: int = 0
    tone: str = ""                         # the customer's register the reply was written in (casual/neutral/formal)
    pack_version: str = ""
    first_at: float = field(default=0.0)   # when the event was first decided on

    def to_record(self) -> dict:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> "Decision":
        names = cls.__dataclass_fields__
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in record.items() if k in names}
        return cls(**values)


def decision_from(event, analysis, note, plan, status: str, *, pack_version: str, now: float,
                  key: str | None = None) -> Decision:
    """The log line for one event. Pure: ``event`` a TicketEvent, ``analysis`` an Analysis (or None when
    the event failed before it was analysed), ``note`` the composed Note (or None), ``plan`` the
    WritePlan (or None: nothing owed). ``key``: the event's key as queued (default its dedupe key)."""
    if status not in STATUSES:
        raise ValueError(f"unknown decision status {status!r}")
    base = dict(key=key or event.dedupe_key, helpdesk=event.helpdesk, account=event.account,
                ticket_id=event.ticket_id, delivery_id=event.delivery_id, at=now, first_at=now,
                channel=event.channel.value, status=status, pack_version=pack_version)
    if analysis is None:
        return Decision(apology=False, priority=False, **base)
    u = analysis.understanding
    return Decision(
        apology=bool(analysis.apology), priority=bool(analysis.priority),
        cue_ids=tuple(dict.fromkeys(c.cue_id for c in analysis.cues)),
        categories=tuple(sorted(analysis.categories)),
        situation=u.situation, severity=int(u.severity), asks=tuple(u.asks),
        objects=tuple(dict.fromkeys(o.split(" ")[0].lower() for o in u.objects if o)),
        tags=tuple(plan.add_tags) if plan is not None else (),
        reply_parts=tuple(getattr(note, "parts", ())),      # an injected composer may not say
        answered=tuple(getattr(note, "answered", ())),
        tone=str(getattr(note, "tone", "") or ""),
        respond_within_minutes=int(analysis.respond_within_minutes),
        **base)


def record_decision(records, decision: Decision) -> None:
    """Write ``decision``, keeping the time the event was first decided on."""
    earlier = records.get(KIND, decision.key)
    record = decision.to_record()
    if earlier and earlier.get("first_at"):
        record["first_at"] = earlier["first_at"]
    records.put(KIND, record)


def recent_decisions(records, limit: int = 50) -> list[Decision]:
    """The newest decisions first."""
    return [Decision.from_record(r) for r in records.newest(KIND, limit)]


def decision_for_ticket(records, helpdesk: str, ticket_id: str, account: str | None = None) -> Decision | None:
    """The latest decision that owed something on a ticket (else the latest of any kind), or None."""
    found = [Decision.from_record(r) for r in records.for_ticket(KIND, helpdesk, str(ticket_id))]
    if account is not None:
        found = [d for d in found if d.account == account]
    owed = [d for d in found if d.apology or d.priority]
    pool = owed or found
    return max(pool, key=lambda d: d.first_at or d.at) if pool else None


def cue_matches(records, *, since: float, until: float | None = None, bucket_seconds: int = 86400
                ) -> dict[str, dict[int, int]]:
    """Matches per cue per time bucket: ``{cue_id: {bucket_start: count}}``, bucket starts in epoch
    seconds (whole days by default)."""
    out: dict[str, dict[int, int]] = {}
    for record in records.since(KIND, since, until):
        bucket = int(record.get("first_at") or record["at"]) // bucket_seconds * bucket_seconds
        for cue_id in record.get("cue_ids") or ():
            per = out.setdefault(cue_id, {})
            per[bucket] = per.get(bucket, 0) + 1
    return out


def purge_old(records, days: float, *, now: float | None = None) -> int:
    """Retention: drop every record (decisions, votes, QA scores) older than ``days``."""
    return records.purge((now if now is not None else time.time()) - days * 86400)
