"""ZendeskClient (real zenpy + requests) against the loopback Zendesk stand-in."""
from __future__ import annotations

import base64
import time

import pytest

from empathy_cues.errors import ConfigError, PermanentHelpdeskError, RetryableHelpdeskError
from empathy_cues.helpdesks.ratelimit import OutboundRateLimiter
from empathy_cues.helpdesks.zendesk.client import ZendeskClient
from empathy_cues.core.write_plan import WritePlan
from tests.fixtures_helpdesks import TEST_TIMEOUT, timed_out

MARKER = "ec-0123456789abcdef0123"


def plan_for(ticket_id: str = "5", *, tags=("empathy_apology", "empathy_cue_waiting"), text: str | None = None):
    body = f"Customer waited twice.\n\n---\nempathy-cues ref: {MARKER}" if text is None else text
    return WritePlan(helpdesk="zendesk", ticket_id=ticket_id, add_tags=tuple(tags), note_text=body,
                     note_html=f"<p>{body}</p>", marker=MARKER, priority=True)


@pytest.fixture
def ticket(zendesk_standin):
    return zendesk_standin.add_ticket(5, tags=["vip", "billing"],
                                      comments=[{"body": "Still broken after 3 weeks", "author_id": 11}])


def test_apply_adds_tags_keeps_existing_and_posts_one_private_note(zendesk_client, zendesk_standin, ticket):
    result = zendesk_client.apply(plan_for())

    assert zendesk_standin.tickets[5]["tags"] == ["vip", "billing", "empathy_apology", "empathy_cue_waiting"]
    notes = zendesk_standin.notes(5)
    assert len(notes) == 1 and MARKER in notes[0]["body"] and notes[0]["public"] is False
    assert result.note_posted and not result.already_applied
    assert result.tags_added == ("empathy_apology", "empathy_cue_waiting")
    assert result.calls == 3


def test_apply_twice_posts_one_note(zendesk_client, zendesk_standin, ticket):
    zendesk_client.apply(plan_for())
    second = zendesk_client.apply(plan_for())

    assert second.already_applied and not second.note_posted and second.calls == 1
    assert len(zendesk_standin.notes(5)) == 1


def test_retry_after_write_then_timeout_posts_one_note(zendesk_client, zendesk_standin, ticket):
    # Zendesk stores the note, but the answer arrives after the client's read timeout.
    zendesk_standin.stall_after_write_next(1, seconds=1.0, method="PUT", path="/api/v2/tickets/5")
    with pytest.raises(RetryableHelpdeskError) as first:
        zendesk_client.apply(plan_for())
    assert first.value.status is None and first.value.ticket_id == "5"

    retry = zendesk_client.apply(plan_for())

    assert retry.already_applied and not retry.note_posted
    assert len(zendesk_standin.notes(5)) == 1
    assert len(zendesk_standin.calls_to("PUT", "/api/v2/tickets/5")) == 1


def test_429_raises_retryable_with_retry_after_without_sleeping(zendesk_client, zendesk_standin, ticket):
    zendesk_standin.fail_next(1, status=429, retry_after=7)
    started = time.monotonic()
    with pytest.raises(RetryableHelpdeskError) as caught:
        zendesk_client.apply(plan_for())

    assert caught.value.status == 429 and caught.value.retry_after == 7.0
    assert time.monotonic() - started < 1.0          # zenpy did not sleep through Retry-After
    assert len(zendesk_standin.calls) == 1           # and did not repeat the call
    assert zendesk_standin.notes(5) == []


def test_500_is_retryable(zendesk_client, zendesk_standin, ticket):
    zendesk_standin.fail_next(1, status=500, method="PUT", path="/api/v2/tickets/5/tags")
    with pytest.raises(RetryableHelpdeskError) as caught:
        zendesk_client.apply(plan_for())
    assert caught.value.status == 500
    assert zendesk_standin.notes(5) == []            # the note never goes out before the tags


def test_409_is_retryable(zendesk_client, zendesk_standin, ticket):
    zendesk_standin.fail_next(1, status=409, method="PUT", path="/api/v2/tickets/5")
    with pytest.raises(RetryableHelpdeskError) as caught:
        zendesk_client.apply(plan_for())
    assert caught.value.status == 409


def test_missing_ticket_404_is_permanent(zendesk_client, zendesk_standin):
    with pytest.raises(PermanentHelpdeskError) as caught:
        zendesk_client.apply(plan_for("77"))
    assert caught.value.status == 404 and "RecordNotFound" in str(caught.value)


def test_forbidden_403_is_permanent(zendesk_client, zendesk_standin, ticket):
    zendesk_standin.fail_next(1, status=403)
    with pytest.raises(PermanentHelpdeskError) as caught:
        zendesk_client.apply(plan_for())
    assert caught.value.status == 403


def test_invalid_note_422_is_permanent(zendesk_client, zendesk_standin, ticket):
    with pytest.raises(PermanentHelpdeskError) as caught:
        zendesk_client.apply(plan_for(text=""))
    assert caught.value.status == 422 and "cannot be blank" in str(caught.value)


