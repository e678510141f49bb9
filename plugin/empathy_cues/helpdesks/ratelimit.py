"""Outbound rate limiting shared by the helpdesk clients: a budget per helpdesk account (and endpoint).

Zendesk and Freshdesk both limit API calls per account per minute, across every app and key of that
account, and both answer 429 with ``Retry-After`` (seconds) when the budget is spent:
https://developer.zendesk.com/api-reference/introduction/rate-limits/ (``X-Rate-Limit-Remaining``,
``ratelimit-reset``, 429 + ``Retry-After``; Update Ticket also has its own limits: 100 requests a minute
per account and 30 updates per 10 minutes per user per ticket); Freshdesk: ``X-RateLimit-Remaining`` and
429 + ``Retry-After`` per https://developers.freshdesk.com/api/#ratelimit (per-plan account limits, and
ticket-update limits of about 40% of them).

How a budget is kept: GCRA, the "generic cell rate algorithm" (a leaky bucket kept as one timestamp,
the theoretical arrival time; the same algorithm as redis-cell and the ``throttled`` libraries). A limit
of ``L`` calls per ``W`` seconds with a burst of ``b`` spaces calls ``W/(L-b)`` seconds apart and lets
``b`` go at once, so ANY window of ``W`` seconds - not only windows aligned to the minute - holds at most
``b + (L-b) = L`` calls: the account's limit is never exceeded, even across a minute boundary.

A call that must wait a little (up to ``max_wait``, default 2 s) reserves its slot and the limiter
sleeps that long; a longer wait raises ``RateBudgetExhausted`` with the seconds to wait (nothing is
reserved), the client turns that into ``RetryableHelpdeskError(retry_after=...)`` and the task queue
schedules the retry, so no worker sits in ``sleep()`` for a minute holding a queue slot.

What the helpdesk says wins over our own count: a 429's ``Retry-After``, or a remaining-calls header that
reached 0 (Zendesk ``X-Rate-Limit-Remaining``, Freshdesk ``X-RateLimit-Remaining``), blocks the account
until the window resets.

State lives behind ``RateStore``: ``MemoryRateStore`` for one process (the embedded worker's threads),
``RedisRateStore`` (``ratestore_redis.py``) for every worker process on every host in the scale-out mode.
"""
from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Mapping, Protocol

WINDOW_SECONDS = 60
MAX_WAIT = 2.0

# Header names, lower-cased; requests' header mapping is case-insensitive but a plain dict is not.
_REMAINING_HEADERS = ("x-rate-limit-remaining", "x-ratelimit-remaining", "ratelimit-remaining")
_RESET_HEADERS = ("ratelimit-reset",)   # Zendesk: seconds until the window resets


