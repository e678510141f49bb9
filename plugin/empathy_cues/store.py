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

import json
import os
import sqlite3
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Protocol

try:
    import fcntl
except ImportError:           # Windows: WriterLock falls back to SQLite's busy handler
    fcntl = None

SEEN_TTL = 7 * 24 * 3600
# WAL pages after which a commit also checkpoints (SQLite's default is 1,000, about 4 MB). Each
# acknowledged batch rewrites the same few pages (the file header, the tails of the tables, inner
# B-tree pages) besides one leaf per key, and a checkpoint copies each page in the WAL once, with an
# fsync: four times the interval copies those hot pages a quarter as often, on the acknowledgement
# path. The WAL then peaks near 16 MB; the worker's sweep still truncates it whenever the queue is
# empty (tasks.checkpoint).
WAL_AUTOCHECKPOINT_PAGES = 4000
_SQL_VARIABLES = 500        # bound values per statement, well under SQLite's smallest limit (999)
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


def insert_rows(db, insert: str, rows: list[tuple]) -> None:
    """``insert`` + one ``(?, ...)`` group per row, as few statements as SQLite's variable limit allows.

    Why not ``executemany``: Python's sqlite3 releases the GIL around every step, so executemany gives
    the GIL up once a row; under load each hand-back waits for a busy request thread's switch interval,
    and the group commit (ack.py) - which every waiting webhook waits for - crawls. One multi-row
    statement gives it up once."""
    if not rows:
        return
    width = len(rows[0])
    per_statement = max(1, _SQL_VARIABLES // width)
    group = "(" + ",".join("?" * width) + ")"
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        db.execute(insert + ",".join([group] * len(chunk)), [value for row in chunk for value in row])


class WriterLock:
    """Turns for the writers of one SQLite file across threads and processes, handed over at once.

    Why: SQLite's own wait for a busy database is a sleep with backoff (1, 2, 5, 10 ... ms between
    tries: ``sqliteDefaultBusyCallback``), so a writer that finds another process mid-transaction sleeps
    for at least a millisecond even when that transaction is done in a fraction of one. Under load the
    web workers and the queue worker take turns all the time, so the sleeps, not the work, set the time
    a dedupe claim takes, with a long tail. A blocking ``flock`` on a file beside the database queues the writers
    in the kernel instead, which wakes the next one as soon as the lock is released. SQLite's busy
    timeout stays as the fallback for any writer that does not take this lock (the sqlite3 shell, an
    older version). The lock dies with its process, SIGKILL included, so a crash never leaves it held.

    One descriptor per thread: ``flock`` locks belong to an open file, so threads sharing one would
    not exclude each other; a thread's descriptor is closed when the thread's locals go. Reentrant
    within a thread (ack.py holds a turn around a whole batch, and the store's transaction takes it
    again). Get it with ``for_file``: one per file and process, whoever writes the file. A forked child
    closes the descriptors it inherited, which share the parent's open files and so its locks. Where
    ``fcntl`` is missing (Windows) this does nothing, and SQLite's busy handler alone orders writers.
    Order, where two are held at once: the state file's, then the queue file's (ack.py's leader); nothing
    takes them the other way round, so they cannot deadlock.
    """

    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".writer-lock")
        self._local = threading.local()

    @classmethod
    def for_file(cls, db_path: Path) -> "WriterLock":
        """This process's one lock for ``db_path``, shared by every store or storage that writes it, so
        that a thread holding a turn may take it again through another of them instead of waiting for
        itself."""
        key = os.path.realpath(db_path)
        with _WRITER_LOCKS_GUARD:
            lock = _WRITER_LOCKS.get(key)
            if lock is None:
                lock = _WRITER_LOCKS[key] = cls(Path(db_path))
            return lock

    def __enter__(self) -> "WriterLock":
        if fcntl is None:
            return self
        local = self._local
        depth = getattr(local, "depth", 0)
        if depth == 0:
            if getattr(local, "file", None) is None:
                local.file = _LockFile(self.path)
            if _cooperative():
                _flock_cooperatively(local.file.fd)
            else:
                fcntl.flock(local.file.fd, fcntl.LOCK_EX)
        local.depth = depth + 1
        return self

    def __exit__(self, *exc) -> None:
        if fcntl is None:
            return
        local = self._local
        local.depth -= 1
        if local.depth == 0:
            fcntl.flock(local.file.fd, fcntl.LOCK_UN)


