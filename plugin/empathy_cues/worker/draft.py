"""One customer message -> the analysis, the note and the write plan (``draft_for``; ``plan_for`` when only
the plan is wanted). No I/O but what the event's completion and the requester-history lookup do."""
from __future__ import annotations

import dataclasses
import logging
from typing import Any

from ..core.event import AuthorRole, TicketEvent
from .runtime import Runtime

log = logging.getLogger("empathy_cues.worker")


def complete_event(runtime: Runtime, event: TicketEvent) -> TicketEvent:
    """Fill in the comment from the API when the webhook carried only ids (see normalize.py).

    The clients answer ``ticket_comment`` in one shape (``helpdesks.spec.Helpdesk.client``); ``incoming``
    is Freshdesk's word for who wrote it, which its webhooks do not say."""
    if event.comment_text:
        return event
    data = runtime.client(event.helpdesk).ticket_comment(event.ticket_id, event.comment_id) or {}
    html = data.get("html_body") or ""
    text = data.get("body") or ""
    public = data.get("public")
    role = event.author_role
    if isinstance(data.get("incoming"), bool):
        role = AuthorRole.END_USER if data["incoming"] else AuthorRole.AGENT
    author = data.get("author_id")
    return dataclasses.replace(
        event,
        comment_text=text or html,
        comment_is_html=bool(html) and not text,
        comment_id=event.comment_id or (str(data["id"]) if data.get("id") is not None else None),
        author_id=str(author) if author is not None else event.author_id,
        author_role=role,
        comment_public=event.comment_public if public is None else bool(public),
    )


def plan_for(runtime: Runtime, event: TicketEvent, history=None):
    """Analysis and note for one customer message -> WritePlan or None. No I/O but what ``history``
    (a ``history_lookup.HistoryLookup``: the worker passes its own) does: one read of the requester's
    recent tickets, once the message owes something. Without it (replay, checks) nothing is read."""
    return draft_for(runtime, event, history=history).plan


@dataclasses.dataclass(frozen=True)
class Draft:
    """What the worker made of one customer message: the analysis, the note and the plan (None: nothing
    owed). The decision log (records/decisions.py) is written from it."""

    analysis: Any
    note: Any
    plan: Any


def draft_for(runtime: Runtime, event: TicketEvent, history=None) -> Draft:
    """plan_for, keeping the analysis and note it was built from."""
    from .. import analyze
    from ..bounds import MAX_SUBJECT_CHARS, capped, cut_notice, over_budget_note, within_budget
    from ..core.write_plan import build_plan

    # Any customer can send a megabyte: the worker reads a bounded part of it (bounds.py).
    text, html, cut = capped(event.comment_text, html=event.comment_is_html or None)
    analysis = analyze(text, subject=event.subject[:MAX_SUBJECT_CHARS], channel=event.channel.value,
                       html=html, policy=runtime.policy,
                       pack=runtime.journal.overrides.pack_for(event.account))   # per-account cue overrides
    from ..metrics import CUES_MATCHED

    for cue in analysis.cues:
        CUES_MATCHED.labels(cue.category).inc()
    if history is not None:
        from .history_lookup import with_requester_history

        analysis = with_requester_history(history, event, analysis, runtime.policy)
    note = within_budget(lambda: runtime.compose(analysis, ticket_id=event.ticket_id,
                                                 customer_name=event.requester_name))
    if note is None:
        log.warning("composing ran out of time; note without a suggested reply",
                    extra={"helpdesk": event.helpdesk, "ticket_id": event.ticket_id})
        note = over_budget_note(analysis)
    if cut:
        note = cut_notice(note)
    return Draft(analysis, note, build_plan(event, analysis, note))
