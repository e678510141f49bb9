"""``transport.helpdesk_error``: every client and install adapter turns a failed call into an error here.

Real responses from the loopback Zendesk stand-in and a real refused connection; one test per failure.
"""
import pytest
import requests

from empathy_cues.errors import PermanentHelpdeskError, RetryableHelpdeskError
from empathy_cues.helpdesks.ratelimit import RateBudgetExhausted
from empathy_cues.helpdesks.transport import helpdesk_error


def _answer(standin, status, retry_after=None):
    standin.fail_next(status=status, retry_after=retry_after)
    return requests.get(standin.url + "/api/v2/users/me.json", auth=("bot@acme.test/token", "zd-token"), timeout=2)


def test_a_429_may_succeed_later_and_carries_retry_after(zendesk_standin):
    error = helpdesk_error(_answer(zendesk_standin, 429, retry_after=7), helpdesk="zendesk", title="Zendesk",
                           ticket_id="5")
    assert isinstance(error, RetryableHelpdeskError)
    assert (error.status, error.retry_after, error.helpdesk, error.ticket_id) == (429, 7, "zendesk", "5")
    assert str(error).startswith("Zendesk answered 429 on GET /api/v2/users/me.json")


def test_another_4xx_is_permanent(zendesk_standin):
    error = helpdesk_error(_answer(zendesk_standin, 404), helpdesk="zendesk", title="Zendesk")
    assert isinstance(error, PermanentHelpdeskError) and error.status == 404


def test_a_library_error_carrying_the_response_is_judged_by_that_response(zendesk_standin):
    failure = requests.HTTPError(response=_answer(zendesk_standin, 503))
    error = helpdesk_error(failure, helpdesk="zendesk", title="Zendesk")
    assert isinstance(error, RetryableHelpdeskError) and error.status == 503


def test_no_answer_at_all_may_succeed_later(refused_url):
    with pytest.raises(requests.ConnectionError) as raised:
        requests.get(refused_url, timeout=1)
    error = helpdesk_error(raised.value, helpdesk="freshdesk", title="Freshdesk")
    assert isinstance(error, RetryableHelpdeskError) and str(error) == "Freshdesk unreachable: ConnectionError"


def test_our_own_rate_budget_says_when():
    error = helpdesk_error(RateBudgetExhausted("freshdesk:acme", 12.0), helpdesk="freshdesk", title="Freshdesk")
    assert isinstance(error, RetryableHelpdeskError) and error.retry_after == 12.0 and error.status is None


def test_an_error_without_any_response_is_permanent():
    error = helpdesk_error(ValueError("unreadable body"), helpdesk="zendesk", title="Zendesk")
    assert isinstance(error, PermanentHelpdeskError) and "unreadable body" in str(error)
