"""Acknowledged webhooks per second and ack latency, embedded mode, next to a bare Flask app; loopback only.

    .venv/bin/python -m tests.benchmarks.webhook_load [--count 10000] [--rounds 5] [--clients 2] [--threads 8]
                                                      [--max-seconds 60] [--web-workers 2]
                                                      [--worker paced|full-speed]

In one run, both started before the clock: (1) gunicorn serving a bare Flask app that only answers 202 (tests/benchmarks/bare_app.py,
same gunicorn settings), (2) the real `empathy-cues serve` (gunicorn + huey consumer, SQLite queue in a
temporary data dir). The worker runs as in production: ``paced`` (default) writes to a stand-in Zendesk on
loopback at the default outbound limit of 200 calls a minute, so during the burst it drains slowly, as it
would against a real account; ``full-speed`` is a dry run that analyses every event as fast as it can,
the worst case for the web (the worker's SQLite transactions compete with the acknowledgements).
Both get the same signed Zendesk payloads
(distinct tickets, none a duplicate), signed before the clock starts, from ``--clients`` processes of
``--threads`` keep-alive connections each. Prints acked/s and p50/p99 ack latency for both, their
ratio, the RSS of the web processes and of the worker, and checks that every acknowledged event is in
the state database (claimed and pending or done): acknowledged means stored. Bounded in count and time.

Rounds: a shared 2-core VM drifts by tens of percent within a minute (other tenants), so one block of
bare-app requests followed by one block of ours compares two different machines. The ``--count`` events
per server are sent in ``--rounds`` alternating rounds (bare, ours, bare, ours, ...); the server not being
measured is paused with SIGSTOP (its whole process group, worker included), so neither steals CPU from the
other. Per-round figures are printed; the summary is the median round of each and the median of the
per-round ratios.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from empathy_cues.service import gunicorn_conf
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

SECRET = "bench-secret"
TEXT = ("I have tried three times to reset my password and it still does not work. This is so frustrating, "
        "I can't seem to log in and I need it for work today.")


def start_servers(exe: str, env: dict, web_workers: int):
    """The bare app and the real receiver (embedded mode), both under the receiver's gunicorn settings,
    each in its own session so a round can pause one: ``(bare, bare_port, server, port)``."""
    bare_port, port = free_port(), free_port()
    bare = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:empathy_cues.service.gunicorn_conf",
                             "--bind", f"127.0.0.1:{bare_port}", "--workers", str(web_workers),
                             "tests.benchmarks.bare_app:app"], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([exe, "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--web-workers", str(web_workers)], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return bare, bare_port, server, port


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become healthy")


def payloads(start: int, count: int) -> list[tuple[bytes, dict]]:
    out = []
    for i in range(start, start + count):
        body = json.dumps({"kind": "comment_added", "ticket_id": str(100000 + i), "via": "Mail",
                           "author_role": "end_user", "comment_public": "true", "latest_comment": TEXT}).encode()
        ts = format_timestamp()
        out.append((body, {"Content-Type": "application/json", "X-Zendesk-Webhook-Signature-Timestamp": ts,
                           "X-Zendesk-Webhook-Signature": sign(SECRET, ts, body)}))
    return out


def _client_proc(port: int, work: list, threads: int, deadline: float, go, out) -> None:
    """One client process: ``threads`` keep-alive connections share this process's share of the work."""
    import threading

    it = iter(work)
    lock = threading.Lock()
    results: list[tuple[int, float]] = []

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.time() < deadline:
            with lock:
                item = next(it, None)
            if item is None:
                return
            body, headers = item
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/webhooks/zendesk", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            results.append((status, time.perf_counter() - t0))

    go.wait()
    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put(results)


def drive(port: int, work: list, clients: int, threads: int, max_seconds: float) -> dict:
    ctx = multiprocessing.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    deadline = time.time() + max_seconds
    procs = [ctx.Process(target=_client_proc, args=(port, work[i::clients], threads, deadline, go, out))
             for i in range(clients)]
    for p in procs:
        p.start()
    time.sleep(0.3)
    began = time.perf_counter()
    go.set()
    results = [r for _ in procs for r in out.get(timeout=max_seconds + 60)]
    wall = time.perf_counter() - began
    for p in procs:
        p.join()
    ok = sorted(lat for status, lat in results if status == 202)
    pct = lambda q: ok[min(len(ok) - 1, int(q * len(ok)))] * 1000 if ok else float("nan")  # noqa: E731
    return {"sent": len(results), "acked": len(ok), "wall": wall, "rate": len(ok) / wall,
            "p50": pct(0.50), "p99": pct(0.99), "other": len(results) - len(ok)}


