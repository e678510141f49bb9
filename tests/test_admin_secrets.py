"""A wrong webhook secret never fails silently: refused at start-up when it cannot be right, and shown in
/readyz, the metrics and one log line a minute when requests are refused."""
from __future__ import annotations

import logging
import time

import pytest

from empathy_cues.service.app import create_app
from empathy_cues.errors import ConfigError
from empathy_cues.service.refusals import RefusalLog
from empathy_cues.service.settings import Settings, admin_settings

from .conftest import ZENDESK_SECRET, sample_bytes, service_env

ZENDESK = {"EMPATHY_ZENDESK_SUBDOMAIN": "acme", "EMPATHY_ZENDESK_EMAIL": "bot@acme.test",
           "EMPATHY_ZENDESK_API_TOKEN": "zd-token"}


def test_secret_in_the_environment_and_in_a_file_is_an_error_naming_both(tmp_path):
    secret = tmp_path / "zendesk-webhook-secret"
    secret.write_text("from-install", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**ZENDESK, "EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ZENDESK_WEBHOOK_SECRET": "other",
                           "EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE": str(secret)})
    assert "EMPATHY_ZENDESK_WEBHOOK_SECRET and EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE are both set" in str(caught.value)


@pytest.mark.parametrize("value", ["change-me", "CHANGEME", "change-me-at-least-16-chars", "<your secret>", "xxxx"])
def test_placeholder_secrets_are_refused_at_start_up(tmp_path, value):
    with pytest.raises(ConfigError, match="EMPATHY_ZENDESK_WEBHOOK_SECRET holds a placeholder"):
        Settings.from_env({**ZENDESK, "EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ZENDESK_WEBHOOK_SECRET": value})


def test_placeholder_in_a_secret_file_and_an_empty_file_are_refused(tmp_path):
    path = tmp_path / "token"
    path.write_text("change-me\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"EMPATHY_ZENDESK_API_TOKEN_FILE \(.*\) holds a placeholder"):
        admin_settings({"EMPATHY_ZENDESK_SUBDOMAIN": "acme", "EMPATHY_ZENDESK_EMAIL": "bot@acme.test",
                        "EMPATHY_ZENDESK_API_TOKEN_FILE": str(path)})
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is empty"):
        Settings.from_env({**ZENDESK, "EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE": str(path)})


def test_admin_commands_read_the_api_token_from_its_file(tmp_path):
    path = tmp_path / "token"
    path.write_text("real-token\n", encoding="utf-8")
    settings = admin_settings({"EMPATHY_ZENDESK_SUBDOMAIN": "acme", "EMPATHY_ZENDESK_EMAIL": "bot@acme.test",
                               "EMPATHY_ZENDESK_API_TOKEN_FILE": str(path)})
    assert settings.helpdesks["zendesk"]["api_token"] == "real-token"


def test_refusals_are_logged_once_a_minute_with_their_count(caplog):
    now = [1_000_000.0]
    refusals = RefusalLog(clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="empathy_cues.intake"):
        refusals.refused("zendesk", "bad_signature")               # the first one is said at once
        for _ in range(41):
            now[0] += 1
            refusals.refused("zendesk", "bad_signature")            # within the minute: counted, not logged
        now[0] += 30
        refusals.refused("zendesk", "bad_signature")                # a minute after the last line
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["1 webhooks refused: bad signature since 1970-01-12T13:46:40Z",
                     "42 webhooks refused: bad signature since 1970-01-12T13:46:41Z"]


def test_readyz_metrics_and_log_show_a_wrong_secret(tmp_path, caplog):
    from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

    client = create_app(Settings.from_env(service_env(tmp_path / "data"))).test_client()
    raw = sample_bytes("zendesk", "trigger_comment.json")
    ts = format_timestamp()
    wrong = {"X-Zendesk-Webhook-Signature": sign("not-the-secret", ts, raw),
             "X-Zendesk-Webhook-Signature-Timestamp": ts, "Content-Type": "application/json"}
    assert "warnings" not in client.get("/readyz").json
    with caplog.at_level(logging.WARNING, logger="empathy_cues.intake"):
        for _ in range(3):
            assert client.post("/webhooks/zendesk", data=raw, headers=wrong).status_code == 401
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["ready"] is True     # refusals do not take the node out
    warning = ready.json["warnings"]["zendesk"]
    assert "bad signature" in warning and "EMPATHY_ZENDESK_WEBHOOK_SECRET(_FILE)" in warning
    assert "freshdesk" not in ready.json["warnings"]
    assert [r.getMessage() for r in caplog.records if "refused" in r.getMessage()][0].startswith(
        "1 webhooks refused: bad signature since ")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'empathy_webhook_last_refused_timestamp_seconds{helpdesk="zendesk",reason="bad_signature"}' in text
    right = {**wrong, "X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw)}
    assert client.post("/webhooks/zendesk", data=raw, headers=right).status_code == 202
    # Accepted again, yet refused minutes ago: still said (one of two webhooks may hold a stale secret),
    # with the last acceptance; once no refusal is recent, nothing is said.
    from empathy_cues.service.refusals import RECENT_SECONDS, warnings

    again = client.get("/readyz").json["warnings"]["zendesk"]
    assert "bad signature" in again and "the last accepted at " in again
    assert warnings(("zendesk",), now=time.time() + RECENT_SECONDS + 5) == {}
