"""The embedded state backend: seen keys, pending events, done keys and dead letters in one SQLite file
in the data directory (the contract is :class:`~empathy_cues.durable.contract.Store`)."""
from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from ..sqlite_files import connect_wal
from .contract import DONE_TTL, SEEN_TTL, WORDS_TTL, DeadLetter
from .writer_lock import WriterLock

# WAL pages after which a commit also checkpoints (SQLite's default is 1,000, about 4 MB): the fallback.
# The queue worker checkpoints both files off the writers' turn (durable/checkpointer.py) and starts the
# WAL over at checkpointer.RESTART_FRAMES (4,000 pages, about 16 MB), so a writer reaches this only when
# no queue worker runs; then its commit checkpoints inside its writer turn, as SQLite does by default.
# Larger than the checkpointer's threshold with room for the frames written between two of its rounds,
# or the acknowledgement path would still pay for the checkpoints under load. The worker's sweep still
# truncates the WAL whenever the queue is empty (tasks.checkpoint).
WAL_AUTOCHECKPOINT_PAGES = 16000
_SQL_VARIABLES = 500        # bound values per statement, well under SQLite's smallest limit (999)


def insert_rows(db, insert: str, rows: list[tuple]) -> None:
    """``insert`` + one ``(?, ...)`` group per row, as few statements as SQLite's variable limit allows.

    Why not ``executemany``: Python's sqlite3 releases the GIL around every step, so executemany gives
    the GIL up once a row; under load each hand-back waits for a busy request thread's switch interval,
    and the group commit (durable/group_commit.py) - which every waiting webhook waits for - crawls. One multi-row
    statement gives it up once."""
    if not rows:
        return
    width = len(rows[0])
    per_statement = max(1, _SQL_VARIABLES // width)
    group = "(" + ",".join("?" * width) + ")"
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        db.execute(insert + ",".join([group] * len(chunk)), [value for row in chunk for value in row])


def checkpoint_wal(conn: sqlite3.Connection) -> bool:
    """``wal_checkpoint(TRUNCATE)`` on ``conn``: True when the WAL is now empty. A WAL only grows and is
    reused from its start, so the text of events long finished survives in it (67 copies of one sentence
    after the queue had emptied). Busy (a reader holds an old snapshot) is fine: the next sweep tries again."""
    busy, _, _ = conn.execute("pragma wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def _per_os_thread() -> threading.local:
    """Storage per OS thread, also in a gevent web worker (service/gunicorn_conf.py).

    There ``threading.local`` is patched to be per *greenlet*, and each HTTP connection is a greenlet:
    every connection whose request led a group commit opened a SQLite connection of its own (17 for 16
    client connections, one more file descriptor for each new client connection, up to
    ``worker_connections``), and since each of those connections saw the others' commits, each began
    its next transaction with its page cache thrown away. The greenlets of one OS thread can share one
    connection: a SQLite call never yields to another greenlet, and no store method yields between its
    ``begin`` and its ``commit`` (the writer turn, the one wait that yields, is taken before ``begin``)."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        return monkey.get_original("threading", "local")()
    return threading.local()


class SqliteStore:
    """One SQLite file; one connection per OS thread (sqlite3 objects must not cross threads)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = _per_os_thread()
        self._writer = WriterLock.for_file(self.path)
        # executescript commits on its own; the DDL is idempotent, so no explicit transaction.
        self._db().executescript(
            """
            create table if not exists seen (key text primary key, expires_at real not null);
            create table if not exists pending (key text primary key, event text not null,
                created_at real not null, next_attempt_at real not null);
            create table if not exists done (key text primary key, expires_at real not null);
            create table if not exists lease (key text primary key, until real not null);
            create table if not exists words (key text primary key, holder text not null,
                received_at real not null, expires_at real not null);
            create table if not exists dead (id integer primary key autoincrement, key text not null,
                helpdesk text not null, ticket_id text not null, reason text not null,
                event text not null, created_at real not null);
            """
        )
        # Leases name their owner (owners.py); files made before that get the column.
        if "owner" not in {row[1] for row in self._db().execute("pragma table_info(lease)")}:
            with self._tx() as db:
                if "owner" not in {row[1] for row in db.execute("pragma table_info(lease)")}:
                    db.execute("alter table lease add column owner text")

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect_wal(self.path, timeout=10)
            conn.execute("pragma synchronous=normal")
            conn.execute("pragma secure_delete=on")     # a finished event's text is zeroed, not left in free pages
            # Temporary storage in memory: a multi-row insert inside a transaction keeps a statement
            # journal (the pages it changed, so that one statement can be undone), and past 64 KiB SQLite
            # spills it to a file it creates and unlinks in /var/tmp: a batch of acknowledgements wrote
            # 33 pages of keys and event text there on every commit, outside the data directory
            # (https://www.sqlite.org/tempfiles.html#stmtjrnl). Nothing in it must survive a crash: it
            # only undoes a statement of a transaction not yet committed.
            conn.execute("pragma temp_store=memory")
            conn.execute(f"pragma wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
            self._local.conn = conn
        return conn

    def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it: old versions of deleted rows (the customer's
        text of finished events) stay in the WAL until then (see checkpoint_wal)."""
        with self._writer:
            checkpoint_wal(self._db())

    class _Tx:
        def __init__(self, conn: sqlite3.Connection, writer: WriterLock) -> None:
            self.conn, self.writer = conn, writer

        def __enter__(self) -> sqlite3.Connection:
            self.writer.__enter__()
            try:
                # IMMEDIATE takes the write lock up front, so check-then-insert is atomic across processes.
                self.conn.execute("begin immediate")
            except BaseException:
                self.writer.__exit__()
                raise
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            try:
                self.conn.execute("rollback" if exc_type else "commit")
            except BaseException:
                # A commit that failed leaves the transaction open; the connection may be shared
                # (_per_os_thread), and the next caller's "begin" would fail on it.
                if self.conn.in_transaction:
                    try:
                        self.conn.execute("rollback")
                    except sqlite3.Error:
                        pass
                raise
            finally:
                self.writer.__exit__()

    def write_turn(self) -> WriterLock:
        """This file's writer turn, for a caller that must read and write in one turn (durable/group_commit.py)."""
        return self._writer

    def _tx(self) -> "SqliteStore._Tx":
        return self._Tx(self._db(), self._writer)

    def claim(self, keys: Iterable[str], pending_key: str, event: dict) -> bool:
        return self.claim_many([(list(keys), pending_key, event)])[0]

    def purge_expired(self) -> int:
        """Delete seen, done and lease rows past their expiry (the worker's sweep calls this, off the
        webhook path); returns how many went."""
        now = time.time()
        with self._tx() as db:
            return sum(db.execute(f"delete from {table} where {column} < ?", (now,)).rowcount
                       for table, column in (("seen", "expires_at"), ("done", "expires_at"), ("lease", "until"),
                                             ("words", "expires_at")))

    def claim_many(self, items: list[tuple[list[str], str, dict]]) -> list[bool]:
        """``claim`` for a batch of (keys, pending_key, event) in ONE transaction (one commit for many
        webhooks, see group_commit.py); a key claimed earlier in the same batch counts as seen. Three statements
        for the whole batch, not three per event: this runs once per acknowledged burst."""
        now = time.time()
        wanted = list(dict.fromkeys(k for keys, _, _ in items for k in keys))
        results: list[bool] = []
        seen_rows: list[tuple[str, float]] = []
        pending_rows: list[tuple[str, str, float, float]] = []
        with self._tx() as db:
            taken: set[str] = set()
            for chunk in range(0, len(wanted), _SQL_VARIABLES):
                part = wanted[chunk:chunk + _SQL_VARIABLES]
                taken.update(row[0] for row in db.execute(
                    f"select key from seen where key in ({','.join('?' * len(part))}) and expires_at > ?",
                    (*part, now)))
            for keys, pending_key, event in items:
                if taken.intersection(keys):
                    results.append(False)
                    continue
                taken.update(keys)
                seen_rows.extend((k, now + SEEN_TTL) for k in dict.fromkeys(keys))
                pending_rows.append((pending_key, json.dumps(event), now, now))
                results.append(True)
            insert_rows(db, "insert or replace into seen (key, expires_at) values ", seen_rows)
            insert_rows(db, "insert or replace into pending (key, event, created_at, next_attempt_at) values ",
                         pending_rows)
        return results

    def release(self, keys: Iterable[str], pending_key: str) -> None:
        keys = list(keys)
        with self._tx() as db:
            db.executemany("delete from seen where key = ?", [(k,) for k in keys])
            db.execute("delete from pending where key = ?", (pending_key,))

    def is_done(self, key: str) -> bool:
        row = self._db().execute("select 1 from done where key = ? and expires_at > ?", (key, time.time())).fetchone()
        return row is not None

    def finish(self, key: str) -> None:
        with self._tx() as db:
            db.execute("delete from pending where key = ?", (key,))
            db.execute("delete from lease where key = ?", (key,))
            db.execute("insert or replace into done (key, expires_at) values (?, ?)", (key, time.time() + DONE_TTL))

    def schedule(self, key: str, next_attempt_at: float) -> None:
        with self._tx() as db:
            db.execute("update pending set next_attempt_at = ? where key = ?", (next_attempt_at, key))
            db.execute("delete from lease where key = ?", (key,))

    def stale_pending(self, older_than: float) -> list[dict]:
        rows = self._db().execute("select event from pending where next_attempt_at < ? order by created_at",
                                  (older_than,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def begin_attempt(self, key: str, event: dict, lease_seconds: float, owner: str | None = None) -> str:
        """Take the event for one attempt: "ok", "busy" (another attempt holds its lease: this copy is a
        duplicate) or "done". Stamps the pending row (the sweeper's grace counts from now) and leases the
        event for ``lease_seconds`` in ``owner``'s name (owners.py); finish, schedule and add_dead_letter
        end the lease, and ``take_orphaned`` ends it when its owner is gone."""
        now = time.time()
        with self._tx() as db:
            if db.execute("select 1 from done where key = ? and expires_at > ?", (key, now)).fetchone():
                return "done"
            if db.execute("select 1 from lease where key = ? and until > ?", (key, now)).fetchone():
                return "busy"
            db.execute("insert or replace into lease (key, until, owner) values (?, ?, ?)",
                       (key, now + lease_seconds, owner))
            if db.execute("update pending set next_attempt_at = ? where key = ?", (now, key)).rowcount == 0:
                # a replayed dead letter, or a row lost with an old state file
                db.execute("insert into pending (key, event, created_at, next_attempt_at) values (?,?,?,?)",
                           (key, json.dumps(event), now, now))
        return "ok"

    def take_orphaned(self, gone: Callable[[str], bool]) -> list[dict]:
        """Events whose lease holder is gone (``gone(owner)``, owners.py): the lease is ended and the
        pending row stamped in one transaction, so exactly one worker takes each back."""
        now = time.time()
        rows = self._db().execute("select l.key, l.owner from lease l join pending p on p.key = l.key "
                                  "where l.owner is not null").fetchall()
        dead = [(key, owner) for key, owner in rows if gone(owner)]
        if not dead:
            return []
        taken = []
        with self._tx() as db:
            for key, owner in dead:
                if db.execute("delete from lease where key = ? and owner = ?", (key, owner)).rowcount:
                    db.execute("update pending set next_attempt_at = ? where key = ?", (now, key))
                    row = db.execute("select event from pending where key = ?", (key,)).fetchone()
                    if row:
                        taken.append(json.loads(row[0]))
        return taken

    def heartbeat(self, owner: str, seconds: float) -> None:
        """Nothing to do: on one host the process table says who is alive (owners.gone_here)."""

    def take_stale(self, older_than: float) -> list[dict]:
        """stale_pending, stamped in the same transaction so two sweepers never both re-enqueue one event."""
        now = time.time()
        with self._tx() as db:
            rows = db.execute("select key, event from pending where next_attempt_at < ? order by created_at",
                              (older_than,)).fetchall()
            db.executemany("update pending set next_attempt_at = ? where key = ?", [(now, r[0]) for r in rows])
        return [json.loads(r[1]) for r in rows]

    def claim_words(self, words_key: str, key: str, received_at: float, window: float) -> str | None:
        """Claim a customer's words on a ticket (core/same_words.py) for the event ``key``: None when this
        event is to handle them, else the key of the event that holds them (this one is a second delivery).
        The holder keeps them while the two were received within ``window``; past it, or when the holder
        asks again (a retry), the words are this event's. One transaction: two workers, one holder."""
        from ..core.same_words import same_message

        now = time.time()
        with self._tx() as db:
            row = db.execute("select holder, received_at from words where key = ? and expires_at > ?",
                             (words_key, now)).fetchone()
            if row and row[0] != key and same_message(row[1], received_at, window):
                return row[0]
            if not (row and row[0] == key):
                db.execute("insert or replace into words (key, holder, received_at, expires_at) values (?,?,?,?)",
                           (words_key, key, received_at, now + WORDS_TTL))
        return None

    def add_dead_letter(self, key: str, event: dict, reason: str) -> str:
        with self._tx() as db:
            db.execute("delete from pending where key = ?", (key,))
            db.execute("delete from lease where key = ?", (key,))
            cur = db.execute(
                "insert into dead (key, helpdesk, ticket_id, reason, event, created_at) values (?,?,?,?,?,?)",
                (key, str(event.get("helpdesk", "")), str(event.get("ticket_id", "")), reason, json.dumps(event),
                 time.time()))
            return str(cur.lastrowid)

    def _letter(self, row) -> DeadLetter:
        return DeadLetter(id=str(row[0]), key=row[1], helpdesk=row[2], ticket_id=row[3], reason=row[4],
                          event=json.loads(row[5]), created_at=row[6])

    def dead_letters(self) -> list[DeadLetter]:
        rows = self._db().execute("select id, key, helpdesk, ticket_id, reason, event, created_at from dead "
                                  "order by id").fetchall()
        return [self._letter(r) for r in rows]

    def dead_letter(self, letter_id: str) -> DeadLetter | None:
        if not str(letter_id).isdigit():
            return None
        row = self._db().execute("select id, key, helpdesk, ticket_id, reason, event, created_at from dead "
                                 "where id = ?", (int(letter_id),)).fetchone()
        return self._letter(row) if row else None

    def delete_dead_letter(self, letter_id: str) -> bool:
        if not str(letter_id).isdigit():
            return False
        with self._tx() as db:
            return db.execute("delete from dead where id = ?", (int(letter_id),)).rowcount > 0

    def purge_dead_letters(self) -> int:
        with self._tx() as db:
            return db.execute("delete from dead").rowcount
