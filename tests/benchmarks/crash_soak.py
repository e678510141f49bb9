"""Crash safety at scale: webhooks sent while web and workers are SIGKILLed at random moments.

    .venv/bin/python -m tests.benchmarks.crash_soak [--mode sqlite|redis] [--events 10000] [--kills 40]
                                                         [--per-second 250] [--max-seconds 900]

sqlite: gunicorn + one `empathy-cues worker` on SQLite files (the embedded mode's queue and state).
redis:  gunicorn + three `empathy-cues worker` processes sharing Redis db 12 on 127.0.0.1:6379
        (flushed first; the test suite uses db 15).
Each kill is a SIGKILL of the whole web server (arbiter and workers) or of one queue worker, restarted at
once; the sender retries every webhook until it gets a 202, as a helpdesk does. At the end the stand-in
Zendesk API counts notes per ticket: lost (a warranted note missing) and duplicated (two notes on one
ticket) must both be 0. Loopback only; bounded by --events and --max-seconds.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from tests.ops_harness import run_crash_soak

REDIS_URL = "redis://127.0.0.1:6379/12"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("sqlite", "redis"), default="sqlite")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--per-second", type=float, default=250)
    parser.add_argument("--max-seconds", type=float, default=900)
    args = parser.parse_args()
    redis_url = None
    if args.mode == "redis":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        redis_url = REDIS_URL
    result = run_crash_soak(Path(tempfile.mkdtemp(prefix="empathy-soak-")), events=min(args.events, 50_000),
                            kills=args.kills, redis_url=redis_url, workers=3 if redis_url else 1,
                            max_seconds=args.max_seconds, per_second=args.per_second)
    print(json.dumps({"mode": args.mode, **result}))
    print(f"{args.mode}: {result['events']} events ({result['warranted']} warranting a note), "
          f"{result['kills']['web']} web + {result['kills']['worker']} worker SIGKILLs, "
          f"{result['answers']['retries']} webhook redeliveries -> lost {result['lost']}, "
          f"duplicated {result['duplicated']}, unwarranted notes {result['unwarranted_notes']} "
          f"in {result['seconds']} s")


if __name__ == "__main__":
    main()
