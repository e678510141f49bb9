"""The hostile-input fuzzer (tests/hostile_fuzz.py) at full length against the real `empathy-cues serve`.

    .venv/bin/python -m tests.benchmarks.hostile_fuzz [--examples 10000] [--seed 0]

Starts `serve` (one web worker, embedded SQLite, a stand-in Zendesk and Freshdesk on loopback), sends
``--examples`` hypothesis-generated requests (signed, forged, unsigned, stale; bodies of every shape) and
checks each answer: never a 5xx, a JSON reason, nothing stored when refused. Then the server must still
answer /healthz, /readyz and /metrics, and its log must hold no traceback. Prints the answers by status
and reason, and the time taken.
"""
from __future__ import annotations

import argparse
import collections
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import requests
from hypothesis import HealthCheck, given, seed, settings

from tests.conftest import service_env
from tests.hostile_fuzz import Request, check_answer, requests_
from tests.standin import FreshdeskStandin, ZendeskStandin
from tests.test_e2e import Server


def seen_rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select count(*) from seen").fetchone()[0]
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    answers: collections.Counter = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp, ZendeskStandin() as zd, FreshdeskStandin() as fd:
        tmp = Path(tmp)
        env = service_env(tmp / "data", EMPATHY_ZENDESK_API_URL=zd.url, EMPATHY_FRESHDESK_API_URL=fd.url,
                          EMPATHY_DRY_RUN="1")
        server = Server(env, tmp / "serve.log").start()
        state = tmp / "data" / "state.sqlite3"
        session = requests.Session()
        try:
            @seed(args.seed)
            @settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck),
                      database=None)
            @given(requests_())
            def check(req: Request):
                before = seen_rows(state)
                r = session.post(f"{server.url}/webhooks/{req.helpdesk}", data=req.body, headers=req.headers(),
                                 timeout=30)
                try:
                    body = r.json()
                except ValueError:
                    body = None
                answers[(r.status_code, (body or {}).get("error") or ("queued" if (body or {}).get("queued")
                                                                      else (body or {}).get("ignored", "?")))] += 1
                check_answer(req, r.status_code, body, before, seen_rows(state))

            started = time.monotonic()
            check()
            took = time.monotonic() - started
            health = session.get(server.url + "/healthz", timeout=10).status_code
            ready = session.get(server.url + "/readyz", timeout=10).status_code
            scrape = session.get(server.url + "/metrics", timeout=10).status_code
        finally:
            server.stop()
        log = server.log_path.read_text(errors="replace")
    total = sum(answers.values())
    print(f"{total} requests in {took:.1f} s ({total / took:.0f}/s); after: /healthz {health}, /readyz {ready}, "
          f"/metrics {scrape}; tracebacks in the log: {log.count('Traceback')}")
    print("answers by status and reason (ignored reasons shortened to their code):")
    short = collections.Counter()
    for (status, reason), n in answers.items():
        short[(status, str(reason).partition(":")[0])] += n
    for (status, reason), n in sorted(short.items()):
        print(f"  {status}  {reason:<24} {n}")
    ok = health == 200 and scrape == 200 and "Traceback" not in log and all(s < 500 for s, _ in answers)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
