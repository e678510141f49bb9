"""Health-check and webhook latency while N idle connections are held open, beside the same run without.

    .venv/bin/python -m tests.benchmarks.idle_connections [--n 50,200,1000] [--seconds 8]
                                                          [--worker-class gevent,gthread]

For each gunicorn worker class, one `empathy-cues serve` (2 web workers, embedded SQLite, dry run, so the
queue worker analyses every event but writes nothing) is started; then for N = 0 (the baseline) and each
``--n``, N connections are opened to it and held for the whole measurement -- half send nothing, half
send a request line and then one more header byte every 2 s (a slow-header client) -- and the load is
measured with wrk, a C client, on top of them:

* ``/healthz``: ``wrk -t1 -c4 -d<seconds>s --latency --timeout 5s``
* ``POST /webhooks/zendesk``: ``wrk -t1 -c8`` with a Lua script cycling through distinct signed Zendesk
  event payloads (signed just before the run: the timestamps are fresh), so each one is verified, claimed
  and stored durably before its 202.

Prints, per worker class and N, requests/s, p50 and p99 latency and errors (timeouts, non-2xx) of both.
gthread is gunicorn's thread worker this project used before; gevent is what gunicorn_conf.py uses now.
Needs wrk on PATH (``apt-get install -y wrk``).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign
from tests.conftest import ZENDESK_SECRET, service_env
from tests.standin import ZendeskStandin
from tests.test_e2e import Server, zendesk_event

WEBHOOKS = 30_000


class IdleHolder:
    """Keeps ``n`` connections open: even ones silent, odd ones trickling a never-ending header (a byte
    every 2 s). A connection the server closes is opened again at once, as an attacker would: the
    server's timeouts (gevent: the 5 s keepalive also bounds the first request) cannot thin them out.
    ``reopened`` counts how often the server closed one."""

    def __init__(self, port: int, n: int) -> None:
        self.port, self.n, self.reopened = port, n, 0
        self.socks: list[tuple[socket.socket, bool]] = [self._open(bool(i % 2)) for i in range(n)]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._keep, daemon=True)
        self.thread.start()

    def _open(self, slow: bool) -> tuple[socket.socket, bool]:
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        if slow:
            s.sendall(b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        s.setblocking(False)
        return s, slow

    @staticmethod
    def _closed(s: socket.socket) -> bool:
        try:
            return s.recv(4096) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _keep(self) -> None:
        last_trickle = time.monotonic()
        while not self.stop.wait(0.2):
            trickle = time.monotonic() - last_trickle >= 2
            if trickle:
                last_trickle = time.monotonic()
            for i, (s, slow) in enumerate(self.socks):
                if self._closed(s):
                    s.close()
                    try:
                        self.socks[i] = self._open(slow)
                        self.reopened += 1
                    except OSError:
                        pass
                elif slow and trickle:
                    try:
                        s.send(b"a")
                    except OSError:
                        pass

    def still_open(self) -> int:
        return sum(not self._closed(s) for s, _ in self.socks)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for s, _ in self.socks:
            s.close()


def write_webhook_script(path: Path, count: int) -> None:
    """A wrk Lua script with ``count`` distinct signed requests, built in init() with wrk.format."""
    ts = format_timestamp()
    lines = ["local bodies = {"]
    for i in range(count):
        raw = zendesk_event(100_000 + i, 1, "I tried three times and it still fails, so frustrating.").decode()
        assert "]==]" not in raw
        lines.append(f'{{"{sign(ZENDESK_SECRET, ts, raw.encode())}", [==[{raw}]==]}},')
    lines.append("}")
    lines.append(f'local ts = "{ts}"')
    lines.append("""
local reqs = {}
local i = 0
init = function(args)
  for k, b in ipairs(bodies) do
    reqs[k] = wrk.format("POST", "/webhooks/zendesk", {["Content-Type"] = "application/json",
      ["X-Zendesk-Webhook-Signature"] = b[1], ["X-Zendesk-Webhook-Signature-Timestamp"] = ts}, b[2])
  end
end
request = function()
  i = i + 1
  if i > #reqs then i = 1 end
  return reqs[i]
end
""")
    path.write_text("\n".join(lines))


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60).stdout

    def ms(label: str) -> float | None:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return None
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": ms("50%"), "p99": ms("99%"),
            "timeouts": int(errors.group(4)) if errors else 0,
            "errors": (sum(int(x) for x in errors.groups()[:3]) if errors else 0) + (int(non2xx.group(1)) if non2xx else 0)}


def fmt(r: dict) -> str:
    def t(v):
        return "   -   " if v is None else f"{v:7.1f}"
    return f"{r['rps']:7.0f}/s  p50 {t(r['p50'])} ms  p99 {t(r['p99'])} ms  timeouts {r['timeouts']:4d}  errors {r['errors']:4d}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", default="50,200,1000")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--worker-class", default="gevent,gthread")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not on PATH (apt-get install -y wrk)", file=sys.stderr)
        return 2
    counts = [0] + [int(n) for n in args.n.split(",")]
    rows = []
    for worker_class in args.worker_class.split(","):
        with tempfile.TemporaryDirectory() as tmp, ZendeskStandin() as zd:
            tmp = Path(tmp)
            extra = {"GUNICORN_CMD_ARGS": "--worker-class gthread --threads 16"} if worker_class == "gthread" else {}
            env = service_env(tmp / "data", EMPATHY_ZENDESK_API_URL=zd.url, EMPATHY_DRY_RUN="1",
                              EMPATHY_LOG_LEVEL="WARNING", **extra)
            server = Server(env, tmp / "serve.log")
            server.start()
            # Two web workers, as in production (Server starts one): restart with --web-workers 2.
            server.stop()
            server.proc = subprocess.Popen([str(Path(sys.executable).with_name("empathy-cues")), "serve", "--host",
                                            "127.0.0.1", "--port", str(server.port), "--web-workers", "2"],
                                           env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                           stderr=open(tmp / "serve2.log", "ab"), start_new_session=True)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(1)
            try:
                for n in counts:
                    holder = IdleHolder(server.port, n)
                    try:
                        time.sleep(1)
                        health = wrk(server.url + "/healthz", args.seconds, 4)
                        script = tmp / f"webhooks-{n}.lua"
                        write_webhook_script(script, WEBHOOKS)
                        hooks = wrk(server.url, args.seconds, 8, script)
                        alive = holder.still_open()
                    finally:
                        holder.close()
                    rows.append((worker_class, n, alive, holder.reopened, health, hooks))
                    print(f"{worker_class:8s} N={n:5d} (open {alive:5d}, reopened {holder.reopened:5d})  "
                          f"/healthz {fmt(health)}", flush=True)
                    print(f"{'':8s} {'':35s}  webhook  {fmt(hooks)}", flush=True)
            finally:
                server.stop()
    print(json.dumps([{"worker_class": w, "idle": n, "idle_open_at_end": a, "reopened": r, "healthz": h,
                       "webhook": k} for w, n, a, r, h, k in rows]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
