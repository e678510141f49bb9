"""The Flask layer with its real SQLite queue (no worker running): status codes and JSON errors."""
import json

import pytest

from empathy_cues.service.app import create_app
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign
from empathy_cues.service.settings import Settings

from .conftest import FRESHDESK_SECRET, ZENDESK_SECRET, sample_bytes


def zd_headers(raw: bytes, secret: str = ZENDESK_SECRET, ts: str | None = None) -> dict:
    ts = ts or format_timestamp()
    return {"X-Zendesk-Webhook-Signature": sign(secret, ts, raw), "X-Zendesk-Webhook-Signature-Timestamp": ts,
            "Content-Type": "application/json"}


def pending(app) -> int:
    return app.extensions["empathy_queue"].pending_count()


def test_signed_zendesk_payload_is_stored_before_202(app, client):
    raw = sample_bytes("zendesk", "trigger_comment.json")
    r = client.post("/webhooks/zendesk", data=raw, headers=zd_headers(raw))
    assert r.status_code == 202 and r.json["queued"] is True
    assert pending(app) == 1      # in the SQLite file already, nothing else ran


@pytest.mark.parametrize("case", ["forged", "stale", "unsigned"])
def test_bad_signatures_are_401_and_queue_nothing(app, client, case):
    raw = sample_bytes("zendesk", "trigger_comment.json")
    headers = {"forged": zd_headers(raw, secret="nope"), "stale": zd_headers(raw, ts="2020-01-01T00:00:00Z"),
               "unsigned": {"Content-Type": "application/json"}}[case]
    r = client.post("/webhooks/zendesk", data=raw, headers=headers)
    assert r.status_code == 401
    assert r.json["error"] in {"bad_signature", "stale_timestamp", "missing_signature"}
    assert pending(app) == 0


def test_freshdesk_with_secret_header(app, client):
    raw = sample_bytes("freshdesk", "reply.json")
    assert client.post("/webhooks/freshdesk", data=raw).status_code == 401
    r = client.post("/webhooks/freshdesk", data=raw, headers={"X-Empathy-Secret": FRESHDESK_SECRET})
    assert r.status_code == 202 and pending(app) == 1


def test_unknown_kind_is_202_ignored(client):
    raw = sample_bytes("zendesk", "unknown_event.json")
    r = client.post("/webhooks/zendesk", data=raw, headers=zd_headers(raw))
    assert r.status_code == 202 and r.json == {"ignored": "event_type:ticket.priority_changed"}


@pytest.mark.parametrize("raw,code", [(b"{not json", "invalid_json"), (b'{"subject": "x"}', "missing_field"),
                                      (b"\x00\xff", "invalid_json"), (b'"a string"', "invalid_json")])
def test_bad_bodies_are_400_naming_the_problem(app, client, raw, code):
    r = client.post("/webhooks/zendesk", data=raw, headers=zd_headers(raw))
    assert r.status_code == 400 and r.json["error"] == code
    if code == "missing_field":
        assert r.json["field"] == "ticket_id"
    assert pending(app) == 0


def test_oversized_body_is_413_json(client):
    raw = b"{" + b" " * (1024 * 1024) + b"}"
    r = client.post("/webhooks/zendesk", data=raw, headers=zd_headers(raw))
    assert r.status_code == 413 and r.json["error"] == "payload_too_large"


# A server that ends its input stream at the body's end (gunicorn) has the body read straight from it; any
# other through werkzeug's guarded stream. Both read the same bytes and refuse the same sizes.
READS = {"werkzeug's stream": {}, "the server's stream": {"wsgi.input_terminated": True}}


@pytest.mark.parametrize("read", READS)
def test_both_ways_of_reading_a_sized_body_store_it_and_refuse_one_too_large(app, client, read):
    raw = sample_bytes("zendesk", "trigger_comment.json")
    r = client.post("/webhooks/zendesk", data=raw, headers=zd_headers(raw), environ_overrides=READS[read])
    assert r.status_code == 202 and r.json["queued"] is True and pending(app) == 1
    big = b"{" + b" " * (1024 * 1024) + b"}"
    r = client.post("/webhooks/zendesk", data=big, headers=zd_headers(big), environ_overrides=READS[read])
    assert r.status_code == 413 and r.json["error"] == "payload_too_large" and pending(app) == 1


def test_a_body_cut_short_on_the_servers_stream_is_refused_not_stored(app, client):
    """Fewer bytes than Content-Length said: what arrived is not what was signed."""
    raw = sample_bytes("zendesk", "trigger_comment.json")
    r = client.post("/webhooks/zendesk", data=raw[:-10], headers={**zd_headers(raw), "Content-Length": str(len(raw))},
                    environ_overrides=READS["the server's stream"])
    assert r.status_code == 401 and r.json["error"] == "bad_signature" and pending(app) == 0


def test_wrong_method_and_path_are_json(client):
    assert client.get("/webhooks/zendesk").json["error"] == "method_not_allowed"
    r = client.post("/webhooks/intercom", data=b"{}")
    assert r.status_code == 404 and r.json["error"] == "not_found"


def test_disabled_helpdesk_is_404_with_hint(tmp_path):
    client = create_app(Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path)})).test_client()
    r = client.post("/webhooks/freshdesk", data=b"{}")
    assert r.status_code == 404 and r.json["error"] == "helpdesk_not_enabled"
    assert "EMPATHY_FRESHDESK" in r.json["message"]
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["helpdesks"] == [] and "EMPATHY_ZENDESK" in health.json["setup"]


def test_healthz_reports_enabled_helpdesks(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json["helpdesks"] == ["zendesk", "freshdesk"] and r.json["queue"]["pending"] == 0


def test_fuzzed_bodies_never_500(app, client):
    from hypothesis import given, settings as hsettings, strategies as st

    @hsettings(max_examples=150, deadline=None)
    @given(st.one_of(st.binary(max_size=300),
                     st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                  lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=10), c, max_size=4),
                                  max_leaves=10).map(lambda v: json.dumps(v).encode())))
    def check(raw):
        for path, headers in (("/webhooks/zendesk", zd_headers(raw)),
                              ("/webhooks/freshdesk", {"X-Empathy-Secret": FRESHDESK_SECRET})):
            r = client.post(path, data=raw, headers=headers)
            assert r.status_code in (202, 400), (r.status_code, r.json)
            assert "error" in r.json or "queued" in r.json or "ignored" in r.json

    check()
