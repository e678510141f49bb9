"""Freshdesk's documented limits as ``Limit`` rules.

https://developers.freshdesk.com/api/#ratelimit: the plan's limit per minute (Growth 200, Pro 400,
Enterprise 700), of which ticket updates may use about 40% (80 / 160 / 280). The configured per-minute
figure (``EMPATHY_FRESHDESK_RATE_LIMIT``) is what *we* allow ourselves: set it below the plan's limit
when other apps share the account.
"""
from __future__ import annotations

from ..ratelimit import Limit


def freshdesk_limits(requests_per_minute: int) -> tuple[Limit, ...]:
    updates = max(1, requests_per_minute * 2 // 5)
    return (Limit("ticket_update", updates, 60, method="PUT", path=r"^/api/v2/tickets/(\d+)$"),)


def rate_limits(section) -> tuple[int, tuple[Limit, ...]]:
    return section.rate_limit, freshdesk_limits(section.rate_limit)
