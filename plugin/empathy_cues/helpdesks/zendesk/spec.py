"""Zendesk as the rest of the plugin sees it (``helpdesks.spec.Helpdesk``)."""
from __future__ import annotations

import hashlib
from typing import Any, Mapping

from ...errors import SignatureError
from ..spec import Helpdesk
from . import settings, signature
from .normalize import normalize as _normalize


class Zendesk(Helpdesk):
    name = "zendesk"
    title = "Zendesk"
    secret_variables = ("EMPATHY_ZENDESK_WEBHOOK_SECRET", "EMPATHY_ZENDESK_API_TOKEN")
    admin_secret_variables = ("EMPATHY_ZENDESK_API_TOKEN",)
    admin_variables = settings.ADMIN
    setup_hint = ("  Zendesk:   EMPATHY_ZENDESK_SUBDOMAIN, EMPATHY_ZENDESK_EMAIL, EMPATHY_ZENDESK_API_TOKEN,\n"
                  "             EMPATHY_ZENDESK_WEBHOOK_SECRET (optional EMPATHY_ZENDESK_API_URL)")
    readiness_fields = ("api_token", "webhook_secret")
    offline_credentials = {"subdomain": "your-subdomain", "email": "admin@example.com", "api_token": "offline"}

    def settings_from_env(self, env: Mapping[str, str]):
        return settings.from_env(env)

    def admin_credentials(self, env: Mapping[str, str]) -> dict | None:
        return settings.admin_from_env(env)

    def account(self, section) -> str:
        return section.subdomain

    def verify(self, section, raw: bytes, headers: Mapping[str, str], *, tolerance: int) -> None:
        secrets = section.webhook_secrets
        for n, secret in enumerate(secrets, start=1):     # one per webhook install created
            try:
                signature.verify(secret, headers.get(signature.SIGNATURE_HEADER),
                                 headers.get(signature.TIMESTAMP_HEADER), raw, tolerance=tolerance)
                return
            except SignatureError as exc:
                if exc.code != "bad_signature" or n == len(secrets):
                    raise

    def normalize(self, raw: bytes, headers: Mapping[str, str], *, account: str):
        return _normalize(raw, headers, account=account)

    def replay_key(self, headers: Mapping[str, str]) -> str | None:
        """The same signed request seen again is a replay, whatever its unsigned headers say."""
        value = (headers.get(signature.SIGNATURE_HEADER) or "").strip()
        return "sig:zendesk:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:40] if value else None

    def ticket_url(self, account: str, ticket_id: str) -> str | None:
        # The agent's ticket page, as Zendesk's own {{ticket.url}} placeholder renders it
        # ("<subdomain>.zendesk.com/agent/tickets/<id>" in a recorded trigger body).
        from urllib.parse import quote

        return f"https://{quote(account, safe='')}.zendesk.com/agent/tickets/{quote(str(ticket_id), safe='')}"

    def client(self, section, *, limiter: Any = None, timeout: Any = None):
        from .client import ZendeskClient

        return ZendeskClient(subdomain=section.subdomain, email=section.email, api_token=section.api_token,
                             api_url=section.api_url, limiter=limiter, **({"timeout": timeout} if timeout else {}))

    def rate_limits(self, section):
        from .limits import rate_limits

        return rate_limits(section)

    def requested_tickets(self, client, requester_id: str, since):
        from .reads import requested_tickets

        return requested_tickets(client, requester_id, since)

    def ticket_page(self, client, since, position):
        from .reads import export_page

        return export_page(client, since, position)

    def has_our_note(self, client, ticket_id: str) -> bool:
        from .reads import has_our_note

        return has_our_note(client, ticket_id)

    def listing_limits(self):
        # The incremental exports allow 10 requests a minute:
        # https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
        from ..ratelimit import Limit

        return (Limit("incremental_export", 10, 60, method="GET", path=r"^/api/v2/incremental/"),)

    def prepare(self) -> None:
        from . import client  # noqa: F401  (zenpy alone takes about 0.1 s to import)

    def admin(self, credentials: Mapping[str, str]):
        from .admin import ZendeskAdmin

        return ZendeskAdmin(**credentials)

    has_app_package = True

    def write_app_package(self, folder: str, config, *, endpoint: str) -> str:
        from .app_package import write_zendesk_app

        written = write_zendesk_app(folder, config, endpoint=endpoint)
        return f"Zendesk app package written to {written}; upload it with `zcli apps:create {written}`."
