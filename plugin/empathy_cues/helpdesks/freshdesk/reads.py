"""Reading Freshdesk tickets in bulk: a requester's recent tickets, tickets updated since, our notes.

Every call goes through the client's ``HelpdeskSession`` (the account's shared rate limiter, timeouts)
and fails only with ``HelpdeskError``.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ...core.history import parse_time
from ...core.write_plan import contains_marker
from ..records import TicketPage, TicketRecord, get_json, get_response, id_of, json_of, text_of
from .normalize import channel_from_source

HELPDESK, TITLE = "freshdesk", "Freshdesk"
OPEN_STATUSES = frozenset({2, 3})      # 2 Open, 3 Pending (4 Resolved, 5 Closed)
PAGE_SIZE = 100                        # the largest page Freshdesk serves


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def requested_tickets(client, requester_id: str, since: datetime) -> list[TicketRecord]:
    """The requester's tickets updated since ``since``, newest first, in ONE call.

    ``GET /api/v2/tickets?requester_id=..&updated_since=..&order_by=created_at&order_type=desc`` — List
    All Tickets with its requester filter: https://developers.freshdesk.com/api/#list_all_tickets
    (without ``updated_since`` only tickets of the last 30 days are listed). ``include=description`` adds
    ``description``/``description_text`` to each listed ticket (as singer-io/tap-freshdesk asks for it);
    whether an include costs extra API credits on the list endpoint is not confirmed here.
    """
    return _listed_for(client, {"requester_id": int(requester_id)}, since)


def tickets_by_email(client, email: str, since: datetime) -> list[TicketRecord]:
    """The same list found by the requester's e-mail, for a webhook that carries no requester id: List All
    Tickets' ``email`` filter (``GET /api/v2/tickets?email=..``, URL-encoded: requests encodes ``+`` and
    ``@``), https://developers.freshdesk.com/api/#list_all_tickets ; the filter is also offered as
    "Filter by the requester's email address" by Pipedream's list-all-tickets action, which cites that page.

    An address that belongs to no contact is answered 400 ``{"description": "Validation failed", "errors":
    [{"field": "email", "message": "There is no contact matching the given email", "code": "invalid_value"}]}``
    (the answer public Freshdesk clients test for, one of them against a recorded cassette): that is a
    requester without earlier tickets, not a failure."""
    return _listed_for(client, {"email": email}, since, absent=_no_such_contact)


def _listed_for(client, requester: dict, since: datetime, *, absent=None) -> list[TicketRecord]:
    params = {**requester, "updated_since": _iso(since), "order_by": "created_at", "order_type": "desc",
              "per_page": PAGE_SIZE, "include": "description"}
    data = get_json(client.session, f"{client.base_url}/api/v2/tickets", params, helpdesk=HELPDESK, title=TITLE,
                    absent=absent)
    records = [record(t) for t in data or () if isinstance(t, dict)]
    return [r for r in records if r.created_at is None or r.created_at >= since]


def _no_such_contact(response) -> bool:
    """A 400 whose only complaint is the ``email`` filter: no contact has that address."""
    if response.status_code != 400:
        return False
    try:
        errors = response.json().get("errors")
    except (ValueError, AttributeError):
        return False
    return (isinstance(errors, list) and bool(errors)
            and all(isinstance(e, dict) and e.get("field") == "email" for e in errors))


def list_page(client, since: datetime, position: str | None) -> TicketPage:
    """One page of List All Tickets updated since ``since``, oldest CREATED first (page paging; the next
    page exists while a ``Link: rel="next"`` header says so): https://developers.freshdesk.com/api/#list_all_tickets

    Ordered by creation, not by update: backfill's own notes update tickets while it pages, and in update
    order those tickets would jump to the end and push unread ones onto pages already read."""
    page = int(position or 1)
    params = {"updated_since": _iso(since), "order_by": "created_at", "order_type": "asc", "per_page": PAGE_SIZE,
              "page": page, "include": "description"}
    response = get_response(client.session, f"{client.base_url}/api/v2/tickets", params, helpdesk=HELPDESK, title=TITLE)
    data = json_of(response, helpdesk=HELPDESK, title=TITLE)
    tickets = tuple(record(t) for t in data or () if isinstance(t, dict))
    return TicketPage(tickets, str(page + 1) if "next" in response.links and tickets else None)


def has_our_note(client, ticket_id: str) -> bool:
    """Whether any conversation on the ticket carries our note's marker (List All Conversations):
    https://developers.freshdesk.com/api/#list_all_ticket_notes"""
    return any(contains_marker(c.get("body")) or contains_marker(c.get("body_text"))
               for c in client._conversations(int(ticket_id)))


def record(ticket: dict) -> TicketRecord:
    """A ticket of List All Tickets / View a Ticket as a record (``description`` is HTML)."""
    text = ticket.get("description")
    plain = ticket.get("description_text")
    tags = ticket.get("tags") if isinstance(ticket.get("tags"), list) else []
    return TicketRecord(
        ticket_id=str(ticket.get("id")),
        created_at=parse_time(ticket.get("created_at")),
        subject=text_of(ticket.get("subject")),
        text=text_of(text) or text_of(plain),
        is_html=bool(text_of(text)),
        is_open=ticket.get("status") in OPEN_STATUSES,
        channel=channel_from_source(str(ticket.get("source", ""))).value,
        requester_id=id_of(ticket.get("requester_id")),
        tags=tuple(str(t) for t in tags),
    )
