"""Zendesk API client (through zenpy): add tags, post one private note, exactly once.

What ``apply(plan)`` sends, in order, and why:
1. ``GET /api/v2/tickets/{id}/comments`` - is a comment carrying ``plan.marker`` already there? Then a
   previous attempt posted the note (perhaps it timed out after Zendesk had written it): stop.
   https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments
2. ``PUT /api/v2/tickets/{id}/tags`` ``{"tags": [...]}`` - Add Tags appends and never replaces.
   Zendesk documents that tags sent with Update Ticket *replace* the ticket's tags and that
   ``additional_tags`` works only with Update Many Tickets (a background job, so failures would not
   surface here); so tags cannot ride on the note's single-ticket update:
   https://developer.zendesk.com/documentation/ticketing/managing-tickets/adding-tags-to-tickets-without-overwriting-existing-tags
   Adding a tag twice is a no-op, so this step is safe to repeat and comes before the note: once
   the note exists, the tags exist.
3. ``PUT /api/v2/tickets/{id}`` ``{"ticket": {"comment": {"body": ..., "public": false}}}`` - the
   private note. ``public`` is always sent: a comment otherwise inherits the ticket's default.
   https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
   No ``safe_update``: the update carries only a comment, which cannot clobber a concurrent change.

Rate limits: zenpy sleeps through a 429 by itself (``Api._call_api``), charging ``ratelimit_budget``.
We pass ``ratelimit_budget=0`` so its first second of sleep raises ``RatelimitBudgetExceeded`` at once,
and no ``proactive_ratelimit`` (its 10 s proactive sleeps). The 429 then surfaces as
``RetryableHelpdeskError(retry_after=Retry-After)`` and the task queue waits, not the worker.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import requests
from zenpy import Zenpy
from zenpy.lib.api_objects import Comment, Ticket
from zenpy.lib.exception import APIException, RatelimitBudgetExceeded, ZenpyException

from ...errors import HelpdeskError, PermanentHelpdeskError, RetryableHelpdeskError
from ...plan import WritePlan
from ..ratelimit import OutboundRateLimiter, RateBudgetExhausted
from ..transport import (DEFAULT_TIMEOUT, ApplyResult, HelpdeskSession, check_api_url, helpdesk_error, retry_after_of,
                         ticket_number)

HELPDESK = "zendesk"


class ZendeskClient:
    """One Zendesk account. Every method raises only HelpdeskError.

    zenpy keeps per-call state on its API objects (the object being written, its rate-limit budget),
    so build one client per worker thread at start-up and share one ``OutboundRateLimiter`` between them.
    """

    def __init__(
        self,
        *,
        subdomain: str,
        email: str,
        api_token: str,
        api_url: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        limiter: OutboundRateLimiter | None = None,
        requests_per_minute: int = 200,
    ) -> None:
        default_url = f"https://{subdomain}.zendesk.com"
        base_url = check_api_url("the Zendesk API URL", api_url or default_url)
        self.subdomain = subdomain
        self.base_url = base_url
        # zenpy always builds https://{subdomain}.zendesk.com/api/v2/...; the session maps that prefix
        # onto the override (a stand-in on loopback, a proxy), so every zenpy call follows it.
        self.session = HelpdeskSession(
            account=f"{HELPDESK}:{subdomain}",
            limiter=limiter or OutboundRateLimiter(requests_per_minute),
            timeout=timeout,
            rewrite_from=default_url if base_url != default_url else None,
            rewrite_to=base_url,
            user_agent="empathy-cues (zenpy)",
            origins=(default_url, base_url),
        )
        self._zenpy = Zenpy(
            subdomain=subdomain,
            email=email,
            token=api_token,                 # basic auth "{email}/token:{api_token}"
            session=self.session,
            timeout=timeout,
            ratelimit_budget=0,              # never sleep on a 429: raise, let the queue retry
            proactive_ratelimit=None,        # our OutboundRateLimiter paces calls instead
            disable_cache=True,              # a cached ticket or comment list would hide a retry's truth
        )

    # -- public API ---------------------------------------------------------------------------------

    def apply(self, plan: WritePlan) -> ApplyResult:
        ticket_id = ticket_number(plan.ticket_id, HELPDESK, "Zendesk")
        start = self.session.call_count
        with self._errors(plan.ticket_id):
            if any(_has_marker(c, plan.marker) for c in self._zenpy.tickets.comments(ticket_id)):
                return ApplyResult(False, (), True, self.session.call_count - start)
            if plan.add_tags:
                self._zenpy.tickets.add_tags(ticket_id, list(plan.add_tags))
            ticket = Ticket(id=ticket_id)
            ticket.comment = Comment(body=plan.note_text, public=False)
            self._zenpy.tickets.update(ticket)
        return ApplyResult(True, tuple(plan.add_tags), False, self.session.call_count - start)

    def add_tags(self, ticket_id: str, tags: tuple[str, ...]) -> tuple[str, ...]:
        """Add tags, keeping the ticket's others (``PUT /api/v2/tickets/{id}/tags``, zenpy ``add_tags``)."""
        number = ticket_number(ticket_id, HELPDESK, "Zendesk")
        with self._errors(ticket_id):
            self._zenpy.tickets.add_tags(number, list(tags))
        return tuple(tags)

    def whoami(self) -> str:
        """The API user's id (``GET /api/v2/users/me``), to recognise events the plugin caused."""
        with self._errors(None):
            return str(self._zenpy.users.me().id)

    def ticket_comment(self, ticket_id: str, comment_id: str | None = None) -> dict:
        """One comment (the latest, or ``comment_id``): id, body, html_body, author_id, public, created_at."""
        number = ticket_number(ticket_id, HELPDESK, "Zendesk")
        with self._errors(ticket_id):
            found = None
            for comment in self._zenpy.tickets.comments(number):
                if comment_id is None or str(comment.id) == str(comment_id):
                    found = comment
                    if comment_id is not None:
                        break
        if found is None:
            what = f"comment {comment_id}" if comment_id else "any comment"
            raise PermanentHelpdeskError(f"ticket {ticket_id} has no {what}", helpdesk=HELPDESK,
                                         ticket_id=ticket_id, status=404)
        return {
            "id": str(found.id),
            "body": found.plain_body if getattr(found, "plain_body", None) is not None else found.body,
            "html_body": getattr(found, "html_body", None),
            "author_id": str(found.author_id),
            "public": bool(found.public),
            "created_at": getattr(found, "created_at", None),
        }

    # -- errors -------------------------------------------------------------------------------------

    @contextmanager
    def _errors(self, ticket_id: str | None) -> Iterator[None]:
        try:
            yield
        except HelpdeskError:
            raise
        except (requests.RequestException, ZenpyException, APIException, RateBudgetExhausted) as exc:
            raise self._to_error(exc, ticket_id) from exc
        except ValueError as exc:
            # zenpy reads a 429's Retry-After with int() (lib/api.py _call_api), so "1.5" or an HTTP-date,
            # both allowed by RFC 9110 section 10.2.3, escape as ValueError: still a 429, parsed our way.
            response = self.session.last_response
            if response is None or response.status_code != 429:
                raise
            raise self._rate_limited(ticket_id) from exc

    def _to_error(self, exc: BaseException, ticket_id: str | None) -> HelpdeskError:
        if isinstance(exc, RatelimitBudgetExceeded):
            # zenpy refused to sleep through a 429; the response it saw is the session's last one.
            return self._rate_limited(ticket_id)
        return helpdesk_error(exc, helpdesk=HELPDESK, title="Zendesk", ticket_id=ticket_id)

    def _rate_limited(self, ticket_id: str | None) -> RetryableHelpdeskError:
        return RetryableHelpdeskError("Zendesk rate limit (429)", status=429, helpdesk=HELPDESK, ticket_id=ticket_id,
                                      retry_after=retry_after_of(self.session.last_response))


def _has_marker(comment: Any, marker: str) -> bool:
    return any(marker in (getattr(comment, field, None) or "") for field in ("body", "html_body", "plain_body"))
