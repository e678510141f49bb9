"""Freshdesk API v2 client (through requests): merge tags, post one private note, exactly once.

Auth is HTTP basic with the API key as user name and ``X`` as password; JSON over HTTPS.
https://developers.freshdesk.com/api/#authentication

What ``apply(plan)`` sends, in order, and why:
1. ``GET /api/v2/tickets/{id}`` - the current ``tags``. Update a Ticket *replaces* the tag list with
   what it is sent and there is no add-tags endpoint, so we must send the union.
   https://developers.freshdesk.com/api/#update_ticket
2. ``PUT /api/v2/tickets/{id}`` ``{"tags": current + missing}`` - only when a tag is missing, right
   after the read to keep the read-write window to one round trip.
3. ``GET /api/v2/tickets/{id}/conversations`` (100 a page, ``Link: rel="next"``) - a note carrying
   ``plan.marker`` means a previous attempt already posted it (e.g. it timed out after Freshdesk had
   written it): do not post again. https://developers.freshdesk.com/api/#list_all_ticket_notes
4. ``POST /api/v2/tickets/{id}/notes`` ``{"body": html, "private": true}`` -> 201.
   https://developers.freshdesk.com/api/#add_note_to_a_ticket
5. When step 2 wrote: ``GET /api/v2/tickets/{id}`` again and re-add any of our tags a concurrent
   writer dropped (it read before our write and wrote after it); still missing -> retryable.

Concurrent changes: the Freshdesk API offers no conditional update (no ``If-Match``/ETag and no
``safe_update`` like Zendesk's), so a write landing *between* our read (1) and write (2) cannot be
detected and its tags may be lost; we keep that window to one round trip and serialise our own
writers of one ticket in this process. A writer that overwrites *our* tags afterwards is caught by (5).
"""
from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager
from typing import Any, Iterator

import requests

from ...errors import HelpdeskError, PermanentHelpdeskError, RetryableHelpdeskError
from ...plan import WritePlan
from ..ratelimit import OutboundRateLimiter, RateBudgetExhausted
from ..transport import (DEFAULT_TIMEOUT, ApplyResult, HelpdeskSession, check_api_url, describe_response, helpdesk_error,
                         ticket_number)

HELPDESK = "freshdesk"
PAGE_SIZE = 100          # the largest page Freshdesk v2 serves


