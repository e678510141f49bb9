"""/readyz, /metrics and the deadletters command, through the real app factory, store and queue."""
from __future__ import annotations

import json

from click.testing import CliRunner

from empathy_cues.service.app import create_app
from empathy_cues.service.settings import Settings
from empathy_cues.durable.state import open_store

from .conftest import ZENDESK_SECRET, sample_bytes, service_env


def client_for(env):
    return create_app(Settings.from_env(env)).test_client()


def test_readyz_checks_queue_packs_and_credentials(tmp_path):
    ready = client_for(service_env(tmp_path / "data")).get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {"ready": True, "checks": {"queue": "ok", "packs": "ok", "zendesk": "ok",
                                                   "freshdesk": "ok"}}
    nothing = client_for({"EMPATHY_DATA_DIR": str(tmp_path / "d2")}).get("/readyz")
    assert nothing.status_code == 503 and nothing.json["checks"]["helpdesks"] == "none configured"


def test_readyz_is_503_when_redis_is_unreachable(tmp_path):
    env = service_env(tmp_path / "data", EMPATHY_QUEUE_URL="redis://127.0.0.1:1/0")
    response = client_for(env).get("/readyz")
    assert response.status_code == 503 and response.json["checks"]["queue"].startswith("unreachable")


def test_metrics_count_a_webhook_by_outcome(tmp_path):
    from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

    client = client_for(service_env(tmp_path / "data"))
    raw = sample_bytes("zendesk", "trigger_comment.json")
    ts = format_timestamp()
    headers = {"X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw),
               "X-Zendesk-Webhook-Signature-Timestamp": ts, "Content-Type": "application/json"}
    assert client.post("/webhooks/zendesk", data=raw, headers=headers).status_code == 202
    assert client.post("/webhooks/zendesk", data=raw, headers=headers).json == {"ignored": "duplicate"}
    assert client.post("/webhooks/zendesk", data=raw, headers={**headers, "X-Zendesk-Webhook-Signature": "x"}
                       ).status_code == 401
    text = client.get("/metrics").get_data(as_text=True)

    def value(prefix: str) -> float:
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix))

    assert value('empathy_events_rejected_total{helpdesk="zendesk",reason="bad_signature"}') >= 1
    assert value('empathy_events_ignored_total{helpdesk="zendesk",reason="duplicate"}') >= 1
    assert value('empathy_events_queued_total{helpdesk="zendesk"}') >= 1
    assert value('empathy_queue_depth{state="queued"}') == 1       # this app's own queue: the one event
    assert "Dana" not in text and "password" not in text             # no customer data in labels


def test_deadletters_list_replay_all_and_purge(tmp_path, monkeypatch):
    from empathy_cues.cli import main

    env = service_env(tmp_path / "data")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    store = open_store(Settings.from_env(env))
    for ticket in ("7", "8"):
        store.add_dead_letter(f"k{ticket}", {"helpdesk": "zendesk", "ticket_id": ticket}, "permanent error: 404")
    runner = CliRunner()
    listed = runner.invoke(main, ["deadletters", "list", "--json"])
    assert listed.exit_code == 0
    assert [json.loads(line)["ticket_id"] for line in listed.stdout.splitlines()] == ["7", "8"]
    assert runner.invoke(main, ["deadletters", "replay"]).exit_code == 2          # an ID or --all
    replayed = runner.invoke(main, ["deadletters", "replay", "--all"])
    assert replayed.exit_code == 0 and len(replayed.stdout.splitlines()) == 2
    assert store.dead_letters() == []
    store.add_dead_letter("k9", {"helpdesk": "zendesk", "ticket_id": "9"}, "x")
    purged = runner.invoke(main, ["deadletters", "purge", "--yes"])
    assert purged.exit_code == 0 and json.loads(purged.stdout) == {"purged": 1}
