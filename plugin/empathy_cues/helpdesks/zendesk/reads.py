"""Reading Zendesk tickets in bulk: a requester's recent tickets, the incremental export, our notes.

Every call goes through the client's ``HelpdeskSession`` (the account's shared rate limiter, timeouts,
the API URL override) and fails only with ``HelpdeskError``.
"""
from __future__ import annotations

from datetime import datetime

from ...core.event import Channel
from ...core.history import parse_time
from ...core.write_plan import contains_marker
from ..records import TicketPage, TicketRecord, get_json, id_of, text_of
from .normalize import channel_from_via

HELPDESK, TITLE = "zendesk", "Zendesk"
OPEN_STATUSES = frozenset({"new", "open", "pending", "hold"})
HISTORY_PAGE = 100        # the largest page of List Tickets (offset pagination)
EXPORT_PAGE = 1000        # the largest page of the incremental export


def requested_tickets(client, requester_id: str, since: datetime) -> list[TicketRecord]:
    """The requester's tickets, newest first, in ONE call (the first page is enough for any window a
    person files tickets in; older pages would fall outside it anyway).

    ``GET /api/v2/users/{user_id}/tickets/requested`` — List Tickets, "requested by a user":
    https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets
    zenpy has ``users.requested(user)``, but it follows every page oldest first and passes no sort
    parameters; ``sort_by``/``sort_order`` are honoured with offset pagination (not with cursor
    pagination, a known gap reported on Zendesk's community forum), so that is what is asked for here.
    """
    url = f"{client.base_url}/api/v2/users/{int(requester_id)}/tickets/requested.json"
    data = get_json(client.session, url, {"sort_by": "created_at", "sort_order": "desc", "per_page": HISTORY_PAGE},
                    helpdesk=HELPDESK, title=TITLE)
    records = [record(t) for t in data.get("tickets") or () if isinstance(t, dict)]
    return [r for r in records if r.created_at is None or r.created_at >= since]


def export_page(client, since: datetime, position: str | None) -> TicketPage:
    """One page of the cursor-based Incremental Ticket Export: tickets updated since ``since``.

    ``GET /api/v2/incremental/tickets/cursor.json?start_time=<unix>`` for the first page, then
    ``?cursor=<after_cursor>`` until ``end_of_stream`` is true; 10 requests a minute on this endpoint:
    https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
    Deleted tickets are exported too (status "deleted"); they are left out here.
    """
    params = {"cursor": position} if position else {"start_time": int(since.timestamp())}
    data = get_json(client.session, f"{client.base_url}/api/v2/incremental/tickets/cursor.json",
                    {**params, "per_page": EXPORT_PAGE}, helpdesk=HELPDESK, title=TITLE)
    tickets = tuple(record(t) for t in data.get("tickets") or () if isinstance(t, dict) and t.get("status") != "deleted")
    after = data.get("after_cursor")
    done = bool(data.get("end_of_stream")) or not after or not data.get("tickets")
    return TicketPage(tickets, None if done else str(after))


def has_our_note(client, ticket_id: str) -> bool:
    """Whether any comment on the ticket carries our note's marker (List Comments, through zenpy):
    https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments"""
    with client._errors(str(ticket_id)):
        return any(contains_marker(getattr(c, "body", None)) or contains_marker(getattr(c, "html_body", None))
                   for c in client._zenpy.tickets.comments(int(ticket_id)))


def record(ticket: dict) -> TicketRecord:
    """A ticket object (Show/List Tickets, the export) as a record; ``description`` is its first comment."""
    via = ticket.get("via") if isinstance(ticket.get("via"), dict) else {}
    tags = ticket.get("tags") if isinstance(ticket.get("tags"), list) else []
    return TicketRecord(
        ticket_id=str(ticket.get("id")),
        created_at=parse_time(ticket.get("created_at")),
        subject=text_of(ticket.get("subject") or ticket.get("raw_subject")),
        text=text_of(ticket.get("description")),
        is_html=False,
        is_open=text_of(ticket.get("status")).lower() in OPEN_STATUSES,
        channel=channel_from_via(text_of(via.get("channel"))).value if via else Channel.OTHER.value,
        requester_id=id_of(ticket.get("requester_id")),
        tags=tuple(str(t) for t in tags),
    )
