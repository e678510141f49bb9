"""The whole admin path, as an admin runs it, against a Zendesk stand-in answering in Zendesk's recorded
shapes: `install` -> `serve` with the secret file install wrote -> `status` (working, then a secret
rotated in Zendesk only, then Zendesk's clock an hour ahead: three messages and three exit codes) -> a
trigger webhook and a messaging event end to end -> `uninstall`. Real processes, real HTTP, nothing patched.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from .standin import ZendeskStandin
from .test_e2e import API_USER_ID, Server, run_cli, wait_for

# install, status, serve and uninstall as real processes: the outer loop.
pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).parent / "samples"
TEXT = "I have tried three times to reset my password and it still does not work. This is so frustrating."


@pytest.fixture
def zendesk():
    with ZendeskStandin(api_user_id=API_USER_ID) as standin:
        yield standin


def rendered_trigger_body(template: str, ticket_id: int, text: str) -> bytes:
    """The trigger's body as Zendesk renders it: placeholders filled, text JSON-escaped (as in the recorded
    trigger body of tests' vendor recordings, where newlines arrive as \\n)."""
    values = {"ticket.id": str(ticket_id), "ticket.via": "Web Form", "ticket.updated_at_with_timestamp":
              "2026-11-30T10:00:00Z", "current_user.id": "381", "ticket.requester.id": "381",
              "ticket.tags": "billing", "ticket.requester.first_name": "Dana", "ticket.title": "Cannot log in",
              "ticket.latest_comment": text}
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", json.dumps(value)[1:-1])
    return template.encode()


def test_install_status_serve_webhook_uninstall(tmp_path, zendesk):
    data = tmp_path / "data"
    admin_env = {"EMPATHY_DATA_DIR": str(data), "EMPATHY_ZENDESK_SUBDOMAIN": "acme",
                 "EMPATHY_ZENDESK_EMAIL": "bot@acme.test", "EMPATHY_ZENDESK_API_TOKEN": "zd-token",
                 "EMPATHY_ZENDESK_API_URL": zendesk.url}
    secret_file = data / "zendesk-webhook-secret"
    server_env = {**admin_env, "EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE": str(secret_file), "EMPATHY_WORKERS": "1"}
    servers: list[Server] = []

    def start() -> Server:
        server = Server(server_env, tmp_path / f"serve-{len(servers)}.log")
        if servers:
            server.port = servers[0].port           # the URL installed in Zendesk stays the same
        servers.append(server)
        return server.start()

    port_holder = Server(server_env, tmp_path / "unused.log")
    url = port_holder.url
    try:
        # 1. install: 16 objects, the signing secrets in a 0600 file in the data dir.
        done = run_cli(admin_env, "install", "zendesk", "--url", url)
        assert done.returncode == 0, done.stderr
        assert "Summary: 16 create" in done.stdout and f"EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE={secret_file}" in done.stdout
        assert done.stderr == f"empathy-cues: install state in {data} (EMPATHY_DATA_DIR)\n"
        assert oct(secret_file.stat().st_mode & 0o777) == "0o600"

        # 2. serve with the file secret; status: working.
        servers.append(port_holder)
        port_holder.start()
        status = run_cli(admin_env, "status", "zendesk")
        assert status.returncode == 0, status.stdout + status.stderr
        assert "16 of 16 objects installed." in status.stdout
        for hook in ("receiver", "messaging"):          # each webhook has its own secret: both are tested
            assert f"Webhook {hook}: {url}/webhooks/zendesk working: reachable, signature accepted (test answered " \
                   "202)." in status.stdout

        # 3. a webhook end to end: the trigger fires on a customer's comment; one private note comes back.
        hooks = {h["name"]: h["id"] for h in zendesk.objects["webhooks"].values()}
        trigger = next(t for t in zendesk.objects["triggers"].values()
                       if "public comment" in t["title"])
        webhook_id, template = trigger["actions"][0]["value"]
        assert webhook_id == hooks["empathy-cues"]
        zendesk.add_ticket(1201, tags=["billing"], comments=[{"body": TEXT, "author_id": 381}])
        answer = zendesk.deliver(webhook_id, rendered_trigger_body(template, 1201, TEXT))
        assert answer.status_code == 202 and answer.json()["queued"] is True, answer.text
        assert wait_for(lambda: zendesk.notes(1201), timeout=30), port_holder.log()
        assert "empathy_apology" in zendesk.tickets[1201]["tags"] and "billing" in zendesk.tickets[1201]["tags"]

        # ... and a messaging conversation, through the second webhook and its own secret.
        zendesk.add_ticket(1202, comments=[{"body": "hi", "author_id": 382}])
        message = json.loads((SAMPLES / "zendesk/recorded/event_messaging_message_added_docs.json").read_text())
        message.update(id="01JQMQH83YNAKWSWJ8B1QH2NSD", subject="zen:ticket:1202", detail={"id": "1202"})
        message["event"]["actor"] = {"id": "382", "name": "Maria", "type": "end_user"}
        message["event"]["message"] = {"body": TEXT, "id": "67ab5f55155becd183e284cd"}
        answer = zendesk.deliver(hooks["empathy-cues messaging"], json.dumps(message).encode())
        assert answer.status_code == 202 and answer.json()["queued"] is True, answer.text
        assert wait_for(lambda: zendesk.notes(1202), timeout=30), port_holder.log()

        # 4. the secret reset in Zendesk only: status says the server holds another secret, exit 3.
        # (Admin Center's "Reset secret" is the API's POST on the signing secret.)
        assert requests.post(f"{zendesk.url}/api/v2/webhooks/{hooks['empathy-cues']}/signing_secret",
                             auth=("bot@acme.test/token", "zd-token"), timeout=10).status_code == 200
        wrong = run_cli(admin_env, "status", "zendesk")
        assert wrong.returncode == 3, wrong.stdout + wrong.stderr
        assert "Webhook receiver: " + f"{url}/webhooks/zendesk reachable but the signature was REJECTED (401 " \
               "bad_signature)" in wrong.stdout and "Webhook messaging: " in wrong.stdout
        assert "bad signature" in json.dumps(requests.get(url + "/readyz", timeout=5).json()["warnings"])

        # 5. install again picks up the new secret; restart; then Zendesk's clock an hour ahead: exit 4.
        again = run_cli(admin_env, "install", "zendesk", "--url", url)
        assert again.returncode == 0 and "Summary: 16 unchanged" in again.stdout, again.stdout + again.stderr
        port_holder.stop()
        start()
        assert run_cli(admin_env, "status", "zendesk").returncode == 0
        zendesk.webhook_clock_skew = 3600
        stale = run_cli(admin_env, "status", "zendesk")
        assert stale.returncode == 4, stale.stdout + stale.stderr
        assert "REFUSED AS STALE (401 stale_timestamp)" in stale.stdout and "synchronise it (NTP)" in stale.stdout
        zendesk.webhook_clock_skew = 0
    finally:
        for server in servers:
            server.stop()
    logs = "".join(path.read_text(errors="replace") for path in tmp_path.glob("serve-*.log"))
    logs += (tmp_path / "unused.log").read_text(errors="replace")
    assert "three times to reset" not in logs                                   # no customer text
    assert not any(secret in logs for secret in zendesk.webhook_secrets.values())   # no secret

    # 6. uninstall removes exactly what install created, and the secret file.
    gone = run_cli(admin_env, "uninstall", "zendesk")
    assert gone.returncode == 0, gone.stderr
    assert "Removed 16 object(s) through the zendesk API." in gone.stdout
    assert all(not objects for objects in zendesk.objects.values()) and not secret_file.exists()
