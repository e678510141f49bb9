"""Hostile networks and hostile bodies against the real `empathy-cues serve` on loopback.

Each test names the attack it repeats; they failed before the fix that stops it.
"""
from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from .test_e2e import (env, free_port, freshdesk, server, start_server, wait_for, zendesk,  # noqa: F401
                       zendesk_event)

# Real `serve` processes: the outer loop.
pytestmark = pytest.mark.slow

IDLE = 200


def _open_idle(port: int, n: int) -> list[socket.socket]:
    """``n`` connections: half send nothing, half send a request line and headers that never end."""
    socks = []
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2:
            s.sendall(b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        socks.append(s)
    return socks


def test_200_idle_and_slow_header_connections_do_not_block_health_or_webhooks(server, zendesk):
    zendesk.add_ticket(4242, comments=[{"body": "hi", "author_id": 382}])
    socks = _open_idle(server.port, IDLE)
    try:
        time.sleep(0.5)           # let the server accept them all
        started = time.monotonic()
        health = requests.get(server.url + "/healthz", timeout=10)
        assert health.status_code == 200
        r = server.post_zendesk(zendesk_event(4242, 1, "I tried three times and it still fails, so frustrating."))
        assert r.status_code == 202 and r.json().get("queued") is True
        assert time.monotonic() - started < 10
        assert wait_for(lambda: zendesk.notes(4242), 20)
    finally:
        for s in socks:
            s.close()


def test_the_workers_metrics_port_listens_on_loopback_only(env, tmp_path):
    import os
    import subprocess

    import psutil

    from .test_e2e import EXE

    port = free_port()
    proc = subprocess.Popen([EXE, "worker"], env={**os.environ, **env, "EMPATHY_METRICS_PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        def listening():
            return [c.laddr for c in psutil.Process(proc.pid).net_connections("tcp")
                    if c.status == psutil.CONN_LISTEN and c.laddr.port == port]
        addrs = wait_for(listening, 20)
        assert addrs and all(a.ip == "127.0.0.1" for a in addrs), addrs
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_chunked_body_over_one_mebibyte_is_413_not_401(server):
    from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

    from .conftest import ZENDESK_SECRET

    raw = json.dumps({"ticket_id": "5", "latest_comment": "x" * (1024 * 1024 + 10)}).encode()
    ts = format_timestamp()
    headers = {"Content-Type": "application/json", "X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw),
               "X-Zendesk-Webhook-Signature-Timestamp": ts}
    chunks = (raw[i:i + 65536] for i in range(0, len(raw), 65536))       # no Content-Length: chunked
    r = requests.post(server.url + "/webhooks/zendesk", data=chunks, headers=headers, timeout=20)
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"
    metrics = requests.get(server.url + "/metrics", timeout=10).text
    assert 'reason="bad_signature"' not in metrics


def test_a_chunked_body_under_the_limit_is_accepted(server):
    raw = zendesk_event(77, 1, "hello there")
    from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

    from .conftest import ZENDESK_SECRET

    ts = format_timestamp()
    headers = {"Content-Type": "application/json", "X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw),
               "X-Zendesk-Webhook-Signature-Timestamp": ts}
    r = requests.post(server.url + "/webhooks/zendesk", data=iter([raw[:100], raw[100:]]), headers=headers,
                      timeout=20)
    assert r.status_code == 202, r.text


MALFORMED = [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 20000 + b"\r\n\r\n",
             b"GET /healthz HTTP/9.9\r\n\r\n", b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
             b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01\x00\x00"]


def test_gunicorns_own_warnings_are_json_lines_not_logging_errors(server):
    for payload in MALFORMED:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as c:
            c.sendall(payload)
            try:
                c.recv(1000)
            except OSError:
                pass
    assert server.health()["status"]
    time.sleep(0.5)
    log = server.log_path.read_text(errors="replace")
    assert "Logging error" not in log and "Traceback" not in log
    lines = [line for line in log.splitlines() if line.startswith("{")]
    assert any("Invalid request" in json.loads(line)["msg"] for line in lines)
    for line in log.splitlines():
        assert line.startswith("{") or line.startswith("empathy-cues serving"), line[:200]


def test_customer_text_is_private_and_gone_from_the_files_once_processed(env, start_server, zendesk):
    import os
    import stat
    from pathlib import Path

    server = start_server({**env, "EMPATHY_SWEEP_GRACE_SECONDS": "2"})
    data = Path(env["EMPATHY_DATA_DIR"])
    sentinel = "QXZSENTINEL42"
    tickets = range(5150, 5155)
    for i in tickets:
        zendesk.add_ticket(i, comments=[{"body": "hi", "author_id": 382}])
        r = server.post_zendesk(zendesk_event(i, 100 + i, f"I tried three times to open invoice {sentinel} "
                                                          f"number {i} and it still fails, so frustrating."))
        assert r.status_code == 202, r.text
    assert wait_for(lambda: all(zendesk.notes(i) for i in tickets), 30), server.log()

    def files_holding_the_text():
        return [p.name for p in data.rglob("*") if p.is_file() and sentinel.encode() in p.read_bytes()]

    assert wait_for(lambda: not files_holding_the_text(), 30), files_holding_the_text()
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    for path in data.glob("*.sqlite3*"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, (path.name, oct(os.stat(path).st_mode))
