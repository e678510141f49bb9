"""Vendor details, each checked against the vendor's own shape (recordings and documented examples)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from empathy_cues.policy_file import PluginConfig
from empathy_cues.errors import RetryableHelpdeskError, SignatureError
from empathy_cues.core.event import AuthorRole, Channel, EventKind, TicketEvent
from empathy_cues.core.guard import guard
from empathy_cues.helpdesks.freshdesk.normalize import normalize as fd_normalize
from empathy_cues.helpdesks.zendesk.normalize import normalize as zd_normalize
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign
from empathy_cues.install.manifest import render
from empathy_cues.service.intake import Intake
from empathy_cues.service.settings import Settings

from .conftest import service_env
from .test_zendesk_client import plan_for

SAMPLES = Path(__file__).parent / "samples"
# The time-based condition fields of Zendesk's Conditions reference, "Additional time-based conditions for
# automations and views" (developer.zendesk.com/documentation/ticketing/reference-guides/conditions-reference/).
DOCUMENTED_TIME_FIELDS = {"NEW", "OPEN", "PENDING", "SOLVED", "CLOSED", "assigned_at", "updated_at",
                          "requester_updated_at", "assignee_updated_at", "due_date", "until_due_date"}


# -- Zendesk automations --------------------------------------------------------------------------

def test_automations_use_zendesks_documented_time_conditions():
    automations = [d.body for d in render("zendesk", PluginConfig.load(), endpoint="https://x.test", has_sla=False)
                   if d.kind == "automations"]
    assert automations
    for body in automations:
        timed = [c for c in body["conditions"]["all"] if c["field"] in DOCUMENTED_TIME_FIELDS]
        assert len(timed) == 1 and timed[0]["value"].isdigit(), body["title"]
        assert not any(c["field"].startswith("hours_") for c in body["conditions"]["all"])


def test_the_standin_takes_zendesks_recorded_automation_and_refuses_invented_fields(zendesk_standin):
    """The request zenpy recorded creating an automation (cassette TestAutomations.test_single_object_creation),
    then the same with the field names this project used to send."""
    import requests

    recorded = {"automation": {"actions": [{"field": "status", "value": "open"}], "title": "testAutomationNone",
                               "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"},
                                                      {"field": "PENDING", "operator": "greater_than", "value": "24"}]}}}
    auth = ("bot@acme.test/token", "zd-token")
    assert requests.post(zendesk_standin.url + "/api/v2/automations", json=recorded, auth=auth).status_code == 201
    invented = json.loads(json.dumps(recorded))
    invented["automation"]["conditions"]["all"][1]["field"] = "hours_since_created"
    assert requests.post(zendesk_standin.url + "/api/v2/automations", json=invented, auth=auth).status_code == 422


# -- Freshdesk webhook body -------------------------------------------------------------------------

def _freshdesk_rule_body(kind_rule: str) -> str:
    rules = [d for d in render("freshdesk", PluginConfig.load(), endpoint="https://x.test", has_sla=True)
             if d.kind == "automation_rules" and d.key == kind_rule]
    return rules[0].body["actions"][0]["body"]


def test_freshdesk_body_puts_ids_and_kind_before_free_text():
    body = json.loads(_freshdesk_rule_body("notify_reply"))
    keys = list(body)
    free_text = min(keys.index(k) for k in ("requester_name", "subject", "description", "latest_public_comment"))
    assert all(keys.index(k) < free_text for k in ("ticket_id", "kind", "event", "source", "tags", "requester_email"))
    assert body["kind"] == "comment_added"


def test_freshdesk_body_broken_by_long_unescaped_text_keeps_its_kind():
    """Freshdesk fills the placeholders without JSON-escaping (as the recorded Simple-mode body shows, the
    comment arrives as "Name : <html>"): a quote in a long message breaks the JSON; the head survives."""
    long_text = 'Rui LI : <div>I said "it is broken" ' + "and it still is. " * 400 + "</div>"
    filled = (_freshdesk_rule_body("notify_reply").replace("{{ticket.id}}", "77")
              .replace("{{triggered_event}}", "{ticket_action:reply}").replace("{{ticket.source}}", "Email")
              .replace("{{ticket.tags}}", "").replace("{{ticket.requester.name}}", "Rui LI")
              .replace("{{ticket.subject}}", "Broken").replace("{{ticket.description}}", long_text)
              .replace("{{ticket.latest_public_comment}}", long_text))
    event = fd_normalize(filled.encode(), {}, account="acme")
    assert isinstance(event, TicketEvent) and event.kind is EventKind.COMMENT_ADDED and event.ticket_id == "77"
    assert event.comment_text == ""            # the text is fetched through the API instead


# -- Retry-After -----------------------------------------------------------------------------------------

def test_non_integer_retry_after_is_a_retryable_429_not_a_value_error(zendesk_client, zendesk_standin):
    zendesk_standin.add_ticket(5, tags=[], comments=[{"body": "Still broken", "author_id": 11}])
    zendesk_standin.fail_next(1, status=429, retry_after=1.5)        # RFC 9110 allows no fraction; servers do
    with pytest.raises(RetryableHelpdeskError) as caught:
        zendesk_client.apply(plan_for())
    assert caught.value.status == 429 and caught.value.retry_after == 1.5


# -- Freshdesk `incoming` ------------------------------------------------------------------------------

def test_freshdesk_agents_public_reply_is_never_analysed_as_the_customers(freshdesk_client, freshdesk_standin):
    """The documented conversation shape (python-freshdesk's copy of the API reference example): a public
    reply with incoming false is an agent's."""
    from empathy_cues.worker.draft import complete_event

    recorded = json.loads((SAMPLES / "freshdesk/recorded_conversations_docs.json").read_text())
    reply = next(c for c in recorded if not c["private"])
    assert reply["incoming"] is False
    freshdesk_standin.add_ticket(9, conversations=[{"body": reply["body"], "private": False, "incoming": False,
                                                     "user_id": 700}])
    comment = freshdesk_client.ticket_comment("9")
    assert comment["incoming"] is False and comment["public"] is True

    class Runtime:
        def client(self, helpdesk):
            return freshdesk_client

    event = fd_normalize(b'{"ticket_id": "9", "kind": "comment_added"}', {}, account="acme")
    completed = complete_event(Runtime(), event)
    assert completed.author_role is AuthorRole.AGENT and guard(completed) == "agent_comment"


# -- Zendesk messaging ---------------------------------------------------------------------------------

def test_messaging_event_from_the_docs_is_read_and_its_bot_message_not_analysed():
    raw = (SAMPLES / "zendesk/recorded/event_messaging_message_added_docs.json").read_bytes()
    event = zd_normalize(raw, {}, account="acme")
    assert isinstance(event, TicketEvent) and event.ticket_id == "141" and event.channel is Channel.CHAT
    assert event.comment_text == "Hi there. How can I help you today?" and event.author_role is AuthorRole.SYSTEM
    assert guard(event) == "system_comment"
    data = json.loads(raw)
    data["event"]["actor"] = {"id": "5678", "name": "Maria", "type": "end_user"}
    data["event"]["message"] = {"body": "I tried three times and it still fails", "id": "67ab5f55155becd183e284cc"}
    customer = zd_normalize(json.dumps(data).encode(), {}, account="acme")
    assert customer.author_role is AuthorRole.END_USER and guard(customer) is None
    assert customer.kind is EventKind.COMMENT_ADDED and customer.comment_public


def test_install_subscribes_a_webhook_to_messaging_events():
    hooks = {d.key: d.body for d in render("zendesk", PluginConfig.load(), endpoint="https://x.test", has_sla=True)
             if d.kind == "webhooks"}
    assert hooks["messaging"]["subscriptions"] == ["zen:event-type:messaging_ticket.message_added"]
    assert hooks["receiver"]["subscriptions"] == ["conditional_ticket_events"]   # a webhook cannot be both


def test_a_signature_made_with_any_installed_webhook_secret_is_accepted(tmp_path):
    """Two webhooks, two signing secrets, one secret file: a line each."""
    secret_file = tmp_path / "zendesk-webhook-secret"
    secret_file.write_text("first-secret-aaaaaaaa\nsecond-secret-bbbbbbb\n")
    env = service_env(tmp_path / "data", EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE=str(secret_file))
    env.pop("EMPATHY_ZENDESK_WEBHOOK_SECRET")
    settings = Settings.from_env(env)
    accepted = []
    intake = Intake(settings, None, accepted.append, accept=lambda keys, pending, data: accepted.append(data) or True)
    raw = (SAMPLES / "zendesk/recorded/event_messaging_message_added_docs.json").read_bytes()
    ts = format_timestamp()
    for secret in ("first-secret-aaaaaaaa", "second-secret-bbbbbbb"):
        status, body = intake.receive("zendesk", raw, {"X-Zendesk-Webhook-Signature": sign(secret, ts, raw),
                                                       "X-Zendesk-Webhook-Signature-Timestamp": ts})
        assert status == 202 and body == {"ignored": "system_comment"}
    with pytest.raises(SignatureError) as caught:
        intake.receive("zendesk", raw, {"X-Zendesk-Webhook-Signature": sign("third", ts, raw),
                                        "X-Zendesk-Webhook-Signature-Timestamp": ts})
    assert caught.value.code == "bad_signature"
