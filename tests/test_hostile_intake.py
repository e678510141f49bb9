"""Hostile bodies and headers at the intake (real SQLite store), the metrics and the logs.

Each test repeats one attack that worked before its fix (it failed on that code).
"""
from __future__ import annotations

import json
import logging

import pytest

from empathy_cues import metrics
from empathy_cues.errors import WebhookError
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign
from empathy_cues.service.intake import Intake
from empathy_cues.durable.sqlite_state import SqliteStore

from .conftest import FRESHDESK_SECRET, ZENDESK_SECRET, sample_json

INVOCATION = "X-Zendesk-Webhook-Invocation-Id"


def signed(raw: bytes, ts: str | None = None) -> dict:
    ts = ts or format_timestamp()
    return {"X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw),
            "X-Zendesk-Webhook-Signature-Timestamp": ts}


def trigger(**fields) -> bytes:
    data = sample_json("zendesk", "trigger_comment.json")
    data.update(fields)
    return json.dumps(data).encode()


def freshdesk(**fields) -> tuple[bytes, dict]:
    data = sample_json("freshdesk", "reply.json")
    data.update(fields)
    return json.dumps(data).encode(), {"X-Empathy-Secret": FRESHDESK_SECRET}


@pytest.fixture
def queued():
    return []


@pytest.fixture
def intake(intake_settings, tmp_path, queued):
    return Intake(intake_settings, SqliteStore(tmp_path / "state.sqlite3"), queued.append)


def status_of(intake, helpdesk, raw, headers) -> tuple[int, dict]:
    try:
        return intake.receive(helpdesk, raw, headers)
    except WebhookError as exc:
        return exc.status, exc.to_json()


# -- replay of a captured request ---------------------------------------------------------------------

def test_a_captured_request_replayed_with_other_invocation_ids_is_queued_once(intake, queued):
    raw = trigger()
    headers = signed(raw)
    answers = [status_of(intake, "zendesk", raw, {**headers, **extra})
               for extra in ({INVOCATION: "inv-1"}, {INVOCATION: "inv-2"}, {INVOCATION: "x" * 100}, {},
                             {INVOCATION: ""}, {INVOCATION: "inv-1 "})]
    assert [a[1].get("queued") for a in answers].count(True) == 1, answers
    assert len(queued) == 1


def test_the_same_body_signed_again_later_is_a_duplicate_too(intake, queued):
    raw = trigger()
    first = status_of(intake, "zendesk", raw, {**signed(raw), INVOCATION: "a"})
    from datetime import datetime, timedelta, timezone

    later = format_timestamp(datetime.now(timezone.utc) - timedelta(seconds=30))
    second = status_of(intake, "zendesk", raw, {**signed(raw, later), INVOCATION: "b"})
    assert first[1].get("queued") is True and second == (202, {"ignored": "duplicate"})
    assert len(queued) == 1


# -- /metrics labels only from fixed sets -------------------------------------------------------------

def test_a_lone_surrogate_in_a_body_field_does_not_break_metrics(intake):
    raw, headers = freshdesk(event="\ud800 happened", kind="\ud800")
    status, _ = status_of(intake, "freshdesk", raw, headers)
    assert status < 500
    text = metrics.render().decode("utf-8")
    assert "empathy_events_ignored_total" in text


def test_two_thousand_distinct_kinds_do_not_make_two_thousand_series(intake):
    for i in range(2000):
        raw = trigger(kind=f"weird-kind-{i}")
        status_of(intake, "zendesk", raw, signed(raw))
    lines = [line for line in metrics.render().decode().splitlines()
             if line.startswith("empathy_events_ignored_total{")]
    assert len(lines) < 20, lines[:5]
    assert not any("weird-kind" in line for line in lines)


# -- every body gets a 4xx with a reason, counted as rejected ---------------------------------------------

@pytest.mark.parametrize("name, raw", [
    ("deep_nesting", b'{"ticket_id": "5", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("deep_objects", b'{"ticket_id": "5", "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}"),
])
def test_deeply_nested_signed_bodies_are_400_not_500(intake, name, raw):
    status, body = status_of(intake, "zendesk", raw, signed(raw))
    assert status == 400 and body["error"] == "nested_too_deep"


def test_a_lone_surrogate_in_signed_text_is_read_not_a_500(intake, queued):
    raw = trigger(latest_comment="I tried twice \ud800 and it still fails")   # json.dumps writes the escape
    assert b"\\ud800" in raw
    status, body = status_of(intake, "zendesk", raw, signed(raw))
    assert status == 202 and body.get("queued") is True
    assert "\ufffd" in queued[0]["comment_text"]
    queued[0]["comment_text"].encode("utf-8")


def test_a_thirty_digit_timestamp_is_401_not_500(intake):
    raw = trigger()
    ts = "9" * 30
    status, body = status_of(intake, "zendesk", raw, {"X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw),
                                                      "X-Zendesk-Webhook-Signature-Timestamp": ts})
    assert status == 401 and body["error"] == "stale_timestamp"


def test_rejections_are_counted(intake):
    def rejected() -> float:
        return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.render().decode().splitlines()
                   if line.startswith('empathy_events_rejected_total{helpdesk="zendesk"'))

    before = rejected()
    raw = b'{"ticket_id": "5", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    status_of(intake, "zendesk", raw, signed(raw))
    assert rejected() == before + 1


