"""Manifests: valid shapes, every placeholder known, every tag one the analyser (or a rule) writes."""
from __future__ import annotations

import json
import re

import pytest

from empathy_cues import load_builtin_pack
from empathy_cues.policy_file import PluginConfig
from empathy_cues.install.manifest import is_known, load_manifest, manifest_dir, placeholders_in, render

CONFIG = PluginConfig.load()
ENDPOINT = "https://plugin.example.com"
TAG_FIELDS = {"current_tags", "set_tags", "remove_tags"}


def _all(helpdesk):
    return render(helpdesk, CONFIG, endpoint=ENDPOINT, has_sla=True) + \
        [d for d in render(helpdesk, CONFIG, endpoint=ENDPOINT, has_sla=False) if d.kind == "automations"]


def _tags_in(body) -> set[str]:
    """Tags a manifest body acts on or writes: tag conditions/actions and "Tags contains" rule text."""
    found: set[str] = set()
    if isinstance(body, dict):
        if body.get("field") in TAG_FIELDS:
            found |= set(str(body["value"]).split())
        for v in body.values():
            found |= _tags_in(v)
    elif isinstance(body, list):
        for v in body:
            found |= _tags_in(v)
    elif isinstance(body, str):
        found |= set(re.findall(r"Tags contains (\S+)", body))
    return found


@pytest.mark.parametrize("helpdesk", ["zendesk", "freshdesk"])
def test_every_placeholder_is_known_and_rendered(helpdesk):
    names = placeholders_in(load_manifest(helpdesk), manifest_dir(helpdesk))
    unknown = sorted(n for n in names if not is_known(n) and n not in CONFIG.placeholders())
    assert unknown == []
    for d in _all(helpdesk):
        text = json.dumps(d.body)
        leftovers = [n for n in re.findall(r"\{\{\s*([\w.]+)\s*\}\}", text) if not n.startswith(("ticket.", "current_user.", "triggered_event", "ref."))]
        assert leftovers == [], (d.ident, leftovers)


@pytest.mark.parametrize("helpdesk", ["zendesk", "freshdesk"])
def test_every_tag_in_the_manifests_is_one_the_analyser_or_a_rule_writes(helpdesk):
    categories = load_builtin_pack().categories
    producible = set(CONFIG.policy.all_tags(categories))
    workflow = set(CONFIG.workflow_tags().values())
    used = set().union(*(_tags_in(d.body) for d in _all(helpdesk)))
    assert used, "the manifests act on tags"
    assert used - producible - workflow == set()


def test_the_analysers_decision_tags_all_have_a_rule_in_zendesk():
    """The other way round, where it makes sense: apology, priority and every response target."""
    used = set().union(*(_tags_in(d.body) for d in _all("zendesk")))
    wanted = {CONFIG.policy.tag_apology, CONFIG.policy.tag_priority} | {t.tag for t in CONFIG.response_targets()}
    assert wanted <= used
    assert set(CONFIG.workflow_tags().values()) <= used


def test_zendesk_shapes():
    objects = {d.ident: d.body for d in _all("zendesk")}
    hook = objects["webhooks.receiver"]
    assert hook["endpoint"] == ENDPOINT + "/webhooks/zendesk"
    assert (hook["http_method"], hook["request_format"], hook["subscriptions"]) == ("POST", "json", ["conditional_ticket_events"])
    for key in ("triggers.notify_created", "triggers.notify_comment"):
        trig = objects[key]
        assert {"field": "role", "operator": "is", "value": "end_user"} in trig["conditions"]["all"]
        hook_ref, payload = trig["actions"][0]["value"]
        assert hook_ref == "{{ref.webhooks.receiver}}" and json.loads(payload)["ticket_id"] == "{{ticket.id}}"
    assert json.loads(objects["triggers.notify_created"]["actions"][0]["value"][1])["kind"] == "created"
    sla = objects["sla_policies.first_reply_60m"]
    assert {m["target"] for m in sla["policy_metrics"]} == {60} and len(sla["policy_metrics"]) == 4
    assert objects["views.owed_apology"]["title"] == "Owed an apology — not yet answered"
    assert {"macros.apology_opener", "macros.update", "macros.feedback_helped", "macros.feedback_not_helped"} <= set(objects)