def test_wrong_api_token_401_is_permanent_and_not_logged(zendesk_standin, ticket):
    client = ZendeskClient(subdomain="acme", email="bot@acme.test", api_token="wrong-token-123",
                           api_url=zendesk_standin.url, timeout=TEST_TIMEOUT)
    with pytest.raises(PermanentHelpdeskError) as caught:
        client.apply(plan_for())
    assert caught.value.status == 401 and "wrong-token-123" not in str(caught.value)


def test_slow_answer_times_out_as_retryable(zendesk_client, zendesk_standin, ticket):
    zendesk_standin.slow_next(1, seconds=1.0, method="GET", path="/api/v2/tickets/5/comments")
    with pytest.raises(RetryableHelpdeskError) as caught:
        zendesk_client.apply(plan_for())
    # It gave up on the answer (a read timeout) rather than waiting it out: waited out, the call
    # would have succeeded and nothing would have been raised.
    assert timed_out(caught.value)


def test_connection_refused_is_retryable(refused_url):
    client = ZendeskClient(subdomain="acme", email="bot@acme.test", api_token="zd-token",
                           api_url=refused_url, timeout=TEST_TIMEOUT)
    with pytest.raises(RetryableHelpdeskError) as caught:
        client.apply(plan_for())
    assert caught.value.status is None and "unreachable" in str(caught.value)


def test_requests_have_the_documented_shapes(zendesk_client, zendesk_standin, ticket):
    zendesk_client.apply(plan_for())

    listing, tags, update = zendesk_standin.calls
    expected_auth = "Basic " + base64.b64encode(b"bot@acme.test/token:zd-token").decode()
    for call in (listing, tags, update):
        assert call.headers["Authorization"] == expected_auth
    assert (listing.method, listing.path) == ("GET", "/api/v2/tickets/5/comments")
    assert (tags.method, tags.path, tags.json) == (
        "PUT", "/api/v2/tickets/5/tags", {"tags": ["empathy_apology", "empathy_cue_waiting"]})
    assert (update.method, update.path) == ("PUT", "/api/v2/tickets/5")
    assert update.headers["Content-Type"] == "application/json"
    comment = update.json["ticket"]["comment"]
    assert comment == {"body": plan_for().note_text, "public": False}
    assert "tags" not in update.json["ticket"]       # Update Ticket would replace the tag list


def test_no_tags_call_when_plan_adds_none(zendesk_client, zendesk_standin, ticket):
    result = zendesk_client.apply(plan_for(tags=()))
    assert result.calls == 2 and zendesk_standin.calls_to("PUT", "/api/v2/tickets/5/tags") == []
    assert zendesk_standin.tickets[5]["tags"] == ["vip", "billing"]


def test_marker_found_beyond_the_first_page(zendesk_client, zendesk_standin):
    comments = [{"body": f"message {i}"} for i in range(150)] + [
        {"body": f"old note\nempathy-cues ref: {MARKER}", "public": False, "author_id": 900}]
    zendesk_standin.add_ticket(8, comments=comments)
    result = zendesk_client.apply(plan_for("8"))
    assert result.already_applied and result.calls == 2
    assert len(zendesk_standin.notes(8)) == 1


def test_whoami_is_the_api_user_id(zendesk_client, zendesk_standin):
    assert zendesk_client.whoami() == "900"
    assert zendesk_standin.calls[-1].path == "/api/v2/users/me"


def test_ticket_comment_latest_and_by_id(zendesk_client, zendesk_standin):
    zendesk_standin.add_ticket(9, comments=[{"body": "first", "author_id": 11},
                                            {"body": "second", "author_id": 12, "public": False}])
    latest = zendesk_client.ticket_comment("9")
    assert (latest["body"], latest["author_id"], latest["public"]) == ("second", "12", False)
    first_id = str(zendesk_standin.comments[9][0]["id"])
    first = zendesk_client.ticket_comment("9", comment_id=first_id)
    assert (first["id"], first["body"], first["public"]) == (first_id, "first", True)


def test_local_budget_exhausted_raises_before_sending(zendesk_standin, ticket):
    client = ZendeskClient(subdomain="acme", email="bot@acme.test", api_token="zd-token",
                           api_url=zendesk_standin.url, timeout=TEST_TIMEOUT,
                           limiter=OutboundRateLimiter(requests_per_minute=2))
    with pytest.raises(RetryableHelpdeskError) as caught:
        client.apply(plan_for())
    assert caught.value.retry_after is not None and 1 <= caught.value.retry_after <= 60
    assert len(zendesk_standin.calls) == 1           # 2 a minute: one now, the next 60 s later (GCRA)


def test_plain_http_is_refused_off_loopback():
    with pytest.raises(ConfigError):
        ZendeskClient(subdomain="acme", email="e", api_token="t", api_url="http://proxy.example.com")
