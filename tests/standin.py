"""Stand-in Zendesk and Freshdesk APIs: real HTTP servers on loopback for the real zenpy/requests clients.

Each implements only the endpoints empathy-cues calls, with the vendors' documented request and response
shapes, checks basic auth, keeps tickets in memory, records every call and can be told to fail::

    with ZendeskStandin() as zd:
        zd.add_ticket(5, tags=["vip"], comments=[{"body": "It broke again", "author_id": 9}])
        zd.fail_next(1, status=429, retry_after=2)          # next call: 429 + Retry-After: 2
        zd.slow_next(1, seconds=1.0)                        # next call answers after 1 s
        zd.stall_after_write_next(1, seconds=1.0, method="PUT", path="/api/v2/tickets/5")
        ...                                                 # applies the write, then stalls
        zd.calls                                            # [RecordedCall(method, path, ...)]

``url`` is the base to give a client (or a subprocess: EMPATHY_ZENDESK_API_URL=zd.url).
Sources for the shapes are cited on each handler.
"""
from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.standin_admin import FreshdeskAdminRoutes, ZendeskAdminRoutes
from tests.standin_history import FreshdeskHistoryRoutes, ZendeskHistoryRoutes

JsonBody = Any
Response = tuple[int, dict[str, str], JsonBody]   # status, extra headers, JSON body (or bytes / None)


@dataclass(frozen=True)
class RecordedCall:
    method: str
    path: str                        # without the query string and without a ".json" suffix
    query: dict[str, list[str]]
    headers: dict[str, str]
    json: JsonBody
    at: float

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        raw = self.headers.get("Authorization", "")
        if not raw.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(raw[6:]).decode("utf-8").partition(":")
        return user, password


@dataclass
class _Fault:
    remaining: int
    kind: str                        # "status" | "slow" | "stall_after_write"
    status: int = 500
    retry_after: float | None = None
    seconds: float = 0.0
    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (self.path is None or self.path == path)


@dataclass
class _Hook:
    method: str
    path: str
    callback: Callable[[], None]
    when: str                        # "before" | "after" the matching request is handled