class FreshdeskClient:
    """One Freshdesk account. Build one per worker at start-up; every method raises only HelpdeskError."""

    def __init__(
        self,
        *,
        domain: str,
        api_key: str,
        api_url: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        limiter: OutboundRateLimiter | None = None,
        requests_per_minute: int = 200,
    ) -> None:
        account = domain.removesuffix(".freshdesk.com")
        self.domain = account
        self.base_url = check_api_url("the Freshdesk API URL", api_url or f"https://{account}.freshdesk.com")
        self._api = self.base_url + "/api/v2"
        self.session = HelpdeskSession(
            account=f"{HELPDESK}:{account}",
            limiter=limiter or OutboundRateLimiter(requests_per_minute),
            timeout=timeout,
            user_agent="empathy-cues (requests)",
            origins=(self.base_url,),
        )
        self.session.auth = (api_key, "X")
        self.session.headers["Accept"] = "application/json"
        self._locks: weakref.WeakValueDictionary[int, threading.Lock] = weakref.WeakValueDictionary()
        self._locks_guard = threading.Lock()

    # -- public API ---------------------------------------------------------------------------------

    def apply(self, plan: WritePlan) -> ApplyResult:
        ticket_id = ticket_number(plan.ticket_id, HELPDESK, "Freshdesk")
        start = self.session.call_count
        with self._ticket_lock(ticket_id):
            added = self._merge_tags(ticket_id, plan.add_tags) if plan.add_tags else ()
            already = any(_has_marker(c, plan.marker) for c in self._conversations(ticket_id))
            if not already:
                self._call("POST", f"/tickets/{ticket_id}/notes", ticket_id,
                           json={"body": plan.note_html, "private": True})
            if added:
                self._check_tags_kept(ticket_id, plan.add_tags)
        return ApplyResult(not already, added, already, self.session.call_count - start)

    def add_tags(self, ticket_id: str, tags: tuple[str, ...]) -> tuple[str, ...]:
        """Add tags, keeping the ticket's others (the same merge as ``apply``); returns those added."""
        number = ticket_number(ticket_id, HELPDESK, "Freshdesk")
        with self._ticket_lock(number):
            added = self._merge_tags(number, tuple(tags))
            if added:
                self._check_tags_kept(number, tuple(tags))
        return added

    def whoami(self) -> str:
        """The API key's agent id (``GET /api/v2/agents/me``), to recognise events the plugin caused.

        https://developers.freshdesk.com/api/#me
        """
        return str(self._json(self._call("GET", "/agents/me", None), None)["id"])

    def ticket_comment(self, ticket_id: str, comment_id: str | None = None) -> dict:
        """One conversation (the latest, or ``comment_id``): id, body, html_body, author_id, public, created_at.

        A ticket without conversations yields its description (the first message), id ``"description"``.
        """
        number = ticket_number(ticket_id, HELPDESK, "Freshdesk")
        found = None
        for conversation in self._conversations(number):
            if comment_id is None or str(conversation.get("id")) == str(comment_id):
                found = conversation
                if comment_id is not None:
                    break
        if found is not None:
            comment = {"id": str(found["id"]), "body": found.get("body_text"), "html_body": found.get("body"),
                       "author_id": str(found.get("user_id")), "public": not found.get("private", False),
                       "created_at": found.get("created_at")}
            # `incoming` (List all conversations of a ticket, https://developers.freshdesk.com/api/#list_all_ticket_notes):
            # true for what the contact wrote, false for an agent's reply - whose public reply must never be
            # analysed as the customer's words (tasks._complete reads it as the author's role).
            if isinstance(found.get("incoming"), bool):
                comment["incoming"] = found["incoming"]
            return comment
        if comment_id is not None:
            raise PermanentHelpdeskError(f"ticket {ticket_id} has no conversation {comment_id}",
                                         helpdesk=HELPDESK, ticket_id=str(ticket_id), status=404)
        ticket = self._json(self._call("GET", f"/tickets/{number}", number), number)
        return {"id": "description", "body": ticket.get("description_text"), "html_body": ticket.get("description"),
                "author_id": str(ticket.get("requester_id")), "public": True, "created_at": ticket.get("created_at")}

    # -- steps --------------------------------------------------------------------------------------

    def _merge_tags(self, ticket_id: int, wanted: tuple[str, ...]) -> tuple[str, ...]:
        current = self._json(self._call("GET", f"/tickets/{ticket_id}", ticket_id), ticket_id).get("tags") or []
        missing = tuple(t for t in dict.fromkeys(wanted) if t not in current)
        if missing:
            self._call("PUT", f"/tickets/{ticket_id}", ticket_id, json={"tags": [*current, *missing]})
        return missing

    def _check_tags_kept(self, ticket_id: int, wanted: tuple[str, ...]) -> None:
        """Re-read after our write; re-add tags a concurrent writer dropped, once."""
        for attempt in range(2):
            current = self._json(self._call("GET", f"/tickets/{ticket_id}", ticket_id), ticket_id).get("tags") or []
            lost = [t for t in dict.fromkeys(wanted) if t not in current]
            if not lost:
                return
            if attempt == 0:
                self._call("PUT", f"/tickets/{ticket_id}", ticket_id, json={"tags": [*current, *lost]})
        raise RetryableHelpdeskError(f"tags {lost} keep being overwritten by a concurrent update",
                                     helpdesk=HELPDESK, ticket_id=str(ticket_id), status=409)

    def _conversations(self, ticket_id: int) -> Iterator[dict]:
        url: str | None = f"{self._api}/tickets/{ticket_id}/conversations"
        params: dict | None = {"per_page": PAGE_SIZE}
        while url:
            response = self._call("GET", url, ticket_id, params=params)
            yield from self._json(response, ticket_id)
            url, params = response.links.get("next", {}).get("url"), None

    @contextmanager
    def _ticket_lock(self, ticket_id: int) -> Iterator[None]:
        with self._locks_guard:
            lock = self._locks.get(ticket_id)
            if lock is None:
                lock = self._locks[ticket_id] = threading.Lock()
        with lock:
            yield

    # -- HTTP and errors ----------------------------------------------------------------------------

    def _call(self, method: str, path_or_url: str, ticket_id: int | None, *, json: Any = None,
              params: dict | None = None) -> requests.Response:
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else self._api + path_or_url
        try:
            response = self.session.request(method, url, json=json, params=params)
        except (requests.RequestException, RateBudgetExhausted) as exc:
            raise self._to_error(exc, ticket_id) from exc
        if not 200 <= response.status_code < 300:
            raise self._to_error(response, ticket_id)
        return response

    def _json(self, response: requests.Response, ticket_id: int | None) -> Any:
        try:
            return response.json()
        except ValueError:
            raise PermanentHelpdeskError(f"Freshdesk answered non-JSON: {describe_response(response)}",
                                         helpdesk=HELPDESK, ticket_id=_str(ticket_id),
                                         status=response.status_code) from None

    def _to_error(self, failure: requests.Response | BaseException, ticket_id: int | None) -> HelpdeskError:
        return helpdesk_error(failure, helpdesk=HELPDESK, title="Freshdesk", ticket_id=_str(ticket_id))


def _has_marker(conversation: dict, marker: str) -> bool:
    return marker in (conversation.get("body") or "") or marker in (conversation.get("body_text") or "")


def _str(ticket_id: int | None) -> str | None:
    return None if ticket_id is None else str(ticket_id)
