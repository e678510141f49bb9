"""Sign-in attempts counted per minute, where every web worker sees the same count.

gunicorn runs several worker processes (and the scale-out mode several web nodes), so a counter in one
process's memory would let each of them take its own "few tries". The count lives where the rest of the
shared state lives: a small SQLite file in the data directory (embedded mode) or Redis (scale-out).
Flask-Limiter was considered; its storage backends (memory, Redis, Memcached, MongoDB) have no SQLite,
and the embedded mode runs with no other server, so the two fixed-window counters are written here.

Two limits apply to every attempt before the token is even looked at: one per client address and one
for all clients together, so that addresses made up behind a proxy still cannot try faster than the
overall limit. The window is the current minute (fixed window: simple, and a burst at a window's edge
gets at most twice the limit, still hopeless against a token of ``MIN_TOKEN_CHARS`` random characters).
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ....sqlite_files import connect_wal

WINDOW_SECONDS = 60


class Counter(Protocol):
    def hit(self, key: str, window: int) -> int:
        """Add one to ``key`` in ``window`` and return the new count."""


class SqliteCounter:
    """Counts in ``<data dir>/admin-signin.sqlite3``; a connection per call (sign-in is rare)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, window INTEGER NOT NULL, "
                       "n INTEGER NOT NULL, PRIMARY KEY (key, window)) WITHOUT ROWID")

    def _connect(self) -> sqlite3.Connection:
        return connect_wal(self.path, timeout=5.0)

    def hit(self, key: str, window: int) -> int:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM attempts WHERE window < ?", (window - 1,))
            (count,) = db.execute("INSERT INTO attempts VALUES (?, ?, 1) ON CONFLICT (key, window) "
                                  "DO UPDATE SET n = n + 1 RETURNING n", (key, window)).fetchone()
            db.execute("COMMIT")
            return count
        finally:
            db.close()


class RedisCounter:
    """Counts in Redis keys that expire with their window (INCR then EXPIRE, in one transaction)."""

    def __init__(self, url: str, *, prefix: str = "empathy-cues:admin-signin") -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def hit(self, key: str, window: int) -> int:
        name = f"{self.prefix}:{window}:{key}"
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(name)
        pipe.expire(name, WINDOW_SECONDS * 2)
        count, _ = pipe.execute()
        return int(count)


@dataclass
class SignInThrottle:
    counter: Counter
    per_client: int = 5          # attempts a minute from one address
    overall: int = 30            # attempts a minute from everyone together
    clock: callable = time.time

    def allow(self, client: str) -> tuple[bool, int]:
        """Count one attempt by ``client``: (allowed, seconds until the next window)."""
        now = self.clock()
        window = int(now // WINDOW_SECONDS)
        wait = max(1, int((window + 1) * WINDOW_SECONDS - now))
        mine = self.counter.hit(f"client:{client}", window)
        everyone = self.counter.hit("all", window)
        return mine <= self.per_client and everyone <= self.overall, wait


def counter_for(settings) -> Counter:
    """Redis when the queue is in Redis (every node shares it), else a file beside the SQLite queue."""
    if settings.uses_redis:
        return RedisCounter(settings.queue_url)
    return SqliteCounter(Path(settings.data_dir) / "admin-signin.sqlite3")
