"""Turns for the writers of one SQLite file across threads and processes (see :class:`WriterLock`)."""
from __future__ import annotations

import os
import sys
import threading
import time
import weakref
from pathlib import Path

try:
    import fcntl
except ImportError:           # Windows: WriterLock falls back to SQLite's busy handler
    fcntl = None


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
    within a thread (the group commit holds a turn around a whole batch, and the store's transaction takes it
    again). Get it with ``for_file``: one per file and process, whoever writes the file. A forked child
    closes the descriptors it inherited, which share the parent's open files and so its locks. Where
    ``fcntl`` is missing (Windows) this does nothing, and SQLite's busy handler alone orders writers.
    Order, where two are held at once: the state file's, then the queue file's (the group commit's leader); nothing
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
    """In a gevent web worker (service/gunicorn_conf.py) every request is a greenlet of one OS thread."""
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
