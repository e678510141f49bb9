"""The webhook receiver in front of Flask (service/web/webhooks.py): the answers, logs and metrics it gives
on its own, and which requests it leaves to the Flask app. test_webhooks.py covers the ordinary answers."""
from __future__ import annotations

import io
import json
import logging

import pytest

from empathy_cues import metrics
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

from .conftest import ZENDESK_SECRET

TERMINATED = {"wsgi.input_terminated": True}       # gunicorn's input stream ends at the body's end


def event(ticket: int, words: str = "I tried twice and it still fails.") -> bytes:
    """An invented event-subscription payload: a customer's public comment."""
    return json.dumps({
        "type": "zen:event-type:ticket.comment_added", "id": f"evt-recv-{ticket}", "subject": f"zen:ticket:{ticket}",
        "account_id": 1, "time": "2024-05-01T10:00:00Z",
        "detail": {"id": str(ticket), "subject": "Help", "tags": [], "requester_id": "900", "via": {"channel": "email"}},
        "event": {"comment": {"id": str(ticket * 10), "body": words, "is_public": True,
                              "author": {"id": "900", "is_staff": False, "name": "Ada"}}},
    }).encode()


def signed(raw: bytes) -> dict:
    ts = format_timestamp()
    return {"X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw),
            "X-Zendesk-Webhook-Signature-Timestamp": ts, "Content-Type": "application/json"}


def series(prefix: str) -> dict[str, float]:
    """The metric samples whose line starts with ``prefix``, by everything before the value."""
    out = {}
    for line in metrics.render().decode().splitlines():
        if line.startswith(prefix):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def pending(app) -> int:
    return app.extensions["empathy_queue"].pending_count()


def test_an_invented_event_is_queued_and_answered_with_the_intakes_body(app, client):
    raw = event(7101)
    r = client.post("/webhooks/zendesk", data=raw, headers=signed(raw), environ_overrides=TERMINATED)
    assert r.status_code == 202 and r.status == "202 ACCEPTED"
    assert r.headers["Content-Type"] == "application/json" and r.headers["Content-Length"] == str(len(r.data))
    assert r.data == b'{"queued":true,"ticket_id":"7101","delivery_id":"evt-recv-7101"}'
    assert pending(app) == 1


def test_a_made_up_helpdesk_is_404_before_any_metric(client):
    r = client.post("/webhooks/madeupdesk", data=b"{}")
    assert r.status_code == 404 and r.json["error"] == "not_found"
    assert not [name for name in series("empathy_events_") if "madeupdesk" in name]


def test_its_errors_are_the_bytes_flask_sends_for_its_own(client):
    """A client cannot tell a 404 of the receiver (unknown helpdesk) from a 404 of Flask (unknown path)."""
    ours = client.post("/webhooks/madeupdesk", data=b"{}")
    flasks = client.get("/no-such-page")
    assert ours.status == flasks.status == "404 NOT FOUND"
    assert ours.data == flasks.data and ours.data.endswith(b"}\n")
    assert list(ours.headers.items()) == list(flasks.headers.items())


def test_a_refusal_is_json_with_sorted_keys_and_logged_by_its_code(client, caplog):
    caplog.set_level(logging.INFO, logger="empathy_cues.web")
    raw = b'{"subject": "no ticket"}'
    r = client.post("/webhooks/zendesk", data=raw, headers=signed(raw))
    assert r.status == "400 BAD REQUEST"
    assert r.data == (b'{"error":"missing_field","field":"ticket_id",'
                      b'"message":"the payload has no usable \'ticket_id\' field"}\n')
    assert [(rec.levelname, rec.getMessage()) for rec in caplog.records if rec.name == "empathy_cues.web"] == [
        ("INFO", "refused: missing_field")]


