"""The durable task queue, chosen in ONE place: SQLite in the data dir, or Redis.

In the embedded mode huey's tables live in the state file (``store.sqlite_path``) beside the dedupe
claims, so the acknowledgement of a burst is one transaction (ack.py). Data dirs from before kept the
queue in ``queue.sqlite3``; its waiting and scheduled tasks are moved over at start-up
(``adopt_legacy_queue_file``).

huey stores each enqueued task before ``enqueue`` returns: ``SqliteStorage.enqueue`` runs
``insert into task ...`` inside ``begin exclusive ... commit`` on an autocommit connection
(huey/storage.py, BaseSqlStorage.db(commit=True)); ``RedisStorage.enqueue`` is one LPUSH the server
has applied when the call returns. So once ``enqueue`` returns, the webhook may be acknowledged.
Tasks are registered on the instance here (``tasks.register``), so the web process and the worker
agree on task names without a module-level huey built at import time.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import SqliteStorage

QUEUE_NAME = "empathy-cues"
LEGACY_QUEUE_FILE = "queue.sqlite3"
_INSERT_TASK = "insert into task (queue, data, priority) values (?, ?, ?)"


@dataclass
class Queue:
    huey: Huey
    process_event: object        # huey TaskWrapper: process_event(event_dict) enqueues
    sweep_pending: object        # periodic task re-enqueueing events lost in a crash window
    runtime: object = None       # tasks.Runtime the tasks run with (the worker warms it up)

    def enqueue_event(self, event: dict) -> None:
        self.process_event(event)

    def enqueue_many(self, events: list[dict], *, cursor=None) -> None:
        """Enqueue a batch in one SQLite transaction / one Redis round trip (ack.py's group commit).

        The messages are huey's own (``Huey.serialize_task``) and are written with the very statement
        huey's storage uses for one task (``SqliteStorage.enqueue``: ``insert into task (queue, data,
        priority)``; ``RedisStorage.enqueue``: ``LPUSH queue_key``), only several per commit; the
        consumer reads them like any other (tests/test_ack.py runs them through the consumer's code
        path). ``cursor``: a connection to this queue's SQLite file with a transaction open (see
        ``shares_database_with``); the rows are then written in that transaction, not in one of ours.
        """
        from huey.storage import RedisStorage

        storage = self.huey.storage
        messages = [self.huey.serialize_task(self.process_event.s(event)) for event in events]
        if isinstance(storage, SqliteStorage):
            rows = [(storage.name, storage.to_blob(m), 0) for m in messages]
            if cursor is not None:
                cursor.executemany(_INSERT_TASK, rows)
                return
            with storage.db(commit=True) as own:
                own.executemany(_INSERT_TASK, rows)
        elif cursor is not None:
            raise ValueError("a cursor can only be given for a SQLite queue")
        elif type(storage) is RedisStorage:
            pipe = storage.conn.pipeline(transaction=True)
            for message in messages:
                pipe.lpush(storage.queue_key, message)
            pipe.execute()
        else:                                  # any other backend: one enqueue each, as huey does it
            for event in events:
                self.enqueue_event(event)

    def shares_database_with(self, store) -> bool:
        """True when this queue's tables are in the store's SQLite file: claims and tasks can then be
        written in one transaction (``store.claim_many(..., then=...)``)."""
        storage = self.huey.storage
        store_path = getattr(store, "path", None)
        return (isinstance(storage, SqliteStorage) and store_path is not None
                and Path(storage.filename).resolve() == Path(store_path).resolve())

    def pending_count(self) -> int:
        return self.huey.pending_count()

    def scheduled_count(self) -> int:
        return self.huey.scheduled_count()


class _WalNormalStorage(SqliteStorage):
    """huey's SqliteStorage with ``synchronous=NORMAL`` in WAL mode (huey offers only FULL or OFF).

    Why NORMAL: in WAL mode a commit is then an append to the WAL file without an fsync; the fsync
    happens at checkpoints. SQLite documents that this is durable against an application crash - any
    process killed at any moment, SIGKILL included, loses no committed transaction - and that the
    database stays consistent, but "a transaction committed in WAL mode with synchronous=NORMAL might
    roll back following a power loss or system crash" (https://www.sqlite.org/pragma.html#pragma_synchronous,
    https://www.sqlite.org/wal.html). The issue asks for survival of restarts and crashes of our processes;
    an fsync per commit cost more than half the acknowledgement throughput here. Where a power cut must
    not lose an acknowledged webhook, use the Redis mode with AOF ``appendfsync always`` (deploy/), or set
    the queue to FULL by removing this class. The state store (store.py) has used NORMAL from the start.
    """

    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        return conn


class _SqliteHuey(SqliteHuey):
    storage_class = _WalNormalStorage


def make_huey(settings) -> Huey:
    if settings.uses_redis:
        return RedisHuey(QUEUE_NAME, url=settings.queue_url, results=False)
    from .store import sqlite_path

    path = sqlite_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    huey = _SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    adopt_legacy_queue_file(path.parent / LEGACY_QUEUE_FILE, path)
    return huey


def adopt_legacy_queue_file(legacy: Path, target: Path) -> int:
    """Move the tasks waiting in an older data dir's separate queue file into ``target`` (one
    transaction), then delete the old file; returns how many tasks moved. Safe when several processes
    start at once: the move is atomic, and a process that comes second finds nothing left to move.
    Nothing would be lost without it (the sweeper re-enqueues every pending event), only delayed."""
    import sqlite3

    if not legacy.exists():
        return 0
    conn = sqlite3.connect(f"file:{target}", uri=True, timeout=30, isolation_level=None)
    moved = 0
    try:
        try:      # mode=rw: never create the old file again if another process just deleted it
            conn.execute("attach database ? as legacy", (f"file:{legacy}?mode=rw",))
        except sqlite3.OperationalError:
            return 0
        tables = {row[0] for row in conn.execute("select name from legacy.sqlite_master where type = 'table'")}
        conn.execute("begin immediate")
        if "task" in tables:
            moved += conn.execute("insert into main.task (queue, data, priority) "
                                  "select queue, data, priority from legacy.task order by id").rowcount
            conn.execute("delete from legacy.task")
        if "schedule" in tables:
            moved += conn.execute("insert into main.schedule (queue, data, timestamp) "
                                  "select queue, data, timestamp from legacy.schedule order by id").rowcount
            conn.execute("delete from legacy.schedule")
        conn.execute("commit")
        conn.execute("detach database legacy")
    finally:
        conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{legacy}{suffix}").unlink(missing_ok=True)
    return moved


def build_queue(settings, store=None, **runtime_options) -> Queue:
    """The queue with our tasks registered. ``store`` defaults to ``store.open_store(settings)``;
    ``runtime_options`` (client_factory, composer) are passed to ``tasks.Runtime``."""
    from . import tasks
    from .store import open_store

    huey = make_huey(settings)
    runtime = tasks.Runtime(settings, store if store is not None else open_store(settings), **runtime_options)
    process_event, sweep_pending = tasks.register(huey, runtime)
    return Queue(huey=huey, process_event=process_event, sweep_pending=sweep_pending, runtime=runtime)
