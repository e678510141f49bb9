"""Where the plugin keeps what it did and what agents told it: decisions, feedback votes, QA scores.

Three kinds of record share one small contract: a record is a flat JSON object with a ``key`` (unique
within its kind), a time ``at`` (epoch seconds), a ``helpdesk`` and a ``ticket_id``. Records hold ids,
codes and numbers only, never a customer's or an agent's words: the modules that build them
(``decisions.py``, ``feedback/votes.py``, ``qa/scores.py``) are the only writers, and their records
are plain dataclasses with no text field.

SQLite (``records.sqlite3`` in the data dir, its own file so reports never wait behind the queue's
writers) by default; Redis when the queue is on Redis (several hosts share them). ``open_records``
picks one; the code above it is the same for both. ``purge(before)`` is the retention: the worker's
sweep calls it with the configured number of days.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Iterable, Protocol

KINDS = ("decision", "vote", "qa")


class Records(Protocol):
    def put(self, kind: str, record: dict, *, replace: bool = True) -> bool: ...
    def get(self, kind: str, key: str) -> dict | None: ...
    def for_ticket(self, kind: str, helpdesk: str, ticket_id: str) -> list[dict]: ...
    def since(self, kind: str, since: float, until: float | None = None) -> list[dict]: ...
    def newest(self, kind: str, limit: int) -> list[dict]: ...
    def purge(self, before: float) -> int: ...


def _check(kind: str, record: dict) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    for field in ("key", "at", "helpdesk", "ticket_id"):
        if field not in record:
            raise ValueError(f"a {kind} record needs {field!r}")


class SqliteRecords:
    """One SQLite file; one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(
            """
            create table if not exists records (kind text not null, key text not null, at real not null,
                helpdesk text not null, ticket_id text not null, data text not null,
                primary key (kind, key));
            create index if not exists records_at on records (kind, at);
            create index if not exists records_ticket on records (kind, helpdesk, ticket_id);
            """
        )

    def _db(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Here, so the decision log's pure read API imports no database driver.
            from ..sqlite_files import connect_wal

            conn = connect_wal(self.path, timeout=10)
            conn.execute("pragma synchronous=normal")
            self._local.conn = conn
        return conn

    def put(self, kind: str, record: dict, *, replace: bool = True) -> bool:
        """Store ``record``; with ``replace=False`` an existing key is kept. True when written."""
        _check(kind, record)
        verb = "insert or replace" if replace else "insert or ignore"
        cur = self._db().execute(
            f"{verb} into records (kind, key, at, helpdesk, ticket_id, data) values (?,?,?,?,?,?)",
            (kind, str(record["key"]), float(record["at"]), str(record["helpdesk"]), str(record["ticket_id"]),
             json.dumps(record, separators=(",", ":"))))
        return cur.rowcount > 0

    def get(self, kind: str, key: str) -> dict | None:
        row = self._db().execute("select data from records where kind = ? and key = ?", (kind, key)).fetchone()
        return json.loads(row[0]) if row else None

    def for_ticket(self, kind: str, helpdesk: str, ticket_id: str) -> list[dict]:
        rows = self._db().execute("select data from records where kind = ? and helpdesk = ? and ticket_id = ? "
                                  "order by at", (kind, helpdesk, str(ticket_id))).fetchall()
        return [json.loads(r[0]) for r in rows]

    def since(self, kind: str, since: float, until: float | None = None) -> list[dict]:
        # One JSON array built by SQLite and parsed in one call: a month of QA rows is 20,000 records, and
        # a json.loads per row costs more than the parsing itself.
        row = self._db().execute(
            "select '[' || coalesce(group_concat(data, ','), '') || ']' from "
            "(select data from records where kind = ? and at >= ? and at < ? order by at)",
            (kind, since, until if until is not None else float("inf"))).fetchone()
        return json.loads(row[0])

    def newest(self, kind: str, limit: int) -> list[dict]:
        rows = self._db().execute("select data from records where kind = ? order by at desc limit ?",
                                  (kind, max(0, int(limit)))).fetchall()
        return [json.loads(r[0]) for r in rows]

    def purge(self, before: float) -> int:
        return self._db().execute("delete from records where at < ?", (before,)).rowcount


class RedisRecords:
    """The same contract on Redis: a hash of records per kind, a sorted set by time, a set per ticket."""

    def __init__(self, url: str, *, prefix: str = "empathy-cues") -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix

    def _k(self, kind: str, *parts: str) -> str:
        return ":".join((self.prefix, "rec", kind, *parts))

    def put(self, kind: str, record: dict, *, replace: bool = True) -> bool:
        _check(kind, record)
        key, raw = str(record["key"]), json.dumps(record, separators=(",", ":"))
        if replace:
            self.redis.hset(self._k(kind), key, raw)
        elif not self.redis.hsetnx(self._k(kind), key, raw):
            return False
        pipe = self.redis.pipeline()
        pipe.zadd(self._k(kind, "at"), {key: float(record["at"])})
        pipe.sadd(self._k(kind, "t", str(record["helpdesk"]), str(record["ticket_id"])), key)
        pipe.execute()
        return True

    def get(self, kind: str, key: str) -> dict | None:
        raw = self.redis.hget(self._k(kind), key)
        return json.loads(raw) if raw else None

    def _load(self, kind: str, keys: Iterable) -> list[dict]:
        keys = list(keys)
        if not keys:
            return []
        found = [raw for raw in self.redis.hmget(self._k(kind), keys) if raw]
        return json.loads(b"[" + b",".join(found) + b"]")      # one parse for a month of rows, as in SQLite

    def for_ticket(self, kind: str, helpdesk: str, ticket_id: str) -> list[dict]:
        keys = self.redis.smembers(self._k(kind, "t", helpdesk, str(ticket_id)))
        return sorted(self._load(kind, keys), key=lambda r: r["at"])

    def since(self, kind: str, since: float, until: float | None = None) -> list[dict]:
        upper = f"({until}" if until is not None else "+inf"
        return self._load(kind, self.redis.zrangebyscore(self._k(kind, "at"), since, upper))

    def newest(self, kind: str, limit: int) -> list[dict]:
        if limit <= 0:
            return []
        return self._load(kind, self.redis.zrevrange(self._k(kind, "at"), 0, int(limit) - 1))

    def purge(self, before: float) -> int:
        gone = 0
        for kind in KINDS:
            keys = self.redis.zrangebyscore(self._k(kind, "at"), "-inf", f"({before}")
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                records = self._load(kind, chunk)
                pipe = self.redis.pipeline()
                for record in records:
                    pipe.srem(self._k(kind, "t", str(record["helpdesk"]), str(record["ticket_id"])), record["key"])
                pipe.hdel(self._k(kind), *chunk)
                pipe.zrem(self._k(kind, "at"), *chunk)
                pipe.execute()
                gone += len(chunk)
        return gone


def open_records(settings) -> Records:
    """``records.sqlite3`` in the data dir, or Redis when the queue is on Redis."""
    if settings.uses_redis:
        return RedisRecords(settings.queue_url)
    return SqliteRecords(Path(settings.data_dir) / "records.sqlite3")
