"""Zendesk adapter: webhooks, triggers, automations, SLA policies, views and macros over the REST API.

Calls go through the project's ``HelpdeskSession`` (requests, with timeouts and the rate limiter) with
basic auth ``{email}/token:{api_token}``. Endpoints and bodies, from Zendesk's API reference:
* Webhooks - ``POST /api/v2/webhooks`` ``{"webhook": {...}}`` -> 201; ``PUT /api/v2/webhooks/{id}``
  -> 204; ``DELETE`` -> 204; ``GET /api/v2/webhooks/{id}/signing_secret`` ->
  ``{"signing_secret": {"algorithm", "secret"}}``; ``POST /api/v2/webhooks/test?webhook_id=`` with
  ``{"request": {"endpoint", "http_method", "request_format", "payload"}}`` (zenpy ``WebhooksApi.test``
  wraps the dict the same way). List: cursor pagination (``meta.has_more``, ``links.next``).
  https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/
* Triggers ``/api/v2/triggers`` ``{"trigger"}``, automations ``/api/v2/automations`` ``{"automation"}``,
  macros ``/api/v2/macros`` ``{"macro"}``, views ``/api/v2/views`` ``{"view"}`` (created with top-level
  ``all``/``any``/``output``, answered with ``conditions: {all, any}``), SLA policies
  ``/api/v2/slas/policies`` ``{"sla_policy"}``: create 201, update ``PUT /{id}`` 200, delete 204;
  lists paginate with ``next_page``.
  https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/ ,
  .../business-rules/automations/ , .../business-rules/views/ , .../business-rules/macros/ ,
  .../business-rules/sla_policies/ (SLA policies: Support Professional / Suite Growth and above;
  other plans are refused, so the install uses time-based automations there).
"""
from __future__ import annotations

import json
from typing import Any

import requests

from ...errors import HelpdeskError
from ...install.adapter import AdminBase, SecretToStore
from ...install.plan import marker
from ..ratelimit import OutboundRateLimiter, RateBudgetExhausted
from ..transport import DEFAULT_TIMEOUT, HelpdeskSession, check_api_url, helpdesk_error

HELPDESK = "zendesk"
KINDS = {   # kind -> (path, singular wrapper, list key)
    "webhooks": ("/api/v2/webhooks", "webhook", "webhooks"),
    "triggers": ("/api/v2/triggers", "trigger", "triggers"),
    "automations": ("/api/v2/automations", "automation", "automations"),
    "sla_policies": ("/api/v2/slas/policies", "sla_policy", "sla_policies"),
    "views": ("/api/v2/views", "view", "views"),
    "macros": ("/api/v2/macros", "macro", "macros"),
}
# Automations have no description field: their marker goes at the end of the title.
TITLE_MARKED = {"automations"}
# A status check the intake authenticates and then ignores (an event type it does not handle).
CHECK_EVENT = {"type": "zen:event-type:empathy_cues.install_check", "id": "empathy-cues-status-check",
               "subject": "zen:ticket:0", "detail": {}, "event": {}}


WORKING, WRONG_SECRET, STALE_CLOCK, NOT_WORKING = "working", "wrong_secret", "stale_clock", "not_working"


def judge_test_answer(endpoint: str, status: int | None, payload: str) -> tuple[str, list[str]]:
    """What our server answered Zendesk's signed test request, as a verdict and one sentence.

    Our intake compares the signature before the timestamp (helpdesks/zendesk/signature.py), so a 401
    ``stale_timestamp`` means the secret is right and the clocks disagree; ``bad_signature`` means the
    server holds another secret."""
    try:
        error = json.loads(payload).get("error") if payload else None
    except (ValueError, AttributeError):
        error = None
    if status is not None and 200 <= status < 300:
        return WORKING, [f"Webhook: {endpoint} working: reachable, signature accepted (test answered {status})."]
    if status == 401 and error == "stale_timestamp":
        return STALE_CLOCK, [f"Webhook: {endpoint} reachable and the secret matches, but the signature timestamp "
                             "was REFUSED AS STALE (401 stale_timestamp): this server's clock differs from "
                             "Zendesk's by more than EMPATHY_SIGNATURE_TOLERANCE seconds; synchronise it (NTP)."]
    if status == 401:
        return WRONG_SECRET, [f"Webhook: {endpoint} reachable but the signature was REJECTED (401 "
                              f"{error or 'unauthorized'}): the server's EMPATHY_ZENDESK_WEBHOOK_SECRET(_FILE) is "
                              "not this webhook's signing secret."]
    if status == 404 and error == "helpdesk_not_enabled":
        return NOT_WORKING, [f"Webhook: {endpoint} NOT working: the server has Zendesk disabled (404 "
                             "helpdesk_not_enabled); set its EMPATHY_ZENDESK_* variables and restart it."]
    if status is None:
        return NOT_WORKING, [f"Webhook: {endpoint} NOT working: Zendesk could not reach it ({payload[:200]})."]
    return NOT_WORKING, [f"Webhook: {endpoint} NOT working (test answered {status}: {payload[:200]})."]


