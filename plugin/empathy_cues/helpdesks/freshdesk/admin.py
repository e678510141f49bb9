"""Freshdesk adapter: canned responses through the API; automation rules by hand, with instructions.

Freshdesk API v2 (https://developers.freshdesk.com/api/), basic auth with the API key and ``X``:
* Canned responses: ``POST /api/v2/canned_responses`` {title, content_html, folder_id, visibility}
  -> 201; ``PUT /api/v2/canned_responses/{id}``; ``GET /api/v2/canned_response_folders/{id}/responses``;
  folders ``GET/POST /api/v2/canned_response_folders`` {"name"}. The reference documents no delete for
  canned responses, so uninstall lists them for removal by hand.
* Automation rules: the API reference has no endpoint to create or list them, so the install prints
  each rule with the exact values to paste (Admin -> Workflows -> Automations), and ``status`` checks
  the result: the endpoint answers a request carrying the shared secret header, and rejects one without.
  Freshdesk does not sign webhooks; the rule's custom header ``X-Empathy-Secret`` is the proof.
  https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules
"""
from __future__ import annotations

import json
from typing import Any

import requests

from ...install.adapter import AdminBase, SecretToStore, shared_secret
from ...install.plan import MANUAL, Step, marker
from ...install.state import read_secret
from ..ratelimit import OutboundRateLimiter, RateBudgetExhausted
from ..transport import DEFAULT_TIMEOUT, HelpdeskSession, check_api_url, helpdesk_error
from .signature import SECRET_HEADER

HELPDESK = "freshdesk"
FOLDER_NAME = "empathy-cues"
API_KINDS = {"canned_responses"}
MANUAL_KINDS = {"automation_rules"}
CHECK_EVENT = {"ticket_id": "0", "event": "empathy-cues install check"}


