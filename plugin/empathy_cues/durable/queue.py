"""The durable task queue, chosen in ONE place: SQLite file in the data dir, or Redis.

huey stores each enqueued task before ``enqueue`` returns: ``SqliteStorage.enqueue`` runs
``insert into task ...`` inside ``begin exclusive ... commit`` on an autocommit connection
(huey/storage.py, BaseSqlStorage.db(commit=True)); ``RedisStorage.enqueue`` is one LPUSH the server
has applied when the call returns. So once ``enqueue`` returns, the webhook may be acknowledged.
Tasks are registered on the instance here (``worker.task.register``), so the web process and the worker
agree on task names without a module-level huey built at import time.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import RedisStorage, SqliteStorage
from redis.exceptions import RedisError

from .sqlite_state import WAL_AUTOCHECKPOINT_PAGES, insert_rows
from .writer_lock import WriterLock

QUEUE_NAME = "empathy-cues"
log = logging.getLogger("empathy_cues.durable.queue")


@dataclass
class Queue:
    huey: Huey
    process_event: object        # huey TaskWrapper: process_event(event_dict) enqueues
    sweep_pending: object        # sweep_pending() re-enqueues events lost in a crash window (worker.task.register)
    runtime: object = None       # worker.runtime.Runtime the tasks run with (the worker warms it up)

    def enqueue_event(self, event: dict) -> None:
        self.huey.enqueue(self.process_event.s(event, id=task_id()))

    def enqueue_many(self, events: list[dict]) -> None:
        """Enqueue a batch in one SQLite transaction / one Redis round trip (the group commit's group commit).

        The messages are huey's own: the message huey builds for a ``process_event`` task (``_template``),
        with each event's id and argument put in. Building a huey Task per event and turning it back into a
        message again did the same work per webhook to the same result. Each storage subclass below writes
        them with the very statement huey's storage uses for one task (``SqliteStorage.enqueue``: ``insert
        into task (queue, data, priority)``; ``RedisStorage.enqueue``: ``LPUSH queue_key``), only several
        per commit; the consumer reads them like any other. tests/test_ack.py runs them through the
        consumer's code path, and tests/test_queue.py compares them with huey's own.
        """
        template, serialize = self._template, self.huey.serializer.serialize
        self.huey.storage.enqueue_many([serialize(template._replace(id=task_id(), args=(event,)))
                                        for event in events])

    @functools.cached_property
    def _template(self):
        """huey's message (``huey.registry.Message``, a named tuple) for a ``process_event`` task, as
        ``Huey.serialize_task`` makes it: the task's name and its retry policy. Read back from huey's own
        serialisation, so whatever huey puts in a message is in it."""
        huey = self.huey
        return huey.serializer.deserialize(huey.serialize_task(self.process_event.s(None, id="")))

    def pending_count(self) -> int:
        return self.huey.pending_count()

    def scheduled_count(self) -> int:
        return self.huey.scheduled_count()


def task_id() -> str:
    """A task's id: 128 random bits as hex. huey's default is ``str(uuid.uuid4())``, the same randomness
    read through the UUID class, whose constructor is most of what building a task costs."""
    return os.urandom(16).hex()


class _WalNormalStorage(SqliteStorage):
    """huey's SqliteStorage with ``synchronous=NORMAL`` in WAL mode (huey offers only FULL or OFF).

    Why NORMAL: in WAL mode a commit is then an append to the WAL file without an fsync; the fsync
    happens at checkpoints. SQLite documents that this is durable against an application crash - any
    process killed at any moment, SIGKILL included, loses no committed transaction - and that the
    database stays consistent, but "a transaction committed in WAL mode with synchronous=NORMAL might
    roll back following a power loss or system crash" (https://www.sqlite.org/pragma.html#pragma_synchronous,
    https://www.sqlite.org/wal.html). What the embedded mode promises is surviving restarts and crashes of
    our processes, and an fsync per commit would put a disk flush on every acknowledgement. Where a power cut must
    not lose an acknowledged webhook, use the Redis mode with AOF ``appendfsync always`` (deploy/), or set
    the queue to FULL by removing this class. The state store (sqlite_state.py) has used NORMAL from the start.
    """

    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        conn.execute("pragma secure_delete=ON")      # a dequeued task's text is zeroed, not left in free pages
        conn.execute("pragma temp_store=memory")     # no statement journal in /var/tmp (sqlite_state.py says why)
        conn.execute(f"pragma wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")   # sqlite_state.py says why
        return conn

    def enqueue_many(self, messages: list[bytes]) -> None:
        """Several of huey's messages in one transaction (Queue.enqueue_many), in one statement, not one
        GIL hand-back a row."""
        with self.db(commit=True) as cursor:
            insert_rows(cursor, "insert into task (queue, data, priority) values ",
                        [(self.name, self.to_blob(m), 0) for m in messages])

    def checkpoint(self) -> bool:
        """Empty the WAL into the database (store.checkpoint_wal), inside this file's writer turn."""
        from .sqlite_state import checkpoint_wal

        with self._writer, self.db() as cursor:
            return checkpoint_wal(cursor.connection)

    @contextlib.contextmanager
    def db(self, commit=False, close=False):
        """huey's own, inside this file's writer turn (store.WriterLock) when it writes."""
        with self._writer if commit else contextlib.nullcontext(), super().db(commit, close) as cursor:
            yield cursor

    @functools.cached_property
    def _writer(self) -> WriterLock:
        return WriterLock.for_file(Path(self.filename))


