"""Freshdesk as the rest of the plugin sees it (``helpdesks.spec.Helpdesk``)."""
from __future__ import annotations

from typing import Any, Mapping

from ..spec import Helpdesk
from . import settings
from .normalize import normalize as _normalize
from .signature import verify as _verify


class Freshdesk(Helpdesk):
    name = "freshdesk"
    title = "Freshdesk"
    secret_variables = ("EMPATHY_FRESHDESK_WEBHOOK_SECRET", "EMPATHY_FRESHDESK_API_KEY")
    admin_secret_variables = ("EMPATHY_FRESHDESK_API_KEY",)
    admin_variables = settings.ADMIN
    setup_hint = ("  Freshdesk: EMPATHY_FRESHDESK_DOMAIN, EMPATHY_FRESHDESK_API_KEY,\n"
                  "             EMPATHY_FRESHDESK_WEBHOOK_SECRET (optional EMPATHY_FRESHDESK_API_URL)")
    readiness_fields = ("api_key", "webhook_secret")
    offline_credentials = {"domain": "your-domain", "api_key": "offline"}

    def settings_from_env(self, env: Mapping[str, str]):
        return settings.from_env(env)

    def admin_credentials(self, env: Mapping[str, str]) -> dict | None:
        return settings.admin_from_env(env)

    def account(self, section) -> str:
        return section.domain

    def verify(self, section, raw: bytes, headers: Mapping[str, str], *, tolerance: int) -> None:
        _verify(section.webhook_secret, headers)     # a shared secret: no timestamp to hold against a clock

    def normalize(self, raw: bytes, headers: Mapping[str, str], *, account: str):
        return _normalize(raw, headers, account=account)

    def ticket_url(self, account: str, ticket_id: str) -> str | None:
        # The agent's ticket page, as Freshdesk's {{ticket.url}} placeholder renders it in webhook bodies
        # ("http://<domain>.freshdesk.com/helpdesk/tickets/<id>", e.g. in Zulip's recorded Freshdesk
        # webhook fixtures); the account is the domain without .freshdesk.com (settings.account_of).
        from urllib.parse import quote

        return f"https://{quote(account, safe='')}.freshdesk.com/helpdesk/tickets/{quote(str(ticket_id), safe='')}"

    # No replay_key: Freshdesk signs nothing, and its delivery id is already a hash of the body.

    def client(self, section, *, limiter: Any = None, timeout: Any = None):
        from .client import FreshdeskClient

        return FreshdeskClient(domain=section.domain, api_key=section.api_key, api_url=section.api_url,
                               limiter=limiter, **({"timeout": timeout} if timeout else {}))

    def rate_limits(self, section):
        from .limits import rate_limits

        return rate_limits(section)

    def requested_tickets(self, client, requester_id: str, since):
        from .reads import requested_tickets

        return requested_tickets(client, requester_id, since)

    history_by_email = True

    def tickets_by_email(self, client, email: str, since):
        from .reads import tickets_by_email

        return tickets_by_email(client, email, since)

    def ticket_page(self, client, since, position):
        from .reads import list_page

        return list_page(client, since, position)

    def has_our_note(self, client, ticket_id: str) -> bool:
        from .reads import has_our_note

        return has_our_note(client, ticket_id)

    def prepare(self) -> None:
        from . import client  # noqa: F401

    def admin(self, credentials: Mapping[str, str]):
        from .admin import FreshdeskAdmin

        return FreshdeskAdmin(**credentials)
