"""Idempotency and dead letters: SQLite in the data dir by default, Redis when the queue is Redis.

What is kept:
- **seen** keys (delivery ids and ``TicketEvent.dedupe_key``), with an expiry: a redelivered webhook
  finds its key and does nothing. Zendesk delivers at least once; Freshdesk retries after 5, 30 and
  60 minutes, so a week of memory is ample.
- **pending** events: claimed at intake, cleared when the worker finishes. A row still pending long
  after its last planned attempt was lost in a crash window (see ``intake.py``) and is re-enqueued by
  the sweeper; ``done`` keys make that harmless.
- **dead letters**: events that failed for good, with the reason and the whole event, for an admin
  to list, show, replay or purge.

``open_store(settings)`` picks the backend; nothing else knows which one runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Protocol

# How long a seen key and a done key are remembered: a week, ample for every helpdesk's redeliveries.
SEEN_TTL = 7 * 24 * 3600
DONE_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class DeadLetter:
    id: str
    key: str
    helpdesk: str
    ticket_id: str
    reason: str
    event: dict
    created_at: float

    def summary(self) -> dict:
        return {"id": self.id, "helpdesk": self.helpdesk, "ticket_id": self.ticket_id, "reason": self.reason,
                "created_at": self.created_at}


class Store(Protocol):
    def claim(self, keys: Iterable[str], pending_key: str, event: dict) -> bool: ...
    def purge_expired(self) -> int: ...
    def checkpoint(self) -> None: ...
    def release(self, keys: Iterable[str], pending_key: str) -> None: ...
    def is_done(self, key: str) -> bool: ...
    def finish(self, key: str) -> None: ...
    def schedule(self, key: str, next_attempt_at: float) -> None: ...
    def stale_pending(self, older_than: float) -> list[dict]: ...
    def begin_attempt(self, key: str, event: dict, lease_seconds: float, owner: str | None = None) -> str: ...
    def take_orphaned(self, gone: Callable[[str], bool]) -> list[dict]: ...
    def heartbeat(self, owner: str, seconds: float) -> None: ...
    def take_stale(self, older_than: float) -> list[dict]: ...
    def add_dead_letter(self, key: str, event: dict, reason: str) -> str: ...
    def dead_letters(self) -> list[DeadLetter]: ...
    def dead_letter(self, letter_id: str) -> DeadLetter | None: ...
    def delete_dead_letter(self, letter_id: str) -> bool: ...
    def purge_dead_letters(self) -> int: ...


def open_store(settings) -> Store:
    """SQLite file ``state.sqlite3`` in the data dir, or Redis when the queue is on Redis."""
    if settings.uses_redis:
        from .redis_state import RedisStore

        return RedisStore(settings.queue_url)
    from .sqlite_state import SqliteStore

    return SqliteStore(Path(settings.data_dir) / "state.sqlite3")
