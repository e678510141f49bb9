"""Intake throughput as the backlog grows, measured with wrk (a C load client) against a bare Flask app.

    .venv/bin/python -m tests.benchmarks.intake_wrk [--rounds 5] [--seconds 5] [--connections 16]
                                                    [--threads 2] [--web-workers 2] [--control] [--pin]

Needs `wrk` (apt-get install wrk). Two servers, both started before the clock, same gunicorn settings
(empathy_cues.service.gunicorn_conf): (1) tests/benchmarks/bare_app.py, which reads the body and answers 202;
(2) the real `empathy-cues serve` (SQLite queue), whose queue worker writes to a stand-in Zendesk at the
default 200 calls a minute, so the backlog grows round after round as it would behind a real account.
Before the first round the queue worker finishes its warm-up (it loads the spelling dictionary, seconds
of CPU that would otherwise land in round 1, as it did) and each server answers a one-second burst
that is not counted (first requests import modules). Rounds alternate (bare, ours, bare, ours, ...); the
server not measured is paused with SIGSTOP (its whole process group). Each round wrk runs for ``--seconds`` with distinct events signed just before it (a
Python client would cap the bare app and flatter the ratio). Prints per round: acks/s of both, the
ratio, p50/p99, the backlog (events stored and not yet finished) before the round, how many events
shared one commit on average (ack.py's group commit, from /metrics), and the machine's 1-minute load
average after it (other work on a shared machine moves the figures by tens of percent), and how many web
workers each server started during its round: gunicorn replaces a worker after ``max_requests`` (20,000
give or take 2,000), and a round that pays for a worker's start-up (ours imports and builds more than
the bare app) is slower for that reason, not because the backlog grew. ``--control``
adds a second bare app to each round, after ours: the ratio of two identical servers in the same round
shows how much of a round's ratio is the machine.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from empathy_cues.service import gunicorn_conf
from tests.benchmarks.webhook_load import (SECRET, free_port, median, pause, payloads, start_servers, stop,
                                           tree, wait_healthy)

LUA = Path(__file__).with_name("intake_wrk.lua")
RESULT = re.compile(r"RESULT requests=(\d+) duration_us=(\d+) non2xx=(\d+) socket_errors=(\d+) "
                    r"p50_us=(\d+) p99_us=(\d+) wrapped=(\d+)")


def write_events(path: Path, first: int, count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for body, headers in payloads(first, count):
            out.write(f"{headers['X-Zendesk-Webhook-Signature-Timestamp']}\t"
                      f"{headers['X-Zendesk-Webhook-Signature']}\t{body.decode()}\n")


def run_wrk(port: int, events: Path, *, threads: int, connections: int, seconds: float,
            cpus: set[int] | None = None) -> dict:
    done = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(seconds)}s", "--latency",
                           "-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(events), str(threads)],
                          capture_output=True, text=True, timeout=seconds + 120,
                          preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    match = RESULT.search(done.stdout)
    if match is None:
        raise RuntimeError(f"wrk said:\n{done.stdout}\n{done.stderr}")
    requests, duration, non2xx, socket_errors, p50, p99, wrapped = map(int, match.groups())
    if wrapped:
        raise RuntimeError("wrk ran out of distinct events; raise the pool (more events a round)")
    return {"rate": (requests - non2xx) / (duration / 1e6), "requests": requests, "non2xx": non2xx,
            "socket_errors": socket_errors, "p50": p50 / 1000, "p99": p99 / 1000}


def backlog(data_dir: str) -> int:
    db = sqlite3.connect(Path(data_dir) / "state.sqlite3")
    try:
        return db.execute("select count(*) from pending").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        db.close()


def start_bare(web_workers: int) -> tuple[subprocess.Popen, int]:
    """One more bare app like start_servers' (the control): two identical servers' ratio shows the noise."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:empathy_cues.service.gunicorn_conf",
                             "--bind", f"127.0.0.1:{port}", "--workers", str(web_workers),
                             "tests.benchmarks.bare_app:app"], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, port


def ack_batches(port: int) -> tuple[float, float]:
    """(events, commits) of ack.py's group commit so far, summed over the web workers (/metrics)."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    found = dict(re.findall(r"^empathy_ack_batch_events_(sum|count) ([0-9.e+]+)$", text, re.M))
    return float(found.get("sum", 0)), float(found.get("count", 0))


def pin(pid: int, cpus: set[int]) -> None:
    """Keep a server's whole process tree on ``cpus`` (its workers are forked already)."""
    for p in tree(pid):
        try:
            os.sched_setaffinity(p, cpus)
        except OSError:
            pass