def test_sla_or_automation_by_plan():
    with_sla = {d.ident for d in render("zendesk", CONFIG, endpoint=ENDPOINT, has_sla=True)}
    without = {d.ident for d in render("zendesk", CONFIG, endpoint=ENDPOINT, has_sla=False)}
    assert "sla_policies.first_reply_6h" in with_sla and "automations.first_reply_overdue_6h" not in with_sla
    assert "sla_policies.first_reply_6h" not in without and "automations.first_reply_overdue_6h" in without


def test_priority_actions_follow_the_settings(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[priority]\nraise = false\nassign = true\n[groups]\nzendesk_priority_follow_up = 42\n")
    objects = {d.ident: d.body for d in render("zendesk", PluginConfig.load(path), endpoint=ENDPOINT)}
    assert objects["triggers.priority_follow_up"]["actions"] == [{"field": "group_id", "value": 42}]


# -- app packages: the official validators are not usable offline, so schema checks from the docs --

def test_zendesk_app_package_schema(tmp_path):
    """zendesk_apps_support rules (manifest.rb, validations/manifest.rb, requirements.rb) for a
    requirements-only app; `zcli apps:validate` needs Zendesk credentials (it validates server-side)."""
    from empathy_cues.helpdesks.zendesk.app_package import write_zendesk_app

    write_zendesk_app(tmp_path, CONFIG, endpoint=ENDPOINT)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert {"author", "defaultLocale"} <= set(manifest) and {"name", "email"} <= set(manifest["author"])
    assert manifest["requirementsOnly"] is True and "location" not in manifest and "frameworkVersion" not in manifest
    for p in manifest["parameters"]:
        assert p["type"] in {"text", "checkbox", "url", "number", "multiline", "hidden", "oauth"}
        if p.get("secure"):
            assert p.get("scopes") and "default" not in p
    assert json.loads((tmp_path / "translations" / "en.json").read_text())["app"]["name"]
    req = json.loads((tmp_path / "requirements.json").read_text())
    assert set(req) <= {"automations", "macros", "targets", "views", "ticket_fields", "triggers", "user_fields",
                        "organization_fields", "webhooks", "channel_integrations", "custom_objects"}
    for ident, hook in req["webhooks"].items():
        assert {"name", "status", "endpoint", "http_method", "request_format"} <= set(hook)
    for kind in ("triggers", "macros", "views", "automations"):
        for body in req.get(kind, {}).values():
            assert body["title"]
    webhook_names = set(req["webhooks"])
    for trig in req["triggers"].values():
        for action in trig["actions"]:
            if action["field"] == "notification_webhook":
                assert action["value"][0] in webhook_names


def test_freshdesk_app_manifest_schema():
    """Freshworks platform 3.0 app: manifest modules/events, iparams with a secure secret, request template."""
    app = manifest_dir("freshdesk") / "app"
    manifest = json.loads((app / "manifest.json").read_text())
    assert manifest["platform-version"] == "3.0"
    events = manifest["modules"]["support_ticket"]["events"]
    assert set(events) == {"onTicketCreate", "onConversationCreate"}
    assert manifest["modules"]["common"]["requests"] == {"empathyWebhook": {}}
    iparams = json.loads((app / "config" / "iparams.json").read_text())
    assert iparams["endpoint"]["type"] == "text" and iparams["secret"]["secure"] is True
    template = json.loads((app / "config" / "requests.json").read_text())["empathyWebhook"]
    assert template["schema"]["method"] == "POST"
    assert "<%= iparam.secret %>" in template["options"]["headers"]["X-Empathy-Secret"]
    server = (app / "server" / "server.js").read_text()
    for event in events.values():
        assert event["handler"] in server
