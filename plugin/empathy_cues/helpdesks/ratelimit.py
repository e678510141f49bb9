"""Outbound rate limiting shared by the helpdesk clients: a budget per helpdesk account.

Zendesk and Freshdesk both limit API calls per account per minute, across every app and key of that
account, and both answer 429 with ``Retry-After`` (seconds) when the budget is spent:
https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/best-practices-for-avoiding-rate-limiting/
(``X-Rate-Limit-Remaining``, ``ratelimit-reset``, 429 + ``Retry-After``); Freshdesk: ``X-RateLimit-Remaining``
and 429 + ``Retry-After`` per https://developers.freshdesk.com/api/ (as summarised by third parties; the
official page's rate-limit section was not readable here, so the header name stays unconfirmed). A worker must not sit in ``sleep()`` for a minute
holding a queue slot, so this limiter never sleeps: when the budget is exhausted it raises
``RateBudgetExhausted`` with the seconds to wait, the client turns that into
``RetryableHelpdeskError(retry_after=...)`` and the task queue schedules the retry.

Two inputs feed the budget:
* our own count of calls in the current minute (``requests_per_minute``, from the account's plan);
* what the helpdesk says: a 429's ``Retry-After``, or a remaining-calls header that reached 0
  (Zendesk ``X-Rate-Limit-Remaining``, Freshdesk ``X-RateLimit-Remaining``), blocks the account until
  the window resets.

State lives behind ``RateStore`` so that a Redis-backed store (shared by every worker process) can
replace ``MemoryRateStore`` without touching the clients: it needs an atomic counter with expiry
(INCR + EXPIRE) and a "blocked until" value (SET with PX).
"""
from __future__ import annotations

import math
import threading
import time
from email.utils import parsedate_to_datetime
from typing import Callable, Mapping, Protocol

WINDOW_SECONDS = 60

# Header names, lower-cased; requests' header mapping is case-insensitive but a plain dict is not.
_REMAINING_HEADERS = ("x-rate-limit-remaining", "x-ratelimit-remaining", "ratelimit-remaining")
_RESET_HEADERS = ("ratelimit-reset",)   # Zendesk: seconds until the window resets


class RateBudgetExhausted(Exception):
    """No call may be made to this account now; try again after ``retry_after`` seconds."""

    def __init__(self, account: str, retry_after: float) -> None:
        super().__init__(f"outbound rate budget for {account} exhausted; retry in {retry_after:.0f}s")
        self.account = account
        self.retry_after = retry_after


class RateStore(Protocol):
    """Where the limiter keeps its counters. Implementations must be safe across threads."""

    def increment(self, key: str, ttl: float) -> int:
        """Add one to the counter ``key`` (created with expiry ``ttl`` seconds) and return it."""

    def blocked_until(self, account: str) -> float:
        """Epoch seconds until which ``account`` must not be called (0 when not blocked)."""

    def block(self, account: str, until: float) -> None:
        """Block ``account`` until ``until`` (epoch seconds); never shortens an existing block."""


class MemoryRateStore:
    """In-process store: correct for one process (the embedded worker threads share it)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counters: dict[str, tuple[int, float]] = {}
        self._blocks: dict[str, float] = {}

    def increment(self, key: str, ttl: float) -> int:
        now = self._clock()
        with self._lock:
            count, expires = self._counters.get(key, (0, now + ttl))
            if expires <= now:
                count, expires = 0, now + ttl
            count += 1
            self._counters[key] = (count, expires)
            # Drop expired windows so the dict does not grow for ever.
            if len(self._counters) > 1024:
                self._counters = {k: v for k, v in self._counters.items() if v[1] > now}
            return count

    def blocked_until(self, account: str) -> float:
        with self._lock:
            return self._blocks.get(account, 0.0)

    def block(self, account: str, until: float) -> None:
        with self._lock:
            self._blocks[account] = max(until, self._blocks.get(account, 0.0))


class OutboundRateLimiter:
    """Per-account budget of calls per minute; ``acquire`` before a call, ``observe`` after it."""

    def __init__(
        self,
        requests_per_minute: int = 200,
        *,
        store: RateStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if requests_per_minute < 1:
            raise ValueError("requests_per_minute must be at least 1")
        self.requests_per_minute = requests_per_minute
        self._clock = clock
        self._store = store if store is not None else MemoryRateStore(clock)

    def acquire(self, account: str) -> None:
        """Count one call for ``account`` or raise ``RateBudgetExhausted`` (never sleeps)."""
        now = self._clock()
        until = self._store.blocked_until(account)
        if until > now:
            raise RateBudgetExhausted(account, _ceil_seconds(until - now))
        window = int(now // WINDOW_SECONDS)
        used = self._store.increment(f"{account}:{window}", ttl=WINDOW_SECONDS)
        if used > self.requests_per_minute:
            raise RateBudgetExhausted(account, _ceil_seconds((window + 1) * WINDOW_SECONDS - now))

    def observe(self, account: str, status: int, headers: Mapping[str, str]) -> None:
        """Learn from a response: a 429's Retry-After or an exhausted remaining-calls header."""
        now = self._clock()
        lower = {k.lower(): v for k, v in headers.items()}
        if status == 429:
            wait = retry_after_seconds(lower.get("retry-after"), now=now)
            self._store.block(account, now + (wait if wait is not None else WINDOW_SECONDS))
            return
        remaining = _first_int(lower, _REMAINING_HEADERS)
        if remaining is not None and remaining <= 0:
            reset = _first_int(lower, _RESET_HEADERS)
            wait = reset if reset is not None and reset > 0 else WINDOW_SECONDS - (now % WINDOW_SECONDS)
            self._store.block(account, now + wait)


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: both vendors send delta-seconds; RFC 9110 also allows an HTTP-date."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def _first_int(headers: Mapping[str, str], names: tuple[str, ...]) -> int | None:
    for name in names:
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return int(float(raw))
        except ValueError:
            continue
    return None


def _ceil_seconds(seconds: float) -> float:
    return float(max(1, math.ceil(seconds)))