def wait_settled(pid: int, timeout: float = 60) -> None:
    """Until the process tree of ``pid`` is nearly idle (the queue worker has warmed up)."""
    import psutil

    def cpu() -> float:
        total = 0.0
        for p in tree(pid):
            try:
                times = psutil.Process(p).cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    deadline = time.monotonic() + timeout
    before = cpu()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu()
        if now - before < 0.1:
            return
        before = now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--control", action="store_true",
                        help="a second bare app in each round, after ours: how far two identical servers differ")
    parser.add_argument("--pin", action="store_true",
                        help="servers on the first core, wrk on the others: the client never takes the "
                             "servers' CPU, so a round measures the servers and not the scheduler")
    parser.add_argument("--pool", type=int, default=0, help="distinct events a round (default: 16,000 per second: a bare app on gevent workers passes 8,000)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    pool = args.pool or int(16000 * args.seconds)
    exe = str(Path(sys.executable).with_name("empathy-cues"))

    from tests.standin import ZendeskStandin

    data_dir = tempfile.mkdtemp(prefix="empathy-wrk-")
    work = Path(tempfile.mkdtemp(prefix="empathy-wrk-events-"))
    standin = ZendeskStandin(subdomain="bench", email="bot@bench.test", api_token="x").start()
    env = {**os.environ, "EMPATHY_DATA_DIR": data_dir, "EMPATHY_LOG_LEVEL": "WARNING",
           "EMPATHY_ZENDESK_SUBDOMAIN": "bench", "EMPATHY_ZENDESK_EMAIL": "bot@bench.test",
           "EMPATHY_ZENDESK_API_TOKEN": "x", "EMPATHY_ZENDESK_WEBHOOK_SECRET": SECRET,
           "EMPATHY_ZENDESK_API_URL": standin.url}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    bare, bare_port, server, port = start_servers(exe, env, args.web_workers)
    runs = [("bare", bare, bare_port), ("ours", server, port)]
    if args.control:
        control, control_port = start_bare(args.web_workers)
        runs.append(("control", control, control_port))
    results: dict[str, list[dict]] = {name: [] for name, _, _ in runs}
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.seconds:g}s per round, {args.rounds} alternating "
          f"rounds, {args.web_workers} gunicorn {gunicorn_conf.worker_class} workers each, {os.cpu_count()} cores; paced worker "
          f"(200 calls a minute)", flush=True)
    try:
        for _, _, p in runs:
            wait_healthy(p)
        server_cpus = client_cpus = None
        if args.pin:
            cores = sorted(os.sched_getaffinity(0))
            server_cpus, client_cpus = {cores[0]}, set(cores[1:]) or {cores[0]}
            for _, proc, _ in runs:
                pin(proc.pid, server_cpus)
            print(f"pinned: servers on CPU {cores[0]}, wrk on CPU {','.join(map(str, sorted(client_cpus)))}",
                  flush=True)
        wait_settled(server.pid)
        first = 0
        for _, _, p in runs:                                # first requests import modules: not counted
            events = work / "warm-up.tsv"
            write_events(events, first, 16000)
            first += 16000
            run_wrk(p, events, threads=args.threads, connections=args.connections, seconds=1, cpus=client_cpus)
        batches = ack_batches(port)
        for r in range(args.rounds):
            waiting = backlog(data_dir)
            for name, proc, p in runs:
                events = work / f"{name}-{r}.tsv"
                write_events(events, first, pool)           # signed now: fresh for the signature check
                first += pool
                others = [other for _, other, _ in runs if other is not proc]
                for other in others:
                    pause(other, True)
                before = set(tree(proc.pid))
                try:
                    results[name].append(run_wrk(p, events, threads=args.threads, connections=args.connections,
                                                 seconds=args.seconds, cpus=client_cpus))
                    results[name][-1]["new_workers"] = len(set(tree(proc.pid)) - before)
                finally:
                    for other in others:
                        pause(other, False)
                events.unlink()
            b, o = results["bare"][-1], results["ours"][-1]
            now = ack_batches(port)
            per_commit = (now[0] - batches[0]) / max(1.0, now[1] - batches[1])
            batches = now
            print(f"round {r + 1}: backlog before {waiting:>6}   bare {b['rate']:6.0f}/s (p99 {b['p99']:5.1f} ms)   "
                  f"empathy-cues {o['rate']:6.0f}/s (p50 {o['p50']:5.1f} ms, p99 {o['p99']:5.1f} ms)   "
                  f"ratio {o['rate'] / b['rate']:.2f}   {per_commit:.1f} events a commit   "
                  f"non-2xx {o['non2xx']}, socket errors {o['socket_errors']}   "
                  f"new web workers bare {b['new_workers']}, ours {o['new_workers']}   load {os.getloadavg()[0]:.1f}"
                  + (f"   control bare {results['control'][-1]['rate']:6.0f}/s (control/bare "
                     f"{results['control'][-1]['rate'] / b['rate']:.2f})" if args.control else ""),
                  flush=True)
    finally:
        for _, proc, _ in runs:
            stop(proc)
        standin.stop()
    ratios = [o["rate"] / b["rate"] for b, o in zip(results["bare"], results["ours"])]
    print(f"median: bare {median([r['rate'] for r in results['bare']]):.0f}/s, empathy-cues "
          f"{median([r['rate'] for r in results['ours']]):.0f}/s; ratio median {median(ratios):.2f}, "
          f"lowest {min(ratios):.2f}, by round {' '.join(f'{x:.2f}' for x in ratios)}")
    if args.control:
        same = [c["rate"] / b["rate"] for b, c in zip(results["bare"], results["control"])]
        print(f"control (two identical bare apps): ratio by round {' '.join(f'{x:.2f}' for x in same)}")
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
