"""What the admin page costs a web worker: the first Try it (which loads the cue engine and the reply's
spelling index, as the queue worker's warm-up does), later tries, and the reading pages.

Run from the repository root:  python -m tests.benchmarks.admin_page
Starts gunicorn (one gevent web worker, the shipped settings) on loopback with a fresh data dir, signs in
over HTTP, and prints seconds and the web worker's RSS in MB.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import psutil
import requests

from tests.admin_helpers import TOKEN, csrf_of, signed_in
from tests.ops_harness import free_port

ROUNDS = 20
FIRST = "My ordr never arived and I tried calling three times, I am so frustated"
LATER = "Third time asking: my refund is still missing and nobody answers. I'm cancelling."


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    port = free_port()
    env = {**os.environ, "EMPATHY_DATA_DIR": tempfile.mkdtemp(prefix="admin-bench-"), "EMPATHY_ADMIN_PAGE_TOKEN": TOKEN}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:empathy_cues.service.gunicorn_conf",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1", "empathy_cues.service.app:from_env()"],
                              env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start")
                time.sleep(0.2)
        worker = psutil.Process(server.pid).children()[0]
        http = signed_in(base)
        token = csrf_of(http.get(base + "/admin/try", timeout=10).text)
        before = worker.memory_info().rss / 1e6

        def try_it(text: str):
            answer = http.post(base + "/admin/try", data={"csrf_token": token, "text": text, "channel": "email"},
                               timeout=60)
            assert answer.status_code == 200, answer.status_code

        first = timed(lambda: try_it(FIRST))
        after = worker.memory_info().rss / 1e6
        later = [timed(lambda: try_it(LATER)) for _ in range(ROUNDS)]
        pages = {path: [timed(lambda: http.get(base + path, timeout=10)) for _ in range(ROUNDS)]
                 for path in ("/admin/decisions", "/admin/cues", "/admin/qa")}
        print(f"first Try it: {first:.2f} s; web worker RSS {before:.0f} MB -> {after:.0f} MB")
        print(f"later Try it: median {statistics.median(later) * 1000:.1f} ms, max {max(later) * 1000:.1f} ms "
              f"({ROUNDS} tries)")
        for path, times in pages.items():
            print(f"GET {path}: median {statistics.median(times) * 1000:.1f} ms (empty data dir)")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
