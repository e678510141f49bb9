"""Webhook endpoints: raw bytes and headers in, the intake's answer out. Nothing else happens here."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from ...errors import PayloadTooLarge
from ...helpdesks.registry import REGISTRY
from ..intake import MAX_BODY_BYTES

bp = Blueprint("webhooks", __name__)
# A small flat dict of strings: one encoder built here, straight into a Response, skips Flask's JSON
# provider (sorting, app-context look-ups) that jsonify goes through, and the new JSONEncoder that
# json.dumps builds on every call given any option.
_encode = json.JSONEncoder(separators=(",", ":")).encode


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")


def _sized_body(req, length: int) -> bytes | None:
    """A body sent with a Content-Length, or None when it is larger than we accept.

    A server that ends its input stream at the end of the body says so (``wsgi.input_terminated``;
    gunicorn does): the ``length`` bytes are read from that stream in one call, as werkzeug would read
    them, without the ``LimitedStream`` it puts around the stream when MAX_CONTENT_LENGTH is set (there
    the read goes through Python's generic ``readall`` loop, a buffer and a copy per webhook). A read that
    fails is a client gone, as werkzeug answers it. Any other server: werkzeug's guarded stream."""
    if length > MAX_BODY_BYTES:
        return None
    environ = req.environ
    if not environ.get("wsgi.input_terminated"):
        try:
            return req.get_data(cache=False)
        except RequestEntityTooLarge:
            return None
    try:
        return environ["wsgi.input"].read(length)
    except (OSError, ValueError):
        raise ClientDisconnected() from None


def _chunked_body() -> bytes | None:
    """A body sent without Content-Length (chunked), or None when it is larger than we accept.

    Werkzeug cuts such a body at MAX_CONTENT_LENGTH without saying so: the signature then failed (401
    bad_signature, the metric admins read as "wrong secret") instead of a 413. The server's input
    stream decodes the chunks; one byte past the limit tells us it is too large."""
    data = request.environ["wsgi.input"].read(MAX_BODY_BYTES + 1)
    return None if len(data) > MAX_BODY_BYTES else data


@bp.post("/webhooks/<helpdesk>")
def receive(helpdesk: str):
    if helpdesk not in REGISTRY:
        abort(404)          # before any metric: a label per made-up name would grow without bound
    intake = current_app.extensions["empathy_intake"]
    req = request._get_current_object()     # one context look-up, not one per attribute
    # The raw bytes, never request.json first: the signature covers the exact bytes sent.
    length = req.content_length
    raw = _chunked_body() if length is None else _sized_body(req, length)   # a larger one is refused unread
    if raw is None:
        return intake.refuse(helpdesk, _too_large())   # counted as rejected like every other refusal
    status, body = intake.receive(helpdesk, raw, req.headers)
    return Response(_encode(body), status=status, mimetype="application/json")
