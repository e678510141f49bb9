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
