"""retry.next_step: what follows a retryable helpdesk error, through plain values."""
from empathy_cues.errors import RetryableHelpdeskError
from empathy_cues.worker.retry import DEAD_LETTER, RETRY, THROTTLED, RetryStep, next_step

POLICY = {"base": 2.0, "cap": 900.0}


def error(status=None, retry_after=None):
    return RetryableHelpdeskError("x", helpdesk="zendesk", status=status, retry_after=retry_after)


def test_a_429_waits_its_retry_after_and_uses_no_retry_even_with_none_left():
    assert next_step(error(429, 30), retries_left=0, last_delay=2, **POLICY) == RetryStep(THROTTLED, 30)


def test_our_own_rate_budget_is_throttling_too_and_waits_at_least_a_second():
    assert next_step(error(None, 0.2), retries_left=5, last_delay=2, **POLICY) == RetryStep(THROTTLED, 1.0)


def test_a_5xx_waits_the_doubled_delay_from_base_up_to_the_cap():
    assert next_step(error(503), retries_left=5, last_delay=None, **POLICY) == RetryStep(RETRY, 2.0)
    assert next_step(error(503), retries_left=5, last_delay=64, **POLICY) == RetryStep(RETRY, 64)
    assert next_step(error(503), retries_left=5, last_delay=1024, **POLICY) == RetryStep(RETRY, 900)


def test_a_longer_retry_after_beats_the_backoff():
    assert next_step(error(503, 1200), retries_left=5, last_delay=8, **POLICY) == RetryStep(RETRY, 1200)


def test_no_retries_left_or_no_queue_is_a_dead_letter():
    assert next_step(error(503), retries_left=0, last_delay=8, **POLICY).action == DEAD_LETTER
    assert next_step(error(429, 5), retries_left=None, last_delay=None, **POLICY).action == DEAD_LETTER
