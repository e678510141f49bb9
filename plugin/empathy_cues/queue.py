"""The durable task queue, chosen in ONE place: SQLite file in the data dir, or Redis.

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

QUEUE_NAME = "empathy-cues"


@dataclass
class Queue:
    huey: Huey
    process_event: object        # huey TaskWrapper: process_event(event_dict) enqueues
    sweep_pending: object        # periodic task re-enqueueing events lost in a crash window

    def enqueue_event(self, event: dict) -> None:
        self.process_event(event)

    def enqueue_many(self, events: list[dict]) -> None:
        """Enqueue a batch in one SQLite transaction / one Redis round trip (ack.py's group commit).

        The messages are huey's own (``Huey.serialize_task``) and are written with the very statement
        huey's storage uses for one task (``SqliteStorage.enqueue``: ``insert into task (queue, data,
        priority)``; ``RedisStorage.enqueue``: ``LPUSH queue_key``), only several per commit; the
        consumer reads them like any other. tests/test_ops_intake.py checks a real consumer runs them.
        """
        from huey.storage import RedisStorage, SqliteStorage

        storage = self.huey.storage
        messages = [self.huey.serialize_task(self.process_event.s(event)) for event in events]
        if type(storage) is SqliteStorage:
            with storage.db(commit=True) as cursor:
                cursor.executemany("insert into task (queue, data, priority) values (?, ?, ?)",
                                   [(storage.name, storage.to_blob(m), 0) for m in messages])
        elif type(storage) is RedisStorage:
            pipe = storage.conn.pipeline(transaction=True)
            for message in messages:
                pipe.lpush(storage.queue_key, message)
            pipe.execute()
        else:                                  # any other backend: one enqueue each, as huey does it
            for event in events:
                self.enqueue_event(event)

    def pending_count(self) -> int:
        return self.huey.pending_count()

    def scheduled_count(self) -> int:
        return self.huey.scheduled_count()


def make_huey(settings) -> Huey:
    if settings.uses_redis:
        return RedisHuey(QUEUE_NAME, url=settings.queue_url, results=False)
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    # WAL + huey's default synchronous=FULL: a committed task survives a crash of any process.
    return SqliteHuey(QUEUE_NAME, filename=str(data_dir / "queue.sqlite3"), results=False)


def build_queue(settings, store=None, **runtime_options) -> Queue:
    """The queue with our tasks registered. ``store`` defaults to ``store.open_store(settings)``;
    ``runtime_options`` (client_factory, composer) are passed to ``tasks.Runtime``."""
    from . import tasks
    from .store import open_store

    huey = make_huey(settings)
    runtime = tasks.Runtime(settings, store if store is not None else open_store(settings), **runtime_options)
    process_event, sweep_pending = tasks.register(huey, runtime)
    return Queue(huey=huey, process_event=process_event, sweep_pending=sweep_pending)
