"""Freshdesk's variables: EMPATHY_FRESHDESK_DOMAIN, _API_KEY, _WEBHOOK_SECRET (optional _API_URL), and the
rate budget we allow ourselves (EMPATHY_FRESHDESK_RATE_LIMIT: see limits.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ... import envvars
from ...errors import ConfigError

SERVER = ("EMPATHY_FRESHDESK_DOMAIN", "EMPATHY_FRESHDESK_API_KEY", "EMPATHY_FRESHDESK_WEBHOOK_SECRET")
ADMIN = SERVER[:2]                 # install makes the shared secret
OPTIONAL = ("EMPATHY_FRESHDESK_API_URL",)


@dataclass(frozen=True)
class FreshdeskSettings:
    domain: str
    api_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)
    api_url: str                                  # https://<domain>.freshdesk.com or an override
    rate_limit: int = 200                         # calls a minute we allow ourselves (limits.py)


def account_of(domain: str) -> str:
    """Accept "acme" or "acme.freshdesk.com"; the account name is what appears in logs and dedupe keys."""
    return domain.removesuffix(".freshdesk.com")


def from_env(env: Mapping[str, str]) -> FreshdeskSettings | None:
    # Read even when Freshdesk is off: a wrong value is reported at start-up, not when it is switched on.
    rate_limit = envvars.whole(env, "EMPATHY_FRESHDESK_RATE_LIMIT", 200, minimum=1)
    values = envvars.section(env, SERVER, OPTIONAL)
    if values is None:
        return None
    account = account_of(values["EMPATHY_FRESHDESK_DOMAIN"])
    if "/" in account or "." in account:
        raise ConfigError("EMPATHY_FRESHDESK_DOMAIN is 'acme' or 'acme.freshdesk.com', not a URL")
    secret = values["EMPATHY_FRESHDESK_WEBHOOK_SECRET"]
    if len(secret) < 16:
        raise ConfigError("EMPATHY_FRESHDESK_WEBHOOK_SECRET must be at least 16 characters (it is the only "
                          "proof a request comes from Freshdesk)")
    return FreshdeskSettings(
        domain=account,
        api_key=values["EMPATHY_FRESHDESK_API_KEY"],
        webhook_secret=secret,
        api_url=envvars.url(env, "EMPATHY_FRESHDESK_API_URL", f"https://{account}.freshdesk.com"),
        rate_limit=rate_limit,
    )


def admin_from_env(env: Mapping[str, str]) -> dict | None:
    """``admin.FreshdeskAdmin`` keyword arguments: no webhook secret yet."""
    values = envvars.section(env, ADMIN, OPTIONAL)
    if values is None:
        return None
    account = account_of(values["EMPATHY_FRESHDESK_DOMAIN"])
    return {"domain": account, "api_key": values["EMPATHY_FRESHDESK_API_KEY"],
            "api_url": envvars.url(env, "EMPATHY_FRESHDESK_API_URL", f"https://{account}.freshdesk.com")}
