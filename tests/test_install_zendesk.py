"""`empathy-cues install zendesk` against the stand-in Zendesk on loopback (real requests client)."""
from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


from empathy_cues.policy_file import PluginConfig
from empathy_cues.helpdesks.zendesk.signature import verify
from empathy_cues.install.runner import Runner
from empathy_cues.install.state import read_secret
from empathy_cues.errors import SignatureError
from empathy_cues.helpdesks.ratelimit import OutboundRateLimiter
from empathy_cues.helpdesks.zendesk.admin import ZendeskAdmin, judge_test_answer

URL = "https://plugin.example.com"
WRITES = ("POST", "PUT", "DELETE")


class VirtualClock:
    """Time for the install client's rate limiter: each wait it asks for is added to this clock instead of
    slept. The pacing is computed as in production (an install of 16 objects waits about a second on the
    200-a-minute budget); test_ratelimit.py checks the pacing itself."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def admin_for(standin) -> ZendeskAdmin:
    clock = VirtualClock()
    return ZendeskAdmin(subdomain="acme", email="bot@acme.test", api_token="zd-token", api_url=standin.url,
                        limiter=OutboundRateLimiter(200, clock=clock, sleep=clock.sleep))


def runner(standin, data_dir, url=URL):
    admin = admin_for(standin)
    return Runner(admin, PluginConfig.load(), data_dir, endpoint=url, echo=lambda s: None)


def writes(standin):
    return [(c.method, c.path) for c in standin.calls if c.method in WRITES]


def test_dry_run_shows_the_plan_and_touches_nothing(zendesk_standin, tmp_path):
    out = runner(zendesk_standin, tmp_path).install(dry_run=True)
    assert "Dry run" in out.text() and "Summary: 16 create" in out.text()
    assert writes(zendesk_standin) == []
    assert not (tmp_path / "install-zendesk.json").exists()


def test_install_creates_documented_shapes_and_stores_the_secret(zendesk_standin, tmp_path):
    out = runner(zendesk_standin, tmp_path).install(dry_run=False)
    assert "Summary: 16 create" in out.text()
    hook_call = zendesk_standin.calls_to("POST", "/api/v2/webhooks")[0]
    hook = hook_call.json["webhook"]
    assert hook["endpoint"] == URL + "/webhooks/zendesk" and hook["subscriptions"] == ["conditional_ticket_events"]
    assert "[empathy-cues:webhooks.receiver]" in hook["description"]
    webhook_id = next(iter(zendesk_standin.objects["webhooks"]))
    triggers = [c.json["trigger"] for c in zendesk_standin.calls_to("POST", "/api/v2/triggers")]
    notify = [t for t in triggers if t["actions"][0]["field"] == "notification_webhook"]
    # customers' new tickets and comments, agents' public replies (QA), feedback tags
    assert len(notify) == 4 and all(t["actions"][0]["value"][0] == webhook_id for t in notify)
    bodies = {t["title"]: json.loads(t["actions"][0]["value"][1]) for t in notify}
    assert bodies["empathy-cues: public reply from an agent"]["author_role"] == "agent"
    assert bodies["empathy-cues: feedback on a note"]["kind"] == "updated"
    views = zendesk_standin.calls_to("POST", "/api/v2/views")[0].json["view"]
    assert "all" in views and "conditions" not in views
    slas = [c.json["sla_policy"] for c in zendesk_standin.calls_to("POST", "/api/v2/slas/policies")]
    assert sorted(m["target"] for s in slas for m in s["policy_metrics"] if m["priority"] == "low") == [60, 360]
    assert len(zendesk_standin.calls_to("POST", "/api/v2/macros")) == 4
    assert zendesk_standin.calls_to("GET", f"/api/v2/webhooks/{webhook_id}/signing_secret")
    secret_file = tmp_path / "zendesk-webhook-secret"
    # One signing secret a line, in the order of their names: the messaging webhook's, the trigger webhook's.
    stored = json.loads((tmp_path / "install-zendesk.json").read_text())["objects"]
    assert read_secret(tmp_path, "zendesk").splitlines() == [
        zendesk_standin.webhook_secrets[str(stored[ident]["id"])] for ident in ("webhooks.messaging", "webhooks.receiver")]
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert zendesk_standin.webhook_secrets[webhook_id] not in out.text()


def test_second_run_changes_nothing(zendesk_standin, tmp_path):
    runner(zendesk_standin, tmp_path).install(dry_run=False)
    zendesk_standin.reset_calls()
    out = runner(zendesk_standin, tmp_path).install(dry_run=False)
    assert "Summary: 16 unchanged" in out.text()
    assert [w for w in writes(zendesk_standin)] == []


def test_lost_state_is_rediscovered_by_marker(zendesk_standin, tmp_path):
    runner(zendesk_standin, tmp_path).install(dry_run=False)
    (tmp_path / "install-zendesk.json").unlink()
    zendesk_standin.reset_calls()
    out = runner(zendesk_standin, tmp_path).install(dry_run=False)
    assert "Summary: 16 unchanged" in out.text() and writes(zendesk_standin) == []


def test_admin_edits_are_reported_not_overwritten(zendesk_standin, tmp_path):
    runner(zendesk_standin, tmp_path).install(dry_run=False)
    trigger_id = next(k for k, t in zendesk_standin.objects["triggers"].items() if "priority follow-up" in t["title"])
    zendesk_standin.admin_edit("triggers", trigger_id, actions=[{"field": "priority", "value": "urgent"}])
    zendesk_standin.reset_calls()
    out = runner(zendesk_standin, tmp_path).install(dry_run=False)
    assert "edited    triggers.priority_follow_up" in out.text() and "15 unchanged, 1 edited" in out.text()
    assert writes(zendesk_standin) == []
    assert zendesk_standin.objects["triggers"][trigger_id]["actions"] == [{"field": "priority", "value": "urgent"}]
    out = runner(zendesk_standin, tmp_path).install(dry_run=False, force=True)
    assert writes(zendesk_standin) == [("PUT", f"/api/v2/triggers/{trigger_id}")]
    assert zendesk_standin.objects["triggers"][trigger_id]["actions"] == [{"field": "priority", "value": "high"}]


def test_a_changed_setting_updates_our_own_object(zendesk_standin, tmp_path, monkeypatch):
    runner(zendesk_standin, tmp_path).install(dry_run=False)
    settings = tmp_path / "s.toml"
    settings.write_text('[priority]\nraise_to = "urgent"\n')
    admin = admin_for(zendesk_standin)
    zendesk_standin.reset_calls()
    out = Runner(admin, PluginConfig.load(settings), tmp_path, endpoint=URL).install(dry_run=False)
    assert "update    triggers.priority_follow_up" in out.text()
    assert writes(zendesk_standin) == [("PUT", c.path) for c in zendesk_standin.calls if c.method == "PUT"]
    assert len(writes(zendesk_standin)) == 1      # with SLAs, only the priority trigger names raise_to


def test_plan_without_slas_uses_automations(zendesk_standin, tmp_path):
    zendesk_standin.sla_available = False
    runner(zendesk_standin, tmp_path).install(dry_run=False)
    assert zendesk_standin.objects["sla_policies"] == {}
    titles = [a["title"] for a in zendesk_standin.objects["automations"].values()]
    assert sum("first reply overdue" in t for t in titles) == 2 and sum("remind" in t for t in titles) == 2


def test_uninstall_removes_exactly_what_it_created(zendesk_standin, tmp_path):
    foreign = zendesk_standin._create(type("C", (), {"json": {"macro": {"title": "Someone else's", "actions": [
        {"field": "status", "value": "solved"}]}}})(), "/api/v2/macros")[2]["macro"]
    runner(zendesk_standin, tmp_path).install(dry_run=False)
    zendesk_standin.reset_calls()
    runner(zendesk_standin, tmp_path).uninstall(dry_run=False)
    deleted = [p for m, p in writes(zendesk_standin) if m == "DELETE"]
    assert len(deleted) == 16 and deleted[-1].startswith("/api/v2/webhooks/")   # triggers before their webhook
    assert list(zendesk_standin.objects["macros"]) == [str(foreign["id"])]
    assert all(not v for k, v in zendesk_standin.objects.items() if k != "macros")
    assert read_secret(tmp_path, "zendesk") is None


class _Receiver:
    """A stand-in empathy-cues server: checks the Zendesk signature with the stored secret and answers
    as the intake does (401 with {"error": "bad_signature" | "stale_timestamp"})."""

    def __init__(self, secret_source):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                secrets = receiver.secret_source().splitlines()
                for n, secret in enumerate(secrets, start=1):      # one a line, as the server reads them
                    try:
                        verify(secret, self.headers.get("X-Zendesk-Webhook-Signature"),
                               self.headers.get("X-Zendesk-Webhook-Signature-Timestamp"), raw, tolerance=300)
                        code, body = 202, b'{"ignored":"unknown_event"}'
                        break
                    except SignatureError as exc:
                        code, body = 401, json.dumps(exc.to_json()).encode()
                        if exc.code != "bad_signature":
                            break
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.secret_source = secret_source
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


def test_status_tells_working_wrong_secret_and_stale_clock_apart(zendesk_standin, tmp_path):
    receiver = _Receiver(lambda: read_secret(tmp_path, "zendesk"))
    try:
        runner(zendesk_standin, tmp_path, url=receiver.url).install(dry_run=False)
        working = runner(zendesk_standin, tmp_path, url=receiver.url).status()
        assert "16 of 16 objects installed" in working.text() and "signature accepted" in working.text()
        assert working.exit_code == 0
        assert zendesk_standin.calls_to("POST", "/api/v2/webhooks/test")[0].json["request"]["endpoint"] == \
            receiver.url + "/webhooks/zendesk"
        zendesk_standin.webhook_clock_skew = 3600            # Zendesk's clock an hour ahead of the server's
        stale = runner(zendesk_standin, tmp_path, url=receiver.url).status()
        assert "REFUSED AS STALE" in stale.text() and "clock" in stale.text() and stale.exit_code == 4
        zendesk_standin.webhook_clock_skew = 0
        # A server that holds only the trigger webhook's secret: the messaging webhook's events are refused.
        receiver.secret_source = lambda: read_secret(tmp_path, "zendesk").splitlines()[1]
        half = runner(zendesk_standin, tmp_path, url=receiver.url).status()
        assert half.exit_code == 3 and "Webhook receiver: " in half.text() and "signature accepted" in half.text()
        assert "Webhook messaging: " + receiver.url + "/webhooks/zendesk reachable but the signature was REJECTED" \
            in half.text()
        receiver.secret_source = lambda: "not-the-secret"
        wrong = runner(zendesk_standin, tmp_path, url=receiver.url).status()
        assert "REJECTED (401 bad_signature)" in wrong.text() and wrong.exit_code == 3
        receiver.server.shutdown()
        receiver.server.server_close()
        gone = runner(zendesk_standin, tmp_path, url=receiver.url).status()
        assert "NOT working" in gone.text() and gone.exit_code == 1
    finally:
        receiver.server.shutdown()


def test_test_webhook_reads_the_response_zendesk_recorded(tmp_path):
    """The body Zendesk really answers to POST /api/v2/webhooks/test (a zenpy recording): status_code and
    payload, not status and body."""
    recorded = (Path(__file__).parent / "samples/zendesk/recorded/webhooks_test_response_404.json").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(recorded)))
            self.end_headers()
            self.wfile.write(recorded)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        admin = ZendeskAdmin(subdomain="acme", email="bot@acme.test", api_token="zd-token",
                             api_url=f"http://127.0.0.1:{server.server_address[1]}")
        status, payload = admin.test_webhook("01HANAQ2Y8BK4XM1MWV2JP81PZ", "https://example.org/fail")
        assert status == 404 and payload.startswith("<!doctype html>")
        verdict, lines = judge_test_answer("https://example.org/fail", status, payload)
        assert verdict == "not_working" and "test answered 404" in lines[0]
    finally:
        server.shutdown()


def test_cli_dry_run_and_a_missing_credential(zendesk_standin, tmp_path):
    import subprocess
    import sys

    exe = os.path.join(os.path.dirname(sys.executable), "empathy-cues")
    env = {"PATH": os.environ.get("PATH", ""), "EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ZENDESK_SUBDOMAIN": "acme",
           "EMPATHY_ZENDESK_EMAIL": "bot@acme.test", "EMPATHY_ZENDESK_API_TOKEN": "zd-token",
           "EMPATHY_ZENDESK_API_URL": zendesk_standin.url}
    done = subprocess.run([exe, "install", "zendesk", "--url", URL, "--dry-run"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "Summary: 16 create" in done.stdout and writes(zendesk_standin) == []
    env.pop("EMPATHY_ZENDESK_API_TOKEN")
    done = subprocess.run([exe, "install", "zendesk", "--url", URL], env=env, capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "EMPATHY_ZENDESK_API_TOKEN" in done.stderr
