"""The HTTP session every helpdesk client uses, and what they share about failures.

``HelpdeskSession`` is a ``requests.Session`` (zenpy accepts one through ``Zenpy(session=...)``), so the
Zendesk client keeps using the real zenpy and the Freshdesk client the real requests. It adds what
every call needs and nothing else:
* a (connect, read) timeout on every call, even when the caller forgot one;
* the shared outbound rate limiter, charged before the call and fed the response headers after it;
* an optional base-URL override (the loopback stand-ins in tests, a proxy in production);
* the last response per thread, so an error raised by a library (zenpy raises
  ``RatelimitBudgetExceeded`` without the response) can still be classified with its status and
  ``Retry-After``.
Plain ``HTTPAdapter``s with no retries are mounted: a hidden retry of a PUT/POST inside urllib3 could
post a second note, and retry policy belongs to the task queue.
"""
from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from ..errors import ConfigError, HelpdeskError, PermanentHelpdeskError, RetryableHelpdeskError
from .ratelimit import OutboundRateLimiter, RateBudgetExhausted, retry_after_seconds

# Connect timeout a little over a multiple of 3 s (TCP retransmission), read timeout 10 s: a helpdesk
# that has not answered in 10 s is retried later by the queue rather than holding a worker.
DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 10.0)


@dataclass(frozen=True)
class ApplyResult:
    """What one ``apply(plan)`` did."""

    note_posted: bool                 # this call posted the note
    tags_added: tuple[str, ...]       # tags this call added (absent before)
    already_applied: bool             # the note with the plan's marker was already on the ticket
    calls: int                        # HTTP calls made, for metrics and rate-limit accounting


def is_retryable_status(status: int) -> bool:
    """429, 409 and 5xx may succeed later; any other 4xx will not (the event is dead-lettered)."""
    return status in (409, 429) or status >= 500


def describe_response(response: requests.Response, limit: int = 200) -> str:
    """A short, secret-free reason for a failed call: status, method, path and the start of the body."""
    request = response.request
    path = urlsplit(request.url or "").path if request is not None else ""
    method = request.method if request is not None else ""
    body = (response.text or "").strip().replace("\n", " ")
    if len(body) > limit:
        body = body[:limit] + "..."
    return f"{response.status_code} on {method} {path}: {body}".rstrip(": ")


def helpdesk_error(failure: requests.Response | BaseException, *, helpdesk: str, title: str,
                   ticket_id: str | None = None) -> HelpdeskError:
    """The one place a failed helpdesk call becomes ``RetryableHelpdeskError`` or ``PermanentHelpdeskError``.

    ``failure`` is the unwanted response, or what the call raised: our own rate budget said wait
    (``RateBudgetExhausted``), a library error carrying the response (zenpy's ``APIException``), or no
    answer at all (timeouts, refused or reset connections), which may well succeed later."""
    where = {"helpdesk": helpdesk, "ticket_id": ticket_id}
    if isinstance(failure, RateBudgetExhausted):
        return RetryableHelpdeskError(str(failure), retry_after=failure.retry_after, **where)
    response = failure if isinstance(failure, requests.Response) else getattr(failure, "response", None)
    if isinstance(response, requests.Response):
        status = response.status_code
        cls = RetryableHelpdeskError if is_retryable_status(status) else PermanentHelpdeskError
        return cls(f"{title} answered {describe_response(response)}", status=status,
                   retry_after=retry_after_of(response), **where)
    if isinstance(failure, requests.RequestException):
        return RetryableHelpdeskError(f"{title} unreachable: {type(failure).__name__}", **where)
    # An error without a response: the helpdesk answered 2xx with a body the library cannot read.
    return PermanentHelpdeskError(f"unexpected {title} response: {failure}", **where)


