"""FreshdeskClient (real requests) against the loopback Freshdesk stand-in."""
from __future__ import annotations

import base64
import time

import pytest

from empathy_cues.errors import PermanentHelpdeskError, RetryableHelpdeskError
from empathy_cues.helpdesks.freshdesk.client import FreshdeskClient
from empathy_cues.core.write_plan import WritePlan
from tests.fixtures_helpdesks import TEST_TIMEOUT, timed_out

MARKER = "ec-fedcba9876543210fedc"
TICKET = "/api/v2/tickets/5"


def plan_for(ticket_id: str = "5", *, tags=("empathy_apology", "empathy_cue_waiting"), html: str | None = None):
    body = f"<p>Customer waited twice.</p><p><small>empathy-cues ref: {MARKER}</small></p>" if html is None else html
    return WritePlan(helpdesk="freshdesk", ticket_id=ticket_id, add_tags=tuple(tags), note_text="Customer waited",
                     note_html=body, marker=MARKER, priority=True)


@pytest.fixture
def ticket(freshdesk_standin):
    return freshdesk_standin.add_ticket(5, tags=["vip", "billing"],
                                        conversations=[{"body": "<div>Still broken</div>", "user_id": 11}])


def test_apply_merges_tags_and_posts_one_private_note(freshdesk_client, freshdesk_standin, ticket):
    result = freshdesk_client.apply(plan_for())

    assert freshdesk_standin.tickets[5]["tags"] == ["vip", "billing", "empathy_apology", "empathy_cue_waiting"]
    notes = freshdesk_standin.notes(5)
    assert len(notes) == 1 and MARKER in notes[0]["body"] and notes[0]["private"] is True
    assert result.note_posted and not result.already_applied
    assert result.tags_added == ("empathy_apology", "empathy_cue_waiting")
    assert result.calls == 5        # read, write tags, list conversations, post note, re-read tags


