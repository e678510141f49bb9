"""What the worker does after a retryable helpdesk error: a pure function of the error and the task's
retry state, so the arithmetic is read and tested in one place, apart from huey and the store.

* Throttled (a 429, or our own rate budget said wait): the helpdesk is fine and we are early. Again after
  ``Retry-After`` (at least a second), without using up a retry.
* Any other retryable error: again after the last delay doubled (huey's ``retry_backoff`` on the task),
  from ``base`` up to ``cap``; a longer ``Retry-After`` always wins.
* No retries left, or not running under the queue at all: a dead letter for an admin to replay.
"""
from __future__ import annotations

from dataclasses import dataclass

THROTTLED = "throttled"
RETRY = "retry"
DEAD_LETTER = "dead_letter"


@dataclass(frozen=True)
class RetryStep:
    action: str                   # THROTTLED, RETRY or DEAD_LETTER
    delay: float = 0.0            # seconds until the next attempt


def throttled(exc) -> bool:
    """A 429, or our own rate budget said wait (no status, but a time to wait)."""
    return exc.status == 429 or (exc.status is None and exc.retry_after is not None)


def next_step(exc, *, retries_left: int | None, last_delay: float | None, base: float, cap: float) -> RetryStep:
    """``retries_left`` None: not running as a queued task (nothing can schedule another attempt)."""
    if retries_left is None:
        return RetryStep(DEAD_LETTER)
    if throttled(exc):
        return RetryStep(THROTTLED, max(float(exc.retry_after or 0), 1.0))
    if retries_left <= 0:
        return RetryStep(DEAD_LETTER)
    return RetryStep(RETRY, max(min(max(float(last_delay or 0), base), cap), float(exc.retry_after or 0)))
