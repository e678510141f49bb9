"""Instructions a web worker executes per acknowledged webhook: the real receiver next to the bare Flask app.

    .venv/bin/python -m tests.benchmarks.intake_instructions [--requests 1200] [--connections 8] [--keep DIR]

Needs valgrind (apt-get install valgrind). Each server runs under the receiver's gunicorn settings
(empathy_cues.service.gunicorn_conf) with one gevent worker, under callgrind: (1) tests/benchmarks/bare_app.py,
(2) the real app (SQLite state and queue in a temporary data directory; no queue worker). After 400
warm-up requests the worker's counters are zeroed, ``--requests`` distinct signed Zendesk webhooks are
sent over ``--connections`` keep-alive connections, and the counters are read back. ``--keep DIR`` copies
each worker's callgrind file there (bare.callgrind, ours.callgrind) for ``callgrind_annotate``.

Why: on a shared VM, intake_wrk's rounds move by tens of percent with other tenants' load (two identical
bare apps differ by 0.8-1.4 in one round), more than most changes to the webhook path. The instructions a
request executes hardly move from run to run, so two builds can be compared here. What the count leaves
out: the kernel (socket and file I/O), cache misses, and the CPU's SHA extensions, which valgrind does not
emulate, so HMAC and SHA-256 count several times what they cost on the CPU. It is a figure for comparing
builds, not a throughput: the ratio intake_wrk measures is lower than the ratio of these counts.
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.benchmarks.webhook_load import SECRET, free_port, payloads, wait_healthy

WARM_UP = 400


def run(app: str, requests: int, connections: int, keep: Path | None = None, name: str = "") -> float:
    """Instructions per request of the one web worker serving ``app``."""
    data = tempfile.mkdtemp(prefix="empathy-instr-")
    out = Path(data) / "callgrind.%p.out"
    env = {**os.environ, "EMPATHY_DATA_DIR": data, "EMPATHY_LOG_LEVEL": "WARNING",
           "EMPATHY_ZENDESK_SUBDOMAIN": "bench", "EMPATHY_ZENDESK_EMAIL": "bot@bench.test",
           "EMPATHY_ZENDESK_API_TOKEN": "x", "EMPATHY_ZENDESK_WEBHOOK_SECRET": SECRET,
           "EMPATHY_ZENDESK_API_URL": "http://127.0.0.1:9", "PROMETHEUS_MULTIPROC_DIR": str(Path(data) / "metrics"),
           "PYTHONHASHSEED": "0"}
    (Path(data) / "metrics").mkdir()
    port = free_port()
    server = subprocess.Popen(["valgrind", "--tool=callgrind", "--trace-children=yes", f"--callgrind-out-file={out}",
                               sys.executable, "-m", "gunicorn", "--config", "python:empathy_cues.service.gunicorn_conf",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "600",
                               "--max-requests", "0", app],
                              env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, timeout=600)
        import psutil

        [worker] = [child.pid for child in psutil.Process(server.pid).children()]
        work = payloads(0, WARM_UP + requests)
        send(port, work[:WARM_UP], connections)
        control = ["callgrind_control"]
        subprocess.run(control + ["-z", str(worker)], check=True, capture_output=True)
        send(port, work[WARM_UP:], connections)
        subprocess.run(control + ["-d", str(worker)], check=True, capture_output=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            dumps = sorted(Path(data).glob(f"callgrind.{worker}.out.*"))
            total = dumps and _total(dumps[-1])
            if total:
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(dumps[-1], keep / f"{name}.callgrind")
                return total / requests
            time.sleep(0.5)
        raise RuntimeError("callgrind wrote no counts")
    finally:
        os.killpg(server.pid, 15)
        server.wait(60)
        shutil.rmtree(data, ignore_errors=True)


def _total(path: Path) -> int | None:
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    return None


def send(port: int, work: list, connections: int) -> None:
    def client(items: list) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for body, headers in items:
            conn.request("POST", "/webhooks/zendesk", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 202:
                raise RuntimeError(f"answered {response.status}")

    threads = [threading.Thread(target=client, args=(work[i::connections],)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="a folder to copy the callgrind files into")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    bare = run("tests.benchmarks.bare_app:app", args.requests, args.connections, args.keep, "bare")
    print(f"bare app: {bare / 1e6:.3f} M instructions a request", flush=True)
    ours = run("empathy_cues.service.app:from_env()", args.requests, args.connections, args.keep, "ours")
    print(f"empathy-cues: {ours / 1e6:.3f} M instructions a request; bare/ours {bare / ours:.2f} "
          f"(one gevent worker, {args.connections} keep-alive connections, {args.requests} webhooks)")


if __name__ == "__main__":
    main()
