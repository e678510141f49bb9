"""WAL checkpoints of the embedded mode's SQLite files, taken off the acknowledgement path.

Why: a checkpoint copies the WAL's pages into the database file and syncs both (two fsyncs). Left to
SQLite's automatic checkpoint, it runs inside the commit that fills the WAL, and so inside that writer's
turn (writer_lock.py): every web worker's group commit and the queue worker then waited for it. Measured
on a state file of 70,000 keys, that commit took about 40 ms of wall time, 9 ms of it CPU: the rest was
the fsyncs, during which no webhook could be acknowledged; at 1,200 acknowledgements a second the state
file alone fills 4,000 WAL pages about once a second.

Here the queue worker's own thread checkpoints instead, in two steps:

1. Every ``EVERY_SECONDS``, a PASSIVE checkpoint without the writer turn: the bulk of the copying and
   both fsyncs, while writers go on committing (SQLite lets a checkpoint run beside writers in WAL mode;
   https://www.sqlite.org/wal.html#checkpointing).
2. Once the WAL holds ``RESTART_FRAMES`` or more, a second PASSIVE checkpoint inside the writer turn: it
   only has the frames committed during step 1 left to copy, and since no writer can append meanwhile
   it completes, so the next writer starts the WAL over from its beginning (without it, writers that
   never pause would make it grow for as long as the load lasts).

The writers' own automatic checkpoint stays, at a larger interval (``sqlite_state.WAL_AUTOCHECKPOINT_PAGES``),
as the fallback for a web server running without its queue worker. Durability is untouched: a commit is
durable against a crash of our processes once it is in the WAL (synchronous=NORMAL, queue.py says more);
the checkpoint only moves pages into the database file, and SQLite reads each page from whichever is newer.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from ..sqlite_files import connect_wal
from .writer_lock import WriterLock

log = logging.getLogger("empathy_cues.durable.checkpointer")

EVERY_SECONDS = 0.5
RESTART_FRAMES = 4000


class Checkpointer:
    """Checkpoints one SQLite file (``run_once``); one instance per file, used by one thread."""

    def __init__(self, path: Path | str, *, restart_frames: int = RESTART_FRAMES) -> None:
        self.path = Path(path)
        self.restart_frames = restart_frames
        self._writer = WriterLock.for_file(self.path)
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect_wal(self.path, timeout=10)
        return self._conn

    def run_once(self) -> tuple[int, int]:
        """One round: (frames in the WAL before it, frames in the WAL it left not yet copied)."""
        db = self._db()
        _, frames, copied = db.execute("pragma wal_checkpoint(PASSIVE)").fetchone()
        if frames >= self.restart_frames:
            with self._writer:
                _, frames_now, copied = db.execute("pragma wal_checkpoint(PASSIVE)").fetchone()
            return frames, max(0, frames_now - copied)
        return frames, max(0, frames - copied)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def sqlite_files(store, huey) -> list[Path]:
    """The SQLite files the webhook path writes (state and queue); none in Redis mode."""
    paths = []
    if getattr(store, "path", None) is not None and hasattr(store, "write_turn"):
        paths.append(Path(store.path))
    filename = getattr(huey.storage, "filename", None)
    if filename:
        paths.append(Path(filename))
    return paths


def run(paths: list[Path], *, every: float = EVERY_SECONDS, sleep=time.sleep) -> None:
    """The queue worker's checkpoint thread: forever, one round per file every ``every`` seconds. A
    failure (busy, locked) is logged once, when it starts; the next round tries again."""
    from ..worker.repeat import repeat

    checkpointers = [Checkpointer(p) for p in paths]

    def round_() -> None:
        for checkpointer in checkpointers:
            checkpointer.run_once()

    repeat(round_, every=every, what="WAL checkpoint", log=log, level=logging.WARNING, sleep=sleep)
