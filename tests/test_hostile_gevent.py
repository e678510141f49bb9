"""The writer lock inside a gevent web worker: two greenlets of one process take turns without blocking
the process (each holds its own descriptor, so a blocking flock would wait on itself for ever).

Runs in a child process: gevent's monkey patching must not leak into the rest of the test session."""
from __future__ import annotations

import subprocess
import sys
import textwrap


def test_two_greenlets_take_writer_turns_and_the_hub_keeps_running(tmp_path):
    script = textwrap.dedent(f"""
        from gevent import monkey; monkey.patch_all()
        import gevent, time
        from pathlib import Path
        from empathy_cues.durable.writer_lock import WriterLock

        lock = WriterLock.for_file(Path({str(tmp_path / 'db.sqlite3')!r}))
        ticks, order = [], []

        def writer(name):
            with lock:
                order.append(name + "+")
                time.sleep(0.2)          # holds the turn, yielding
                order.append(name + "-")

        def heartbeat():
            for _ in range(10):
                ticks.append(time.monotonic())
                time.sleep(0.03)

        jobs = [gevent.spawn(writer, "a"), gevent.spawn(writer, "b"), gevent.spawn(heartbeat)]
        gevent.joinall(jobs, timeout=5)
        assert all(j.dead for j in jobs), "a greenlet is stuck"
        assert order in (["a+", "a-", "b+", "b-"], ["b+", "b-", "a+", "a-"]), order
        assert len(ticks) == 10 and max(b - a for a, b in zip(ticks, ticks[1:])) < 0.15
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-2000:]


def test_the_greenlets_of_a_web_worker_share_one_state_connection(tmp_path):
    """Each client connection is a greenlet; a SQLite connection each would mean a file descriptor per
    client and a page cache thrown away at every commit. Many greenlets claiming at once through the
    group commit use one connection, every event is stored once, a redelivery is refused, and a
    transaction whose commit fails leaves the shared connection usable."""
    script = textwrap.dedent(f"""
        from gevent import monkey; monkey.patch_all()
        import gevent, sqlite3
        from pathlib import Path
        from empathy_cues.durable.sqlite_state import SqliteStore
        from empathy_cues.durable.group_commit import GroupCommitter

        class Queue:
            events = []
            def enqueue_many(self, events):
                self.events.extend(events)
                gevent.sleep(0)          # the queue's writer turn may yield; the state tx is committed by then

        store = SqliteStore(Path({str(tmp_path / 'state.sqlite3')!r}))
        committer = GroupCommitter(store, Queue())
        connections, answers = set(), []

        def deliver(i):
            connections.add(id(store._db()))
            answers.append(committer.accept([f"delivery:{{i}}"], f"event:{{i}}", {{"n": i}}))

        jobs = [gevent.spawn(deliver, i) for i in range(40)] + [gevent.spawn(deliver, 0)]
        gevent.joinall(jobs, timeout=20)
        assert all(j.dead for j in jobs), "a greenlet is stuck"
        assert len(connections) == 1, connections
        assert sorted(answers) == [False] + [True] * 40, answers
        assert sorted(e["n"] for e in Queue.events) == list(range(40))
        assert len(store.stale_pending(older_than=float("inf"))) == 40

        try:
            with store._tx() as db:
                db.execute("insert into seen (key, expires_at) values ('x', 0)")
                db.execute("insert into seen (key, expires_at) values ('x', 0)")   # primary key: fails
        except sqlite3.IntegrityError:
            pass
        assert not store._db().in_transaction
        assert store.claim(["after"], "after", {{"n": "after"}})
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-2000:]
