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


def test_calls_are_spaced_so_no_60_seconds_hold_more_than_the_budget(clock):
    # 12 a minute: a burst of 1, then one call every 60/11 s (GCRA, see ratelimit.py).
    slept = []
    limiter = OutboundRateLimiter(12, clock=clock, sleep=slept.append, max_wait=60)
    times = []
    for _ in range(30):
        limiter.acquire("zendesk:acme")
        clock.now += slept.pop() if slept else 0
        times.append(clock.now)
    for start in times:
        assert sum(1 for t in times if start <= t < start + 60) <= 12


def test_a_long_wait_raises_with_the_seconds_to_wait_and_reserves_nothing(clock):
    limiter = OutboundRateLimiter(3, clock=clock, max_wait=0)     # burst 1, interval 30 s
    limiter.acquire("zendesk:acme")
    with pytest.raises(RateBudgetExhausted) as caught:
        limiter.acquire("zendesk:acme")
    assert caught.value.retry_after == 30.0 and caught.value.account == "zendesk:acme"
    clock.now += 30
    limiter.acquire("zendesk:acme")                                # the refused call took no slot


def test_a_short_wait_is_slept_in_place(clock):
    slept = []
    limiter = OutboundRateLimiter(600, clock=clock, sleep=slept.append)   # burst 60, then every 0.111 s
    for _ in range(61):
        limiter.acquire("zendesk:acme")
    assert slept == [pytest.approx(60 / 540)]


def test_accounts_have_separate_budgets(clock):
    limiter = OutboundRateLimiter(1, clock=clock, max_wait=0)
    limiter.acquire("zendesk:acme")
    limiter.acquire("freshdesk:acme")
    with pytest.raises(RateBudgetExhausted):
        limiter.acquire("zendesk:acme")


def test_endpoint_limits_apply_only_to_their_calls_and_per_ticket(clock):
    from empathy_cues.helpdesks.zendesk.limits import zendesk_limits

    limiter = OutboundRateLimiter(10_000, limits=zendesk_limits(100), clock=clock, max_wait=0)
    for _ in range(3):             # 30 updates of one ticket per 10 minutes: a burst of 3, then every 600/27 s
        limiter.acquire("zendesk:acme", "PUT", "/api/v2/tickets/5.json")
    with pytest.raises(RateBudgetExhausted) as caught:
        limiter.acquire("zendesk:acme", "PUT", "/api/v2/tickets/5.json")
    assert caught.value.retry_after == 23.0
    limiter.acquire("zendesk:acme", "PUT", "/api/v2/tickets/6.json")      # another ticket
    limiter.acquire("zendesk:acme", "PUT", "/api/v2/tickets/5/tags.json")  # not Update Ticket
    limiter.acquire("zendesk:acme", "GET", "/api/v2/tickets/5.json")


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
    first = OutboundRateLimiter(1, store=store, clock=clock, max_wait=0)
    second = OutboundRateLimiter(1, store=store, clock=clock, max_wait=0)
    first.acquire("zendesk:acme")
    with pytest.raises(RateBudgetExhausted):
        second.acquire("zendesk:acme")
    with pytest.raises(RateBudgetExhausted):
        first.acquire("zendesk:acme")
    first.observe("freshdesk:acme", 429, {"Retry-After": "5"})
    with pytest.raises(RateBudgetExhausted):
        second.acquire("freshdesk:acme")


def test_requests_per_minute_must_be_positive():
    with pytest.raises(ValueError):
        OutboundRateLimiter(0)