class FreshdeskAdmin(AdminBase):
    helpdesk = HELPDESK
    secret_variable = "EMPATHY_FRESHDESK_WEBHOOK_SECRET"

    def __init__(self, *, domain: str, api_key: str, api_url: str | None = None,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, limiter: OutboundRateLimiter | None = None) -> None:
        account = domain.removesuffix(".freshdesk.com")
        self.base_url = check_api_url("the Freshdesk API URL", api_url or f"https://{account}.freshdesk.com")
        # 200 a minute, the smallest plan's API limit; a caller may pass its own limiter (one on a clock).
        self.session = HelpdeskSession(account=f"{HELPDESK}:{account}", timeout=timeout, user_agent="empathy-cues install",
                                       limiter=limiter or OutboundRateLimiter(200))
        self.session.auth = (api_key, "X")
        self.session.headers["Accept"] = "application/json"
        self._folder_id: int | None = None

    def has_sla(self) -> bool:
        return True          # no SLA-dependent objects in the Freshdesk manifest

    # -- canned responses ------------------------------------------------------------------------

    def folder_id(self, *, create: bool) -> int | None:
        if self._folder_id is None:
            folders = self._send("GET", "/api/v2/canned_response_folders").json()
            found = next((f for f in folders if f.get("name") == FOLDER_NAME), None)
            if found is None and create:
                found = self._send("POST", "/api/v2/canned_response_folders", json={"name": FOLDER_NAME},
                                   ok=(200, 201)).json()
            self._folder_id = found["id"] if found else None
        return self._folder_id

    def list(self, kind: str) -> list[dict]:
        if kind not in API_KINDS:
            return []
        folder = self.folder_id(create=False)
        return self._send("GET", f"/api/v2/canned_response_folders/{folder}/responses").json() if folder else []

    def get(self, kind: str, object_id: Any) -> dict | None:
        if kind not in API_KINDS:
            return None
        response = self._send("GET", f"/api/v2/canned_responses/{object_id}", ok=(200, 404))
        return response.json() if response.status_code == 200 else None

    def create(self, kind: str, body: dict) -> dict:
        body = {**body, "folder_id": self.folder_id(create=True)}
        return self._send("POST", "/api/v2/canned_responses", json=body, ok=(200, 201)).json()

    def update(self, kind: str, object_id: Any, body: dict) -> dict:
        return self._send("PUT", f"/api/v2/canned_responses/{object_id}", json=body).json()

    @staticmethod
    def can_delete(kind: str) -> bool:
        return False

    @staticmethod
    def manages(kind: str) -> bool:
        return kind in API_KINDS

    def delete(self, kind: str, object_id: Any) -> bool:
        return False

    def mark(self, kind: str, ident: str, body: dict) -> dict:
        # Canned responses have no description; the marker ends the title agents pick from.
        return {**body, "title": f"{body['title']} {marker(ident)}"}

    def has_marker(self, kind: str, ident: str, obj: dict) -> bool:
        return marker(ident) in (obj.get("title") or "")

    def comparable(self, kind: str, obj: dict, wanted: dict) -> dict:
        return {k: obj.get(k) for k in wanted if k != "folder_id"}

    @staticmethod
    def title(kind: str, body: dict) -> str:
        return body.get("title", "")

    # -- rules by hand ---------------------------------------------------------------------------

    def manual_steps(self, runner: Any) -> list[Step]:
        self._rules = [w for w in runner_desired(runner) if w.kind in MANUAL_KINDS]
        return [Step(MANUAL, w.kind, w.key, w.body["title"], desired=w, note="create it by hand (no API)")
                for w in self._rules]

    def instructions(self, runner: Any) -> list[str]:
        lines = ["", "Freshdesk has no API for automation rules: create these in Admin -> Workflows -> Automations.",
                 "Each rule name ends with its marker so `empathy-cues status` and a later uninstall can name it."]
        for n, want in enumerate(getattr(self, "_rules", []), start=1):
            body = want.body
            lines.append(f"\n{n}. Tab \"{body['rule_type']}\" -> New rule, name: {body['title']} {marker(want.ident)}")
            for condition in body["conditions"]:
                lines.append(f"   Condition: {condition}")
            for action in body["actions"]:
                if action["action"] == "Trigger webhook":
                    lines += ["   Action: Trigger webhook",
                              f"     Request type: {action['request_type']}",
                              f"     Callback URL: {action['url']}",
                              f"     Custom headers: {action['custom_headers']}",
                              f"     Encoding: {action['encoding']}, Content: {action['content']}, body:"]
                    lines += ["       " + line for line in action["body"].splitlines()]
                else:
                    lines.append(f"   Action: {action['action']}: {action['value']}")
        lines.append("\nThen run `empathy-cues status freshdesk` to check the endpoint and the secret.")
        return lines

    def webhook_secret(self, ids: dict, stored: str | None) -> SecretToStore:
        return shared_secret(stored)      # Freshdesk signs nothing: the rule sends the secret we make

    def manual_removal(self, runner: Any) -> list[str]:
        lines = ["Remove by hand (Freshdesk has no API for these):"]
        for want in runner_desired(runner):
            where = "Admin -> Workflows -> Automations" if want.kind in MANUAL_KINDS else \
                f"Admin -> Canned responses -> folder {FOLDER_NAME}"
            lines.append(f"  {where}: \"{want.body['title']} {marker(want.ident)}\"")
        return lines

    def check_webhook(self, runner: Any, ids: dict) -> tuple[str, list[str]]:
        """Send what a rule sends, with and without the secret: 2xx and 401 prove endpoint and secret.
        (verdict, lines) with the verdicts of the Zendesk adapter (``runner.STATUS_EXIT``)."""
        endpoint = f"{runner.endpoint}/webhooks/freshdesk"
        secret = read_secret(runner.data_dir, HELPDESK)
        if secret is None:
            return "not_working", ["Webhook: no shared secret stored yet (run `empathy-cues install freshdesk`)."]
        try:
            good = requests.post(endpoint, data=json.dumps(CHECK_EVENT), timeout=DEFAULT_TIMEOUT,
                                 headers={"Content-Type": "application/json", SECRET_HEADER: secret})
            bad = requests.post(endpoint, data=json.dumps(CHECK_EVENT), timeout=DEFAULT_TIMEOUT,
                                headers={"Content-Type": "application/json"})
        except requests.RequestException as exc:
            return "not_working", [f"Webhook: {endpoint} NOT reachable ({type(exc).__name__})."]
        if 200 <= good.status_code < 300 and bad.status_code == 401:
            return "working", [f"Webhook: {endpoint} working: shared secret accepted ({good.status_code}) and "
                               f"required (401 without it)."]
        if good.status_code == 401:
            return "wrong_secret", [f"Webhook: {endpoint} reachable but the secret was REJECTED (401): set "
                                    f"EMPATHY_FRESHDESK_WEBHOOK_SECRET_FILE to the stored secret file."]
        if 200 <= good.status_code < 300:
            return "not_working", [f"Webhook: {endpoint} NOT safe: it accepts requests WITHOUT the secret "
                                   f"(answered {bad.status_code})."]
        return "not_working", [f"Webhook: {endpoint} NOT working (answered {good.status_code})."]

    # -- HTTP --------------------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, ok: tuple[int, ...] = (200,), **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, self.base_url + path, **kwargs)
        except (requests.RequestException, RateBudgetExhausted) as exc:
            raise helpdesk_error(exc, helpdesk=HELPDESK, title="Freshdesk") from None
        if response.status_code not in ok:
            raise helpdesk_error(response, helpdesk=HELPDESK, title="Freshdesk")
        return response


def runner_desired(runner: Any):
    return runner.desired()
