"""Admin endpoints of the stand-in helpdesks, used by ``empathy-cues install`` (mixed into
``ZendeskStandin`` / ``FreshdeskStandin`` in ``standin.py``). Shapes from the vendors' API references,
cited per handler; each create validates the documented required fields, so a wrong request shape
fails here as it would at the vendor.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

_ZD_KINDS = {   # path -> (kind, wrapper, list key, required fields)
    "/api/v2/webhooks": ("webhooks", "webhook", "webhooks", ("name", "endpoint", "http_method", "request_format", "status")),
    "/api/v2/triggers": ("triggers", "trigger", "triggers", ("title", "conditions", "actions")),
    "/api/v2/automations": ("automations", "automation", "automations", ("title", "conditions", "actions")),
    "/api/v2/slas/policies": ("sla_policies", "sla_policy", "sla_policies", ("title", "filter")),
    "/api/v2/views": ("views", "view", "views", ("title", "all")),
    "/api/v2/macros": ("macros", "macro", "macros", ("title", "actions")),
}
_ZD_ITEM = re.compile(r"^(/api/v2/(?:webhooks|triggers|automations|slas/policies|views|macros))/([A-Za-z0-9]+)$")
_ZD_SECRET = re.compile(r"^/api/v2/webhooks/([A-Za-z0-9]+)/signing_secret$")
# Time-based automation conditions, as named in Zendesk's Conditions reference ("Additional time-based
# conditions for automations and views"); anything else is refused like an unknown field.
# https://developer.zendesk.com/documentation/ticketing/reference-guides/conditions-reference/
_TIME_FIELDS = {"NEW", "OPEN", "PENDING", "SOLVED", "CLOSED", "assigned_at", "updated_at", "requester_updated_at",
                "assignee_updated_at", "due_date", "until_due_date"}
_VIEW_FIELDS = ("status", "type", "group_id", "assignee_id", "requester_id")


class ZendeskAdminRoutes:
    """Webhooks (with signing secret and test), triggers, automations, SLA policies, views, macros."""

    def _init_admin(self) -> None:
        self.objects: dict[str, dict[str, dict]] = {kind: {} for kind, *_ in _ZD_KINDS.values()}
        self.webhook_secrets: dict[str, str] = {}
        self.sla_available = True          # False: a plan without SLA policies (403)
        self.test_deliveries: list[dict] = []
        self.webhook_clock_skew = 0.0      # seconds Zendesk's clock is ahead of ours in test deliveries

    def _admin_route(self, call) -> tuple | None:
        m, p = call.method, call.path
        if p == "/api/v2/slas/policies" and not self.sla_available or \
                p.startswith("/api/v2/slas/policies/") and not self.sla_available:
            return 403, {}, {"error": "Forbidden", "description": "SLA policies are not available on this plan"}
        if m == "POST" and p == "/api/v2/webhooks/test":
            return self._test_webhook(call)
        match = _ZD_SECRET.match(p)
        if match:
            return self._signing_secret(call, match.group(1))
        if p in _ZD_KINDS:
            if m == "GET":
                return self._list(call, p)
            if m == "POST":
                return self._create(call, p)
        match = _ZD_ITEM.match(p)
        if match and match.group(1) in _ZD_KINDS:
            return self._item(call, match.group(1), match.group(2))
        return None

    def _list(self, call, path: str):
        kind, _, key, _ = _ZD_KINDS[path]
        items = list(self.objects[kind].values())
        if kind == "webhooks":
            # List Webhooks: cursor pagination. https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/#list-webhooks
            return 200, {}, {key: items, "meta": {"has_more": False, "after_cursor": None, "before_cursor": None},
                             "links": {"next": None, "prev": None}}
        return 200, {}, {key: items, "next_page": None, "previous_page": None, "count": len(items)}

    def _invalid(self, message: str):
        return 422, {}, {"error": "RecordInvalid", "description": "Record validation errors",
                                           "details": {"base": [{"description": message}]}}

    def _validate(self, kind: str, body: dict, required: tuple[str, ...]) -> str | None:
        missing = [f for f in required if body.get(f) in (None, "", [])]
        if missing:
            return f"missing {', '.join(missing)}"
        if kind == "webhooks":
            # Webhooks connected to triggers: subscriptions ["conditional_ticket_events"], POST/JSON free.
            if body["http_method"] not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                return "http_method invalid"
            if body["request_format"] not in ("json", "xml", "form_encoded"):
                return "request_format invalid"
            if body["status"] not in ("active", "inactive"):
                return "status invalid"
        if kind in ("triggers", "automations"):
            cond = body["conditions"]
            if not isinstance(cond, dict) or not set(cond) <= {"all", "any"}:
                return "conditions must be {all, any}"
            for item in cond.get("all", []) + cond.get("any", []):
                if not {"field", "operator"} <= set(item):
                    return "each condition needs field and operator"
            for action in body["actions"]:
                if set(action) != {"field", "value"}:
                    return "each action is {field, value}"
                if action["field"] == "notification_webhook":
                    hook, payload = action["value"]
                    if str(hook) not in self.objects["webhooks"]:
                        return f"notification_webhook names unknown webhook {hook}"
                    try:
                        json.loads(payload)
                    except ValueError:
                        return "notification_webhook body is not JSON"
        if kind == "automations":
            # Create Automation: at least one time-based condition and one on status/type/group/assignee/requester.
            # https://developer.zendesk.com/api-reference/ticketing/business-rules/automations/#create-automation
            alls = body["conditions"].get("all", [])
            if not any(c["field"] in _TIME_FIELDS for c in alls):
                return "an automation needs a time-based condition in all"
            for c in alls:
                if c["field"].startswith(("hours_since", "hours_until")):
                    return f"unknown condition field {c['field']}"
                if c["field"] in _TIME_FIELDS and not str(c.get("value", "")).isdigit():
                    return f"{c['field']} takes whole hours"
            if not any(c["field"] in _VIEW_FIELDS for c in alls):
                return "an automation needs a status/type/group/assignee/requester condition in all"
        if kind == "views":
            # Create View: all must check status, type, group_id, assignee_id or requester_id.
            # https://developer.zendesk.com/api-reference/ticketing/business-rules/views/#create-view
            if "conditions" in body:
                return "views are created with top-level all/any, not conditions"
            if not any(c["field"] in _VIEW_FIELDS for c in body["all"]):
                return "a view needs a status/type/group/assignee/requester condition in all"
        if kind == "sla_policies":
            for metric in body.get("policy_metrics") or []:
                if set(metric) != {"priority", "metric", "target", "business_hours"} or \
                        not isinstance(metric["target"], int) or metric["priority"] not in ("low", "normal", "high", "urgent"):
                    return "policy_metrics items are {priority, metric, target (int), business_hours}"
        if kind == "macros":
            for action in body["actions"]:
                if set(action) != {"field", "value"}:
                    return "each action is {field, value}"
        return None

    def _stored(self, kind: str, object_id: str, body: dict) -> dict:
        now = self._tick()
        obj = {**body, "id": object_id, "created_at": now, "updated_at": now}
        if kind == "views":
            # Views are answered with conditions {all, any} and execution, not the request's all/any/output.
            obj["conditions"] = {"all": obj.pop("all", []), "any": obj.pop("any", [])}
            output = obj.pop("output", None) or {}
            obj["execution"] = {"columns": [{"id": c, "title": c} for c in output.get("columns", [])]}
        elif kind != "webhooks":
            obj["url"] = f"{self.url}/api/v2/{kind}/{object_id}.json"
        return obj

    def _create(self, call, path: str):
        kind, wrapper, _, required = _ZD_KINDS[path]
        body = (call.json or {}).get(wrapper) if isinstance(call.json, dict) else None
        if not isinstance(body, dict):
            return 400, {}, {"error": "InvalidEndpoint", "description": f"{wrapper} parameter is missing"}
        problem = self._validate(kind, body, required)
        if problem:
            return self._invalid(problem)
        # Webhook ids are strings ("01GK8E6BKWMJZD2TEXAMPLE"); business-rule ids are numbers.
        object_id = f"01HW{self._new_id():020d}" if kind == "webhooks" else self._new_id()
        obj = self._stored(kind, object_id, body)
        self.objects[kind][str(object_id)] = obj
        if kind == "webhooks":
            self.webhook_secrets[str(object_id)] = base64.b64encode(secrets.token_bytes(24)).decode()
        return 201, {}, {wrapper: obj}

    def _item(self, call, path: str, object_id: str):
        kind, wrapper, _, required = _ZD_KINDS[path]
        obj = self.objects[kind].get(object_id)
        if obj is None:
            return 404, {}, {"error": "RecordNotFound", "description": "Not found"}
        if call.method == "GET":
            return 200, {}, {wrapper: obj}
        if call.method == "DELETE":
            del self.objects[kind][object_id]
            return 204, {}, None
        if call.method == "PUT":
            body = (call.json or {}).get(wrapper) if isinstance(call.json, dict) else None
            if not isinstance(body, dict):
                return 400, {}, {"error": "InvalidEndpoint", "description": f"{wrapper} parameter is missing"}
            merged = {**self._request_shape(kind, obj), **body}
            problem = self._validate(kind, merged, required)
            if problem:
                return self._invalid(problem)
            new = self._stored(kind, obj["id"], merged)
            new["created_at"] = obj["created_at"]
            self.objects[kind][object_id] = new
            if kind == "webhooks":
                return 204, {}, None      # Update Webhook answers 204 No Content
            return 200, {}, {wrapper: new}
        return 404, {}, {"error": "RecordNotFound", "description": "Not found"}

    @staticmethod
    def _request_shape(kind: str, obj: dict) -> dict:
        body = {k: v for k, v in obj.items() if k not in ("id", "url", "created_at", "updated_at")}
        if kind == "views":
            cond = body.pop("conditions", {})
            body["all"], body["any"] = cond.get("all", []), cond.get("any", [])
            body["output"] = {"columns": [c["id"] for c in body.pop("execution", {}).get("columns", [])]}
        return body

    def admin_edit(self, kind: str, object_id: Any, **changes: Any) -> None:
        """What an admin does in Admin Center: change fields of an object."""
        with self._lock:
            obj = self.objects[kind][str(object_id)]
            obj.update(changes)
            obj["updated_at"] = self._tick()

    def deliver(self, webhook_id: str | None, payload: bytes, *, endpoint: str | None = None,
                method: str = "POST") -> requests.Response:
        """What Zendesk does when a trigger or an event fires a webhook: sign the body with the webhook's
        secret and the sending moment (by Zendesk's clock, ``webhook_clock_skew``), and send it.
        https://developer.zendesk.com/documentation/webhooks/verifying/ ;
        headers as in https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/"""
        hook = self.objects["webhooks"].get(str(webhook_id)) if webhook_id else None
        endpoint = endpoint or hook["endpoint"]
        secret = self.webhook_secrets.get(str(webhook_id or ""), "dGVzdA==")
        moment = datetime.now(timezone.utc) + timedelta(seconds=self.webhook_clock_skew)
        timestamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        signature = base64.b64encode(hmac.new(secret.encode(), timestamp.encode() + payload, hashlib.sha256).digest()).decode()
        headers = {"Content-Type": "application/json", "User-Agent": "Zendesk Webhook",
                   "X-Zendesk-Webhook-Signature": signature, "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
                   "X-Zendesk-Webhook-Id": str(webhook_id or "test")}
        self.test_deliveries.append({"endpoint": endpoint, "headers": headers, "body": payload})
        return requests.request(method, endpoint, data=payload, headers=headers, timeout=10)

    def _signing_secret(self, call, webhook_id: str):
        # Show Webhook Signing Secret: {"signing_secret": {"algorithm": "sha256", "secret": ...}}
        if webhook_id not in self.objects["webhooks"]:
            return 404, {}, {"error": "RecordNotFound", "description": "Not found"}
        if call.method == "POST":
            self.webhook_secrets[webhook_id] = base64.b64encode(secrets.token_bytes(24)).decode()
        # As recorded (zenpy cassette TestWebhooks.test_webhook_show_secret): algorithm "SHA256".
        return 200, {}, {"signing_secret": {"secret": self.webhook_secrets[webhook_id], "algorithm": "SHA256"}}

    def _test_webhook(self, call):
        """Test Webhook: Zendesk sends the request, signed with the webhook's secret, and reports the answer.

        Body ``{"request": {endpoint, http_method, request_format, payload, headers?}}``; for
        ``?webhook_id=`` the webhook's secret is used. Signature: base64(HMAC-SHA256(secret,
        timestamp + body)) in ``X-Zendesk-Webhook-Signature`` (+ ``-Timestamp``, the sending moment).
        https://developer.zendesk.com/documentation/webhooks/verifying/
        The answer is shaped as recorded from Zendesk (zenpy's betamax cassettes
        ``TestWebhooks.test_webhook_*testing*``): ``{"response": {"headers": [{key, value}],
        "status_code": N, "payload": "<the receiver's body>"}}``. What Zendesk answers when the endpoint
        cannot be reached at all is not recorded; here: the same shape with ``status_code`` null.
        """
        request = (call.json or {}).get("request") if isinstance(call.json, dict) else None
        if not isinstance(request, dict) or not request.get("endpoint"):
            return 400, {}, {"errors": [{"code": "InvalidParameter", "title": "request.endpoint is required"}]}
        webhook_id = (call.query.get("webhook_id") or [None])[0]
        payload = (request.get("payload") or "").encode("utf-8")
        try:
            answer = self.deliver(webhook_id, payload, endpoint=request["endpoint"],
                                  method=request.get("http_method", "POST"))
        except requests.RequestException as exc:
            return 200, {}, {"response": {"headers": [], "status_code": None,
                                          "payload": f"connection failed: {type(exc).__name__}"}}
        return 200, {}, {"response": {"headers": [{"key": k, "value": v} for k, v in answer.headers.items()],
                                      "status_code": answer.status_code, "payload": answer.text[:1000]}}


_FD_FOLDER = re.compile(r"^/api/v2/canned_response_folders/(\d+)(/responses)?$")
_FD_CANNED = re.compile(r"^/api/v2/canned_responses/(\d+)$")


class FreshdeskAdminRoutes:
    """Canned responses and their folders (Freshdesk API v2; there is no automation-rules API).

    https://developers.freshdesk.com/api/#canned-responses : folders ``GET/POST
    /api/v2/canned_response_folders`` ({"name"}), ``GET /api/v2/canned_response_folders/{id}/responses``;
    ``POST /api/v2/canned_responses`` requires title, content_html, folder_id, visibility (0 all agents,
    1 personal, 2 groups); ``GET/PUT /api/v2/canned_responses/{id}``. No delete endpoint is documented.
    """

    def _init_admin(self) -> None:
        self.canned_folders: dict[int, dict] = {}
        self.canned: dict[int, dict] = {}

    def _admin_route(self, call) -> tuple | None:
        m, p = call.method, call.path
        if p == "/api/v2/canned_response_folders":
            if m == "GET":
                return 200, {}, list(self.canned_folders.values())
            if m == "POST":
                name = (call.json or {}).get("name") if isinstance(call.json, dict) else None
                if not isinstance(name, str) or not name.strip():
                    return self._invalid("name", "It should not be blank", "missing_field")
                folder = {"id": self._new_id(), "name": name, "personal": False, "responses_count": 0,
                          "created_at": self._tick(), "updated_at": self._tick()}
                self.canned_folders[folder["id"]] = folder
                return 201, {}, folder
        match = _FD_FOLDER.match(p)
        if match and m == "GET":
            folder_id = int(match.group(1))
            if folder_id not in self.canned_folders:
                return self._error(404, None)
            if match.group(2):
                return 200, {}, [c for c in self.canned.values() if c["folder_id"] == folder_id]
            return 200, {}, self.canned_folders[folder_id]
        if p == "/api/v2/canned_responses" and m == "POST":
            return self._save_canned(call.json, None)
        match = _FD_CANNED.match(p)
        if match:
            canned_id = int(match.group(1))
            if canned_id not in self.canned:
                return self._error(404, None)
            if m == "GET":
                return 200, {}, self.canned[canned_id]
            if m == "PUT":
                return self._save_canned(call.json, canned_id)
        return None

    def _save_canned(self, body: Any, canned_id: int | None):
        if not isinstance(body, dict):
            return self._invalid("body", "It should not be blank", "missing_field")
        allowed = {"title", "content_html", "folder_id", "visibility", "group_ids", "attachments"}
        for name in body:
            if name not in allowed:
                return self._invalid(name, "Unexpected/invalid field in request", "invalid_field")
        current = self.canned.get(canned_id, {}) if canned_id else {}
        merged = {**{k: current[k] for k in ("title", "content_html", "folder_id", "visibility") if k in current}, **body}
        for name in ("title", "content_html", "folder_id", "visibility"):
            if merged.get(name) in (None, ""):
                return self._invalid(name, "It should not be blank", "missing_field")
        if merged["visibility"] not in (0, 1, 2):
            return self._invalid("visibility", "It should be one of these values: '0,1,2'", "invalid_value")
        if merged["folder_id"] not in self.canned_folders:
            return self._invalid("folder_id", "There is no folder matching the given folder_id", "invalid_value")
        now = self._tick()
        obj = {"id": canned_id or self._new_id(), "title": merged["title"], "folder_id": merged["folder_id"],
               "visibility": merged["visibility"], "content_html": merged["content_html"],
               "content": re.sub(r"<[^>]+>", "", merged["content_html"]), "attachments": [],
               "created_at": current.get("created_at", now), "updated_at": now}
        self.canned[obj["id"]] = obj
        return (200 if canned_id else 201), {}, obj

    def admin_edit_canned(self, canned_id: int, **changes: Any) -> None:
        with self._lock:
            self.canned[canned_id].update(changes)