class _SqliteHuey(SqliteHuey):
    storage_class = _WalNormalStorage


class RedisOutage:
    """One process's view of whether Redis answers: one log line when it stops answering and one when
    it answers again, and a growing pause between tries meanwhile (0.5 s doubling to 10 s). huey's
    consumer would otherwise log a traceback per worker thread and scheduler tick (about seven a second
    with our settings) and retry at once."""

    def __init__(self, sleep=time.sleep) -> None:
        self.sleep = sleep
        self.failures = 0
        self._lock = threading.Lock()

    def failed(self, exc: Exception, *, pause: bool = True) -> None:
        with self._lock:
            self.failures += 1
            first = self.failures == 1
            delay = min(10.0, 0.5 * 2 ** min(self.failures - 1, 5))
        if first:
            log.error("queue unreachable: Redis %s (%s); retrying with back-off up to 10 s",
                      type(exc).__name__, str(exc)[:200])
        if pause:
            self.sleep(delay)

    def filter(self, record: logging.LogRecord) -> bool:
        """A logging filter for the consumer's handlers: huey's own tracebacks for a Redis error (its
        scheduler moving a due retry, a task cut off mid-way) become part of this one outage line."""
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, RedisError) and record.name.startswith("huey"):
            self.failed(exc, pause=False)
            return False
        return True

    def answered(self) -> None:
        if self.failures:
            with self._lock:
                failures, self.failures = self.failures, 0
            if failures:
                log.warning("queue reachable again: Redis answers (after %d failed tries)", failures)


_OUTAGE = RedisOutage()


def redis_outage() -> RedisOutage:
    """This process's Redis outage state (one per process: every worker thread shares it)."""
    return _OUTAGE


class _OutageAwareRedisStorage(RedisStorage):
    """huey's RedisStorage whose consumer-side reads ride out a Redis outage (RedisOutage)."""

    def enqueue_many(self, messages: list[bytes]) -> None:
        """Several of huey's messages in one round trip (Queue.enqueue_many)."""
        pipe = self.conn.pipeline(transaction=True)
        for message in messages:
            pipe.lpush(self.queue_key, message)
        pipe.execute()

    def checkpoint(self) -> bool:
        """Nothing to do: Redis keeps no WAL with old copies of dequeued tasks."""
        return False

    def dequeue(self):
        try:
            task = super().dequeue()
        except RedisError as exc:
            _OUTAGE.failed(exc)
            return None
        _OUTAGE.answered()
        return task

    def read_schedule(self, ts):
        try:
            tasks = super().read_schedule(ts)
        except RedisError as exc:
            _OUTAGE.failed(exc)
            return []
        _OUTAGE.answered()
        return tasks


class _RedisHuey(RedisHuey):
    storage_class = _OutageAwareRedisStorage


def make_huey(settings) -> Huey:
    if settings.uses_redis:
        return _RedisHuey(QUEUE_NAME, url=settings.queue_url, results=False)
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    return _SqliteHuey(QUEUE_NAME, filename=str(data_dir / "queue.sqlite3"), results=False)


def build_queue(settings, store=None, **runtime_options) -> Queue:
    """The queue with our tasks registered. ``store`` defaults to ``state.open_store(settings)``;
    ``runtime_options`` (client_factory, composer) are passed to ``worker.runtime.Runtime``."""
    from ..worker import task as tasks
    from ..worker.runtime import Runtime
    from .state import open_store

    huey = make_huey(settings)
    runtime = Runtime(settings, store if store is not None else open_store(settings), **runtime_options)
    process_event, sweep_pending = tasks.register(huey, runtime)
    return Queue(huey=huey, process_event=process_event, sweep_pending=sweep_pending, runtime=runtime)
