"""Zendesk's documented limits as ``Limit`` rules.

https://developer.zendesk.com/api-reference/introduction/rate-limits/: the account's plan limit (Team 200,
Growth/Professional 400, Enterprise 700, High Volume add-on 2500 requests a minute) and, for Update Ticket
(``PUT /api/v2/tickets/{id}``, which posts our note), 100 requests a minute per account and 30 updates per
10 minutes per user per ticket. The configured per-minute figure (``EMPATHY_ZENDESK_RATE_LIMIT``) is what
*we* allow ourselves: set it below the plan's limit when other apps share the account.
"""
from __future__ import annotations

from ..ratelimit import Limit

TICKET_UPDATES_PER_TICKET = 30        # per 10 minutes per user per ticket


def zendesk_limits(ticket_updates_per_minute: int) -> tuple[Limit, ...]:
    update = r"^/api/v2/tickets/(\d+)(?:\.json)?$"
    return (
        Limit("ticket_update", ticket_updates_per_minute, 60, method="PUT", path=update),
        Limit("ticket_update_per_ticket", TICKET_UPDATES_PER_TICKET, 600, method="PUT", path=update,
              per_match=True),
    )


def rate_limits(section) -> tuple[int, tuple[Limit, ...]]:
    return section.rate_limit, zendesk_limits(min(section.rate_limit, section.ticket_update_limit))
