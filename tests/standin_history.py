"""Ticket-listing endpoints of the stand-in helpdesks (mixed into ``ZendeskStandin`` / ``FreshdeskStandin``
in ``standin.py``): a requester's tickets for the worker's history, and the bulk listings `preview` and
`backfill` page through. Shapes from the vendors' API references, cited per handler; tickets are the
stand-ins' own objects (``add_ticket``), so every field a list answers is the field a single GET answers.
The vendor recordings (../shared/reference/vendor-recordings/) hold no answer of these list endpoints: the
envelopes follow the reference pages cited; Zendesk's cursor envelope (``meta``/``links``) of the recorded
trigger list is the other pagination kind, not used here.
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone
from urllib.parse import urlencode


def _epoch(stamp: str) -> float:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def stamp(moment: datetime) -> str:
    """A timestamp as both helpdesks write it."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Seeding:
    def start_clock_at(self, moment: datetime) -> None:
        """Writes from now on stamp ``updated_at`` from ``moment`` on (the stand-ins' clock starts in 2024),
        so a ticket we write stays inside an ``updated_since`` window, as at the vendor."""
        with self._lock:
            self._clock = max(self._clock, moment)

    def set_times(self, ticket_id: int, *, created_at: datetime, updated_at: datetime | None = None) -> None:
        """Move a seeded ticket in time (the stand-ins' clock starts in 2024)."""
        with self._lock:
            ticket = self.tickets[ticket_id]
            ticket["created_at"] = stamp(created_at)
            ticket["updated_at"] = stamp(updated_at or created_at)


class ZendeskHistoryRoutes(_Seeding):
    """``/users/{id}/tickets/requested`` and the cursor-based incremental ticket export."""

    def _admin_route(self, call):
        m, p = call.method, call.path
        if m == "GET" and p.startswith("/api/v2/users/") and p.endswith("/tickets/requested"):
            return self._requested(call, p.split("/")[4])
        if m == "GET" and p == "/api/v2/incremental/tickets/cursor":
            return self._export(call)
        return super()._admin_route(call)

    def _requested(self, call, user_id: str):
        # List Tickets requested by a user, offset pagination: {"tickets", "next_page", "previous_page", "count"};
        # sort_by / sort_order honoured. https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets
        if not user_id.isdigit():
            return self._error(404, None)
        q = {k: v[0] for k, v in call.query.items()}
        tickets = [t for t in self.tickets.values() if str(t["requester_id"]) == user_id]
        key = q.get("sort_by", "id")
        tickets.sort(key=lambda t: (t.get(key) or "", t["id"]), reverse=q.get("sort_order") == "desc")
        per_page = max(1, min(100, int(q.get("per_page", "100"))))
        page = max(1, int(q.get("page", "1")))
        chunk = tickets[(page - 1) * per_page: page * per_page]
        more = page * per_page < len(tickets)
        next_page = (f"{self.url}/api/v2/users/{user_id}/tickets/requested.json?"
                     + urlencode({**q, "page": page + 1})) if more else None
        return 200, {}, {"tickets": chunk, "next_page": next_page, "previous_page": None, "count": len(tickets)}

    def _export(self, call):
        # Incremental Ticket Export, cursor based: start_time (unix) first, then cursor=after_cursor;
        # {"tickets", "after_url", "after_cursor", "before_url", "before_cursor", "end_of_stream"}.
        # https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
        q = {k: v[0] for k, v in call.query.items()}
        per_page = max(1, min(1000, int(q.get("per_page", "1000"))))
        ordered = sorted(self.tickets.values(), key=lambda t: (_epoch(t["updated_at"]), t["id"]))
        if "cursor" in q:
            start = int(base64.urlsafe_b64decode(q["cursor"].encode()).decode())
        elif "start_time" in q:
            since = float(q["start_time"])
            start = next((i for i, t in enumerate(ordered) if _epoch(t["updated_at"]) >= since), len(ordered))
        else:
            return 400, {}, {"error": "InvalidValue", "description": "start_time or cursor is required"}
        chunk = ordered[start:start + per_page]
        end = start + len(chunk)
        after = base64.urlsafe_b64encode(str(end).encode()).decode()
        return 200, {}, {
            "tickets": chunk,
            "after_url": f"{self.url}/api/v2/incremental/tickets/cursor.json?cursor={after}",
            "after_cursor": after, "before_url": None, "before_cursor": None,
            "end_of_stream": end >= len(ordered),
        }


class FreshdeskHistoryRoutes(_Seeding):
    """``GET /api/v2/tickets`` (List All Tickets) with its filters, ordering and page paging."""

    def add_contact(self, contact_id: int, email: str) -> None:
        """A requester with an e-mail address, found by List All Tickets' ``email`` filter."""
        with self._lock:
            self.contacts[contact_id] = email

    def _admin_route(self, call):
        if call.method == "GET" and call.path == "/api/v2/tickets":
            return self._list_tickets(call)
        return super()._admin_route(call)

    def _list_tickets(self, call):
        # https://developers.freshdesk.com/api/#list_all_tickets: requester_id, email, updated_since, order_by
        # (created_at | due_by | updated_at | status), order_type, page, per_page (up to 100); the next
        # page in a Link header; description fields only with include=description.
        q = {k: v[0] for k, v in call.query.items()}
        tickets = list(self.tickets.values())
        if "requester_id" in q:
            tickets = [t for t in tickets if str(t["requester_id"]) == q["requester_id"]]
        if "email" in q:
            # The requester's tickets by the contact's e-mail; an address no contact has is a 400 naming the
            # field (the answer public Freshdesk clients check for, e.g. against a recorded VCR cassette).
            with self._lock:
                ids = {cid for cid, email in self.contacts.items() if email.lower() == q["email"].lower()}
            if not ids:
                return self._invalid("email", "There is no contact matching the given email")
            tickets = [t for t in tickets if t["requester_id"] in ids]
        if "updated_since" in q:
            since = _epoch(q["updated_since"])
            tickets = [t for t in tickets if _epoch(t["updated_at"]) >= since]
        key = q.get("order_by", "created_at")
        if key not in ("created_at", "due_by", "updated_at", "status"):
            return self._invalid("order_by", "It should be one of these values: 'created_at,due_by,updated_at,status'")
        tickets.sort(key=lambda t: (t[key], t["id"]), reverse=q.get("order_type", "desc") == "desc")
        per_page = max(1, min(100, int(q.get("per_page", "30"))))
        page = max(1, int(q.get("page", "1")))
        chunk = tickets[(page - 1) * per_page: page * per_page]
        if q.get("include") != "description":
            chunk = [{k: v for k, v in t.items() if k not in ("description", "description_text")} for t in chunk]
        headers = {}
        if page * per_page < len(tickets):
            headers["Link"] = f'<{self.url}/api/v2/tickets?{urlencode({**q, "page": page + 1})}>; rel="next"'
        return 200, headers, chunk