class ZendeskAdmin(AdminBase):
    helpdesk = HELPDESK
    secret_variable = "EMPATHY_ZENDESK_WEBHOOK_SECRET"

    def __init__(self, *, subdomain: str, email: str, api_token: str, api_url: str | None = None,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT, limiter: OutboundRateLimiter | None = None) -> None:
        self.base_url = check_api_url("the Zendesk API URL", api_url or f"https://{subdomain}.zendesk.com")
        # 200 a minute, the smallest plan's API limit; a caller may pass its own limiter (one on a clock).
        self.session = HelpdeskSession(account=f"{HELPDESK}:{subdomain}", timeout=timeout, user_agent="empathy-cues install",
                                       limiter=limiter or OutboundRateLimiter(200))
        self.session.auth = (f"{email}/token", api_token)
        self.session.headers["Accept"] = "application/json"

    # -- what the runner needs -------------------------------------------------------------------

    def has_sla(self) -> bool:
        response = self._send("GET", "/api/v2/slas/policies", ok=(200, 403, 404))
        return response.status_code == 200

    def list(self, kind: str) -> list[dict]:
        path, _, key = KINDS[kind]
        url: str | None = self.base_url + path
        params: dict | None = {"page[size]": 100} if kind == "webhooks" else None
        found: list[dict] = []
        while url:
            data = self._send("GET", url, params=params).json()
            found += data.get(key) or []
            params = None
            if kind == "webhooks":
                url = (data.get("links") or {}).get("next") if (data.get("meta") or {}).get("has_more") else None
            else:
                url = data.get("next_page")
        return found

    def get(self, kind: str, object_id: Any) -> dict | None:
        path, wrapper, _ = KINDS[kind]
        response = self._send("GET", f"{path}/{object_id}", ok=(200, 404))
        return response.json().get(wrapper) if response.status_code == 200 else None

    def create(self, kind: str, body: dict) -> dict:
        path, wrapper, _ = KINDS[kind]
        return self._send("POST", path, json={wrapper: body}, ok=(200, 201)).json()[wrapper]

    def update(self, kind: str, object_id: Any, body: dict) -> dict:
        path, wrapper, _ = KINDS[kind]
        response = self._send("PUT", f"{path}/{object_id}", json={wrapper: body}, ok=(200, 204))
        if response.status_code == 204 or not response.content:      # webhooks answer 204: read it back
            return self.get(kind, object_id) or {"id": object_id, **body}
        return response.json()[wrapper]

    def delete(self, kind: str, object_id: Any) -> bool:
        path, _, _ = KINDS[kind]
        return self._send("DELETE", f"{path}/{object_id}", ok=(200, 204, 404)).status_code != 404

    def mark(self, kind: str, ident: str, body: dict) -> dict:
        if kind in TITLE_MARKED:
            return {**body, "title": f"{body['title']} {marker(ident)}"}
        return {**body, "description": f"{body.get('description', '')}\n{marker(ident)}".strip()}

    def has_marker(self, kind: str, ident: str, obj: dict) -> bool:
        field = "title" if kind in TITLE_MARKED else "description"
        return marker(ident) in (obj.get(field) or "")

    def comparable(self, kind: str, obj: dict, wanted: dict) -> dict:
        """The managed fields of ``obj`` in request shape (views are answered in another shape)."""
        if kind == "views":
            conditions = obj.get("conditions") or {"all": obj.get("all"), "any": obj.get("any")}
            # `output` is answered as `execution` with column objects; it is not compared.
            obj = {**obj, "all": conditions.get("all") or [], "any": conditions.get("any") or []}
            return {k: obj.get(k) for k in wanted if k != "output"}
        return {k: obj.get(k) for k in wanted}

    @staticmethod
    def title(kind: str, body: dict) -> str:
        return body.get("title") or body.get("name") or ""

    @staticmethod
    def can_delete(kind: str) -> bool:
        return kind in KINDS

    manages = can_delete

    def check_webhook(self, runner: object, ids: dict) -> tuple[str, list[str]]:
        """(verdict, lines): ``working``, ``wrong_secret``, ``stale_clock`` or ``not_working``.

        Every installed webhook is tested: each has its own signing secret, and a server that holds only
        one of them would refuse the other's events (the messaging conversations) without a word."""
        hooks = [(ident, ids[ident]) for ident in ("webhooks.receiver", "webhooks.messaging") if ids.get(ident)]
        if not hooks:
            return NOT_WORKING, ["Webhook: not installed (run `empathy-cues install zendesk`)."]
        endpoint = f"{runner.endpoint}/webhooks/zendesk"
        verdicts, lines = [], []
        for ident, webhook_id in hooks:
            status, body = self.test_webhook(webhook_id, endpoint)
            verdict, said = judge_test_answer(endpoint, status, body)
            verdicts.append(verdict)
            lines += [line.replace("Webhook:", f"Webhook {ident.split('.', 1)[1]}:", 1) for line in said]
        if len(hooks) < 2:
            verdicts.append(NOT_WORKING)
            lines.append("Webhook messaging: not installed (run `empathy-cues install zendesk`).")
        worst = next((v for v in (NOT_WORKING, WRONG_SECRET, STALE_CLOCK) if v in verdicts), WORKING)
        return worst, lines

    # -- webhook secret and test -----------------------------------------------------------------

    def webhook_secret(self, ids: dict, stored: str | None) -> SecretToStore | None:
        """Each Zendesk webhook has its own signing secret (the trigger webhook and the messaging event
        subscription): one a line, and the server accepts a signature made with any of them."""
        hooks = sorted(ident for ident in ids if ident.startswith("webhooks.") and ids[ident] is not None)
        if not hooks:
            return None
        return SecretToStore("\n".join(self.signing_secret(ids[ident]) for ident in hooks),
                             f"Webhook signing secrets ({len(hooks)})", several=True)

    def signing_secret(self, webhook_id: Any) -> str:
        # Recorded answer (zenpy cassette TestWebhooks.test_webhook_show_secret):
        # {"signing_secret": {"secret": "...", "algorithm": "SHA256"}}
        data = self._send("GET", f"/api/v2/webhooks/{webhook_id}/signing_secret").json()
        return data["signing_secret"]["secret"]

    def test_webhook(self, webhook_id: Any, endpoint: str) -> tuple[int | None, str]:
        """Zendesk sends a signed test request from its side; we report what our server answered.

        Zendesk answers ``{"response": {"headers": [{key, value}], "status_code": N, "payload": "..."}}``
        where ``payload`` is the receiver's body - the shape recorded in zenpy's cassettes
        ``TestWebhooks.test_webhook_{simple_testing,testing_with_full_request,testing_with_partial_request}``
        (github facetoe/zenpy tests/test_api/betamax)."""
        request = {"endpoint": endpoint, "http_method": "POST", "request_format": "json",
                   "payload": json.dumps(CHECK_EVENT)}
        data = self._send("POST", "/api/v2/webhooks/test", params={"webhook_id": webhook_id},
                          json={"request": request}).json()
        answer = data.get("response") or {}
        status = answer.get("status_code")
        return (status if isinstance(status, int) else None), str(answer.get("payload") or "")[:500]

    # -- HTTP --------------------------------------------------------------------------------------

    def _send(self, method: str, path_or_url: str, *, ok: tuple[int, ...] = (200,), **kwargs) -> requests.Response:
        url = path_or_url if path_or_url.startswith("http") else self.base_url + path_or_url
        try:
            response = self.session.request(method, url, **kwargs)
        except (requests.RequestException, RateBudgetExhausted) as exc:
            raise helpdesk_error(exc, helpdesk=HELPDESK, title="Zendesk") from None
        if response.status_code not in ok:
            raise helpdesk_error(response, helpdesk=HELPDESK, title="Zendesk")
        return response


__all__ = ["ZendeskAdmin", "HelpdeskError"]