class RateBudgetExhausted(Exception):
    """No call may be made to this account now; try again after ``retry_after`` seconds."""

    def __init__(self, account: str, retry_after: float) -> None:
        super().__init__(f"outbound rate budget for {account} exhausted; retry in {retry_after:.0f}s")
        self.account = account
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    """``calls`` per ``window`` seconds for the calls matching ``method`` and ``path`` (a regex on the URL
    path; None matches all). ``per_match``: one budget per value of the path's first group (per ticket)."""

    name: str
    calls: int
    window: float = WINDOW_SECONDS
    method: str | None = None
    path: str | None = None
    per_match: bool = False

    def __post_init__(self) -> None:
        if self.calls < 1:
            raise ValueError(f"limit {self.name!r}: calls must be at least 1")

    @property
    def burst(self) -> int:
        # A tenth of the budget may go at once; the rest is spaced evenly (see the module docstring).
        return max(1, self.calls // 10) if self.calls > 1 else 1

    @property
    def interval(self) -> float:
        return self.window / max(1, self.calls - self.burst) if self.calls > 1 else self.window

    def key(self, method: str | None, path: str | None) -> str | None:
        """This limit's budget key for a call, or None when the call is not subject to it."""
        if self.method is not None and (method or "").upper() != self.method:
            return None
        if self.path is None:
            return self.name
        match = re.search(self.path, path or "")
        if match is None:
            return None
        return f"{self.name}:{match.group(1)}" if self.per_match and match.groups() else self.name


class RateStore(Protocol):
    """Where the limiter keeps its state. Implementations must be atomic across their users."""

    def reserve(self, key: str, interval: float, burst: int, max_wait: float, ttl: float) -> tuple[bool, float]:
        """GCRA: reserve the next slot of ``key`` unless it is more than ``max_wait`` away.
        Returns (reserved, seconds to wait before the call / before trying again)."""

    def blocked_until(self, account: str) -> float:
        """Epoch seconds until which ``account`` must not be called (0 when not blocked)."""

    def block(self, account: str, until: float) -> None:
        """Block ``account`` until ``until`` (epoch seconds); never shortens an existing block."""


def gcra(tat: float, now: float, interval: float, burst: int, max_wait: float) -> tuple[bool, float, float]:
    """One GCRA step: (reserved, wait, new theoretical arrival time). Pure; the stores apply it atomically."""
    tat = max(tat, now)
    wait = tat - (burst - 1) * interval - now
    wait = wait if wait > 1e-6 else 0.0          # float noise is not a wait
    if wait > max_wait:
        return False, wait, tat
    return True, wait, tat + interval


class MemoryRateStore:
    """In-process store: correct for one process (the embedded worker threads share it)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tats: dict[str, float] = {}
        self._blocks: dict[str, float] = {}

    def reserve(self, key: str, interval: float, burst: int, max_wait: float, ttl: float) -> tuple[bool, float]:
        now = self._clock()
        with self._lock:
            reserved, wait, tat = gcra(self._tats.get(key, 0.0), now, interval, burst, max_wait)
            self._tats[key] = tat
            if len(self._tats) > 4096:     # per-ticket keys: drop the ones long past
                self._tats = {k: v for k, v in self._tats.items() if v > now}
            return reserved, wait

    def blocked_until(self, account: str) -> float:
        with self._lock:
            return self._blocks.get(account, 0.0)

    def block(self, account: str, until: float) -> None:
        with self._lock:
            self._blocks[account] = max(until, self._blocks.get(account, 0.0))


class OutboundRateLimiter:
    """Per-account budgets; ``acquire`` before a call (may sleep up to ``max_wait``), ``observe`` after it."""

    def __init__(
        self,
        requests_per_minute: int = 200,
        *,
        limits: tuple[Limit, ...] = (),
        store: RateStore | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = MAX_WAIT,
    ) -> None:
        if requests_per_minute < 1:
            raise ValueError("requests_per_minute must be at least 1")
        self.requests_per_minute = requests_per_minute
        self.limits = (Limit("all", requests_per_minute), *limits)
        self.max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._store = store if store is not None else MemoryRateStore(clock)

    def acquire(self, account: str, method: str | None = None, path: str | None = None) -> float:
        """Take one call for ``account`` from every matching budget (returns the seconds slept for it),
        or raise ``RateBudgetExhausted``."""
        now = self._clock()
        until = self._store.blocked_until(account)
        blocked = 0.0
        if until > now:
            if until - now > self.max_wait:
                raise RateBudgetExhausted(account, _ceil_seconds(until - now))
            # A short block (a 429 with Retry-After: 1) is slept through here rather than sending every
            # waiting task back to the queue to come back all at once a second later.
            blocked = until - now
            self._sleep(blocked)
        longest = 0.0
        for limit in self.limits:
            key = limit.key(method, path)
            if key is None:
                continue
            reserved, wait = self._store.reserve(f"{account}:{key}", limit.interval, limit.burst, self.max_wait,
                                                 ttl=limit.window + limit.interval * limit.burst)
            if not reserved:
                raise RateBudgetExhausted(account, _ceil_seconds(wait))
            longest = max(longest, wait)
        if longest > 0:
            self._sleep(longest)
        return blocked + longest

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
