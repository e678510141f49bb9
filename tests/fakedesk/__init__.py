"""Fakedesk: the smallest helpdesk the plugin can serve, defined entirely in the test folder.

It shows what adding a helpdesk takes: settings from the environment, a signature check on the raw
bytes, a normaliser to ``TicketEvent``, an API client, and one ``REGISTRY.register`` call; no product
file names it. Its wire format is made up (there is no such vendor), so it stays as small as possible:

* webhook: ``POST /webhooks/fakedesk``, JSON ``{"delivery", "ticket", "comment": {"id", "body", "author",
  "public"}}``, signed with ``X-Fakedesk-Signature: hex(HMAC-SHA256(secret, body))``;
* API (``standin.FakedeskStandin``): bearer token; ``GET /api/me``, ``GET /api/tickets/{id}/notes``,
  ``POST /api/tickets/{id}/tags`` ``{"tags"}``, ``POST /api/tickets/{id}/notes`` ``{"body", "private"}``.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, Mapping

from empathy_cues import envvars
from empathy_cues.errors import BadPayload, SignatureError
from empathy_cues.core.event import AuthorRole, Channel, EventKind, TicketEvent, parse_json_object
from empathy_cues.helpdesks.spec import Helpdesk

SIGNATURE_HEADER = "X-Fakedesk-Signature"
VARIABLES = ("EMPATHY_FAKEDESK_ACCOUNT", "EMPATHY_FAKEDESK_API_TOKEN", "EMPATHY_FAKEDESK_WEBHOOK_SECRET",
             "EMPATHY_FAKEDESK_API_URL")


def sign(secret: str, raw: bytes) -> str:
    return hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class FakedeskSettings:
    account: str
    api_token: str = field(repr=False)
    webhook_secret: str = field(repr=False)
    api_url: str


class Fakedesk(Helpdesk):
    name = "fakedesk"
    title = "Fakedesk"
    secret_variables = ("EMPATHY_FAKEDESK_WEBHOOK_SECRET", "EMPATHY_FAKEDESK_API_TOKEN")
    setup_hint = "  Fakedesk:  " + ", ".join(VARIABLES)
    readiness_fields = ("api_token", "webhook_secret")

    def settings_from_env(self, env: Mapping[str, str]) -> FakedeskSettings | None:
        values = envvars.section(env, VARIABLES, ())
        if values is None:
            return None
        return FakedeskSettings(values[VARIABLES[0]], values[VARIABLES[1]], values[VARIABLES[2]],
                                envvars.url(env, VARIABLES[3], ""))

    def admin_credentials(self, env: Mapping[str, str]) -> dict | None:
        return None

    def account(self, section: FakedeskSettings) -> str:
        return section.account

    def verify(self, section, raw: bytes, headers: Mapping[str, str], *, tolerance: int) -> None:
        offered = headers.get(SIGNATURE_HEADER)
        if not offered:
            raise SignatureError("no Fakedesk signature", code="missing_signature")
        if not hmac.compare_digest(sign(section.webhook_secret, raw), offered.strip()):
            raise SignatureError("the Fakedesk signature does not match", code="bad_signature")

    def normalize(self, raw: bytes, headers: Mapping[str, str], *, account: str) -> TicketEvent:
        data = parse_json_object(raw)
        comment = data.get("comment")
        if not isinstance(comment, dict) or "ticket" not in data:
            raise BadPayload("ticket and comment are required", code="missing_field")
        return TicketEvent(
            helpdesk=self.name, account=account, ticket_id=str(data["ticket"]), kind=EventKind.COMMENT_ADDED,
            channel=Channel.WEB, subject=str(data.get("subject") or ""), comment_text=str(comment.get("body") or ""),
            comment_is_html=False, comment_id=str(comment.get("id")), author_id=str(comment.get("author_id")),
            author_role=AuthorRole.END_USER if comment.get("author") == "customer" else AuthorRole.AGENT,
            comment_public=bool(comment.get("public", True)), requester_name=None, requester_id=None, tags=(),
            delivery_id=str(data.get("delivery") or ""),
        )

    def client(self, section: FakedeskSettings, *, limiter: Any = None, timeout: Any = None):
        from .client import FakedeskClient

        return FakedeskClient(section, limiter=limiter, timeout=timeout)

    def rate_limits(self, section) -> tuple[int, tuple]:
        return 600, ()


FAKEDESK = Fakedesk()
