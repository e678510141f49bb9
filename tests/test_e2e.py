"""End to end through the real `empathy-cues serve` process (gunicorn + huey on a SQLite file) and the
Zendesk stand-in API on loopback, driven by the real client."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

from .conftest import ZENDESK_SECRET, sample_bytes, service_env
from .standin import ZendeskStandin

EXE = str(Path(sys.executable).with_name("empathy-cues"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.env, self.port, self.proc = env, free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        self.proc = subprocess.Popen([EXE, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--web-workers", "1"], env={**os.environ, **self.env},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("serve did not start")

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=25)

    def post_zendesk(self, raw: bytes, *, secret: str = ZENDESK_SECRET, ts: str | None = None, signed=True):
        ts = ts or format_timestamp()
        headers = {"Content-Type": "application/json"}
        if signed:
            headers.update({"X-Zendesk-Webhook-Signature": sign(secret, ts, raw),
                            "X-Zendesk-Webhook-Signature-Timestamp": ts})
        return requests.post(self.url + "/webhooks/zendesk", data=raw, headers=headers, timeout=10)

    def health(self) -> dict:
        return requests.get(self.url + "/healthz", timeout=5).json()


@pytest.fixture
def zendesk():
    with ZendeskStandin() as standin:
        yield standin


@pytest.fixture
def server(tmp_path, zendesk):
    srv = Server(service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk.url,
                             EMPATHY_FRESHDESK_API_URL="http://127.0.0.1:9")).start()
    yield srv
    srv.stop()


def wait_for(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def test_no_helpdesk_configured_serves_health_and_explains(tmp_path):
    srv = Server({"EMPATHY_DATA_DIR": str(tmp_path / "d")}).start()
    try:
        body = srv.health()
        assert body["helpdesks"] == [] and "EMPATHY_ZENDESK_WEBHOOK_SECRET" in body["setup"]
        r = requests.post(srv.url + "/webhooks/zendesk", data=b"{}", timeout=5)
        assert r.status_code == 404 and r.json()["error"] == "helpdesk_not_enabled"
    finally:
        srv.stop()
    assert srv.proc.returncode == 0


@pytest.mark.parametrize("case", ["forged", "stale", "unsigned"])
def test_forged_stale_unsigned_are_401_and_nothing_is_queued(server, zendesk, case):
    raw = sample_bytes("zendesk", "trigger_comment.json")
    kwargs = {"forged": {"secret": "wrong"}, "stale": {"ts": "2020-01-01T00:00:00Z"}, "unsigned": {"signed": False}}
    r = server.post_zendesk(raw, **kwargs[case])
    assert r.status_code == 401 and r.json()["error"] in {"bad_signature", "stale_timestamp", "missing_signature"}
    time.sleep(0.5)
    assert server.health()["queue"]["pending"] == 0 and zendesk.calls == []


def test_own_note_echo_and_agent_comment_do_nothing(server, zendesk):
    for name, reason in (("own_note_echo.json", "own_note"), ("agent_comment.json", "agent_comment")):
        r = server.post_zendesk(sample_bytes("zendesk", name))
        assert r.status_code == 202 and r.json() == {"ignored": reason}
    time.sleep(1)
    assert zendesk.calls == []


def test_same_delivery_twice_is_acknowledged_once(server):
    raw = sample_bytes("zendesk", "event_comment_added.json")
    first, second = server.post_zendesk(raw), server.post_zendesk(raw)
    assert first.status_code == 202 and first.json()["queued"] is True
    assert second.status_code == 202 and second.json() == {"ignored": "duplicate"}


def test_bad_json_is_400_not_500(server):
    r = server.post_zendesk(b'{"ticket_id": ')
    assert r.status_code == 400 and r.json()["error"] == "invalid_json"
