"""A faulty helpdesk at scale: the stand-in Zendesk answers --fault-rate of all calls with 429 (with
Retry-After), 500, or too late (after the client's timeout, the write applied); embedded mode.

    .venv/bin/python -m tests.benchmarks.faulty_helpdesk [--events 1000] [--fault-rate 0.3]
                                                              [--rate 1200] [--max-seconds 600]

Prints: events applied (exactly one note per warranted event), faults injected, the worst number of calls
in any 1 s / 10 s / 60 s window against what the limit allows, and the retry and call metrics.
Loopback only; bounded by --events and --max-seconds.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from empathy_cues.helpdesks.ratelimit import Limit
from tests.ops_harness import Cluster, FlakyZendesk, bodies_for, seed_tickets, send, wait_applied


def worst_window(times: list[float], seconds: float) -> int:
    worst, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - seconds:
            j += 1
        worst = max(worst, i - j + 1)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument("--rate", type=int, default=1200, help="EMPATHY_ZENDESK_RATE_LIMIT (calls a minute)")
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    started = time.monotonic()
    with FlakyZendesk(fault_rate=args.fault_rate, slow_seconds=1.2, retry_after=1) as zendesk:
        plan = seed_tickets(zendesk, 40_000, min(args.events, 20_000))
        cluster = Cluster(Path(tempfile.mkdtemp(prefix="empathy-faulty-")), zendesk, env_extra={
            "EMPATHY_ZENDESK_RATE_LIMIT": str(args.rate), "EMPATHY_ZENDESK_TICKET_UPDATE_LIMIT": str(args.rate),
            "EMPATHY_HELPDESK_TIMEOUT": "0.4", "EMPATHY_SWEEP_GRACE_SECONDS": "15", "EMPATHY_WORKERS": "8",
            "EMPATHY_RETRY_BASE_SECONDS": "0.5", "EMPATHY_RETRY_MAX_SECONDS": "5", "EMPATHY_RETRIES": "30",
        }).start()
        try:
            answers = send(cluster.url, bodies_for(plan), deadline=started + args.max_seconds)
            result = wait_applied(zendesk, plan, timeout=args.max_seconds - (time.monotonic() - started), settle=3)
            metrics = cluster.metrics()
        finally:
            cluster.stop()
        calls = sorted(c.at for c in zendesk.calls)
    limit = Limit("all", args.rate)
    print(f"{result['events']} events ({result['warranted']} warranting a note), fault rate {args.fault_rate}: "
          f"lost {result['lost']}, duplicated {result['duplicated']}, unwarranted {result['unwarranted_notes']}, "
          f"in {time.monotonic() - started:.0f} s; webhooks acknowledged {answers['queued']}")
    print(f"faults injected: {zendesk.faults}; helpdesk calls {len(calls)}")
    for window in (1, 10, 60):
        allowed = limit.burst + window / limit.interval
        print(f"worst {window:>2} s window: {worst_window(calls, window)} calls (limit {args.rate}/min allows "
              f"{allowed:.0f})")
    for line in metrics.splitlines():
        if re.match(r"empathy_(retries|helpdesk_calls|dead_letters|rate_limit_waits)_total\{", line):
            print(line)


if __name__ == "__main__":
    main()