class _Standin:
    """Server plumbing shared by both stand-ins; subclasses provide ``_route`` and the data."""

    helpdesk = ""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.calls: list[RecordedCall] = []
        self._faults: list[_Fault] = []
        self._hooks: list[_Hook] = []
        self._clock = datetime(2024, 4, 17, 17, 0, 0, tzinfo=timezone.utc)
        self._next_id = 1000
        self.rate_limit_total = 700
        self.rate_limit_remaining: int | None = None      # None: total - calls so far
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> "_Standin":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                standin._serve(self)

            do_PUT = do_POST = do_DELETE = do_GET

            def log_message(self, *args: Any) -> None:   # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False      # a stalled answer must not hold up stop()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{self.helpdesk}-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- scripting failures ------------------------------------------------------------------------

    def fail_next(self, n: int = 1, *, status: int = 500, retry_after: float | None = None,
                  method: str | None = None, path: str | None = None) -> None:
        """The next ``n`` matching calls answer ``status`` (with ``Retry-After`` if given), changing nothing."""
        self._add_fault(_Fault(n, "status", status=status, retry_after=retry_after, method=method, path=path))

    def slow_next(self, n: int = 1, *, seconds: float, method: str | None = None, path: str | None = None) -> None:
        """The next ``n`` matching calls wait ``seconds`` before being handled (a client may time out)."""
        self._add_fault(_Fault(n, "slow", seconds=seconds, method=method, path=path))

    def stall_after_write_next(self, n: int = 1, *, seconds: float, method: str | None = None,
                               path: str | None = None) -> None:
        """The next ``n`` matching calls are applied, then the answer waits ``seconds`` (write-then-timeout)."""
        self._add_fault(_Fault(n, "stall_after_write", seconds=seconds, method=method, path=path))

    def before_next(self, method: str, path: str, callback: Callable[[], None]) -> None:
        """Run ``callback`` once, just before the next matching call is handled (a concurrent writer)."""
        with self._lock:
            self._hooks.append(_Hook(method, path, callback, "before"))

    def after_next(self, method: str, path: str, callback: Callable[[], None]) -> None:
        """Run ``callback`` once, just after the next matching call was handled."""
        with self._lock:
            self._hooks.append(_Hook(method, path, callback, "after"))

    def _add_fault(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _take_hook(self, method: str, path: str, when: str) -> _Hook | None:
        with self._lock:
            for hook in self._hooks:
                if hook.when == when and hook.method == method and hook.path == path:
                    self._hooks.remove(hook)
                    return hook
        return None

    # -- inspection --------------------------------------------------------------------------------

    def calls_to(self, method: str, path: str) -> list[RecordedCall]:
        with self._lock:
            return [c for c in self.calls if c.method == method and c.path == path]

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- helpers for subclasses --------------------------------------------------------------------

    def _tick(self) -> str:
        """A new timestamp, one second after the last: every write moves ``updated_at``."""
        with self._lock:
            self._clock += timedelta(seconds=1)
            return self._clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def _authorised(self, call: RecordedCall) -> bool:
        raise NotImplementedError

    def _route(self, call: RecordedCall) -> Response:
        raise NotImplementedError

    def _ticket_route(self, call: RecordedCall, path: str, routes) -> Response:
        """The first ticket route whose pattern matches (404 for an unknown ticket), else an admin route."""
        for pattern, handler in routes:
            match = pattern.match(path)
            if match:
                ticket_id = int(match.group(1))
                if ticket_id not in self.tickets:
                    return self._error(404, None)
                return handler(call, ticket_id)
        return self._admin_route(call) or self._error(404, None)

    def _error(self, status: int, retry_after: float | None) -> Response:
        raise NotImplementedError

    def _rate_headers(self, used: int) -> dict[str, str]:
        raise NotImplementedError

    # -- the request cycle -------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        path = parts.path[:-5] if parts.path.endswith(".json") else parts.path
        call = RecordedCall(handler.command, path, parse_qs(parts.query), dict(handler.headers.items()),
                            body, time.time())
        with self._lock:
            self.calls.append(call)
            used = len(self.calls)

        fault = self._take_fault(call.method, call.path)
        stall = 0.0
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "status":
            status, headers, payload = self._error(fault.status, fault.retry_after)
        elif not self._authorised(call):
            status, headers, payload = self._error(401, None)
        else:
            hook = self._take_hook(call.method, call.path, "before")
            if hook:
                hook.callback()
            with self._lock:
                status, headers, payload = self._route(call)
            hook = self._take_hook(call.method, call.path, "after")
            if hook:
                hook.callback()
            if fault is not None and fault.kind == "stall_after_write":
                stall = fault.seconds
        if stall:
            time.sleep(stall)
        self._respond(handler, status, {**self._rate_headers(used), **headers}, payload)

    def _respond(self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str],
                 payload: JsonBody) -> None:
        if isinstance(payload, bytes):
            data, content_type = payload, headers.pop("Content-Type", "text/html; charset=utf-8")
        elif payload is None:
            data, content_type = b"", headers.pop("Content-Type", "application/json")
        else:
            data, content_type = json.dumps(payload).encode("utf-8"), "application/json; charset=utf-8"
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass   # the client gave up (timeout); what happened on the server stays happened


# ==== Zendesk ========================================================================================

_ZD_TICKET = re.compile(r"^/api/v2/tickets/(\d+)$")
_ZD_TAGS = re.compile(r"^/api/v2/tickets/(\d+)/tags$")
_ZD_COMMENTS = re.compile(r"^/api/v2/tickets/(\d+)/comments$")


