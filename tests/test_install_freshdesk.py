"""`empathy-cues install freshdesk` against the stand-in Freshdesk on loopback (real requests client)."""
from __future__ import annotations

import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from empathy_cues.policy_file import PluginConfig
from empathy_cues.helpdesks.freshdesk.admin import FreshdeskAdmin
from empathy_cues.install.runner import Runner
from empathy_cues.install.state import read_secret

URL = "https://plugin.example.com"


def runner(standin, data_dir, url=URL):
    admin = FreshdeskAdmin(domain="acme", api_key="fd-key", api_url=standin.url)
    return Runner(admin, PluginConfig.load(), data_dir, endpoint=url)


def writes(standin):
    return [(c.method, c.path) for c in standin.calls if c.method in ("POST", "PUT", "DELETE")]


def test_dry_run_prints_plan_and_rule_instructions_and_touches_nothing(freshdesk_standin, tmp_path):
    text = runner(freshdesk_standin, tmp_path).install(dry_run=True).text()
    assert "Summary: 2 create, 6 manual" in text
    assert "Callback URL: https://plugin.example.com/webhooks/freshdesk" in text
    assert "X-Empathy-Secret: <the contents of" in text and "Tags contains empathy_priority" in text
    assert writes(freshdesk_standin) == [] and read_secret(tmp_path, "freshdesk") is None


def test_install_creates_canned_responses_once_and_a_private_secret(freshdesk_standin, tmp_path):
    out = runner(freshdesk_standin, tmp_path).install(dry_run=False).text()
    assert writes(freshdesk_standin) == [("POST", "/api/v2/canned_response_folders"),
                                         ("POST", "/api/v2/canned_responses"), ("POST", "/api/v2/canned_responses")]
    body = freshdesk_standin.calls_to("POST", "/api/v2/canned_responses")[0].json
    assert body["visibility"] == 0 and body["folder_id"] in freshdesk_standin.canned_folders
    assert body["title"].endswith("[empathy-cues:canned_responses.apology_opener]")
    secret = read_secret(tmp_path, "freshdesk")
    assert secret and len(secret) >= 16 and secret not in out
    freshdesk_standin.reset_calls()
    out = runner(freshdesk_standin, tmp_path).install(dry_run=False).text()
    assert "2 unchanged, 6 manual" in out and writes(freshdesk_standin) == []
    assert read_secret(tmp_path, "freshdesk") == secret


def test_edited_canned_response_is_reported(freshdesk_standin, tmp_path):
    runner(freshdesk_standin, tmp_path).install(dry_run=False)
    canned_id = next(iter(freshdesk_standin.canned))
    freshdesk_standin.admin_edit_canned(canned_id, content_html="<p>Our own words</p>")
    freshdesk_standin.reset_calls()
    out = runner(freshdesk_standin, tmp_path).install(dry_run=False).text()
    assert "edited    canned_responses.apology_opener" in out and writes(freshdesk_standin) == []


def test_uninstall_lists_what_to_remove_by_hand(freshdesk_standin, tmp_path):
    runner(freshdesk_standin, tmp_path).install(dry_run=False)
    freshdesk_standin.reset_calls()
    out = runner(freshdesk_standin, tmp_path).uninstall(dry_run=False).text()
    assert writes(freshdesk_standin) == []      # no delete endpoint for canned responses or rules
    assert "empathy-cues: apology opener [empathy-cues:canned_responses.apology_opener]" in out
    assert "Removed 0 object(s) through the freshdesk API. 8 must be removed by hand (listed above)." in out
    assert "\nRemoved.\n" not in out + "\n"
    assert "[empathy-cues:automation_rules.notify_reply]" in out


def test_status_checks_the_endpoint_and_the_secret(freshdesk_standin, tmp_path):
    runner(freshdesk_standin, tmp_path).install(dry_run=False)
    expected = {"secret": read_secret(tmp_path, "freshdesk")}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            given = self.headers.get("X-Empathy-Secret") or ""
            self.send_response(202 if hmac.compare_digest(given, expected["secret"]) else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        working = runner(freshdesk_standin, tmp_path, url=url).status()
        out = working.text()
        assert "2 of 2 objects installed" in out and "shared secret accepted (202) and required" in out
        assert working.exit_code == 0
        expected["secret"] = "something-else-entirely"
        wrong = runner(freshdesk_standin, tmp_path, url=url).status()
        assert "REJECTED" in wrong.text() and wrong.exit_code == 3
    finally:
        server.shutdown()
