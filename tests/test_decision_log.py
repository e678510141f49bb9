"""The decision log: one record per event with what was decided and what became of it, no text,
on a real SQLite file and on the real Redis, written by the worker's task."""
import json
import sqlite3
import time
from types import SimpleNamespace

import pytest

from empathy_cues.errors import PermanentHelpdeskError, RetryableHelpdeskError
from empathy_cues.records import cue_matches, decision_for_ticket, purge_old, recent_decisions
from empathy_cues.records.decisions import Decision, decision_from, record_decision
from empathy_cues.records.store import RedisRecords, SqliteRecords
from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.runtime import Runtime
from empathy_cues.worker.task import handle

from .conftest import service_env
from .test_queue import RecordingClient, event_dict

CUSTOMER_WORDS = "I'm stuck and it still does not work"   # the comment RecordingClient serves


@pytest.fixture(params=["sqlite", "redis"])
def records(request, tmp_path):
    if request.param == "sqlite":
        return SqliteRecords(tmp_path / "records.sqlite3")
    return RedisRecords(request.getfixturevalue("redis_url"))


def _decision(ticket="7", at=1000.0, cues=("struggle.tried",), status="applied", apology=True, key=None):
    return Decision(key=key or f"zendesk:acme:{ticket}:{at}", helpdesk="zendesk", account="acme", ticket_id=ticket,
                    delivery_id=f"d{at}", at=at, first_at=at, channel="email", apology=apology, priority=False,
                    status=status, cue_ids=cues, situation="how_to", severity=1, asks=("fix",),
                    tags=("empathy_apology",), reply_parts=("parts.greeting.unnamed.0",), pack_version="en.v1")


def test_read_api_on_both_stores(records):
    record_decision(records, _decision("7", 1000.0))
    record_decision(records, _decision("7", 2000.0, cues=(), apology=False, status="nothing_owed"))
    record_decision(records, _decision("8", 3000.0, cues=("struggle.tried", "waiting.still")))
    newest = recent_decisions(records, limit=2)
    assert [d.ticket_id for d in newest] == ["8", "7"] and newest[0].cue_ids == ("struggle.tried", "waiting.still")
    # The decision that owed something stands for the ticket, not a later "nothing owed" one.
    found = decision_for_ticket(records, "zendesk", "7")
    assert found.at == 1000.0 and found.status == "applied" and found.reply_parts == ("parts.greeting.unnamed.0",)
    assert decision_for_ticket(records, "zendesk", "9") is None
    assert decision_for_ticket(records, "zendesk", "7", account="other") is None
    assert cue_matches(records, since=0, bucket_seconds=1000) == {
        "struggle.tried": {1000: 1, 3000: 1}, "waiting.still": {3000: 1}}


def test_status_moves_on_and_keeps_the_first_time(records):
    record_decision(records, _decision("7", 1000.0, status="retrying", key="k"))
    record_decision(records, _decision("7", 1500.0, status="applied", key="k").__class__(
        **{**_decision("7", 1500.0, status="applied", key="k").to_record(), "first_at": 1500.0}))
    [only] = recent_decisions(records, 10)
    assert only.status == "applied" and only.at == 1500.0 and only.first_at == 1000.0


def test_retention_purges_old_records(records):
    record_decision(records, _decision("1", time.time() - 100 * 86400))
    record_decision(records, _decision("2", time.time() - 10))
    assert purge_old(records, 90) == 1
    assert [d.ticket_id for d in recent_decisions(records, 10)] == ["2"]
    assert decision_for_ticket(records, "zendesk", "1") is None


def test_decision_from_is_pure_and_holds_no_text():
    from empathy_cues import analyze
    from empathy_cues.core.event import TicketEvent
    from empathy_cues.core.write_plan import build_plan
    from empathy_cues.reply import compose_note

    event = TicketEvent.from_dict(event_dict())
    text = "Third time asking: my refund for the blue lamp is still missing and I'm losing patience"
    analysis = analyze(text)
    note = compose_note(analysis, ticket_id=event.ticket_id)
    plan = build_plan(event, analysis, note)
    d = decision_from(event, analysis, note, plan, "applied", pack_version="en.v1", now=5.0)
    assert d.apology and "refund" in d.objects and d.reply_parts == note.parts and d.reply_parts
    assert set(d.tags) == set(plan.add_tags) and d.cue_ids
    stored = json.dumps(d.to_record())
    for word in ("blue lamp", "patience", "losing patience", "Third time"):
        assert word not in stored
    with pytest.raises(ValueError):
        decision_from(event, analysis, note, plan, "maybe", pack_version="", now=0)


@pytest.fixture
def worker(tmp_path):
    settings = Settings.from_env(service_env(tmp_path / "data"))
    store = SqliteStore(tmp_path / "state.sqlite3")

    def make(client):
        return Runtime(settings, store, client_factory=lambda h, s: client)

    return make, SqliteRecords(tmp_path / "data" / "records.sqlite3")


def test_the_worker_logs_applied_with_the_reply_variant(worker):
    make, records = worker
    client = RecordingClient()
    assert handle(make(client), event_dict("trigger_unescaped_text.json")) == "applied"
    [d] = recent_decisions(records, 5)
    assert (d.status, d.helpdesk, d.account, d.ticket_id) == ("applied", "zendesk", "acme", "1004")
    assert d.apology and d.cue_ids and d.reply_parts and d.pack_version.startswith("en.v")
    assert set(d.tags) == set(client.applied[0].add_tags)
    raw = sqlite3.connect(records.path).execute("select group_concat(data) from records").fetchone()[0]
    # Cue ids name what they find ("struggle.stuck"); the customer's words are never there.
    assert "I'm stuck" not in raw and "still does not work" not in raw and CUSTOMER_WORDS not in raw


def test_the_worker_logs_retrying_then_dead_letter(worker):
    make, records = worker
    client = RecordingClient([RetryableHelpdeskError("503", helpdesk="zendesk", status=503),
                              PermanentHelpdeskError("404", helpdesk="zendesk", status=404)])
    runtime = make(client)
    with pytest.raises(RetryableHelpdeskError):
        handle(runtime, event_dict("trigger_unescaped_text.json"), SimpleNamespace(retries=3, retry_delay=2))
    assert recent_decisions(records, 5)[0].status == "retrying"
    runtime.store.schedule("x", 0)     # the retry: a new attempt of the same event
    assert handle(runtime, event_dict("trigger_unescaped_text.json"),
                  SimpleNamespace(retries=2, retry_delay=4)) == "dead_letter"
    [d] = recent_decisions(records, 5)
    assert d.status == "dead_letter" and d.first_at <= d.at


def test_the_worker_logs_nothing_owed(worker):
    make, records = worker

    class Calm(RecordingClient):
        def ticket_comment(self, ticket_id, comment_id=None):
            return {"id": 1, "body": "Thanks, that is all.", "author_id": "381", "public": True}

    assert handle(make(Calm()), event_dict("trigger_unescaped_text.json")) == "nothing_owed"
    [d] = recent_decisions(records, 5)
    assert d.status == "nothing_owed" and not d.apology and d.tags == ()


def test_the_sweep_applies_the_retention(worker):
    from empathy_cues.worker.task import sweep

    make, records = worker
    runtime = make(RecordingClient())
    record_decision(records, _decision("1", time.time() - 91 * 86400))
    record_decision(records, _decision("2", time.time()))
    sweep(runtime, queue_idle=False, enqueue=lambda e: None)
    assert [d.ticket_id for d in recent_decisions(records, 10)] == ["2"]