class ZendeskStandin(ZendeskHistoryRoutes, ZendeskAdminRoutes, _Standin):
    """Zendesk Support API v2, the endpoints empathy-cues uses.

    Auth: basic ``{email}/token:{api_token}``
    (https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
    Rate-limit headers ``X-Rate-Limit`` / ``X-Rate-Limit-Remaining``; a 429 has ``Retry-After`` and a
    text body (https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/best-practices-for-avoiding-rate-limiting/).
    """

    helpdesk = "zendesk"

    def __init__(self, *, subdomain: str = "acme", email: str = "bot@acme.test", api_token: str = "zd-token",
                 api_user_id: int = 900) -> None:
        super().__init__()
        self.subdomain, self.email, self.api_token, self.api_user_id = subdomain, email, api_token, api_user_id
        self.tickets: dict[int, dict] = {}
        self.comments: dict[int, list[dict]] = {}
        self._init_admin()        # webhooks, triggers, ... for `empathy-cues install` (standin_admin.py)

    def add_ticket(self, ticket_id: int, *, tags: list[str] | None = None, comments: list[dict] | None = None,
                   subject: str = "Help", requester_id: int = 11) -> dict:
        """Seed a ticket; each comment dict may give body, html_body, public, author_id."""
        now = self._tick()
        with self._lock:
            self.tickets[ticket_id] = {
                "id": ticket_id, "url": f"{self.url if self._server else ''}/api/v2/tickets/{ticket_id}.json", "subject": subject,
                "description": (comments or [{}])[0].get("body", ""), "status": "open", "priority": None,
                "requester_id": requester_id, "submitter_id": requester_id, "assignee_id": None,
                "tags": list(tags or []), "created_at": now, "updated_at": now,
                "via": {"channel": "email", "source": {"from": {}, "to": {}, "rel": None}},
            }
            self.comments[ticket_id] = []
            for comment in comments or []:
                self._add_comment(ticket_id, comment.get("body", ""), comment.get("public", True),
                                  comment.get("author_id", requester_id), comment.get("html_body"))
        return self.tickets[ticket_id]

    def notes(self, ticket_id: int) -> list[dict]:
        """The private comments (internal notes) on a ticket."""
        with self._lock:
            return [c for c in self.comments.get(ticket_id, []) if not c["public"]]

    def _add_comment(self, ticket_id: int, body: str, public: bool, author_id: int, html_body: str | None = None) -> dict:
        comment = {
            "id": self._new_id(), "type": "Comment", "author_id": author_id, "body": body,
            "html_body": html_body or f"<div class=\"zd-comment\"><p>{body}</p></div>", "plain_body": body,
            "public": public, "attachments": [], "audit_id": self._new_id(), "created_at": self._tick(),
            "via": {"channel": "api", "source": {"from": {}, "to": {}, "rel": None}}, "metadata": {},
        }
        self.comments[ticket_id].append(comment)
        self.tickets[ticket_id]["updated_at"] = comment["created_at"]
        return comment

    def _authorised(self, call: RecordedCall) -> bool:
        return call.basic_auth == (f"{self.email}/token", self.api_token)

    def _rate_headers(self, used: int) -> dict[str, str]:
        remaining = self.rate_limit_remaining if self.rate_limit_remaining is not None else max(
            0, self.rate_limit_total - used)
        return {"X-Rate-Limit": str(self.rate_limit_total), "X-Rate-Limit-Remaining": str(remaining)}

    def _error(self, status: int, retry_after: float | None) -> Response:
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        if status == 429:
            # Zendesk's documented 429 is text, not JSON.
            return status, {**headers, "Content-Type": "text/html; charset=utf-8"}, b"Too Many Requests"
        bodies = {
            401: {"error": "Couldn't authenticate you"},
            403: {"error": "Forbidden", "description": "You do not have access to this page."},
            404: {"error": "RecordNotFound", "description": "Not found"},
            409: {"error": "UpdateConflict", "description": "The ticket was updated by someone else"},
            422: {"error": "RecordInvalid", "description": "Record validation errors", "details": {}},
        }
        body = bodies.get(status, {"error": "InternalError", "description": "Something went wrong"})
        if status >= 500:
            return status, {**headers, "Content-Type": "text/html; charset=utf-8"}, b"<html>Server Error</html>"
        return status, headers, body

    def _route(self, call: RecordedCall) -> Response:
        m, p = call.method, call.path
        if m == "GET" and p == "/api/v2/users/me":
            # https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
            return 200, {}, {"user": {"id": self.api_user_id, "name": "empathy-cues", "email": self.email,
                                      "role": "admin", "active": True}}
        return self._ticket_route(call, p, ((_ZD_TICKET, self._ticket), (_ZD_TAGS, self._tags),
                                            (_ZD_COMMENTS, self._list_comments)))

    def _conflict(self, body: dict, ticket_id: int) -> bool:
        # safe_update + updated_stamp: 409 when the ticket changed since the stamp.
        # https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#protecting-against-ticket-update-collisions
        return bool(body.get("safe_update")) and body.get("updated_stamp") != self.tickets[ticket_id]["updated_at"]

    def _ticket(self, call: RecordedCall, ticket_id: int) -> Response:
        ticket = self.tickets[ticket_id]
        if call.method == "GET":
            return 200, {}, {"ticket": ticket}
        if call.method != "PUT":
            return self._error(404, None)
        # Update Ticket: {"ticket": {...}} -> {"ticket": ..., "audit": ...}
        # https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
        body = (call.json or {}).get("ticket") if isinstance(call.json, dict) else None
        if not isinstance(body, dict):
            return 400, {}, {"error": "InvalidEndpoint", "description": "ticket parameter is missing"}
        if self._conflict(body, ticket_id):
            return self._error(409, None)
        events = []
        comment = body.get("comment")
        if comment is not None:
            text = comment.get("body") or comment.get("html_body")
            if not text:
                return 422, {}, {"error": "RecordInvalid", "description": "Record validation errors",
                                 "details": {"base": [{"description": "Comment: cannot be blank"}]}}
            added = self._add_comment(ticket_id, comment.get("body") or "", comment.get("public", True),
                                      comment.get("author_id", self.api_user_id), comment.get("html_body"))
            events.append({"id": self._new_id(), "type": "Comment", "body": added["body"], "public": added["public"],
                           "author_id": added["author_id"]})
        if "tags" in body:   # Update Ticket replaces the tag list
            ticket["tags"] = list(dict.fromkeys(body["tags"]))
        ticket["updated_at"] = self._tick()
        audit = {"id": self._new_id(), "ticket_id": ticket_id, "created_at": ticket["updated_at"],
                 "author_id": self.api_user_id, "events": events}
        return 200, {}, {"ticket": ticket, "audit": audit}

    def _tags(self, call: RecordedCall, ticket_id: int) -> Response:
        # GET lists; PUT = Add Tags (append); POST = Set Tags (replace); DELETE removes.
        # https://developer.zendesk.com/api-reference/ticketing/ticket-management/tags/
        ticket = self.tickets[ticket_id]
        if call.method == "GET":
            return 200, {}, {"tags": ticket["tags"]}
        body = call.json if isinstance(call.json, dict) else {}
        tags = body.get("tags")
        if not isinstance(tags, list):
            return 400, {}, {"error": "InvalidEndpoint", "description": "tags parameter is missing"}
        if self._conflict(body, ticket_id):
            return self._error(409, None)
        if call.method == "PUT":
            ticket["tags"] = list(dict.fromkeys([*ticket["tags"], *tags]))
        elif call.method == "POST":
            ticket["tags"] = list(dict.fromkeys(tags))
        elif call.method == "DELETE":
            ticket["tags"] = [t for t in ticket["tags"] if t not in tags]
        ticket["updated_at"] = self._tick()
        return 200, {}, {"tags": ticket["tags"]}

    def _list_comments(self, call: RecordedCall, ticket_id: int) -> Response:
        # List Comments, oldest first; cursor pagination with page[size]/page[after], else offset.
        # https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments
        if call.method != "GET":
            return self._error(404, None)
        comments = self.comments[ticket_id]
        if "page[size]" in call.query:
            size = max(1, min(100, int(call.query["page[size]"][0])))
            start = int(call.query.get("page[after]", ["0"])[0] or 0)
            page = comments[start:start + size]
            has_more = start + size < len(comments)
            after = str(start + size) if has_more else None
            next_url = (f"{self.url}/api/v2/tickets/{ticket_id}/comments.json?"
                        + urlencode({"page[size]": size, "page[after]": after})) if has_more else None
            return 200, {}, {"comments": page, "meta": {"has_more": has_more, "after_cursor": after,
                                                         "before_cursor": None},
                             "links": {"next": next_url, "prev": None}}
        return 200, {}, {"comments": comments, "next_page": None, "previous_page": None, "count": len(comments)}


