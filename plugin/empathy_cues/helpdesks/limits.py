"""The vendors' documented limits as ``Limit`` rules, and the one shared limiter per worker process.

Zendesk (https://developer.zendesk.com/api-reference/introduction/rate-limits/): the account's plan
limit (Team 200, Growth/Professional 400, Enterprise 700, High Volume add-on 2500 requests a minute) and,
for Update Ticket (``PUT /api/v2/tickets/{id}``, which posts our note), 100 requests a minute per
account and 30 updates per 10 minutes per user per ticket.
Freshdesk (https://developers.freshdesk.com/api/#ratelimit): the plan's limit per minute (Growth 200,
Pro 400, Enterprise 700), of which ticket updates may use about 40% (80 / 160 / 280).
The configured per-minute figure (``EMPATHY_ZENDESK_RATE_LIMIT`` / ``EMPATHY_FRESHDESK_RATE_LIMIT``) is
what *we* allow ourselves: set it below the plan's limit when other apps share the account.
"""
from __future__ import annotations

from .ratelimit import Limit, MemoryRateStore, OutboundRateLimiter

ZENDESK_TICKET_UPDATES_PER_TICKET = 30        # per 10 minutes per user per ticket


def zendesk_limits(ticket_updates_per_minute: int) -> tuple[Limit, ...]:
    update = r"^/api/v2/tickets/(\d+)(?:\.json)?$"
    return (
        Limit("ticket_update", ticket_updates_per_minute, 60, method="PUT", path=update),
        Limit("ticket_update_per_ticket", ZENDESK_TICKET_UPDATES_PER_TICKET, 600, method="PUT", path=update,
              per_match=True),
    )


def freshdesk_limits(requests_per_minute: int) -> tuple[Limit, ...]:
    updates = max(1, requests_per_minute * 2 // 5)
    return (Limit("ticket_update", updates, 60, method="PUT", path=r"^/api/v2/tickets/(\d+)$"),)


def build_limiter(helpdesk: str, settings, store=None) -> OutboundRateLimiter:
    """The limiter for one helpdesk: Redis-backed in the scale-out mode, in-process otherwise."""
    if store is None:
        if settings.uses_redis:
            from .ratestore_redis import RedisRateStore

            store = RedisRateStore.from_url(settings.queue_url)
        else:
            store = MemoryRateStore()
    if helpdesk == "zendesk":
        rpm = getattr(settings, "zendesk_rate_limit", 200)
        limits = zendesk_limits(min(rpm, getattr(settings, "zendesk_ticket_update_limit", 100)))
    else:
        rpm = getattr(settings, "freshdesk_rate_limit", 200)
        limits = freshdesk_limits(rpm)
    return OutboundRateLimiter(rpm, limits=limits, store=store)
