"""The worker's one extra call: the requester's recent tickets, asked only when a message owes something.

I/O at the edge, so that ``core/history.py`` stays pure: ``earlier_tickets(event)`` returns plain
``EarlierTicket`` records (or None when there is no history to read). At most one API call per event,
through the helpdesk client, so it is charged to the account's shared rate limiter like every other call;
the answer is kept per requester for ``cache_seconds``, so a customer writing three messages in a row
costs one call. The requester is the event's requester id or, for a Freshdesk webhook (whose body has the
requester's e-mail, not the id), that address. Any failure (the helpdesk down, a 429, a permission the API
user lacks) returns None with one log line: the note then goes out without history, never later and never
not at all.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
import time
from datetime import datetime, timedelta, timezone
from typing import Callable

from ..bounds import MAX_SUBJECT_CHARS
from ..core.event import AuthorRole, TicketEvent
from ..helpdesks.registry import REGISTRY
from ..core.history import EarlierTicket, HistorySettings

log = logging.getLogger("empathy_cues.worker")
MAX_CACHED = 1_000           # requesters kept at once; expired entries are dropped first
MAX_SITUATIONS = 50_000      # earlier tickets whose situation is remembered
# An earlier ticket's opening says what it is about; the rest is not kept (the cache holds only this much).
EARLIER_TEXT_CHARS = 2_000


class HistoryLookup:
    def __init__(self, settings: HistorySettings, client_for: Callable[[str], object], *,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.settings = settings
        self._client_for = client_for
        self._clock = clock
        self.now = now
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, str], tuple[float, tuple[EarlierTicket, ...]]] = {}
        # An earlier ticket's situation, read once: a requester's next message reads the same tickets.
        self._situations: OrderedDict[tuple, str] = OrderedDict()

    def remembered(self, event: TicketEvent, ticket: EarlierTicket, read: Callable[[], str]) -> str:
        digest = hashlib.sha256(f"{ticket.subject}\n{ticket.text}".encode("utf-8", "surrogatepass")).digest()[:16]
        key = (event.helpdesk, event.account, ticket.ticket_id, digest)
        with self._lock:
            if key in self._situations:
                self._situations.move_to_end(key)
                return self._situations[key]
        value = read()
        with self._lock:
            self._situations[key] = value
            while len(self._situations) > MAX_SITUATIONS:
                self._situations.popitem(last=False)
        return value

    def earlier_tickets(self, event: TicketEvent) -> tuple[EarlierTicket, ...] | None:
        """The requester's tickets inside the window (this one included; ``find_repeat`` leaves it out)."""
        requester_id, email = _requester_of(event)
        if not self.settings.enabled or not (requester_id or email):
            return None
        # An id is digits and an address has an "@": the two never share a cache entry.
        key = (event.helpdesk, event.account, requester_id or email.lower())
        now = self._clock()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] > now:
                return cached[1]
        ctx = {"helpdesk": event.helpdesk, "ticket_id": event.ticket_id, "delivery_id": event.delivery_id}
        since = self.now() - timedelta(days=self.settings.window_days)
        try:
            helpdesk, client = REGISTRY[event.helpdesk], self._client_for(event.helpdesk)
            records = (helpdesk.requested_tickets(client, requester_id, since) if requester_id
                       else helpdesk.tickets_by_email(client, email, since))
        except Exception as exc:   # history is a bonus: the note goes out without it
            log.warning("requester history unavailable (%s); note without history", type(exc).__name__, extra=ctx)
            return None
        earlier = tuple(EarlierTicket(r.ticket_id, r.created_at, r.subject[:MAX_SUBJECT_CHARS],
                                      r.text[:EARLIER_TEXT_CHARS]) for r in records if r.created_at is not None)
        with self._lock:
            if len(self._cache) >= MAX_CACHED:
                self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
                if len(self._cache) >= MAX_CACHED:
                    self._cache.clear()
            self._cache[key] = (now + self.settings.cache_seconds, earlier)
        return earlier


def _requester_of(event: TicketEvent) -> tuple[str | None, str | None]:
    """(requester id, e-mail): the id when the event knows it, else the address where the helpdesk can
    list a requester's tickets by it (a Freshdesk webhook carries the address only)."""
    requester_id = event.requester_id or (event.author_id if event.author_role == AuthorRole.END_USER else None)
    if requester_id:
        return requester_id, None
    by_email = event.helpdesk in REGISTRY and REGISTRY[event.helpdesk].history_by_email
    return None, (event.requester_email if by_email else None)


def with_requester_history(lookup: HistoryLookup, event: TicketEvent, analysis, policy):
    """``analysis`` with a repeat contact from the requester's history when there is one (core/history.py).

    Only for a message that already owes an apology or a priority: no call is made for the rest."""
    if not (analysis.apology or analysis.priority):
        return analysis
    earlier = lookup.earlier_tickets(event)
    if not earlier:
        return analysis
    from ..analyzer import analyze
    from ..core.history import find_repeat, with_history

    def situation_of(ticket) -> str:
        return lookup.remembered(event, ticket, lambda: analyze(ticket.text, subject=ticket.subject,
                                                                policy=policy).situation)

    repeat = find_repeat(analysis, event.ticket_id, earlier, now=lookup.now(), settings=lookup.settings,
                         situation_of=situation_of)
    if repeat is not None:
        log.info("repeat contact: %d earlier ticket(s) about the same matter", len(repeat.earlier),
                 extra={"helpdesk": event.helpdesk, "ticket_id": event.ticket_id, "delivery_id": event.delivery_id})
    return with_history(analysis, repeat, policy)