def rss_mb(pids: list[int]) -> float:
    import psutil

    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def tree(pid: int) -> list:
    import psutil

    return [pid] + [c.pid for c in psutil.Process(pid).children(recursive=True)]


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def pause(proc: subprocess.Popen, paused: bool) -> None:
    """SIGSTOP/SIGCONT a server's whole process group (gunicorn arbiter, its workers, our queue worker)."""
    os.killpg(proc.pid, signal.SIGSTOP if paused else signal.SIGCONT)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10000, help="events per server, over all rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=60, help="per round")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker", choices=("paced", "full-speed"), default="paced")
    args = parser.parse_args()
    count = min(args.count, 50000)
    rounds = max(1, min(args.rounds, 20))
    per_round = count // rounds
    count = per_round * rounds
    exe = str(Path(sys.executable).with_name("empathy-cues"))

    from tests.standin import ZendeskStandin

    data_dir = tempfile.mkdtemp(prefix="empathy-bench-")
    standin = ZendeskStandin(subdomain="bench", email="bot@bench.test", api_token="x").start()
    for i in range(count, 2 * count):
        standin.add_ticket(100000 + i)
    env = {**os.environ, "EMPATHY_DATA_DIR": data_dir,
           "EMPATHY_DRY_RUN": "1" if args.worker == "full-speed" else "0",
           "EMPATHY_ZENDESK_SUBDOMAIN": "bench", "EMPATHY_ZENDESK_EMAIL": "bot@bench.test",
           "EMPATHY_ZENDESK_API_TOKEN": "x", "EMPATHY_ZENDESK_WEBHOOK_SECRET": SECRET,
           "EMPATHY_ZENDESK_API_URL": standin.url}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # 1. The bare app, same gunicorn settings; 2. the real receiver, embedded mode.
    bare, bare_port, server, port = start_servers(exe, env, args.web_workers)
    results: dict[str, list[dict]] = {"bare": [], "ours": []}
    try:
        wait_healthy(bare_port)
        wait_healthy(port)
        for r in range(rounds):
            for name, proc, other, p, first in (("bare", bare, server, bare_port, r * per_round),
                                                ("ours", server, bare, port, count + r * per_round)):
                work = payloads(first, per_round)
                pause(other, True)
                try:
                    results[name].append(drive(p, work, args.clients, args.threads, args.max_seconds))
                finally:
                    pause(other, False)
            b, o = results["bare"][-1], results["ours"][-1]
            print(f"round {r + 1}: bare {b['rate']:6.0f}/s   empathy-cues {o['rate']:6.0f}/s   "
                  f"ratio {o['rate'] / b['rate']:.2f}", flush=True)
        pids = tree(server.pid)
        import psutil

        web_pids = [p for p in pids[1:] if psutil.Process(p).parent().pid != server.pid]
        web_rss, worker_rss = rss_mb(web_pids), rss_mb([server.pid])
        arbiter_rss = rss_mb([p for p in pids[1:] if p not in web_pids])
        bare_rss = rss_mb(tree(bare.pid)[1:])
    finally:
        stop(bare)
        stop(server)
        standin.stop()
    db = sqlite3.connect(Path(data_dir) / "state.sqlite3")
    stored = db.execute("select count(*) from seen where key like 'event:%'").fetchone()[0]

    print(f"events {count} per server in {rounds} alternating rounds, {args.clients} client processes x "
          f"{args.threads} connections, {args.web_workers} gunicorn {gunicorn_conf.worker_class} workers, "
          f"{os.cpu_count()} cores, "
          f"worker {args.worker}")
    ratios = [o["rate"] / b["rate"] for b, o in zip(results["bare"], results["ours"])]
    for name, label in (("bare", "bare Flask 202"), ("ours", "empathy-cues")):
        rs = results[name]
        acked, sent = sum(r["acked"] for r in rs), sum(r["sent"] for r in rs)
        print(f"{label:<15} acked {acked:>6}/{sent:<6} {median([r['rate'] for r in rs]):7.0f}/s   "
              f"p50 {median([r['p50'] for r in rs]):6.1f} ms   p99 {median([r['p99'] for r in rs]):6.1f} ms   "
              f"(medians of the rounds; other statuses {sum(r['other'] for r in rs)})")
    print(f"ratio empathy-cues / bare: {median(ratios):.2f} (median of the rounds; "
          f"range {min(ratios):.2f}-{max(ratios):.2f})")
    ours_acked = sum(r["acked"] for r in results["ours"])
    print(f"acknowledged and found in the state database: {stored} of {ours_acked}")
    print(f"RSS MB: web workers {web_rss:.0f} ({len(web_pids)} processes) + gunicorn arbiter {arbiter_rss:.0f}; "
          f"queue worker (serve) {worker_rss:.0f}; bare app workers {bare_rss:.0f}")


if __name__ == "__main__":
    main()
