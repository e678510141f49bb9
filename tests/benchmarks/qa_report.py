"""`empathy-cues report` over a generated month: 20 agents, 20,000 scored replies (the target: under 2 s).

Run from the repository root:  python -m tests.benchmarks.qa_report [--redis redis://127.0.0.1:6379/12]
Writes the month into a fresh records.sqlite3 (or the given Redis db, which it empties first), then times
the real command (`empathy-cues report --since 30d`, a new process: start-up, read, build, render) for
each format, best of three, and the in-process read + build alone. Prints the figures in seconds.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from empathy_cues.qa.report import build_report
from empathy_cues.qa.score import CRITERIA
from empathy_cues.qa.scores import QaRecord, qa_since, record_qa
from empathy_cues.records.store import RedisRecords, SqliteRecords

AGENTS = 20
REPLIES = 20_000
DAYS = 30
EXE = str(Path(sys.executable).with_name("empathy-cues"))


def generate(records, now: float, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = now - DAYS * 86400 + 60
    batch = getattr(records, "_db", None)
    if batch is not None:
        batch().execute("begin")
    for i in range(REPLIES):
        flagged = rng.random() < 0.4
        criteria = {c: (None if c == "apology" and not flagged else rng.random() < 0.7) for c in CRITERIA}
        record_qa(records, QaRecord(
            key=f"zendesk:acme:{i // 3}:{i}", at=start + rng.random() * (DAYS * 86400 - 120), helpdesk="zendesk",
            account="acme", ticket_id=str(i // 3), agent_id=str(100 + rng.randrange(AGENTS)),
            channel=rng.choice(("email", "chat", "social")), criteria=criteria, score=rng.randrange(101),
            apology_missing=criteria["apology"] is False, flagged=flagged, severity=rng.randrange(4),
            minutes_since_flag=rng.random() * 600 if flagged else None, target_minutes=360 if flagged else 0))
    if batch is not None:
        batch().execute("commit")


def time_cli(env: dict[str, str], fmt: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        done = subprocess.run([EXE, "report", "--since", "30d", "--format", fmt], env=env, capture_output=True,
                              text=True, timeout=120)
        best = min(best, time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"report failed: {done.stderr}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis", help="a Redis db to use (emptied first) instead of a SQLite file")
    args = parser.parse_args()
    now = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "EMPATHY_DATA_DIR": tmp}
        if args.redis:
            import redis

            redis.Redis.from_url(args.redis).flushdb()
            records = RedisRecords(args.redis)
            env["EMPATHY_QUEUE_URL"] = args.redis
        else:
            records = SqliteRecords(Path(tmp) / "records.sqlite3")
        t0 = time.perf_counter()
        generate(records, now)
        print(f"generated {REPLIES} replies of {AGENTS} agents over {DAYS} days in {time.perf_counter() - t0:.1f} s "
              f"({'Redis' if args.redis else 'SQLite'})")
        t0 = time.perf_counter()
        rows = qa_since(records, now - DAYS * 86400, now + 1)
        t1 = time.perf_counter()
        report = build_report(rows, since=now - DAYS * 86400, until=now + 1)
        t2 = time.perf_counter()
        assert report.team.replies == REPLIES and len(report.agents) == AGENTS
        print(f"in process: read {t1 - t0:.3f} s, build_report {t2 - t1:.3f} s")
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for fmt in ("table", "csv", "json", "html"):
            print(f"empathy-cues report --since 30d --format {fmt}: {time_cli(env, fmt):.2f} s (best of 3; target < 2 s)")


if __name__ == "__main__":
    main()
