"""``POST /webhooks/<helpdesk>``: raw bytes and headers in, the intake's answer out. Nothing else happens here.

Served by ``WebhookReceiver``, a WSGI callable put in front of the Flask app (``serve_in_front``). A webhook
needs nothing Flask does for a request (request and app contexts, the session, the URL map, a Response
object, after-request handling), and on a busy server nearly every request is a webhook, each one paying
for all of it. Every other request, other methods on this path included, goes to the Flask app unchanged.
"""
from __future__ import annotations

import json
import logging

from werkzeug.datastructures import EnvironHeaders
from werkzeug.exceptions import ClientDisconnected, HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_content_length, get_input_stream

from ...errors import PayloadTooLarge, WebhookError
from ...helpdesks.registry import REGISTRY
from ..intake import MAX_BODY_BYTES
from .json_errors import error_body, http_error, unexpected_error

log = logging.getLogger("empathy_cues.web")

RULE = "/webhooks/<helpdesk>"
PREFIX = "/webhooks/"
# The status line werkzeug's Response sends ("202 ACCEPTED"), so the wire says what it always said.
_STATUS_LINES = {code: f"{code} {name.upper()}" for code, name in HTTP_STATUS_CODES.items()}
# A small flat dict of strings: one encoder built here, not the new JSONEncoder that json.dumps builds on
# every call given any option. Accepted webhooks keep their keys in the intake's order.
_encode = json.JSONEncoder(separators=(",", ":")).encode


def serve_in_front(app, intake) -> None:
    """Answer ``POST /webhooks/<helpdesk>`` with ``intake`` before the Flask ``app`` sees the request.

    ``app.wsgi_app`` is wrapped, not replaced by another object, so ``app`` is still what gunicorn serves
    and ``app.test_client()`` goes through the receiver as gunicorn's requests do."""
    app.wsgi_app = WebhookReceiver(intake, app.wsgi_app)
    # Flask keeps the path as a POST-only rule so that its router answers every other method on it as
    # on any route (GET 405 JSON, OPTIONS with an Allow header); the POSTs never get this far.
    app.add_url_rule(RULE, endpoint="webhooks", view_func=_answered_in_front, methods=["POST"])


def _answered_in_front(helpdesk: str):
    raise RuntimeError(f"POST /webhooks/{helpdesk} reached Flask: WebhookReceiver answers it")


class WebhookReceiver:
    """WSGI: ``POST /webhooks/<helpdesk>`` answered here; any other request passed to ``app``.

    The path matches exactly what Flask's rule would (one non-empty segment after ``/webhooks/``); a trailing
    slash or a deeper path goes to Flask, which answers 404 (or redirects) as before."""

    def __init__(self, intake, app) -> None:
        self.intake = intake
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX) and environ.get("REQUEST_METHOD", "GET").upper() == "POST":
            helpdesk = path[len(PREFIX):]
            if helpdesk and "/" not in helpdesk:
                return self.answer(helpdesk, environ, start_response)
        return self.app(environ, start_response)

    def answer(self, helpdesk: str, environ, start_response):
        try:
            status, body = self._receive(helpdesk, environ)
        except WebhookError as exc:
            status, body = _refused(exc)
        except HTTPException as exc:
            status, body = http_error(exc)
        except Exception:
            status, body = unexpected_error()
        start_response(_STATUS_LINES[status], [("Content-Type", "application/json"),
                                               ("Content-Length", str(len(body)))])
        return [body]

    def _receive(self, helpdesk: str, environ) -> tuple[int, bytes]:
        """(status, JSON body) of an accepted webhook; a refused one raises, as the intake does."""
        if helpdesk not in REGISTRY:
            raise NotFound()        # before any metric: a label per made-up name would grow without bound
        intake = self.intake
        # The raw bytes, never parsed first: the signature covers the exact bytes sent.
        length = get_content_length(environ)
        raw = _chunked_body(environ) if length is None else _sized_body(environ, length)
        if raw is None:                 # a larger one is refused unread
            intake.refuse(helpdesk, _too_large())   # raises it, counted as rejected like every other refusal
        status, body = intake.receive(helpdesk, raw, EnvironHeaders(environ))
        return status, _encode(body).encode()


def _refused(exc: WebhookError) -> tuple[int, bytes]:
    """(status, body) for a refused webhook, logged by its code (5xx as errors)."""
    if exc.status >= 500:
        log.error("refused: %s", exc.code)
    else:
        log.info("refused: %s", exc.code)
    return exc.status, error_body(exc.to_json())


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")


def _sized_body(environ, length: int) -> bytes | None:
    """A body sent with a Content-Length, or None when it is larger than we accept.

    A server that ends its input stream at the end of the body says so (``wsgi.input_terminated``;
    gunicorn does): the ``length`` bytes are read from that stream in one call, without the
    ``LimitedStream`` werkzeug puts around it when given a maximum (there the read goes through Python's
    generic ``readall`` loop, a buffer and a copy per webhook). A read that fails is a client gone,
    answered as werkzeug answers it (400). Any other server: werkzeug's guarded stream."""
    if length > MAX_BODY_BYTES:
        return None
    if not environ.get("wsgi.input_terminated"):
        try:
            return get_input_stream(environ, max_content_length=MAX_BODY_BYTES).read()
        except RequestEntityTooLarge:
            return None
    try:
        return environ["wsgi.input"].read(length)
    except (OSError, ValueError):
        raise ClientDisconnected() from None


def _chunked_body(environ) -> bytes | None:
    """A body sent without Content-Length (chunked), or None when it is larger than we accept.

    Werkzeug cuts such a body at its maximum without saying so: the signature then failed (401
    bad_signature, the metric admins read as "wrong secret") instead of a 413. The server's input
    stream decodes the chunks; one byte past the limit tells us it is too large."""
    data = environ["wsgi.input"].read(MAX_BODY_BYTES + 1)
    return None if len(data) > MAX_BODY_BYTES else data
