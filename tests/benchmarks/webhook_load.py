"""Acknowledged webhooks per second and ack latency, embedded mode, loopback only.

    /work/venv/bin/python -m tests.benchmarks.webhook_load [--count 2000] [--concurrency 16] [--max-seconds 60]

Starts the real `empathy-cues serve` (gunicorn + huey consumer, SQLite queue in a temp dir) on a free
loopback port, sends signed Zendesk trigger payloads (distinct tickets, so none is a duplicate) from
client threads, and prints acked/s and p50/p99 acknowledgement latency. Dry run: the worker writes
nothing. Bounded in count and in time.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

SECRET = "bench-secret"
TEXT = ("I have tried three times to reset my password and it still does not work. This is so frustrating, "
        "I can't seem to log in and I need it for work today.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become healthy")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-seconds", type=float, default=60)
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args()
    count = min(args.count, 20000)

    data_dir = tempfile.mkdtemp(prefix="empathy-bench-")
    port = free_port()
    env = {**os.environ, "EMPATHY_DATA_DIR": data_dir, "EMPATHY_DRY_RUN": "1",
           "EMPATHY_ZENDESK_SUBDOMAIN": "bench", "EMPATHY_ZENDESK_EMAIL": "bot@bench.test",
           "EMPATHY_ZENDESK_API_TOKEN": "x", "EMPATHY_ZENDESK_WEBHOOK_SECRET": SECRET,
           "EMPATHY_ZENDESK_API_URL": f"http://127.0.0.1:{free_port()}"}    # nothing listens: no writes
    exe = str(Path(sys.executable).with_name("empathy-cues"))
    server = subprocess.Popen([exe, "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--web-workers", str(args.web_workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    next_id = iter(range(count))
    deadline = time.monotonic() + args.max_seconds
    try:
        wait_healthy(url)

        def client() -> None:
            session = requests.Session()
            for i in next_id:
                if time.monotonic() > deadline:
                    return
                body = json.dumps({"kind": "comment_added", "ticket_id": str(100000 + i), "via": "Mail",
                                   "author_role": "end_user", "comment_public": "true",
                                   "latest_comment": TEXT}).encode()
                ts = format_timestamp()
                headers = {"Content-Type": "application/json", "X-Zendesk-Webhook-Signature-Timestamp": ts,
                           "X-Zendesk-Webhook-Signature": sign(SECRET, ts, body)}
                start = time.perf_counter()
                r = session.post(url + "/webhooks/zendesk", data=body, headers=headers, timeout=10)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    acked = statuses.get(202, 0)
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    print(f"requests {len(latencies)}  acked(202) {acked}  other {dict((k, v) for k, v in statuses.items() if k != 202)}")
    print(f"concurrency {args.concurrency}  web workers {args.web_workers}  wall {wall:.2f}s")
    print(f"acked webhooks/s {acked / wall:.0f}")
    print(f"ack latency ms: p50 {p(0.50):.1f}  p99 {p(0.99):.1f}  max {ordered[-1] * 1000:.1f}  "
          f"mean {statistics.mean(ordered) * 1000:.1f}")


if __name__ == "__main__":
    main()