# ==== Freshdesk ======================================================================================

_FD_TICKET = re.compile(r"^/api/v2/tickets/(\d+)$")
_FD_NOTES = re.compile(r"^/api/v2/tickets/(\d+)/notes$")
_FD_CONVERSATIONS = re.compile(r"^/api/v2/tickets/(\d+)/conversations$")
_FD_UPDATABLE = {"name", "requester_id", "email", "subject", "type", "status", "priority", "description",
                 "responder_id", "tags", "custom_fields", "due_by", "fr_due_by", "group_id", "product_id",
                 "source", "company_id", "internal_agent_id", "internal_group_id"}


class FreshdeskStandin(FreshdeskHistoryRoutes, FreshdeskAdminRoutes, _Standin):
    """Freshdesk API v2 (https://developers.freshdesk.com/api/), the endpoints empathy-cues uses.

    Auth: basic with the API key as user name and any password (``X`` by convention).
    Rate-limit headers ``X-RateLimit-Total`` / ``X-RateLimit-Remaining`` /
    ``X-RateLimit-Used-CurrentRequest``; 429 with ``Retry-After``.
    """

    helpdesk = "freshdesk"

    def __init__(self, *, domain: str = "acme", api_key: str = "fd-key", agent_id: int = 700) -> None:
        super().__init__()
        self.domain, self.api_key, self.agent_id = domain, api_key, agent_id
        self.rate_limit_total = 400
        self.tickets: dict[int, dict] = {}
        self.conversations: dict[int, list[dict]] = {}
        self.contacts: dict[int, str] = {}     # contact (requester) id -> e-mail, for List All Tickets' email filter
        self._init_admin()        # canned responses for `empathy-cues install` (standin_admin.py)

    def add_ticket(self, ticket_id: int, *, tags: list[str] | None = None, conversations: list[dict] | None = None,
                   description: str = "<div>It broke again</div>", subject: str = "Help", requester_id: int = 11) -> dict:
        """Seed a ticket; each conversation dict may give body, private, incoming, user_id."""
        now = self._tick()
        with self._lock:
            self.tickets[ticket_id] = {
                "id": ticket_id, "subject": subject, "description": description,
                "description_text": re.sub(r"<[^>]+>", "", description), "status": 2, "priority": 1, "source": 1,
                "type": None, "requester_id": requester_id, "responder_id": None, "group_id": None,
                "company_id": None, "tags": list(tags or []), "cc_emails": [], "fwd_emails": [],
                "reply_cc_emails": [], "to_emails": None, "custom_fields": {}, "fr_escalated": False,
                "is_escalated": False, "spam": False, "due_by": now, "fr_due_by": now,
                "created_at": now, "updated_at": now,
            }
            self.conversations[ticket_id] = []
            for c in conversations or []:
                self._add_conversation(ticket_id, c.get("body", ""), c.get("private", False),
                                       c.get("incoming", True), c.get("user_id", requester_id))
        return self.tickets[ticket_id]

    def notes(self, ticket_id: int) -> list[dict]:
        """The private notes on a ticket."""
        with self._lock:
            return [c for c in self.conversations.get(ticket_id, []) if c["private"]]

    def _add_conversation(self, ticket_id: int, body: str, private: bool, incoming: bool, user_id: int) -> dict:
        now = self._tick()
        conversation = {
            "id": self._new_id(), "body": body, "body_text": re.sub(r"<[^>]+>", "", body), "incoming": incoming,
            "private": private, "user_id": user_id, "support_email": None, "source": 2, "category": 2,
            "ticket_id": ticket_id, "to_emails": [], "from_email": None, "cc_emails": [], "bcc_emails": [],
            "attachments": [], "created_at": now, "updated_at": now,
        }
        self.conversations[ticket_id].append(conversation)
        self.tickets[ticket_id]["updated_at"] = now
        return conversation

    def _authorised(self, call: RecordedCall) -> bool:
        auth = call.basic_auth
        return auth is not None and auth[0] == self.api_key

    def _rate_headers(self, used: int) -> dict[str, str]:
        remaining = self.rate_limit_remaining if self.rate_limit_remaining is not None else max(
            0, self.rate_limit_total - used)
        return {"X-RateLimit-Total": str(self.rate_limit_total), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Used-CurrentRequest": "1"}

    def _error(self, status: int, retry_after: float | None) -> Response:
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        bodies = {
            401: {"code": "invalid_credentials", "message": "You have to be logged in to perform this action."},
            403: {"code": "access_denied", "message": "You are not authorized to perform this action."},
            409: {"code": "inconsistent_state", "message": "The resource is in an inconsistent state."},
            429: {"message": "You have exceeded the limit of requests per minute"},
        }
        if status == 404:
            return status, headers, None          # Freshdesk answers an unknown ticket with an empty 404
        if status >= 500:
            return status, headers, {"code": "internal_error", "message": "We're sorry, but something went wrong."}
        return status, headers, bodies.get(status, {"description": "Validation failed", "errors": []})

    @staticmethod
    def _invalid(field_name: str, message: str, code: str = "invalid_value") -> Response:
        return 400, {}, {"description": "Validation failed",
                         "errors": [{"field": field_name, "message": message, "code": code}]}

    def _route(self, call: RecordedCall) -> Response:
        m, p = call.method, call.path
        if m == "GET" and p == "/api/v2/agents/me":
            # https://developers.freshdesk.com/api/#me
            return 200, {}, {"id": self.agent_id, "available": True, "occasional": False, "signature": None,
                             "ticket_scope": 1, "contact": {"name": "empathy-cues", "email": "bot@acme.test",
                                                            "active": True}}
        return self._ticket_route(call, p, ((_FD_TICKET, self._ticket), (_FD_NOTES, self._note),
                                            (_FD_CONVERSATIONS, self._list_conversations)))

    def _ticket(self, call: RecordedCall, ticket_id: int) -> Response:
        ticket = self.tickets[ticket_id]
        if call.method == "GET":
            # View a Ticket: https://developers.freshdesk.com/api/#view_a_ticket
            return 200, {}, ticket
        if call.method != "PUT":
            return self._error(404, None)
        # Update a Ticket: the fields sent replace the ticket's, "tags" included.
        # https://developers.freshdesk.com/api/#update_ticket
        body = call.json
        if not isinstance(body, dict) or not body:
            return self._invalid("body", "It should not be blank", "missing_field")
        for name in body:
            if name not in _FD_UPDATABLE:
                return self._invalid(name, "Unexpected/invalid field in request", "invalid_field")
        if "tags" in body:
            tags = body["tags"]
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                return self._invalid("tags", "It should be an Array of String", "datatype_mismatch")
            ticket["tags"] = list(dict.fromkeys(tags))
        ticket["updated_at"] = self._tick()
        return 200, {}, ticket

    def _note(self, call: RecordedCall, ticket_id: int) -> Response:
        # Add Note to a Ticket: {"body": html, "private": true} -> 201 + the conversation.
        # https://developers.freshdesk.com/api/#add_note_to_a_ticket
        if call.method != "POST":
            return self._error(404, None)
        body = call.json if isinstance(call.json, dict) else {}
        if not isinstance(body.get("body"), str) or not body["body"].strip():
            return self._invalid("body", "It should not be blank", "missing_field")
        if "private" in body and not isinstance(body["private"], bool):
            return self._invalid("private", "It should be a/an Boolean", "datatype_mismatch")
        note = self._add_conversation(ticket_id, body["body"], body.get("private", True),
                                      body.get("incoming", False), body.get("user_id", self.agent_id))
        return 201, {"Location": f"{self.url}/api/v2/conversations/{note['id']}"}, note

    def _list_conversations(self, call: RecordedCall, ticket_id: int) -> Response:
        # List All Conversations of a Ticket: oldest first, page/per_page (30 by default, up to 100),
        # the next page announced in a Link header. https://developers.freshdesk.com/api/#list_all_ticket_notes
        if call.method != "GET":
            return self._error(404, None)
        per_page = max(1, min(100, int(call.query.get("per_page", ["30"])[0])))
        page = max(1, int(call.query.get("page", ["1"])[0]))
        items = self.conversations[ticket_id]
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        if page * per_page < len(items):
            nxt = f"{self.url}/api/v2/tickets/{ticket_id}/conversations?" + urlencode({"per_page": per_page, "page": page + 1})
            headers["Link"] = f'<{nxt}>; rel="next"'
        return 200, headers, chunk
