"""How long the worker takes to plan a note for one-megabyte hostile messages (the shapes of
tests/test_hostile_text.py): the caps in bounds.py keep each step's input small, this shows the time.

    .venv/bin/python -m tests.benchmarks.hostile_text [--rounds 3]

Prints, per shape, the best and the worst of the rounds (seconds), warm (the worker's warm-up done).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.draft import plan_for
from empathy_cues.worker.runtime import Runtime
from tests.conftest import service_env
from tests.test_hostile_text import HOSTILE_SHAPES, event


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Runtime(Settings.from_env(service_env(Path(tmp) / "data")), SqliteStore(Path(tmp) / "state.sqlite3"))
        runtime.warm_up()
        for shape in sorted(HOSTILE_SHAPES):
            text = HOSTILE_SHAPES[shape]()
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                plan_for(runtime, event(text, html=shape == "html"))
                times.append(time.perf_counter() - started)
            print(f"{shape:24} {len(text):>9,} chars   best {min(times):.3f} s   worst {max(times):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