def test_apply_twice_posts_one_note_and_writes_tags_once(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_client.apply(plan_for())
    second = freshdesk_client.apply(plan_for())

    assert second.already_applied and not second.note_posted and second.tags_added == ()
    assert second.calls == 2        # read tags (all there), list conversations (marker there)
    assert len(freshdesk_standin.notes(5)) == 1
    assert len(freshdesk_standin.calls_to("PUT", TICKET)) == 1


def test_retry_after_write_then_timeout_posts_one_note(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_standin.stall_after_write_next(1, seconds=1.0, method="POST", path=f"{TICKET}/notes")
    with pytest.raises(RetryableHelpdeskError) as first:
        freshdesk_client.apply(plan_for())
    assert first.value.status is None and first.value.ticket_id == "5"

    retry = freshdesk_client.apply(plan_for())

    assert retry.already_applied and not retry.note_posted
    assert len(freshdesk_standin.notes(5)) == 1
    assert len(freshdesk_standin.calls_to("POST", f"{TICKET}/notes")) == 1


def test_429_raises_retryable_with_retry_after(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_standin.fail_next(1, status=429, retry_after=30)
    started = time.monotonic()
    with pytest.raises(RetryableHelpdeskError) as caught:
        freshdesk_client.apply(plan_for())
    assert caught.value.status == 429 and caught.value.retry_after == 30.0
    assert time.monotonic() - started < 1.0 and len(freshdesk_standin.calls) == 1


def test_429_blocks_the_account_until_retry_after(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_standin.fail_next(1, status=429, retry_after=30)
    with pytest.raises(RetryableHelpdeskError):
        freshdesk_client.apply(plan_for())
    with pytest.raises(RetryableHelpdeskError) as again:
        freshdesk_client.whoami()
    assert 29 <= again.value.retry_after <= 30
    assert len(freshdesk_standin.calls) == 1         # the second call never left the process


def test_500_is_retryable(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_standin.fail_next(1, status=500, method="POST", path=f"{TICKET}/notes")
    with pytest.raises(RetryableHelpdeskError) as caught:
        freshdesk_client.apply(plan_for())
    assert caught.value.status == 500


def test_409_is_retryable(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_standin.fail_next(1, status=409, method="PUT", path=TICKET)
    with pytest.raises(RetryableHelpdeskError) as caught:
        freshdesk_client.apply(plan_for())
    assert caught.value.status == 409


def test_missing_ticket_404_is_permanent(freshdesk_client, freshdesk_standin):
    with pytest.raises(PermanentHelpdeskError) as caught:
        freshdesk_client.apply(plan_for("77"))
    assert caught.value.status == 404


def test_forbidden_403_is_permanent(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_standin.fail_next(1, status=403)
    with pytest.raises(PermanentHelpdeskError) as caught:
        freshdesk_client.apply(plan_for())
    assert caught.value.status == 403


def test_invalid_note_400_is_permanent(freshdesk_client, freshdesk_standin, ticket):
    # Freshdesk answers validation errors with 400 and a list of field errors.
    with pytest.raises(PermanentHelpdeskError) as caught:
        freshdesk_client.apply(plan_for(html=""))
    assert caught.value.status == 400 and "missing_field" in str(caught.value)


def test_wrong_api_key_401_is_permanent_and_not_logged(freshdesk_standin, ticket):
    client = FreshdeskClient(domain="acme", api_key="wrong-key-456", api_url=freshdesk_standin.url,
                             timeout=TEST_TIMEOUT)
    with pytest.raises(PermanentHelpdeskError) as caught:
        client.apply(plan_for())
    assert caught.value.status == 401 and "wrong-key-456" not in str(caught.value)


def test_slow_answer_times_out_as_retryable(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_standin.slow_next(1, seconds=1.0, method="GET", path=TICKET)
    with pytest.raises(RetryableHelpdeskError) as caught:
        freshdesk_client.apply(plan_for())
    # It gave up on the answer (a read timeout) rather than waiting it out: waited out, the call
    # would have succeeded and nothing would have been raised.
    assert timed_out(caught.value)


def test_connection_refused_is_retryable(refused_url):
    client = FreshdeskClient(domain="acme", api_key="fd-key", api_url=refused_url, timeout=TEST_TIMEOUT)
    with pytest.raises(RetryableHelpdeskError) as caught:
        client.apply(plan_for())
    assert caught.value.status is None and "unreachable" in str(caught.value)


def test_concurrent_overwrite_after_our_write_is_repaired(freshdesk_client, freshdesk_standin, ticket):
    # Another writer read the ticket before our PUT and writes its own list (with "refund") after it.
    def stale_writer() -> None:
        freshdesk_standin.tickets[5]["tags"] = ["vip", "billing", "refund"]

    freshdesk_standin.after_next("PUT", TICKET, stale_writer)
    result = freshdesk_client.apply(plan_for())

    assert set(freshdesk_standin.tickets[5]["tags"]) == {"vip", "billing", "refund", "empathy_apology",
                                                         "empathy_cue_waiting"}
    assert result.note_posted and len(freshdesk_standin.calls_to("PUT", TICKET)) == 2


def test_tags_that_keep_being_overwritten_are_retryable(freshdesk_client, freshdesk_standin, ticket):
    def stale_writer() -> None:
        freshdesk_standin.tickets[5]["tags"] = ["vip"]

    freshdesk_standin.after_next("PUT", TICKET, stale_writer)
    freshdesk_standin.after_next("PUT", TICKET, stale_writer)
    with pytest.raises(RetryableHelpdeskError) as caught:
        freshdesk_client.apply(plan_for())
    assert caught.value.status == 409
    assert len(freshdesk_standin.notes(5)) == 1      # the note went out once; a retry will find it


def test_requests_have_the_documented_shapes(freshdesk_client, freshdesk_standin, ticket):
    freshdesk_client.apply(plan_for())

    read, write, listing, note, reread = freshdesk_standin.calls
    for call in freshdesk_standin.calls:
        assert call.basic_auth == ("fd-key", "X")
        assert call.headers["Authorization"] == "Basic " + base64.b64encode(b"fd-key:X").decode()
    assert (read.method, read.path, reread.method, reread.path) == ("GET", TICKET, "GET", TICKET)
    assert (write.method, write.path) == ("PUT", TICKET)
    assert write.json == {"tags": ["vip", "billing", "empathy_apology", "empathy_cue_waiting"]}
    assert (listing.method, listing.path, listing.query) == ("GET", f"{TICKET}/conversations", {"per_page": ["100"]})
    assert (note.method, note.path) == ("POST", f"{TICKET}/notes")
    assert note.headers["Content-Type"] == "application/json"
    assert note.json == {"body": plan_for().note_html, "private": True}


def test_no_tag_write_when_tags_already_present(freshdesk_client, freshdesk_standin):
    freshdesk_standin.add_ticket(6, tags=["empathy_apology", "empathy_cue_waiting"])
    result = freshdesk_client.apply(plan_for("6"))
    assert result.tags_added == () and result.note_posted and result.calls == 3
    assert freshdesk_standin.calls_to("PUT", "/api/v2/tickets/6") == []


def test_marker_found_on_a_later_page(freshdesk_client, freshdesk_standin):
    conversations = [{"body": f"<p>message {i}</p>"} for i in range(130)] + [
        {"body": f"<p>old note</p><small>empathy-cues ref: {MARKER}</small>", "private": True, "user_id": 700}]
    freshdesk_standin.add_ticket(8, conversations=conversations)
    result = freshdesk_client.apply(plan_for("8", tags=()))
    assert result.already_applied and result.calls == 2
    assert len(freshdesk_standin.notes(8)) == 1


def test_whoami_is_the_agent_id(freshdesk_client, freshdesk_standin):
    assert freshdesk_client.whoami() == "700"
    assert freshdesk_standin.calls[-1].path == "/api/v2/agents/me"


def test_ticket_comment_latest_by_id_and_description(freshdesk_client, freshdesk_standin):
    freshdesk_standin.add_ticket(9, conversations=[{"body": "<p>first</p>", "user_id": 11},
                                                   {"body": "<p>second</p>", "user_id": 12, "private": True}])
    latest = freshdesk_client.ticket_comment("9")
    assert (latest["body"], latest["author_id"], latest["public"]) == ("second", "12", False)
    first_id = str(freshdesk_standin.conversations[9][0]["id"])
    assert freshdesk_client.ticket_comment("9", comment_id=first_id)["body"] == "first"

    freshdesk_standin.add_ticket(10, description="<div>It broke again</div>", requester_id=44)
    description = freshdesk_client.ticket_comment("10")
    assert (description["id"], description["body"], description["author_id"], description["public"]) == (
        "description", "It broke again", "44", True)