def retry_after_of(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    return retry_after_seconds(response.headers.get("Retry-After"))


def ticket_number(ticket_id: str, helpdesk: str, label: str) -> int:
    """Both helpdesks number their tickets; anything else is a permanent error for this event."""
    try:
        return int(str(ticket_id).strip())
    except ValueError:
        raise PermanentHelpdeskError(f"{label} ticket ids are numbers, not {ticket_id!r}",
                                     helpdesk=helpdesk, ticket_id=str(ticket_id)) from None


def check_api_url(name: str, url: str) -> str:
    """An API base URL without a trailing slash; plain http only to loopback (never send keys in clear)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must be an http(s) URL, not {url!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(f"{name} may use plain http only on loopback (127.0.0.1, ::1, localhost)")
    return url.rstrip("/")


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL, lower case, with the scheme's default port spelt out."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {"http": 80, "https": 443}.get(parts.scheme.lower(), 0)
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _RewritingAdapter(HTTPAdapter):
    """Sends requests for ``rewrite_from`` to ``rewrite_to`` but reports the original URL.

    zenpy only deserialises responses whose request URL contains ``{subdomain}.zendesk.com``
    (``GenericZendeskResponseHandler.applies_to``), so the rewrite happens below it, in the transport,
    and the response keeps the URL zenpy asked for.
    """

    def __init__(self, rewrite_from: str, rewrite_to: str) -> None:
        super().__init__(max_retries=0)
        self._from, self._to = rewrite_from.rstrip("/"), rewrite_to.rstrip("/")

    def send(self, request, *args, **kwargs):  # type: ignore[override]
        sent = request.copy()
        if sent.url and sent.url.startswith(self._from):
            sent.url = self._to + sent.url[len(self._from):]
        response = super().send(sent, *args, **kwargs)
        response.request, response.url = request, request.url
        return response


class HelpdeskSession(requests.Session):
    """requests.Session with timeouts, rate limiting, URL override and last-response memory."""

    def __init__(
        self,
        *,
        account: str,
        limiter: OutboundRateLimiter,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        rewrite_from: str | None = None,
        rewrite_to: str | None = None,
        user_agent: str = "empathy-cues",
        origins: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.account = account
        # Where our credentials may go. A URL the helpdesk hands us (a pagination Link, zenpy's
        # next_page) is followed only to these: the API key went to any origin a response named.
        self.origins = frozenset(origin_of(o) for o in origins)
        self.limiter = limiter
        self.timeout = timeout
        self._local = threading.local()
        self.headers["User-Agent"] = user_agent
        self.mount("https://", HTTPAdapter(max_retries=0))
        self.mount("http://", HTTPAdapter(max_retries=0))
        if rewrite_from and rewrite_to:
            self.mount(rewrite_from.rstrip("/") + "/", _RewritingAdapter(rewrite_from, rewrite_to))

    @property
    def last_response(self) -> requests.Response | None:
        return getattr(self._local, "response", None)

    @property
    def call_count(self) -> int:
        """Calls sent from this thread so far (a client's ``apply`` reports the difference)."""
        return getattr(self._local, "calls", 0)

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        self._local.response = None
        helpdesk = self.account.partition(":")[0]
        if self.origins and origin_of(url) not in self.origins:
            raise PermanentHelpdeskError(f"refused a call to {origin_of(url)}: not the configured {helpdesk} "
                                         "API origin (credentials go only there)", helpdesk=helpdesk)
        # Raises RateBudgetExhausted (nothing is sent) or waits briefly for the call's slot.
        try:
            slept = self.limiter.acquire(self.account, method, urlsplit(url).path)
        except RateBudgetExhausted:
            _count_wait(helpdesk, "rescheduled")
            raise
        if slept:
            _count_wait(helpdesk, "slept")
        self._local.calls = self.call_count + 1
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.Timeout:
            _count_call(helpdesk, method, "timeout")
            raise
        except requests.RequestException:
            _count_call(helpdesk, method, "error")
            raise
        _count_call(helpdesk, method, str(response.status_code))
        self._local.response = response
        self.limiter.observe(self.account, response.status_code, response.headers)
        return response


def _count_wait(helpdesk: str, action: str) -> None:
    from ..metrics import RATE_LIMIT_WAITS

    RATE_LIMIT_WAITS.labels(helpdesk, action).inc()


def _count_call(helpdesk: str, method: str, status: str) -> None:
    from ..metrics import HELPDESK_CALLS

    HELPDESK_CALLS.labels(helpdesk, str(method).upper(), status).inc()

