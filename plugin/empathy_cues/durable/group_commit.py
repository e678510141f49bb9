"""Group commit for webhook acknowledgements: many request threads, one writer, few transactions.

Why: a 202 may only be sent once the event is stored durably (service/intake.py: nothing is acknowledged before
it is stored). Stored one by one, each webhook costs two SQLite commits (dedupe claim, huey enqueue), each
a WAL append under a database-wide write lock, and the request threads of every gunicorn worker queue up
behind that lock: a web worker then spends most of its time waiting in huey's ``BaseSqlStorage.db`` lock
instead of answering (tests/benchmarks/webhook_load.py shows the throughput this buys).
Here request threads take turns as the *leader*: a thread that finds no commit under way leads; one that
finds a commit under way queues its event and sleeps. The leader first waits for the state file's writer
turn (``store.WriterLock``: the other web workers and the queue worker write it too), then takes all events
waiting at that moment (up to ``MAX_BATCH``; those that arrived while it waited included), claims their
dedupe keys in one transaction, enqueues them in one transaction, and only then wakes their threads,
which answer 202; if more events queued up meanwhile, it hands the lead to
the thread of the oldest, which commits those. The more requests arrive together, the more share each
commit: the same durability per event, a fraction of the commits. This is the group commit of databases
(PostgreSQL ``commit_delay``, InnoDB's binlog group commit), done one level up because each of our requests
is its own transaction. No thread of its own: a leader is a request thread that would wait anyway, so a
batch costs no extra thread wake-up, and nothing has to be restarted after gunicorn forks a worker; each
waiting thread sleeps on a plain lock of its own (``threading.Event`` wraps a lock in a condition, one
more layer on a path every webhook takes; in a gevent worker a semaphore of gevent's, see ``_Sync``).

Durability is unchanged: every 202 still follows the commits that hold its event. A crash between the
two commits leaves claimed-but-not-enqueued events as *pending* rows, which the worker's sweeper
re-enqueues (service/intake.py explains that window; it existed before, per event).
"""
from __future__ import annotations

import contextlib
import functools
import logging
import sys
import threading

log = logging.getLogger("empathy_cues.durable.group_commit")

MAX_BATCH = 256


def _let_readers_join() -> None:
    """In a gevent worker, let every greenlet whose request has already arrived reach ``accept`` before
    the leader takes its batch (``_Sync.join`` is this, or nothing outside gevent).

    A commit runs on the process's one OS thread and blocks the event loop, so nothing joins a batch
    while one is being stored, and a leader that went straight on took only the events queued before
    it was woken, often its own alone, each commit paying a transaction's fixed cost (page reads
    after another process wrote, the WAL header, the locks). ``gevent.idle``
    returns once the loop has nothing ready to run, that is once every request already read has
    queued its event (or is still reading its body), so one commit takes them all. Threads need no
    such step: SQLite releases the GIL while it works, and they queue meanwhile."""
    import gevent

    gevent.idle()


def _held_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


class _Sync:
    """The committer's primitives: a mutex, a held lock per waiting request (released to wake it), and
    the step that lets readers join a batch. Chosen once, when the committer is built (after gunicorn's
    gevent worker patched ``threading``): there, gevent's own semaphores, not ``threading.Lock`` as gevent
    patches it, which wraps the same semaphore in a Python method on every acquire."""

    def __init__(self) -> None:
        monkey = sys.modules.get("gevent.monkey")
        if monkey is not None and monkey.is_module_patched("threading"):
            from gevent.lock import BoundedSemaphore, Semaphore

            self.mutex = BoundedSemaphore(1)
            self.held = functools.partial(Semaphore, 0)
            self.join = _let_readers_join
        else:
            self.mutex = threading.Lock()
            self.held = _held_lock
            self.join = _nothing


def _nothing() -> None:
    pass


class _Item:
    __slots__ = ("keys", "pending_key", "event", "wake", "done", "lead", "accepted", "error")

    def __init__(self, keys: list[str], pending_key: str, event: dict, wake) -> None:
        self.keys, self.pending_key, self.event = keys, pending_key, event
        self.wake = wake                  # held; released when done or handed the lead
        self.done = self.lead = self.accepted = False
        self.error: BaseException | None = None


class GroupCommitter:
    """``accept(keys, pending_key, event)``: True once stored durably, False for a duplicate; raises if
    the event could not be stored (its keys are released, so the helpdesk's redelivery is accepted)."""

    def __init__(self, store, queue, *, max_batch: int = MAX_BATCH) -> None:
        self.store, self.queue, self.max_batch = store, queue, max_batch
        self._sync = _Sync()
        self._mutex = self._sync.mutex
        self._items: list[_Item] = []
        self._leading = False           # a thread is committing; later arrivals queue and sleep
        # SqliteStore: the cross-process writer turn (store.WriterLock); Redis needs none
        self._write_turn = getattr(store, "write_turn", contextlib.nullcontext)
        from .. import metrics          # not at import time (metrics.py says why)

        self._batch_sizes = metrics.ACK_BATCH_EVENTS

    def accept(self, keys: list[str], pending_key: str, event: dict) -> bool:
        item = _Item(list(keys), pending_key, event, self._sync.held())
        with self._mutex:
            self._items.append(item)
            lead = not self._leading
            self._leading = True
        if not lead:
            item.wake.acquire()          # until a leader committed it, or handed this thread the lead
            lead = item.lead
        if lead:
            self._lead()
        if item.error is not None:
            raise item.error
        return item.accepted

    def _lead(self) -> None:
        """Commit what is waiting (this thread's own event among it), then pass the lead on or drop it.

        The batch is taken only once this thread has the store's writer turn (another web process may
        hold it): whatever arrived while it waited goes into this commit instead of the next one. The
        waiting threads are woken only after the turn is given back: woken threads take the GIL, and a
        turn held while its leader waits for the GIL again holds up every other writer."""
        batch: list[_Item] = []
        self._sync.join()
        try:
            with self._write_turn():
                with self._mutex:
                    batch, self._items = self._items[:self.max_batch], self._items[self.max_batch:]
                self._commit(batch)
        except BaseException as exc:       # the turn itself failed (say, the lock file cannot be opened)
            if not batch:
                with self._mutex:
                    batch, self._items = self._items[:self.max_batch], self._items[self.max_batch:]
            for item in batch:
                if not item.done:          # not stored: its webhook gets an error, never a 202
                    item.error, item.done = exc, True
        finally:
            for item in batch:
                if not item.lead:
                    item.wake.release()
            with self._mutex:
                if self._items:
                    nxt = self._items[0]
                    nxt.lead = True
                    nxt.wake.release()
                else:
                    self._leading = False

    def _commit(self, batch: list[_Item]) -> None:
        """Store the batch and record each item's outcome (``accepted`` or ``error``); never raises."""
        self._batch_sizes.observe(len(batch))
        try:
            accepted = self.store.claim_many([(i.keys, i.pending_key, i.event) for i in batch])
            fresh = [item for item, ok in zip(batch, accepted) if ok]
            try:
                if fresh:
                    self.queue.enqueue_many([i.event for i in fresh])
            except BaseException:
                for item in fresh:
                    try:
                        self.store.release(item.keys, item.pending_key)
                    except Exception:       # still pending: the sweeper will enqueue it; no ack is sent
                        log.exception("release after a failed enqueue failed")
                raise
            for item, ok in zip(batch, accepted):
                item.accepted = ok
        except BaseException as exc:       # nothing of this batch is acknowledged
            for item in batch:
                item.error = exc
        finally:
            for item in batch:
                item.done = True
