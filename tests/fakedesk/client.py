"""Fakedesk's API client, over the plugin's own HTTP session (timeouts, rate limiter, origin check)."""
from __future__ import annotations

from empathy_cues.errors import PermanentHelpdeskError, RetryableHelpdeskError
from empathy_cues.helpdesks.ratelimit import OutboundRateLimiter
from empathy_cues.helpdesks.transport import ApplyResult, HelpdeskSession, is_retryable_status


class FakedeskClient:
    def __init__(self, section, *, limiter=None, timeout=None) -> None:
        self.base_url = section.api_url
        self.session = HelpdeskSession(account=f"fakedesk:{section.account}", limiter=limiter or OutboundRateLimiter(600),
                                       origins=(section.api_url,), **({"timeout": timeout} if timeout else {}))
        self.session.headers["Authorization"] = f"Bearer {section.api_token}"

    def _call(self, method: str, path: str, ticket_id: str | None = None, **kwargs):
        response = self.session.request(method, self.base_url + path, **kwargs)
        if not 200 <= response.status_code < 300:
            cls = RetryableHelpdeskError if is_retryable_status(response.status_code) else PermanentHelpdeskError
            raise cls(f"Fakedesk answered {response.status_code}", helpdesk="fakedesk", ticket_id=ticket_id,
                      status=response.status_code)
        return response.json()

    def whoami(self) -> str:
        return str(self._call("GET", "/api/me")["id"])

    def ticket_comment(self, ticket_id: str, comment_id: str | None = None) -> dict:
        raise PermanentHelpdeskError("Fakedesk webhooks always carry the comment", helpdesk="fakedesk")

    def apply(self, plan) -> ApplyResult:
        start = self.session.call_count
        notes = self._call("GET", f"/api/tickets/{plan.ticket_id}/notes", plan.ticket_id)
        if any(plan.marker in note["body"] for note in notes):
            return ApplyResult(False, (), True, self.session.call_count - start)
        if plan.add_tags:
            self._call("POST", f"/api/tickets/{plan.ticket_id}/tags", plan.ticket_id, json={"tags": list(plan.add_tags)})
        self._call("POST", f"/api/tickets/{plan.ticket_id}/notes", plan.ticket_id,
                   json={"body": plan.note_text, "private": True})
        return ApplyResult(True, tuple(plan.add_tags), False, self.session.call_count - start)
