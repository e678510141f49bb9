"""OutboundRateLimiter: per-account budget, Retry-After and remaining-calls headers, pluggable store."""
from __future__ import annotations

from email.utils import formatdate

import pytest

from empathy_cues.helpdesks.ratelimit import (
    MemoryRateStore,
    OutboundRateLimiter,
    RateBudgetExhausted,
    retry_after_seconds,
)


class FakeClock:
    def __init__(self, now: float = 1_000_040.0) -> None:   # 20 s into a minute window (1_000_020 = 16_667 min)
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_budget_per_minute_then_raises_until_the_window_ends(clock):
    limiter = OutboundRateLimiter(3, clock=clock)
    for _ in range(3):
        limiter.acquire("zendesk:acme")
    with pytest.raises(RateBudgetExhausted) as caught:
        limiter.acquire("zendesk:acme")
    assert caught.value.retry_after == 40.0 and caught.value.account == "zendesk:acme"


def test_a_new_minute_restores_the_budget(clock):
    limiter = OutboundRateLimiter(1, clock=clock)
    limiter.acquire("zendesk:acme")
    clock.now += 40
    limiter.acquire("zendesk:acme")


def test_accounts_have_separate_budgets(clock):
    limiter = OutboundRateLimiter(1, clock=clock)
    limiter.acquire("zendesk:acme")
    limiter.acquire("freshdesk:acme")
    with pytest.raises(RateBudgetExhausted):
        limiter.acquire("zendesk:acme")


def test_429_retry_after_blocks_the_account_for_that_long(clock):
    limiter = OutboundRateLimiter(100, clock=clock)
    limiter.observe("freshdesk:acme", 429, {"Retry-After": "12"})
    with pytest.raises(RateBudgetExhausted) as caught:
        limiter.acquire("freshdesk:acme")
    assert caught.value.retry_after == 12.0
    clock.now += 12
    limiter.acquire("freshdesk:acme")


def test_zendesk_remaining_zero_blocks_until_reset(clock):
    limiter = OutboundRateLimiter(100, clock=clock)
    limiter.observe("zendesk:acme", 200, {"X-Rate-Limit-Remaining": "0", "ratelimit-reset": "7"})
    with pytest.raises(RateBudgetExhausted) as caught:
        limiter.acquire("zendesk:acme")
    assert caught.value.retry_after == 7.0


def test_freshdesk_remaining_zero_blocks_until_the_minute_ends(clock):
    limiter = OutboundRateLimiter(100, clock=clock)
    limiter.observe("freshdesk:acme", 200, {"x-ratelimit-remaining": "0", "X-RateLimit-Total": "200"})
    with pytest.raises(RateBudgetExhausted) as caught:
        limiter.acquire("freshdesk:acme")
    assert caught.value.retry_after == 40.0


def test_remaining_calls_left_do_not_block(clock):
    limiter = OutboundRateLimiter(100, clock=clock)
    limiter.observe("freshdesk:acme", 200, {"X-RateLimit-Remaining": "5"})
    limiter.acquire("freshdesk:acme")


def test_a_shorter_block_never_shortens_a_longer_one(clock):
    limiter = OutboundRateLimiter(100, clock=clock)
    limiter.observe("zendesk:acme", 429, {"Retry-After": "30"})
    limiter.observe("zendesk:acme", 429, {"Retry-After": "2"})
    with pytest.raises(RateBudgetExhausted) as caught:
        limiter.acquire("zendesk:acme")
    assert caught.value.retry_after == 30.0


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("93") == 93.0
    assert retry_after_seconds("1.5") == 1.5
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    in_ten = formatdate(1_000_010.0, usegmt=True)
    assert retry_after_seconds(in_ten, now=1_000_000.0) == pytest.approx(10.0)


def test_state_lives_in_the_store_so_limiters_can_share_it(clock):
    # Two limiters (two worker processes, later) sharing one store share one account budget.
    store = MemoryRateStore(clock)
    first, second = OutboundRateLimiter(2, store=store, clock=clock), OutboundRateLimiter(2, store=store, clock=clock)
    first.acquire("zendesk:acme")
    second.acquire("zendesk:acme")
    with pytest.raises(RateBudgetExhausted):
        first.acquire("zendesk:acme")
    first.observe("freshdesk:acme", 429, {"Retry-After": "5"})
    with pytest.raises(RateBudgetExhausted):
        second.acquire("freshdesk:acme")


def test_requests_per_minute_must_be_positive():
    with pytest.raises(ValueError):
        OutboundRateLimiter(0)
