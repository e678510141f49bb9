"""Writer turns for the SQLite files (store.WriterLock): real flock locks, real threads, real processes.

A "probe" is an open file description of our own on the lock file: ``flock(LOCK_EX | LOCK_NB)`` on it
tells, without waiting, whether anybody holds the turn.
"""
import fcntl
import gc
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.durable.writer_lock import WriterLock

from .test_queue import sqlite_setup  # noqa: F401 - fixture


def turn_is_free(lock: WriterLock) -> bool:
    fd = os.open(lock.path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)            # closing drops the probe's own lock, if it got one
    return True


def enter_in_thread(lock: WriterLock) -> tuple[threading.Event, threading.Event]:
    """A thread that takes the turn (``got``) and holds it until ``leave`` is set."""
    got, leave = threading.Event(), threading.Event()

    def run():
        with lock:
            got.set()
            leave.wait(10)

    threading.Thread(target=run, daemon=True).start()
    return got, leave


def holder_process(db) -> subprocess.Popen:
    """Another process that takes the turn for ``db``, prints "held" and keeps it until a line on stdin."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from empathy_cues.durable.writer_lock import WriterLock
            with WriterLock.for_file({str(db)!r}):
                print("held", flush=True)
                sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_writer_in_another_process_waits_and_gets_the_turn_when_it_is_released(tmp_path):
    db = tmp_path / "state.sqlite3"
    holder = holder_process(db)
    try:
        got, leave = enter_in_thread(WriterLock.for_file(db))
        assert not got.wait(0.3)                   # the other process has it: we wait
        holder.stdin.write("release\n")
        holder.stdin.flush()
        assert got.wait(5)                         # handed over as soon as it is released
        leave.set()
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_holder_leaves_no_turn_behind(tmp_path):
    db = tmp_path / "state.sqlite3"
    holder = holder_process(db)
    lock = WriterLock.for_file(db)
    assert not turn_is_free(lock)
    holder.kill()                                  # SIGKILL, mid-turn
    holder.wait()
    got, leave = enter_in_thread(lock)
    assert got.wait(5)
    leave.set()


def test_threads_of_one_process_take_turns(tmp_path):
    lock = WriterLock.for_file(tmp_path / "state.sqlite3")
    first, leave_first = enter_in_thread(lock)
    assert first.wait(5)
    second, leave_second = enter_in_thread(lock)
    assert not second.wait(0.3)
    leave_first.set()
    assert second.wait(5)
    leave_second.set()


def test_the_turn_is_reentrant_within_a_thread_and_held_until_the_outer_exit(tmp_path):
    lock = WriterLock.for_file(tmp_path / "state.sqlite3")
    with lock:
        with lock:                                 # would wait for itself forever if not reentrant
            assert not turn_is_free(lock)
        assert not turn_is_free(lock)              # the inner exit keeps the outer turn
    assert turn_is_free(lock)


def test_every_writer_of_a_file_shares_one_lock(tmp_path):
    from empathy_cues.durable.queue import _WalNormalStorage

    db = tmp_path / "state.sqlite3"
    (tmp_path / "link").symlink_to(tmp_path)
    store = SqliteStore(db)
    assert WriterLock.for_file(db) is store.write_turn() is WriterLock.for_file(tmp_path / "link" / db.name)
    queue_file = tmp_path / "queue.sqlite3"
    assert _WalNormalStorage("q", filename=str(queue_file))._writer is WriterLock.for_file(queue_file)
    assert WriterLock.for_file(queue_file) is not store.write_turn()


def test_store_transactions_and_queue_commits_hold_the_turn(tmp_path):
    from empathy_cues.durable.queue import _WalNormalStorage

    store = SqliteStore(tmp_path / "state.sqlite3")
    with store._tx():
        assert not turn_is_free(store.write_turn())
    assert turn_is_free(store.write_turn())
    storage = _WalNormalStorage("q", filename=str(tmp_path / "queue.sqlite3"))
    with storage.db(commit=True):
        assert not turn_is_free(storage._writer)
    with storage.db():                             # reads take no turn
        assert turn_is_free(storage._writer)


def test_a_forked_child_does_not_inherit_its_parents_turn(tmp_path):
    """The forking thread's own locals live on in the child: without the at-fork reset its ``with``
    would count as a nested turn and go straight in, beside the parent."""
    lock = WriterLock.for_file(tmp_path / "state.sqlite3")
    with lock:
        pid = os.fork()
        if pid == 0:                               # the child, in the thread that forked
            code = 3
            try:
                def give_up(signum, frame):
                    raise TimeoutError

                signal.signal(signal.SIGALRM, give_up)
                signal.setitimer(signal.ITIMER_REAL, 0.3)
                try:
                    lock.__enter__()
                    code = 1                       # went in while the parent holds the turn
                except TimeoutError:
                    code = 0                       # waited, as it must
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_threads_descriptor_is_closed_when_the_thread_ends(tmp_path):
    lock = WriterLock.for_file(tmp_path / "state.sqlite3")
    before = len(os.listdir("/proc/self/fd"))

    def once():
        with lock:
            pass

    threads = [threading.Thread(target=once) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= before


def test_the_group_commit_takes_its_batch_once_it_has_the_turn(sqlite_setup):
    """Webhooks that arrive while another process commits all go into the next commit together."""
    waiting = 10
    from empathy_cues.durable.group_commit import GroupCommitter

    from .test_ack import CountingStore, claim_args, events, run_together
    from .test_queue import RecordingClient, make

    settings, store = sqlite_setup
    queue = make(settings, store, RecordingClient())
    counting = CountingStore(store, first_delay=0)
    committer = GroupCommitter(counting, queue)
    other_process = os.open(store.write_turn().path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other_process, fcntl.LOCK_EX)       # another web worker is mid-commit

    def release_soon():
        deadline = time.monotonic() + 10
        while len(committer._items) < waiting and time.monotonic() < deadline:
            time.sleep(0.01)
        fcntl.flock(other_process, fcntl.LOCK_UN)

    releaser = threading.Thread(target=release_soon)
    releaser.start()
    try:
        results = run_together([lambda d=d: committer.accept(*claim_args(d)) for d in events(waiting, first=12000)])
    finally:
        releaser.join()
        os.close(other_process)
    assert results == [True] * waiting
    assert counting.batches == [waiting]             # one commit for all, not one for the first alone
    assert queue.pending_count() == waiting

