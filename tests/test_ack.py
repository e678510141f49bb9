"""Group commit of acknowledgements (ack.py) on real storage: a SQLite file and the real Redis.

Many request threads call ``accept`` at once; what matters is that each answer is true to what is
stored (True = claimed and on the queue, False = a duplicate, an exception = nothing kept), that
concurrent arrivals share commits, and that the queue's consumer runs what the batch enqueued.
"""
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from empathy_cues.durable.group_commit import GroupCommitter
from empathy_cues.core.event import TicketEvent

from .test_queue import RecordingClient, drain, event_dict, make, redis_setup, setup, sqlite_setup  # noqa: F401


def events(count, *, first=5000):
    out = []
    for i in range(first, first + count):
        data = dict(event_dict(), ticket_id=str(i), comment_id=str(i * 10), delivery_id=f"d-{i}")
        out.append(data)
    return out


def claim_args(data):
    key = TicketEvent.from_dict(data).dedupe_key
    return [f"delivery:{data['helpdesk']}:{data['delivery_id']}", f"event:{key}"], key, data


def run_together(calls):
    """Start every call at the same moment in its own thread; (result or exception) per call, in order."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i, fn):
        barrier.wait()
        try:
            results[i] = fn()
        except BaseException as exc:    # noqa: BLE001 - the test looks at what was raised
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn), daemon=True) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "an accept() never returned"
    return results


class CountingStore:
    """The real store, with its batch claims counted; the first one is slowed down (a busy disk) so the
    other threads queue up behind it, as they do under load."""

    def __init__(self, store, first_delay=0.3):
        self.store, self.first_delay, self.batches = store, first_delay, []
        self.first_claim = threading.Event()        # set once the first batch is being claimed

    def claim_many(self, items):
        self.batches.append(len(items))
        if len(self.batches) == 1:
            self.first_claim.set()
            time.sleep(self.first_delay)
        return self.store.claim_many(items)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_concurrent_webhooks_share_commits_and_each_runs_once(setup):
    settings, store = setup
    client = RecordingClient()
    queue = make(settings, store, client)
    counting = CountingStore(store)
    committer = GroupCommitter(counting, queue)
    batch = events(40)

    results = run_together([lambda d=d: committer.accept(*claim_args(d)) for d in batch])

    assert results == [True] * 40
    assert sum(counting.batches) == 40
    # The first leader commits alone (or with the few that beat it); everyone who arrived while it
    # was busy goes in one later commit (at most a handful of commits for 40 webhooks, not 40).
    assert len(counting.batches) <= 4, counting.batches
    assert queue.pending_count() == 40
    drain(queue.huey)                    # the consumer's own code path: dequeue -> execute
    assert sorted(p.ticket_id for p in client.applied) == sorted(d["ticket_id"] for d in batch)


def test_the_same_event_delivered_twice_at_once_is_stored_once(setup):
    settings, store = setup
    queue = make(settings, store, RecordingClient())
    committer = GroupCommitter(CountingStore(store, first_delay=0.1), queue)
    batch = events(12, first=7000)
    calls = [lambda d=d: committer.accept(*claim_args(d)) for d in batch]
    # The second delivery of each event: a new delivery id, the same ticket and comment.
    calls += [lambda d=d: committer.accept(*claim_args(dict(d, delivery_id=d["delivery_id"] + "-again")))
              for d in batch]

    results = run_together(calls)

    firsts, seconds = results[:12], results[12:]
    assert all(isinstance(r, bool) for r in results), results
    assert [a + b for a, b in zip(firsts, seconds)] == [1] * 12      # exactly one of each pair stored
    assert queue.pending_count() == 12


class FailingOnceQueue:
    """The real queue, whose first batch write fails as a full or broken disk would make it fail."""

    def __init__(self, queue):
        self.queue, self.failed = queue, False

    def enqueue_many(self, items):
        if not self.failed:
            self.failed = True
            raise sqlite3.OperationalError("disk I/O error")
        return self.queue.enqueue_many(items)


def test_a_failed_enqueue_acknowledges_nothing_and_frees_the_keys(sqlite_setup):
    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    committer = GroupCommitter(store, FailingOnceQueue(queue))
    data = events(1, first=9000)[0]

    with pytest.raises(sqlite3.OperationalError):
        committer.accept(*claim_args(data))
    assert queue.pending_count() == 0
    assert store.stale_pending(time.time() + 1) == []       # no pending row left behind either

    # The helpdesk redelivers (it got no 2xx): accepted now, not refused as a duplicate.
    assert committer.accept(*claim_args(data)) is True
    assert queue.pending_count() == 1


def test_a_failed_batch_fails_only_its_own_requests(sqlite_setup):
    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    counting = CountingStore(store)
    committer = GroupCommitter(counting, FailingOnceQueue(queue))
    first, *rest = events(20, first=9100)

    def after_the_first_batch_was_taken(data):
        counting.first_claim.wait(10)
        return committer.accept(*claim_args(data))

    results = run_together([lambda: committer.accept(*claim_args(first))]
                           + [lambda d=d: after_the_first_batch_was_taken(d) for d in rest])

    assert isinstance(results[0], sqlite3.OperationalError)     # its batch's enqueue failed
    assert results[1:] == [True] * 19                           # the next batch is not touched by it
    assert queue.pending_count() == 19


class UnusableTurnStore(CountingStore):
    """The real store, whose writer turn cannot be taken the first time (a lock file it may not open)."""

    def __init__(self, store):
        super().__init__(store, first_delay=0)
        self.refused = False

    def write_turn(self):
        if not self.refused:
            self.refused = True
            raise PermissionError("data dir is read-only")
        return self.store.write_turn()


def test_a_turn_that_cannot_be_taken_fails_the_webhook_instead_of_calling_it_a_duplicate(sqlite_setup):
    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    committer = GroupCommitter(UnusableTurnStore(store), queue)
    first, second = events(2, first=9500)

    [refused] = run_together([lambda: committer.accept(*claim_args(first))])
    assert isinstance(refused, PermissionError)      # an error answer: the helpdesk will redeliver
    assert queue.pending_count() == 0 and store.stale_pending(time.time() + 1) == []
    # The lead was given back: a later webhook, and the redelivery, are stored.
    assert run_together([lambda: committer.accept(*claim_args(second))]) == [True]
    assert run_together([lambda: committer.accept(*claim_args(first))]) == [True]
    assert queue.pending_count() == 2


def test_greenlets_whose_requests_arrived_together_share_one_commit(tmp_path):
    """In a gevent web worker a commit blocks the process's one thread, so nothing queues behind a
    leader while it stores: the leader must let the greenlets already holding a request reach
    ``accept`` first, or each of them commits alone. Runs in a child: monkey patching must not leak."""
    sizes = _batch_sizes_in_gevent_child(tmp_path, """
        claim_many = store.claim_many
        store.claim_many = lambda items: sizes.append(len(items)) or claim_many(items)
        committer = GroupCommitter(store, queue)
        jobs = [gevent.spawn(committer.accept, *claim_args(e)) for e in events(12)]
        gevent.joinall(jobs, timeout=20)
        assert all(j.successful() and j.value is True for j in jobs), [j.value for j in jobs]
        assert queue.pending_count() == 12
    """)
    assert sum(sizes) == 12 and len(sizes) <= 2, sizes


def test_in_a_gevent_worker_a_failed_batch_fails_only_its_own_greenlets(tmp_path):
    """gevent's own semaphores wake the waiting greenlets there: the ones whose batch was not stored get
    the error, the lead passes on, and the greenlets that arrived meanwhile are stored by the next
    leader. Runs in a child: monkey patching must not leak."""
    sizes = _batch_sizes_in_gevent_child(tmp_path, """
        import sqlite3
        from tests.test_ack import FailingOnceQueue
        claim_many = store.claim_many

        def claim_slowly(items):
            sizes.append(len(items))
            gevent.sleep(0.05)          # the rest arrive while the first batch is being stored
            return claim_many(items)

        store.claim_many = claim_slowly
        committer = GroupCommitter(store, FailingOnceQueue(queue))
        first, *rest = events(9, first=9500)
        jobs = [gevent.spawn(committer.accept, *claim_args(first))]
        gevent.sleep(0.01)              # the first leads alone
        jobs += [gevent.spawn(committer.accept, *claim_args(e)) for e in rest]
        gevent.joinall(jobs, timeout=20)
        assert all(j.dead for j in jobs), "a greenlet never woke"
        assert isinstance(jobs[0].exception, sqlite3.OperationalError), jobs[0].exception
        assert [j.value for j in jobs[1:]] == [True] * 8, [(j.value, j.exception) for j in jobs]
        assert queue.pending_count() == 8
        assert committer.accept(*claim_args(first)) is True     # the redelivery is stored
    """)
    assert sizes[0] == 1 and sum(sizes) == 10, sizes


def test_no_connection_spills_sqlite_temporary_files_outside_the_data_directory(sqlite_setup):
    """A multi-row insert in a transaction keeps a statement journal; SQLite writes it to a file in
    /var/tmp once it passes 64 KiB unless temporary storage is in memory (2)."""
    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    assert store._db().execute("pragma temp_store").fetchone()[0] == 2
    with queue.huey.storage.db() as cursor:
        assert cursor.execute("pragma temp_store").fetchone()[0] == 2


def test_both_files_checkpoint_their_wal_at_the_same_larger_interval(sqlite_setup):
    from empathy_cues.durable.sqlite_state import WAL_AUTOCHECKPOINT_PAGES

    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    assert store._db().execute("pragma wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES > 1000
    with queue.huey.storage.db() as cursor:
        assert cursor.execute("pragma wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES


def _batch_sizes_in_gevent_child(tmp_path, body: str) -> list[int]:
    """Run ``body`` in a child with gevent's monkey patching (it must not leak into this process), a real
    SQLite store and queue in ``tmp_path``, and ``sizes`` (the batches a test records); return ``sizes``."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        from gevent import monkey; monkey.patch_all()
        import gevent
        from pathlib import Path
        from empathy_cues.durable.group_commit import GroupCommitter
        from empathy_cues.durable.queue import build_queue
        from empathy_cues.service.settings import Settings
        from empathy_cues.durable.sqlite_state import SqliteStore
        from tests.conftest import service_env
        from tests.test_ack import claim_args, events

        data = Path({str(tmp_path / 'data')!r})
        store = SqliteStore(data / "state.sqlite3")
        queue = build_queue(Settings.from_env(service_env(data)), store)
        sizes = []
    """) + textwrap.dedent(body) + "\nprint(sizes)\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            cwd=str(Path(__file__).parent.parent))
    assert result.returncode == 0, result.stderr[-2000:]
    return eval(result.stdout.strip().splitlines()[-1])       # noqa: S307 - our own child's list of ints
