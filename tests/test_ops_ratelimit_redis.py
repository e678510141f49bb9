"""The outbound rate limiter's Redis store, shared by worker processes, against the real Redis server."""
from __future__ import annotations

import multiprocessing
import time
import uuid

import pytest

from empathy_cues.helpdesks.ratelimit import OutboundRateLimiter, RateBudgetExhausted
from empathy_cues.helpdesks.ratestore_redis import RedisRateStore


@pytest.fixture
def rate_url(redis_url):
    """The real Redis (skip/fail rules of ``redis_url``), db 13 with a fresh key prefix per test, so test
    runs of other checkouts that flush db 15 meanwhile cannot reset a budget under this test."""
    return redis_url.rsplit("/", 1)[0] + "/13", f"empathy-test-{uuid.uuid4().hex}"


def _store(rate_url):
    url, prefix = rate_url
    return RedisRateStore.from_url(url, prefix=prefix)


def _hammer(rate_url, seconds: float, out) -> None:
    """One 'worker process': take slots without waiting for one second, report when each was granted."""
    store = _store(rate_url)
    granted, end = [], time.time() + seconds
    while time.time() < end:
        reserved, _ = store.reserve("zendesk:acme:all", 0.02, 5, 0.0, ttl=5)
        if reserved:
            granted.append(time.time())
    out.put(granted)


@pytest.mark.slow  # four processes racing for 1.5 s
def test_reservations_are_atomic_across_processes(rate_url):
    # 4 processes race for a budget of one call per 20 ms with a burst of 5: in 1.5 s at most 5 + 75.
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(rate_url, 1.5, out)) for _ in range(4)]
    for p in procs:
        p.start()
    granted = sorted(t for _ in procs for t in out.get(timeout=30))
    for p in procs:
        p.join(timeout=10)
    span = granted[-1] - granted[0]            # the processes start at slightly different moments
    assert len(granted) >= 40 and len(granted) <= 5 + span / 0.02 + 1
    for start in granted:                    # any 0.5 s holds at most burst + 0.5 / interval (+1 clock slack)
        assert sum(1 for t in granted if start <= t < start + 0.5) <= 5 + 25 + 1


def test_limiters_in_two_processes_share_one_budget_and_blocks(rate_url):
    first = OutboundRateLimiter(2, store=_store(rate_url), max_wait=0)
    second = OutboundRateLimiter(2, store=_store(rate_url), max_wait=0)
    first.acquire("zendesk:acme")
    with pytest.raises(RateBudgetExhausted) as caught:
        second.acquire("zendesk:acme")           # 2 a minute: the next slot is 60 s away
    assert 55 <= caught.value.retry_after <= 60
    first.observe("freshdesk:acme", 429, {"Retry-After": "7"})
    with pytest.raises(RateBudgetExhausted) as caught:
        second.acquire("freshdesk:acme")
    assert caught.value.retry_after in (7.0, 8.0)
    first.observe("freshdesk:acme", 429, {"Retry-After": "1"})   # never shortens the longer block
    assert _store(rate_url).blocked_until("freshdesk:acme") > time.time() + 5


def test_short_waits_are_slept_so_calls_keep_their_spacing(rate_url):
    limiter = OutboundRateLimiter(1200, store=_store(rate_url))   # burst 120, then 1 per 55.6 ms
    started = time.monotonic()
    for _ in range(130):
        limiter.acquire("zendesk:acme")
    assert time.monotonic() - started >= 9 * 60 / 1080