def test_a_queue_that_fails_is_503_logged_as_an_error_and_counted(app, client, caplog, monkeypatch):
    def full(events):
        raise OSError("disk full")

    monkeypatch.setattr(app.extensions["empathy_queue"], "enqueue_many", full)
    caplog.set_level(logging.INFO)
    label = 'empathy_events_rejected_total{helpdesk="zendesk",reason="queue_unavailable"}'
    before = series(label).get(label, 0.0)
    raw = event(7102)
    r = client.post("/webhooks/zendesk", data=raw, headers=signed(raw), environ_overrides=TERMINATED)
    assert r.status == "503 SERVICE UNAVAILABLE"
    assert r.json == {"error": "queue_unavailable", "message": "the event could not be queued; try again"}
    assert series(label)[label] == before + 1
    assert ("ERROR", "refused: queue_unavailable") in [(rec.levelname, rec.getMessage()) for rec in caplog.records
                                                       if rec.name == "empathy_cues.web"]
    monkeypatch.undo()
    assert client.post("/webhooks/zendesk", data=raw, headers=signed(raw)).status_code == 202   # the redelivery


def test_an_unexpected_exception_is_a_json_500_and_its_traceback_logged(app, client, caplog, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(app.extensions["empathy_intake"], "receive", broken)
    raw = event(7103)
    r = client.post("/webhooks/zendesk", data=raw, headers=signed(raw))
    assert r.status == "500 INTERNAL SERVER ERROR"
    assert r.data == b'{"error":"internal_error","message":"unexpected server error"}\n'
    [logged] = [rec for rec in caplog.records if rec.getMessage() == "unexpected error"]
    assert logged.levelname == "ERROR" and logged.exc_info[0] is ZeroDivisionError


class GoneClient(io.RawIOBase):
    """An input stream whose client went away: every read fails, as a socket's does."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):
        raise ConnectionResetError("the client went away")


def test_a_client_gone_before_its_body_arrived_is_400_and_nothing_is_counted(app, client):
    raw = event(7104)
    before = series("empathy_events_")
    r = client.post("/webhooks/zendesk", data=raw, headers=signed(raw),
                    environ_overrides={**TERMINATED, "wsgi.input": GoneClient()})
    assert r.status_code == 400 and r.json["error"] == "bad_request"
    assert series("empathy_events_") == before and pending(app) == 0


@pytest.mark.parametrize("size,status", [(1024 * 1024, 401), (1024 * 1024 + 1, 413)])
def test_a_chunked_body_is_cut_one_byte_past_the_limit(app, client, size, status):
    """No Content-Length: the server's stream decodes the chunks; one byte more than we accept is a 413,
    not a body cut short whose signature then fails. A body at the limit is read whole (and then refused
    for its made-up signature)."""
    raw = b"x" * size
    label = 'empathy_events_rejected_total{helpdesk="zendesk",reason="payload_too_large"}'
    before = series(label).get(label, 0.0)
    headers = {**signed(b"not this"), "Transfer-Encoding": "chunked"}
    r = client.post("/webhooks/zendesk", headers=headers,
                    environ_overrides={**TERMINATED, "wsgi.input": io.BytesIO(raw)})
    assert r.status_code == status
    assert series(label).get(label, 0.0) == before + (status == 413)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_on_the_path_are_answered_by_flask(client, method):
    r = client.open("/webhooks/zendesk", method=method)
    assert r.status_code == 405 and r.json["error"] == "method_not_allowed"


def test_options_and_other_paths_are_flasks_as_before(client):
    options = client.options("/webhooks/zendesk")
    assert options.status_code == 200 and set(options.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    for path in ("/webhooks/zendesk/", "/webhooks/zendesk/extra", "/webhooks/"):
        r = client.post(path, data=b"{}")
        assert r.status_code == 404 and r.json["error"] == "not_found", path
    assert client.get("/healthz").status_code == 200


def test_a_post_never_reaches_the_flask_rule_kept_for_the_other_methods(app):
    """The rule's view raises if called: every POST the rule matches must be answered before Flask."""
    adapter = app.url_map.bind("localhost")
    endpoint, args = adapter.match("/webhooks/zendesk", method="POST")
    with pytest.raises(RuntimeError):
        app.view_functions[endpoint](**args)
    r = app.test_client().post("/webhooks/freshdesk", data=b"{}")
    assert r.status_code == 401          # the receiver's answer (no secret), not the view's 500