# -- ticket ids are canonical ---------------------------------------------------------------------------

@pytest.mark.parametrize("ticket_id", ["1_030", "\uff11\uff10\uff13\uff10", "-5", "0", "9" * 64, "abc", "nan",
                                       "1e3", " 12 3", "+7", "\u0661\u0662"])
def test_ticket_ids_that_are_not_plain_positive_integers_are_refused(intake, queued, ticket_id):
    raw = trigger(ticket_id=ticket_id)
    status, body = status_of(intake, "zendesk", raw, signed(raw))
    assert status == 400 and body["error"] == "missing_field" and not queued


def test_a_ticket_id_with_leading_zeros_is_the_same_ticket(intake, queued):
    raw = trigger(ticket_id="0001001")
    status, body = status_of(intake, "zendesk", raw, signed(raw))
    assert status == 202 and queued[0]["ticket_id"] == "1001"


def test_a_comment_id_that_is_not_an_id_is_refused(intake, queued):
    raw = trigger(comment_id="7" * 200_000 + "x")
    status, body = status_of(intake, "zendesk", raw, signed(raw))
    assert status == 400 and not queued


# -- the signature boundary cannot shift ---------------------------------------------------------------

def test_moving_seconds_from_the_timestamp_into_the_body_is_refused(intake, queued):
    ts = format_timestamp()
    raw = b'{"ticket_id": "1001", "latest_comment": "I tried twice and it still fails"}'
    good = sign(ZENDESK_SECRET, ts, raw)
    # The attacker holds one signed request and moves ":SSZ" from the header to the body's front.
    head, tail = ts[:-4], ts[-4:]
    shifted = tail.encode() + raw
    assert sign(ZENDESK_SECRET, head, shifted) == good
    status, body = status_of(intake, "zendesk", shifted, {"X-Zendesk-Webhook-Signature": good,
                                                          "X-Zendesk-Webhook-Signature-Timestamp": head})
    assert status == 401 and not queued


@pytest.mark.parametrize("ts", ["2024-04-17T17:18:10", "2024-04-17 17:18:10Z", "2024-04-17T17:18:10+00:00",
                                "2024-04-17T17:18Z", "1713374290", " 2024-04-17T17:18:10Z"])
def test_timestamps_not_in_zendesks_exact_form_are_refused(ts):
    from empathy_cues.helpdesks.zendesk.signature import parse_timestamp

    with pytest.raises(ValueError):
        parse_timestamp(ts)


# -- no body text in logs ----------------------------------------------------------------------------------

def test_body_fields_do_not_reach_the_logs(intake, caplog):
    caplog.set_level(logging.DEBUG)
    for raw in (trigger(kind="SECRETKIND" * 20_000), trigger(comment_id="SECRETID" * 25_000),
                trigger(ticket_id="SECRETTICKET")):
        status_of(intake, "zendesk", raw, signed(raw))
    text = "\n".join(r.getMessage() + json.dumps({k: str(v) for k, v in r.__dict__.items()}) for r in caplog.records)
    assert "SECRET" not in text
    assert max(len(r.getMessage()) for r in caplog.records) < 300


def test_zenpy_does_not_log_api_bodies_at_debug(zendesk_client, zendesk_standin, capsys):
    from empathy_cues.logs import configure_logging
    from empathy_cues.core.write_plan import WritePlan

    configure_logging("DEBUG")
    try:
        zendesk_standin.add_ticket(5, comments=[{"body": "Still broken SENTINELCUSTOMER", "author_id": 11}])
        zendesk_client.apply(WritePlan(helpdesk="zendesk", ticket_id="5", add_tags=("empathy_apology",),
                                       note_text="note quoting SENTINELNOTE\n\nempathy-cues ref: ec-1",
                                       note_html="<p>x</p>", marker="ec-1", priority=True))
        zendesk_client.ticket_comment("5", None)
    finally:
        configure_logging("WARNING")
    err = capsys.readouterr().err
    assert "SENTINELNOTE" not in err and "SENTINELCUSTOMER" not in err


def test_an_event_id_that_is_not_a_plain_token_is_hashed_not_logged(intake, queued, caplog):
    caplog.set_level(logging.INFO)
    data = sample_json("zendesk", "event_comment_added.json")
    data["id"] = "SECRETWORDS of the customer " * 4
    raw = json.dumps(data).encode()
    status, body = status_of(intake, "zendesk", raw, signed(raw))
    assert status == 202 and body.get("queued") is True
    assert "SECRET" not in body["delivery_id"] and "SECRET" not in caplog.text


def test_a_body_over_the_limit_is_413_and_counted_as_rejected(tmp_path):
    from empathy_cues.service.app import create_app
    from empathy_cues.service.settings import Settings

    from .conftest import service_env

    def rejected() -> float:
        return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.render().decode().splitlines()
                   if line.startswith('empathy_events_rejected_total{helpdesk="freshdesk",reason="payload_too_large"'))

    client = create_app(Settings.from_env(service_env(tmp_path / "data"))).test_client()
    before = rejected()
    r = client.post("/webhooks/freshdesk", data=b"x" * (1024 * 1024 + 1),
                    headers={"X-Empathy-Secret": FRESHDESK_SECRET, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.get_json()["error"] == "payload_too_large"
    assert rejected() == before + 1
