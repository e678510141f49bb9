"""The one outbound rate limiter per helpdesk and worker process, with the helpdesk's own rules.

Each helpdesk's documented limits live in its folder (``helpdesks/<name>/limits.py``) and reach this
module through its registry spec (``Helpdesk.rate_limits``).
"""
from __future__ import annotations

from .ratelimit import MemoryRateStore, OutboundRateLimiter
from .registry import REGISTRY


def build_limiter(helpdesk: str, settings, store=None) -> OutboundRateLimiter:
    """The limiter for one helpdesk: Redis-backed in the scale-out mode, in-process otherwise."""
    if store is None:
        if settings.uses_redis:
            from .ratestore_redis import RedisRateStore

            store = RedisRateStore.from_url(settings.queue_url)
        else:
            store = MemoryRateStore()
    rpm, limits = REGISTRY[helpdesk].rate_limits(settings.helpdesks[helpdesk])
    return OutboundRateLimiter(rpm, limits=limits, store=store)
