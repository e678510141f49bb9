"""Zendesk's variables: EMPATHY_ZENDESK_SUBDOMAIN, _EMAIL, _API_TOKEN, _WEBHOOK_SECRET (optional _API_URL),
and the rate budget we allow ourselves (EMPATHY_ZENDESK_RATE_LIMIT, _TICKET_UPDATE_LIMIT: see limits.py)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Mapping

from ... import envvars
from ...errors import ConfigError

SERVER = ("EMPATHY_ZENDESK_SUBDOMAIN", "EMPATHY_ZENDESK_EMAIL", "EMPATHY_ZENDESK_API_TOKEN",
          "EMPATHY_ZENDESK_WEBHOOK_SECRET")
ADMIN = SERVER[:3]                 # install creates the webhooks, and with them their signing secrets
OPTIONAL = ("EMPATHY_ZENDESK_API_URL",)


@dataclass(frozen=True)
class ZendeskSettings:
    subdomain: str
    email: str
    api_token: str = field(repr=False)
    webhook_secret: str = field(repr=False)
    api_url: str                                  # https://<subdomain>.zendesk.com or an override
    rate_limit: int = 200                         # calls a minute we allow ourselves (limits.py)
    ticket_update_limit: int = 100                # Update Ticket calls a minute (Zendesk's endpoint limit)

    @functools.cached_property
    def webhook_secrets(self) -> tuple[str, ...]:
        """One secret a line: every webhook install creates has its own signing secret (and a rotation
        can keep the old one for a while)."""
        return tuple(line.strip() for line in self.webhook_secret.splitlines() if line.strip())


def _subdomain(value: str) -> str:
    if "." in value or "/" in value:
        raise ConfigError("EMPATHY_ZENDESK_SUBDOMAIN is the name before .zendesk.com (e.g. 'acme'), not a URL")
    return value


def from_env(env: Mapping[str, str]) -> ZendeskSettings | None:
    # Read even when Zendesk is off: a wrong value is reported at start-up, not when it is switched on.
    rate_limit = envvars.whole(env, "EMPATHY_ZENDESK_RATE_LIMIT", 200, minimum=1)
    update_limit = envvars.whole(env, "EMPATHY_ZENDESK_TICKET_UPDATE_LIMIT", 100, minimum=1)
    values = envvars.section(env, SERVER, OPTIONAL)
    if values is None:
        return None
    subdomain = _subdomain(values["EMPATHY_ZENDESK_SUBDOMAIN"])
    return ZendeskSettings(
        subdomain=subdomain,
        email=values["EMPATHY_ZENDESK_EMAIL"],
        api_token=values["EMPATHY_ZENDESK_API_TOKEN"],
        webhook_secret=values["EMPATHY_ZENDESK_WEBHOOK_SECRET"],
        api_url=envvars.url(env, "EMPATHY_ZENDESK_API_URL", f"https://{subdomain}.zendesk.com"),
        rate_limit=rate_limit,
        ticket_update_limit=update_limit,
    )


def admin_from_env(env: Mapping[str, str]) -> dict | None:
    """``admin.ZendeskAdmin`` keyword arguments: no webhook secret yet."""
    values = envvars.section(env, ADMIN, OPTIONAL)
    if values is None:
        return None
    sub = values["EMPATHY_ZENDESK_SUBDOMAIN"]
    return {"subdomain": sub, "email": values["EMPATHY_ZENDESK_EMAIL"],
            "api_token": values["EMPATHY_ZENDESK_API_TOKEN"],
            "api_url": envvars.url(env, "EMPATHY_ZENDESK_API_URL", f"https://{sub}.zendesk.com")}
