"""Several workers opening a new SQLite file at the same moment: none fails (real files, real threads).

Turning a new database to WAL needs it to itself; SQLite answered "database is locked" to the losers
of that race, and a worker's first event went to the dead letters (two workers on a fresh data
directory). Each store opens its file through ``sqlite_files.connect_wal``.
"""
import threading

import pytest

from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.records.store import SqliteRecords
from empathy_cues.service.web.admin.throttle import SqliteCounter
from empathy_cues.sqlite_files import connect_wal

OPENERS = {"state": SqliteStore, "decision log": SqliteRecords, "admin sign-in counts": SqliteCounter}


@pytest.mark.parametrize("name", list(OPENERS))
def test_many_threads_open_a_new_file_at_once(tmp_path, name):
    opener = OPENERS[name]
    errors: list[str] = []
    for round_ in range(15):
        path = tmp_path / f"{round_}.sqlite3"
        barrier = threading.Barrier(8)

        def open_it():
            barrier.wait()
            try:
                opener(path)
            except Exception as exc:          # what a worker would have dead-lettered
                errors.append(repr(exc))

        threads = [threading.Thread(target=open_it) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []


def test_the_connection_is_in_wal_mode_and_autocommit(tmp_path):
    conn = connect_wal(tmp_path / "x.sqlite3", timeout=1)
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.isolation_level is None