def _cooperative() -> bool:
    """In a gevent web worker (gunicorn_conf.py) every request is a greenlet of one OS thread."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("threading")


def _flock_cooperatively(fd: int) -> None:
    """The turn, without blocking the OS thread: a blocking flock would stop every greenlet of the
    process (health checks included) while another process writes, and two greenlets of one process
    (each its own descriptor) would wait for each other for ever. Polls with a yielding sleep instead."""
    delay = 0.0002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            time.sleep(delay)           # gevent's sleep: the hub runs the other greenlets meanwhile
            delay = min(delay * 2, 0.002)


class _LockFile:
    """One thread's descriptor of a lock file: closed when its thread's locals go, or in a forked child."""

    __slots__ = ("fd", "__weakref__")

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)     # not inherited by exec (PEP 446)
        _LOCK_FILES.add(self)

    def close(self) -> None:
        fd, self.fd = self.fd, -1
        if fd >= 0:
            try:
                os.close(fd)
            except OSError:       # already gone: nothing is held through it any more
                pass

    __del__ = close


_WRITER_LOCKS: "weakref.WeakValueDictionary[str, WriterLock]" = weakref.WeakValueDictionary()
_WRITER_LOCKS_GUARD = threading.Lock()
_LOCK_FILES: "weakref.WeakSet[_LockFile]" = weakref.WeakSet()


def _forget_inherited_locks() -> None:
    global _WRITER_LOCKS_GUARD
    _WRITER_LOCKS_GUARD = threading.Lock()          # another thread may have held it at the fork
    for lock_file in list(_LOCK_FILES):
        lock_file.close()
    for lock in list(_WRITER_LOCKS.values()):
        lock._local = threading.local()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited_locks)


class SqliteStore:
    """One SQLite file; one connection per thread (sqlite3 objects must not cross threads)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._writer = WriterLock.for_file(self.path)
        # executescript commits on its own; the DDL is idempotent, so no explicit transaction.
        self._db().executescript(
            """
            create table if not exists seen (key text primary key, expires_at real not null);
            create table if not exists pending (key text primary key, event text not null,
                created_at real not null, next_attempt_at real not null);
            create table if not exists done (key text primary key, expires_at real not null);
            create table if not exists lease (key text primary key, until real not null);
            create table if not exists dead (id integer primary key autoincrement, key text not null,
                helpdesk text not null, ticket_id text not null, reason text not null,
                event text not null, created_at real not null);
            """
        )
        # Leases name their owner (owners.py); files made before that get the column.
        if "owner" not in {row[1] for row in self._db().execute("pragma table_info(lease)")}:
            with self._tx() as db:
                if "owner" not in {row[1] for row in db.execute("pragma table_info(lease)")}:
                    db.execute("alter table lease add column owner text")

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("pragma journal_mode=wal")
            conn.execute("pragma synchronous=normal")
            conn.execute("pragma secure_delete=on")     # a finished event's text is zeroed, not left in free pages
            # Temporary storage in memory: a multi-row insert inside a transaction keeps a statement
            # journal (the pages it changed, so that one statement can be undone), and past 64 KiB SQLite
            # spills it to a file it creates and unlinks in /var/tmp: a batch of acknowledgements wrote
            # 33 pages of keys and event text there on every commit, outside the data directory
            # (https://www.sqlite.org/tempfiles.html#stmtjrnl). Nothing in it must survive a crash: it
            # only undoes a statement of a transaction not yet committed.
            conn.execute("pragma temp_store=memory")
            conn.execute(f"pragma wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
            self._local.conn = conn
        return conn

    def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it: old versions of deleted rows (the customer's
        text of finished events) stay in the WAL until then (see checkpoint_wal)."""
        with self._writer:
            checkpoint_wal(self._db())

    class _Tx:
        def __init__(self, conn: sqlite3.Connection, writer: WriterLock) -> None:
            self.conn, self.writer = conn, writer

        def __enter__(self) -> sqlite3.Connection:
            self.writer.__enter__()
            try:
                # IMMEDIATE takes the write lock up front, so check-then-insert is atomic across processes.
                self.conn.execute("begin immediate")
            except BaseException:
                self.writer.__exit__()
                raise
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            try:
                self.conn.execute("rollback" if exc_type else "commit")
            finally:
                self.writer.__exit__()

    def write_turn(self) -> WriterLock:
        """This file's writer turn, for a caller that must read and write in one turn (ack.py)."""
        return self._writer

    def _tx(self) -> "SqliteStore._Tx":
        return self._Tx(self._db(), self._writer)

    def claim(self, keys: Iterable[str], pending_key: str, event: dict) -> bool:
        return self.claim_many([(list(keys), pending_key, event)])[0]

    def purge_expired(self) -> int:
        """Delete seen, done and lease rows past their expiry (the worker's sweep calls this, off the
        webhook path); returns how many went."""
        now = time.time()
        with self._tx() as db:
            return sum(db.execute(f"delete from {table} where {column} < ?", (now,)).rowcount
                       for table, column in (("seen", "expires_at"), ("done", "expires_at"), ("lease", "until")))

    def claim_many(self, items: list[tuple[list[str], str, dict]]) -> list[bool]:
        """``claim`` for a batch of (keys, pending_key, event) in ONE transaction (one commit for many
        webhooks, see ack.py); a key claimed earlier in the same batch counts as seen. Three statements
        for the whole batch, not three per event: this runs once per acknowledged burst."""
        now = time.time()
        wanted = list(dict.fromkeys(k for keys, _, _ in items for k in keys))
        results: list[bool] = []
        seen_rows: list[tuple[str, float]] = []
        pending_rows: list[tuple[str, str, float, float]] = []
        with self._tx() as db:
            taken: set[str] = set()
            for chunk in range(0, len(wanted), _SQL_VARIABLES):
                part = wanted[chunk:chunk + _SQL_VARIABLES]
                taken.update(row[0] for row in db.execute(
                    f"select key from seen where key in ({','.join('?' * len(part))}) and expires_at > ?",
                    (*part, now)))
            for keys, pending_key, event in items:
                if taken.intersection(keys):
                    results.append(False)
                    continue
                taken.update(keys)
                seen_rows.extend((k, now + SEEN_TTL) for k in dict.fromkeys(keys))
                pending_rows.append((pending_key, json.dumps(event), now, now))
                results.append(True)
            insert_rows(db, "insert or replace into seen (key, expires_at) values ", seen_rows)
            insert_rows(db, "insert or replace into pending (key, event, created_at, next_attempt_at) values ",
                         pending_rows)
        return results

    def release(self, keys: Iterable[str], pending_key: str) -> None:
        keys = list(keys)
        with self._tx() as db:
            db.executemany("delete from seen where key = ?", [(k,) for k in keys])
            db.execute("delete from pending where key = ?", (pending_key,))

    def is_done(self, key: str) -> bool:
        row = self._db().execute("select 1 from done where key = ? and expires_at > ?", (key, time.time())).fetchone()
        return row is not None

    def finish(self, key: str) -> None:
        with self._tx() as db:
            db.execute("delete from pending where key = ?", (key,))
            db.execute("delete from lease where key = ?", (key,))
            db.execute("insert or replace into done (key, expires_at) values (?, ?)", (key, time.time() + DONE_TTL))

    def schedule(self, key: str, next_attempt_at: float) -> None:
        with self._tx() as db:
            db.execute("update pending set next_attempt_at = ? where key = ?", (next_attempt_at, key))
            db.execute("delete from lease where key = ?", (key,))

    def stale_pending(self, older_than: float) -> list[dict]:
        rows = self._db().execute("select event from pending where next_attempt_at < ? order by created_at",
                                  (older_than,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def begin_attempt(self, key: str, event: dict, lease_seconds: float, owner: str | None = None) -> str:
        """Take the event for one attempt: "ok", "busy" (another attempt holds its lease: this copy is a
        duplicate) or "done". Stamps the pending row (the sweeper's grace counts from now) and leases the
        event for ``lease_seconds`` in ``owner``'s name (owners.py); finish, schedule and add_dead_letter
        end the lease, and ``take_orphaned`` ends it when its owner is gone."""
        now = time.time()
        with self._tx() as db:
            if db.execute("select 1 from done where key = ? and expires_at > ?", (key, now)).fetchone():
                return "done"
            if db.execute("select 1 from lease where key = ? and until > ?", (key, now)).fetchone():
                return "busy"
            db.execute("insert or replace into lease (key, until, owner) values (?, ?, ?)",
                       (key, now + lease_seconds, owner))
            if db.execute("update pending set next_attempt_at = ? where key = ?", (now, key)).rowcount == 0:
                # a replayed dead letter, or a row lost with an old state file
                db.execute("insert into pending (key, event, created_at, next_attempt_at) values (?,?,?,?)",
                           (key, json.dumps(event), now, now))
        return "ok"

    def take_orphaned(self, gone: Callable[[str], bool]) -> list[dict]:
        """Events whose lease holder is gone (``gone(owner)``, owners.py): the lease is ended and the
        pending row stamped in one transaction, so exactly one worker takes each back."""
        now = time.time()
        rows = self._db().execute("select l.key, l.owner from lease l join pending p on p.key = l.key "
                                  "where l.owner is not null").fetchall()
        dead = [(key, owner) for key, owner in rows if gone(owner)]
        if not dead:
            return []
        taken = []
        with self._tx() as db:
            for key, owner in dead:
                if db.execute("delete from lease where key = ? and owner = ?", (key, owner)).rowcount:
                    db.execute("update pending set next_attempt_at = ? where key = ?", (now, key))
                    row = db.execute("select event from pending where key = ?", (key,)).fetchone()
                    if row:
                        taken.append(json.loads(row[0]))
        return taken

    def heartbeat(self, owner: str, seconds: float) -> None:
        """Nothing to do: on one host the process table says who is alive (owners.gone_here)."""

    def take_stale(self, older_than: float) -> list[dict]:
        """stale_pending, stamped in the same transaction so two sweepers never both re-enqueue one event."""
        now = time.time()
        with self._tx() as db:
            rows = db.execute("select key, event from pending where next_attempt_at < ? order by created_at",
                              (older_than,)).fetchall()
            db.executemany("update pending set next_attempt_at = ? where key = ?", [(now, r[0]) for r in rows])
        return [json.loads(r[1]) for r in rows]

    def add_dead_letter(self, key: str, event: dict, reason: str) -> str:
        with self._tx() as db:
            db.execute("delete from pending where key = ?", (key,))
            db.execute("delete from lease where key = ?", (key,))
            cur = db.execute(
                "insert into dead (key, helpdesk, ticket_id, reason, event, created_at) values (?,?,?,?,?,?)",
                (key, str(event.get("helpdesk", "")), str(event.get("ticket_id", "")), reason, json.dumps(event),
                 time.time()))
            return str(cur.lastrowid)

    def _letter(self, row) -> DeadLetter:
        return DeadLetter(id=str(row[0]), key=row[1], helpdesk=row[2], ticket_id=row[3], reason=row[4],
                          event=json.loads(row[5]), created_at=row[6])

    def dead_letters(self) -> list[DeadLetter]:
        rows = self._db().execute("select id, key, helpdesk, ticket_id, reason, event, created_at from dead "
                                  "order by id").fetchall()
        return [self._letter(r) for r in rows]

    def dead_letter(self, letter_id: str) -> DeadLetter | None:
        if not str(letter_id).isdigit():
            return None
        row = self._db().execute("select id, key, helpdesk, ticket_id, reason, event, created_at from dead "
                                 "where id = ?", (int(letter_id),)).fetchone()
        return self._letter(row) if row else None

    def delete_dead_letter(self, letter_id: str) -> bool:
        if not str(letter_id).isdigit():
            return False
        with self._tx() as db:
            return db.execute("delete from dead where id = ?", (int(letter_id),)).rowcount > 0

    def purge_dead_letters(self) -> int:
        with self._tx() as db:
            return db.execute("delete from dead").rowcount


class RedisStore:
    """The same contract on Redis, so several web and worker hosts share one memory."""

    # Check every key, then set them all: one atomic step on the server.
    _CLAIM = """
    for i, key in ipairs(KEYS) do
      if i < #KEYS and redis.call('exists', key) == 1 then return 0 end
    end
    for i, key in ipairs(KEYS) do
      if i < #KEYS then redis.call('set', key, '1', 'EX', ARGV[1]) end
    end
    redis.call('hset', KEYS[#KEYS], ARGV[2], ARGV[3])
    return 1
    """

    def __init__(self, url: str, *, prefix: str = "empathy-cues") -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix
        self._claim = self.redis.register_script(self._CLAIM)

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def claim(self, keys: Iterable[str], pending_key: str, event: dict) -> bool:
        return self.claim_many([(list(keys), pending_key, event)])[0]

    def purge_expired(self) -> int:
        """Nothing to do: Redis drops seen, done and lease keys itself (each is set with an expiry)."""
        return 0

    def checkpoint(self) -> None:
        """Nothing to do: Redis keeps no WAL with old copies of deleted rows."""

    def claim_many(self, items: list[tuple[list[str], str, dict]]) -> list[bool]:
        """``claim`` for a batch in one round trip: a pipeline of the atomic claim script, in order, so a
        key claimed earlier in the batch is seen by the later ones."""
        pipe = self.redis.pipeline(transaction=False)
        now = time.time()
        for keys, pending_key, event in items:
            seen = [self._k("seen", k) for k in dict.fromkeys(keys)]
            record = json.dumps({"event": event, "created_at": now, "next_attempt_at": now})
            self._claim(keys=[*seen, self._k("pending")], args=[SEEN_TTL, pending_key, record], client=pipe)
        return [bool(r) for r in pipe.execute()]

    def release(self, keys: Iterable[str], pending_key: str) -> None:
        pipe = self.redis.pipeline()
        for k in keys:
            pipe.delete(self._k("seen", k))
        pipe.hdel(self._k("pending"), pending_key)
        pipe.execute()

    def is_done(self, key: str) -> bool:
        return bool(self.redis.exists(self._k("done", key)))

    def finish(self, key: str) -> None:
        pipe = self.redis.pipeline()
        pipe.set(self._k("done", key), "1", ex=DONE_TTL)
        pipe.hdel(self._k("pending"), key)
        pipe.delete(self._k("lease", key))
        pipe.execute()

    def schedule(self, key: str, next_attempt_at: float) -> None:
        raw = self.redis.hget(self._k("pending"), key)
        if raw:
            record = json.loads(raw)
            record["next_attempt_at"] = next_attempt_at
            self.redis.hset(self._k("pending"), key, json.dumps(record))
        self.redis.delete(self._k("lease", key))

    def stale_pending(self, older_than: float) -> list[dict]:
        records = [json.loads(v) for v in self.redis.hgetall(self._k("pending")).values()]
        records = [r for r in records if r.get("next_attempt_at", 0) < older_than]
        return [r["event"] for r in sorted(records, key=lambda r: r.get("created_at", 0))]

    def _watched(self, keys: list[str], body):
        """Run ``body(pipe)`` under WATCH until no watched key changed meanwhile (optimistic transaction,
        https://redis.io/docs/latest/develop/interact/transactions/#optimistic-locking-using-check-and-set)."""
        import redis

        with self.redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(*keys)
                    return body(pipe)
                except redis.WatchError:
                    continue

    def begin_attempt(self, key: str, event: dict, lease_seconds: float, owner: str | None = None) -> str:
        if self.redis.exists(self._k("done", key)):
            return "done"
        # SET NX PX: one lease holder at a time, released by finish/schedule/add_dead_letter, by expiry, or
        # by take_orphaned when its owner (the value) is gone.
        if not self.redis.set(self._k("lease", key), owner or "1", nx=True, px=max(1, int(lease_seconds * 1000))):
            return "busy"
        pending = self._k("pending")
        raw = self.redis.hget(pending, key)
        now = time.time()
        record = json.loads(raw) if raw else {"event": event, "created_at": now}
        record["next_attempt_at"] = now
        self.redis.hset(pending, key, json.dumps(record))
        return "ok"

    # Delete the lease only if it still names that owner (a compare-and-delete, atomic on the server).
    _RELEASE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

    def heartbeat(self, owner: str, seconds: float) -> None:
        """This worker is alive for ``seconds`` more (owners.py); a lease whose owner stops beating is
        taken back by the next worker that looks."""
        self.redis.set(self._k("owner", owner), "1", px=max(1, int(seconds * 1000)))

    def take_orphaned(self, gone: Callable[[str], bool]) -> list[dict]:
        """Events whose lease holder is gone, judged by its expired heartbeat only: Redis workers may run
        in containers whose host names and pids overlap, so the local process table (``gone``, used by
        the single-host SQLite store) cannot speak for them. Each lease is ended with a compare-and-delete,
        so exactly one worker takes it back."""
        taken = []
        prefix = self._k("lease", "")
        for lease_key in self.redis.scan_iter(match=prefix + "*", count=500):
            owner = self.redis.get(lease_key)
            if not owner or owner == b"1":
                continue
            owner = owner.decode()
            if self.redis.exists(self._k("owner", owner)):
                continue
            if not self.redis.eval(self._RELEASE_IF, 1, lease_key, owner):
                continue
            key = lease_key.decode()[len(prefix):]
            raw = self.redis.hget(self._k("pending"), key)
            if raw:
                record = json.loads(raw)
                self.redis.hset(self._k("pending"), key, json.dumps({**record, "next_attempt_at": time.time()}))
                taken.append(record["event"])
        return taken

    def take_stale(self, older_than: float) -> list[dict]:
        pending = self._k("pending")

        def body(pipe) -> list[dict]:
            now = time.time()
            stale = {}
            for k, v in pipe.hgetall(pending).items():
                record = json.loads(v)
                if record.get("next_attempt_at", 0) < older_than:
                    stale[k] = record
            pipe.multi()
            for k, record in stale.items():
                pipe.hset(pending, k, json.dumps({**record, "next_attempt_at": now}))
            pipe.execute()
            return [r["event"] for r in sorted(stale.values(), key=lambda r: r.get("created_at", 0))]

        return self._watched([pending], body)

    def add_dead_letter(self, key: str, event: dict, reason: str) -> str:
        letter_id = str(self.redis.incr(self._k("dead", "next-id")))
        record = {"key": key, "helpdesk": str(event.get("helpdesk", "")), "ticket_id": str(event.get("ticket_id", "")),
                  "reason": reason, "event": event, "created_at": time.time()}
        pipe = self.redis.pipeline()
        pipe.hset(self._k("dead"), letter_id, json.dumps(record))
        pipe.hdel(self._k("pending"), key)
        pipe.delete(self._k("lease", key))
        pipe.execute()
        return letter_id

    def _letter(self, letter_id: str, raw: bytes) -> DeadLetter:
        r = json.loads(raw)
        return DeadLetter(id=letter_id, key=r["key"], helpdesk=r["helpdesk"], ticket_id=r["ticket_id"],
                          reason=r["reason"], event=r["event"], created_at=r["created_at"])

    def dead_letters(self) -> list[DeadLetter]:
        items = self.redis.hgetall(self._k("dead"))
        letters = [self._letter(k.decode(), v) for k, v in items.items()]
        return sorted(letters, key=lambda d: int(d.id))

    def dead_letter(self, letter_id: str) -> DeadLetter | None:
        raw = self.redis.hget(self._k("dead"), str(letter_id))
        return self._letter(str(letter_id), raw) if raw else None

    def delete_dead_letter(self, letter_id: str) -> bool:
        return bool(self.redis.hdel(self._k("dead"), str(letter_id)))

    def purge_dead_letters(self) -> int:
        count = self.redis.hlen(self._k("dead"))
        self.redis.delete(self._k("dead"))
        return count


def checkpoint_wal(conn: sqlite3.Connection) -> bool:
    """``wal_checkpoint(TRUNCATE)`` on ``conn``: True when the WAL is now empty. A WAL only grows and is
    reused from its start, so the text of events long finished survives in it (67 copies of one sentence
    after the queue had emptied). Busy (a reader holds an old snapshot) is fine: the next sweep tries again."""
    busy, _, _ = conn.execute("pragma wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def open_store(settings) -> Store:
    """SQLite file ``state.sqlite3`` in the data dir, or Redis when the queue is on Redis."""
    if settings.uses_redis:
        return RedisStore(settings.queue_url)
    return SqliteStore(Path(settings.data_dir) / "state.sqlite3")
