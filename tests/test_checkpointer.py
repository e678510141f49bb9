"""The queue worker's WAL checkpoints (durable/checkpointer.py): the bulk off the writer turn, the WAL
started over once it is large, the writers' own checkpoint only a fallback."""
from __future__ import annotations

import contextlib
import os
import threading
import time

from empathy_cues.durable import checkpointer
from empathy_cues.durable.checkpointer import Checkpointer
from empathy_cues.durable.sqlite_state import WAL_AUTOCHECKPOINT_PAGES
from empathy_cues.durable.writer_lock import WriterLock

from .test_ack import events
from .test_queue import RecordingClient, make, redis_setup, sqlite_setup  # noqa: F401


def _claim(store, count, *, first):
    return store.claim_many([([f"delivery:{e['delivery_id']}"], f"k:{e['delivery_id']}", e)
                             for e in events(count, first=first)])


def test_writers_checkpoint_only_as_a_fallback_well_above_the_checkpointers_threshold(sqlite_setup):
    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    assert WAL_AUTOCHECKPOINT_PAGES >= 2 * checkpointer.RESTART_FRAMES
    assert store._db().execute("pragma wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES
    with queue.huey.storage.db() as cursor:
        assert cursor.execute("pragma wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES


def test_the_files_are_the_state_and_the_queue_in_sqlite_mode_and_none_with_redis(sqlite_setup, redis_setup):
    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    assert checkpointer.sqlite_files(store, queue.huey) == [store.path, settings.data_dir / "queue.sqlite3"]
    settings, store = redis_setup
    assert checkpointer.sqlite_files(store, make(settings, store, RecordingClient()).huey) == []


@contextlib.contextmanager
def _writer_turn_held(path):
    """Another thread holds the file's writer turn until the block ends."""
    held, release = threading.Event(), threading.Event()

    def hold():
        with WriterLock.for_file(path):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    try:
        yield
    finally:
        release.set()
        holder.join()


def test_a_small_wal_is_copied_without_the_writer_turn(sqlite_setup):
    _, store = sqlite_setup
    _claim(store, 20, first=1)
    with _writer_turn_held(store.path):
        started = time.monotonic()
        frames, left = Checkpointer(store.path, restart_frames=10_000).run_once()   # must not wait for the turn
        assert time.monotonic() - started < 2
        assert frames > 0 and left == 0


def test_a_large_wal_is_completed_and_the_next_commit_starts_it_over(sqlite_setup):
    _, store = sqlite_setup
    for n in range(5):
        _claim(store, 20, first=1 + 100 * n)
    wal = str(store.path) + "-wal"
    size = os.path.getsize(wal)
    frames, left = Checkpointer(store.path, restart_frames=1).run_once()
    assert frames > 0 and left == 0
    _claim(store, 20, first=9000)
    assert os.path.getsize(wal) == size          # started over: written from its beginning, not appended
    assert [store.claim_many([([f"delivery:d-{i}"], "x", {})]) for i in (1, 110, 9005)] == [[False]] * 3  # kept


def test_the_large_wal_step_waits_for_the_writer_turn(sqlite_setup):
    _, store = sqlite_setup
    _claim(store, 20, first=1)
    done = threading.Event()
    runner = threading.Thread(target=lambda: (Checkpointer(store.path, restart_frames=1).run_once(), done.set()))
    with _writer_turn_held(store.path):
        runner.start()
        assert not done.wait(0.5)          # the completing step is inside the turn
    runner.join(10)
    assert done.is_set()


def test_the_loop_logs_a_failure_once_and_carries_on(tmp_path, caplog):
    rounds = []

    def sleep(_seconds):
        rounds.append(1)
        if len(rounds) >= 5:
            raise SystemExit

    (tmp_path / "not-a-database").mkdir()           # SQLite cannot open a directory: every round fails
    try:
        checkpointer.run([tmp_path / "ok.sqlite3", tmp_path / "not-a-database"], every=0, sleep=sleep)
    except SystemExit:
        pass
    failures = [r for r in caplog.records if "WAL checkpoint failed" in r.getMessage()]
    assert len(failures) == 1 and len(rounds) == 5
