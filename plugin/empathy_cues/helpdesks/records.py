"""Tickets as listed by a helpdesk (history, preview, backfill): plain records, vendor names stop here.

Both helpdesks' list endpoints are read by ``<helpdesk>/reads.py``, through the client's own session (so
every call is rate-limited, timed out and classified like the worker's), and turned into these.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

import requests

from ..errors import PermanentHelpdeskError
from .ratelimit import RateBudgetExhausted
from .transport import describe_response, helpdesk_error


@dataclass(frozen=True)
class TicketRecord:
    ticket_id: str
    created_at: datetime | None
    subject: str
    text: str                        # the ticket's first message (its description), as the helpdesk sent it
    is_html: bool
    is_open: bool                    # not solved, resolved or closed
    channel: str                     # events.Channel value
    requester_id: str | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TicketPage:
    tickets: tuple[TicketRecord, ...]
    next_position: str | None        # where the next page starts (a cursor or a page number); None: last


def get_json(session, url: str, params: Mapping[str, Any], *, helpdesk: str, title: str,
             absent: Callable[[requests.Response], bool] | None = None) -> Any:
    """One GET through a helpdesk session; any failure becomes the helpdesk's ``HelpdeskError``, except an
    answer ``absent`` recognises as "there is nothing to list", which is None."""
    response = get_response(session, url, params, helpdesk=helpdesk, title=title, absent=absent)
    return None if response is None else json_of(response, helpdesk=helpdesk, title=title)


def get_response(session, url: str, params: Mapping[str, Any], *, helpdesk: str, title: str,
                 absent: Callable[[requests.Response], bool] | None = None) -> requests.Response | None:
    try:
        response = session.get(url, params=dict(params))
    except (requests.RequestException, RateBudgetExhausted) as exc:
        raise helpdesk_error(exc, helpdesk=helpdesk, title=title) from exc
    if not 200 <= response.status_code < 300:
        if absent is not None and absent(response):
            return None
        raise helpdesk_error(response, helpdesk=helpdesk, title=title)
    return response


def json_of(response: requests.Response, *, helpdesk: str, title: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise PermanentHelpdeskError(f"{title} answered non-JSON: {describe_response(response)}",
                                     helpdesk=helpdesk, status=response.status_code) from None


def text_of(value: object) -> str:
    return value if isinstance(value, str) else ""


def id_of(value: object) -> str | None:
    return None if value is None or isinstance(value, bool) else str(value)
