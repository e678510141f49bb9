"""Opening the plugin's SQLite files (state, queue, decision log, admin sign-in counts) in WAL mode."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def connect_wal(path: Path | str, *, timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode to ``path``, whose database is in WAL mode.

    Why the retry: turning a new database to WAL needs it to itself, and when several connections open a
    new file at the same moment (two worker processes on a fresh data directory, two threads of one)
    SQLite may answer "database is locked" at once instead of waiting. Before this, the first event of
    such a worker went to the dead letters. Once the file is in WAL mode the pragma only reads it."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("pragma journal_mode=wal")
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                conn.close()
                raise
            time.sleep(0.01)
