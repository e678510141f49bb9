"""Repeat contact read from the customer's history: pure functions over plain records.

A customer who writes "my order never came" for the third time in a week rarely says "third time". The
worker (``worker/history_lookup.py``, the I/O edge) asks the helpdesk for the requester's recent tickets once
an event already owes an apology or a priority, and hands them here as :class:`EarlierTicket` records:

* :func:`find_repeat` keeps the earlier tickets inside the window that are about the same situation as
  this message (the project's own understanding run on their subject and first message), or, when
  either side's situation is unknown (``other``), whose subject reads alike (rapidfuzz). Enough of
  them -> a :class:`RepeatContact`.
* :func:`with_history` adds what that means to the analysis: priority, the repeat-contact tag, a reason
  naming the earlier tickets by id and date (never their text), and ``repeat_history`` for the reply.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from rapidfuzz import fuzz, utils

from .decision import Analysis, Policy

REPEAT_CATEGORY = "repeat_contact"
UNKNOWN_SITUATION = "other"


@dataclass(frozen=True)
class HistorySettings:
    """The ``[history]`` section of the settings file (``manifests/defaults.toml``)."""

    enabled: bool = True
    window_days: int = 14          # earlier tickets created this many days back count
    min_earlier: int = 2           # this many earlier tickets about the same thing make a repeat contact
    cache_seconds: int = 300       # a requester's history is asked once in this long
    subject_similarity: int = 85   # rapidfuzz token_set_ratio of two subjects that read alike (0-100)


@dataclass(frozen=True)
class EarlierTicket:
    """One of the requester's tickets as the helpdesk listed it. ``text`` is read, never shown or logged."""

    ticket_id: str
    created_at: datetime
    subject: str = ""
    text: str = ""


@dataclass(frozen=True)
class RepeatContact:
    """Earlier tickets about the same situation, oldest first: (ticket id, creation date YYYY-MM-DD)."""

    earlier: tuple[tuple[str, str], ...]
    window_days: int


def parse_time(value: object) -> datetime | None:
    """An ISO-8601 timestamp as both helpdesks send it ("2024-04-17T17:18:10Z") -> aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def find_repeat(current: Analysis, ticket_id: str, earlier: Iterable[EarlierTicket], *, now: datetime,
                settings: HistorySettings, situation_of: Callable[[EarlierTicket], str]) -> RepeatContact | None:
    """The earlier tickets that make this message a repeat contact, or None.

    ``situation_of(ticket)`` is the understanding's situation of an earlier ticket (the worker passes the
    analyser, remembered per ticket); ``now`` is when the message is handled. The current ticket is never its own
    history, and tickets created after ``now`` (clock skew) are left out.
    """
    since = now - timedelta(days=settings.window_days)
    same: list[EarlierTicket] = []
    for ticket in earlier:
        if ticket.ticket_id == str(ticket_id) or not since <= ticket.created_at <= now:
            continue
        if _same_matter(current, ticket, situation_of, settings.subject_similarity):
            same.append(ticket)
    if len(same) < settings.min_earlier:
        return None
    same.sort(key=lambda t: (t.created_at, t.ticket_id))
    return RepeatContact(tuple((t.ticket_id, t.created_at.date().isoformat()) for t in same), settings.window_days)


def _same_matter(current: Analysis, ticket: EarlierTicket, situation_of, similarity: int) -> bool:
    theirs = situation_of(ticket)
    if current.situation != UNKNOWN_SITUATION and theirs != UNKNOWN_SITUATION:
        return theirs == current.situation
    # The understanding could not name one side's situation: fall back on subjects that read alike.
    if not (current.subject.strip() and ticket.subject.strip()):
        return False
    score = fuzz.token_set_ratio(current.subject, ticket.subject, processor=utils.default_process)
    return score >= similarity


def earlier_tickets_text(earlier: tuple[tuple[str, str], ...]) -> str:
    """"earlier tickets about the same matter: #101 (2024-04-10), #102 (2024-04-12)": ids and dates only,
    never the tickets' words (the note and the logs must not carry another ticket's text)."""
    listed = ", ".join(f"#{ticket_id} ({day})" for ticket_id, day in earlier)
    return f"{len(earlier)} earlier tickets about the same matter: {listed}"


def describe(repeat: RepeatContact) -> str:
    """The reason in the analysis: the earlier tickets and the window they fell in."""
    return f"repeat contact: {earlier_tickets_text(repeat.earlier)} (within {repeat.window_days} days)"


def with_history(analysis: Analysis, repeat: RepeatContact | None, policy: Policy) -> Analysis:
    """The analysis with what a repeat contact owes: priority (and so an apology), the repeat-contact
    tag, the reason, and ``repeat_history`` for the reply's ownership line. Unchanged without one."""
    if repeat is None:
        return analysis
    tags = list(analysis.tags)
    extra = [policy.tag_apology, policy.tag_priority, policy.tag_cue.format(category=REPEAT_CATEGORY)]
    for tag in extra:
        if tag not in tags:
            # Keep the analyser's order: apology, priority, the cue tags..., then the rest.
            position = 1 if tag == policy.tag_priority and policy.tag_apology in tags else len(tags)
            tags.insert(position, tag)
    reason = "priority: " + describe(repeat)
    return dataclasses.replace(
        analysis,
        apology=True,
        priority=True,
        tags=tuple(tags),
        reasons=tuple(dict.fromkeys((*analysis.reasons[:-1], reason, *analysis.reasons[-1:]))),
        categories=analysis.categories | {REPEAT_CATEGORY},
        repeat_history=repeat.earlier,
    )
