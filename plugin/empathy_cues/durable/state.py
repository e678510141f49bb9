"""Idempotency and dead letters: SQLite in the data dir by default, Redis when the queue is Redis.

What is kept:
- **seen** keys (delivery ids and ``TicketEvent.dedupe_key``), with an expiry: a redelivered webhook
  finds its key and does nothing. Zendesk delivers at least once; Freshdesk retries after 5, 30 and
  60 minutes, so a week of memory is ample.
- **pending** events: claimed at intake, cleared when the worker finishes. A row still pending long
  after its last planned attempt was lost in a crash window (see ``service/intake.py``) and is re-enqueued by
  the sweeper; ``done`` keys make that harmless.
- **dead letters**: events that failed for good, with the reason and the whole event, for an admin
  to list, show, replay or purge.

``open_store(settings)`` picks the backend; nothing else knows which one runs.
"""
from __future__ import annotations

from pathlib import Path

from .contract import Store


def open_store(settings) -> Store:
    """SQLite file ``state.sqlite3`` in the data dir, or Redis when the queue is on Redis."""
    if settings.uses_redis:
        from .redis_state import RedisStore

        return RedisStore(settings.queue_url)
    from .sqlite_state import SqliteStore

    return SqliteStore(Path(settings.data_dir) / "state.sqlite3")
