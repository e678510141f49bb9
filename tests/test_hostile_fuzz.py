"""The hostile-input fuzzer (tests/hostile_fuzz.py) in every test run, with a small example count: once
through the Flask app on its real SQLite store, once over HTTP against the real `empathy-cues serve`.
tests/benchmarks/hostile_fuzz.py runs 10,000+ examples against `serve`."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings

from empathy_cues.service.app import create_app
from empathy_cues.service.settings import Settings

from .conftest import service_env
from .hostile_fuzz import Request, check_answer, requests_
from .test_e2e import env, freshdesk, server, start_server, zendesk  # noqa: F401


def seen_rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select count(*) from seen").fetchone()[0]
    finally:
        conn.close()


def test_hostile_requests_through_the_app(tmp_path):
    data = tmp_path / "data"
    app = create_app(Settings.from_env(service_env(data)))
    client = app.test_client()

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(requests_())
    def check(req: Request):
        before = seen_rows(data / "state.sqlite3")
        r = client.post(f"/webhooks/{req.helpdesk}", data=req.body, headers=req.headers())
        check_answer(req, r.status_code, r.get_json(silent=True), before, seen_rows(data / "state.sqlite3"))

    check()
    assert client.get("/healthz").status_code == 200


@pytest.mark.slow  # a real `serve` process
def test_hostile_requests_against_the_real_server(server):
    data = Path(server.env["EMPATHY_DATA_DIR"])

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(requests_())
    def check(req: Request):
        before = seen_rows(data / "state.sqlite3")
        r = requests.post(f"{server.url}/webhooks/{req.helpdesk}", data=req.body, headers=req.headers(), timeout=20)
        try:
            body = r.json()
        except ValueError:
            body = None
        check_answer(req, r.status_code, body, before, seen_rows(data / "state.sqlite3"))

    check()
    assert server.health()["status"]
    assert requests.get(server.url + "/metrics", timeout=10).status_code == 200
    assert "Traceback" not in server.log()
